#!/usr/bin/env bash
# Every OAuth refusal the emulator gives (lib/salesforce/SALESFORCE-API.md §3.2) ends the
# command with exit 1 and one line that names the OAuth error and says what
# to fix; missing or refused inputs end with exit 2 before any request.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/auth_lib.sh"

# The demo org plus: JWT users must be admin-approved (noapi is not), a
# pre-seeded refresh token, and a second app without a Run As user.
node -e '
  const fs = require("fs");
  const org = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  const c = org.auth.clients[0];
  c.approved_users = ["admin@acme.example", "nomanage@acme.example"];
  c.refresh_tokens = [{ token: "5Aep861SeededRefreshTokenForTests", username: "admin@acme.example" }];
  org.auth.clients.push({ client_id: "no-run-as", client_secret: "s2", redirect_uris: [] });
  fs.writeFileSync(process.argv[2], JSON.stringify(org));
' "$SFA_SOURCE_DIR/fixtures/orgs/demo.json" "$WORK/org.json"
emu_start "$WORK/org.json"
export SFACCESS_DOMAIN=$EMU_URL
tokens_before=$(emu_get /__admin/stats | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).by_route["POST /services/oauth2/token"]||0))')

# refused CODE TEXT CMD...: exit 1, the error code and the advice shown.
refused() {
  local code=$1 text=$2; shift 2
  expect_exit 1 "$@"
  grep -qF -e "$code" "$WORK/err" || fail "no $code in: $(cat "$WORK/err")"
  grep -qF -e "$text" "$WORK/err" || fail "no advice \"$text\" in: $(cat "$WORK/err")"
  [ "$(wc -l <"$WORK/err")" = 1 ] || fail "more than one line: $(cat "$WORK/err")"
  echo "ok $code: $(cut -c1-150 "$WORK/err")..."
}

# A seeded refresh token works; once revoked it has "expired".
RT=5Aep861SeededRefreshTokenForTests
expect_exit 0 env SFACCESS_REFRESH_TOKEN=$RT "$SFACCESS" --no-progress sync --auth oauth --client-id $CLIENT_ID
curl -sf -X POST --data "token=$RT" "$EMU_URL/services/oauth2/revoke" >/dev/null || fail "revoke failed"
refused "invalid_grant: expired access/refresh token" "run \`sfaccess login\` again" \
  env SFACCESS_REFRESH_TOKEN=$RT "$SFACCESS" sync --auth oauth --client-id $CLIENT_ID
refused "invalid_client_id" "check --client-id" \
  env SFACCESS_REFRESH_TOKEN=x "$SFACCESS" sync --auth oauth --client-id nobody
refused "invalid_client" "SFACCESS_CLIENT_SECRET" \
  env SFACCESS_CLIENT_SECRET=wrong "$SFACCESS" sync --auth client-credentials --client-id $CLIENT_ID
refused "invalid_grant: no client credentials user enabled" "Run As user" \
  env SFACCESS_CLIENT_SECRET=s2 "$SFACCESS" sync --auth client-credentials --client-id no-run-as
refused "invalid_grant: user hasn't approved this consumer" "pre-authorized" \
  "$SFACCESS" sync --auth jwt --client-id $CLIENT_ID --jwt-key "$JWT_KEY" --jwt-subject noapi@acme.example
refused "invalid_grant: authentication failure" "--jwt-subject" \
  "$SFACCESS" sync --auth jwt --client-id $CLIENT_ID --jwt-key "$JWT_KEY" --jwt-subject nobody@acme.example
emu_post /__admin/mutate '[{"op":"update","object":"User","id":"0055g00000Dm003AAB","fields":{"IsActive":false}}]' >/dev/null
refused "invalid_grant: inactive user" "reactivate" \
  "$SFACCESS" sync --auth jwt --client-id $CLIENT_ID --jwt-key "$JWT_KEY" --jwt-subject nomanage@acme.example
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/other.key" 2>/dev/null
chmod 600 "$WORK/other.key"
refused "invalid_grant: invalid signature" "certificate" \
  "$SFACCESS" sync --auth jwt --client-id $CLIENT_ID --jwt-key "$WORK/other.key" --jwt-subject $ADMIN

# Refused before any request (exit 2): the generic login host for client
# credentials, missing pieces of each flow, unusable key or credentials.
usage() {
  local text=$1; shift
  expect_exit 2 "$@"
  grep -qF -- "$text" "$WORK/err" || fail "no \"$text\" in: $(cat "$WORK/err")"
  echo "ok usage: $(cut -c1-120 "$WORK/err")"
}
usage "My Domain" env SFACCESS_CLIENT_SECRET=x "$SFACCESS" sync --auth client-credentials \
  --client-id $CLIENT_ID --domain login.salesforce.com
usage "My Domain" env SFACCESS_CLIENT_SECRET=x "$SFACCESS" sync --auth client-credentials \
  --client-id $CLIENT_ID --domain https://test.salesforce.com/
usage "SFACCESS_CLIENT_SECRET" "$SFACCESS" sync --auth client-credentials --client-id $CLIENT_ID
usage "--jwt-key" "$SFACCESS" sync --auth jwt --client-id $CLIENT_ID --jwt-subject $ADMIN
usage "--client-id" env SFACCESS_REFRESH_TOKEN=x "$SFACCESS" sync --auth oauth
usage "sfaccess login" "$SFACCESS" sync --auth oauth --credentials "$WORK/none"
cp "$JWT_KEY" "$WORK/open.key"; chmod 644 "$WORK/open.key"
usage "chmod 600" "$SFACCESS" sync --auth jwt --client-id $CLIENT_ID --jwt-key "$WORK/open.key" --jwt-subject $ADMIN
echo "not a key" >"$WORK/bad.key"; chmod 600 "$WORK/bad.key"
usage "not an unencrypted PEM private key" "$SFACCESS" sync --auth jwt --client-id $CLIENT_ID \
  --jwt-key "$WORK/bad.key" --jwt-subject $ADMIN
for opt in client-secret refresh-token password access-token; do
  usage "secrets are never accepted on the command line" "$SFACCESS" sync --auth oauth --$opt=x
done
tokens_after=$(emu_get /__admin/stats | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).by_route["POST /services/oauth2/token"]||0))')
# 9 token calls above (1 sync + 8 refusals; usage errors send nothing).
[ $((tokens_after - tokens_before)) = 9 ] || fail "expected 9 token calls, saw $((tokens_after - tokens_before))"
echo "ok usage errors sent no token request"
