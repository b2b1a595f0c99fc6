#!/usr/bin/env bash
# tests/bench/policy.sh on a 300-user org with 5 days of login history,
# once, so that it cannot rot: it must run end to end and print its table,
# the findings by rule and the request counts of both login history syncs.
. "$(dirname "$0")/lib.sh"

bash "$SFA_SOURCE_DIR/tests/bench/policy.sh" --users 300 --days 5 --runs 1 --history-users 100 \
  --sfaccess "$SFACCESS" --build-dir "$WORK/bench-smoke" --no-lock >"$WORK/table" 2>"$WORK/log" \
  || { cat "$WORK/log" "$WORK/table" >&2; fail "policy.sh failed"; }
cat "$WORK/table"
grep -Eq '^\| [0-9]+ \| [0-9]+ \| [0-9]+ \| [0-9]+ \| [0-9.]+ s \([0-9. ]+\) \| [0-9.]+ s \| [0-9]+ MB \| [0-9. ]+ \| [0-9]+ \|$' "$WORK/table" \
  || fail "no figures row"
grep -Eq '^findings by rule: .*leaver [0-9]+' "$WORK/table" || fail "no leaver findings"
grep -Eq '^\| demo \(no LoginHistory rows\) \| [0-9]+ \+ 0 rows, 1 requests \| [0-9]+ \+ 0 rows, 1 requests \|$' "$WORK/table" \
  || fail "demo login history request counts"
grep -Eq '^\| generated, 100 users, 5 days \| [0-9]+ \+ [0-9]+ rows, 1 requests \| [0-9]+ \+ [0-9]+ rows, 1 requests \|$' "$WORK/table" \
  || fail "generated login history request counts"
echo "ok policy bench smoke"
