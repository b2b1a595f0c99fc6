#!/usr/bin/env bash
# The bash completion parses, completes commands, subcommands, options and
# option values, and offers every option that `sfaccess CMD --help` lists
# after that command (after each of its subcommands, together).
. "$(dirname "$0")/lib.sh"
. "$SFA_SOURCE_DIR/tests/integration/help_lib.sh"

script="$SFA_SOURCE_DIR/cmd/sfaccess.bash"
bash -n "$script" || fail "cmd/sfaccess.bash does not parse"
command -v complete >/dev/null || fail "this bash has no programmable completion"
# shellcheck source=/dev/null
. "$script"

# offered LINE: what the completion offers for LINE (the last word, possibly
# empty, is the one being completed), one a line.
offered() {
  local line=$1
  read -ra COMP_WORDS <<<"$line"
  [[ $line == *' ' ]] && COMP_WORDS+=("")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _sfaccess
  printf '%s\n' "${COMPREPLY[@]}"
}
# expect LINE WORD...: the completion of LINE is exactly WORD...
expect() {
  local line=$1 got want; shift
  got=$(offered "$line" | sort | tr '\n' ' ')
  want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
  [ "$got" = "$want" ] || fail "completing '$line': got '$got', expected '$want'"
}

complete -p sfaccess | grep -q -- '-F _sfaccess' || fail "sfaccess is not bound to _sfaccess"
expect "sfaccess sy" sync
expect "sfaccess who" who-can
expect "sfaccess sync --sync-conn" --sync-connected-apps
expect "sfaccess --store x.db apply revokes.csv --dry" --dry-run
expect "sfaccess report " access changes permissions evidence
expect "sfaccess review st" start status
expect "sfaccess sync --auth " password oauth client-credentials jwt
expect "sfaccess check --fail-on h" high
expect "sfaccess report access --format " csv html junit json all

missing=()
for opt in $(help_options); do
  offered "sfaccess -" | grep -qxe "$opt" || missing+=("global $opt")
done
ncmd=0
for cmd in $(offered "sfaccess " ); do
  [ "$cmd" = help ] || ncmd=$((ncmd + 1))
done
for cmd in $(help_commands); do
  offered "sfaccess " | grep -qxe "$cmd" || missing+=("command $cmd")
  subs=$(help_subcommands "$cmd")
  lines=("sfaccess $cmd -")
  if [ -n "$subs" ]; then
    lines=()
    for sub in $subs; do
      offered "sfaccess $cmd " | grep -qxe "$sub" || missing+=("$cmd $sub")
      lines+=("sfaccess $cmd $sub -")
    done
  fi
  for l in "${lines[@]}"; do offered "$l"; done | sort -u >"$WORK/offered"
  for opt in $(help_options "$cmd"); do
    grep -qxe "$opt" "$WORK/offered" || missing+=("$cmd $opt")
  done
done
if [ "${#missing[@]}" -gt 0 ]; then
  printf 'not completed by cmd/sfaccess.bash: %s\n' "${missing[@]}" >&2
  fail "${#missing[@]} commands or options of --help are not completed"
fi
[ "$ncmd" = "$(help_commands | wc -l)" ] || fail "the completion offers $ncmd commands, --help lists $(help_commands | wc -l)"
echo "ok: $ncmd commands, their subcommands and options complete"
