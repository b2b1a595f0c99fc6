#!/usr/bin/env bash
# The benchmark machinery (tests/bench/run.sh) on a 2,000-user org, once,
# so that it cannot rot: it must run end to end and print its tables with
# the request counts the org charged.
. "$(dirname "$0")/lib.sh"

cg=(--callgrind-users 2000)
# valgrind cannot run a sanitizer build.
if ! command -v valgrind >/dev/null || grep -qa __asan_init "$SFACCESS"; then cg=(--no-callgrind); fi
bash "$SFA_SOURCE_DIR/tests/bench/run.sh" --users 2000 --runs 1 "${cg[@]}" \
  --perm-users 2000 --perm-large 2000 \
  --sfaccess "$SFACCESS" --build-dir "${SFA_BUILD_DIR:-$WORK}/bench-smoke" >"$WORK/table" 2>"$WORK/log" \
  || { cat "$WORK/log" "$WORK/table" >&2; fail "run.sh failed"; }
cat "$WORK/table"
for mode in rest-seq rest-conc default; do
  row=$(grep "^| 2000 | $mode |" "$WORK/table") || fail "no $mode row"
  req=$(echo "$row" | cut -d'|' -f4 | tr -d ' ')
  charged=$(echo "$row" | cut -d'|' -f5 | tr -d ' ')
  [ "$req" = "$charged" ] && [ "$req" -ge 11 ] || fail "$mode: printed $req requests, org charged $charged"
done
grep -Eq '^\| 2000 \| [0-9]+ \| [0-9.]+ \| [0-9]+ \| [0-9.]+ \|' "$WORK/table" || fail "no local processing row"
# The permissions section: each mode within the request bound, and the
# large org's line with the who-can and permissions times.
for mode in perms-none perms-default perms-fields; do
  row=$(grep "^| 2000 | $mode |" "$WORK/table") || fail "no permissions $mode row"
  req=$(echo "$row" | cut -d'|' -f4 | tr -d ' ')
  bound=$(echo "$row" | cut -d'|' -f5 | tr -d ' ')
  [ "$req" -le "$bound" ] || fail "permissions $mode: $req requests, bound $bound"
done
# (wall/CPU seconds each)
grep -q '^wall/CPU seconds: who-can ModifyAllData [0-9.]*/[0-9.]* .*:read [0-9.]*/[0-9.]* .*permissions USER [0-9.]*/[0-9.]* ' "$WORK/table" \
  || fail "no who-can times"
echo "ok bench smoke"
