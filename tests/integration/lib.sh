# Shared by the integration tests: a private work directory, an emulator
# on a free loopback port, and assertions.  Sourced, not run.
# The environment comes from ctest: SFACCESS (the binary), SFA_SOURCE_DIR.
set -euo pipefail

: "${SFACCESS:?run through ctest}" "${SFA_SOURCE_DIR:?run through ctest}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sfa-it.XXXXXX")
EMU_PID=""
export SFACCESS_STORE="$WORK/store.db"
unset SFACCESS_CONFIG SFACCESS_DOMAIN SFACCESS_USERNAME SFACCESS_PASSWORD \
      SFACCESS_SECURITY_TOKEN SFACCESS_CLIENT_ID SFACCESS_CLIENT_SECRET \
      SFACCESS_REFRESH_TOKEN SFACCESS_CREDENTIALS
cd "$WORK"

cleanup() {
  if [ -n "$EMU_PID" ]; then kill "$EMU_PID" 2>/dev/null || true; wait "$EMU_PID" 2>/dev/null || true; fi
  if [ "${KEEP_WORK:-0}" != 1 ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

# emu_start ORG_JSON [server options...]: sets EMU_URL.
emu_start() {
  local org=$1; shift
  rm -f "$WORK/port"
  node "$SFA_SOURCE_DIR/tests/emulator/server.js" --org "$org" --port 0 \
       --port-file "$WORK/port" "$@" 2>>"$WORK/emulator.log" &
  EMU_PID=$!
  # Up to 60 s: a generated org with its permission tables takes seconds to load on a busy machine.
  for _ in $(seq 1 1200); do
    [ -s "$WORK/port" ] && break
    kill -0 "$EMU_PID" 2>/dev/null || { cat "$WORK/emulator.log" >&2; fail "emulator did not start"; }
    sleep 0.05
  done
  [ -s "$WORK/port" ] || fail "emulator did not write its port"
  EMU_URL="http://127.0.0.1:$(cat "$WORK/port")"
}

# emu_post PATH JSON: a control-endpoint call.
emu_post() { curl -sf -X POST -H 'Content-Type: application/json' --data "$2" "$EMU_URL$1"; }
emu_get() { curl -sf "$EMU_URL$1"; }

fail() { echo "FAIL: $*" >&2; exit 1; }

# expect_exit CODE CMD...: runs CMD, checks its exit status; output in $WORK/out, $WORK/err.
expect_exit() {
  local want=$1; shift
  set +e; "$@" >"$WORK/out" 2>"$WORK/err"; local got=$?; set -e
  [ "$got" = "$want" ] || { echo "--- stdout"; cat "$WORK/out"; echo "--- stderr"; cat "$WORK/err"; fail "'$*' exited $got, expected $want"; } >&2
}

# demo_login: the demo org's admin credentials in the environment.
demo_login() {
  export SFACCESS_DOMAIN="$EMU_URL" SFACCESS_USERNAME=admin@acme.example \
         SFACCESS_PASSWORD=demo-Pa55 SFACCESS_SECURITY_TOKEN=DEMOtok3n
}
