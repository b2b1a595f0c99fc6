#!/usr/bin/env bash
# Who made a change (EVIDENCE.md, Audit trail): the change report gives
# each change its audit_entries and applied_by (the apply journal), and
# flags out_of_band the changes with neither, in JSON, HTML and JUnit.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
expect_exit 0 "$SFACCESS" --no-progress sync
sleep 1.1 # the changes come after snapshot 1's capture time

# 1. Deactivated in Setup, which the audit trail records (by username).
emu_post /__admin/mutate '[{"op": "update", "object": "User", "id": "0055g00000Dm004AAB", "fields": {"IsActive": false},
  "audit": {"action": "deactivateduser", "section": "Manage Users",
            "display": "Deactivated user carla.mendes@acme.example", "by": "admin@acme.example"}}]' >/dev/null
# 2. Deactivated with no audit entry: out of band.
emu_post /__admin/mutate '[{"op": "update", "object": "User", "id": "0055g00000Dm005AAB", "fields": {"IsActive": false}}]' >/dev/null
# 3. A group membership granted by sfaccess apply.
cat >"$WORK/grant.csv" <<'CSV'
op,resource_type,resource,user,fields,comment
grant,group,Deal_Desk,sara.ahmed@acme.example,,public group
CSV
sha=$(sha256sum "$WORK/grant.csv" | cut -d' ' -f1)
expect_exit 0 "$SFACCESS" apply "$WORK/grant.csv" --yes --sha256 "$sha"
sleep 1.1
expect_exit 0 "$SFACCESS" --no-progress sync
expect_exit 0 "$SFACCESS" report changes --format all --out "$WORK/chg"

js() { node -e "const d = JSON.parse(require('fs').readFileSync('$WORK/chg/changes.json'));
  const all = Object.values(d).filter(Array.isArray).flat(); $1"; }
js "const c = all.filter((x) => x.user_id === '0055g00000Dm004AAB');
  if (!c.length || c.some((x) => x.out_of_band || x.applied_by !== null || x.audit_entries.length !== 1
      || x.audit_entries[0].action !== 'deactivateduser' || x.audit_entries[0].created_by !== 'admin@acme.example')) {
    console.error(JSON.stringify(c)); process.exit(1); }" || fail "the audited change"
js "const c = all.filter((x) => x.user_id === '0055g00000Dm005AAB');
  if (!c.length || c.some((x) => !x.out_of_band || x.applied_by !== null || x.audit_entries.length)) {
    console.error(JSON.stringify(c)); process.exit(1); }" || fail "the out-of-band change"
js "const c = all.filter((x) => x.username === 'sara.ahmed@acme.example');
  if (!c.length || c.some((x) => x.out_of_band || x.applied_by !== 'sfaccess apply $sha')) {
    console.error(JSON.stringify(c)); process.exit(1); }" || fail "the applied change"
echo "ok JSON: audit_entries, applied_by, out_of_band"

grep -q 'out_of_band' "$WORK/chg/changes.html" || fail "HTML has no out_of_band flag"
grep -q "applied_by:$sha" "$WORK/chg/changes.html" || fail "HTML has no applied_by"
grep -q 'audit:deactivateduser' "$WORK/chg/changes.html" || fail "HTML has no audit tag"
grep -q 'type="out-of-band-change"' "$WORK/chg/changes.junit.xml" || fail "JUnit has no out-of-band-change"
grep -q "applied by sfaccess apply $sha" "$WORK/chg/changes.junit.xml" || fail "JUnit has no applied by"
[ "$(grep -c 'type="out-of-band-change"' "$WORK/chg/changes.junit.xml")" = \
  "$(js "console.log(all.filter((x) => x.out_of_band).length)")" ] || fail "JUnit and JSON disagree on out_of_band"
expect_exit 0 "$SFACCESS" verify "$WORK/chg" --store "$SFACCESS_STORE"
echo "ok HTML and JUnit flag out_of_band; reproduced"
