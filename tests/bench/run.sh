#!/usr/bin/env bash
# tests/bench/run.sh - the figures of tests/bench/README.md "Sync, diff and reports":
# builds a Release sfaccess in its own directory, generates orgs with the
# emulator's generator (cached), syncs each several times against the
# emulator with network latency, and prints a table of medians: API
# requests, seconds, records/s of local processing, peak RSS, bytes per
# stored access row, diff and report times, and callgrind instruction
# counts of the local processing for a figure that does not depend on the
# machine's load.  Not part of ctest (tests/integration/
# test_sync_perf_bench_smoke.sh runs it on a tiny org so it cannot rot).
#
# usage: tests/bench/run.sh [--users "10000 50000 200000"] [--runs 3]
#          [--large-runs 1] [--latency-ms 20] [--build-dir DIR]
#          [--sfaccess BIN] [--callgrind-users 10000 | --no-callgrind]
#          [--perm-users "50000"] [--perm-large 200000]
# The permissions section (lib/access/PERMISSIONS.md, "Cost") syncs the --perm-users
# orgs without permissions, with them and with field permissions, and the
# --perm-large org with field permissions for peak RSS, store growth and
# the who-can / permissions times; an empty list or 0 skips each.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
USERS="10000 50000 200000"
RUNS=3
LARGE_RUNS=1 # orgs of 100,000 users or more take minutes per sync
LATENCY=20
BDIR="$SRC/build-bench"
BIN=""
CG_USERS=10000
PERM_USERS="50000"
PERM_LARGE=200000

while [ $# -gt 0 ]; do
  case $1 in
    --users) USERS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --large-runs) LARGE_RUNS=$2; shift 2 ;;
    --latency-ms) LATENCY=$2; shift 2 ;;
    --build-dir) BDIR=$2; shift 2 ;;
    --sfaccess) BIN=$2; shift 2 ;;
    --callgrind-users) CG_USERS=$2; shift 2 ;;
    --no-callgrind) CG_USERS=0; shift ;;
    --perm-users) PERM_USERS=$2; shift 2 ;;
    --perm-large) PERM_LARGE=$2; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

mkdir -p "$BDIR/orgs" "$BDIR/work"
# Generated orgs are cached by size and by the generator that wrote them.
GEN=$(cat "$SRC/tests/emulator/generate.js" "$SRC"/tests/emulator/lib/gen*.js 2>/dev/null | sha1sum | cut -c1-8)
BDIR=$(cd "$BDIR" && pwd)
WORK=$(mktemp -d "$BDIR/work/run.XXXXXX")
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
[ -x /usr/bin/time ] || { echo "run.sh: needs /usr/bin/time (GNU time)" >&2; exit 1; }

emu_start() { # ORG LATENCY
  emu_stop
  rm -f "$WORK/port"
  node "$SRC/tests/emulator/server.js" --org "$1" --port 0 --port-file "$WORK/port" \
       --latency-ms "$2" 2>"$WORK/emulator.log" &
  EMU_PID=$!
  # Up to 5 min: the 200,000-user org with its permission tables is about 860 MB of JSON.
  for _ in $(seq 1 3000); do [ -s "$WORK/port" ] && break; sleep 0.1; done
  [ -s "$WORK/port" ] || { cat "$WORK/emulator.log" >&2; echo "emulator did not start" >&2; exit 1; }
  export SFACCESS_DOMAIN="http://127.0.0.1:$(cat "$WORK/port")" SFACCESS_USERNAME=admin@gen1.example \
         SFACCESS_PASSWORD=pw SFACCESS_SECURITY_TOKEN=tok
}
emu_stop() {
  if [ -n "$EMU_PID" ]; then kill "$EMU_PID" 2>/dev/null || true; wait "$EMU_PID" 2>/dev/null || true; fi
  EMU_PID=""
}
emu_charged() {
  curl -sf "$SFACCESS_DOMAIN/__admin/stats" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).api_requests))'
}
emu_reset() { curl -sf -X POST "$SFACCESS_DOMAIN/__admin/reset" >/dev/null; }

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# sync_once STORE ARGS...: one sync under GNU time; prints
# "requests charged wall user+sys rss_kb longest_scan_ms records access_rows
# scans_ms fetch_cpu_ms finish_cpu_ms derive_cpu_ms hash_cpu_ms
# commit_cpu_ms" (scans_ms: all scans, from the first request to the last
# row; the CPU times as `sync -v` prints them: the fetch parses and stores,
# the finish derives, hashes, commits).
sync_once() {
  local store=$1; shift
  rm -f "$store" "$store-wal" "$store-shm"
  emu_reset
  /usr/bin/time -f "TIME %e %U %S %M" -o "$WORK/time" \
    "$BIN" --store "$store" --no-progress -v sync "$@" >"$WORK/out" 2>"$WORK/err" \
    || { cat "$WORK/out" "$WORK/err" >&2; echo "sync $* failed" >&2; exit 1; }
  local req charged
  req=$(sed -n 's/.* \([0-9]*\) API requests in .*/\1/p' "$WORK/out")
  charged=$(emu_charged)
  awk -v req="$req" -v charged="$charged" '
    FILENAME ~ /time$/ && $1 == "TIME" {wall=$2; cpu=$3+$4; rss=$5}
    FILENAME ~ /out$/ && $1 == "scan" {if ($(NF-1) + 0 > longest) longest = $(NF-1) + 0; rows += $3}
    FILENAME ~ /out$/ && /^snapshot .* complete/ {for (i = 1; i <= NF; i++) if ($(i+1) == "access") acc = $i}
    FILENAME ~ /out$/ && $1 == "fetch" {scans = $2; fcpu = $5; ncpu = $12; dcpu = $15; hcpu = $17; ccpu = $19}
    END {printf "%s %s %s %.2f %s %s %s %s %s %s %s %s %s %s\n", req, charged, wall, cpu, rss, longest+0, rows, acc, scans+0, fcpu+0, ncpu+0, dcpu+0, hcpu+0, ccpu+0}' \
    "$WORK/time" "$WORK/out"
}

# bytes of the access sets (the access_set table with its key, WITHOUT
# ROWID) per access row they hold
bytes_per_row() {
  sqlite3 "$1" "SELECT (SELECT SUM(pgsize) FROM dbstat WHERE name = 'access_set') * 1.0 / (SELECT SUM(n_access) FROM access_set);" 2>/dev/null | awk '{printf "%.1f", $1}' || echo "-"
}

has_cmd() { local h; h=$("$BIN" help 2>&1 || true); grep -q "^  $1 " <<<"$h"; }
# timed CMD...: wall seconds of CMD, "-" when it failed; its output is kept
# in $WORK/t1.out.
timed() {
  if /usr/bin/time -f "%e" -o "$WORK/t1" "$@" >"$WORK/t1.out" 2>"$WORK/t1.err"; then cat "$WORK/t1"; else echo "-"; fi
}
# timed_cpu CMD...: "wall/CPU" seconds of CMD (CPU user + sys, which the
# machine's load does not stretch), "-" when it failed.
timed_cpu() {
  if /usr/bin/time -f "%e %U %S" -o "$WORK/t1" "$@" >"$WORK/t1.out" 2>"$WORK/t1.err"; then
    awk '{printf "%s/%.2f", $1, $2 + $3}' "$WORK/t1"
  else echo "-"; fi
}

# The mutation of the changed-org diff: every 100th user of the latest
# snapshot gets the role that sorts first, as /__admin/mutate operations.
MOVE_SQL="WITH s AS (SELECT max(id) AS m FROM snapshot), r AS (SELECT f.sfid
 FROM sf_user_role x JOIN sfid f ON f.id = x.id WHERE x.snapshot_id = (SELECT m
 FROM s) ORDER BY f.sfid LIMIT 1) SELECT json_group_array(json_object('op',
 'update', 'object', 'User', 'id', f.sfid, 'fields', json_object('UserRoleId',
 (SELECT sfid FROM r)))) FROM (SELECT id, row_number() OVER (ORDER BY id) AS k
 FROM sf_user WHERE snapshot_id = (SELECT m FROM s)) u JOIN sfid f ON f.id =
 u.id WHERE u.k % 100 = 0"

ROWS=()
for n in $USERS; do
  org="$BDIR/orgs/org-$n-$GEN.json"
  [ -s "$org" ] || node "$SRC/tests/emulator/generate.js" --users "$n" >"$org"
  runs=$RUNS
  [ "$n" -ge 100000 ] && runs=$LARGE_RUNS
  emu_start "$org" "$LATENCY"
  for mode in rest-seq rest-conc default; do
    case $mode in
      rest-seq) args=(--max-connections 1 --bulk-threshold 0) ;;
      rest-conc) args=(--bulk-threshold 0) ;;
      default) args=() ;;
    esac
    req="" charged="" wall="" rss="" longest="" recs="" acc="" scans=""
    for _ in $(seq 1 "$runs"); do
      read -r r c w _cpu m l rec a sc _fc _nc _dc _hc _cc < <(sync_once "$WORK/s.db" "${args[@]}")
      req+=" $r"; charged+=" $c"; wall+=" $w"; rss+=" $m"; longest+=" $l"; recs=$rec; acc=$a; scans+=" $sc"
    done
    ROWS+=("$n|$mode|$(echo "$req" | median)|$(echo "$charged" | median)|$(echo "$wall" | median)|$(echo "$longest" | median)|$(( $(echo "$rss" | median | cut -d. -f1) / 1024 ))|$recs|$acc|$(echo "$scans" | median)")
    echo "  $n users, $mode: requests$req; wall$wall s" >&2
  done
  # Store figures from the last default sync: bytes per access row, then a
  # second snapshot for diff, and the CSV report.
  bpr=$(bytes_per_row "$WORK/s.db")
  dsec="-" rsec="-"
  dchg="-" nchg="-"
  if has_cmd diff; then
    emu_reset
    "$BIN" --store "$WORK/s.db" --no-progress sync >/dev/null 2>&1 || true
    dsec=$(timed "$BIN" --store "$WORK/s.db" diff --format csv)
    # Then every 100th user moves to one other role (their role,
    # role-group and nested-group rows change), a third sync, and the
    # diff of the last two: a diff with changes to look at.
    sqlite3 "$WORK/s.db" "$MOVE_SQL" >"$WORK/move.json"
    curl -sf -X POST -H 'Content-Type: application/json' --data-binary @"$WORK/move.json" \
      "$SFACCESS_DOMAIN/__admin/mutate" >/dev/null
    "$BIN" --store "$WORK/s.db" --no-progress sync >/dev/null 2>&1 || true
    dchg=$(timed "$BIN" --store "$WORK/s.db" diff --format csv)
    nchg=$(tail -n +2 "$WORK/t1.out" | wc -l)
  fi
  if has_cmd report; then
    rm -rf "$WORK/rep"
    rsec=$(timed "$BIN" --store "$WORK/s.db" report access --format csv --out "$WORK/rep")
  fi
  STORE_ROWS+=("$n|$bpr|$dsec|$rsec|$dchg|$nchg")
  # Local processing: no latency, default mode, CPU seconds of sfaccess.
  emu_start "$org" 0
  cpu="" recs="" fcpu="" dcpu="" hcpu="" ccpu="" psd=""
  for _ in $(seq 1 "$runs"); do
    read -r _r _c _w c _m _l rec _a _sc fc _nc dc hc cc < <(sync_once "$WORK/s.db")
    cpu+=" $c"; recs=$rec; fcpu+=" $fc"; dcpu+=" $dc"; hcpu+=" $hc"; ccpu+=" $cc"
    psd+=" $((fc + dc + cc))"
  done
  c=$(echo "$cpu" | median)
  p=$(echo "$psd" | median)
  LOCAL_ROWS+=("$n|$recs|$c|$(awk -v r="$recs" -v c="$c" 'BEGIN {printf "%d", (c > 0 ? r / c : 0)}')|$(echo "$fcpu" | median)|$(echo "$dcpu" | median)|$(echo "$ccpu" | median)|$(awk -v r="$recs" -v p="$p" 'BEGIN {printf "%d", (p > 0 ? r * 1000 / p : 0)}')|$(echo "$hcpu" | median)")
  emu_stop
done

# ---- permissions (lib/access/PERMISSIONS.md, "Cost") ----
# The request bound of issue 14: one request per 2,000 rows of each scan,
# the login and 15 more (describes, Bulk jobs' create and polls).
request_bound() { awk '$1 == "scan" {s += int(($3 + 1999) / 2000)} END {print s + 16}' "$WORK/out"; }
store_mb() { du -k "$1" | awk '{printf "%.1f", $1 / 1024}'; }
PERM_ROWS=()
for n in $PERM_USERS; do
  org="$BDIR/orgs/org-$n-$GEN.json"
  [ -s "$org" ] || node "$SRC/tests/emulator/generate.js" --users "$n" >"$org"
  emu_start "$org" "$LATENCY"
  for mode in perms-none perms-default perms-fields; do
    case $mode in
      perms-none) args=(--no-sync-permissions) ;;
      perms-default) args=() ;;
      perms-fields) args=(--sync-field-permissions) ;;
    esac
    req="" wall="" rss="" cpu="" fin=""
    for _ in $(seq 1 "$RUNS"); do
      read -r r _c w c m _l _rec _a _sc _fc _nc dc hc _cc < <(sync_once "$WORK/p.db" "${args[@]}")
      req+=" $r"; wall+=" $w"; rss+=" $m"; cpu+=" $c"; fin+=" $((dc + hc))"
    done
    PERM_ROWS+=("$n|$mode|$(echo "$req" | median)|$(request_bound)|$(echo "$wall" | median)|$(echo "$cpu" | median)|$(echo "$fin" | median)|$(( $(echo "$rss" | median | cut -d. -f1) / 1024 ))|$(store_mb "$WORK/p.db")")
    echo "  $n users, permissions $mode: requests$req; wall$wall s; CPU$cpu s (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  done
  emu_stop
done
LARGE_ROW=""
if [ "$PERM_LARGE" -gt 0 ]; then
  n=$PERM_LARGE
  org="$BDIR/orgs/org-$n-$GEN.json"
  [ -s "$org" ] || node "$SRC/tests/emulator/generate.js" --users "$n" >"$org"
  emu_start "$org" "$LATENCY"
  read -r _r _c w0 c0 m0 _l _rec _a _sc _fc _nc _dc _hc _cc < <(sync_once "$WORK/l0.db" --no-sync-permissions)
  base=$(store_mb "$WORK/l0.db")
  rm -f "$WORK/l0.db"*
  read -r r _c w c m _l _rec _a _sc _fc _nc _dc _hc _cc < <(sync_once "$WORK/l.db" --sync-field-permissions)
  emu_stop
  user=$(sqlite3 "$WORK/l.db" "SELECT username FROM sf_user ORDER BY id LIMIT 1 OFFSET 1000")
  wmad=$(timed_cpu "$BIN" --store "$WORK/l.db" who-can ModifyAllData --format csv)
  nmad=$(($(wc -l <"$WORK/t1.out") - 1))
  # Account.Phone when the org has it, else the first field of Account.
  field=$(sqlite3 "$WORK/l.db" "SELECT field FROM perm_field WHERE field LIKE 'Account.%'
    ORDER BY field <> 'Account.Phone', field LIMIT 1")
  wphone=$(timed_cpu "$BIN" --store "$WORK/l.db" who-can "${field:-Account.Phone}:read" --format csv)
  nphone=$(($(wc -l <"$WORK/t1.out") - 1))
  wuser=$(timed_cpu "$BIN" --store "$WORK/l.db" permissions "$user" --format csv)
  nuser=$(($(wc -l <"$WORK/t1.out") - 1))
  LARGE_ROW="$n|$r|$w|$c|$((m / 1024))|$base|$(store_mb "$WORK/l.db")|$wmad|$nmad|$wphone|$nphone|$wuser|$nuser|${field:-Account.Phone}|$w0|$c0|$((m0 / 1024))"
fi

CG_ROW=""
if [ "$CG_USERS" -gt 0 ] && command -v valgrind >/dev/null; then
  org="$BDIR/orgs/org-$CG_USERS-$GEN.json"
  [ -s "$org" ] || node "$SRC/tests/emulator/generate.js" --users "$CG_USERS" >"$org"
  emu_start "$org" 0
  emu_reset
  rm -f "$WORK/cg.db"*
  valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" \
    "$BIN" --store "$WORK/cg.db" --no-progress -v sync >"$WORK/out" 2>"$WORK/cg.err" \
    || { cat "$WORK/cg.err" >&2; echo "callgrind run failed" >&2; exit 1; }
  emu_stop
  recs=$(awk '$1 == "scan" {r += $3} END {print r}' "$WORK/out")
  callgrind_annotate --inclusive=yes "$WORK/cg.out" >"$WORK/cg.txt" 2>/dev/null
  ir() { # inclusive instructions of one function, in millions
    awk -v f="$1" '$0 ~ ("[ :]" f " ") || $0 ~ ("[ :]" f "$") {gsub(",", "", $1); print int($1 / 1e6); exit}' "$WORK/cg.txt"
  }
  total=$(awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print int($1 / 1e6); exit}' "$WORK/cg.txt")
  CG_ROW="$CG_USERS|$recs|$total|$(ir sfa_fetch__put_json)|$(ir json_loadb)|$(ir sfa_fetch__put_text)|$(ir sfa_store_put)|$(ir sfa_snapshot_finish)|$(awk -v t="$total" -v r="$recs" 'BEGIN {printf "%d", (r > 0 ? t * 1e6 / r : 0)}')"
fi

echo
echo "sfaccess performance ($(date -u +%Y-%m-%d), emulator --latency-ms $LATENCY, medians of $RUNS runs, $LARGE_RUNS for orgs >= 100k users)"
echo
echo "| users | mode | API requests | charged by org | wall s | all scans s | longest scan s | scans / longest | peak RSS MB | records | access rows |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for r in "${ROWS[@]}"; do
  IFS='|' read -r n mode req ch w l m rec a sc <<<"$r"
  printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n" "$n" "$mode" "$req" "$ch" "$w" \
    "$(awk -v l="$sc" 'BEGIN {printf "%.2f", l / 1000}')" \
    "$(awk -v l="$l" 'BEGIN {printf "%.2f", l / 1000}')" \
    "$(awk -v s="$sc" -v l="$l" 'BEGIN {printf "%.2f", (l > 0 ? s / l : 0)}')" "$m" "$rec" "$a"
done
echo
# records/s twice: over the whole sync's CPU, and over local processing:
# parsing and storing the records (the fetch), deriving effective access
# and committing, which is all of the sync but its content hash.
echo "| users | records | CPU s (latency 0) | records/s (whole sync) | fetch CPU s | derive CPU s | commit CPU s | records/s (parse + store + derive) | content hash CPU s | bytes per access row | diff s (unchanged org) | diff s (1% of users moved) | changes | report access csv s |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
ms() { awk -v x="$1" 'BEGIN {printf "%.2f", x / 1000}'; }
for i in "${!LOCAL_ROWS[@]}"; do
  IFS='|' read -r n rec c rps fc dv cm prps hs <<<"${LOCAL_ROWS[$i]}"
  IFS='|' read -r _ bpr d rs dc nc <<<"${STORE_ROWS[$i]}"
  printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n" "$n" "$rec" "$c" "$rps" \
    "$(ms "$fc")" "$(ms "$dv")" "$(ms "$cm")" "$prps" "$(ms "$hs")" "$bpr" "$d" "$dc" "$nc" "$rs"
done
if [ -n "$CG_ROW" ]; then
  IFS='|' read -r n rec t pj jl pt sp fin per <<<"$CG_ROW"
  echo
  echo "callgrind, $n users, --latency-ms 0 (millions of instructions, inclusive):"
  echo
  echo "| records | total | REST records (put_json) | of which json_loadb | Bulk records (put_text) | sfa_store_put | finish (derive, hash) | instructions per record |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n" "$rec" "$t" "${pj:--}" "${jl:--}" "${pt:--}" "${sp:--}" "${fin:--}" "$per"
fi
if [ ${#PERM_ROWS[@]} -gt 0 ]; then
  echo
  echo "permissions: sync without them, with them (default) and with field permissions, --latency-ms $LATENCY, medians of $RUNS runs:"
  echo
  echo "| users | permissions | API requests | request bound | wall s | CPU s | finish CPU s (derive + hash) | peak RSS MB | store MB |"
  echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
  for r in "${PERM_ROWS[@]}"; do
    IFS='|' read -r n mode req bound w c f m st <<<"$r"
    printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n" "$n" "$mode" "$req" "$bound" "$w" "$c" "$(ms "$f")" "$m" "$st"
  done
fi
if [ -n "$LARGE_ROW" ]; then
  IFS='|' read -r n r w c m base st wmad nmad wphone nphone wuser nuser field w0 c0 m0 <<<"$LARGE_ROW"
  echo
  echo "permissions at $n users, --sync-field-permissions: $r API requests, $w s wall, $c s CPU, peak RSS $m MB"
  echo "(without permissions: $w0 s wall, $c0 s CPU, peak RSS $m0 MB);"
  echo "store $st MB against $base MB without permissions ($(awk -v a="$st" -v b="$base" 'BEGIN {printf "%.2f", a / b}')x);"
  echo "wall/CPU seconds: who-can ModifyAllData $wmad ($nmad rows), who-can ${field:-Account.Phone}:read $wphone ($nphone rows), permissions USER $wuser ($nuser rows)"
fi
