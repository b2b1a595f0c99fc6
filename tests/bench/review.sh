#!/usr/bin/env bash
# tests/bench/review.sh - the review campaign figures of tests/bench/README.md:
# `review start` routed by manager on a generated org (default 200,000
# users) under GNU time (wall seconds, CPU seconds, peak RSS, rows,
# workbooks, and the load average around it, since the machine is shared),
# and `review collect` of one reviewer's workbook of about 50,000 rows (a
# small org routed by owner to one reviewer; decisions filled in with
# python3-openpyxl as a reviewer's spreadsheet would).  Orgs are generated
# with the emulator's generator and their synced stores cached beside
# them (a 200,000-user sync takes minutes).
#
# usage: tests/bench/review.sh [--users 200000] [--collect-users 7000]
#          [--build-dir DIR] [--sfaccess BIN] [--start-args "..."]
#          [--tmpdir DIR]   (TMPDIR of `review start`: libxlsxwriter's
#                            temporary files, e.g. a tmpfs)
set -euo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
USERS=200000
CUSERS=7000
BDIR="$SRC/build-bench"
BIN=""
START_ARGS=""
START_TMP=""
while [ $# -gt 0 ]; do
  case $1 in
    --users) USERS=$2; shift 2 ;;
    --collect-users) CUSERS=$2; shift 2 ;;
    --build-dir) BDIR=$2; shift 2 ;;
    --sfaccess) BIN=$2; shift 2 ;;
    --start-args) START_ARGS=$2; shift 2 ;;
    --tmpdir) START_TMP=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "review.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$BDIR/orgs" "$BDIR/work"
BDIR=$(cd "$BDIR" && pwd)
WORK=$(mktemp -d "$BDIR/work/review.XXXXXX")
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
[ -x /usr/bin/time ] || { echo "review.sh: needs /usr/bin/time (GNU time)" >&2; exit 1; }
/usr/bin/python3 -c 'import openpyxl' || { echo "review.sh: needs python3-openpyxl" >&2; exit 1; }

# synced_store N: a store with one snapshot of the generated N-user org
# (a copy of the cached one).
synced_store() {
  local n=$1 org="$BDIR/orgs/org-$1.json" cached="$BDIR/orgs/store-$1.db" store="$WORK/store-$1.db"
  [ -s "$org" ] || node "$SRC/tests/emulator/generate.js" --users "$n" >"$org"
  if [ ! -s "$cached" ] || [ "$cached" -ot "$org" ]; then
    rm -f "$WORK/port" "$cached.tmp"
    node "$SRC/tests/emulator/server.js" --org "$org" --port 0 --port-file "$WORK/port" 2>"$WORK/emulator.log" &
    EMU_PID=$!
    for _ in $(seq 1 1200); do [ -s "$WORK/port" ] && break; sleep 0.1; done
    [ -s "$WORK/port" ] || { cat "$WORK/emulator.log" >&2; exit 1; }
    SFACCESS_DOMAIN="http://127.0.0.1:$(cat "$WORK/port")" SFACCESS_USERNAME=admin@gen1.example \
      SFACCESS_PASSWORD=pw SFACCESS_SECURITY_TOKEN=tok "$BIN" --store "$cached.tmp" --no-progress sync >/dev/null
    kill "$EMU_PID"; wait "$EMU_PID" 2>/dev/null || true; EMU_PID=""
    mv "$cached.tmp" "$cached"
  fi
  cp "$cached" "$store"
  echo "$store"
}

# timed LABEL CMD...: runs CMD under GNU time; prints one line of figures.
timed() {
  local label=$1 before; shift
  before=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "TIME %e %M %U %S" -o "$WORK/time" "$@" >"$WORK/out"
  read -r _ wall rss usr sys <"$WORK/time"
  printf '%s: %s s wall, %s s CPU (%s user + %s sys), peak RSS %s MB, load average %s before, %s after\n' \
    "$label" "$wall" "$(awk -v u="$usr" -v s="$sys" 'BEGIN {print u + s}')" "$usr" "$sys" "$((rss / 1024))" \
    "$before" "$(cut -d' ' -f1 /proc/loadavg)"
}

# A second active user of the org, as the escalation reviewer.
other_user() { sqlite3 "$1" "SELECT username FROM sf_user WHERE is_active = 1 AND username <> 'admin@gen1.example' ORDER BY username LIMIT 1"; }

# ---- start, routed by manager (--users 0: skipped) ----
if [ "$USERS" -gt 0 ]; then
store=$(synced_store "$USERS")
printf '[review]\nfallback = admin@gen1.example\nescalation = %s\n' "$(other_user "$store")" >"$WORK/start.conf"
# shellcheck disable=SC2086
TMPDIR=${START_TMP:-${TMPDIR:-}} timed "review start --by manager $START_ARGS${START_TMP:+ (TMPDIR=$START_TMP)}" \
  "$BIN" --store "$store" --config "$WORK/start.conf" review start $START_ARGS --out "$WORK/wb"
printf '  %s users, %s rows, %s workbooks\n' "$(sqlite3 "$store" "SELECT count(*) FROM sf_user")" \
  "$(sqlite3 "$store" "SELECT count(*) FROM campaign_row")" "$(find "$WORK/wb" -name '*.xlsx' | wc -l)"
rm -rf "$WORK/wb" "$store"
fi

# ---- collect one reviewer's ~50,000-row workbook ----
store=$(synced_store "$CUSERS")
printf '[review]\nfallback = admin@gen1.example\nescalation = %s\n[review.owners]\n* = admin@gen1.example\n' \
  "$(other_user "$store")" >"$WORK/collect.conf"
"$BIN" --store "$store" --config "$WORK/collect.conf" review start --by owner --out "$WORK/one" >/dev/null
/usr/bin/python3 - "$WORK/one/admin@gen1.example.xlsx" "$WORK/filled.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for i, r in enumerate(wb["Review"].iter_rows(min_row=2)):
    r[13].value = "revoke" if i % 10 == 0 else "keep"
wb.save(sys.argv[2])
PY
timed "review collect" "$BIN" --store "$store" review collect 1 "$WORK/filled.xlsx"
printf '  %s\n' "$(cat "$WORK/out")"
