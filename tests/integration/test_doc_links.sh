#!/usr/bin/env bash
# The documents that comments cite are in the repository, and none of the
# specs that lived outside it is cited any more (tests/lint/doc_links.sh).
set -euo pipefail
: "${SFA_SOURCE_DIR:?run through ctest}"
bash "$SFA_SOURCE_DIR/tests/lint/doc_links.sh"
