#!/usr/bin/env bash
# Control totals, the post-scan recount (drift) and the population
# reconciliation of a sync of the demo org (EVIDENCE.md).  Every expected
# number is a count of fixtures/orgs/demo.json's records, by hand.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
q() { sqlite3 -separator '|' "$SFACCESS_STORE" "$1"; }

# 1. A plain sync: one control row per object, received = stored =
# org_count, and 11 scans + 3 recounts + 1 grouped count + the audit
# trail's one page = 16 requests.
expect_exit 0 "$SFACCESS" --no-progress sync --no-login-history --no-sync-permissions
got=$(q "SELECT object, method, api_version, org_count, received, stored, requests
         FROM snapshot_control WHERE snapshot_id = 1 ORDER BY seq")
want="UserLicense|rest|64.0|8|8|8|1
Profile|rest|64.0|10|10|10|1
UserRole|rest|64.0|7|7|7|1
User|rest|64.0|40|40|33|1
UserLogin|rest|64.0|38|38|38|1
Group|rest|64.0|32|32|32|1
GroupMember|rest|64.0|23|23|23|1
PermissionSet|rest|64.0|28|28|28|1
PermissionSetGroup|rest|64.0|4|4|4|1
PermissionSetGroupComponent|rest|64.0|9|9|9|1
PermissionSetAssignment|rest|64.0|72|72|72|1"
[ "$got" = "$want" ] || fail "control totals: got
$got"
[ "$(q "SELECT soql FROM snapshot_control WHERE snapshot_id = 1 AND object = 'User'")" = \
  "SELECT Id, Username, Name, FirstName, LastName, Email, IsActive, UserType, ProfileId, UserRoleId, ManagerId, Manager.Username, LastLoginDate, CreatedDate, FederationIdentifier, Profile.UserLicense.Name, Profile.UserLicense.LicenseDefinitionKey FROM User" ] \
  || fail "User's soql is not the scan's query"
# The demo org's 7 non-Standard users, by UserType: every user is read and
# the sync's options are applied to each record, so that the users left out
# are recorded (issue 13) and counted here.
[ "$(q "SELECT excluded FROM snapshot_control WHERE snapshot_id = 1 AND object = 'User'")" = \
  '{"user_type:AutomatedProcess":1,"user_type:CsnOnly":1,"user_type:CspLitePortal":1,"user_type:Guest":1,"user_type:PowerPartner":3}' ] \
  || fail "User excluded: $(q "SELECT excluded FROM snapshot_control WHERE object = 'User'")"
[ "$(q "SELECT count(*) FROM snapshot_control WHERE snapshot_id = 1 AND (started_at NOT LIKE '20__-__-__T__:__:__Z' OR finished_at < started_at)")" = 0 ] \
  || fail "scan times are not UTC ISO 8601 in order"
[ "$(q "SELECT count(*) FROM snapshot_drift")" = 0 ] || fail "drift without a change"
got=$(q "SELECT is_active, user_type, org_count, in_scope, reason FROM snapshot_reconciliation
         WHERE snapshot_id = 1 ORDER BY is_active DESC, user_type")
want="1|AutomatedProcess|1|0|user_type:AutomatedProcess
1|CsnOnly|1|0|user_type:CsnOnly
1|CspLitePortal|1|0|user_type:CspLitePortal
1|Guest|1|0|user_type:Guest
1|PowerPartner|2|0|user_type:PowerPartner
1|Standard|29|29|
0|PowerPartner|1|0|user_type:PowerPartner
0|Standard|4|4|"
[ "$got" = "$want" ] || fail "reconciliation: got
$got"
[ "$(emu_get /__admin/stats | node -pe 'JSON.parse(require("fs").readFileSync(0)).api_requests')" = 16 ] \
  || fail "a sync of the demo org should cost 16 API requests: $(emu_get /__admin/stats)"
echo "ok control totals, reconciliation, 16 requests"

# 2. --no-sync-deactivated-users: the 4 inactive Standard users are out,
# for that reason; the inactive partner is out for its type first.
expect_exit 0 "$SFACCESS" --no-progress sync --no-login-history --no-sync-permissions --no-sync-deactivated-users
[ "$(q "SELECT org_count || ' ' || excluded FROM snapshot_control WHERE snapshot_id = 2 AND object = 'User'")" = \
  '40 {"deactivated":4,"user_type:AutomatedProcess":1,"user_type:CsnOnly":1,"user_type:CspLitePortal":1,"user_type:Guest":1,"user_type:PowerPartner":3}' ] \
  || fail "deactivated excluded: $(q "SELECT excluded FROM snapshot_control WHERE snapshot_id = 2 AND object = 'User'")"
[ "$(q "SELECT in_scope || ' ' || reason FROM snapshot_reconciliation WHERE snapshot_id = 2 AND is_active = 0 AND user_type = 'Standard'")" = "0 deactivated" ] \
  || fail "inactive Standard users should be out as deactivated"
echo "ok reasons follow the sync options"

# 3. Bulk: org_count is the job's numberRecordsProcessed.  Pages of 50
# rows, so that the 72 assignments take more than one page: Bulk's case.
emu_post /__admin/faults '{"batch_size": 50}' >/dev/null
expect_exit 0 "$SFACCESS" --no-progress sync --no-login-history --no-sync-permissions --bulk-threshold 30
emu_post /__admin/faults '{"batch_size": null}' >/dev/null
[ "$(q "SELECT method || ' ' || org_count || ' ' || received FROM snapshot_control WHERE snapshot_id = 3 AND object = 'PermissionSetAssignment'")" = "bulk 72 72" ] \
  || fail "bulk control row: $(q "SELECT * FROM snapshot_control WHERE snapshot_id = 3 AND object = 'PermissionSetAssignment'")"
echo "ok bulk org_count"

# 4. A GroupMember added after the scans, before the recount: drift 23 -> 24
# is recorded and the snapshot stays complete.
emu_post /__admin/faults '{"mutate_before_query": {"match": "SELECT COUNT() FROM GroupMember",
  "ops": [{"op": "insert", "object": "GroupMember",
           "record": {"GroupId": "00G5g00000gR022EAC", "UserOrGroupId": "0055g00000Dm001AAB"}}]}}' >/dev/null
expect_exit 0 "$SFACCESS" --no-progress sync --no-login-history --no-sync-permissions
grep -q "snapshot 4 complete" "$WORK/out" || fail "a drifting sync should complete: $(cat "$WORK/out")"
[ "$(q "SELECT object, at_scan, at_end FROM snapshot_drift WHERE snapshot_id = 4")" = "GroupMember|23|24" ] \
  || fail "drift: $(q "SELECT * FROM snapshot_drift")"
echo "ok drift recorded"

# 5. A record Salesforce counted but did not send: the snapshot is
# incomplete, naming the object and both numbers; its control totals stay.
# One connection: UserLicense (8 records) is the first query.
emu_post /__admin/faults '{"drop_records": 1}' >/dev/null
expect_exit 1 "$SFACCESS" --no-progress sync --no-login-history --no-sync-permissions --max-connections 1
grep -q "control totals: Salesforce counted 8 UserLicense records (totalSize) but 7 arrived" "$WORK/err" \
  || fail "mismatch message: $(cat "$WORK/err")"
[ "$(q "SELECT status FROM snapshot WHERE id = 5")" = incomplete ] || fail "snapshot 5 should be incomplete"
[ "$(q "SELECT org_count || ' ' || received || ' ' || stored FROM snapshot_control WHERE snapshot_id = 5 AND object = 'UserLicense'")" = "8 7 0" ] \
  || fail "incomplete snapshot's control row: $(q "SELECT * FROM snapshot_control WHERE snapshot_id = 5")"
[ "$(q "SELECT count(*) FROM snapshot WHERE status = 'complete'")" = 4 ] || fail "earlier snapshots changed"
echo "ok mismatch makes the snapshot incomplete"

# 6. The same on an object read with Bulk API 2.0: a results page leaves a
# record out while the job's numberRecordsProcessed stays 72 (pages of 50,
# so that the 72 assignments go to Bulk as in 3).
emu_post /__admin/faults '{"batch_size": 50, "drop_records": 1, "drop_records_api": "bulk"}' >/dev/null
expect_exit 1 "$SFACCESS" --no-progress sync --no-sync-permissions --bulk-threshold 30
emu_post /__admin/faults '{"batch_size": null, "drop_records": 0, "drop_records_api": null}' >/dev/null
grep -q "control totals: Salesforce counted 72 PermissionSetAssignment records (numberRecordsProcessed) but 71 arrived" "$WORK/err" \
  || fail "bulk mismatch message: $(cat "$WORK/err")"
[ "$(q "SELECT status FROM snapshot WHERE id = 6")" = incomplete ] || fail "snapshot 6 should be incomplete"
[ "$(q "SELECT method || ' ' || org_count || ' ' || received FROM snapshot_control WHERE snapshot_id = 6 AND object = 'PermissionSetAssignment'")" = "bulk 72 71" ] \
  || fail "incomplete bulk control row: $(q "SELECT * FROM snapshot_control WHERE snapshot_id = 6 AND object = 'PermissionSetAssignment'")"
echo "ok a Bulk mismatch makes the snapshot incomplete"
