#!/usr/bin/env bash
# The permission commands never answer silently: a table has a header; an
# answer of "nobody" / "no permission" is said on stderr while stdout
# stays empty for scripts; a field question on a snapshot synced without
# field permissions is an error naming the option, not "unknown field".
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
expect_exit 0 "$SFACCESS" --no-progress sync

expect_exit 0 "$SFACCESS" who-can ModifyAllData
head -1 "$WORK/out" | grep -q '^user  *permission  *via type  *via' || fail "no table header: $(head -1 "$WORK/out")"
[ "$(grep -c 'ModifyAllData' "$WORK/out")" -ge 3 ] || fail "who-can ModifyAllData: $(cat "$WORK/out")"
expect_exit 0 "$SFACCESS" who-can ModifyAllData --format csv
head -1 "$WORK/out" | grep -q '^username,user_id,' || fail "CSV header changed: $(head -1 "$WORK/out")"
echo "ok who-can prints a table header"

expect_exit 0 "$SFACCESS" who-can ManageInternalUsers
[ ! -s "$WORK/out" ] || fail "nobody holds it, yet stdout: $(cat "$WORK/out")"
grep -q "who-can: nobody holds ManageInternalUsers in snapshot 1" "$WORK/err" || fail "no note: $(cat "$WORK/err")"
expect_exit 0 "$SFACCESS" -q who-can ManageInternalUsers
[ ! -s "$WORK/err" ] || fail "-q still notes: $(cat "$WORK/err")"
expect_exit 0 "$SFACCESS" permissions sean.obrien@acme.example
[ ! -s "$WORK/out" ] || fail "permissions of a user with none: $(cat "$WORK/out")"
grep -q "sean.obrien@acme.example holds no system, object or field permission in snapshot 1" "$WORK/err" \
  || fail "no note: $(cat "$WORK/err")"
echo "ok an empty answer is said on stderr, stdout stays empty"

expect_exit 2 "$SFACCESS" who-can Opportunity.Amount:edit
grep -q "snapshot 1 holds no field permissions; sync with --sync-field-permissions" "$WORK/err" \
  || fail "field question without field permissions: $(cat "$WORK/err")"
expect_exit 0 "$SFACCESS" --no-progress sync --sync-field-permissions
expect_exit 2 "$SFACCESS" who-can Opportunity.Amont:edit
grep -q "unknown field" "$WORK/err" || fail "misspelt field after a field sync: $(cat "$WORK/err")"
echo "ok a field question on a snapshot without field permissions names the option"
