#!/usr/bin/env bash
# `sfaccess login`: authorization code + PKCE through the loopback
# listener, followed by a browser stand-in (curl); the credentials file is
# 0600, holds a refresh token but no access token, and `sync --auth oauth`
# then works.  A forged state is refused; a readable file is refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/auth_lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
export SFACCESS_DOMAIN=$EMU_URL

# The authorize URL carries PKCE S256 and a state; the redirect goes to
# 127.0.0.1 on a random port.
do_login "$WORK/creds"
url=$(grep -m1 '^http' "$WORK/login.out")
for p in response_type=code client_id=$CLIENT_ID code_challenge= code_challenge_method=S256 state= \
         'redirect_uri=http%3A%2F%2F127.0.0.1%3A[0-9]*%2Fcallback'; do
  echo "$url" | grep -q "[?&]$p" || fail "authorize URL lacks $p: $url"
done
grep -q "saved the refresh token" "$WORK/login.out" || fail "login did not say where it saved"
grep -q "$WORK/creds" "$WORK/login.out" || fail "login did not name the credentials file"

# The file: mode 0600, refresh token + client id + instance URL, no access token.
[ "$(stat -c %a "$WORK/creds")" = 600 ] || fail "credentials file mode is $(stat -c %a "$WORK/creds")"
grep -q "^client_id=$CLIENT_ID$" "$WORK/creds" || fail "no client_id in the credentials file"
grep -q "^instance_url=$EMU_URL$" "$WORK/creds" || fail "no instance_url in the credentials file"
rt=$(sed -n 's/^refresh_token=//p' "$WORK/creds")
[ -n "$rt" ] || fail "no refresh_token in the credentials file"
! grep -q "$ORG15!" "$WORK/creds" || fail "the credentials file holds an access token"
! grep -qi access_token "$WORK/creds" || fail "the credentials file mentions an access token"
# ...and the token is never printed.
! grep -qF "$rt" "$WORK/login.out" "$WORK/login.err" || fail "login printed the refresh token"
echo "ok login: credentials file 0600 with a refresh token, nothing printed"

# sync --auth oauth with that file: same snapshot as the password flow.
expect_exit 0 run_flow password -v --no-progress sync
want=$(content_hash)
rm -f "$SFACCESS_STORE"
expect_exit 0 "$SFACCESS" -v --no-progress sync --auth oauth --credentials "$WORK/creds"
[ "$(content_hash)" = "$want" ] || fail "oauth snapshot hash $(content_hash) != password's $want"
echo "ok sync --auth oauth --credentials: content hash $want"

# The default path: $HOME/.config/sfaccess/credentials (directory 0700),
# and --auth oauth inferred from it.
do_login ""
[ -f "$HOME/.config/sfaccess/credentials" ] || fail "no credentials at the default path"
[ "$(stat -c %a "$HOME/.config/sfaccess")" = 700 ] || fail "credentials directory is not 0700"
rm -f "$SFACCESS_STORE"
expect_exit 0 "$SFACCESS" -v --no-progress sync
[ "$(content_hash)" = "$want" ] || fail "sync with the default credentials file differs"
export XDG_CONFIG_HOME="$WORK/xdg"
do_login ""
[ -f "$WORK/xdg/sfaccess/credentials" ] || fail "XDG_CONFIG_HOME not used"
unset XDG_CONFIG_HOME
echo "ok default credentials path (HOME and XDG_CONFIG_HOME), --auth inferred"

# A credentials file others can read is refused, with the fix.
chmod 640 "$WORK/creds"
expect_exit 2 "$SFACCESS" sync --auth oauth --credentials "$WORK/creds"
grep -q "open to group or others" "$WORK/err" && grep -q "chmod 600" "$WORK/err" \
  || fail "group-readable credentials not refused clearly: $(cat "$WORK/err")"
chmod 600 "$WORK/creds"
echo "ok group-readable credentials file refused"

# A redirect with a state that is not ours ends the login with an error.
"$SFACCESS" login --domain "$EMU_URL" --client-id $CLIENT_ID --credentials "$WORK/forged" \
  --timeout 30 >"$WORK/login.out" 2>"$WORK/login.err" &
pid=$!
for _ in $(seq 1 100); do grep -q '^http' "$WORK/login.out" 2>/dev/null && break; sleep 0.1; done
cb=$(grep -m1 '^http' "$WORK/login.out" | sed 's/.*redirect_uri=\([^&]*\).*/\1/' | sed 's/%3A/:/g; s/%2F/\//g')
curl -s -o /dev/null "$cb?code=stolen&state=forged"
rc=0; wait $pid || rc=$?
[ $rc = 1 ] || fail "login with a forged state exited $rc"
grep -q "wrong state" "$WORK/login.err" || fail "forged state not named: $(cat "$WORK/login.err")"
[ ! -e "$WORK/forged" ] || fail "a credentials file was written after a forged redirect"
echo "ok forged state refused"

# A denied consent comes back as error=access_denied.
"$SFACCESS" login --domain "$EMU_URL" --client-id $CLIENT_ID --credentials "$WORK/denied" \
  --timeout 30 >"$WORK/login.out" 2>"$WORK/login.err" &
pid=$!
for _ in $(seq 1 100); do grep -q '^http' "$WORK/login.out" 2>/dev/null && break; sleep 0.1; done
url=$(grep -m1 '^http' "$WORK/login.out")
state=$(echo "$url" | sed 's/.*[?&]state=\([^&]*\).*/\1/')
cb=$(echo "$url" | sed 's/.*redirect_uri=\([^&]*\).*/\1/' | sed 's/%3A/:/g; s/%2F/\//g')
curl -s -o /dev/null "$cb?error=access_denied&error_description=end-user+denied+authorization&state=$state"
rc=0; wait $pid || rc=$?
[ $rc = 1 ] || fail "denied login exited $rc"
grep -q "access_denied" "$WORK/login.err" || fail "denied login: $(cat "$WORK/login.err")"
echo "ok denied consent reported"

# Usage errors: no client id; a timeout that is not a number.
expect_exit 2 "$SFACCESS" login --domain "$EMU_URL"
grep -q -- "--client-id" "$WORK/err" || fail "login without --client-id: $(cat "$WORK/err")"
expect_exit 2 "$SFACCESS" login --domain "$EMU_URL" --client-id $CLIENT_ID --timeout soon
echo "ok login usage errors"
