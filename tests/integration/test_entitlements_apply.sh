#!/usr/bin/env bash
# Provisioning of permission set licences, package licences and territories
# (fixtures/changes/entitlements.csv on fixtures/orgs/entitlements.json):
# validation, done / already / Salesforce's refusal per row, the journal on
# a re-run, JUnit, the next sync's diff, and the licence seat arithmetic.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/entitlements.json"
export SFACCESS_DOMAIN="$EMU_URL" SFACCESS_USERNAME=admin@ent.example \
       SFACCESS_PASSWORD=pw SFACCESS_SECURITY_TOKEN=tok
changes="$SFA_SOURCE_DIR/fixtures/changes/entitlements.csv"
ent=(--sync-territories --sync-entitlements)
records() { emu_get "/__admin/records/$1" | node -e "
  const r = JSON.parse(require('fs').readFileSync(0, 'utf8')); console.log(r.filter((x) => $2).length)"; }

# Validation: a planning model's territory and a custom permission are refused,
# every problem with its line, nothing written.
cat >"$WORK/bad.csv" <<'CSV'
op,resource_type,resource,user,fields,comment
grant,territory,Future_EMEA,alice@ent.example,,
grant,custom_permission,Approve_Discounts,alice@ent.example,,
grant,package_license,nosuch,alice@ent.example,,
CSV
expect_exit 2 "$SFACCESS" apply "$WORK/bad.csv" --yes
grep -q "bad.csv:2: unknown territory of the active model \`Future_EMEA\`" "$WORK/err" || fail "planning territory: $(cat "$WORK/err")"
grep -q "bad.csv:3: custom permissions are not provisioned" "$WORK/err" || fail "custom permission: $(cat "$WORK/err")"
grep -q "bad.csv:4: unknown package licence \`nosuch\`" "$WORK/err" || fail "package: $(cat "$WORK/err")"
echo "ok validation"

expect_exit 0 "$SFACCESS" --no-progress sync "${ent[@]}"
expect_exit 1 "$SFACCESS" apply "$changes" --yes --junit "$WORK/apply.xml"
out="$WORK/apply.out"; cp "$WORK/out" "$out"
for want in "line 5     done    grant permission_set_license KnowledgeUser to carol" \
            "line 6     done    grant package_license dsfs to alice" \
            "line 7     done    grant territory UK to alice" \
            "line 8     already grant permission_set_license CRMUserPsl to alice" \
            "line 9     FAILED  revoke permission_set_license SalesConsoleUser from alice" \
            "line 10    done    revoke package_license SBQQ from carol" \
            "line 11    done    revoke territory EMEA from alice" \
            "line 12    already revoke territory EMEA from dave"; do
  grep -qF "$want" "$out" || fail "missing: $want: $(cat "$out")"
done
grep -q "8 operations: 5 done, 2 already, 1 failed" "$out" || fail "summary: $(cat "$out")"
grep -q "changes.csv:9: .*FIELD_INTEGRITY_EXCEPTION.*Console Access" "$WORK/err" \
  || grep -q "entitlements.csv:9: .*FIELD_INTEGRITY_EXCEPTION.*Console Access" "$WORK/err" \
  || fail "the refusal is not Salesforce's: $(cat "$WORK/err")"
[ "$(grep -c '<testcase ' "$WORK/apply.xml")" = 8 ] || fail "junit: not a testcase per operation"
grep -q 'tests="8" failures="1"' "$WORK/apply.xml" || fail "junit counts: $(head -c 600 "$WORK/apply.xml")"
[ "$(records PermissionSetLicenseAssign "x.PermissionSetLicenseId === '0PL5eE000000002GBA'")" = 2 ] \
  || fail "the refused licence was removed"
[ "$(records UserTerritory2Association "x.UserId === '0055eE000000002ABA'")" = 1 ] || fail "alice's territories"
echo "ok apply: 5 done, 2 already, the licence a permission set needs refused"

# A re-run compares with the org again (lib/apply/CHANGEFILE.md): what the first
# run wrote is now `already`, nothing is `done`, the refusal fails again.
expect_exit 1 "$SFACCESS" apply "$changes" --yes
grep -q ": 8 operations: 0 done, 7 already, 1 failed" "$WORK/out" || fail "re-run: $(cat "$WORK/out")"
echo "ok re-run"

# The next sync's diff is the done operations, and a package licence
# installed meanwhile is a resource added.
emu_post /__admin/mutate '[{"op":"insert","object":"PackageLicense","record":{"NamespacePrefix":"newpkg","AllowedLicenses":3,"UsedLicenses":0}}]' >/dev/null
expect_exit 0 "$SFACCESS" --no-progress sync "${ent[@]}"
expect_exit 0 "$SFACCESS" diff --format csv
node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" change access_type access_name <"$WORK/out" \
  | grep -qx 'resource_added	package_license	newpkg' || fail "the new package licence is not a resource added: $(cat "$WORK/out")"
node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" change username access_type access_name via_type <"$WORK/out" \
  | awk -F'\t' '($1 == "added" || $1 == "removed") && $5 == "direct"' | LC_ALL=C sort >"$WORK/got.tsv"
printf '%s\n' "added	alice@ent.example	package_license	dsfs	direct" \
  "added	alice@ent.example	territory	United Kingdom	direct" \
  "added	carol@ent.example	permission_set_license	Knowledge User	direct" \
  "removed	alice@ent.example	territory	EMEA	direct" \
  "removed	carol@ent.example	package_license	SBQQ	direct" | LC_ALL=C sort >"$WORK/want.tsv"
diff -u "$WORK/want.tsv" "$WORK/got.tsv" >&2 || fail "the diff after apply is not the change file"
echo "ok diff after apply"

# Licence seats: used against total, and the seats on inactive users (carol).
expect_exit 0 "$SFACCESS" report access --format json --format html --out "$WORK/r"
node -e '
  const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const s = Object.fromEntries(d.license_seats.map((x) => [x.name, x]));
  const want = { "Knowledge User": [10, 1, 9, 1, 1], "CRM User": [5, 3, 2, 3, 1], "Sales Console User": [2, 2, 0, 2, 0],
    SBQQ: [10, 1, 9, 1, 0], dsfs: [-1, 2, null, 2, 0] };
  for (const [n, [total, used, free, assigned, inactive]] of Object.entries(want)) {
    const x = s[n];
    const got = x && [x.total, x.used, x.free, x.assigned, x.assigned_to_inactive_users];
    if (JSON.stringify(got) !== JSON.stringify([total, used, free, assigned, inactive])) {
      console.error(n, JSON.stringify(got)); process.exit(1); }
  }
  // The role in the territory, kept with the association.
  const m = d.territory_members.map((x) => `${x.user_id} ${x.territory_id} ${x.role_in_territory}`).sort();
  const want_m = ["0055eE000000002ABA 0MI5eE000000002GBA null", "0055eE000000003ABA 0MI5eE000000002GBA Sales Rep"];
  if (JSON.stringify(m) !== JSON.stringify(want_m)) { console.error(JSON.stringify(m)); process.exit(1); }' \
  "$WORK/r/access-review.json" || fail "licence seats or territory members"
grep -q 'Licence seats on inactive users' "$WORK/r/access-review.html" || fail "no licence card"
grep -q 'Knowledge User licence seats' "$WORK/r/access-review.html" || fail "no Knowledge User seats"
echo "ok licence seats"
