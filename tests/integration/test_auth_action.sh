#!/usr/bin/env bash
# `sfaccess action update_user_status` with each login flow changes
# User.IsActive in the org (checked through the emulator's records);
# a bad --is-active or --resource-id is a usage error that sends nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/auth_lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
export SFACCESS_DOMAIN=$EMU_URL
do_login "$WORK/creds"
USER_ID=0055g00000Dm004AAB # carla.mendes@acme.example

is_active() {
  emu_get /__admin/records/User | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const u = JSON.parse(s).find((r) => r.Id === process.argv[1]);
      console.log(u ? String(u.IsActive) : "missing");
    });' "$1"
}

[ "$(is_active $USER_ID)" = true ] || fail "the demo user should start active"
for flow in password oauth client-credentials jwt; do
  for want in false true; do
    expect_exit 0 run_flow $flow action update_user_status --resource-id $USER_ID --is-active $want
    grep -q "IsActive set to $want" "$WORK/out" || fail "$flow: $(cat "$WORK/out")"
    [ "$(is_active $USER_ID)" = $want ] || fail "$flow: IsActive is $(is_active $USER_ID), wanted $want"
  done
  echo "ok $flow: deactivated and reactivated $USER_ID"
done

# Session expiry in the middle: the PATCH is retried after one re-login.
emu_post /__admin/faults '{"expire_sessions_after": 1}' >/dev/null
expect_exit 0 run_flow jwt action update_user_status --resource-id $USER_ID --is-active false
expect_exit 0 run_flow jwt -v action update_user_status --resource-id $USER_ID --is-active true
grep -q "session expired; logging in again" "$WORK/err" || fail "the second action met no expiry"
[ "$(is_active $USER_ID)" = true ] || fail "action after a session expiry did not apply"
emu_post /__admin/faults '{"expire_sessions_after": 0}' >/dev/null
echo "ok action survives session expiry"

before=$(emu_get /__admin/stats)
for bad in yes TRUE 1 ""; do
  expect_exit 2 run_flow jwt action update_user_status --resource-id $USER_ID --is-active "$bad"
  grep -q "is-active must be true or false" "$WORK/err" || fail "--is-active '$bad': $(cat "$WORK/err")"
done
expect_exit 2 run_flow jwt action update_user_status --resource-id $USER_ID
for bad in 00e5g00000Dm001AAB 005/../../x 0055g00000Dm04; do
  expect_exit 2 run_flow jwt action update_user_status --resource-id "$bad" --is-active true
  grep -q "resource-id needs a User Id" "$WORK/err" || fail "--resource-id '$bad': $(cat "$WORK/err")"
done
expect_exit 2 run_flow jwt action delete_everything --resource-id $USER_ID --is-active true
grep -q "unknown action" "$WORK/err" || fail "unknown action: $(cat "$WORK/err")"
[ "$(emu_get /__admin/stats)" = "$before" ] || fail "a usage error sent a request"
echo "ok bad --is-active / --resource-id / action name: exit 2, nothing sent"
