#!/usr/bin/env bash
# clang-tidy over lib/ cmd/ reports/ with the checks of .clang-tidy (which
# says what is left out and why): prints the findings summarised by check
# and exits 1 when there is any.  Needs a configured build dir for
# compile_commands.json.  Run by the lint test (tests/integration/test_lint.sh).
# usage: tests/lint/tidy.sh [BUILD_DIR]   (under a minute on two cores)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/test}
[ -f "$build/compile_commands.json" ] || cmake -S . -B "$build" >/dev/null
find lib cmd reports -name '*.c' | sort \
  | xargs -P "$(nproc)" -n 8 clang-tidy -p "$build" --quiet \
      2>/dev/null >"$build/clang-tidy.log" || true
if grep -qE "warning:|error:" "$build/clang-tidy.log"; then
  grep -E "warning:|error:" "$build/clang-tidy.log"
  grep -E "warning:|error:" "$build/clang-tidy.log" | sed 's/.*\[//' | sort | uniq -c | sort -rn
  exit 1
fi
echo "ok clang-tidy: no findings"
