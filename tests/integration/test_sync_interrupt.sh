#!/usr/bin/env bash
# Ctrl-C (issue 13): SIGINT or SIGTERM during a sync against a slow org
# prints what was interrupted, marks the snapshot incomplete with the
# reason "interrupted", and leaves earlier snapshots alone.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json" --latency-ms 400
demo_login
expect_exit 0 "$SFACCESS" --no-progress sync --max-connections 1
h1=$("$SFACCESS" snapshots --format csv | awk -F, '$1 == 1 { print $10 }')

interrupt() { # SIGNAL EXPECTED_NAME SNAPSHOT_ID
  "$SFACCESS" --no-progress sync --max-connections 1 >"$WORK/out" 2>"$WORK/err" &
  local pid=$! t0
  # Logged in, a few pages read: the signal lands mid-fetch.
  for _ in $(seq 1 100); do grep -q 'Logged in' "$WORK/err" && break; sleep 0.05; done
  sleep 1
  t0=$(date +%s%N)
  kill -s "$1" "$pid"
  set +e; wait "$pid"; local rc=$?; set -e
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  [ "$rc" = 1 ] || fail "$1: exit $rc, expected 1: $(cat "$WORK/err")"
  [ "$ms" -lt 3000 ] || fail "$1: took $ms ms to stop"
  grep -q "sync interrupted by $2 after [0-9]* API requests" "$WORK/err" || fail "$1: no message: $(cat "$WORK/err")"
  grep -q "snapshot $3 is marked incomplete (reason: interrupted); earlier snapshots are unchanged" "$WORK/err" \
    || fail "$1: no snapshot note: $(cat "$WORK/err")"
  ! grep -q 'error:' "$WORK/err" || fail "$1: printed as an error: $(cat "$WORK/err")"
  [ "$("$SFACCESS" snapshots --format csv | awk -F, -v id="$3" '$1 == id { print $5 }')" = incomplete ] \
    || fail "$1: snapshot $3 is not incomplete"
  [ "$(sqlite3 "$SFACCESS_STORE" "SELECT error FROM snapshot WHERE id = $3")" = interrupted ] \
    || fail "$1: reason is $(sqlite3 "$SFACCESS_STORE" "SELECT error FROM snapshot WHERE id = $3")"
}
interrupt INT 'SIGINT (Ctrl-C)' 2
interrupt TERM SIGTERM 3
[ "$("$SFACCESS" snapshots --format csv | awk -F, '$1 == 1 { print $10 }')" = "$h1" ] || fail "snapshot 1 changed"
[ "$(sqlite3 "$SFACCESS_STORE" 'PRAGMA integrity_check')" = ok ] || fail "store damaged"
# The interrupted snapshots are not used by default.
expect_exit 0 "$SFACCESS" show --user admin@acme.example
grep -q 'snapshot 1$' "$WORK/out" || fail "show did not fall back to the complete snapshot"
echo ok
