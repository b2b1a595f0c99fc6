#!/usr/bin/env bash
# plan --revert-to: after a change file is applied, the plan back to the
# first snapshot, applied, leaves the org as it was (but for the user the
# change file created: users cannot be deleted, so it is deactivated).
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
lp=(--license-profile "Salesforce=Minimum Access - Salesforce")
expect_exit 0 "$SFACCESS" --no-progress sync
expect_exit 0 "$SFACCESS" apply "$SFA_SOURCE_DIR/fixtures/changes/demo-all-ops.csv" --yes "${lp[@]}"
expect_exit 0 "$SFACCESS" --no-progress sync

expect_exit 0 "$SFACCESS" plan --revert-to 1 -o "$WORK/revert.csv"
grep -v '^#' "$WORK/revert.csv" | node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" op resource_type resource user fields \
  | sed "s/0057[A-Za-z0-9]\{14\}/NEWUSER/" | LC_ALL=C sort >"$WORK/ops.tsv"
cat >"$WORK/want.tsv" <<'WANT'
grant	group	00G5g00000gR030EAC	0055g00000Dm031AAB	
grant	permission_set	0PS5g00000pS016GAC	0055g00000Dm030AAB	
grant	permission_set_group	0PG5g00000Pg002GAB	0055g00000Dm029AAB	
grant	profile	00e5g00000pF002AAC	0055g00000Dm036AAB	
grant	profile	00e5g00000pF003AAC	0055g00000Dm033AAB	
grant	role	00E5g00000Rl006EAB	0055g00000Dm016AAB	
revoke	group	00G5g00000gR022EAC	0055g00000Dm029AAB	
revoke	group	00G5g00000gR031EAC	0055g00000Dm030AAB	
revoke	permission_set	0PS5g00000pS011GAC	NEWUSER	
revoke	permission_set_group	0PG5g00000Pg001GAB	0055g00000Dm031AAB	
revoke	role	00E5g00000Rl006EAB	0055g00000Dm029AAB	
set_status	user		0055g00000Dm032AAB	IsActive=false
set_status	user		NEWUSER	IsActive=false
WANT
diff -u "$WORK/want.tsv" "$WORK/ops.tsv" >&2 || fail "revert plan operations"
echo "ok plan --revert-to 1: 13 operations"

expect_exit 0 "$SFACCESS" apply "$WORK/revert.csv" --yes
grep -q ": 13 operations: 13 done, 0 already, 0 failed" "$WORK/out" || fail "apply of the revert: $(cat "$WORK/out")"
expect_exit 0 "$SFACCESS" --no-progress sync
# Back to snapshot 1 but for the created, now inactive, user.
expect_exit 0 "$SFACCESS" diff --from 1 --to 3 --format csv
node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" change username access_type via_type <"$WORK/out" \
  | grep -v $'^resource_added\t\tuser\t' | grep -v $'^added\tnew.hire@acme.example\tprofile\tdirect$' >"$WORK/rest" || true
[ ! -s "$WORK/rest" ] || fail "after the revert the org differs from snapshot 1: $(cat "$WORK/rest")"
echo "ok after the revert the org is snapshot 1's (the created user deactivated)"

# Reverting to the latest snapshot is an empty plan.
expect_exit 0 "$SFACCESS" plan --revert-to 3
[ "$(grep -vc '^#' "$WORK/out")" = 1 ] || fail "revert to the latest: $(cat "$WORK/out")"
