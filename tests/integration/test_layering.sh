#!/usr/bin/env bash
# The layering gate (tests/lint/layering.sh): no include loop between lib/
# modules, and nothing of reports/ or cmd/ included from lib/.
set -euo pipefail
: "${SFA_SOURCE_DIR:?run through ctest}"
cd "$SFA_SOURCE_DIR"
bash tests/lint/layering.sh
