#!/usr/bin/env bash
# Every login flow syncs the demo org to the same snapshot as the password
# flow, and survives session expiry: with the emulator expiring sessions
# every few requests, each 401 costs exactly one fresh login (refresh,
# re-sign, re-login) and the snapshot is unchanged.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/auth_lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
export SFACCESS_DOMAIN=$EMU_URL
do_login "$WORK/creds"

# Log lines of the emulator ("METHOD PATH STATUS ms") since line $1.
emu_log_since() { tail -n +"$(($1 + 1))" "$WORK/emulator.log"; }

expect_exit 0 run_flow password -v --no-progress sync
want=$(content_hash)
[ -n "$want" ] || fail "password sync printed no content hash"
echo "ok password: $want"

for flow in oauth client-credentials jwt; do
  rm -f "$SFACCESS_STORE"
  expect_exit 0 run_flow $flow -v --no-progress sync
  [ "$(content_hash)" = "$want" ] || fail "$flow: content hash $(content_hash) != $want"
  echo "ok $flow: same content hash"
done

for flow in password oauth client-credentials jwt; do
  emu_post /__admin/reset '{}' >/dev/null
  [ $flow = oauth ] && do_login "$WORK/creds" # reset forgot the refresh token
  emu_post /__admin/faults '{"expire_sessions_after": 5}' >/dev/null
  mark=$(wc -l <"$WORK/emulator.log")
  rm -f "$SFACCESS_STORE"
  expect_exit 0 run_flow $flow -v --no-progress sync
  [ "$(content_hash)" = "$want" ] || fail "$flow with expiring sessions: hash $(content_hash) != $want"
  expired=$(emu_log_since "$mark" | grep -c '^GET /services/data/.* 401 ' || true)
  logins=$(emu_log_since "$mark" | grep -cE '^POST /services/(oauth2/token|Soap/u/[0-9.]+) 200 ' || true)
  relogs=$(grep -c "session expired; logging in again" "$WORK/err" || true)
  [ "$expired" -ge 1 ] || fail "$flow: no session expired (the fault did not bite)"
  [ "$logins" = $((expired + 1)) ] || fail "$flow: $expired expiries but $logins logins"
  [ "$relogs" = "$expired" ] || fail "$flow: $expired expiries but $relogs re-logins logged"
  echo "ok $flow with expire_sessions_after=5: $expired expiries, $logins logins, same hash"
done
