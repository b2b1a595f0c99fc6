#!/usr/bin/env bash
# Evidence survives the machine (EVIDENCE.md): a sync whose store fills
# the disk stops with a clear message, earlier snapshots and the store's
# integrity intact, and the next sync with room succeeds; two syncs at
# once on one store never corrupt each other.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
q() { sqlite3 -separator '|' "$1" "$2"; }

# 1. Two syncs at once on one store, each slowed by 100 ms a request: the
# second waits for the first's transaction (or refuses, naming the busy
# store); every snapshot that completes is whole and the same.  (rc=0 ...
# || rc=$?: under set -e a refused sync would end its subshell before the
# status is written.)
emu_post /__admin/faults '{"latency_ms": 100}' >/dev/null
(rc=0; "$SFACCESS" --no-progress sync >"$WORK/o1" 2>"$WORK/e1" || rc=$?; echo $rc >"$WORK/r1") &
p1=$!
(rc=0; "$SFACCESS" --no-progress sync >"$WORK/o2" 2>"$WORK/e2" || rc=$?; echo $rc >"$WORK/r2") &
p2=$!
wait "$p1" "$p2"
emu_post /__admin/faults '{"latency_ms": 0}' >/dev/null
for i in 1 2; do
  case $(cat "$WORK/r$i") in
    0) grep -q "complete" "$WORK/o$i" || fail "sync $i: $(cat "$WORK/o$i")" ;;
    1) grep -qi "busy\|another" "$WORK/e$i" || fail "sync $i refused without saying why: $(cat "$WORK/e$i")" ;;
    *) fail "sync $i exited $(cat "$WORK/r$i"): $(cat "$WORK/e$i")" ;;
  esac
done
[ "$(q "$SFACCESS_STORE" "PRAGMA integrity_check")" = ok ] || fail "store damaged by two syncs"
[ "$(q "$SFACCESS_STORE" "SELECT count(DISTINCT content_hash) FROM snapshot WHERE status = 'complete'")" = 1 ] \
  || fail "the complete snapshots differ: $(q "$SFACCESS_STORE" "SELECT * FROM snapshot")"
[ "$(q "$SFACCESS_STORE" "SELECT count(*) FROM snapshot WHERE status = 'complete'")" -ge 1 ] || fail "no snapshot completed"
echo "ok two syncs at once: $(cat "$WORK/r1") and $(cat "$WORK/r2")"

# 2. The disk fills: a small tmpfs for the store.
mnt="$WORK/mnt"
mkdir "$mnt"
if ! mount -t tmpfs -o size=3m tmpfs "$mnt" 2>"$WORK/mount.err"; then
  echo "SKIP disk-full: cannot mount a tmpfs here ($(cat "$WORK/mount.err")); run as root to test it"
  exit 0
fi
trap 'umount "$mnt" 2>/dev/null || true; cleanup' EXIT
store="$mnt/store.db"
SFACCESS_STORE="$store" expect_exit 0 "$SFACCESS" --no-progress sync
hash1=$(q "$store" "SELECT content_hash FROM snapshot WHERE id = 1")
# Leave 120 KB: the next snapshot's data does not fit.
avail=$(df -k --output=avail "$mnt" | tail -1)
dd if=/dev/zero of="$mnt/filler" bs=1k count=$((avail - 120)) status=none 2>/dev/null || true
SFACCESS_STORE="$store" expect_exit 1 "$SFACCESS" --no-progress sync
grep -q "database or disk is full (store $store)" "$WORK/err" || fail "disk full message: $(cat "$WORK/err")"
[ "$(q "$store" "PRAGMA integrity_check")" = ok ] || fail "store damaged by a full disk"
[ "$(q "$store" "SELECT status || ' ' || content_hash FROM snapshot WHERE id = 1")" = "complete $hash1" ] \
  || fail "snapshot 1 changed"
[ "$(q "$store" "SELECT count(*) FROM snapshot WHERE status = 'complete'")" = 1 ] || fail "a snapshot completed on a full disk"
rm "$mnt/filler"
SFACCESS_STORE="$store" expect_exit 0 "$SFACCESS" --no-progress sync
grep -q "complete" "$WORK/out" || fail "the sync after the disk has room: $(cat "$WORK/out")"
[ "$(q "$store" "PRAGMA integrity_check")" = ok ] || fail "store damaged after the retry"
echo "ok disk full: stopped cleanly, next sync succeeded"
