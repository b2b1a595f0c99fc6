#!/usr/bin/env bash
# `sfaccess check` in CI on the demo org with a login history: the login
# history costs its pages only and the second sync reads only what is new;
# the demo policy and HR file give exactly the expected findings, exit 3
# and valid JUnit; a bad policy and HR file name every problem by line and
# nothing runs; `plan --findings` turns leavers and expired assignments
# into a change file that `apply` runs, after which they are gone.
. "$(dirname "$0")/lib.sh"

FX="$SFA_SOURCE_DIR/fixtures/policy"
# The demo org with LoginHistory: Carla (terminated 2026-11-01 in the HR
# file) logs in before and after that date, and fails once.
node -e '
  const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const row = (n, t, s) => ({ Id: "0Yc5g00000Lh00" + n + "AAA", UserId: "0055g00000Dm004AAB", LoginTime: t,
    LoginType: "Application", Status: s, SourceIp: "10.1.1." + n, Application: "Browser", Browser: "Chrome 131",
    Platform: "Mac OSX", AuthMethodReference: null });
  d.records.LoginHistory = [row(1, "2026-10-30T09:00:00.000+0000", "Success"),
    row(2, "2026-11-10T09:00:00.000+0000", "Success"), row(3, "2026-11-25T09:00:00.000+0000", "Success"),
    row(4, "2026-11-26T09:00:00.000+0000", "Invalid Password")];
  require("fs").writeFileSync(process.argv[2], JSON.stringify(d));
' "$SFA_SOURCE_DIR/fixtures/orgs/demo.json" "$WORK/org.json"
emu_start "$WORK/org.json"
demo_login

charged() { emu_get /__admin/stats | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).api_requests))'; }

# ---- the login history: its pages only; the second sync reads only new rows
expect_exit 0 "$SFACCESS" --no-progress sync --sync-connected-apps --sync-non-standard-licenses \
  --login-history-days 120
snap_reqs=$(sed -n 's/.* \([0-9]*\) API requests in .*/\1/p' "$WORK/out")
grep -q "^login history: 4 rows from .* in 1 request; 4 held$" "$WORK/out" || fail "first copy: $(cat "$WORK/out")"
# The printed count is every request charged, the history's one included.
[ "$(charged)" = "$snap_reqs" ] || fail "charged $(charged), printed $snap_reqs (1 of them for the history)"
echo "ok first sync: $snap_reqs requests, 1 of them for 4 login history rows"
before=$(charged)
expect_exit 0 "$SFACCESS" --no-progress sync --sync-connected-apps --sync-non-standard-licenses
snap_reqs=$(sed -n 's/.* \([0-9]*\) API requests in .*/\1/p' "$WORK/out")
grep -q "^login history: 1 rows from 2026-11-26T09:00:00Z in 1 request; 4 held$" "$WORK/out" \
  || fail "second copy: $(cat "$WORK/out")"
[ "$(charged)" = $((before + snap_reqs)) ] || fail "second sync charged $(( $(charged) - before )), printed $snap_reqs"
echo "ok second sync: reads from the newest row held (1 row, 1 request), keeps 4"
expect_exit 0 "$SFACCESS" gc --keep 1
[ "$(sqlite3 "$SFACCESS_STORE" 'SELECT count(*) FROM login_history')" = 4 ] || fail "gc deleted login history"
[ "$(sqlite3 "$SFACCESS_STORE" 'SELECT count(*) FROM snapshot')" = 1 ] || fail "gc kept $(sqlite3 "$SFACCESS_STORE" 'SELECT count(*) FROM snapshot') snapshots"
echo "ok gc keeps the whole login history"

# ---- CI run: exact findings, exit 3, valid JUnit
expect_exit 3 "$SFACCESS" check --policy "$FX/demo-policy.ini" --hr-file "$FX/demo-hr.csv" --out "$WORK/ci"
for f in findings.csv findings.json findings.junit.xml findings.html; do
  [ -s "$WORK/ci/$f" ] || fail "check did not write $f"
done
head -1 "$WORK/ci/findings.csv" | tr -d '\r' | grep -qx 'rule,severity,username,user_id,what,via_type,via_id,detail' \
  || fail "CSV header: $(head -1 "$WORK/ci/findings.csv")"
got=$(node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" rule username what via_type via_id <"$WORK/ci/findings.csv" \
  | tr '\t' ' ' | grep -v '^inactive-with-access' | grep -v '^expired-assignment')
want="dormant chloe.martin@acme.example
dormant formula.test@acme.example
leaver  noreply@salesforce.com
leaver carla.mendes@acme.example
sod sean.obrien@acme.example deal-desk-and-sales
sod zoe.angstrom@acme.example deal-desk-and-sales"
[ "$(echo "$got" | sed 's/ *$//')" = "$want" ] || fail "findings:
$got
want:
$want"
grep -q 'carla.mendes.*2 logins after: 2026-11-10T09:00:00Z Browser from 10.1.1.2, 2026-11-25T09:00:00Z Browser from 10.1.1.3' \
  "$WORK/ci/findings.csv" || fail "the leaver's logins after the date: $(grep carla "$WORK/ci/findings.csv")"
grep -q 'ambiguous: .*demo-hr.csv:4 matches 3 users (datasync@acme.example, helpcenter_site_guest@acme.example, integration@acme.example)' "$WORK/ci/findings.csv" \
  || fail "ambiguous leaver: $(grep noreply "$WORK/ci/findings.csv")"
! grep -q 'frank.frost.*leaver\|^leaver,.*frank' "$WORK/ci/findings.csv" || fail "a frozen leaver is a finding"
echo "ok exact findings: dormant, SoD through a (nested) group and a profile, leavers (ambiguous, frozen skipped)"

xmllint --noout --schema "$SFA_SOURCE_DIR/tests/junit-ant.xsd" "$WORK/ci/findings.junit.xml" 2>"$WORK/xmllint" \
  || { cat "$WORK/xmllint" >&2; fail "JUnit does not validate against tests/junit-ant.xsd"; }
suites=$(xmllint --xpath 'count(//testsuite)' "$WORK/ci/findings.junit.xml")
[ "$suites" = 8 ] || fail "$suites suites, want 8 (9 rules, unused-connected-app off)"
pass=$(xmllint --xpath 'count(//testsuite[@name="mfa-waived-privileged"]/testcase[not(failure)])' "$WORK/ci/findings.junit.xml")
[ "$pass" = 1 ] || fail "a rule without findings has one passing testcase"
fails=$(xmllint --xpath 'count(//testsuite[@name="leaver"]/testcase/failure)' "$WORK/ci/findings.junit.xml")
[ "$fails" = 2 ] || fail "leaver: $fails failing testcases, want 2"
echo "ok JUnit validates: one suite per rule, a failing testcase per finding"

node -e '
  const a = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const keys = "rule,severity,username,user_id,what,via_type,via_id,detail";
  if (!a.length || a.some((o) => Object.keys(o).join(",") !== keys)) throw new Error("JSON keys");
' "$WORK/ci/findings.json"
rows=$(($(node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" rule <"$WORK/ci/findings.csv" | wc -l)))
node "$SFA_SOURCE_DIR/tests/integration/browser.js" --html "$WORK/ci/findings.html" --shot "$WORK/findings.png" --rows "$rows" \
  --select rule=leaver=2 >"$WORK/browser" 2>&1 || { cat "$WORK/browser" >&2; fail "the HTML page in the browser"; }
expect_exit 0 "$SFACCESS" check --policy "$FX/demo-policy.ini" --fail-on critical --format json
expect_exit 3 "$SFACCESS" check --fail-on low --format table
grep -q '^medium   dormant ' "$WORK/out" || fail "table: $(head -3 "$WORK/out")"
head -1 "$WORK/out" | grep -q '^severity  *rule  *user  *what  *detail' || fail "table header: $(head -1 "$WORK/out")"
expect_exit 2 "$SFACCESS" check --snapshot 99
grep -q 'snapshot 99' "$WORK/err" || fail "unknown snapshot: $(cat "$WORK/err")"
expect_exit 0 "$SFACCESS" check --snapshot 2 --fail-on critical
echo "ok --fail-on decides the exit status; table and JSON; --snapshot"

# ---- bad inputs: every problem by line, nothing runs, nothing written
expect_exit 2 "$SFACCESS" check --policy "$FX/bad-policy.ini" --hr-file "$FX/bad-hr.csv" --out "$WORK/never"
for where in bad-policy.ini:2 bad-policy.ini:3 bad-policy.ini:6 bad-hr.csv:2 bad-hr.csv:3; do
  grep -q "$where: " "$WORK/err" || fail "no problem at $where: $(cat "$WORK/err")"
done
grep -q '5 problems; nothing was run' "$WORK/err" || fail "$(cat "$WORK/err")"
[ ! -e "$WORK/never" ] || fail "a refused check wrote its output"
printf '[sod]\nx = ModifyAllData + No_Such_Group\n' >"$WORK/unknown.ini"
expect_exit 2 "$SFACCESS" check --policy "$WORK/unknown.ini"
grep -q '`No_Such_Group` names no permission.*unknown.ini:2' "$WORK/err" || fail "$(cat "$WORK/err")"
echo "ok bad policy and HR files: every problem by file:line, exit 2, nothing run"

# ---- remediation: plan --findings, then apply runs it unchanged
grep -E '^(leaver|expired-assignment|sod),' "$WORK/ci/findings.csv" >"$WORK/chosen.body"
{ head -1 "$WORK/ci/findings.csv"; cat "$WORK/chosen.body"; } >"$WORK/chosen.csv"
expect_exit 0 "$SFACCESS" plan --findings "$WORK/chosen.csv" -o "$WORK/changes.csv"
grep -q '^set_status,user,,carla.mendes@acme.example,IsActive=false,' "$WORK/changes.csv" || fail "$(cat "$WORK/changes.csv")"
grep -q '^revoke,permission_set,0PS5g00000pS014GAC,ravi.patel@acme.example,,' "$WORK/changes.csv" || fail "$(cat "$WORK/changes.csv")"
grep -q '^# revoke,group,00G5g00000gR022EAC,zoe.angstrom@acme.example,,sod deal-desk-and-sales: Deal_Desk' "$WORK/changes.csv" \
  || fail "SoD side A: $(cat "$WORK/changes.csv")"
grep -q '^# revoke,profile,00e[0-9A-Za-z]*,zoe.angstrom@acme.example,,sod deal-desk-and-sales: Sales User, EMEA' "$WORK/changes.csv" \
  || fail "SoD side B: $(cat "$WORK/changes.csv")"
! grep -v '^#' "$WORK/changes.csv" | grep -q noreply || fail "an ambiguous leaver became an operation"
ops=$(grep -cv '^#' "$WORK/changes.csv")
[ "$ops" = 5 ] || fail "$ops rows, want the header, 1 set_status and 3 revokes"
expect_exit 0 "$SFACCESS" apply "$WORK/changes.csv" --yes
expect_exit 0 "$SFACCESS" --no-progress sync --sync-connected-apps --sync-non-standard-licenses
expect_exit 3 "$SFACCESS" check --policy "$FX/demo-policy.ini" --hr-file "$FX/demo-hr.csv" --format csv
! grep -q '^leaver,.*carla\|^expired-assignment' "$WORK/out" || fail "after apply: $(cat "$WORK/out")"
grep -q '^sod,.*zoe.angstrom' "$WORK/out" || fail "SoD is left to a person"
echo "ok plan --findings: set_status for the leaver, revokes for expired assignments, SoD commented; apply ran it"

# ---- a snapshot synced without permissions: the rules that need them are
# named, nothing runs; with them turned off the others do
expect_exit 0 "$SFACCESS" --no-progress sync --no-sync-permissions --no-login-history
expect_exit 2 "$SFACCESS" check --format csv
grep -q 'holds no permissions (synced with --no-sync-permissions or by an older sfaccess), which dormant-privileged, external-privileged, mfa-waived-privileged need: sync again' "$WORK/err" \
  || fail "no permissions: $(cat "$WORK/err")"
[ ! -s "$WORK/out" ] || fail "a refused check printed findings"
printf '[rule.dormant-privileged]\nenabled = false\n[rule.external-privileged]\nenabled = false\n[rule.mfa-waived-privileged]\nenabled = false\n' >"$WORK/noperm.ini"
expect_exit 3 "$SFACCESS" check --policy "$WORK/noperm.ini" --fail-on low --format csv
grep -q '^inactive-with-access,' "$WORK/out" || fail "the other rules: $(cat "$WORK/out")"
echo "ok a snapshot without permissions names the rules that need them; the others run"
