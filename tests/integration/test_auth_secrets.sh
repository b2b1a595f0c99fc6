#!/usr/bin/env bash
# No secret leaks: login, sync (every flow, with expiring sessions so that
# re-logins happen too), action and report run with -v -v; then every line
# they printed, the store file and the reports are searched for the
# password, the security token, the client secret, the refresh token and
# any access token the emulator issued ("<org15>!..."): none may appear.
# The verbose trace shows the token response with its tokens redacted.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/auth_lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
export SFACCESS_DOMAIN=$EMU_URL
LOG="$WORK/all-output.log"
: >"$LOG"
keep() { cat "$WORK/out" "$WORK/err" >>"$LOG"; }

do_login "$WORK/creds" -v -v
cat "$WORK/login.out" "$WORK/login.err" >>"$LOG"
RT=$(sed -n 's/^refresh_token=//p' "$WORK/creds")
[ -n "$RT" ] || fail "login saved no refresh token"

for flow in password oauth client-credentials jwt; do
  # Restarts the emulator's count, so each sync meets one expiry.
  emu_post /__admin/faults '{"expire_sessions_after": 8}' >/dev/null
  expect_exit 0 run_flow $flow -v -v --no-progress sync; keep
  grep -q "session expired; logging in again" "$WORK/err" || fail "$flow: no re-login happened"
  expect_exit 0 run_flow $flow -v -v action update_user_status --resource-id 0055g00000Dm004AAB \
    --is-active true; keep
done
# Failed logins print errors: they must not carry the secrets either.
expect_exit 1 env SFACCESS_REFRESH_TOKEN="$RT-revoked" "$SFACCESS" -v -v sync --auth oauth --client-id $CLIENT_ID; keep
expect_exit 1 env SFACCESS_CLIENT_SECRET="$CLIENT_SECRET-wrong" "$SFACCESS" -v -v sync --auth client-credentials \
  --client-id $CLIENT_ID; keep
expect_exit 1 env SFACCESS_USERNAME=$ADMIN SFACCESS_PASSWORD=demo-Pa55-wrong SFACCESS_SECURITY_TOKEN=DEMOtok3n \
  "$SFACCESS" -v -v sync --auth password; keep
emu_post /__admin/faults '{"expire_sessions_after": 0}' >/dev/null
expect_exit 0 "$SFACCESS" -v -v report access --format all --out "$WORK/reports"; keep

grep -q "token response: .*\"access_token\": *\"\[redacted\]\"" "$LOG" \
  || fail "-v -v shows no redacted token response"
grep -q "POST /services/oauth2/token -> 200" "$LOG" || fail "-v shows no token request"
echo "ok -v -v traces token calls with the access token redacted"

strings "$SFACCESS_STORE" >"$WORK/store.strings"
for where in "$LOG" "$WORK/store.strings" "$WORK/emulator.log" "$WORK/reports"/*; do
  for secret in demo-Pa55 DEMOtok3n "$CLIENT_SECRET" "$RT" "$ORG15!" "BEGIN PRIVATE KEY"; do
    ! grep -qF -e "$secret" "$where" || fail "$(basename "$where") holds the secret '${secret:0:8}...'"
  done
done
echo "ok no password, security token, client secret, refresh token or access token in" \
  "$(wc -l <"$LOG") lines of output, the store or $(ls "$WORK/reports" | wc -l) report files"
