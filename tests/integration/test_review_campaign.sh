#!/usr/bin/env bash
# A review campaign on the demo org (REVIEW.md): bad input refused with
# nothing written; workbooks read back by python3-openpyxl; every kind of
# tampering refused by its cell; decisions filled in the way a reviewer's
# spreadsheet writes them, collected, replaced with history; the campaign
# closed with a verifiable report; its revokes planned, applied, and gone
# after the next sync; inherited rows left out unless asked for.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
WB="$SFA_SOURCE_DIR/tests/integration/review_workbook.py"
"$PY" -c 'import openpyxl' 2>/dev/null || fail "python3-openpyxl is missing (scripts/setup.sh installs it)"
emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
expect_exit 0 "$SFACCESS" --no-progress sync --no-sync-permissions
campaigns() { sqlite3 "$SFACCESS_STORE" "SELECT count(*) FROM campaign"; }
conf() { printf '%s\n' "$@" >"$WORK/review.conf"; }
start() { "$SFACCESS" --config "$WORK/review.conf" review start "$@"; }

# ---- bad input: exit 2, no campaign, no directory ----
conf "[review]"
expect_exit 2 start --out "$WORK/wb"
grep -q "fallback is not set" "$WORK/err" || fail "no fallback: $(cat "$WORK/err")"
conf "[review]" "fallback = nobody@acme.example"
expect_exit 2 start --out "$WORK/wb"
grep -q "fallback = nobody@acme.example is not a user" "$WORK/err" || fail "unknown fallback: $(cat "$WORK/err")"
conf "[review]" "fallback = admin@acme.example"
expect_exit 2 start --out "$WORK/wb"
grep -q "would review their own access (admin@acme.example): set \[review\] escalation" "$WORK/err" \
  || fail "no escalation: $(cat "$WORK/err")"
conf "[review]" "fallback = admin@acme.example" "escalation = admin@acme.example"
expect_exit 2 start --out "$WORK/wb"
grep -q "(admin@acme.example)" "$WORK/err" || fail "escalation = fallback: $(cat "$WORK/err")"
conf "[review]" "fallback = admin@acme.example" "escalation = carla.mendes@acme.example" \
     "[review.owners]" "permission_set:No_Such_Set = carla.mendes@acme.example" "* = admin@acme.example"
expect_exit 2 start --by owner --out "$WORK/wb"
grep -q "permission_set:No_Such_Set: snapshot 1 has no permission_set with Name No_Such_Set" "$WORK/err" \
  || fail "unknown owner resource: $(cat "$WORK/err")"
expect_exit 2 start --access-type bogus --out "$WORK/wb"
grep -q "unknown access type .bogus." "$WORK/err" || fail "bad --access-type: $(cat "$WORK/err")"
expect_exit 2 start --snapshot 42 --out "$WORK/wb"
expect_exit 2 start --out "$WORK/no/such/dir"
grep -q "out $WORK/no/such/dir: cannot be made in $WORK/no/such" "$WORK/err" || fail "--out in a missing directory: $(cat "$WORK/err")"
expect_exit 2 start --out "$WORK/review.conf"
grep -q "not a directory" "$WORK/err" || fail "--out a file: $(cat "$WORK/err")"
for sub in "status 42" "close 42 --out $WORK/rep" "collect 42 $WORK/review.conf"; do
  # shellcheck disable=SC2086
  expect_exit 2 "$SFACCESS" review $sub
  grep -q "no campaign 42" "$WORK/err" || fail "review $sub: $(cat "$WORK/err")"
done
expect_exit 2 "$SFACCESS" plan --campaign 42
grep -q "no campaign 42" "$WORK/err" || fail "plan --campaign 42: $(cat "$WORK/err")"
[ "$(campaigns)" = 0 ] || fail "bad input stored a campaign"
[ ! -e "$WORK/wb" ] || fail "bad input wrote $WORK/wb"
echo "ok bad input"

# ---- by owner: a map that names real resources routes to the owners ----
conf "[review]" "fallback = admin@acme.example" "escalation = carla.mendes@acme.example" \
     "[review.owners]" "permission_set:Report_Builder = sara.ahmed@acme.example" "* = victor.okafor@acme.example"
expect_exit 0 start --by owner --access-type permission_set --out "$WORK/owner"
[ "$(ls "$WORK/owner" | tr '\n' ' ')" = "sara.ahmed@acme.example.xlsx victor.okafor@acme.example.xlsx " ] \
  || fail "owner workbooks: $(ls "$WORK/owner")"
"$PY" "$WB" check "$WORK/owner" 1 "$(sqlite3 "$SFACCESS_STORE" "SELECT content_hash FROM snapshot WHERE id = 1")" >/dev/null
echo "ok by owner"

# ---- by manager ----
conf "[review]" "fallback = admin@acme.example" "escalation = carla.mendes@acme.example" \
     "contact = it-security@acme.example"
expect_exit 0 start --csv --due 2026-12-31 --name "Q4 review" --out "$WORK/wb"
grep -q "^campaign 2: 16 files in" "$WORK/out" || fail "start: $(cat "$WORK/out")"
hash=$(sqlite3 "$SFACCESS_STORE" "SELECT content_hash FROM snapshot WHERE id = 1")
"$PY" "$WB" check "$WORK/wb" 2 "$hash" >"$WORK/check" || fail "workbook check"
grep -q "^8 workbooks, 121 rows" "$WORK/check" || fail "workbooks: $(cat "$WORK/check")"
nrows=121
# Routing: a manager's reports, the fallback's own rows escalated, and
# a user with an inactive manager (marta.nowak, of ingrid.larsen) to the fallback.
zoe="$WORK/wb/zoe.angstrom@acme.example"
cut -d, -f1 "$zoe.csv" | sort -u | tr '\n' ' ' | grep -qx "frank.frost@acme.example ingrid.larsen@acme.example sean.obrien@acme.example username xiaoming.wang@acme.example " \
  || fail "zoe's users: $(cut -d, -f1 "$zoe.csv" | sort -u | tr '\n' ' ')"
grep -q "^admin@acme.example," "$WORK/wb/carla.mendes@acme.example.csv" || fail "admin's rows did not go to the escalation reviewer"
grep -q "^admin@acme.example," "$WORK/wb/admin@acme.example.csv" && fail "admin reviews their own access"
grep -q "^marta.nowak@acme.example," "$WORK/wb/admin@acme.example.csv" || fail "inactive manager's report not with the fallback"
echo "ok start: 8 workbooks, 121 rows (no inherited row), checked by openpyxl"

# ---- tampering: each refused by its cell, nothing recorded ----
decided() { sqlite3 "$SFACCESS_STORE" "SELECT count(*) FROM campaign_decision WHERE campaign_id = 2"; }
for kind in edit-user copy-row maybe delete-token; do
  "$PY" "$WB" fill "$zoe.xlsx" "$WORK/filled.xlsx"
  cell=$("$PY" "$WB" tamper "$WORK/filled.xlsx" "$WORK/$kind.xlsx" "$kind")
  expect_exit 2 "$SFACCESS" review collect 2 "$WORK/$kind.xlsx"
  grep -q "refused: $kind.xlsx $cell: " "$WORK/err" || fail "$kind: expected $cell: $(cat "$WORK/err")"
  grep -q "nothing of this file was recorded" "$WORK/err" || fail "$kind: $(cat "$WORK/err")"
  echo "ok tampering $kind refused at $cell"
done
cell=$("$PY" "$WB" move "$WORK/wb/victor.okafor@acme.example.xlsx" "$zoe.xlsx" "$WORK/moved.xlsx")
expect_exit 2 "$SFACCESS" review collect 2 "$WORK/moved.xlsx"
grep -q "refused: moved.xlsx $cell: this row was issued to victor.okafor@acme.example, not to zoe.angstrom@acme.example" "$WORK/err" \
  || fail "moved row: $(cat "$WORK/err")"
echo "ok tampering: a row moved to another reviewer's workbook refused at $cell"
[ "$(decided)" = 0 ] || fail "a refused file recorded decisions"

# ---- self-review: admin's own rows in a file collected as admin's ----
# With one of admin's own rows decided, the whole file is refused (as a
# foreign row refuses it): the self-review is named by its cell, the
# file's legitimate decision (marta.nowak's row, issued to admin) is not
# recorded either, and the status is 2.
{ head -1 "$WORK/wb/carla.mendes@acme.example.csv"
  grep "^admin@acme.example," "$WORK/wb/carla.mendes@acme.example.csv" | sed 's/,,,\([0-9a-f]\{64\}\)/,keep,,\1/'
  grep -m1 "^marta.nowak@acme.example," "$WORK/wb/admin@acme.example.csv" | sed 's/,,,\([0-9a-f]\{64\}\)/,keep,,\1/'
} >"$WORK/admin@acme.example.csv"
nself=$(grep -c "^admin@acme.example," "$WORK/admin@acme.example.csv")
expect_exit 2 "$SFACCESS" review collect 2 "$WORK/admin@acme.example.csv"
grep -q "self-review: admin@acme.example.csv line 2 (decision): admin@acme.example cannot decide on their own access (.*); the row stays with carla.mendes@acme.example" "$WORK/err" \
  || fail "self-review: $(cat "$WORK/err")"
[ "$(grep -c "^sfaccess: self-review: " "$WORK/err")" = "$nself" ] || fail "not every self-review cell named: $(cat "$WORK/err")"
grep -q "admin@acme.example.csv: $nself rows refused; nothing of this file was recorded" "$WORK/err" \
  || fail "self-review file: $(cat "$WORK/err")"
[ "$(decided)" = 0 ] || fail "a file with a self-review decision recorded decisions"
[ "$(sqlite3 "$SFACCESS_STORE" "SELECT count(*) FROM campaign_file WHERE campaign_id = 2")" = 0 ] \
  || fail "a refused file was recorded as collected"
# Without a decision, one's own row is only a foreign row.
mkdir -p "$WORK/pending"
{ head -1 "$WORK/wb/carla.mendes@acme.example.csv"
  grep -m1 "^admin@acme.example," "$WORK/wb/carla.mendes@acme.example.csv"
} >"$WORK/pending/admin@acme.example.csv"
expect_exit 2 "$SFACCESS" review collect 2 "$WORK/pending/admin@acme.example.csv"
grep -q "refused: admin@acme.example.csv line 2 (row_token): this row was issued to carla.mendes@acme.example, not to admin@acme.example" "$WORK/err" \
  || fail "own pending row: $(cat "$WORK/err")"
[ "$(decided)" = 0 ] || fail "a refused file recorded decisions"
echo "ok self-review: the file refused (exit 2), every self-review cell named, nothing recorded"

# ---- decisions: collected once, replaced by a later file with history ----
nzoe=$(($(wc -l <"$zoe.csv") - 1))
nadmin=$(($(wc -l <"$WORK/wb/admin@acme.example.csv") - 1))
nrevoke=$(grep -c ',Report Builder,direct,\|,"Sales Ops, Reporting",direct,' "$zoe.csv")
[ "$nrevoke" -ge 2 ] || fail "zoe's workbook lacks the direct permission sets revoked below"
"$PY" "$WB" fill "$zoe.xlsx" "$WORK/zoe-1.xlsx" "Report Builder"
expect_exit 0 "$SFACCESS" review collect 2 "$WORK/zoe-1.xlsx"
grep -q "$nzoe decisions of zoe.angstrom@acme.example recorded" "$WORK/out" || fail "collect: $(cat "$WORK/out")"
expect_exit 0 "$SFACCESS" review collect 2 "$WORK/zoe-1.xlsx"
grep -q "already collected" "$WORK/out" || fail "second collect: $(cat "$WORK/out")"
"$PY" "$WB" fill "$zoe.xlsx" "$WORK/zoe-2.xlsx" "Report Builder" "Sales Ops, Reporting"
expect_exit 0 "$SFACCESS" review collect 2 "$WORK/zoe-2.xlsx"
[ "$(sqlite3 "$SFACCESS_STORE" "SELECT count(*) FROM campaign_decision WHERE superseded = 1")" = "$nzoe" ] \
  || fail "history of the first file not kept"
expect_exit 0 "$SFACCESS" review status 2 --format csv
nvia=$(grep -c ',Report Builder,\|,"Sales Ops, Reporting",' "$zoe.csv")
grep -q "^zoe.angstrom@acme.example,$nzoe,$nzoe,$((nzoe - nvia)),$nvia,0" "$WORK/out" || fail "status: $(cat "$WORK/out")"
grep -q "^admin@acme.example,$nadmin,0,0,0,$nadmin" "$WORK/out" || fail "status: $(cat "$WORK/out")"
expect_exit 0 "$SFACCESS" review status 2 --format json
node -e 'const s = JSON.parse(require("fs").readFileSync(0, "utf8"));
  if (s.total.revoke !== +process.argv[1] || s.total.pending !== +process.argv[3] - +process.argv[2]) { console.error(s.total); process.exit(1); }' \
  "$nvia" "$nzoe" "$nrows" <"$WORK/out" \
  || fail "status json"
echo "ok collect: idempotent per file, later file replaces with history"

# ---- close, report, plan, apply, sync ----
expect_exit 0 "$SFACCESS" review close 2 --out "$WORK/rep"
expect_exit 0 "$SFACCESS" verify "$WORK/rep"
[ "$(grep -c ",revoke,no longer needed,zoe.angstrom@acme.example," "$WORK/rep/campaign.csv")" = "$nvia" ] || fail "report revokes"
grep -q "^refused,moved.xlsx," "$WORK/rep/campaign-refusals.csv" || fail "report lacks the refusals"
grep -q "^self-review,admin@acme.example.csv," "$WORK/rep/campaign-refusals.csv" || fail "report lacks the self-review"
xmllint --noout --schema "$SFA_SOURCE_DIR/tests/junit-ant.xsd" "$WORK/rep/campaign-junit.xml" 2>/dev/null || fail "JUnit schema"
expect_exit 2 "$SFACCESS" review collect 2 "$WORK/zoe-1.xlsx"
grep -q "campaign 2 is closed" "$WORK/err" || fail "collect after close: $(cat "$WORK/err")"
expect_exit 0 "$SFACCESS" plan --campaign 2 -o "$WORK/revokes.csv"
grep -q "^revoke,permission_set,0PS5g00000pS012GAC,0055g00000Dm007AAB," "$WORK/revokes.csv" || fail "plan: $(cat "$WORK/revokes.csv")"
[ "$(grep -c '^revoke,' "$WORK/revokes.csv")" = "$nrevoke" ] || fail "plan: $(cat "$WORK/revokes.csv")"
expect_exit 0 "$SFACCESS" apply "$WORK/revokes.csv" --yes
grep -q ": $nrevoke operations: $nrevoke done" "$WORK/out" || fail "apply: $(cat "$WORK/out")"
expect_exit 0 "$SFACCESS" --no-progress sync --no-sync-permissions
expect_exit 0 "$SFACCESS" report access --format csv --out "$WORK/after"
grep -q "^2,.*,0055g00000Dm007AAB,xiaoming.wang@acme.example,.*,permission_set,0PS5g00000pS012GAC,Report Builder,direct," \
  "$WORK/after/access-review.csv" && fail "xiaoming.wang still holds Report Builder directly"
[ "$(sqlite3 "$SFACCESS_STORE" "SELECT n_access FROM snapshot WHERE id = 2")" = $((300 - nrevoke)) ] \
  || fail "the next snapshot does not have exactly the revoked rows fewer"
grep -q "0055g00000Dm007AAB,xiaoming.wang@acme.example" "$WORK/after/access-review.csv" || fail "xiaoming.wang's rows are all gone"
echo "ok end to end: start, fill, collect, close, plan, apply, sync: revoked rows gone"

# ---- scope: rows added since a snapshot; privileged rows only ----
# Snapshot 1 has exactly the revoked rows that snapshot 2 lacks.
expect_exit 0 start --snapshot 1 --changed-since 2 --csv --out "$WORK/since"
[ "$(cat "$WORK/since"/*.csv | grep -vc '^username,')" = "$nrevoke" ] || fail "--changed-since: $(cat "$WORK/since"/*.csv)"
grep -q ',permission_set,0PS5g00000pS012GAC,Report Builder,direct,' "$WORK/since/zoe.angstrom@acme.example.csv" \
  || fail "--changed-since lacks the revoked row"
expect_exit 0 start --privileged-only --csv --out "$WORK/priv"
# The tier is the fifth field from the end (names may hold quoted commas).
tier_rows() { cat "$@" | grep -v '^username,' | awk -F, '$(NF-4) != ""' | wc -l; }
tiers=$(cat "$WORK/priv"/*.csv | grep -v '^username,' | awk -F, '{print $(NF-4)}' | sort -u | tr '\n' ' ')
[ "$tiers" = "0 2 " ] || fail "--privileged-only tiers: $tiers"
[ "$(tier_rows "$WORK/priv"/*.csv)" = "$(tier_rows "$WORK/wb"/*.csv)" ] || fail "--privileged-only left out privileged rows"
echo "ok scope: --changed-since, --privileged-only"

# ---- inherited rows: left out unless asked for ----
# inherited FILES...: the rows of campaign CSV files that follow from
# another row (REVIEW.md "Start"), and all rows, as "inherited all".
inherited() {
  "$PY" - "$@" <<'PY'
import csv, sys
n = total = 0
for path in sys.argv[1:]:
    for r in csv.DictReader(open(path, newline="")):
        total += 1
        if (r["access_type"] in ("group", "queue") and r["via_type"] in ("group", "role")) or \
           (r["access_type"] == "permission_set" and r["via_type"] == "permission_set_group"):
            n += 1
print(n, total)
PY
}
[ "$(inherited "$WORK/wb"/*.csv)" = "0 $nrows" ] || fail "the default campaign issued inherited rows: $(inherited "$WORK/wb"/*.csv)"
expect_exit 0 start --snapshot 1 --include-inherited --csv --out "$WORK/all"
read -r ninh nall <<<"$(inherited "$WORK/all"/*.csv)"
[ "$nall" = 300 ] && [ "$ninh" = $((300 - nrows)) ] || fail "--include-inherited: $ninh inherited of $nall rows"
id=$(sqlite3 "$SFACCESS_STORE" "SELECT max(id) FROM campaign")
[ "$(sqlite3 "$SFACCESS_STORE" "SELECT scope FROM campaign WHERE id = $id")" = "all; inherited rows included" ] \
  || fail "scope: $(sqlite3 "$SFACCESS_STORE" "SELECT scope FROM campaign WHERE id = $id")"
[ "$(sqlite3 "$SFACCESS_STORE" "SELECT scope FROM campaign WHERE id = 2")" = "all; inherited rows left out" ] \
  || fail "default scope: $(sqlite3 "$SFACCESS_STORE" "SELECT scope FROM campaign WHERE id = 2")"
# victor.okafor holds permission sets only through a permission set group:
# inherited rows, issued (to the escalation reviewer) only on request.
conf "[review]" "fallback = admin@acme.example" "escalation = carla.mendes@acme.example" \
     "[review.owners]" "permission_set:Report_Builder = sara.ahmed@acme.example" "* = victor.okafor@acme.example"
expect_exit 0 start --snapshot 1 --by owner --access-type permission_set --include-inherited --out "$WORK/owner-all"
[ "$(ls "$WORK/owner-all" | tr '\n' ' ')" = "carla.mendes@acme.example.xlsx sara.ahmed@acme.example.xlsx victor.okafor@acme.example.xlsx " ] \
  || fail "owner workbooks with inherited rows: $(ls "$WORK/owner-all")"
echo "ok inherited rows: left out by default ($((300 - nrows)) of 300), issued with --include-inherited"
