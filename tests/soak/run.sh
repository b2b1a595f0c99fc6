#!/usr/bin/env bash
# The long mode of issue 8's checks: the fault mix on the generated
# 50,000-user org with several seeds (sessions expiring every 200
# requests, 1% cut-short bodies as specified), 20 kill -9 trials, and
# valgrind on the demo.  Runs the CI scripts with bigger numbers.
# usage: tests/soak/run.sh [BUILD_DIR]   (default build/test; about an hour)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/test}
cmake -S . -B "$build" -DSFA_SANITIZE=ON >/dev/null
cmake --build "$build" -j2 --target sfaccess >/dev/null
export SFACCESS=$PWD/$build/sfaccess SFA_SOURCE_DIR=$PWD SFA_BUILD_DIR=$PWD/$build
echo "== faults: 50,000 users, seeds ${SOAK_SEEDS:-1 2 3}"
SFA_FAULT_USERS=50000 SFA_FAULT_SEEDS="${SOAK_SEEDS:-1 2 3}" SFA_FAULT_EXPIRE=200 \
  SFA_FAULT_TRUNCATE=0.01 bash tests/integration/test_faults_sync.sh
echo "== crash: ${SOAK_TRIALS:-20} kill -9 trials"
SFA_CRASH_TRIALS=${SOAK_TRIALS:-20} bash tests/integration/test_crash_kill.sh
echo "== valgrind"
tests/soak/valgrind-demo.sh
