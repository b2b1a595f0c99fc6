#!/usr/bin/env bash
# Crash safety (issue 8): kill -9 of sync at random points never damages
# the store.  After each kill: the earlier snapshot keeps its content hash
# and its data (its access review CSV is byte for byte the same), the
# interrupted snapshot is `incomplete` or absent (or complete with the
# same hash, if the sync won the race), PRAGMA integrity_check is ok, and
# the next sync works.  Then two syncs on one store at once: one waits or
# fails with a clear message, and the store is intact.
# SFA_CRASH_TRIALS (default 3; tests/soak/run.sh uses 20).
. "$(dirname "$0")/lib.sh"

trials=${SFA_CRASH_TRIALS:-3}
command -v sqlite3 >/dev/null || fail "sqlite3 CLI missing (scripts/setup.sh installs it)"

node "$SFA_SOURCE_DIR/tests/emulator/generate.js" --users 3000 --seed 9 >"$WORK/org.json"
# Some latency so a sync lasts a few seconds and a kill lands inside it.
emu_start "$WORK/org.json" --latency-ms 40
export SFACCESS_DOMAIN="$EMU_URL" SFACCESS_USERNAME=admin@gen9.example \
       SFACCESS_PASSWORD=pw SFACCESS_SECURITY_TOKEN=tok

snap() { # id column -> value (csv of `snapshots`)
  "$SFACCESS" snapshots --format csv | awk -F, -v id="$1" -v c="$2" '$1 == id { print $c }'
}
check_store() {
  local ic; ic=$(sqlite3 "$SFACCESS_STORE" 'PRAGMA integrity_check')
  [ "$ic" = ok ] || fail "$1: integrity_check: $ic"
  [ "$(snap 1 10)" = "$h1" ] || fail "$1: snapshot 1's hash changed: $(snap 1 10)"
  [ "$(snap 1 5)" = complete ] || fail "$1: snapshot 1 is no longer complete"
  rm -rf "$WORK/r1"
  "$SFACCESS" report access --snapshot 1 --format csv --out "$WORK/r1" >/dev/null 2>&1 \
    || fail "$1: report of snapshot 1 failed"
  cmp -s "$WORK/r1/access-review.csv" "$WORK/ref.csv" || fail "$1: snapshot 1's access review changed"
}

start=$(date +%s%N)
expect_exit 0 "$SFACCESS" --no-progress sync
took=$(( ($(date +%s%N) - start) / 1000000 )) # ms
h1=$(snap 1 10)
"$SFACCESS" report access --snapshot 1 --format csv --out "$WORK/r0" >/dev/null
cp "$WORK/r0/access-review.csv" "$WORK/ref.csv"
echo "ok clean sync in $took ms, hash $h1"

for t in $(seq 1 "$trials"); do
  # A random point between 5% and 95% of a clean sync's duration.
  delay=$(awk -v t="$took" -v p=$((5 + RANDOM % 91)) 'BEGIN { printf "%.2f", t * p / 100000 }')
  "$SFACCESS" --no-progress -q sync >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  last=$("$SFACCESS" snapshots --format csv | tail -n 1 | cut -d, -f1)
  status=$(snap "$last" 5)
  if [ "$last" != 1 ] && [ "$status" = complete ]; then
    [ "$(snap "$last" 10)" = "$h1" ] || fail "trial $t: a complete snapshot $last with another hash"
  fi
  check_store "trial $t"
  echo "ok trial $t: killed after ${delay}s; last snapshot $last is $status"
done

# The store still takes a complete snapshot after all that.
expect_exit 0 "$SFACCESS" --no-progress sync
last=$("$SFACCESS" snapshots --format csv | tail -n 1 | cut -d, -f1)
[ "$(snap "$last" 10)" = "$h1" ] || fail "sync after the kills: hash $(snap "$last" 10)"
echo "ok sync after the kills: snapshot $last, same hash"

# Two syncs at once.
"$SFACCESS" --no-progress sync >"$WORK/a.out" 2>"$WORK/a.err" & a=$!
"$SFACCESS" --no-progress sync >"$WORK/b.out" 2>"$WORK/b.err" & b=$!
set +e; wait $a; ra=$?; wait $b; rb=$?; set -e
check_store "two syncs"
for x in a b; do
  rc=$ra; [ $x = b ] && rc=$rb
  if [ "$rc" = 0 ]; then
    grep -q "complete" "$WORK/$x.out" || fail "sync $x exited 0 without a summary"
  else
    # A refusal must say that the store is in use, not fail obscurely.
    grep -Eiq "in use|busy|locked|another" "$WORK/$x.err" || fail "sync $x exited $rc with: $(cat "$WORK/$x.err")"
  fi
done
[ "$ra" = 0 ] || [ "$rb" = 0 ] || fail "neither of two syncs succeeded"
echo "ok two syncs at once: exits $ra and $rb; $(cat "$WORK"/[ab].err | grep -Ei 'in use|busy|locked|another' | head -n 1)"
"$SFACCESS" snapshots --format csv | awk -F, 'NR > 1 && $5 == "complete" && $10 != "'"$h1"'" { exit 1 }' \
  || fail "a complete snapshot with another hash"
