#!/usr/bin/env bash
# The man page lists every command of `sfaccess --help` in a subsection of
# its own, every global option under GLOBAL OPTIONS, and every option of
# `sfaccess CMD --help` in that command's subsection (or under CONNECTION
# OPTIONS when the subsection refers to them), so the page cannot fall
# behind the binary.
. "$(dirname "$0")/lib.sh"
. "$SFA_SOURCE_DIR/tests/integration/help_lib.sh"

man="$SFA_SOURCE_DIR/cmd/sfaccess.1"
# roff to plain words: \- is a dash, \fB...\fR are font changes.
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$man" >"$WORK/man.txt"

# section HEADING: the lines from the `.SH`/`.SS` HEADING to the next one.
section() {
  awk -v h="$1" '/^\.S[HS] / { on = ($0 == h) ; next } on' "$WORK/man.txt"
}
# has_word TEXT WORD: WORD occurs in TEXT, not as part of a longer option.
has_word() { grep -qE -- "(^|[^a-z0-9-])$2([^a-z0-9-]|\$)" <<<"$1"; }

global=$(section '.SH GLOBAL OPTIONS')
connection=$(section '.SH CONNECTION OPTIONS')
[ -n "$global" ] && [ -n "$connection" ] || fail "the man page has no GLOBAL OPTIONS or CONNECTION OPTIONS section"
! has_word "$global" --no-such-option || fail "has_word matches an option the page lacks"
has_word "$global" --store || fail "has_word misses --store"

missing=()
for opt in $(help_options); do
  has_word "$global" "$opt" || missing+=("global option $opt")
done
ncmd=0
for cmd in $(help_commands); do
  ncmd=$((ncmd + 1))
  text=$(section ".SS $cmd")
  if [ -z "$text" ]; then missing+=("command $cmd (.SS $cmd)"); continue; fi
  also=""
  grep -q 'CONNECTION OPTIONS' <<<"$text" && also=$connection
  for opt in $(help_options "$cmd"); do
    has_word "$text" "$opt" || has_word "$global" "$opt" ||
      { [ -n "$also" ] && has_word "$also" "$opt"; } || missing+=("$cmd $opt")
  done
  for sub in $(help_subcommands "$cmd"); do
    has_word "$text" "$sub" || missing+=("$cmd $sub")
  done
done
[ "$ncmd" -ge 15 ] || fail "read only $ncmd commands from sfaccess --help"
if [ "${#missing[@]}" -gt 0 ]; then
  printf 'not in cmd/sfaccess.1: %s\n' "${missing[@]}" >&2
  fail "${#missing[@]} commands or options of --help are missing from the man page"
fi
# The page renders without a warning.
if command -v groff >/dev/null; then
  groff -man -Tutf8 -ww -z "$man" 2>"$WORK/groff.err"
  [ ! -s "$WORK/groff.err" ] || { cat "$WORK/groff.err" >&2; fail "groff warns about cmd/sfaccess.1"; }
fi
echo "ok: $ncmd commands and their options are in the man page"
