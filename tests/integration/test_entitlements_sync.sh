#!/usr/bin/env bash
# Entitlements (lib/access/ACCESS-MODEL.md) on the hand-made org
# fixtures/orgs/entitlements.json: each rule's rows, one scan per object,
# the options off by default, and an org without Territory Management.
. "$(dirname "$0")/lib.sh"

org="$SFA_SOURCE_DIR/fixtures/orgs/entitlements.json"
emu_start "$org"
export SFACCESS_DOMAIN="$EMU_URL" SFACCESS_USERNAME=admin@ent.example \
       SFACCESS_PASSWORD=pw SFACCESS_SECURITY_TOKEN=tok
stat() { emu_get /__admin/stats | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).api_requests))'; }

# Off by default: the sync reads what it always read, and no new type.
expect_exit 0 "$SFACCESS" --no-progress sync --no-sync-permissions
base=$(stat)
expect_exit 0 "$SFACCESS" show --format csv
grep -Eq '^(resource|access),(territory|permission_set_license|package_license|custom_permission),' "$WORK/out" \
  && fail "entitlements synced without the options"
echo "ok off by default ($base requests)"

# Both options: one scan per new object (Territory2, its associations, two
# licence objects each, CustomPermission and its SetupEntityAccess rows).
emu_post /__admin/reset '{}' >/dev/null
expect_exit 0 "$SFACCESS" --no-progress -v sync --no-sync-permissions --sync-territories --sync-entitlements
[ "$(stat)" = $((base + 8)) ] || fail "expected $((base + 8)) requests, the org counted $(stat)"
grep -q 'FROM+Territory2+WHERE+Territory2Model.State' "$WORK/err" || fail "Territory2 is not filtered to the active model"
expect_exit 0 "$SFACCESS" show --format csv
show="$WORK/show.csv"; tr -d '\r' < "$WORK/out" > "$show"
has() { grep -qxF "$1" "$show" || fail "missing: $1"; }
hasnt() { grep -qF "$1" "$show" && fail "unexpected: $1" || true; }
# E1 territories: the active model's only, direct.
has 'resource,territory,0MI5eE000000001GBA,EMEA,,,,,,'
has 'resource,territory,0MI5eE000000002GBA,United Kingdom,,,,,,'
hasnt 'Future EMEA'
has 'access,territory,0MI5eE000000001GBA,EMEA,alice@ent.example,direct,,,,'
has 'access,territory,0MI5eE000000002GBA,United Kingdom,bob@ent.example,direct,,,,'
grep -q '^access,territory,.*dave@' "$show" && fail "a planning model's territory gave dave a row"
# E2 permission set licences, E3 package licences: direct, inactive users too.
has 'access,permission_set_license,0PL5eE000000002GBA,Sales Console User,alice@ent.example,direct,,,,'
has 'access,permission_set_license,0PL5eE000000001GBA,CRM User,carol@ent.example,direct,,,,'
has 'resource,permission_set_license,0PL5eE000000003GBA,Knowledge User,,,,,,'
has 'access,package_license,0505eE000000001ABA,SBQQ,carol@ent.example,direct,,,,'
has 'access,package_license,0505eE000000002ABA,dsfs,bob@ent.example,direct,,,,'
# E4 custom permissions: by profile, by permission set, by group aggregate;
# muted within Sales Bundle (bob holds Sales Ops only through it).
has 'access,custom_permission,0CP5eE000000001GBA,Approve Discounts,carol@ent.example,profile,00e5eE000000002ABA,Standard User,,'
has 'access,custom_permission,0CP5eE000000002GBA,Bypass Validation,dave@ent.example,permission_set,0PS5eE000000004GBA,Sales Ops,,'
has 'access,custom_permission,0CP5eE000000003GBA,Export Reports,bob@ent.example,permission_set_group,0PG5eE000000001GBA,Sales Bundle,,'
grep -q '^access,custom_permission,0CP5eE000000002GBA,.*bob@' "$show" && fail "a muted custom permission gave bob a row"
# E5 queues: `queue` rows; regular groups stay `group`.
has 'access,queue,00G5eE000000003EBA,Support Queue,bob@ent.example,direct,,,2026-10-01T08:00:00Z,'
has 'access,group,00G5eE000000002EBA,Sales Team,alice@ent.example,direct,,,2026-10-01T08:00:00Z,'
[ "$(grep -c '^access,' "$show")" = 31 ] || fail "expected 31 access rows, got $(grep -c '^access,' "$show")"
# The resources keep their counts (show --format json).
expect_exit 0 "$SFACCESS" show --type permission_set_license --format json
grep -q '"TotalLicenses": *5' "$WORK/out" && grep -q '"UsedLicenses": *3' "$WORK/out" \
  || fail "licence seats not kept: $(cat "$WORK/out")"
expect_exit 0 "$SFACCESS" show --type package_license --format json
grep -q '"AllowedLicenses": *-1' "$WORK/out" || fail "package licence seats not kept: $(cat "$WORK/out")"
echo "ok each rule's rows"

# An org without Territory Management: the territory scans are skipped with
# one -v line, the sync succeeds.
kill "$EMU_PID"; wait "$EMU_PID" 2>/dev/null || true; EMU_PID=""
node -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));d.org.territory_management=false;
for (const o of ["Territory2Model","Territory2","UserTerritory2Association"]) delete d.records[o];
console.log(JSON.stringify(d))' "$org" > "$WORK/noterr.json"
emu_start "$WORK/noterr.json"
export SFACCESS_DOMAIN="$EMU_URL"
expect_exit 0 "$SFACCESS" --no-progress -v sync --no-sync-permissions --sync-territories --sync-entitlements
[ "$(grep -c 'skipped: the org does not have it' "$WORK/out")" = 2 ] || fail "skip lines: $(cat "$WORK/out")"
grep -qi 'error' "$WORK/err" && fail "an error for a missing feature: $(cat "$WORK/err")"
expect_exit 0 "$SFACCESS" show --format csv
grep -q ',territory,' "$WORK/out" && fail "territory rows from an org without them"
grep -q '^access,permission_set_license,' "$WORK/out" || fail "the other entitlements are gone too"
# The same one scan at a time.
expect_exit 0 "$SFACCESS" --no-progress -v sync --no-sync-permissions --sync-territories --max-connections 1
[ "$(grep -c 'skipped: the org does not have it' "$WORK/out")" = 2 ] || fail "sequential: $(cat "$WORK/out")"
echo "ok an org without Territory Management"
