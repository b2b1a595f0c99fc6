#!/usr/bin/env bash
# plan --review: the access review CSV with decisions becomes a change file
# of revokes; access through another item is a comment naming that item;
# a bad decision is an error with its line; the plan applies cleanly.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
expect_exit 0 "$SFACCESS" --no-progress sync
expect_exit 0 "$SFACCESS" report access --format csv --out "$WORK/review"

decide() {
  node "$SFA_SOURCE_DIR/tests/integration/review_decide.js" "$@" <"$WORK/review/access-review.csv"
}
decide \
  "sara.ahmed@acme.example,permission_set_group,0PG5g00000Pg002GAB,direct=revoke" \
  "sara.ahmed@acme.example,permission_set,0PS5g00000pS016GAC,permission_set_group=revoke" \
  "olu.adeyemi@acme.example,permission_set,0PS5g00000pS016GAC,direct=Revoke" \
  "olu.adeyemi@acme.example,profile,00e5g00000pF002AAC,direct=keep" \
  "ana.souza@acme.example,group,00G5g00000gR030EAC,direct=revoke" \
  "ana.souza@acme.example,group,00G5g00000gR001EAC,direct=revoke" \
  "mei.chen@acme.example,role,00E5g00000Rl006EAB,direct=revoke" \
  "mei.chen@acme.example,group,00G5g00000gR017EAC,role=revoke" \
  "lucia.garcia@acme.example,profile,00e5g00000pF003AAC,direct=revoke" \
  >"$WORK/reviewed.csv"

expect_exit 0 "$SFACCESS" plan --review "$WORK/reviewed.csv" -o "$WORK/plan.csv"
grep -v '^#' "$WORK/plan.csv" | node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" op resource_type resource user \
  | LC_ALL=C sort >"$WORK/ops.tsv"
cat >"$WORK/want.tsv" <<'WANT'
revoke	group	00G5g00000gR030EAC	0055g00000Dm031AAB
revoke	permission_set	0PS5g00000pS016GAC	0055g00000Dm030AAB
revoke	permission_set_group	0PG5g00000Pg002GAB	0055g00000Dm029AAB
revoke	profile	00e5g00000pF003AAC	0055g00000Dm033AAB
revoke	role	00E5g00000Rl006EAB	0055g00000Dm016AAB
WANT
diff -u "$WORK/want.tsv" "$WORK/ops.tsv" >&2 || fail "plan operations"
# Not revocable directly: named, not guessed.
grep -q '^# .*sara.ahmed@acme.example has permission_set Case Agent (0PS5g00000pS016GAC) through permission_set_group Support, "Tier 2" (0PG5g00000Pg002GAB): not revocable directly' "$WORK/plan.csv" \
  || fail "via-PSG row: $(cat "$WORK/plan.csv")"
grep -q '^# .*mei.chen@acme.example has group Engineering (Role) (00G5g00000gR017EAC) through role .*not revocable directly' "$WORK/plan.csv" \
  || fail "via-role row: $(cat "$WORK/plan.csv")"
grep -q '^# .*ana.souza@acme.example is in group All Internal Users (00G5g00000gR001EAC) of type Organization: only Regular and Queue' "$WORK/plan.csv" \
  || fail "Organization group row: $(cat "$WORK/plan.csv")"
echo "ok plan --review: 5 revokes, 3 comments"

# The plan is a valid change file and applies (profile revoke via the map).
expect_exit 0 "$SFACCESS" apply "$WORK/plan.csv" --yes --license-profile "Salesforce=Minimum Access - Salesforce"
grep -q ": 5 operations: 5 done, 0 already, 0 failed" "$WORK/out" || fail "apply of the plan: $(cat "$WORK/out")"
echo "ok the plan applies"

# A decision that is neither keep nor revoke: error with its line, no file.
decide "olu.adeyemi@acme.example,profile,00e5g00000pF002AAC,direct=maybe" >"$WORK/bad.csv"
line=$(grep -n ',maybe,' "$WORK/bad.csv" | cut -d: -f1)
rm -f "$WORK/plan2.csv"
expect_exit 2 "$SFACCESS" plan --review "$WORK/bad.csv" -o "$WORK/plan2.csv"
grep -q "bad.csv:$line: decision \`maybe\` is neither keep nor revoke" "$WORK/err" || fail "bad decision: $(cat "$WORK/err")"
[ ! -e "$WORK/plan2.csv" ] || fail "a plan was written despite the error"
echo "ok bad decision: line $line, nothing written"
