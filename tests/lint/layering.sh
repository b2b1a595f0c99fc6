#!/usr/bin/env bash
# The layering of lib/ (snapshot_finish.h: the store calls nothing above
# it): fails when a file under lib/ includes a header of reports/ or cmd/,
# when the includes between lib/'s modules form a loop, or when a file
# under lib/ belongs to no module.  A module is one of lib/'s folders;
# calls between modules follow the includes, so a loop of calls shows as
# a loop of includes.
# usage: tests/lint/layering.sh   (seconds; run by integration.test_layering)
set -euo pipefail
cd "$(dirname "$0")/../.."

# The module of a lib/ file is its folder (lib/README.md, "Layers").
# The few that sit apart from where their name suggests say why there:
# the access set codec is the store's format of access rows
# (store/access_pack.c), the campaigns' tables sit with the campaigns
# (review/store_campaign.c), and the change file format is its own module,
# below apply, review and policy, which all write change files.
module_of() {
  case $1 in
    lib/*/*) local rest=${1#lib/}; echo "${rest%%/*}" ;;
    *) echo "" ;;
  esac
}

bad=0
declare -A mod
while IFS= read -r f; do
  b=${f##*/}
  m=$(module_of "$f")
  if [ -z "$m" ]; then
    echo "layering: $f belongs to no module: put it in the folder of its layer"
    bad=1
    continue
  fi
  mod[$b]=$m
done < <(find lib -name '*.[ch]' | sort)

# Headers of reports/ and cmd/ are out of reach from lib/ (reports/ builds
# on lib/, never the reverse).
declare -A upper
while IFS= read -r f; do upper[${f##*/}]=$f; done < <(find reports cmd -name '*.h')
edges=$(mktemp); trap 'rm -f "$edges"' EXIT
while IFS= read -r f; do
  b=${f##*/}
  [ -n "${mod[$b]:-}" ] || continue
  while IFS= read -r inc; do
    if [ -n "${upper[$inc]:-}" ]; then
      echo "layering: $f includes ${upper[$inc]} (lib/ must not include reports/ or cmd/)"
      bad=1
      continue
    fi
    m=${mod[$inc]:-}
    if [ -n "$m" ] && [ "$m" != "${mod[$b]}" ]; then
      echo "${mod[$b]} $m $f $inc" >>"$edges"
    fi
  done < <(sed -n 's/^#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" | sed 's|.*/||')
done < <(find lib -name '*.[ch]' | sort)

# tsort names the modules of a loop; the includes between them say where.
if ! loop=$(awk '{print $1, $2}' "$edges" | sort -u | tsort 2>&1 >/dev/null); then :; fi
if [ -n "$loop" ]; then
  echo "layering: the includes between modules form a loop:"
  echo "$loop" | sed -n 's/^tsort: //p' | grep -v 'input contains a loop' | sed 's/^/  /'
  members=$(echo "$loop" | sed -n 's/^tsort: //p' | grep -v 'input contains a loop' | sort -u)
  while read -r a b f inc; do
    if grep -qx "$a" <<<"$members" && grep -qx "$b" <<<"$members"; then
      echo "  $a -> $b: $f includes $inc"
    fi
  done <"$edges"
  bad=1
fi
[ "$bad" = 0 ] && echo "ok layering: no include loop between lib modules; lib/ includes nothing of reports/ or cmd/"
exit $bad
