#!/usr/bin/env bash
# report changes --approved counts what follows from an approved operation
# as approved (issue 13), through the access model: a profile revoke moves
# the user to the least-privileged profile (the new profile row); a role
# revoke removes the groups reached through the role, nested ones too; a
# status change adds or removes the Organization group.  A consequence is
# approved only with the operation it follows from.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
# Engineering's RoleAndSubordinates group is in Deal_Desk, which is in
# Support_Agents: mei reaches both through her role (rules 6 and 7).
emu_post /__admin/mutate '[
  {"op":"insert","object":"GroupMember","record":{"GroupId":"00G5g00000gR022EAC","UserOrGroupId":"00G5g00000gR018EAC"}},
  {"op":"insert","object":"GroupMember","record":{"GroupId":"00G5g00000gR030EAC","UserOrGroupId":"00G5g00000gR022EAC"}}]' >/dev/null \
  || fail "mutate"
expect_exit 0 "$SFACCESS" --no-progress sync
cat >"$WORK/changes.csv" <<'CSV'
op,resource_type,resource,user,fields,comment
revoke,role,Engineering,mei.chen@acme.example,,
revoke,profile,"Sales User, EMEA",lucia.garcia@acme.example,,
set_status,user,,jonas.weber@acme.example,IsActive=true,
CSV
expect_exit 0 "$SFACCESS" apply "$WORK/changes.csv" --yes --license-profile "Salesforce=Minimum Access - Salesforce"
expect_exit 0 "$SFACCESS" --no-progress sync

failures() { grep -c '<failure ' "$1" || true; }
expect_exit 0 "$SFACCESS" report changes --format junit --out "$WORK/all"
total=$(grep -c '<testcase ' "$WORK/all/changes.junit.xml")
grep '<testcase ' "$WORK/all/changes.junit.xml" | grep -q 'profile Minimum Access - Salesforce.*lucia' \
  || fail "no added profile row for lucia: $(grep '<testcase ' "$WORK/all/changes.junit.xml")"
via_group=$(grep '<testcase ' "$WORK/all/changes.junit.xml" | grep -c 'mei.chen.*via group' || true)
[ "$via_group" -ge 2 ] || fail "mei lost $via_group groups through nesting: $(grep '<testcase ' "$WORK/all/changes.junit.xml" | grep mei)"
grep '<testcase ' "$WORK/all/changes.junit.xml" | grep -q 'All Internal Users.*jonas' \
  || fail "no Organization group row for jonas"
echo "ok $total changes, among them lucia's new profile, $via_group of mei's groups through nesting, jonas's Organization group"

# Every change follows from the file: all approved.
expect_exit 0 "$SFACCESS" report changes --format junit --approved "$WORK/changes.csv" --out "$WORK/a"
[ "$(failures "$WORK/a/changes.junit.xml")" = 0 ] \
  || fail "unapproved consequences: $(grep '<testcase ' "$WORK/a/changes.junit.xml" | grep -v '/>$')"
xmllint --noout --schema "$SFA_SOURCE_DIR/tests/junit-ant.xsd" "$WORK/a/changes.junit.xml" 2>/dev/null \
  || fail "approved JUnit does not validate"
echo "ok all $total changes approved by the 3 operations"

# Without the status row, jonas's changes are not approved, and only
# they: the consequence goes with its operation.
grep -v '^set_status' "$WORK/changes.csv" >"$WORK/partial.csv"
expect_exit 0 "$SFACCESS" report changes --format junit --approved "$WORK/partial.csv" --out "$WORK/p"
n=$(failures "$WORK/p/changes.junit.xml")
[ "$n" -ge 2 ] || fail "only $n failures without the status row"
# A failing testcase holds its <failure>: its line does not end in "/>".
failing() { grep '<testcase ' "$1" | grep -v '/>$' || true; }
[ "$(failing "$WORK/p/changes.junit.xml" | grep -c . || true)" = "$n" ] || fail "failing testcases not found"
[ "$(failing "$WORK/p/changes.junit.xml" | grep -vc jonas || true)" = 0 ] \
  || fail "a change not of jonas failed: $(failing "$WORK/p/changes.junit.xml")"
echo "ok without the status row: $n of jonas's changes fail, nothing else"
