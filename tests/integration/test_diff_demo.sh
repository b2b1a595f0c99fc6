#!/usr/bin/env bash
# diff of the demo org before and after fixtures/orgs/demo-changes.json:
# exactly the changes of fixtures/expected/demo/changes.tsv, in the diff's
# order; --exit-code gives 3, a snapshot against itself nothing and 0;
# incomplete snapshots, unknown ids and snapshots of two orgs are refused.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
expected="$SFA_SOURCE_DIR/fixtures/expected/demo"
cols="change field old_value new_value username access_type access_id via_type via_id"

expect_exit 0 "$SFACCESS" --no-progress sync
expect_exit 2 "$SFACCESS" diff
grep -q "no complete snapshot of org 00D5g00000Dm001EAB before snapshot 1" "$WORK/err" \
  || fail "one snapshot: no clear message: $(cat "$WORK/err")"
emu_post /__admin/mutate "@$SFA_SOURCE_DIR/fixtures/orgs/demo-changes.json" >/dev/null \
  || fail "mutate refused"
expect_exit 0 "$SFACCESS" --no-progress sync

expect_exit 0 "$SFACCESS" diff --format csv
cp "$WORK/out" "$WORK/changes.csv"
{
  printf '%s\n' "$cols" | tr ' ' '\t'
  node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" $cols <"$WORK/changes.csv"
} >"$WORK/got.tsv"
diff -u "$expected/changes.tsv" "$WORK/got.tsv" >&2 || fail "changes differ from fixtures/expected/demo/changes.tsv"
head -1 "$WORK/changes.csv" | grep -q '^change,field,old_value,new_value,snapshot_id,captured_at,org_id,user_id,username,name,email,user_type,license,is_active,is_frozen,last_login_at,manager_username,access_type,access_id,access_name,via_type,via_id,via_name,assigned_at,expires_at,first_seen_at,decision,reviewer,comment,tier,granted_by,implied_by,old_name,new_name'$'\r''$' \
  || fail "Change CSV header: $(head -1 "$WORK/changes.csv")"
# Added rows carry the later snapshot, removed ones the earlier.
node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" change snapshot_id access_name via_name assigned_at <"$WORK/changes.csv" >"$WORK/snaps.tsv"
grep -q $'^added\t2\tDeal Desk\t\t2026-11-20T09:31:00Z$' "$WORK/snaps.tsv" || fail "added row columns: $(cat "$WORK/snaps.tsv")"
grep -q $'^removed\t1\tReport Builder\t\t' "$WORK/snaps.tsv" || fail "removed row columns: $(cat "$WORK/snaps.tsv")"
echo "ok diff lists exactly the expected changes, in order"

expect_exit 0 "$SFACCESS" diff --format csv
cmp -s "$WORK/out" "$WORK/changes.csv" || fail "two runs of diff --format csv differ"
expect_exit 3 "$SFACCESS" diff --exit-code
grep -q "2 added, 2 removed, 1 changed, 0 resources added, 0 resources removed" "$WORK/out" \
  || fail "table summary: $(head -1 "$WORK/out")"
grep -q "tomasz.kowalski@acme.example *IsActive *true -> false" "$WORK/out" || fail "table: no IsActive change"
expect_exit 0 "$SFACCESS" diff --from 2 --to 2 --exit-code --format csv
[ "$(wc -l <"$WORK/out")" = 1 ] || fail "a snapshot against itself has changes: $(cat "$WORK/out")"
expect_exit 3 "$SFACCESS" diff --from 2 --to 1 --exit-code --format csv
[ "$(grep -c '^added,' "$WORK/out")" = 2 ] && [ "$(grep -c '^removed,' "$WORK/out")" = 2 ] \
  || fail "reverse diff: $(cat "$WORK/out")"
echo "ok --exit-code, self-diff and reverse diff"

expect_exit 0 "$SFACCESS" diff --format json
node -e '
const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const want = {added: 2, removed: 2, changed: 1, resource_added: 0, resource_removed: 0};
for (const k of Object.keys(want)) {
  if (d[k].length !== want[k] || d.counts[k] !== want[k]) throw new Error(`${k}: ${d[k].length}`);
}
if (d.from.id !== 1 || d.to.id !== 2 || !/^[0-9a-f]{64}$/.test(d.from.content_hash) || !d.to.captured_at)
  throw new Error("snapshot metadata");
const c = d.changed[0];
if (c.field !== "IsActive" || c.old_value !== "true" || c.new_value !== "false" ||
    c.username !== "tomasz.kowalski@acme.example" || c.is_active !== false) throw new Error(JSON.stringify(c));
if (d.added[0].username !== "sean.obrien@acme.example" || d.added[0].via_type !== "direct") throw new Error("added order");
' "$WORK/out" || fail "diff --format json"
echo "ok JSON with snapshot metadata, counts and old/new values"

# Refusals: unknown ids, an incomplete snapshot unless asked for by id.
expect_exit 2 "$SFACCESS" diff --from 99
grep -q -- "--from 99: no such snapshot" "$WORK/err" || fail "unknown id: $(cat "$WORK/err")"
expect_exit 2 "$SFACCESS" diff --to abc
expect_exit 2 "$SFACCESS" diff --format xml
emu_post /__admin/faults '{"api_limit": 20}' >/dev/null
expect_exit 1 "$SFACCESS" --no-progress sync
emu_post /__admin/faults '{"api_limit": null}' >/dev/null
expect_exit 2 "$SFACCESS" diff --to 3
grep -q -- "--to 3: snapshot is incomplete; pass --allow-incomplete" "$WORK/err" || fail "incomplete: $(cat "$WORK/err")"
[ "$(wc -l <"$WORK/err")" = 1 ] || fail "refusal is not one line: $(cat "$WORK/err")"
expect_exit 0 "$SFACCESS" diff --to 3 --allow-incomplete
expect_exit 0 "$SFACCESS" diff --format csv
cmp -s "$WORK/out" "$WORK/changes.csv" || fail "the default diff took the incomplete snapshot"
echo "ok unknown and incomplete snapshots refused; defaults skip incomplete ones"

# A second org in the same store.
node -e '
const fs = require("fs");
const d = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
d.org.Id = "00D5g00000Zz999EAA";
fs.writeFileSync(process.argv[2], JSON.stringify(d));
' "$SFA_SOURCE_DIR/fixtures/orgs/demo.json" "$WORK/other.json"
kill "$EMU_PID"; wait "$EMU_PID" 2>/dev/null || true; EMU_PID=""
emu_start "$WORK/other.json"
demo_login
expect_exit 0 "$SFACCESS" --no-progress sync
expect_exit 2 "$SFACCESS" diff --from 2 --to 4
grep -q "snapshots 2 and 4 are of different orgs (00D5g00000Dm001EAB, 00D5g00000Zz999EAA)" "$WORK/err" \
  || fail "different orgs: $(cat "$WORK/err")"
expect_exit 2 "$SFACCESS" diff
grep -q "no complete snapshot of org 00D5g00000Zz999EAA before snapshot 4" "$WORK/err" \
  || fail "default across orgs: $(cat "$WORK/err")"
expect_exit 0 "$SFACCESS" diff --from 1 --format csv
cmp -s "$WORK/out" "$WORK/changes.csv" || fail "--from 1 did not default --to to org 1's latest"
echo "ok snapshots of different orgs refused"
