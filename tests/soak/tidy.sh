#!/usr/bin/env bash
# clang-tidy (analyzer + bugprone) over lib/ cmd/ reports/: prints the
# findings summarised by check and exits 1 when there is any.  Needs a
# configured build dir for compile_commands.json.  Run by the lint test
# (tests/integration/test_lint.sh) in CI.
# usage: tests/soak/tidy.sh [BUILD_DIR]   (under a minute on two cores)
#
# Left out: easily-swappable-parameters, reserved-identifier and
# assignment-in-if-condition (style, not bugs); the insecureAPI buffer
# checks (they flag every memcpy); valist.Uninitialized, a known false
# positive of clang-tidy 14 on va_start/va_end pairs.  -UNDEBUG lets the
# analyzer see the assert()s that state invariants.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/test}
[ -f "$build/compile_commands.json" ] || cmake -S . -B "$build" >/dev/null
checks='-*,clang-analyzer-*,bugprone-*,-bugprone-easily-swappable-parameters,-bugprone-reserved-identifier,-bugprone-assignment-in-if-condition,-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling,-clang-analyzer-valist.Uninitialized'
ls lib/*.c cmd/*.c reports/*.c \
  | xargs -P "$(nproc)" -n 8 clang-tidy -p "$build" --quiet -checks="$checks" \
      --extra-arg=-UNDEBUG 2>/dev/null >"$build/clang-tidy.log" || true
if grep -qE "warning:|error:" "$build/clang-tidy.log"; then
  grep -E "warning:|error:" "$build/clang-tidy.log"
  grep -E "warning:|error:" "$build/clang-tidy.log" | sed 's/.*\[//' | sort | uniq -c | sort -rn
  exit 1
fi
echo "ok clang-tidy: no findings"
