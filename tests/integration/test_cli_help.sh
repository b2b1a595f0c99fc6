#!/usr/bin/env bash
# -h and --help for every command (issue 13), and "did you mean" for an
# unknown command, subcommand or option.
. "$(dirname "$0")/lib.sh"

cmds=$("$SFACCESS" help | awk '/^Commands:/{on=1;next} /^$/{on=0} on{print $1}')
[ "$(echo "$cmds" | wc -w)" -ge 10 ] || fail "help lists too few commands: $cmds"
for c in $cmds; do
  for h in -h --help; do
    expect_exit 0 "$SFACCESS" "$c" "$h"
    grep -q "^usage: sfaccess $c" "$WORK/out" || fail "$c $h printed no usage: $(head -3 "$WORK/out")"
    [ ! -s "$WORK/err" ] || fail "$c $h wrote to stderr: $(cat "$WORK/err")"
  done
  expect_exit 0 "$SFACCESS" help "$c"
  grep -q "^usage: sfaccess $c" "$WORK/out" || fail "help $c printed no usage"
done
expect_exit 0 "$SFACCESS" report access -h
grep -q "^usage: sfaccess report" "$WORK/out" || fail "report access -h"
expect_exit 0 "$SFACCESS" -h
expect_exit 0 "$SFACCESS" --help
[ ! -f "$SFACCESS_STORE" ] || fail "--help created the store"

# Unknown commands and options: did you mean.
expect_exit 2 "$SFACCESS" snapshot
grep -q 'unknown command `snapshot`; did you mean `snapshots`?' "$WORK/err" || fail "command: $(cat "$WORK/err")"
expect_exit 2 "$SFACCESS" help sho
grep -q 'did you mean `show`?' "$WORK/err" || fail "help command: $(cat "$WORK/err")"
expect_exit 2 "$SFACCESS" frobnicate
grep -q 'unknown command `frobnicate` (see `sfaccess --help`)' "$WORK/err" || fail "no-guess command: $(cat "$WORK/err")"
expect_exit 2 "$SFACCESS" sync --sync-conected-apps
grep -q 'sync: unknown option --sync-conected-apps; did you mean --sync-connected-apps?' "$WORK/err" || fail "option: $(cat "$WORK/err")"
expect_exit 2 "$SFACCESS" show --snapshop 1
grep -q 'did you mean --snapshot?' "$WORK/err" || fail "show option: $(cat "$WORK/err")"
expect_exit 2 "$SFACCESS" show -snapshot 1
grep -q 'show: unknown option --snapshot' "$WORK/err" && fail "a short typo was taken as the long option"
grep -q "show: unknown option -snapshot; did you mean --snapshot?" "$WORK/err" || fail "short option: $(cat "$WORK/err")"
expect_exit 2 "$SFACCESS" snapshots --stor x.db
grep -q 'did you mean --store?' "$WORK/err" || fail "global option: $(cat "$WORK/err")"
expect_exit 2 "$SFACCESS" report acess --format csv --out r
grep -q 'did you mean `report access`?' "$WORK/err" || fail "report subcommand: $(cat "$WORK/err")"
expect_exit 2 "$SFACCESS" diff --fromat json
grep -q 'did you mean --format?' "$WORK/err" || fail "diff option: $(cat "$WORK/err")"
echo ok
