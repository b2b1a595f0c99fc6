#!/usr/bin/env bash
# A concurrent sync that reads the big objects with Bulk API 2.0 stores
# exactly what a sequential REST-only sync stores (same content hash), and
# the request count it prints is the one the org charged.
. "$(dirname "$0")/lib.sh"

node "$SFA_SOURCE_DIR/tests/emulator/generate.js" --users 20000 >"$WORK/org.json"
emu_start "$WORK/org.json"
export SFACCESS_DOMAIN="$EMU_URL" SFACCESS_USERNAME=admin@gen1.example \
       SFACCESS_PASSWORD=pw SFACCESS_SECURITY_TOKEN=tok

# sync_hash NAME ARGS...: syncs into a fresh store; sets HASH and REQS and
# checks REQS against the emulator's api_requests.
sync_hash() {
  local name=$1; shift
  rm -f "$SFACCESS_STORE"*
  emu_post /__admin/reset '{}' >/dev/null
  expect_exit 0 "$SFACCESS" --no-progress -v sync --no-login-history "$@"
  cp "$WORK/out" "$WORK/out-$name"
  HASH=$(sed -n 's/^content hash //p' "$WORK/out")
  REQS=$(sed -n 's/.* \([0-9]*\) API requests in .*/\1/p' "$WORK/out")
  [ -n "$HASH" ] && [ -n "$REQS" ] || fail "$name: no hash or request count: $(cat "$WORK/out")"
  local charged
  charged=$(emu_get /__admin/stats | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).api_requests))')
  [ "$REQS" = "$charged" ] || fail "$name: printed $REQS API requests, the org charged $charged"
  echo "ok $name: $REQS requests, hash $HASH"
}

sync_hash sequential-rest --max-connections 1 --bulk-threshold 0
base=$HASH
# REST cost bound: one request per 2000 rows of each object, nothing more.
rows_bound=$(awk '$1=="scan" {s += int(($3 + 1999) / 2000); if ($3 == 0) s++} END {print s}' "$WORK/out-sequential-rest")
[ "$REQS" -le "$((rows_bound + 10))" ] || fail "REST sync used $REQS requests, bound is $rows_bound + 10"

sync_hash concurrent-bulk --max-connections 4 --bulk-threshold 5000
[ "$HASH" = "$base" ] || fail "concurrent Bulk sync hash $HASH differs from sequential REST $base"
grep -q '^scan PermissionSetAssignment .* bulk ' "$WORK/out-concurrent-bulk" || fail "PermissionSetAssignment was not read with Bulk"
rest_reqs=$(sed -n 's/.* \([0-9]*\) API requests in .*/\1/p' "$WORK/out-sequential-rest")
[ "$REQS" -lt "$rest_reqs" ] || fail "Bulk sync used $REQS requests, REST $rest_reqs"

sync_hash concurrent-rest --max-connections 4 --bulk-threshold 0
[ "$HASH" = "$base" ] || fail "concurrent REST sync hash differs"

# Small Bulk pages, and responses cut short or refused now and then: the
# pages are fetched again, no row is stored twice or lost.
emu_post /__admin/reset '{}' >/dev/null
rm -f "$SFACCESS_STORE"*
emu_post /__admin/faults '{"truncate_rate": 0.15, "fail_rate": 0.1, "seed": 7}' >/dev/null
expect_exit 0 "$SFACCESS" --no-progress -v sync --no-login-history --bulk-threshold 5000 --bulk-page-size 7000
[ "$(sed -n 's/^content hash //p' "$WORK/out")" = "$base" ] || fail "sync through faults stored other content"
echo "ok faults: same hash"

# Sessions that expire every 10 requests while scans run concurrently: one
# fresh login per expiry, and the same content.
emu_post /__admin/reset '{}' >/dev/null
rm -f "$SFACCESS_STORE"*
emu_post /__admin/faults '{"expire_sessions_after": 10}' >/dev/null
expect_exit 0 "$SFACCESS" --no-progress -v sync --no-login-history --bulk-threshold 5000 --bulk-page-size 7000
[ "$(sed -n 's/^content hash //p' "$WORK/out")" = "$base" ] || fail "sync through expiring sessions stored other content"
logins=$(emu_get /__admin/stats | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).by_route["POST /services/Soap/u/NN.N"]))')
reqs=$(sed -n 's/.* \([0-9]*\) API requests in .*/\1/p' "$WORK/out")
# One login per 10 requests, the first, and a few more: calls already in
# flight on a session that expires each come back 401, and the first of
# them may log in before a sibling's retry is counted (seen: 9 for 67).
[ "$logins" -le "$((reqs / 10 + 4))" ] || fail "$logins logins for $reqs requests with sessions of 10"
echo "ok expiring sessions: $logins logins, same hash"
