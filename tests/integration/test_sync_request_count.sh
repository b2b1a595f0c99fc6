#!/usr/bin/env bash
# The request count a sync prints means one thing (issue 13): the
# requests the org charges to its API limit, equal to what the emulator
# counted (/__admin/stats api_requests), with logins, requests refused for
# an expired session and retried 5xx answers printed apart.  Under
# expiring sessions it printed 209 while the org's usage rose by 14.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
api() { emu_get /__admin/stats | node -e 'console.log(JSON.parse(require("fs").readFileSync(0, "utf8")).api_requests)'; }
printed() { sed -n 's/.*; \([0-9]*\) API requests in .*/\1/p' "$WORK/out"; }
others() { sed -n 's/.* (and \([0-9]*\) not charged: logins, expired sessions, retries).*/\1/p' "$WORK/out"; }

# A clean sync: one login, nothing else apart.
b=$(api)
expect_exit 0 "$SFACCESS" --no-progress sync --no-login-history
[ "$(printed)" = "$(( $(api) - b ))" ] || fail "clean: printed $(printed), the org counted $(( $(api) - b ))"
[ "$(others)" = 1 ] || fail "clean: $(others) not charged, expected the login: $(cat "$WORK/out")"
echo "ok clean sync: $(printed) API requests, the login apart"

# The login history copy (on by default) runs before the summary: the
# requests printed are all the org counted, the copy's own among them.
b=$(api)
expect_exit 0 "$SFACCESS" --no-progress sync
lh=$(sed -n 's/^login history: .* in \([0-9]*\) requests*; .*/\1/p' "$WORK/out")
[ -n "$lh" ] && [ "$lh" -ge 1 ] && [ "$(printed)" = "$(( $(api) - b ))" ] \
  || fail "with login history: printed $(printed) (the copy ${lh:-?}), the org counted $(( $(api) - b )): $(cat "$WORK/out")"
echo "ok with login history: $(printed) API requests, $lh of them the copy's"

for expire in 2 5; do
  for conns in 1 4; do
    emu_post /__admin/faults "{\"expire_sessions_after\":$expire}" >/dev/null
    b=$(api)
    expect_exit 0 "$SFACCESS" -v --no-progress sync --no-login-history --max-connections $conns
    emu_post /__admin/faults '{"expire_sessions_after":0}' >/dev/null
    got=$(( $(api) - b ))
    relogs=$(grep -c "session expired; logging in again" "$WORK/err" || true)
    [ "$relogs" -ge 1 ] || fail "expire $expire: the fault did not bite"
    [ "$(printed)" = "$got" ] || fail "expire $expire, $conns connections: printed $(printed), the org counted $got: $(cat "$WORK/out")"
    # Each re-login: at least the 401 that caused it and the login itself.
    [ "$(others)" -ge $((1 + 2 * relogs)) ] \
      || fail "expire $expire, $conns connections: $(others) not charged for $relogs re-logins"
    echo "ok expire_sessions_after=$expire, $conns connections: $(printed) = the org's $got; $(others) apart ($relogs re-logins)"
  done
done

# Injected 503s are retried and not charged either.
emu_post /__admin/faults '{"fail_rate":0.2,"fail_status":503,"seed":5}' >/dev/null
b=$(api)
expect_exit 0 "$SFACCESS" -v --no-progress sync --no-login-history --max-connections 1
emu_post /__admin/faults '{"fail_rate":0}' >/dev/null
got=$(( $(api) - b ))
retries=$(grep -c "retrying in" "$WORK/err" || true)
[ "$retries" -ge 1 ] || fail "no 503 was retried"
[ "$(printed)" = "$got" ] || fail "503s: printed $(printed), the org counted $got"
[ "$(others)" -ge $((1 + retries)) ] || fail "503s: $(others) not charged for $retries retries"
echo "ok $retries retried 503s: $(printed) = the org's $got; $(others) apart"
