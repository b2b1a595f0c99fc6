#!/usr/bin/env bash
# Lost query cursors (INVALID_QUERY_LOCATOR on a query-more, as when an
# org times cursors out or the session that owned them changes): the scan
# of that object starts again from its first query, the rows already
# stored are not stored twice, and the snapshot equals a clean run's.
# The emulator serves 200-row pages; it forgets every cursor after N
# query-mores (25; the longest scan, PermissionSetAssignment of 1,000
# users, is ~20), so a scan started over right after a loss can finish.
# With N = 3 no long scan can: three restarts, then a clear failure.
# Permissions are not synced: their ObjectPermissions pages would share
# the emulator's count of query-mores with the scans under test, and with
# 4 connections a restarted scan could lose its cursor again by timing.
. "$(dirname "$0")/lib.sh"

users=${SFA_LOCATOR_USERS:-1000}
node "$SFA_SOURCE_DIR/tests/emulator/generate.js" --users "$users" --seed 8 >"$WORK/org.json"
emu_start "$WORK/org.json" --batch-size 200
export SFACCESS_DOMAIN="$EMU_URL" SFACCESS_USERNAME=admin@gen8.example \
       SFACCESS_PASSWORD=pw SFACCESS_SECURITY_TOKEN=tok

hash_of() { "$SFACCESS" snapshots --format csv | awk -F, -v id="$1" '$1 == id { print $10 }'; }
lost() { grep -c ' 400 ' "$WORK/emulator.log" || true; }

expect_exit 0 "$SFACCESS" --no-progress sync --no-sync-permissions --bulk-threshold 0
clean=$(hash_of 1)
[ -n "$clean" ] || fail "clean sync has no content hash"
echo "ok clean sync: $clean"
id=1
for conns in 1 4; do
  emu_post /__admin/reset '{}' >/dev/null
  emu_post /__admin/faults "{\"lose_locators_after\":${SFA_LOSE_AFTER:-25}}" >/dev/null
  before=$(lost)
  expect_exit 0 "$SFACCESS" -v --no-progress sync --no-sync-permissions --bulk-threshold 0 --max-connections $conns
  id=$((id + 1))
  [ "$(hash_of $id)" = "$clean" ] || fail "$conns connections: hash $(hash_of $id) != $clean"
  n=$(( $(lost) - before ))
  [ "$n" -ge 1 ] || fail "$conns connections: no cursor was lost, the fault did not bite"
  echo "ok --max-connections $conns: $n lost cursors, scans started over, same hash"
done

# Cursors lost every 3 query-mores: a scan longer than that never gets
# through; it is started over 3 times, then the sync stops and says why.
emu_post /__admin/reset '{}' >/dev/null
emu_post /__admin/faults '{"lose_locators_after":3}' >/dev/null
expect_exit 1 "$SFACCESS" --no-progress sync --no-sync-permissions --bulk-threshold 0 --max-connections 1
grep -q "the query cursor was lost 4 times, restarting the scan each time" "$WORK/err" \
  || fail "no bounded-restart message in: $(cat "$WORK/err")"
grep -q "INVALID_QUERY_LOCATOR" "$WORK/err" || fail "no INVALID_QUERY_LOCATOR in: $(cat "$WORK/err")"
echo "ok cursors lost every 3 pages: gave up after 3 restarts: $(grep 'error:' "$WORK/err" | head -c 120)"
