#!/usr/bin/env bash
# report --out DIR (issue 13): a directory that already holds a report is
# refused, naming the report there, instead of mixing two snapshots'
# files under one manifest; --force replaces that report's files.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
expect_exit 0 "$SFACCESS" --no-progress sync
expect_exit 0 "$SFACCESS" --no-progress sync
expect_exit 0 "$SFACCESS" report access --snapshot 1 --format csv --format json --out r
before=$(sha256sum r/* | sha256sum)
# Another snapshot into the same directory: refused, nothing written.
expect_exit 2 "$SFACCESS" report access --snapshot 2 --format html --out r
grep -q 'report: --out r already holds a report (access_review of snapshot 1, e.g. access-review.csv); use a new directory, or --force to replace it' "$WORK/err" \
  || fail "no refusal: $(cat "$WORK/err")"
[ "$(sha256sum r/* | sha256sum)" = "$before" ] || fail "the refused run changed the directory"
[ ! -f r/access-review.html ] || fail "the refused run wrote a file"
# A change report into an access review's directory: refused too.
expect_exit 2 "$SFACCESS" report changes --format csv --out r
grep -q 'already holds a report' "$WORK/err" || fail "changes: $(cat "$WORK/err")"
# --force: the old report's files go, the new one verifies.
echo "my notes" >r/notes.txt
expect_exit 0 "$SFACCESS" report access --snapshot 2 --format html --out r --force
[ ! -f r/access-review.csv ] && [ ! -f r/access-review.json ] || fail "--force left the old report's files"
[ -f r/notes.txt ] || fail "--force removed a file that is not a report's"
grep -q '"id": 2' r/manifest.json || fail "manifest is not snapshot 2's"
rm r/notes.txt
expect_exit 0 "$SFACCESS" verify r
# An empty or new directory is fine.
mkdir empty
expect_exit 0 "$SFACCESS" report changes --format csv --out empty
echo ok
