#!/usr/bin/env bash
# tests/bench/policy.sh - the figures of tests/bench/README.md "Policy
# checks": builds a Release sfaccess (as run.sh does), syncs a generated
# org, gives it N days of login history (one row per active user per login
# day on ~60% of days, as the generator's --login-days, written straight
# into the store: an emulator holding 3.6 million rows would need gigabytes),
# then runs `sfaccess check` with every rule on (SoD pairs, an HR file
# terminating 1% of the users) and prints wall and CPU seconds, peak RSS
# and the load average, timed under flock /tmp/sfa-bench.lock.
# It also measures what the LoginHistory copy (on by default) costs
# against the emulator, on the demo org and on a generated org with
# --days of history: the requests of a first sync and of a second one,
# the snapshot's and the copy's apart.
#
# usage: tests/bench/policy.sh [--users 200000] [--days 30] [--runs 3]
#          [--history-users 10000] [--build-dir DIR] [--sfaccess BIN]
#          [--no-lock]  (time without the lock: the smoke test's run)
set -euo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
USERS=200000
DAYS=30
RUNS=3
HUSERS=10000
BDIR="$SRC/build-bench"
BIN=""
LOCK=/tmp/sfa-bench.lock

while [ $# -gt 0 ]; do
  case $1 in
    --users) USERS=$2; shift 2 ;;
    --days) DAYS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --history-users) HUSERS=$2; shift 2 ;;
    --build-dir) BDIR=$2; shift 2 ;;
    --sfaccess) BIN=$2; shift 2 ;;
    --no-lock) LOCK=""; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "policy.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

mkdir -p "$BDIR/orgs" "$BDIR/work"
BDIR=$(cd "$BDIR" && pwd)
WORK=$(mktemp -d "$BDIR/work/policy.XXXXXX")
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
[ -x /usr/bin/time ] || { echo "policy.sh: needs /usr/bin/time (GNU time)" >&2; exit 1; }

emu_start() { # ORG [USERNAME PASSWORD TOKEN]
  rm -f "$WORK/port"
  node --max-old-space-size=12000 "$SRC/tests/emulator/server.js" --org "$1" --port 0 --port-file "$WORK/port" 2>"$WORK/emulator.log" &
  EMU_PID=$!
  for _ in $(seq 1 6000); do [ -s "$WORK/port" ] && break; sleep 0.1; done
  [ -s "$WORK/port" ] || { cat "$WORK/emulator.log" >&2; echo "emulator did not start" >&2; exit 1; }
  export SFACCESS_DOMAIN="http://127.0.0.1:$(cat "$WORK/port")" SFACCESS_USERNAME=${2:-admin@gen1.example} \
         SFACCESS_PASSWORD=${3:-pw} SFACCESS_SECURITY_TOKEN=${4:-tok}
}
emu_stop() {
  if [ -n "$EMU_PID" ]; then kill "$EMU_PID" 2>/dev/null || true; wait "$EMU_PID" 2>/dev/null || true; fi
  EMU_PID=""
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# ---- what the login history copy costs (emulator): two default syncs of
# an org, the second one reading only what is new.  Prints one table row.
history_cost() { # NAME ORG [USERNAME PASSWORD TOKEN]
  local name=$1 org=$2 db="$WORK/h-$RANDOM.db" n h s
  shift 2
  emu_start "$org" "$@"
  for n in 1 2; do
    "$BIN" --store "$db" --no-progress sync >"$WORK/h$n" 2>&1 || { cat "$WORK/h$n" >&2; exit 1; }
  done
  emu_stop
  printf '| %s |' "$name"
  for n in 1 2; do
    s=$(sed -n 's/.* \([0-9]*\) API requests in .*/\1/p' "$WORK/h$n")
    # The printed count includes the copy's requests; show them apart.
    read -r rows lh < <(sed -n 's/^login history: \([0-9]*\) rows from .* in \([0-9]*\) requests*; .*/\1 \2/p' "$WORK/h$n")
    printf ' %s + %s rows, %s requests |' "$((s - lh))" "$rows" "$lh"
  done
  echo
}
horg="$BDIR/orgs/org-$HUSERS-logins-$DAYS.json"
[ -s "$horg" ] || node "$SRC/tests/emulator/generate.js" --users "$HUSERS" --login-days "$DAYS" >"$horg"
history=$( { echo "| org | first sync: snapshot + login history (rows, requests) | second sync |"
             echo "|---|---|---|"
             history_cost "demo (no LoginHistory rows)" "$SRC/fixtures/orgs/demo.json" \
               admin@acme.example demo-Pa55 DEMOtok3n
             history_cost "generated, $HUSERS users, $DAYS days" "$horg"; } )

# ---- the large snapshot
org="$BDIR/orgs/org-$USERS.json"
[ -s "$org" ] || node "$SRC/tests/emulator/generate.js" --users "$USERS" >"$org"
# Synced with permissions (the default): the permission rules need them.
store="$BDIR/orgs/policy-perm-$USERS.db"
if [ ! -s "$store" ]; then
  emu_start "$org"
  "$BIN" --store "$WORK/s.db" --no-progress sync --sync-connected-apps --no-login-history >/dev/null
  emu_stop
  mv "$WORK/s.db" "$store"
fi
# N days of login history before the snapshot, in the generator's shape.
python3 - "$store" "$DAYS" <<'PY'
import random, sqlite3, sys
db = sqlite3.connect(sys.argv[1]); days = int(sys.argv[2])
org, started = db.execute("SELECT org_id, started_at FROM snapshot ORDER BY id DESC LIMIT 1").fetchone()
db.execute("DELETE FROM login_history WHERE org_id = ?", (org,))
db.execute("DELETE FROM login_latest WHERE org_id = ?", (org,))
users = [r[0] for r in db.execute("SELECT s.sfid FROM sf_user u JOIN sfid s ON s.id = u.id WHERE u.snapshot_id ="
    " (SELECT max(id) FROM snapshot) AND u.is_active = 1 AND u.user_type NOT IN ('AutomatedProcess', 'Guest')")]
import datetime
end = datetime.datetime.strptime(started, "%Y-%m-%dT%H:%M:%SZ")
rnd = random.Random(7)
def rows():
    n = 0
    for d in range(days, 0, -1):
        day = end - datetime.timedelta(days=d)
        for u in users:
            if rnd.random() >= 0.6:
                continue
            n += 1
            t = day.replace(hour=rnd.randint(6, 20), minute=rnd.randint(0, 59), second=rnd.randint(0, 59))
            yield (org, "0Yc%015d" % n, u, t.strftime("%Y-%m-%dT%H:%M:%SZ"), "Application",
                   "Invalid Password" if rnd.random() < 1 / 30 else "Success", "10.0.0.1", "Browser",
                   "Chrome 131", "Windows 11", "mfa")
db.executemany("INSERT INTO login_history VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows())
db.commit()
PY
rows=$(sqlite3 "$store" "SELECT count(*) FROM login_history")
group=$(sqlite3 "$store" "SELECT g.developer_name FROM sf_group g WHERE g.type = 'Regular' AND g.snapshot_id = (SELECT max(id) FROM snapshot) ORDER BY g.developer_name LIMIT 1")
printf '[sod]\nadmin-in-group = ModifyAllData + %s\nview-and-group = ViewAllData + %s\naccount-admin = Account:modifyall + %s\n' \
  "$group" "$group" "$group" >"$WORK/policy.ini"
{ echo "federation_id,email,status,termination_date"
  sqlite3 -csv "$store" "SELECT '', u.email, 'terminated', '2026-10-01' FROM sf_user u
    WHERE u.snapshot_id = (SELECT max(id) FROM snapshot) ORDER BY u.id LIMIT $((USERS / 100))"; } >"$WORK/hr.csv"

walls=""; rss=""; cpus=""; loads=""
# Timed one at a time among the engineers sharing the machine.
if [ -n "$LOCK" ]; then exec 9>"$LOCK"; flock 9; fi
for _ in $(seq 1 "$RUNS"); do
  loads="$loads $(cut -d' ' -f1 /proc/loadavg)"
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/time" "$BIN" --store "$store" -q check --policy "$WORK/policy.ini" \
    --hr-file "$WORK/hr.csv" --format csv >"$WORK/findings.csv" || [ $? = 3 ]
  # The last line: GNU time writes "Command exited with non-zero status 3"
  # above the figures.
  t=$(tail -1 "$WORK/time")
  walls="$walls $(echo "$t" | cut -d' ' -f1)"; rss="$rss $(echo "$t" | cut -d' ' -f2)"
  cpus="$cpus $(echo "$t" | awk '{print $3 + $4}')"
done
if [ -n "$LOCK" ]; then flock -u 9; fi
findings=$(($(wc -l <"$WORK/findings.csv") - 1))
by_rule=$(tail -n +2 "$WORK/findings.csv" | cut -d, -f1 | sort | uniq -c | awk '{printf "%s %s; ", $2, $1}')
users=$(sqlite3 "$store" "SELECT n_users FROM snapshot ORDER BY id DESC LIMIT 1")
access=$(sqlite3 "$store" "SELECT n_access FROM snapshot ORDER BY id DESC LIMIT 1")

privileged=$(sqlite3 "$store" "SELECT count(*) FROM perm_review WHERE snapshot_id = (SELECT max(id) FROM snapshot)")

echo "| users | access rows | privileged rows | login history rows | check, every rule: wall (median of $RUNS; each run) | CPU (median) | peak RSS (median) | load average (1 min, per run) | findings |"
echo "|---|---|---|---|---|---|---|---|---|"
echo "| $users | $access | $privileged | $rows | $(echo "$walls" | median) s ($(echo $walls)) | $(echo "$cpus" | median) s | $(( $(echo "$rss" | median | cut -d. -f1) / 1024 )) MB | $(echo $loads) | $findings |"
echo
echo "findings by rule: $by_rule"
echo
echo "LoginHistory copy (default sync, REST pages of 2,000 rows):"
echo "$history"
