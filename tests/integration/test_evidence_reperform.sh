#!/usr/bin/env bash
# Re-performance (EVIDENCE.md, Integrity): verify --store writes every file
# of a package again from the store and compares byte for byte; reports
# hold nothing time- or machine-dependent outside the manifest; a damaged
# store is reported.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
expect_exit 0 "$SFACCESS" --no-progress sync
# A change between the snapshots: a user deactivated.
emu_post /__admin/mutate '[{"op": "update", "object": "User", "id": "0055g00000Dm006AAB", "fields": {"IsActive": false}}]' >/dev/null
expect_exit 0 "$SFACCESS" --no-progress sync

expect_exit 0 "$SFACCESS" report access --snapshot 2 --format all --out "$WORK/acc"
expect_exit 0 "$SFACCESS" report changes --format all --out "$WORK/chg"
expect_exit 0 "$SFACCESS" verify "$WORK/acc" --store "$SFACCESS_STORE"
grep -q "store $SFACCESS_STORE: integrity ok" "$WORK/out" || fail "no integrity line: $(cat "$WORK/out")"
grep -q "^reproduced: 4 files written again" "$WORK/out" || fail "access not reproduced: $(cat "$WORK/out")"
expect_exit 0 "$SFACCESS" verify "$WORK/chg" --store "$SFACCESS_STORE"
grep -q "^reproduced: 4 files written again" "$WORK/out" || fail "changes not reproduced: $(cat "$WORK/out")"
# report permissions too, with its options and the [privileged] list the
# run used (recorded in the manifest), whatever the configuration says
# when verify runs.
expect_exit 0 "$SFACCESS" report permissions --format all --out "$WORK/perm"
expect_exit 0 "$SFACCESS" verify "$WORK/perm" --store "$SFACCESS_STORE"
grep -q "^reproduced: 3 files written again" "$WORK/out" || fail "permissions not reproduced: $(cat "$WORK/out")"
# It carries the snapshot's evidence like every report (reports/EVIDENCE.md).
expect_exit 0 "$SFACCESS" show --snapshot 2 --provenance --format json
node -e "
  const fs = require('fs');
  const ev = JSON.parse(fs.readFileSync('$WORK/out', 'utf8'));
  for (const f of ['$WORK/perm/permissions.json', '$WORK/perm/manifest.json']) {
    const d = JSON.parse(fs.readFileSync(f, 'utf8'));
    for (const k of ['provenance', 'control_totals', 'drift', 'reconciliation'])
      if (JSON.stringify(d[k]) !== JSON.stringify(ev[k])) throw new Error(f + ': ' + k);
  }" || fail "the permission report lacks the snapshot's evidence"
grep -q '<h2>Evidence</h2>' "$WORK/perm/permissions.html" || fail "permissions.html has no evidence section"
printf '[privileged]\nadd = ManageUsers:4\nignore = CustomizeApplication\n' >"$WORK/priv.toml"
SFACCESS_CONFIG="$WORK/priv.toml" expect_exit 0 "$SFACCESS" report permissions --all --format csv --format json --out "$WORK/perm2"
tr -d '\r' <"$WORK/perm2/permissions.csv" >"$WORK/perm2.csv"
grep -q ',ManageUsers,.*,4$' "$WORK/perm2.csv" && grep -q ',CustomizeApplication,.*,$' "$WORK/perm2.csv" \
  || fail "[privileged] not applied: $(grep -m2 'ManageUsers\|CustomizeApplication' "$WORK/perm2/permissions.csv")"
expect_exit 0 "$SFACCESS" verify "$WORK/perm2" --store "$SFACCESS_STORE"
grep -q "^reproduced: 2 files written again" "$WORK/out" || fail "permissions --all not reproduced: $(cat "$WORK/out")"
# A permission row changed and its hash recomputed: caught at its byte.
node -e "
  const fs = require('fs'), crypto = require('crypto'), d = '$WORK/perm';
  const b = fs.readFileSync(d + '/permissions.csv'); b[200] = (b[200] + 1) & 255;
  fs.writeFileSync(d + '/permissions.csv', b);
  const m = JSON.parse(fs.readFileSync(d + '/manifest.json'));
  for (const f of m.files) if (f.name === 'permissions.csv') f.sha256 = crypto.createHash('sha256').update(b).digest('hex');
  fs.writeFileSync(d + '/manifest.json', JSON.stringify(m, null, 2));"
expect_exit 0 "$SFACCESS" verify "$WORK/perm"
expect_exit 1 "$SFACCESS" verify "$WORK/perm" --store "$SFACCESS_STORE"
grep -q "not reproduced: permissions.csv differs from byte 200$" "$WORK/err" || fail "forged permissions.csv: $(cat "$WORK/err")"
# SFACCESS_STORE alone does not ask for re-performance.
expect_exit 0 "$SFACCESS" verify "$WORK/acc"
grep -q reproduced "$WORK/out" && fail "verify without --store re-performed"
echo "ok reproduced"

# Later, in another time zone and locale: the same bytes, only the
# manifest's generated_at may differ.
sleep 1.1
TZ=Pacific/Kiritimati LC_ALL=C.UTF-8 expect_exit 0 "$SFACCESS" report access --snapshot 2 --format all --out "$WORK/acc2"
for f in access-review.csv access-review.html access-review.junit.xml access-review.json; do
  cmp "$WORK/acc/$f" "$WORK/acc2/$f" || fail "$f differs between two runs"
done
diff <(grep -v generated_at "$WORK/acc/manifest.json") <(grep -v generated_at "$WORK/acc2/manifest.json") \
  || fail "the manifests differ beyond generated_at"
# The JUnit hostname is the machine that took the snapshot (provenance).
grep -q "hostname=\"$(hostname)\"" "$WORK/acc/access-review.junit.xml" || fail "JUnit hostname"
echo "ok nothing time-dependent outside generated_at"

# A file changed and its hash recomputed in the manifest passes the hash
# check, but not re-performance: the first differing byte is named.
node -e "
  const fs = require('fs'), crypto = require('crypto'), d = '$WORK/acc';
  const b = fs.readFileSync(d + '/access-review.json'); b[100] = (b[100] + 1) & 255;
  fs.writeFileSync(d + '/access-review.json', b);
  const m = JSON.parse(fs.readFileSync(d + '/manifest.json'));
  for (const f of m.files) if (f.name === 'access-review.json') f.sha256 = crypto.createHash('sha256').update(b).digest('hex');
  fs.writeFileSync(d + '/manifest.json', JSON.stringify(m, null, 2));"
expect_exit 0 "$SFACCESS" verify "$WORK/acc"
expect_exit 1 "$SFACCESS" verify "$WORK/acc" --store "$SFACCESS_STORE"
grep -q "not reproduced: access-review.json differs from byte 100$" "$WORK/err" || fail "forged file: $(cat "$WORK/err")"
echo "ok a forged file is caught at its byte"

# Another store, whose snapshots are other captures: named.
mkdir "$WORK/other"
SFACCESS_STORE="$WORK/other/store.db" expect_exit 0 "$SFACCESS" --no-progress sync
emu_post /__admin/mutate '[{"op": "update", "object": "User", "id": "0055g00000Dm007AAB", "fields": {"IsActive": false}}]' >/dev/null
SFACCESS_STORE="$WORK/other/store.db" expect_exit 0 "$SFACCESS" --no-progress sync
expect_exit 1 "$SFACCESS" verify "$WORK/chg" --store "$WORK/other/store.db"
grep -q "not reproduced: snapshot 1 (from) in the store has content hash" "$WORK/err" || fail "other store: $(cat "$WORK/err")"
echo "ok another store's snapshot is named"

# A damaged store: pages in the middle of the file overwritten.
cp "$SFACCESS_STORE" "$WORK/damaged.db"
pages=$(( $(stat -c %s "$WORK/damaged.db") / 4096 ))
head -c $((4096 * 4)) /dev/urandom | dd of="$WORK/damaged.db" bs=4096 seek=$((pages / 2)) conv=notrunc status=none
expect_exit 1 "$SFACCESS" verify "$WORK/chg" --store "$WORK/damaged.db"
grep -q "sfaccess: verify: store $WORK/damaged.db is damaged: " "$WORK/err" || fail "damaged store: $(cat "$WORK/err")"
expect_exit 0 "$SFACCESS" verify "$WORK/chg" --store "$SFACCESS_STORE"
echo "ok a damaged store is reported"
