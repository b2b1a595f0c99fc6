#!/usr/bin/env bash
# who-can, permissions and report permissions on an org synced from the
# emulator, cross-checked against an independent computation of
# lib/access/PERMISSIONS.md's rules from the dataset (perm_whocan.js).
. "$(dirname "$0")/lib.sh"

# The org: the demo org, or another dataset with its admin login
# (SFA_PERM_ORG, SFA_PERM_LOGIN="username password token"), or one the
# generator writes (SFA_PERM_GENERATE="--users N ..."); SFA_PERM_SAMPLE
# asks at most that many permissions, spread over the list.
js="$SFA_SOURCE_DIR/tests/integration"
org="${SFA_PERM_ORG:-$SFA_SOURCE_DIR/fixtures/orgs/demo.json}"
if [ -n "${SFA_PERM_GENERATE:-}" ]; then
  org="$WORK/generated.json"
  # shellcheck disable=SC2086
  node "$SFA_SOURCE_DIR/tests/emulator/generate.js" $SFA_PERM_GENERATE >"$org"
fi
emu_start "$org"
demo_login
if [ -n "${SFA_PERM_LOGIN:-}" ]; then
  read -r SFACCESS_USERNAME SFACCESS_PASSWORD SFACCESS_SECURITY_TOKEN <<<"$SFA_PERM_LOGIN"
elif [ -n "${SFA_PERM_GENERATE:-}" ]; then
  read -r SFACCESS_USERNAME SFACCESS_PASSWORD SFACCESS_SECURITY_TOKEN < <(node -e '
    const u = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).auth.users[0];
    console.log(u.username, u.password, u.security_token);' "$org")
fi
expect_exit 0 "$SFACCESS" --no-progress sync --sync-field-permissions

# Every permission worth asking (or a sample), one who-can each, against
# the recount.
node "$js/perm_whocan.js" "$org" --list >"$WORK/all-whats"
[ -s "$WORK/all-whats" ] || fail "the dataset names no permission"
if [ -n "${SFA_PERM_SAMPLE:-}" ]; then
  awk -v n="$(wc -l <"$WORK/all-whats")" -v k="$SFA_PERM_SAMPLE" \
    'n <= k || NR % int(n / k + 1) == 1 || /^(ModifyAllData|ViewAllData)$/' "$WORK/all-whats" >"$WORK/whats"
else
  cp "$WORK/all-whats" "$WORK/whats"
fi
n=0
while IFS= read -r what; do
  node "$js/perm_whocan.js" "$org" "$what" | cut -f2- >"$WORK/want"
  expect_exit 0 "$SFACCESS" who-can "$what" --format csv
  node "$js/csvcols.js" username via_type via_id granted_by implied_by <"$WORK/out" >"$WORK/got"
  diff -u "$WORK/want" "$WORK/got" >&2 || fail "who-can $what differs from the recount"
  n=$((n + 1))
done <"$WORK/whats"
echo "ok who-can agrees with the recount on $n permissions"

# The columns, exactly.
expect_exit 0 "$SFACCESS" who-can ModifyAllData --format csv
head -1 "$WORK/out" | tr -d '\r' | grep -qx 'username,user_id,name,is_active,user_type,permission,via_type,via_id,via_name,granted_by,implied_by,tier' \
  || fail "who-can CSV header: $(head -1 "$WORK/out")"
expect_exit 0 "$SFACCESS" who-can permissionsmodifyalldata --format json
node -e '
const rows = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const keys = "username,user_id,name,is_active,user_type,permission,via_type,via_id,via_name,granted_by,implied_by,tier";
if (!rows.length) throw new Error("no rows");
for (const r of rows) {
  if (Object.keys(r).join(",") !== keys) throw new Error("keys " + Object.keys(r));
  if (r.permission !== "ModifyAllData" || r.tier !== 0 || typeof r.is_active !== "boolean" || r.user_id.length !== 18)
    throw new Error(JSON.stringify(r));
}' "$WORK/out" || fail "who-can JSON rows"
echo "ok who-can columns in CSV and JSON"

# Unknown names exit 2 with the closest names; a known name nobody holds
# prints nothing.
expect_exit 2 "$SFACCESS" who-can ModifyAlData
grep -q "did you mean ModifyAllData" "$WORK/err" || fail "no suggestion: $(cat "$WORK/err")"
expect_exit 2 "$SFACCESS" permissions nobody@nowhere.example
grep -q "nobody@nowhere.example" "$WORK/err" || fail "unknown user not named: $(cat "$WORK/err")"
unheld=$(while IFS= read -r w; do
  [ -z "$(node "$js/perm_whocan.js" "$org" "$w")" ] && { echo "$w"; break; }; done <"$WORK/whats" || true)
if [ -n "$unheld" ]; then
  expect_exit 0 "$SFACCESS" who-can "$unheld" --format csv
  [ "$(wc -l <"$WORK/out")" = 1 ] || fail "who-can $unheld printed rows: $(cat "$WORK/out")"
  echo "ok $unheld, held by nobody, prints only the header"
fi
echo "ok unknown names"

# permissions USER holds the user's rows of every permission.
user=$(node "$js/perm_whocan.js" "$org" ModifyAllData | head -1 | cut -f2)
expect_exit 0 "$SFACCESS" permissions "$user" --format csv
node "$js/csvcols.js" permission via_type via_id granted_by implied_by <"$WORK/out" | LC_ALL=C sort >"$WORK/got"
# shellcheck disable=SC2046
node "$js/perm_whocan.js" "$org" $(cat "$WORK/all-whats") | awk -F'\t' -v u="$user" '$2 == u' | cut -f1,3- \
  | LC_ALL=C sort >"$WORK/want"
diff -u "$WORK/want" "$WORK/got" >&2 || fail "permissions $user differs from the recount"
echo "ok permissions $user: $(wc -l <"$WORK/got") rows"

# report permissions: the privileged rows in every format, with a manifest
# that verifies; the CSV rows are who-can's for the privileged names.
expect_exit 0 "$SFACCESS" report permissions --format all --out "$WORK/rp"
for f in permissions.csv permissions.html permissions.json manifest.json; do
  [ -s "$WORK/rp/$f" ] || fail "report permissions wrote no $f"
done
expect_exit 0 "$SFACCESS" verify "$WORK/rp"
expect_exit 0 "$SFACCESS" who-can ModifyAllData --format csv
tail -n +2 "$WORK/out" | while IFS= read -r line; do
  grep -qxF "$line" "$WORK/rp/permissions.csv" || fail "report lacks who-can row: $line"
done
expect_exit 2 "$SFACCESS" report permissions --format junit --out "$WORK/rj"
expect_exit 2 "$SFACCESS" report permissions --privileged --all --format csv --out "$WORK/rj"
echo "ok report permissions"

# A permission set given a privileged permission: each holder gains an
# added privileged row in the diff, though no assignment changed.
holders=$("$SFACCESS" who-can ViewAllData --format csv | tail -n +2 | wc -l)
ps=$(node -e '
  const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const held = new Set(d.records.PermissionSetAssignment.filter((a) => !a.PermissionSetGroupId).map((a) => a.PermissionSetId));
  const ps = d.records.PermissionSet.find((p) => !p.IsOwnedByProfile && !p.PermissionSetGroupId && held.has(p.Id) && !p.PermissionsViewAllData);
  console.log(ps.Id);' "$org")
emu_post /__admin/mutate "[{\"op\": \"update\", \"object\": \"PermissionSet\", \"id\": \"$ps\", \"fields\": {\"PermissionsViewAllData\": true}}]" >/dev/null
expect_exit 0 "$SFACCESS" --no-progress sync --sync-field-permissions
expect_exit 0 "$SFACCESS" diff --format csv
gained=$(node "$js/csvcols.js" change access_type access_id via_id <"$WORK/out" | awk -F'\t' -v ps="$ps" '$1 == "added" && $2 == "system_permission" && $3 == "ViewAllData" && $4 == ps' | wc -l)
expect_exit 0 "$SFACCESS" who-can ViewAllData --format csv
[ "$gained" -gt 0 ] && [ "$gained" = "$(node "$js/csvcols.js" via_id <"$WORK/out" | grep -cx "$ps")" ] \
  || fail "diff: $gained added ViewAllData rows through $ps"
echo "ok diff: $gained users gained View All Data through $ps (of $holders before)"

# A snapshot synced without permissions says so.  (Without permissions
# the PermissionSet scan asks for its five privileged flags by name, as
# before them: a dataset whose describe lacks one cannot be read so.)
[ -n "${SFA_PERM_PARTIAL_DESCRIBE:-}" ] && exit 0
rm -f "$SFACCESS_STORE"
expect_exit 0 "$SFACCESS" --no-progress sync --no-sync-permissions
expect_exit 1 "$SFACCESS" who-can ModifyAllData
grep -q "holds no permissions" "$WORK/err" || fail "no message: $(cat "$WORK/err")"
echo "ok --no-sync-permissions"
