#!/usr/bin/env bash
# apply of fixtures/changes/demo-all-ops.csv (every operation of
# lib/apply/CHANGEFILE.md) to the demo org: each one is done, the next sync's diff is
# exactly the change file, and running it again changes nothing.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
changes="$SFA_SOURCE_DIR/fixtures/changes/demo-all-ops.csv"
lp=(--license-profile "Salesforce=Minimum Access - Salesforce")

# Writes the emulator has seen: POST, PATCH and DELETE requests.
writes() {
  emu_get /__admin/stats | node -e '
    const s = JSON.parse(require("fs").readFileSync(0, "utf8")).by_route;
    console.log(Object.entries(s).filter(([k]) => /^(POST|PATCH|DELETE) \/services\/data\//.test(k))
      .reduce((n, [, v]) => n + v, 0));'
}

expect_exit 0 "$SFACCESS" --no-progress sync
sha=$(sha256sum "$changes" | cut -d' ' -f1)

# --dry-run shows the operations and the hash and changes nothing.
expect_exit 0 "$SFACCESS" apply "$changes" --dry-run "${lp[@]}"
grep -q "SHA-256 $sha" "$WORK/out" || fail "dry run does not show the file's SHA-256"
grep -q "13 operations, in execution order" "$WORK/out" || fail "dry run: $(cat "$WORK/out")"
[ "$(writes)" = 0 ] || fail "--dry-run wrote to the org"

# Execution order: create_user, grants, revokes, set_status.
order=$(sed -n 's/^  line \([0-9]*\) .*/\1/p' "$WORK/out" | tr '\n' ' ')
[ "$order" = "4 5 6 7 8 9 10 11 12 13 14 15 16 " ] || fail "execution order: $order"

# Without a terminal and without --yes: refused.
expect_exit 2 "$SFACCESS" apply "$changes" "${lp[@]}"
grep -q "with --yes" "$WORK/err" || fail "no --yes: $(cat "$WORK/err")"
# --sha256 of another file: refused.
expect_exit 2 "$SFACCESS" apply "$changes" --yes --sha256 "$(printf x | sha256sum | cut -d' ' -f1)" "${lp[@]}"
grep -q "refusing" "$WORK/err" || fail "--sha256 mismatch: $(cat "$WORK/err")"
[ "$(writes)" = 0 ] || fail "a refused apply wrote to the org"

expect_exit 0 "$SFACCESS" apply "$changes" --yes --sha256 "$sha" --junit "$WORK/apply.xml" "${lp[@]}"
grep -q ": 13 operations: 13 done, 0 already, 0 failed" "$WORK/out" || fail "summary: $(cat "$WORK/out")"
grep -q "moved to profile Minimum Access - Salesforce" "$WORK/out" || fail "profile revoke did not use the license map"
[ "$(grep -c '<testcase ' "$WORK/apply.xml")" = 13 ] || fail "junit: not a testcase per operation"
grep -q 'tests="13" failures="0"' "$WORK/apply.xml" || fail "junit counts"
echo "ok apply: 13 done"

# The new user: defaults, pass-through field, profile by name.
emu_get /__admin/records/User | node -e '
  const u = JSON.parse(require("fs").readFileSync(0, "utf8")).filter((r) => r.Username === "new.hire@acme.example");
  if (u.length !== 1) { console.error("users named new.hire:", u.length); process.exit(1); }
  const r = u[0], want = { LocaleSidKey: "en_US", LanguageLocaleKey: "en_US", EmailEncodingKey: "UTF-8",
    Department: "R&D; Tools", Alias: "nhire", ProfileId: "00e5g00000pF002AAC", TimeZoneSidKey: "America/New_York", IsActive: true };
  for (const [k, v] of Object.entries(want)) if (r[k] !== v) { console.error(k, r[k], "!=", v); process.exit(1); }' \
  || fail "created user"

# The next snapshot's diff is the change file.  Normalised: direct access
# rows added or removed, and IsActive changes.  The Organization group
# (All Internal Users) follows who is active and is not provisioned, and
# rows via a role, group or permission set group follow the direct ones.
expect_exit 0 "$SFACCESS" --no-progress sync
expect_exit 0 "$SFACCESS" diff --format csv
node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" change field new_value username access_type access_id via_type \
  <"$WORK/out" | awk -F'\t' '
    ($1 == "added" || $1 == "removed") && $7 == "direct" && $6 != "00G5g00000gR001EAC" { print $1 "\t" $4 "\t" $5 "\t" $6 }
    $1 == "changed" && $2 == "IsActive" { print "status\t" $4 "\tIsActive\t" $3 }' \
  | LC_ALL=C sort >"$WORK/got.tsv"
diff -u "$SFA_SOURCE_DIR/fixtures/changes/demo-all-ops.expected.tsv" "$WORK/got.tsv" >&2 \
  || fail "the diff after apply is not the change file"
echo "ok diff after apply equals the change file"

# Again: the run finished, so every line is compared with the org; all
# `already`, nothing is written, nothing claims to be done.
before=$(writes)
expect_exit 0 "$SFACCESS" apply "$changes" --yes "${lp[@]}"
grep -q ": 13 operations: 0 done, 13 already, 0 failed$" "$WORK/out" || fail "re-run: $(cat "$WORK/out")"
! grep -q "settled" "$WORK/out" || fail "a finished run settled lines: $(cat "$WORK/out")"
# The same operations in another file (another hash): all `already`.
{ cat "$changes"; echo "# a copy"; } >"$WORK/copy.csv"
expect_exit 0 "$SFACCESS" apply "$WORK/copy.csv" --yes "${lp[@]}"
grep -q ": 13 operations: 0 done, 13 already, 0 failed" "$WORK/out" || fail "copy: $(cat "$WORK/out")"
[ "$(writes)" = "$before" ] || fail "re-running wrote to the org"
echo "ok re-run: the org is compared again, live state says already"
