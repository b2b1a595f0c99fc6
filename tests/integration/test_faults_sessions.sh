#!/usr/bin/env bash
# Sessions that expire every few requests: each expiry costs one fresh
# login (calls that saw the same expiry share it), however often it
# happens, and the snapshot equals a clean run's.  Sequential (one
# connection) and concurrent (the default four).
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login

hash_of() { "$SFACCESS" snapshots --format csv | awk -F, -v id="$1" '$1 == id { print $10 }'; }

expect_exit 0 "$SFACCESS" --no-progress sync --no-login-history
clean=$(hash_of 1)
[ -n "$clean" ] || fail "clean sync has no content hash"
id=1
for expire in 3 5 8; do
  for conns in 1 4; do
    emu_post /__admin/reset '{}' >/dev/null
    emu_post /__admin/faults "{\"expire_sessions_after\":$expire}" >/dev/null
    expect_exit 0 "$SFACCESS" -v --no-progress sync --no-login-history --max-connections $conns
    id=$((id + 1))
    [ "$(hash_of $id)" = "$clean" ] || fail "expire $expire, $conns connections: hash $(hash_of $id) != $clean"
    relogs=$(grep -c "session expired; logging in again" "$WORK/err" || true)
    [ "$relogs" -ge 1 ] || fail "expire $expire, $conns connections: only $relogs re-logins, the fault did not bite"
    echo "ok expire_sessions_after=$expire, --max-connections $conns: $relogs re-logins, same hash"
  done
done
