#!/usr/bin/env bash
# Installs what is missing, builds with AddressSanitizer and
# UndefinedBehaviorSanitizer, and runs every test (unit, integration
# against the emulator, the emulator's jsforce conformance suite).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
build=build/test
cmake -S . -B "$build" -DSFA_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
cd "$build"
ctest --output-on-failure -j2 "$@"
