#!/usr/bin/env bash
# Errors instead of empty answers (issue 13): an unknown snapshot or user
# exits 2; users are found by Username in any case and by 15- or
# 18-character Id; a user the sync's options left out is reported as left
# out, with the option that did it, and counted in the sync summary; a
# --store that is a directory or not a store says so.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
expect_exit 0 "$SFACCESS" --no-progress sync
grep -q '^7 users left out: not Standard; use --sync-non-standard-licenses$' "$WORK/out" \
  || fail "summary does not count left-out users: $(cat "$WORK/out")"
grep -q '^connected apps and OAuth tokens left out; use --sync-connected-apps$' "$WORK/out" \
  || fail "summary does not name the connected apps option"
expect_exit 0 "$SFACCESS" --no-progress sync --no-sync-deactivated-users --sync-connected-apps
grep -q '^4 users left out: deactivated; because of --no-sync-deactivated-users$' "$WORK/out" \
  || fail "summary does not count deactivated users: $(cat "$WORK/out")"
! grep -q 'connected apps and OAuth tokens left out' "$WORK/out" || fail "connected apps were synced"

# The access review's card says the same as the summary.
expect_exit 0 "$SFACCESS" report access --snapshot 2 --format html --out rep
grep -q '<span class="v">7</span><span class="l">Users left out: not Standard</span><span class="n">not in this review; use --sync-non-standard-licenses</span>' rep/*.html \
  || fail "the HTML card does not count the left-out users"
grep -q '<span class="v">4</span><span class="l">Users left out: deactivated</span><span class="n">not in this review; because of --no-sync-deactivated-users</span>' rep/*.html \
  || fail "the HTML card does not count the deactivated users"

# Unknown snapshots: every command that takes one.
expect_exit 2 "$SFACCESS" show --snapshot 99
grep -q -- '--snapshot 99: no such snapshot' "$WORK/err" || fail "show: $(cat "$WORK/err")"
[ ! -s "$WORK/out" ] || fail "show printed sections for an unknown snapshot"
for c in "diff --from 99" "diff --to 99" "report access --snapshot 99 --format csv --out r1" \
         "report changes --from 99 --format csv --out r2" "report changes --to 99 --format csv --out r3" \
         "plan --revert-to 99 -o x.csv"; do
  # shellcheck disable=SC2086
  expect_exit 2 "$SFACCESS" $c
  grep -q '99' "$WORK/err" || fail "$c: $(cat "$WORK/err")"
done

# Users: case-insensitive Username, 18- and 15-character Id, same rows.
expect_exit 0 "$SFACCESS" show --snapshot 1 --user admin@acme.example --format csv
cp "$WORK/out" exact.csv
[ "$(wc -l <exact.csv)" -gt 2 ] || fail "no rows for the admin"
for u in ADMIN@Acme.Example 0055g00000Dm001AAB 0055g00000Dm001; do
  expect_exit 0 "$SFACCESS" show --snapshot 1 --user "$u" --format csv
  cmp -s exact.csv "$WORK/out" || fail "--user $u differs from the exact Username"
done
# A wrong-case 15-character Id is another Id (15-character Ids are case-sensitive).
expect_exit 2 "$SFACCESS" show --snapshot 1 --user 0055G00000DM001
expect_exit 2 "$SFACCESS" show --user nobody@acme.example
grep -q 'no user `nobody@acme.example` in snapshot 2' "$WORK/err" || fail "unknown user: $(cat "$WORK/err")"
[ ! -s "$WORK/out" ] || fail "show printed a section for an unknown user"

# Left out by the options: said so, with the option.
expect_exit 2 "$SFACCESS" show --snapshot 1 --user Hans.Becker@globex.example
grep -q 'user `Hans.Becker@globex.example` (0055g00000Dm022AAB) was left out of snapshot 1: UserType PowerPartner, not Standard; sync with --sync-non-standard-licenses' "$WORK/err" \
  || fail "left-out user: $(cat "$WORK/err")"
expect_exit 2 "$SFACCESS" show --snapshot 2 --user 0055g00000Dm009
grep -q 'was left out of snapshot 2: deactivated, and the sync ran with --no-sync-deactivated-users' "$WORK/err" \
  || fail "deactivated user: $(cat "$WORK/err")"
# The same user is in snapshot 1, taken without the option.
expect_exit 0 "$SFACCESS" show --snapshot 1 --user 0055g00000Dm009

# --store that is not a store.
mkdir adir
expect_exit 2 "$SFACCESS" --store adir snapshots
grep -q 'store adir is a directory; the store is a file, e.g. adir/sfaccess.db' "$WORK/err" || fail "dir: $(cat "$WORK/err")"
expect_exit 2 "$SFACCESS" --store adir --no-progress sync
grep -q 'is a directory' "$WORK/err" || fail "sync into a dir: $(cat "$WORK/err")"
echo hello >notastore.db
expect_exit 2 "$SFACCESS" --store notastore.db snapshots
grep -q 'notastore.db is not an sfaccess store' "$WORK/err" || fail "text file: $(cat "$WORK/err")"
echo ok
