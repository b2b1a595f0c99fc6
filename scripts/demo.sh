#!/usr/bin/env bash
# The main job against the local emulator: build, start the emulator with
# the demo org, sync, change some access in the org, sync again, and write
# the reports into ./demo-out/, and start a review campaign whose workbooks
# go into ./demo-out/review/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j"$(nproc)" >/dev/null
bin="$root/build/release/sfaccess"

out="$root/demo-out"
rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d)
emu_pid=""
cleanup() {
  [ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null && wait "$emu_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

node tests/emulator/server.js --org fixtures/orgs/demo.json --port 0 \
     --port-file "$work/port" 2>"$out/emulator.log" &
emu_pid=$!
for _ in $(seq 1 200); do [ -s "$work/port" ] && break; sleep 0.05; done
[ -s "$work/port" ] || { echo "demo: the emulator did not start" >&2; exit 1; }
url="http://127.0.0.1:$(cat "$work/port")"
echo "demo: emulator with fixtures/orgs/demo.json at $url"

# The demo org's admin; in a real org these come from your environment.
export SFACCESS_STORE="$out/sfaccess.db"
export SFACCESS_DOMAIN="$url" SFACCESS_USERNAME=admin@acme.example
export SFACCESS_PASSWORD=demo-Pa55 SFACCESS_SECURITY_TOKEN=DEMOtok3n

echo "demo: first sync"
"$bin" sync --sync-connected-apps

echo "demo: changing access in the org (fixtures/orgs/demo-changes.json)"
curl -sf -X POST -H 'Content-Type: application/json' \
     --data @fixtures/orgs/demo-changes.json "$url/__admin/mutate" >/dev/null
# A privileged permission gained without any assignment changing: the
# permission set "Sales Ops, Reporting" is given View All Data (with its
# Setup Audit Trail entry).  The diff shows it on the permission set, with
# the users it reaches, and every holder as an added system_permission row.
echo "demo: giving \"Sales Ops, Reporting\" View All Data (fixtures/orgs/demo-privileged.json)"
curl -sf -X POST -H 'Content-Type: application/json' \
     --data @fixtures/orgs/demo-privileged.json "$url/__admin/mutate" >/dev/null

echo "demo: second sync"
"$bin" sync --sync-connected-apps
"$bin" snapshots

"$bin" report access --format all --out "$out/access-review"
"$bin" report changes --format all --out "$out/changes"
echo
echo "demo: what changed between the two snapshots"
"$bin" diff
echo
echo "demo: the privileged permission gained, on the permission set and per user"
"$bin" diff | grep -E '^permission_added|View All Data  via'
echo
echo "demo: who can View All Data now, and through what"
"$bin" who-can ViewAllData
"$bin" verify "$out/access-review"
"$bin" verify "$out/changes"

# A review campaign (lib/review/REVIEW.md): one workbook per manager.
# Users without a manager who can review go to the fallback; the
# fallback's own access goes to the escalation reviewer.
echo
echo "demo: a review campaign from the latest snapshot, into demo-out/review/"
cat >"$out/review.conf" <<'CONF'
[review]
fallback = admin@acme.example
escalation = carla.mendes@acme.example
contact = it-security@acme.example
CONF
campaign=$("$bin" --config "$out/review.conf" review start \
           --due "$(date -u -d '+14 days' +%F)" --out "$out/review")
echo "$campaign"
"$bin" review status "$(sed -n 's/^campaign \([0-9]*\):.*/\1/p' <<<"$campaign")"
echo
echo "demo: wrote"
find "$out" -type f ! -name '*.db*' ! -name emulator.log | sort | sed 's/^/  /'
