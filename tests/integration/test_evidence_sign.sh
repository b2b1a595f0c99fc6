#!/usr/bin/env bash
# Signed manifests (EVIDENCE.md, Integrity): report --sign-key writes
# manifest.json.sig, verify --pubkey checks it before the files; each way
# of tampering with a signed package is caught with its own message.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
expect_exit 0 "$SFACCESS" --no-progress sync

openssl genpkey -algorithm ed25519 -out "$WORK/key.pem" 2>/dev/null
openssl pkey -in "$WORK/key.pem" -pubout -out "$WORK/key.pub"
openssl genpkey -algorithm ed25519 -out "$WORK/other.pem" 2>/dev/null
openssl pkey -in "$WORK/other.pem" -pubout -out "$WORK/other.pub"
openssl genpkey -algorithm rsa -pkeyopt rsa_keygen_bits:2048 -out "$WORK/rsa.pem" 2>/dev/null
chmod 600 "$WORK/other.pem" "$WORK/rsa.pem"

# The key must be 0600 or stricter; a refused key writes nothing.
chmod 640 "$WORK/key.pem"
expect_exit 2 "$SFACCESS" report access --format csv --out "$WORK/r0" --sign-key "$WORK/key.pem"
grep -q "is open to group or others (mode 640): run \`chmod 600" "$WORK/err" || fail "mode message: $(cat "$WORK/err")"
[ ! -e "$WORK/r0" ] || fail "a refused key still wrote $WORK/r0"
expect_exit 2 "$SFACCESS" report access --format csv --out "$WORK/r0" --sign-key "$WORK/rsa.pem"
grep -q "is not an Ed25519 private key" "$WORK/err" || fail "RSA key: $(cat "$WORK/err")"
chmod 400 "$WORK/key.pem"
expect_exit 0 "$SFACCESS" report access --format all --out "$WORK/pkg" --sign-key "$WORK/key.pem"
[ -s "$WORK/pkg/manifest.json.sig" ] || fail "no manifest.json.sig"
# 64 bytes of signature, base64: 88 characters and a newline.
[ "$(wc -c <"$WORK/pkg/manifest.json.sig")" = 89 ] || fail "signature file: $(cat "$WORK/pkg/manifest.json.sig")"
openssl base64 -d -A <"$WORK/pkg/manifest.json.sig" >"$WORK/sig.bin"
openssl pkeyutl -verify -pubin -inkey "$WORK/key.pub" -rawin -in "$WORK/pkg/manifest.json" \
  -sigfile "$WORK/sig.bin" >/dev/null || fail "openssl does not accept the signature"
expect_exit 0 "$SFACCESS" verify "$WORK/pkg" --pubkey "$WORK/key.pub"
grep -q "signature ok" "$WORK/out" && grep -q "verified 4 files" "$WORK/out" || fail "verify: $(cat "$WORK/out")"
echo "ok signed and verified (openssl agrees)"

expect_exit 1 "$SFACCESS" verify "$WORK/pkg" --pubkey "$WORK/other.pub"
grep -q "wrong signature: manifest.json names signing key ed25519:" "$WORK/err" || fail "other key: $(cat "$WORK/err")"
expect_exit 2 "$SFACCESS" verify "$WORK/pkg" --pubkey "$WORK/key.pem"
grep -q "is not an Ed25519 public key" "$WORK/err" || fail "private key as --pubkey: $(cat "$WORK/err")"
echo "ok wrong key"

# Tampering, each on a fresh copy of the package.
fresh() { rm -rf "$WORK/t"; cp -a "$WORK/pkg" "$WORK/t"; }
flip_byte() { # FILE OFFSET: adds 1 to the byte at OFFSET
  node -e "const fs = require('fs'); const b = fs.readFileSync('$1'); b[$2] = (b[$2] + 1) & 255; fs.writeFileSync('$1', b);"
}
for f in access-review.csv access-review.html access-review.junit.xml access-review.json; do
  fresh
  flip_byte "$WORK/t/$f" 100
  expect_exit 1 "$SFACCESS" verify "$WORK/t" --pubkey "$WORK/key.pub"
  grep -q "^modified: $f (.*the manifest says" "$WORK/out" || fail "one byte of $f: $(cat "$WORK/out")"
done
fresh
mv "$WORK/t/access-review.csv" "$WORK/t/access-review-old.csv"
expect_exit 1 "$SFACCESS" verify "$WORK/t" --pubkey "$WORK/key.pub"
grep -q "^missing: access-review.csv" "$WORK/out" && grep -q "^extra: access-review-old.csv" "$WORK/out" \
  || fail "renamed file: $(cat "$WORK/out")"
fresh
echo "hello" >"$WORK/t/notes.txt"
expect_exit 1 "$SFACCESS" verify "$WORK/t" --pubkey "$WORK/key.pub"
grep -q "^extra: notes.txt" "$WORK/out" || fail "added file: $(cat "$WORK/out")"
fresh
flip_byte "$WORK/t/manifest.json" 40
expect_exit 1 "$SFACCESS" verify "$WORK/t" --pubkey "$WORK/key.pub"
grep -q "was changed after signing" "$WORK/err" || fail "one byte of the manifest: $(cat "$WORK/err")"
fresh
flip_byte "$WORK/t/manifest.json.sig" 10
expect_exit 1 "$SFACCESS" verify "$WORK/t" --pubkey "$WORK/key.pub"
grep -qE "was changed after signing|is not a base64 Ed25519 signature" "$WORK/err" || fail "one byte of the signature: $(cat "$WORK/err")"
fresh
rm "$WORK/t/manifest.json.sig"
expect_exit 1 "$SFACCESS" verify "$WORK/t" --pubkey "$WORK/key.pub"
grep -q "manifest.json.sig is missing" "$WORK/err" || fail "missing signature: $(cat "$WORK/err")"
# A forger edits a file, recomputes its hash in the manifest (the files
# then verify), and cannot sign: the signature catches it.
fresh
flip_byte "$WORK/t/access-review.csv" 100
node -e "
  const fs = require('fs'), crypto = require('crypto');
  const m = JSON.parse(fs.readFileSync('$WORK/t/manifest.json'));
  const b = fs.readFileSync('$WORK/t/access-review.csv');
  for (const f of m.files) if (f.name === 'access-review.csv') f.sha256 = crypto.createHash('sha256').update(b).digest('hex');
  fs.writeFileSync('$WORK/t/manifest.json', JSON.stringify(m, null, 2));"
expect_exit 0 "$SFACCESS" verify "$WORK/t"
expect_exit 1 "$SFACCESS" verify "$WORK/t" --pubkey "$WORK/key.pub"
grep -q "was changed after signing" "$WORK/err" || fail "forged manifest: $(cat "$WORK/err")"
rm "$WORK/t/manifest.json.sig"
expect_exit 1 "$SFACCESS" verify "$WORK/t" --pubkey "$WORK/key.pub"
grep -q "manifest.json.sig is missing" "$WORK/err" || fail "forged manifest, no signature: $(cat "$WORK/err")"
echo "ok every tampering caught"

# report changes signs the same way.
expect_exit 0 "$SFACCESS" --no-progress sync
expect_exit 0 "$SFACCESS" report changes --format csv --out "$WORK/chg" --sign-key "$WORK/key.pem"
expect_exit 0 "$SFACCESS" verify "$WORK/chg" --pubkey "$WORK/key.pub"
echo "ok report changes signed"
