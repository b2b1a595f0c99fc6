#!/usr/bin/env bash
# sync under faults (issue 8): 10% 503s, latency drawn between 50 and
# 200 ms per request, expiring sessions and cut-short bodies all at once;
# the snapshot is complete and its content hash equals a clean run's.  The
# CI org is 3,000 users, SFA_FAULT_USERS (tests/soak/run.sh does 50,000 and
# several seeds).
#
# The emulator's --batch-size caps the page size sfaccess asks for
# (Sforce-Query-Options batchSize=2000), as a busy org may, so the org
# is read in 200-row pages: many pages from a small org.  Sessions expire
# every SFA_FAULT_EXPIRE requests and 3% of bodies are cut short, so every
# fault happens in a sync of a few dozen requests.  The latency range is
# the emulator's own ("latency_ms":[50,200], from a seeded stream).
# The seeds run with --bulk-threshold 0 (REST queries only); one more run
# uses the default Bulk threshold.
. "$(dirname "$0")/lib.sh"

users=${SFA_FAULT_USERS:-3000}
seeds=${SFA_FAULT_SEEDS:-4}
expire=${SFA_FAULT_EXPIRE:-10}
truncate=${SFA_FAULT_TRUNCATE:-0.03}

node "$SFA_SOURCE_DIR/tests/emulator/generate.js" --users "$users" --seed 8 >"$WORK/org.json"
emu_start "$WORK/org.json" --batch-size 200
export SFACCESS_DOMAIN="$EMU_URL" SFACCESS_USERNAME=admin@gen8.example \
       SFACCESS_PASSWORD=pw SFACCESS_SECURITY_TOKEN=tok

hash_of() { # snapshot id -> content hash
  "$SFACCESS" snapshots --format csv | awk -F, -v id="$1" '$1 == id { print $10 }'
}

# faulted_sync SEED [sync options]: one sync under the fault mix; sets
# rc, and id to the snapshot it made.
id=0
faulted_sync() {
  local seed=$1; shift
  emu_post /__admin/reset '{}' >/dev/null
  emu_post /__admin/faults "{\"latency_ms\":[50,200],\"fail_rate\":0.1,\"fail_status\":503,\"expire_sessions_after\":$expire,\"truncate_rate\":$truncate,\"seed\":$seed}" >/dev/null
  set +e; "$SFACCESS" --no-progress sync "$@" >"$WORK/out" 2>"$WORK/err"; rc=$?; set -e
  id=$((id + 1))
}

expect_exit 0 "$SFACCESS" --no-progress sync
id=1
clean=$(hash_of 1)
[ -n "$clean" ] || fail "clean sync has no content hash"
echo "ok clean sync: $clean"

for seed in $seeds; do
  start=$(date +%s)
  faulted_sync "$seed" --bulk-threshold 0
  [ "$rc" = 0 ] || { cat "$WORK/err" >&2; fail "seed $seed: sync under faults exited $rc"; }
  got=$(hash_of "$id")
  [ "$got" = "$clean" ] || fail "seed $seed: content hash $got differs from the clean run's $clean"
  stats=$(emu_get /__admin/stats)
  logins=$(node -e 'const s=JSON.parse(process.argv[1]); console.log(s.by_route["POST /services/Soap/u/NN.N"]||0)' "$stats")
  retries=$(grep -c "retrying in" "$WORK/err" || true)
  [ "$logins" -ge 2 ] || fail "seed $seed: sessions never expired (logins: $logins)"
  [ "$retries" -ge 1 ] || fail "seed $seed: no request was retried, the faults did not bite"
  echo "ok seed $seed: same hash after $retries retries and $logins logins in $(( $(date +%s) - start )) s"
done

# Bulk API 2.0 under the same faults: creating a query job changes nothing
# in the org, so a 5xx on it is retried like a GET (lib/salesforce/bulk.c).
faulted_sync 4
[ "$rc" = 0 ] || { cat "$WORK/err" >&2; fail "bulk sync under faults exited $rc"; }
[ "$(hash_of "$id")" = "$clean" ] || fail "bulk sync under faults: content hash differs from the clean run's"
echo "ok bulk under faults: same hash"
