#!/usr/bin/env bash
# The lint gate: cppcheck and clang-tidy (tests/lint/) over lib/ cmd/
# reports/; any finding fails.
set -euo pipefail
: "${SFA_SOURCE_DIR:?run through ctest}"
cd "$SFA_SOURCE_DIR"
bash tests/lint/cppcheck.sh
bash tests/lint/tidy.sh "$SFA_BUILD_DIR"
