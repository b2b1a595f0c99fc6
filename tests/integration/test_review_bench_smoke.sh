#!/usr/bin/env bash
# tests/bench/review.sh on a 300-user org (start) and a 40-user org
# (collect), once, so that it cannot rot: it must run end to end and print
# both lines of figures.
. "$(dirname "$0")/lib.sh"

bash "$SFA_SOURCE_DIR/tests/bench/review.sh" --users 300 --collect-users 40 \
  --sfaccess "$SFACCESS" --build-dir "$WORK/bench-smoke" >"$WORK/table" 2>"$WORK/log" \
  || { cat "$WORK/log" "$WORK/table" >&2; fail "review.sh failed"; }
cat "$WORK/table"
figures='[0-9.]+ s wall, [0-9.]+ s CPU \([0-9.]+ user \+ [0-9.]+ sys\), peak RSS [0-9]+ MB, load average [0-9.]+ before, [0-9.]+ after$'
grep -Eq "^review start --by manager : $figures" "$WORK/table" || fail "no start figures"
grep -Eq '^  [0-9]+ users, [0-9]+ rows, [0-9]+ workbooks$' "$WORK/table" || fail "no start counts"
grep -Eq "^review collect: $figures" "$WORK/table" || fail "no collect figures"
grep -Eq '^  .*: [0-9]+ decisions of admin@gen1.example recorded' "$WORK/table" || fail "no collect result"
echo "ok review bench smoke"
