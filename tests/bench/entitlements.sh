#!/usr/bin/env bash
# tests/bench/entitlements.sh - what --sync-territories --sync-entitlements
# cost (issue 17, tests/bench/README.md "Entitlements"): on a generated org,
# syncs without and with the entitlement options against the emulator with
# network latency, alternating, and prints the median API requests and wall
# seconds of each, the row floor of the new objects (the sum over them of
# ceil(rows / 2000), what REST paging alone would cost) and the growth.
#
# usage: tests/bench/entitlements.sh [--users 50000] [--runs 3]
#          [--latency-ms 20] [--build-dir DIR] [--sfaccess BIN]
set -euo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
USERS=50000
RUNS=3
LATENCY=20
BDIR="$SRC/build-bench"
BIN=""
while [ $# -gt 0 ]; do
  case $1 in
    --users) USERS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --latency-ms) LATENCY=$2; shift 2 ;;
    --build-dir) BDIR=$2; shift 2 ;;
    --sfaccess) BIN=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "entitlements.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

mkdir -p "$BDIR/orgs" "$BDIR/work"
BDIR=$(cd "$BDIR" && pwd)
WORK=$(mktemp -d "$BDIR/work/ent.XXXXXX")
EMU_PID=""
cleanup() {
  if [ -n "$EMU_PID" ]; then kill "$EMU_PID" 2>/dev/null || true; wait "$EMU_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -z "$BIN" ]; then
  cmake -S "$SRC" -B "$BDIR/release" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BDIR/release" -j2 --target sfaccess >/dev/null
  BIN="$BDIR/release/sfaccess"
fi

org="$BDIR/orgs/org-$USERS.json"
[ -s "$org" ] && grep -q '"UserPackageLicense"' "$org" \
  || node "$SRC/tests/emulator/generate.js" --users "$USERS" >"$org"

# The row floor of the new objects, as the sync filters them.
floor=$(node -e '
  const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).records;
  const active = new Set(d.Territory2Model.filter((m) => m.State === "Active").map((m) => m.Id));
  const n = [d.Territory2.filter((t) => active.has(t.Territory2ModelId)).length, d.UserTerritory2Association.length,
    d.PermissionSetLicense.length, d.PermissionSetLicenseAssign.length, d.PackageLicense.length,
    d.UserPackageLicense.length, d.CustomPermission.length,
    d.SetupEntityAccess.filter((s) => s.SetupEntityType === "CustomPermission").length];
  console.log(n.reduce((a, r) => a + Math.max(1, Math.ceil(r / 2000)), 0), n.join("+"));' "$org")

rm -f "$WORK/port"
node "$SRC/tests/emulator/server.js" --org "$org" --port 0 --port-file "$WORK/port" \
     --latency-ms "$LATENCY" 2>"$WORK/emulator.log" &
EMU_PID=$!
for _ in $(seq 1 900); do [ -s "$WORK/port" ] && break; sleep 0.1; done
[ -s "$WORK/port" ] || { cat "$WORK/emulator.log" >&2; echo "emulator did not start" >&2; exit 1; }
export SFACCESS_DOMAIN="http://127.0.0.1:$(cat "$WORK/port")" SFACCESS_USERNAME=admin@gen1.example \
       SFACCESS_PASSWORD=pw SFACCESS_SECURITY_TOKEN=tok

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# sync_once ARGS...: "requests wall_seconds cpu_seconds" of one sync into
# a fresh store (CPU: the sync's user + system time, which the machine's
# load disturbs less than the wall time).
sync_once() {
  local store="$WORK/store.db" req
  rm -f "$store" "$store-wal" "$store-shm"
  curl -sf -X POST "$SFACCESS_DOMAIN/__admin/reset" >/dev/null
  /usr/bin/time -f "%e %U %S" -o "$WORK/time" \
    "$BIN" --store "$store" --no-progress sync "$@" >"$WORK/out" 2>"$WORK/err" \
    || { cat "$WORK/out" "$WORK/err" >&2; echo "sync $* failed" >&2; exit 1; }
  req=$(sed -n 's/.* \([0-9]*\) API requests in .*/\1/p' "$WORK/out")
  awk -v req="$req" '{printf "%s %s %.2f\n", req, $1, $2 + $3}' "$WORK/time"
}

base_req=""; base_s=""; base_c=""; ent_req=""; ent_s=""; ent_c=""
for _ in $(seq 1 "$RUNS"); do
  read -r r s c < <(sync_once); base_req+=" $r"; base_s+=" $s"; base_c+=" $c"
  read -r r s c < <(sync_once --sync-territories --sync-entitlements)
  ent_req+=" $r"; ent_s+=" $s"; ent_c+=" $c"
done
br=$(median <<<"$base_req"); bs=$(median <<<"$base_s"); bc_=$(median <<<"$base_c")
er=$(median <<<"$ent_req"); es=$(median <<<"$ent_s"); ec=$(median <<<"$ent_c")
printf 'users %s, latency %s ms, %s runs each, alternating (medians)\n' "$USERS" "$LATENCY" "$RUNS"
printf 'new objects: rows %s, row floor %s requests\n' "${floor#* }" "${floor%% *}"
printf '%-28s %9s %9s %9s\n' "sync" "requests" "wall s" "CPU s"
printf '%-28s %9s %9.2f %9.2f\n' "default" "$br" "$bs" "$bc_"
printf '%-28s %9s %9.2f %9.2f\n' "+ territories, entitlements" "$er" "$es" "$ec"
printf 'extra requests %s (floor %s); wall time %+.1f%%; CPU %+.1f%%\n' "$((er - br))" "${floor%% *}" \
  "$(echo "($es - $bs) * 100 / $bs" | bc -l)" "$(echo "($ec - $bc_) * 100 / $bc_" | bc -l)"
echo "wall per run: default$base_s; entitlements$ent_s"
