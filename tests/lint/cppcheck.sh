#!/usr/bin/env bash
# cppcheck (warnings, portability) over lib/ cmd/ reports/: any finding
# fails.  Run by the lint test (tests/integration/test_lint.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
# Every folder of lib/ is on the include path, as in CMakeLists.txt.
mapfile -t includes < <(find lib -type d -printf '-I%p\n')
cppcheck --quiet --error-exitcode=1 --enable=warning,portability --std=c11 \
  --inline-suppr "${includes[@]}" -I reports -I cmd -D_POSIX_C_SOURCE=200809L lib cmd reports
echo "ok cppcheck: no findings"
