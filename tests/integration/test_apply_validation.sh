#!/usr/bin/env bash
# apply step 1: a change file with problems is refused whole (every problem
# with its line, exit 2, nothing written), a hostile name matches nothing;
# step 3: rows the org refuses fail with the row, the user and Salesforce's
# message while the others are performed (exit 1), and a re-run retries
# only the failed rows.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
lp=(--license-profile "Salesforce=Minimum Access - Salesforce")
nwrites() {
  emu_get /__admin/stats | node -e '
    const s = JSON.parse(require("fs").readFileSync(0, "utf8")).by_route;
    console.log(Object.entries(s).filter(([k]) => /^(POST|PATCH|DELETE) \/services\/data\//.test(k))
      .reduce((n, [, v]) => n + v, 0));'
}

# ---- every problem, nothing changed ----
invalid="$SFA_SOURCE_DIR/fixtures/changes/demo-invalid.csv"
expect_exit 2 "$SFACCESS" apply "$invalid" --yes "${lp[@]}"
cat >"$WORK/want" <<'WANT'
2: unknown permission set `x' OR Name != '`
3: unknown user `nobody@acme.example`
4: group `AllInternalUsers` is of type Organization: only Regular and Queue groups are provisioned
5: ambiguous group `Sales_Rep_EMEA`: 3 have that name (Sales_Rep_EMEA 00G
6: permission set `X00e5g00000pF002` belongs to a profile
7: permission set `Sales_Bundle` stands for a permission set group
8: revoking profile `Standard Platform User`: no least-privileged profile is mapped for its license `Salesforce Platform`
9: unknown role `No_Such_Role`
10: unknown permission set group `00G5g00000gR022EAC`
11: unknown profile `Nonexistent Profile`
12: unknown user `0055g00000Dm999AAB`
WANT
while IFS= read -r want; do
  grep -qF "demo-invalid.csv:$want" "$WORK/err" || fail "missing problem <$want>: $(cat "$WORK/err")"
done <"$WORK/want"
grep -q "11 problems in .*; nothing was changed" "$WORK/err" || fail "summary: $(cat "$WORK/err")"
grep -q "demo-invalid.csv:13:" "$WORK/err" && fail "the valid line 13 was reported"
[ "$(nwrites)" = 0 ] || fail "an invalid file wrote to the org"
echo "ok invalid file: 11 problems by line, nothing written"

# The hostile name went into SOQL as one escaped literal: ask the org the
# same way and see that it is a plain, unmatched name.
q=$(node -e 'console.log(encodeURIComponent(process.argv[1]))' "SELECT Id FROM PermissionSet WHERE Name IN ('x\\' OR Name != \\'')")
token=$(curl -sf -X POST "$EMU_URL/services/Soap/u/64.0" -H 'Content-Type: text/xml' -H 'SOAPAction: login' \
  --data "<?xml version=\"1.0\"?><env:Envelope xmlns:env=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:urn=\"urn:partner.soap.sforce.com\"><env:Body><urn:login><urn:username>admin@acme.example</urn:username><urn:password>demo-Pa55DEMOtok3n</urn:password></urn:login></env:Body></env:Envelope>" \
  | sed -n 's/.*<sessionId>\([^<]*\)<.*/\1/p')
[ -n "$token" ] || fail "SOAP login for the SOQL check"
curl -sf -H "Authorization: Bearer $token" "$EMU_URL/services/data/v64.0/query?q=$q" | grep -q '"totalSize":0' \
  || fail "the escaped hostile name matched something"
echo "ok hostile name escaped: matches nothing"

# ---- Salesforce errors per row; the rest performed ----
errors="$SFA_SOURCE_DIR/fixtures/changes/demo-errors.csv"
expect_exit 1 "$SFACCESS" apply "$errors" --yes --junit "$WORK/errors.xml"
grep -q ": 5 operations: 2 done, 0 already, 3 failed" "$WORK/out" || fail "summary: $(cat "$WORK/out")"
grep -q "demo-errors.csv:3: create_user temp.one@acme.example .*INVALID_FIELD.*No such column 'Departmnt'" "$WORK/err" \
  || fail "line 3: $(cat "$WORK/err")"
grep -q "demo-errors.csv:4: create_user temp.two@acme.example .*INVALID_CROSS_REFERENCE_KEY" "$WORK/err" \
  || fail "line 4: $(cat "$WORK/err")"
grep -q "demo-errors.csv:5: grant permission_set Sales_Ops to temp.one@acme.example: .*line 3 did not succeed" "$WORK/err" \
  || fail "line 5: $(cat "$WORK/err")"
grep -q 'tests="5" failures="3"' "$WORK/errors.xml" || fail "junit counts"
grep -q 'type="INVALID_FIELD"' "$WORK/errors.xml" || fail "junit failure type"
emu_get /__admin/records/GroupMember | grep -q '"GroupId":"00G5g00000gR022EAC","UserOrGroupId":"0055g00000Dm029AAB"' \
  || fail "line 6 was not performed"
echo "ok Salesforce errors reported by row and user; the rest performed"

# A re-run compares every row with the org: the two that succeeded are
# `already`, the failed ones are tried again.
before=$(nwrites)
expect_exit 1 "$SFACCESS" apply "$errors" --yes
grep -q ": 5 operations: 0 done, 2 already, 3 failed$" "$WORK/out" \
  || fail "re-run: $(cat "$WORK/out")"
[ $(( $(nwrites) - before )) = 2 ] || fail "re-run wrote $(( $(nwrites) - before )) times, expected the 2 failed creates"
echo "ok re-run writes only the failed rows, the others already"
