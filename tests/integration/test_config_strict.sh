#!/usr/bin/env bash
# Configuration strictness (issue 13): a misspelt key, an unknown section
# or a value of the wrong type exits 2 naming file:line with the closest
# key; inline comments are comments; one precedence (command line, then
# environment, then the file) for every setting, secrets included; -v
# says where each setting came from, never its value.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login

# The example: connected apps silently left out of the audit.
printf '[sync]\n# turn on\nsync_conected_apps = true\n' >typo.conf
expect_exit 2 "$SFACCESS" --config typo.conf --no-progress sync
grep -q 'typo.conf:3: unknown key `sync_conected_apps` in \[sync\]; did you mean `sync_connected_apps`?' "$WORK/err" \
  || fail "no file:line and suggestion: $(cat "$WORK/err")"
[ ! -f "$SFACCESS_STORE" ] || fail "a sync ran despite the bad configuration"
# Every command reads the file, so every command refuses it.
expect_exit 2 "$SFACCESS" --config typo.conf snapshots
# The default ./sfaccess.conf is checked the same way.
cp typo.conf sfaccess.conf
expect_exit 2 "$SFACCESS" snapshots
grep -q 'sfaccess.conf:3' "$WORK/err" || fail "default config not named: $(cat "$WORK/err")"
rm sfaccess.conf
# Neighbours: an unknown section, a key of another section, a wrong type.
printf '[conection]\ndomain = x\n' >sec.conf
expect_exit 2 "$SFACCESS" --config sec.conf snapshots
grep -q 'sec.conf:1: unknown section \[conection\]; did you mean \[connection\]?' "$WORK/err" || fail "section: $(cat "$WORK/err")"
printf '[sync]\ndomain = x\n' >misplaced.conf
expect_exit 2 "$SFACCESS" --config misplaced.conf snapshots
grep -q 'misplaced.conf:2: .*`domain` belongs in \[connection\]' "$WORK/err" || fail "misplaced: $(cat "$WORK/err")"
printf '[sync]\nsync_connected_apps = sure\n' >type.conf
expect_exit 2 "$SFACCESS" --config type.conf snapshots
grep -q 'type.conf:2: \[sync\] sync_connected_apps: `sure` is not true or false' "$WORK/err" || fail "type: $(cat "$WORK/err")"

# Inline comments: the value ends before ` ; ...`.
printf '[sync]\nsync_connected_apps = true ; audit the apps too\n' >inline.conf
expect_exit 0 "$SFACCESS" --config inline.conf --no-progress sync
apps=$("$SFACCESS" show --type connected_app --format csv | tail -n +2 | wc -l)
[ "$apps" -gt 0 ] || fail "the inline comment turned sync_connected_apps off"

# Precedence for secrets: SFACCESS_PASSWORD beats the file's password_file,
# --password-file beats SFACCESS_PASSWORD.
printf 'wrong-password\nwrongtoken\n' >pw && chmod 600 pw
printf '[connection]\npassword_file = %s/pw\nusername = nobody@acme.example\n' "$WORK" >prec.conf
expect_exit 0 "$SFACCESS" -v --config prec.conf --no-progress sync
grep -q 'password from SFACCESS_PASSWORD' "$WORK/err" || fail "password source: $(cat "$WORK/err")"
grep -q 'username from SFACCESS_USERNAME' "$WORK/err" || fail "username source: $(cat "$WORK/err")"
grep -q 'domain from SFACCESS_DOMAIN' "$WORK/err" || fail "domain source"
grep -q 'security_token from SFACCESS_SECURITY_TOKEN' "$WORK/err" || fail "token source"
for s in demo-Pa55 DEMOtok3n wrong-password wrongtoken admin@acme.example; do
  ! grep -qF -- "$s" "$WORK/err" || fail "-v printed a value: $s"
done
expect_exit 1 "$SFACCESS" -v --config prec.conf --no-progress sync --password-file pw
grep -q 'password from --password-file' "$WORK/err" || fail "--password-file source: $(cat "$WORK/err")"
# Without the environment's password, the file's password_file is used.
(unset SFACCESS_PASSWORD SFACCESS_USERNAME
 expect_exit 1 "$SFACCESS" -v --config prec.conf --no-progress sync
 grep -q "password_file from prec.conf:2" "$WORK/err" || fail "config source: $(cat "$WORK/err")"
 grep -q "username from prec.conf:3" "$WORK/err" || fail "config username: $(cat "$WORK/err")")
echo "ok"
