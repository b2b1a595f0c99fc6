#!/usr/bin/env bash
# report evidence (EVIDENCE.md, "The quarterly package"): one directory,
# one manifest, signed, re-performable; every file tampered with in turn
# is caught.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
openssl genpkey -algorithm ed25519 -out "$WORK/key.pem" 2>/dev/null
openssl pkey -in "$WORK/key.pem" -pubout -out "$WORK/key.pub"
chmod 600 "$WORK/key.pem"
deactivate() {
  emu_post /__admin/mutate "[{\"op\": \"update\", \"object\": \"User\", \"id\": \"$1\", \"fields\": {\"IsActive\": false}}]" >/dev/null
}

# The first package: one snapshot, nothing to compare with.
expect_exit 0 "$SFACCESS" --no-progress sync
expect_exit 0 "$SFACCESS" report evidence --out "$WORK/q1"
grep -q "evidence package of snapshot 1, 14 files$" "$WORK/out" || fail "first package: $(cat "$WORK/out")"
[ ! -e "$WORK/q1/changes.csv" ] || fail "a package without an earlier snapshot has changes"
grep -q "No changes files" "$WORK/q1/README.txt" || fail "README should say why there are no changes"
# Hand-computed from fixtures/orgs/demo.json: 40 users read, the 33
# Standard ones kept.
grep -q '^User,"SELECT Id, Username, .* FROM User",rest,64.0,40,40,33,' "$WORK/q1/control-totals.csv" \
  || fail "control-totals.csv: $(grep ^User "$WORK/q1/control-totals.csv")"
grep -q '^true,Standard,29,29,' "$WORK/q1/reconciliation.csv" || fail "reconciliation.csv: $(cat "$WORK/q1/reconciliation.csv")"
grep -q '^run_username,admin@acme.example' "$WORK/q1/provenance.csv" || fail "provenance.csv"
# The permission report of the snapshot (lib/access/PERMISSIONS.md), in the package
# and its README.
for f in permissions.csv permissions.html permissions.json; do
  [ -s "$WORK/q1/$f" ] || fail "the package lacks $f"
done
grep -q "^permissions.csv / .html / .json" "$WORK/q1/README.txt" || fail "README does not name the permission files"
expect_exit 0 "$SFACCESS" report permissions --format csv --out "$WORK/p1"
cmp "$WORK/p1/permissions.csv" "$WORK/q1/permissions.csv" || fail "the package's permissions.csv is not report permissions'"
echo "ok first package"

# Two more syncs; the next package starts where the last one ended
# (snapshot 1), not at the snapshot before (2).
deactivate 0055g00000Dm006AAB
expect_exit 0 "$SFACCESS" --no-progress sync
deactivate 0055g00000Dm007AAB
expect_exit 0 "$SFACCESS" --no-progress sync
expect_exit 0 "$SFACCESS" report evidence --out "$WORK/q2" --sign-key "$WORK/key.pem"
grep -q "evidence package of snapshot 3, 18 files, changes since snapshot 1, signed$" "$WORK/out" \
  || fail "second package: $(cat "$WORK/out")"
# Both deactivations are in the changes (from 1 to 3).
node -e "const d = JSON.parse(require('fs').readFileSync('$WORK/q2/changes.json'));
  const s = JSON.stringify(d); if (!s.includes('0055g00000Dm006AAB') || !s.includes('0055g00000Dm007AAB')) process.exit(1)" \
  || fail "changes since snapshot 1 should hold both deactivations"
expect_exit 0 "$SFACCESS" verify "$WORK/q2" --pubkey "$WORK/key.pub" --store "$SFACCESS_STORE"
grep -q "^reproduced: 18 files written again" "$WORK/out" || fail "not reproduced: $(cat "$WORK/out")"
expect_exit 0 "$SFACCESS" report evidence --out "$WORK/q3" --from 2 --to 3
grep -q "changes since snapshot 2" "$WORK/out" || fail "--from 2: $(cat "$WORK/out")"
expect_exit 2 "$SFACCESS" report evidence --out "$WORK/q4" --format csv
expect_exit 2 "$SFACCESS" report evidence --out "$WORK/q4" --to 9
echo "ok package defaults, signed and reproduced"

# Every file tampered with in turn.
fresh() { rm -rf "$WORK/t"; cp -a "$WORK/q2" "$WORK/t"; }
flip() { node -e "const fs = require('fs'); const b = fs.readFileSync('$1'); b[$2] = (b[$2] + 1) & 255; fs.writeFileSync('$1', b);"; }
for path in "$WORK"/q2/*; do
  f=$(basename "$path")
  fresh
  flip "$WORK/t/$f" 5
  case $f in
    manifest.json|manifest.json.sig)
      expect_exit 1 "$SFACCESS" verify "$WORK/t" --pubkey "$WORK/key.pub"
      # A changed signature byte may leave no base64 at all: named so.
      grep -q "was changed after signing\|is not a base64 Ed25519 signature" "$WORK/err" \
        || fail "one byte of $f: $(cat "$WORK/err")" ;;
    *)
      expect_exit 1 "$SFACCESS" verify "$WORK/t" --pubkey "$WORK/key.pub"
      grep -q "^modified: $f (" "$WORK/out" || fail "one byte of $f: $(cat "$WORK/out")"
      fresh
      mv "$WORK/t/$f" "$WORK/t/$f.renamed"
      expect_exit 1 "$SFACCESS" verify "$WORK/t" --pubkey "$WORK/key.pub"
      grep -q "^missing: $f" "$WORK/out" && grep -q "^extra: $f.renamed" "$WORK/out" || fail "renamed $f: $(cat "$WORK/out")" ;;
  esac
done
fresh
echo x >"$WORK/t/extra.csv"
expect_exit 1 "$SFACCESS" verify "$WORK/t" --pubkey "$WORK/key.pub"
grep -q "^extra: extra.csv" "$WORK/out" || fail "added file: $(cat "$WORK/out")"
# A replaced manifest, its hashes recomputed over a changed file, and no
# valid signature: the hashes pass, the signature does not.
fresh
flip "$WORK/t/reconciliation.csv" 20
node -e "
  const fs = require('fs'), crypto = require('crypto'), d = '$WORK/t';
  const m = JSON.parse(fs.readFileSync(d + '/manifest.json'));
  for (const f of m.files) f.sha256 = crypto.createHash('sha256').update(fs.readFileSync(d + '/' + f.name)).digest('hex');
  fs.writeFileSync(d + '/manifest.json', JSON.stringify(m, null, 2));"
expect_exit 0 "$SFACCESS" verify "$WORK/t"
expect_exit 1 "$SFACCESS" verify "$WORK/t" --pubkey "$WORK/key.pub"
grep -q "was changed after signing" "$WORK/err" || fail "replaced manifest: $(cat "$WORK/err")"
expect_exit 1 "$SFACCESS" verify "$WORK/t" --store "$SFACCESS_STORE"
grep -q "not reproduced: reconciliation.csv differs from byte 20$" "$WORK/err" || fail "replaced manifest, --store: $(cat "$WORK/err")"
echo "ok every file tampered with is caught"
