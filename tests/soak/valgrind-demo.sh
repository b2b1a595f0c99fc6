#!/usr/bin/env bash
# valgrind memcheck on a demo-like sequence (sync, change, sync, snapshots,
# show, report all, verify, diff) with a build without sanitizers: every
# sfaccess invocation must be free of errors and leaks.
# usage: tests/soak/valgrind-demo.sh [BUILD_DIR]   (default build-valgrind)
set -euo pipefail
cd "$(dirname "$0")/../.."
src=$PWD
build=${1:-build-valgrind}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSFA_SANITIZE=OFF >/dev/null
cmake --build "$build" -j2 --target sfaccess >/dev/null
work=$(mktemp -d); trap 'kill $emu 2>/dev/null || true; rm -rf "$work"' EXIT
node tests/emulator/server.js --org fixtures/orgs/demo.json --port 0 --port-file "$work/port" 2>/dev/null & emu=$!
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.1; done
url=http://127.0.0.1:$(cat "$work/port")
export SFACCESS_STORE=$work/store.db SFACCESS_DOMAIN=$url SFACCESS_USERNAME=admin@acme.example \
       SFACCESS_PASSWORD=demo-Pa55 SFACCESS_SECURITY_TOKEN=DEMOtok3n
bad=0
vg() {
  if valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
       --errors-for-leak-kinds=definite,indirect,possible --log-file="$work/vg.%p" \
       "$build/sfaccess" "$@" >/dev/null 2>"$work/err"; then rc=0; else rc=$?; fi
  if [ "$rc" = 99 ]; then bad=1; echo "FAIL valgrind: sfaccess $*"; cat "$work"/vg.*; else echo "ok $rc: sfaccess $*"; fi
  rm -f "$work"/vg.*
}
vg --no-progress sync
curl -sf -X POST -H 'Content-Type: application/json' --data @fixtures/orgs/demo-changes.json "$url/__admin/mutate" >/dev/null 2>&1 || true
vg --no-progress sync
vg snapshots; vg snapshots --format json
vg show; vg show --format json
vg report access --format all --out "$work/out"
vg verify "$work/out"
vg diff; vg diff --format json
vg report changes --format all --out "$work/changes" || true
exit $bad
