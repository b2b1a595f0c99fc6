# Shared by tests/integration/test_auth_*.sh: the demo org's connected app
# (fixtures/orgs/demo.json "auth") and one helper per login flow.  Sourced
# after lib.sh, not run.
CLIENT_ID=sfaccess-demo
CLIENT_SECRET=demo-client-secret
ADMIN=admin@acme.example
ORG15=00D5g00000Dm001 # access tokens start "<org15>!"

# The fixture key is committed (git keeps no modes); sfaccess refuses a
# key others can read, so tests use a private copy.
JWT_KEY="$WORK/jwt-test.key"
cp "$SFA_SOURCE_DIR/fixtures/keys/jwt-test.key" "$JWT_KEY"
chmod 600 "$JWT_KEY"

unset XDG_CONFIG_HOME
export HOME="$WORK/home" # the default credentials path lands in $WORK
mkdir -p "$HOME"

# run_flow FLOW ARGS...: runs sfaccess ARGS with FLOW's credentials in the
# environment or on the command line (password, oauth, client-credentials,
# jwt); oauth reads $WORK/creds, written by do_login.
run_flow() {
  local flow=$1; shift
  case $flow in
    password)
      SFACCESS_USERNAME=$ADMIN SFACCESS_PASSWORD=demo-Pa55 SFACCESS_SECURITY_TOKEN=DEMOtok3n \
        "$SFACCESS" "$@" --auth password ;;
    oauth)
      "$SFACCESS" "$@" --auth oauth --credentials "$WORK/creds" ;;
    client-credentials)
      SFACCESS_CLIENT_SECRET=$CLIENT_SECRET \
        "$SFACCESS" "$@" --auth client-credentials --client-id $CLIENT_ID ;;
    jwt)
      "$SFACCESS" "$@" --auth jwt --client-id $CLIENT_ID --jwt-key "$JWT_KEY" --jwt-subject $ADMIN ;;
    *) fail "unknown flow $flow" ;;
  esac
}

# do_login FILE [extra sfaccess args...]: `sfaccess login` end to end,
# following the printed authorize URL with curl the way a browser would:
# the emulator approves and 302-redirects to the loopback listener.  An
# empty FILE means the default credentials path.
do_login() {
  local file=$1; shift
  rm -f "$WORK/login.out" "$WORK/login.err"
  "$SFACCESS" "$@" login --domain "$EMU_URL" --client-id $CLIENT_ID ${file:+--credentials "$file"} \
    --timeout 30 >"$WORK/login.out" 2>"$WORK/login.err" &
  local pid=$! url=""
  for _ in $(seq 1 100); do
    url=$(grep -m1 '^http' "$WORK/login.out" 2>/dev/null || true)
    [ -n "$url" ] && break
    sleep 0.1
  done
  [ -n "$url" ] || { kill $pid; cat "$WORK/login.err" >&2; fail "login printed no URL"; }
  curl -sS -L -o "$WORK/login.page" "$url" || fail "could not follow the authorize URL"
  local rc=0
  wait $pid || rc=$?
  [ $rc = 0 ] || { cat "$WORK/login.out" "$WORK/login.err" >&2; fail "login exited $rc"; }
  grep -q "Logged in" "$WORK/login.page" || fail "the callback page does not say Logged in"
}

# content_hash: the content hash that `sync -v` printed into $WORK/out.
content_hash() { sed -n 's/^content hash //p' "$WORK/out"; }
