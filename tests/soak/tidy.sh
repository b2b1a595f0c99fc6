#!/usr/bin/env bash
# clang-tidy (analyzer + bugprone) over lib/ cmd/ reports/, summarised by
# check.  Needs a configured build dir for compile_commands.json.
# usage: tests/soak/tidy.sh [BUILD_DIR]   (about a minute on two cores)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/test}
[ -f "$build/compile_commands.json" ] || cmake -S . -B "$build" >/dev/null
clang-tidy -p "$build" --quiet \
  -checks='-*,clang-analyzer-*,bugprone-*,-bugprone-easily-swappable-parameters,-bugprone-reserved-identifier,-bugprone-assignment-in-if-condition,-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling' \
  lib/*.c cmd/*.c reports/*.c 2>/dev/null | tee "$build/clang-tidy.log" \
  | grep -E "warning:|error:" | sed 's/.*\[//' | sort | uniq -c | sort -rn
