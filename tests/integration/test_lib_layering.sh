#!/usr/bin/env bash
# lib/ is the layer below reports/ and cmd/ (lib/README.md): no file under
# lib/, in whatever subfolder, includes a header of either.
set -euo pipefail
: "${SFA_SOURCE_DIR:?run through ctest}"
cd "$SFA_SOURCE_DIR"
above=$(find reports cmd -name '*.h' -printf '%f\n' | sort -u)
bad=0
while IFS= read -r f; do
  while IFS= read -r h; do
    if grep -qxF "$h" <<<"$above"; then
      echo "FAIL: $f includes $h, a header of reports/ or cmd/" >&2
      bad=1
    fi
  done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" | xargs -rn1 basename)
done < <(find lib -name '*.[ch]' | sort)
[ "$bad" = 0 ] && echo "ok: no file under lib/ includes a header of reports/ or cmd/"
exit "$bad"
