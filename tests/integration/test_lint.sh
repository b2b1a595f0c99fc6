#!/usr/bin/env bash
# cppcheck over lib/ cmd/ reports/ (warnings, portability): any finding
# fails.  clang-tidy takes over a minute here, so it runs from
# tests/soak/tidy.sh instead of CI.
set -euo pipefail
: "${SFA_SOURCE_DIR:?run through ctest}"
cd "$SFA_SOURCE_DIR"
if ! command -v cppcheck >/dev/null; then
  echo "SKIP: cppcheck is not installed (apt-get install cppcheck)"; exit 0
fi
cppcheck --quiet --error-exitcode=1 --enable=warning,portability --std=c11 \
  --inline-suppr -I lib -I reports -I cmd -D_POSIX_C_SOURCE=200809L lib cmd reports
echo "ok cppcheck: no findings"
