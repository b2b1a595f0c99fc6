#!/usr/bin/env bash
# cppcheck (warnings, portability) and clang-tidy (analyzer, bugprone; see
# tests/soak/tidy.sh for the checks left out and why) over lib/ cmd/
# reports/: any finding fails.
set -euo pipefail
: "${SFA_SOURCE_DIR:?run through ctest}"
cd "$SFA_SOURCE_DIR"
cppcheck --quiet --error-exitcode=1 --enable=warning,portability --std=c11 \
  --inline-suppr -I lib -I reports -I cmd -D_POSIX_C_SOURCE=200809L lib cmd reports
echo "ok cppcheck: no findings"
bash tests/soak/tidy.sh "$SFA_BUILD_DIR"
