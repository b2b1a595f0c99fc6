#!/usr/bin/env bash
# The demo's story (scripts/demo.sh): between its two syncs the org gets
# fixtures/orgs/demo-changes.json and fixtures/orgs/demo-privileged.json,
# which gives the permission set "Sales Ops, Reporting" (0PS...011) View All
# Data (issue 14: "the demo should show a privileged permission gained
# between the two syncs").  The diff shows it twice over, as lib/access/PERMISSIONS.md
# "Changes" says: once on the container, with the users it reaches, and
# once per user and path as an added privileged row.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
ps=0PS5g00000pS011GAC
expect_exit 0 "$SFACCESS" --no-progress sync --sync-connected-apps
emu_post /__admin/mutate "@$SFA_SOURCE_DIR/fixtures/orgs/demo-changes.json" >/dev/null || fail "mutate refused"
emu_post /__admin/mutate "@$SFA_SOURCE_DIR/fixtures/orgs/demo-privileged.json" >/dev/null || fail "mutate refused"
expect_exit 0 "$SFACCESS" --no-progress sync --sync-connected-apps

# Who holds 0PS...011 after the changes, by hand from demo.json: directly
# ingrid.larsen (inactive, kept), frank.frost, ahmed.khan and, since
# demo-changes.json, victor.okafor; through group 0PG...001 (whose muting
# set mutes delete access only) victor.okafor, zoe.angstrom,
# xiaoming.wang, lucia.garcia.  7 users, 8 paths.
expect_exit 0 "$SFACCESS" diff
grep -q "1 permissions added, 0 permissions removed" "$WORK/out" || fail "diff summary: $(head -1 "$WORK/out")"
grep -qE "^permission_added +$ps +permission_set +ViewAllData  on Sales Ops, Reporting, reaching 7 users$" "$WORK/out" \
  || fail "diff table: no permission_added line: $(grep permission_ "$WORK/out")"
expect_exit 0 "$SFACCESS" diff --format csv
node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" change access_type access_id username via_type via_id tier field new_value \
  <"$WORK/out" | grep -P '\tViewAllData\t|^permission_' | LC_ALL=C sort >"$WORK/got"
printf '%s\n' \
  $'added\tsystem_permission\tViewAllData\tahmed.khan@acme.example\tpermission_set\t0PS5g00000pS011GAC\t2\t\t' \
  $'added\tsystem_permission\tViewAllData\tfrank.frost@acme.example\tpermission_set\t0PS5g00000pS011GAC\t2\t\t' \
  $'added\tsystem_permission\tViewAllData\tingrid.larsen@acme.example\tpermission_set\t0PS5g00000pS011GAC\t2\t\t' \
  $'added\tsystem_permission\tViewAllData\tlucia.garcia@acme.example\tpermission_set_group\t0PG5g00000Pg001GAB\t2\t\t' \
  $'added\tsystem_permission\tViewAllData\tvictor.okafor@acme.example\tpermission_set\t0PS5g00000pS011GAC\t2\t\t' \
  $'added\tsystem_permission\tViewAllData\tvictor.okafor@acme.example\tpermission_set_group\t0PG5g00000Pg001GAB\t2\t\t' \
  $'added\tsystem_permission\tViewAllData\txiaoming.wang@acme.example\tpermission_set_group\t0PG5g00000Pg001GAB\t2\t\t' \
  $'added\tsystem_permission\tViewAllData\tzoe.angstrom@acme.example\tpermission_set_group\t0PG5g00000Pg001GAB\t2\t\t' \
  $'permission_added\tpermission_set\t0PS5g00000pS011GAC\t\t\t\t\tViewAllData\t7' | LC_ALL=C sort >"$WORK/want"
diff -u "$WORK/want" "$WORK/got" >&2 || fail "the privileged rows and the container change"
echo "ok diff: Sales Ops, Reporting gained View All Data, reaching 7 users on 8 paths"

# The change report counts them apart, by tier: 8 ViewAllData rows and the
# View All (object) rows ViewAllData implies, all tier 2.
expect_exit 0 "$SFACCESS" report changes --format all --out "$WORK/r"
node -e '
const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const t2 = d.privileged_by_tier.find((t) => t.tier === 2);
const vad = d.added.filter((c) => c.access_id === "ViewAllData").length;
const all2 = d.added.filter((c) => c.tier === 2).length;
if (vad !== 8 || t2.added !== all2 || t2.removed !== 0 || d.counts.permission_added !== 1) throw new Error(vad + " " + all2 + " " + JSON.stringify(d.privileged_by_tier));
const p = d.permission_added[0];
if (p.field !== "ViewAllData" || p.new_value !== "7" || p.access_name !== "Sales Ops, Reporting") throw new Error(JSON.stringify(p));
' "$WORK/r/changes.json" || fail "changes.json privileged counts"
grep -q "Privileged changes, tier 2" "$WORK/r/changes.html" || fail "no tier card in changes.html"
grep -q 'classname="sfaccess.changes.privileged-tier-2"' "$WORK/r/changes.junit.xml" || fail "JUnit tier class"
grep -q '<testcase name="ViewAllData on permission_set Sales Ops, Reporting (0PS5g00000pS011GAC), reaching 7 users" classname="sfaccess.changes.permission_added"' "$WORK/r/changes.junit.xml" \
  || fail "JUnit permission_added case: $(grep permission_added "$WORK/r/changes.junit.xml")"
xmllint --noout --schema "$SFA_SOURCE_DIR/tests/junit-ant.xsd" "$WORK/r/changes.junit.xml" 2>/dev/null || fail "JUnit does not validate"
# The audit entry demo-privileged.json wrote names the permission set, so
# the container change is not out of band.
node -e '
const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const p = d.permission_added[0];
if (p.out_of_band || p.audit_entries.length !== 1) throw new Error(JSON.stringify(p));
' "$WORK/r/changes.json" || fail "the permission change should carry its audit entry"
expect_exit 0 "$SFACCESS" verify "$WORK/r" --store "$SFACCESS_STORE"
echo "ok change report: tier counts, JUnit case, audit entry, reproduced"

expect_exit 0 "$SFACCESS" who-can ViewAllData --format csv
[ "$(node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" via_id <"$WORK/out" | grep -cx "$ps")" = 4 ] \
  || fail "who-can ViewAllData through $ps: $(cat "$WORK/out")"
echo "ok who-can ViewAllData names the permission set"

# plan --revert-to 1 cannot take View All Data back off the permission set
# (apply does not edit permission sets): the plan says so.
expect_exit 0 "$SFACCESS" plan --revert-to 1 -o "$WORK/revert.csv"
grep -q "remove ViewAllData on permission_set Sales Ops, Reporting ($ps): not provisioned by apply" "$WORK/revert.csv" \
  || fail "revert plan: $(grep -i viewall "$WORK/revert.csv")"
echo "ok plan --revert-to names the permission it cannot revert"
