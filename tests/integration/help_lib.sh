# Shared by test_manpage.sh and test_completion.sh: what `sfaccess --help`
# and `sfaccess CMD --help` list.  Sourced, not run.

# help_commands: the commands of `sfaccess --help`, one a line.
help_commands() {
  "$SFACCESS" --help | awk '/^Commands:/ { on = 1; next } /^$/ { on = 0 } on { print $1 }'
}

# help_options [CMD]: the long options a help text lists, one a line.  A
# span in backticks quotes another command (`sfaccess verify DIR --pubkey
# KEY.pub` in report's help), so its options are not this command's.
help_options() {
  "$SFACCESS" "$@" --help | perl -0pe 's/`[^`]*`//g' |
    { grep -oE -- '--[a-z][a-z0-9-]*' || true; } | sort -u
}

# help_subcommands CMD: the words its usage lines put right after the command
# (`sfaccess report access`, `sfaccess review start`), one a line.
help_subcommands() {
  "$SFACCESS" "$1" --help | { grep -oE "sfaccess $1 [a-z][a-z_]*" || true; } | awk '{ print $3 }' | sort -u
}
