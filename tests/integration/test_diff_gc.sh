#!/usr/bin/env bash
# gc --keep N on the demo org: keeps the newest N complete snapshots and
# any incomplete one newer than them, deletes the rest and compacts the
# store; what it keeps reports byte-identically; --keep 0 is refused; a
# sync in progress makes gc fail (exit 1) without touching anything.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login

sync_ok() { expect_exit 0 "$SFACCESS" --no-progress sync; }
sync_fail() {
  emu_post /__admin/faults '{"api_limit": 20}' >/dev/null
  expect_exit 1 "$SFACCESS" --no-progress sync
  emu_post /__admin/faults '{"api_limit": null}' >/dev/null
}
sync_ok; sync_fail; sync_ok; sync_ok; sync_fail   # 1 C, 2 I, 3 C, 4 C, 5 I
expect_exit 0 "$SFACCESS" report access --snapshot 3 --format csv --out "$WORK/before"

expect_exit 2 "$SFACCESS" gc --keep 0
expect_exit 2 "$SFACCESS" gc
expect_exit 0 "$SFACCESS" gc --keep 2
grep -q "^deleted snapshot 1 " "$WORK/out" && grep -q "^deleted snapshot 2 " "$WORK/out" \
  && [ "$(grep -c '^deleted snapshot' "$WORK/out")" = 2 ] || fail "gc output: $(cat "$WORK/out")"
grep -q "^gc: deleted 2 snapshots" "$WORK/out" || fail "gc summary: $(cat "$WORK/out")"
expect_exit 0 "$SFACCESS" snapshots --format csv
ids=$(node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" id status <"$WORK/out" | tr '\t\n' ': ')
[ "$ids" = "3:complete 4:complete 5:incomplete " ] || fail "kept: $ids"
expect_exit 0 "$SFACCESS" report access --snapshot 3 --format csv --out "$WORK/after"
cmp -s "$WORK/before/access-review.csv" "$WORK/after/access-review.csv" \
  || fail "snapshot 3 reads differently after gc"
expect_exit 0 "$SFACCESS" diff --exit-code
echo "ok gc --keep 2 deletes 1 and 2, keeps 3, 4 and the newer incomplete 5"

# A sync in progress (slowed by the emulator) holds the store: gc fails.
emu_post /__admin/faults '{"latency_ms": 400}' >/dev/null
"$SFACCESS" --no-progress sync >"$WORK/sync.out" 2>&1 &
sync_pid=$!
for _ in $(seq 1 100); do
  "$SFACCESS" snapshots --format csv 2>/dev/null | grep -q '^6,' && break
  sleep 0.1
done
expect_exit 1 "$SFACCESS" gc --keep 1
grep -q "in use by another sfaccess process" "$WORK/err" || fail "busy gc: $(cat "$WORK/err")"
wait "$sync_pid" || fail "the sync failed while gc ran: $(cat "$WORK/sync.out")"
emu_post /__admin/faults '{"latency_ms": 0}' >/dev/null
expect_exit 0 "$SFACCESS" gc --keep 1
grep -q "^gc: deleted 3 snapshots" "$WORK/out" || fail "gc after the sync: $(cat "$WORK/out")"
expect_exit 0 "$SFACCESS" snapshots --format csv
[ "$(node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" id status <"$WORK/out" | tr '\t\n' ': ')" = "6:complete " ] \
  || fail "after gc --keep 1: $(cat "$WORK/out")"
echo "ok gc refuses to run while a sync writes"
