#!/usr/bin/env bash
# LoginHistory is copied by every sync unless turned off (lib/policy/POLICY.md "Login
# activity"): --no-login-history and [sync] login_history = false send no
# LoginHistory query at all; the flag contradicts --login-history-days; an
# org that refuses LoginHistory is no failed sync, and the line says why
# and what to do.
. "$(dirname "$0")/lib.sh"

node -e '
  const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  d.records.LoginHistory = [{ Id: "0Yc5g00000Lh001AAA", UserId: "0055g00000Dm004AAB",
    LoginTime: "2026-11-25T09:00:00.000+0000", LoginType: "Application", Status: "Success",
    SourceIp: "10.1.1.1", Application: "Browser", Browser: "Chrome 131", Platform: "Mac OSX",
    AuthMethodReference: null }];
  require("fs").writeFileSync(process.argv[2], JSON.stringify(d));
  delete d.records.LoginHistory;
  d.absent = { objects: ["LoginHistory"] };
  require("fs").writeFileSync(process.argv[3], JSON.stringify(d));
' "$SFA_SOURCE_DIR/fixtures/orgs/demo.json" "$WORK/org.json" "$WORK/refusing.json"
emu_start "$WORK/org.json"
demo_login


api() { emu_get /__admin/stats | node -e 'console.log(JSON.parse(require("fs").readFileSync(0, "utf8")).api_requests)'; }
printed() { sed -n 's/.*; \([0-9]*\) API requests in .*/\1/p' "$WORK/out"; }

# By default: one query, one row, the line with its requests.
b=$(api)
expect_exit 0 "$SFACCESS" --no-progress sync --no-sync-permissions
grep -q "^login history: 1 rows from .* in 1 request; 1 held$" "$WORK/out" || fail "default sync: $(cat "$WORK/out")"
[ "$(( $(api) - b ))" = "$(printed)" ] || fail "default sync: the org counted $(( $(api) - b )), printed $(printed) (the copy's request among them)"
echo "ok a default sync copies LoginHistory"

# Turned off: no LoginHistory query, no line.
b=$(api)
expect_exit 0 "$SFACCESS" --no-progress sync --no-sync-permissions --no-login-history
! grep -q "login history" "$WORK/out" || fail "--no-login-history printed: $(cat "$WORK/out")"
[ "$(( $(api) - b ))" = "$(printed)" ] || fail "--no-login-history: the org counted $(( $(api) - b )), the snapshot $(printed)"
printf '[sync]\nlogin_history = false\n' >"$WORK/off.ini"
b=$(api)
expect_exit 0 "$SFACCESS" --config "$WORK/off.ini" --no-progress sync --no-sync-permissions
! grep -q "login history" "$WORK/out" || fail "login_history = false printed: $(cat "$WORK/out")"
[ "$(( $(api) - b ))" = "$(printed)" ] || fail "login_history = false: the org counted $(( $(api) - b )), the snapshot $(printed)"
# The command line wins over the configuration.
expect_exit 0 "$SFACCESS" --config "$WORK/off.ini" --no-progress sync --no-sync-permissions --login-history-days 30
grep -q "^login history: 1 rows from 2026-11-25T09:00:00Z in 1 request; 1 held$" "$WORK/out" \
  || fail "--login-history-days over login_history = false: $(cat "$WORK/out")"
echo "ok --no-login-history and login_history = false turn it off; the command line wins"

expect_exit 2 "$SFACCESS" --no-progress sync --no-login-history --login-history-days 30
grep -q "no-login-history contradicts --login-history-days" "$WORK/err" || fail "contradiction: $(cat "$WORK/err")"
printf '[sync]\nlogin_history = maybe\n' >"$WORK/bad.ini"
expect_exit 2 "$SFACCESS" --config "$WORK/bad.ini" --no-progress sync
grep -q "login_history" "$WORK/err" || fail "bad login_history: $(cat "$WORK/err")"
echo "ok contradictory and bad settings exit 2"

# An org that refuses LoginHistory: the snapshot is complete, the line
# names the error and the two ways out.
kill "$EMU_PID"; wait "$EMU_PID" 2>/dev/null || true
emu_start "$WORK/refusing.json"
demo_login
expect_exit 0 "$SFACCESS" --no-progress sync --no-sync-permissions
grep -q "^snapshot [0-9]* complete" "$WORK/out" || fail "refused: $(cat "$WORK/out")"
grep -q "^login history: not copied, the org refused LoginHistory (INVALID_TYPE: .*Manage Users, or sync --no-login-history$" "$WORK/out" \
  || fail "refused: $(cat "$WORK/out")"
echo "ok an org refusing LoginHistory: sync completes and says why"
