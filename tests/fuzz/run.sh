#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang (SFA_FUZZ=ON) and fuzzes each
# for a while, one at a time (the machine is shared).  New inputs that
# libFuzzer finds go to a scratch directory, not to the seed corpus; a
# crash leaves crash-* files in $out: minimise with
#   build-fuzz/fuzz_NAME -minimize_crash=1 -runs=10000 CRASH
# and copy the result into tests/fuzz/corpus/NAME/ so ctest replays it.
#
# usage: tests/fuzz/run.sh [SECONDS_PER_HARNESS [NAME...]]   (default 150)
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-150}; shift || true
build=${SFA_FUZZ_BUILD:-build-fuzz}
out=${SFA_FUZZ_OUT:-$build/fuzz-out}

# clang and its libFuzzer runtime; Debian ships the runtime with clang
# (libclang-rt-*-dev or libclang-common-*-dev by version).
if ! command -v clang >/dev/null; then
  scripts/setup.sh
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y -qq --no-install-recommends clang >/dev/null
fi
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n){(void)d;(void)n;return 0;}' \
  >"${TMPDIR:-/tmp}/sfa-fuzz-probe.c"
if ! clang -fsanitize=fuzzer "${TMPDIR:-/tmp}/sfa-fuzz-probe.c" -o "${TMPDIR:-/tmp}/sfa-fuzz-probe" 2>/dev/null; then
  v=$(clang -dumpversion | cut -d. -f1)
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y -qq --no-install-recommends "libclang-rt-$v-dev" >/dev/null 2>&1 \
    || $sudo apt-get install -y -qq --no-install-recommends "libclang-common-$v-dev" >/dev/null
fi

CC=clang cmake -S . -B "$build" -DSFA_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 >/dev/null

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for f in tests/fuzz/fuzz_*.c; do n=$(basename "$f" .c); names+=("${n#fuzz_}"); done
fi
mkdir -p "$out"
for n in "${names[@]}"; do
  mkdir -p "$out/$n/corpus" "$out/$n/artifacts"
  echo "== $n: ${secs}s"
  # -max_len 64 KB: the readers are line and token based; longer inputs
  # only slow the search.  One job, one worker.
  set +e
  /usr/bin/time -f "$n: %U s user, %S s sys" "$build/fuzz_$n" \
    -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$out/$n/artifacts/" \
    "$out/$n/corpus" "tests/fuzz/corpus/$n" 2>"$out/$n/log"
  rc=$?
  set -e
  grep -E "^stat::number_of_executed_units|^stat::peak_rss|user," "$out/$n/log" || true
  tail -n 3 "$out/$n/log" | grep -E "cov:|DONE" || true
  if [ $rc -ne 0 ]; then echo "!! $n: fuzzer exited $rc; see $out/$n/log and $out/$n/artifacts"; fi
done
