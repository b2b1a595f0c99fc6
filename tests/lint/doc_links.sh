#!/usr/bin/env bash
# Every document a comment cites is in the repository: a path (lib/access/ACCESS-MODEL.md)
# must exist, from the top or from the citing file's folder; a bare name (CHANGEFILE.md) must
# be the name of a document somewhere in the tree; the design documents' own links must
# resolve.  The product's specs used to live outside the repository, so citing one of their
# names is a failure too: cite the document beside the code instead (lib/README.md lists them).
# A section cited with the name (§3.2, rule 7, E4, "Reports") must be a heading of that document.
# Prints each bad citation as file:line and exits 1 when there is any.
# usage: tests/lint/doc_links.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

# The specs that lived outside the repository, and the documents that replace them.
external='product.md:lib/README.md access-model.md:lib/access/ACCESS-MODEL.md
change-file.md:lib/apply/CHANGEFILE.md salesforce-api.md:lib/salesforce/SALESFORCE-API.md
salesforce-permissions.md:lib/access/PERMISSIONS.md permissions.md:lib/access/PERMISSIONS.md
evidence.md:reports/EVIDENCE.md review.md:lib/review/REVIEW.md policy.md:lib/policy/POLICY.md
emulator.md:tests/emulator/README.md'

docs=$(find . -path ./build -prune -o -path '*/node_modules' -prune -o -name '*.md' -print \
  | sed 's|.*/||' | sort -u)
bad=0
complain() { echo "$1: $2" >&2; bad=1; }

# Whether document $1 has a heading for section $2: "1.8" (a numbered heading, "### 1.8 ..." or
# "### §2 ..."), "rule 7" ("### Rule 7: ..."), "E4" ("### E4: ...") or "named Reports" (a
# heading holding those words, in any case).
has_section() {
  local n=${2//./\\.}
  case $2 in
    rule\ *) grep -qiE "^#+ Rule ${2#rule }[:. ]" "$1" ;;
    E*) grep -qE "^#+ $2[:. ]" "$1" ;;
    named\ *) grep -E '^#+ ' "$1" | grep -qiF "${2#named }" ;;
    *) grep -E '^#+ ' "$1" | grep -qE "(^#+ |[ ,]|§)$n([ .,:)]|$)" ;;
  esac
}

# Citations in code and scripts: file:line:document:sections cited.
while IFS= read -r hit; do
  file=${hit%%:*}; rest=${hit#*:}; line=${rest%%:*}; rest=${rest#*:}
  ref=${rest%%:*}; sections=${rest#*:}
  ref=${ref#./}
  name=${ref##*/}
  doc=
  replaced=$(tr ' ' '\n' <<<"$external" | awk -F: -v n="$name" '$1 == n {print $2}')
  if [ -n "$replaced" ]; then
    complain "$file:$line" "cites $ref, which is not in the repository; cite $replaced"
  elif [[ $ref == */* ]]; then
    if [ -e "$ref" ]; then doc=$ref
    elif [ -e "$(dirname "$file")/$ref" ]; then doc=$(dirname "$file")/$ref
    else complain "$file:$line" "cites $ref, which does not exist"
    fi
  elif grep -qxF "$name" <<<"$docs"; then
    # A bare name may fit several documents (README.md): a section of any of them will do.
    doc=$(find . -path ./build -prune -o -path '*/node_modules' -prune -o -name "$name" -print)
  else
    complain "$file:$line" "cites $ref, which is no document of the repository"
  fi
  [ -n "$doc" ] || continue
  while IFS= read -r sec; do
    [ -z "$sec" ] || while IFS= read -r d; do has_section "$d" "$sec" && break; done <<<"$doc" \
      || complain "$file:$line" "cites $ref, $([[ $sec == [0-9]* ]] && echo §)${sec#named }, which has no such section"
  done < <(tr '|' '\n' <<<"$sections")
done < <(find lib reports cmd tests scripts cmake CMakeLists.txt \
           -path '*/node_modules' -prune -o -path tests/fuzz/corpus -prune \
           -o -path tests/lint/doc_links.sh -prune -o -type f \
           \( -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name '*.js' -o -name '*.py' \
              -o -name '*.cmake' -o -name CMakeLists.txt \) -print | sort \
         | xargs awk -f tests/lint/doc_links.awk)

# Links between the design documents under lib/: [text](target), relative to the document.
while IFS= read -r hit; do
  file=${hit%%:*}; rest=${hit#*:}; line=${rest%%:*}; target=${rest#*:}
  target=${target#*](}; target=${target%)}; target=${target%%#*}
  case $target in http*|mailto:*|'') continue ;; esac
  [ -e "$(dirname "$file")/$target" ] || complain "$file:$line" "links to $target, which does not exist"
done < <(find lib -name '*.md' | sort | xargs grep -noE '\]\([^)]+\)' || true)

[ "$bad" = 0 ] && echo "ok doc links: every cited document is in the repository"
exit "$bad"
