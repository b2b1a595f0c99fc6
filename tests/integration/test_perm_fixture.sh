#!/usr/bin/env bash
# The who-can cross-check (test_perm_whocan.sh) on fixtures/orgs/perms.json,
# the small org whose effective permissions perms.md works out by hand.
export SFA_PERM_ORG="$SFA_SOURCE_DIR/fixtures/orgs/perms.json" SFA_PERM_LOGIN="admin@perms.example pw tok" \
  SFA_PERM_PARTIAL_DESCRIBE=1
bash "$(dirname "$0")/test_perm_whocan.sh" || exit 1

# What perms.md works out beyond who-can: the aggregate that disagrees,
# INSUFFICIENT_ACCESS, and the hostile labels through every format.
. "$(dirname "$0")/lib.sh"
org="$SFA_SOURCE_DIR/fixtures/orgs/perms.json"
emu_start "$org"
demo_login
export SFACCESS_USERNAME=admin@perms.example SFACCESS_PASSWORD=pw SFACCESS_SECURITY_TOKEN=tok
expect_exit 0 "$SFACCESS" --no-progress -v sync --sync-field-permissions
grep -q "Status Updated: its aggregate permission set has ModifyAllData" "$WORK/out" \
  || fail "sync -v: no disagreement line: $(grep -i 'permission set group' "$WORK/out")"
echo "ok sync -v reports the Updated aggregate that disagrees"

# ModifyAllData implies viewallfields where the org has it, and through it
# a read of every synced field (perms.md, admin and dana.dev; worked out by
# hand, independent of perm_whocan.js).
expect_exit 0 "$SFACCESS" who-can contact.phone:READ --format csv
node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" username via_type via_id implied_by <"$WORK/out" >"$WORK/got"
printf '%s\t%s\t%s\t%s\n' \
  admin@perms.example profile 00ePm0000000001IAA Contact:viewallfields \
  dana.dev@perms.example permission_set 0PSPm0000000006OAA Contact:viewallfields \
  helene.fields@perms.example permission_set 0PSPm0000000007OAA Contact:viewallfields >"$WORK/want"
diff -u "$WORK/want" "$WORK/got" >&2 || fail "who-can Contact.Phone:read"
expect_exit 0 "$SFACCESS" who-can Contact:viewallfields --format csv
node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" username via_type via_id implied_by <"$WORK/out" >"$WORK/got"
printf '%s\t%s\t%s\t%s\n' \
  admin@perms.example profile 00ePm0000000001IAA ModifyAllData \
  dana.dev@perms.example permission_set 0PSPm0000000006OAA ModifyAllData \
  helene.fields@perms.example permission_set 0PSPm0000000007OAA "" >"$WORK/want"
diff -u "$WORK/want" "$WORK/got" >&2 || fail "who-can Contact:viewallfields"
echo "ok ModifyAllData implies viewallfields and the field reads"

# Hostile labels and names come out as text in CSV (formula starts
# quoted), JSON (exact) and HTML (escaped).
expect_exit 0 "$SFACCESS" report permissions --all --format all --out "$WORK/rp"
node - "$WORK/rp/permissions.json" <<'JS' || fail "report JSON does not hold the hostile names exactly"
const d = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const seen = new Set(); for (const r of d.rows) for (const v of Object.values(r)) seen.add(v);
for (const w of ['Sales, "Ops" =SUM(A1)', 'Équipe Audit ✓', 'Reporting, "Bundle"', 'Hélène O\'Brien, "Jr." =1+1'])
  if (!seen.has(w)) throw new Error("missing " + w);
JS
grep -qF '"'"'"'Hélène O'"'"'Brien, ""Jr."" =1+1"' "$WORK/rp/permissions.csv" || grep -qF 'Hélène' "$WORK/rp/permissions.csv" \
  || fail "CSV lacks the hostile user name"
! grep -q '^=\|,=' "$WORK/rp/permissions.csv" || fail "CSV has a cell starting with ="
! grep -q '<script>alert\|=SUM(A1)</td>' "$WORK/rp/permissions.html" || fail "HTML has raw hostile markup"
expect_exit 0 "$SFACCESS" who-can RunReports --format csv
! grep -q '^=\|,=' "$WORK/out" || fail "who-can CSV has a cell starting with ="
expect_exit 0 "$SFACCESS" who-can "=cmd|' /C calc'!A0" --format json
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  if (!r.length || r.some((x) => x.permission !== "RunReports")) throw new Error("by its label");' "$WORK/out" \
  || fail "who-can by the formula label"
expect_exit 0 "$SFACCESS" report access --format all --out "$WORK/ra"
xmllint --noout --schema "$SFA_SOURCE_DIR/tests/junit-ant.xsd" "$WORK/ra/access-review.junit.xml" || fail "JUnit does not validate"
grep -q 'privileged-tier-0' "$WORK/ra/access-review.junit.xml" || fail "no tier 0 suite"
# Reporting_Bundle (0PG…3) is Outdated: the review flags every row through
# it, all chloe.both's (perms.md, user 4), and nothing else.
xmllint --xpath '//testsuite[@name="outdated-permission-set-group"]/testcase[failure]/@name' "$WORK/ra/access-review.junit.xml" \
  | tr '"' '\n' | grep -v '^ *name=$' | grep . >"$WORK/outdated"
[ -s "$WORK/outdated" ] && ! grep -v 'chloe.both@perms.example' "$WORK/outdated" && grep -q '0PGPm0000000003' "$WORK/outdated" \
  || fail "outdated findings: $(cat "$WORK/outdated")"
grep -q '"flags":"[^"]*outdated' "$WORK/ra/access-review.html" || grep -q 'outdated' "$WORK/ra/access-review.html" \
  || fail "the HTML review does not flag the outdated group"
echo "ok hostile names through CSV, JSON, HTML and JUnit"

# A sync user without View Setup and Configuration: the permission scans
# are refused, and the message says what to add.
rm -f "$SFACCESS_STORE"
export SFACCESS_USERNAME=nosetup@perms.example
expect_exit 1 "$SFACCESS" --no-progress sync
grep -q "INSUFFICIENT_ACCESS" "$WORK/err" && grep -q "View Setup and Configuration" "$WORK/err" \
  || fail "no advice: $(cat "$WORK/err")"
echo "ok INSUFFICIENT_ACCESS names View Setup and Configuration"

# An org whose PermissionSet describe has no Permissions* field: no
# described scan reads the object, so its own scan does, and the sync
# keeps every permission set.
kill "$EMU_PID"; wait "$EMU_PID" 2>/dev/null || true; EMU_PID=""
node -e 'const fs = require("fs"); const d = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  d.permission_fields = [];
  for (const o of ["PermissionSet", "MutingPermissionSet", "Profile"])
    for (const r of d.records[o] || []) for (const k of Object.keys(r)) if (k.startsWith("Permissions")) delete r[k];
  fs.writeFileSync(process.argv[2], JSON.stringify(d));' \
  "$SFA_SOURCE_DIR/fixtures/orgs/demo.json" "$WORK/no-perm-fields.json"
emu_start "$WORK/no-perm-fields.json"
demo_login
rm -f "$SFACCESS_STORE"
expect_exit 0 "$SFACCESS" --no-progress -v sync
want=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).records.PermissionSet.length)' \
  "$SFA_SOURCE_DIR/fixtures/orgs/demo.json")
[ "$(sqlite3 "$SFACCESS_STORE" "SELECT count(*) FROM sf_permission_set")" = "$want" ] \
  || fail "permission sets of an org without Permissions* fields: $(sqlite3 "$SFACCESS_STORE" "SELECT count(*) FROM sf_permission_set") of $want"
echo "ok a PermissionSet describe without Permissions* fields: the object is still read ($want permission sets)"
