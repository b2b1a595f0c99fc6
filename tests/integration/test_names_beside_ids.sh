#!/usr/bin/env bash
# Names beside ids (issue 13): a changed ProfileId, UserRoleId or
# ManagerId shows the profile, role and manager names next to the ids in
# diff's table, the Change CSV (old_name/new_name after the documented
# columns), its JSON and HTML; a role's three groups are told apart
# everywhere they print; show prints the API name a change file takes;
# tables fit a 60-column terminal.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
expect_exit 0 "$SFACCESS" --no-progress sync
emu_post /__admin/mutate '[{"op": "update", "object": "User", "id": "0055g00000Dm012AAB",
  "fields": {"ProfileId": "00e5g00000pF004AAC", "UserRoleId": "00E5g00000Rl002EAB", "ManagerId": "0055g00000Dm001AAB"}}]' >/dev/null \
  || fail "mutate refused"
expect_exit 0 "$SFACCESS" --no-progress sync

expect_exit 0 "$SFACCESS" diff
grep -q 'tomasz.kowalski@acme.example *ProfileId *.* -> Standard Platform User (00e5g00000pF004AAC)' "$WORK/out" \
  || fail "diff table: no profile names: $(grep -i profileid "$WORK/out")"
grep -q 'UserRoleId *.*-> VP, Sales (00E5g00000Rl002EAB)' "$WORK/out" || fail "diff table: no role name"
grep -q 'ManagerId *Carla Mendes (0055g00000Dm004AAB) -> Ada Lindqvist (0055g00000Dm001AAB)' "$WORK/out" || fail "diff table: no manager name"

expect_exit 0 "$SFACCESS" report changes --format all --out rep
head -1 rep/changes.csv | grep -q ',decision,reviewer,comment,tier,granted_by,implied_by,old_name,new_name'$'\r''$' || fail "CSV header: $(head -1 rep/changes.csv)"
node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" field old_value new_value old_name new_name <rep/changes.csv >names.tsv
grep -q $'^ProfileId\t00e5g00000pF[0-9]*AAC\t00e5g00000pF004AAC\t[^\t]\+\tStandard Platform User$' names.tsv || fail "CSV names: $(cat names.tsv)"
grep -q $'^ManagerId\t0055g00000Dm004AAB\t0055g00000Dm001AAB\tCarla Mendes\tAda Lindqvist$' names.tsv || fail "CSV manager: $(cat names.tsv)"
grep -q $'^IsActive\ttrue\tfalse\t\t$' names.tsv && fail "a boolean got names"
grep -q '"new_name": *"VP, Sales"' rep/changes.json || fail "JSON role name"
grep -q 'Standard Platform User (00e5g00000pF004AAC)' rep/changes.html || fail "HTML profile name"

# A role's three groups.
expect_exit 0 "$SFACCESS" show --type group --format csv
for k in 'CEO (Role)' 'CEO (Role and subordinates)' 'CEO (Role and internal subordinates)'; do
  grep -qF ",$k," "$WORK/out" || fail "show: no group named $k"
done
expect_exit 0 "$SFACCESS" report access --format csv --out acc
grep -c 'CEO (Role and subordinates)' acc/access-review.csv >/dev/null || fail "review: group names"
# show: the API name a change file takes.
expect_exit 0 "$SFACCESS" show --type role
grep -q '00E5g00000Rl002EAB *VP, Sales *VP_Sales$' "$WORK/out" || fail "show: no API name: $(grep Rl002 "$WORK/out")"
# 60 columns: no line wider.
for c in "show" "show --user tomasz.kowalski@acme.example" "diff" "snapshots"; do
  # shellcheck disable=SC2086
  COLUMNS=60 expect_exit 0 "$SFACCESS" $c
  w=$(tail -n +2 "$WORK/out" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(Math.max(0,...s.split("\n").map(l=>[...l].length))))')
  [ "$w" -le 60 ] || fail "$c: a line of $w characters at COLUMNS=60"
done
echo ok
