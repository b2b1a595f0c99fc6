#!/usr/bin/env bash
# sync of the demo org under each option combination: the effective access
# rows equal the ones computed by hand in fixtures/expected/demo/.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
expected="$SFA_SOURCE_DIR/fixtures/expected/demo"

check_combo() {
  local combo=$1; shift
  rm -f "$SFACCESS_STORE"
  expect_exit 0 "$SFACCESS" --no-progress sync "$@"
  grep -q "snapshot 1 complete" "$WORK/out" || fail "$combo: no summary line: $(cat "$WORK/out")"
  expect_exit 0 "$SFACCESS" report access --format csv --out "$WORK/r-$combo"
  {
    printf 'username\taccess_type\taccess_id\tvia_type\tvia_id\n'
    # The privileged rows (lib/access/PERMISSIONS.md) are checked against a recount
    # in test_perm_whocan.sh; these files hold lib/access/ACCESS-MODEL.md's rows.
    node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" username access_type access_id via_type via_id \
      <"$WORK/r-$combo/access-review.csv" | grep -Pv '^[^\t]*\t(system|object)_permission\t' | LC_ALL=C sort -u
  } >"$WORK/got-$combo.tsv"
  # --username-as-email changes emails only, so it has no access file.
  local want="$expected/access-$combo.tsv"
  [ -f "$want" ] || want="$expected/access-default.tsv"
  diff -u "$want" "$WORK/got-$combo.tsv" >&2 \
    || fail "$combo: access rows differ from $want"
  echo "ok $combo: $(($(wc -l <"$WORK/got-$combo.tsv") - 1)) rows"
  if [ -f "$expected/users-$combo.tsv" ]; then check_users "$combo"; fi
}

check_users() {
  local combo=$1
  expect_exit 0 "$SFACCESS" show --type user --format json
  {
    printf 'user_id\tusername\temail\tis_active\tis_frozen\tuser_type\tlicense\tmanager_username\n'
    node "$SFA_SOURCE_DIR/tests/integration/users.js" <"$WORK/out" | LC_ALL=C sort
  } >"$WORK/users-$combo.tsv"
  diff -u "$expected/users-$combo.tsv" "$WORK/users-$combo.tsv" >&2 \
    || fail "$combo: users differ from fixtures/expected/demo/users-$combo.tsv"
  echo "ok $combo: users"
}

check_combo default
check_combo username-as-email --username-as-email
check_combo no-deactivated --no-sync-deactivated-users
check_combo non-standard --sync-non-standard-licenses
check_combo connected-apps --sync-connected-apps
check_combo all --no-sync-deactivated-users --sync-non-standard-licenses --sync-connected-apps
