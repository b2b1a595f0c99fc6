#!/usr/bin/env bash
# first_seen_at across three syncs of the demo org: a row present in 1 and
# 3 but not 2 (Xiaoming's direct Report Builder assignment, deleted then
# re-created) gets snapshot 3's capture time; a row in all three keeps
# snapshot 1's.  The diffs 1->2 and 2->3 show it removed, then added.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
psa='{"AssigneeId": "0055g00000Dm007AAB", "PermissionSetId": "0PS5g00000pS012GAC", "PermissionSetGroupId": null, "IsActive": true, "ExpirationDate": null, "SystemModstamp": "2026-02-02T09:00:00.000+0000"}'

sync_at() { expect_exit 0 "$SFACCESS" --no-progress sync; sleep 1.1; }
sync_at
emu_post /__admin/mutate '[{"op": "delete", "object": "PermissionSetAssignment", "id": "0Pa5g00000aS047CAC"}]' >/dev/null
sync_at
emu_post /__admin/mutate "[{\"op\": \"insert\", \"object\": \"PermissionSetAssignment\", \"record\": $psa}]" >/dev/null
sync_at

expect_exit 0 "$SFACCESS" snapshots --format csv
t1=$(node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" id started_at <"$WORK/out" | awk -F'\t' '$1 == 1 {print $2}')
t3=$(node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" id started_at <"$WORK/out" | awk -F'\t' '$1 == 3 {print $2}')
[ -n "$t1" ] && [ -n "$t3" ] && [ "$t1" != "$t3" ] || fail "capture times: '$t1' '$t3'"

expect_exit 0 "$SFACCESS" report access --format csv --out "$WORK/r3"
node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" username access_type access_id via_type first_seen_at \
  <"$WORK/r3/access-review.csv" >"$WORK/seen.tsv"
grep -qx $'xiaoming.wang@acme.example\tpermission_set\t0PS5g00000pS012GAC\tdirect\t'"$t3" "$WORK/seen.tsv" \
  || fail "re-added row: $(grep xiaoming "$WORK/seen.tsv")"
grep -qx $'xiaoming.wang@acme.example\tpermission_set\t0PS5g00000pS012GAC\tpermission_set_group\t'"$t1" "$WORK/seen.tsv" \
  || fail "row in every snapshot: $(grep xiaoming "$WORK/seen.tsv")"
grep -qx $'xiaoming.wang@acme.example\tprofile\t00e5g00000pF003AAC\tdirect\t'"$t1" "$WORK/seen.tsv" \
  || fail "profile row: $(grep xiaoming "$WORK/seen.tsv")"
echo "ok first_seen_at: snapshot 3 for the row missing from 2, snapshot 1 for rows in all"

expect_exit 0 "$SFACCESS" diff --from 1 --to 2 --format csv
node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" change username access_id via_type <"$WORK/out" >"$WORK/d12.tsv"
[ "$(cat "$WORK/d12.tsv")" = $'removed\txiaoming.wang@acme.example\t0PS5g00000pS012GAC\tdirect' ] \
  || fail "diff 1->2: $(cat "$WORK/d12.tsv")"
expect_exit 0 "$SFACCESS" diff --format csv
node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" change username access_id first_seen_at <"$WORK/out" >"$WORK/d23.tsv"
[ "$(cat "$WORK/d23.tsv")" = $'added\txiaoming.wang@acme.example\t0PS5g00000pS012GAC\t'"$t3" ] \
  || fail "diff 2->3: $(cat "$WORK/d23.tsv")"
echo "ok the diffs show the row removed, then added with a new first_seen_at"
