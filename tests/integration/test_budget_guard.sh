#!/usr/bin/env bash
# The API budget guard: --max-api-requests and --max-api-percent stop a
# sync before it spends more than allowed (snapshot left incomplete, exit
# 1, the needed and allowed counts in the message); REQUEST_LIMIT_EXCEEDED
# stops a sync at once and is never retried.
. "$(dirname "$0")/lib.sh"

node "$SFA_SOURCE_DIR/tests/emulator/generate.js" --users 2000 >"$WORK/org.json"
emu_start "$WORK/org.json"
export SFACCESS_DOMAIN="$EMU_URL" SFACCESS_USERNAME=admin@gen1.example \
       SFACCESS_PASSWORD=pw SFACCESS_SECURITY_TOKEN=tok

stat() { emu_get /__admin/stats | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const j=JSON.parse(s);console.log($1)})"; }
fresh() { rm -f "$SFACCESS_STORE"*; emu_post /__admin/reset '{}' >/dev/null; }
status_of_last() {
  "$SFACCESS" snapshots --format csv | tail -n 1 | cut -d, -f5
}

# What a REST-only sync of this org costs, for the budgets below.
fresh
expect_exit 0 "$SFACCESS" --no-progress sync --no-login-history --no-sync-permissions --bulk-threshold 0
need=$(sed -n 's/.* \([0-9]*\) API requests in .*/\1/p' "$WORK/out")
[ "$need" -gt 11 ] || fail "expected a multi-page org, the sync used $need requests"
echo "ok a full REST sync costs $need requests"

# Fewer than one request per object: refused before anything is sent.
fresh
expect_exit 1 "$SFACCESS" --no-progress sync --no-login-history --no-sync-permissions --bulk-threshold 0 --max-api-requests 5
grep -q "needs at least 11 API requests (one per object) but is allowed 5" "$WORK/err" \
  || fail "no needed/allowed message: $(cat "$WORK/err")"
[ "$(stat j.api_requests)" = 0 ] || fail "requests were spent: $(stat j.api_requests)"
[ "$(status_of_last)" = incomplete ] || fail "snapshot not left incomplete"
echo "ok below the minimum: nothing spent"

# With permissions the describe calls count too, and are not sent when
# the budget cannot pay for them and a page per object.
fresh
expect_exit 1 "$SFACCESS" --no-progress sync --no-login-history --bulk-threshold 0 --max-api-requests 5
grep -q "needs at least 17 API requests (one per object and describe) but is allowed 5" "$WORK/err" \
  || fail "no needed/allowed message with permissions: $(cat "$WORK/err")"
[ "$(stat j.api_requests)" = 0 ] || fail "requests were spent: $(stat j.api_requests)"
echo "ok below the minimum with permissions: nothing spent"

# One short of the plan: only the first page of each object is spent.
fresh
expect_exit 1 "$SFACCESS" --no-progress sync --no-login-history --no-sync-permissions --bulk-threshold 0 --max-api-requests $((need - 1))
grep -q "the sync needs about $need API requests but is allowed $((need - 1)); stopped after 11, before spending more" "$WORK/err" \
  || fail "no plan message: $(cat "$WORK/err")"
[ "$(stat j.api_requests)" = 11 ] || fail "spent $(stat j.api_requests), expected the 11 first pages"
[ "$(status_of_last)" = incomplete ] || fail "snapshot not left incomplete"
grep -q "snapshot 1 was left incomplete" "$WORK/err" || fail "no incomplete note"
echo "ok one short of the plan: stopped after the first pages"

# Exactly the plan: complete.
fresh
expect_exit 0 "$SFACCESS" --no-progress sync --no-login-history --no-sync-permissions --bulk-threshold 0 --max-api-requests "$need"
[ "$(status_of_last)" = complete ] || fail "snapshot not complete within an exact budget"
echo "ok exact budget: complete"

# Percent of the org's daily limit (1000 here): 1% = 10 requests is too
# few, stopped after the one request that read the limit; 10% is enough.
fresh
emu_post /__admin/faults '{"api_limit": 1000}' >/dev/null
expect_exit 1 "$SFACCESS" --no-progress sync --no-login-history --no-sync-permissions --bulk-threshold 0 --max-api-percent 1
grep -q "is allowed 10" "$WORK/err" || fail "no percent message: $(cat "$WORK/err")"
[ "$(stat j.api_requests)" = 1 ] || fail "spent $(stat j.api_requests) reading the limit"
fresh
emu_post /__admin/faults '{"api_limit": 1000}' >/dev/null
expect_exit 0 "$SFACCESS" --no-progress sync --no-login-history --no-sync-permissions --bulk-threshold 0 --max-api-percent 10
echo "ok --max-api-percent"

# The org's own limit runs out mid-sync: a clean stop, no retry loop.
fresh
emu_post /__admin/faults '{"api_limit": 6}' >/dev/null
expect_exit 1 "$SFACCESS" --no-progress sync --no-login-history --no-sync-permissions --bulk-threshold 0
grep -q "REQUEST_LIMIT_EXCEEDED" "$WORK/err" || fail "no REQUEST_LIMIT_EXCEEDED: $(cat "$WORK/err")"
spent=$(stat j.api_requests)
# 6 allowed, then at most one refused request per connection in flight.
[ "$spent" -le 10 ] || fail "$spent requests after the limit ran out"
[ "$(status_of_last)" = incomplete ] || fail "snapshot not left incomplete"
echo "ok REQUEST_LIMIT_EXCEEDED: stopped after $spent requests"

# Bad values are usage errors.
expect_exit 2 "$SFACCESS" sync --no-login-history --max-api-percent 0
expect_exit 2 "$SFACCESS" sync --no-login-history --max-api-requests -3
expect_exit 2 "$SFACCESS" sync --no-login-history --max-connections 0
echo "ok usage errors"
