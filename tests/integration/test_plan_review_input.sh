#!/usr/bin/env bash
# plan --review trusts only what it can check (issue 13): the review's
# snapshot must be in the store (a missing store or snapshot is exit 2,
# nothing written); it says how many rows have no decision and warns when
# the org was synced since the review.  A reviewer's spreadsheet is read
# as saved: semicolon separated (a European Excel), blank rows skipped; a
# file in a local code page is refused with one message.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
expect_exit 0 "$SFACCESS" --no-progress sync
expect_exit 0 "$SFACCESS" report access --format csv --out "$WORK/review"
node "$SFA_SOURCE_DIR/tests/integration/review_decide.js" \
  "olu.adeyemi@acme.example,permission_set,0PS5g00000pS016GAC,direct=revoke" \
  "ana.souza@acme.example,group,00G5g00000gR030EAC,direct=revoke" \
  "olu.adeyemi@acme.example,profile,00e5g00000pF002AAC,direct=keep" \
  <"$WORK/review/access-review.csv" >"$WORK/reviewed.csv"
rows=$(( $(node -e 'console.log(require(process.argv[1]).parse(require("fs").readFileSync(process.argv[2], "utf8")).length)' \
  "$SFA_SOURCE_DIR/tests/integration/csv.js" "$WORK/reviewed.csv") - 1 ))

# The reference plan, and what it says about undecided rows.
expect_exit 0 "$SFACCESS" plan --review "$WORK/reviewed.csv" -o "$WORK/plan.csv"
grep -q "plan: 2 operations, 0 rows left as comments, 1 kept, $((rows - 3)) rows without a decision" "$WORK/err" \
  || fail "summary: $(cat "$WORK/err")"
! grep -q "warning" "$WORK/err" || fail "warned on the latest snapshot: $(cat "$WORK/err")"
grep -v '^#' "$WORK/plan.csv" >"$WORK/plan.ops"
[ "$(wc -l <"$WORK/plan.ops")" = 3 ] || fail "plan: $(cat "$WORK/plan.csv")"
echo "ok plan: 2 revokes, $((rows - 3)) rows without a decision counted"

# A --store that does not exist: exit 2, nothing written.
rm -f "$WORK/p2.csv"
expect_exit 2 "$SFACCESS" --store "$WORK/nowhere.db" plan --review "$WORK/reviewed.csv" -o "$WORK/p2.csv"
grep -q "nowhere.db" "$WORK/err" || fail "missing store: $(cat "$WORK/err")"
[ ! -e "$WORK/p2.csv" ] || fail "a plan was written without a store"
# A store without the review's snapshot: exit 2 naming the line.
sed 's/^1,/99,/' "$WORK/reviewed.csv" >"$WORK/other-snap.csv"
expect_exit 2 "$SFACCESS" plan --review "$WORK/other-snap.csv" -o "$WORK/p2.csv"
grep -q "other-snap.csv:2: the review is of snapshot 99, which is not in this store" "$WORK/err" \
  || fail "snapshot not in the store: $(cat "$WORK/err")"
[ ! -e "$WORK/p2.csv" ] || fail "a plan was written without the review's snapshot"
echo "ok a missing store or snapshot is exit 2, nothing written"

# Semicolon separated, CRLF, blank spreadsheet rows (;;;;) in between:
# the same plan.
node -e '
  const csv = require(process.argv[1]), fs = require("fs");
  const rows = csv.parse(fs.readFileSync(process.argv[2], "utf8"));
  const q = (s) => (/[";\r\n]/.test(s) ? `"${s.replace(/"/g, "\"\"")}"` : s);
  const blank = rows[0].map(() => "").join(";");
  const out = [];
  rows.forEach((r, i) => { out.push(r.map(q).join(";")); if (i % 5 === 2) out.push(blank); });
  fs.writeFileSync(process.argv[3], out.join("\r\n") + "\r\n\r\n" + blank + "\r\n");' \
  "$SFA_SOURCE_DIR/tests/integration/csv.js" "$WORK/reviewed.csv" "$WORK/semicolon.csv"
grep -q '^snapshot_id;captured_at;' "$WORK/semicolon.csv" || fail "the test file is not semicolon separated"
expect_exit 0 "$SFACCESS" plan --review "$WORK/semicolon.csv" -o "$WORK/plan-semi.csv"
# The same operations (the review lines moved with the blank rows).
grep -v '^#' "$WORK/plan-semi.csv" | sed 's/review line [0-9]*//' >"$WORK/semi.ops"
sed 's/review line [0-9]*//' "$WORK/plan.ops" | diff -u - "$WORK/semi.ops" >&2 || fail "semicolon plan differs"
grep -q "plan: 2 operations, 0 rows left as comments, 1 kept, $((rows - 3)) rows without a decision" "$WORK/err" \
  || fail "semicolon summary (blank rows counted?): $(cat "$WORK/err")"
echo "ok a semicolon-separated review with blank rows gives the same plan"

# Saved in a local code page (Latin-1): one message saying what to do.
printf 'snapshot_id;user_id;username;access_type;access_id;via_type;decision\r\n1;0055g00000Dm030AAB;olu;permission_set;0PS5g00000pS016GAC;direct;revoke;R\xe9vision\r\n' \
  >"$WORK/latin1.csv"
expect_exit 2 "$SFACCESS" plan --review "$WORK/latin1.csv" -o "$WORK/p2.csv"
[ "$(grep -c . "$WORK/err")" -le 2 ] || fail "more than one message: $(cat "$WORK/err")"
grep -q 'latin1.csv:2: the file is not UTF-8 text .*save it from the spreadsheet as "CSV UTF-8"' "$WORK/err" \
  || fail "latin-1: $(cat "$WORK/err")"
# Not a review at all: one message for the header, not one per column.
printf 'a|b|c\n1|2|3\n' >"$WORK/pipes.csv"
expect_exit 2 "$SFACCESS" plan --review "$WORK/pipes.csv" -o "$WORK/p2.csv"
[ "$(grep -c 'pipes.csv:' "$WORK/err")" = 1 ] || fail "header problems: $(cat "$WORK/err")"
echo "ok a file in a local code page, or not a review, is one message"

# The same habits in a change file: semicolons and blank rows.
printf 'op;resource_type;resource;user;fields;comment\r\n;;;;;\r\nrevoke;permission_set;Case_Agent;olu.adeyemi@acme.example;;"semi; colon"\r\n' \
  >"$WORK/changes-semi.csv"
expect_exit 0 "$SFACCESS" apply "$WORK/changes-semi.csv" --dry-run
grep -q "1 operation, in execution order" "$WORK/out" || fail "semicolon change file: $(cat "$WORK/out") $(cat "$WORK/err")"
echo "ok a semicolon-separated change file with a blank row is read"

# The org synced since the review: a warning naming both snapshots.
expect_exit 0 "$SFACCESS" --no-progress sync
expect_exit 0 "$SFACCESS" plan --review "$WORK/reviewed.csv" -o "$WORK/plan3.csv"
grep -q "warning: the review is of snapshot 1, but snapshot 2 of the org is newer" "$WORK/err" \
  || fail "no warning: $(cat "$WORK/err")"
echo "ok a review of an older snapshot is warned about"
