#!/usr/bin/env bash
# An org without some permission objects and fields (lib/access/PERMISSIONS.md, bad
# input): fixtures/orgs/perms.json without FieldPermissions and without
# ObjectPermissions.PermissionsViewAllFields.  Each is skipped with one
# `-v` line and the sync completes; ModifyAllData then implies the six
# record actions and no viewallfields (it exists only where synced).
. "$(dirname "$0")/lib.sh"

node -e '
const fs = require("fs");
const d = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
d.absent = { objects: ["FieldPermissions"], fields: { ObjectPermissions: ["PermissionsViewAllFields"] } };
delete d.records.FieldPermissions;
for (const r of d.records.ObjectPermissions) delete r.PermissionsViewAllFields;
fs.writeFileSync(process.argv[2], JSON.stringify(d));
' "$SFA_SOURCE_DIR/fixtures/orgs/perms.json" "$WORK/absent.json"
emu_start "$WORK/absent.json"
demo_login
export SFACCESS_USERNAME=admin@perms.example SFACCESS_PASSWORD=pw SFACCESS_SECURITY_TOKEN=tok

expect_exit 0 "$SFACCESS" --no-progress -v sync --sync-field-permissions
grep -q "^snapshot 1 complete" "$WORK/out" || fail "sync: $(cat "$WORK/out")"
[ "$(grep -c '^skipped: ObjectPermissions.PermissionsViewAllFields: the org has no such field$' "$WORK/out")" = 1 ] \
  || fail "no -v line for PermissionsViewAllFields: $(grep -i skipped "$WORK/out")"
[ "$(grep -c '^skipped: FieldPermissions: the org has no such object (NOT_FOUND)$' "$WORK/out")" = 1 ] \
  || fail "no -v line for FieldPermissions: $(grep -i FieldPermissions "$WORK/out")"
echo "ok the missing object and field are skipped with a -v line each"

# admin (System Administrator, ModifyAllData): on Contact (as on every
# object) the six record actions, implied (the profile has no object rows),
# and no viewallfields.
expect_exit 0 "$SFACCESS" permissions admin@perms.example --object Contact --format csv
node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" permission implied_by <"$WORK/out" | grep '^Contact' >"$WORK/got"
printf 'Contact:%s\tModifyAllData\n' create delete edit modifyall read viewall >"$WORK/want"
diff -u "$WORK/want" "$WORK/got" >&2 || fail "admin's Contact rows"
expect_exit 2 "$SFACCESS" who-can Contact:viewallfields
grep -q "unknown action \`viewallfields\` in \`Contact:viewallfields\`: the snapshot's ObjectPermissions have no PermissionsViewAllFields" "$WORK/err" \
  || fail "viewallfields without the field: $(cat "$WORK/err")"
expect_exit 2 "$SFACCESS" who-can Contact.Phone:read
grep -q "unknown field" "$WORK/err" || fail "a field without FieldPermissions: $(cat "$WORK/err")"
expect_exit 0 "$SFACCESS" who-can ModifyAllData --format csv
[ "$(node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" username <"$WORK/out" | tr '\n' ' ')" = "admin@perms.example dana.dev@perms.example " ] \
  || fail "who-can ModifyAllData: $(cat "$WORK/out")"
echo "ok ModifyAllData implies no viewallfields where the org lacks it"
