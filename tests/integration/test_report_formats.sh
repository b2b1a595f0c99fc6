#!/usr/bin/env bash
# report access --format all on the demo org: four files and a manifest;
# the JUnit file validates against the strict Ant schema; verify passes,
# then names a modified, a missing and an extra file; the same snapshot
# gives byte-identical CSV; an incomplete snapshot needs --allow-incomplete.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
expect_exit 0 "$SFACCESS" --no-progress sync --sync-connected-apps

files="access-review.csv access-review.html access-review.junit.xml access-review.json"
expect_exit 0 "$SFACCESS" report access --format all --out "$WORK/r1"
for f in $files manifest.json; do
  [ -s "$WORK/r1/$f" ] || fail "report did not write $f"
done
[ "$(ls "$WORK/r1" | wc -l)" = 5 ] || fail "report wrote other files: $(ls "$WORK/r1")"
rows=$(($(node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" username <"$WORK/r1/access-review.csv" | wc -l)))
grep -q "access-review.csv: $rows access rows" "$WORK/out" || fail "no row count line: $(cat "$WORK/out")"
echo "ok all four files and the manifest ($rows access rows)"

xmllint --noout --schema "$SFA_SOURCE_DIR/tests/junit-ant.xsd" "$WORK/r1/access-review.junit.xml" 2>"$WORK/xmllint" \
  || { cat "$WORK/xmllint" >&2; fail "JUnit report does not validate against tests/junit-ant.xsd"; }
for check in inactive-user-with-access expired-assignment privileged-tier-0 privileged-tier-1 privileged-tier-2 privileged-tier-3 privileged-tier-4 non-standard-license frozen-user-with-access outdated-permission-set-group; do
  grep -q "<testsuite name=\"$check\" package=\"sfaccess.access_review\"" "$WORK/r1/access-review.junit.xml" \
    || fail "no $check testsuite"
done
# Testcase names are unique within each classname (GitLab keeps the first of duplicates).
dups=$(xmllint --xpath '//testcase/@classname | //testcase/@name' "$WORK/r1/access-review.junit.xml" \
  | paste - - | sort | uniq -d | wc -l)
[ "$dups" = 0 ] || fail "duplicate testcase names"
echo "ok JUnit validates against the strict Ant schema, one suite per check"

node -e '
  const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  if (d.row_count !== d.rows.length || d.rows.length !== Number(process.argv[2])) throw new Error("row_count " + d.row_count);
  if (!d.snapshot.content_hash || d.snapshot.id !== 1) throw new Error("snapshot metadata");
  const m = JSON.parse(require("fs").readFileSync(process.argv[3], "utf8"));
  if (m.files.length !== 4 || m.snapshots[0].content_hash !== d.snapshot.content_hash) throw new Error("manifest");
  if (m.tool.version === undefined || m.org_id !== d.snapshot.org_id || !/Z$/.test(m.generated_at)) throw new Error("manifest header");
' "$WORK/r1/access-review.json" "$rows" "$WORK/r1/manifest.json" || fail "JSON report or manifest malformed"
echo "ok JSON report and manifest agree"

expect_exit 0 "$SFACCESS" verify "$WORK/r1"
grep -qx "verified 4 files" "$WORK/out" || fail "verify said: $(cat "$WORK/out")"

# Tampering: each change is named on its own line, exit 1.
cp -r "$WORK/r1" "$WORK/t1"
printf 'x' >>"$WORK/t1/access-review.csv"
expect_exit 1 "$SFACCESS" verify "$WORK/t1"
grep -q "^modified: access-review.csv" "$WORK/out" || fail "modified file not named: $(cat "$WORK/out")"
cp -r "$WORK/r1" "$WORK/t2"
rm "$WORK/t2/access-review.html"
expect_exit 1 "$SFACCESS" verify "$WORK/t2"
grep -q "^missing: access-review.html" "$WORK/out" || fail "missing file not named: $(cat "$WORK/out")"
cp -r "$WORK/r1" "$WORK/t3"
echo note >"$WORK/t3/notes.txt"
expect_exit 1 "$SFACCESS" verify "$WORK/t3"
grep -q "^extra: notes.txt" "$WORK/out" || fail "extra file not named: $(cat "$WORK/out")"
[ "$(wc -l <"$WORK/out")" = 1 ] || fail "verify named more than the extra file: $(cat "$WORK/out")"
echo '{"files": [' >"$WORK/t3/manifest.json"
expect_exit 2 "$SFACCESS" verify "$WORK/t3"
expect_exit 2 "$SFACCESS" verify "$WORK/no-such-dir"
echo "ok verify names modified, missing and extra files; exit 2 on a broken manifest"

# The same snapshot twice: byte-identical CSV (and HTML, JSON: nothing in
# them depends on when they were written).
expect_exit 0 "$SFACCESS" report access --snapshot 1 --format csv --format html --format json --out "$WORK/r2"
for f in access-review.csv access-review.html access-review.json; do
  cmp -s "$WORK/r1/$f" "$WORK/r2/$f" || fail "$f differs between two runs of snapshot 1"
done
echo "ok CSV, HTML and JSON are byte-identical across runs"

# An incomplete snapshot: refused by id unless --allow-incomplete; never the default.
emu_post /__admin/faults '{"api_limit": 20}' >/dev/null
expect_exit 1 "$SFACCESS" --no-progress sync --sync-connected-apps
emu_post /__admin/faults '{"api_limit": null}' >/dev/null
expect_exit 2 "$SFACCESS" report access --snapshot 2 --format csv --out "$WORK/r3"
grep -q "snapshot 2 is incomplete.*--allow-incomplete" "$WORK/err" || fail "no clear refusal: $(cat "$WORK/err")"
[ ! -e "$WORK/r3/access-review.csv" ] || fail "a refused report wrote a file"
expect_exit 0 "$SFACCESS" report access --snapshot 2 --allow-incomplete --format all --out "$WORK/r3"
xmllint --noout --schema "$SFA_SOURCE_DIR/tests/junit-ant.xsd" "$WORK/r3/access-review.junit.xml" 2>/dev/null \
  || fail "JUnit of an empty snapshot does not validate"
expect_exit 0 "$SFACCESS" report access --format csv --out "$WORK/r4"
grep -q "of snapshot 1" "$WORK/out" || fail "default is not the latest complete snapshot: $(cat "$WORK/out")"
expect_exit 2 "$SFACCESS" report access --format pdf --out "$WORK/r5"
expect_exit 2 "$SFACCESS" report changes --format csv --out "$WORK/r5"
echo "ok incomplete snapshots need --allow-incomplete"
