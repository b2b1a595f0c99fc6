#!/usr/bin/env bash
# cppcheck (warnings, portability) over lib/ cmd/ reports/: any finding
# fails.  Run by the lint test (tests/integration/test_lint.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
cppcheck --quiet --error-exitcode=1 --enable=warning,portability --std=c11 \
  --inline-suppr -I lib -I reports -I cmd -D_POSIX_C_SOURCE=200809L lib cmd reports
echo "ok cppcheck: no findings"
