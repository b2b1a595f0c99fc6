#!/usr/bin/env bash
# review start on a generated 800-user org routed by manager: about a
# hundred reviewers, enough that a second process writes every other
# workbook (reports/workbook.c).  Every reviewer gets exactly one workbook
# and one CSV, together holding every issued row once; python3-openpyxl
# reads every workbook back; a workbook of each process's share collects.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
WB="$SFA_SOURCE_DIR/tests/integration/review_workbook.py"
"$PY" -c 'import openpyxl' 2>/dev/null || fail "python3-openpyxl is missing (scripts/setup.sh installs it)"
node "$SFA_SOURCE_DIR/tests/emulator/generate.js" --users 800 >"$WORK/org.json"
emu_start "$WORK/org.json"
export SFACCESS_DOMAIN="$EMU_URL" SFACCESS_USERNAME=admin@gen1.example \
       SFACCESS_PASSWORD=pw SFACCESS_SECURITY_TOKEN=tok
expect_exit 0 "$SFACCESS" --no-progress sync --no-sync-permissions
q() { sqlite3 "$SFACCESS_STORE" "$1"; }
printf '[review]\nfallback = admin@gen1.example\nescalation = %s\n' \
  "$(q "SELECT username FROM sf_user WHERE is_active = 1 AND username <> 'admin@gen1.example' ORDER BY username LIMIT 1")" \
  >"$WORK/review.conf"
expect_exit 0 "$SFACCESS" --config "$WORK/review.conf" review start --access-type profile,permission_set --csv --out "$WORK/wb"
reviewers=$(q "SELECT count(DISTINCT reviewer) FROM campaign_row WHERE campaign_id = 1")
rows=$(q "SELECT count(*) FROM campaign_row WHERE campaign_id = 1")
[ "$reviewers" -ge 64 ] || fail "only $reviewers reviewers: one process wrote the workbooks"
grep -q "^campaign 1: $((2 * reviewers)) files in" "$WORK/out" || fail "start: $(cat "$WORK/out")"
[ "$(find "$WORK/wb" -name '*.xlsx' | wc -l)" = "$reviewers" ] || fail "not one workbook per reviewer"
[ "$(find "$WORK/wb" -name '*.csv' | wc -l)" = "$reviewers" ] || fail "not one CSV per reviewer"
q "SELECT DISTINCT reviewer FROM campaign_row WHERE campaign_id = 1" | while read -r r; do
  [ -s "$WORK/wb/$r.xlsx" ] && [ -s "$WORK/wb/$r.csv" ] || fail "no files of $r"
done
[ "$(cat "$WORK/wb"/*.csv | grep -vc '^username,')" = "$rows" ] || fail "the CSVs do not hold every row once"
"$PY" "$WB" check "$WORK/wb" 1 "$(q "SELECT content_hash FROM snapshot WHERE id = 1")" >"$WORK/check" \
  || fail "workbook check"
grep -q "^$reviewers workbooks, $rows rows" "$WORK/check" || fail "check: $(cat "$WORK/check")"
echo "ok $reviewers workbooks of $rows rows by two processes, read by openpyxl"

# The first two reviewers by name: one of each process's share.
q "SELECT DISTINCT reviewer FROM campaign_row WHERE campaign_id = 1 ORDER BY reviewer LIMIT 2" >"$WORK/two"
while read -r r; do
  "$PY" "$WB" fill "$WORK/wb/$r.xlsx" "$WORK/filled-$r.xlsx"
  expect_exit 0 "$SFACCESS" review collect 1 "$WORK/filled-$r.xlsx"
  n=$(q "SELECT count(*) FROM campaign_row WHERE campaign_id = 1 AND reviewer = '$r'")
  grep -q ": $n decisions\? of $r recorded" "$WORK/out" || fail "collect $r: $(cat "$WORK/out")"
done <"$WORK/two"
echo "ok a workbook of each process collected"
