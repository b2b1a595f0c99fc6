#!/usr/bin/env bash
# The audit trail (EVIDENCE.md): every sync copies the SetupAuditTrail
# entries newer than the newest the store holds into an append-only table
# that gc never touches; the copy costs its pages.  The emulator's
# SetupAuditTrail is read-only and /__admin/mutate's `audit` writes it.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
q() { sqlite3 -separator '|' "$SFACCESS_STORE" "$1"; }
audit_op() { # USER_ID ACTIVE ACTION DISPLAY
  printf '[{"op": "update", "object": "User", "id": "%s", "fields": {"IsActive": %s},
    "audit": {"action": "%s", "section": "Manage Users", "display": "%s", "by": "admin@acme.example"}}]' "$1" "$2" "$3" "$4"
}

# Read-only in the API, as in Salesforce.
tok=$(curl -sf -X POST "$EMU_URL/services/Soap/u/64.0" -H 'Content-Type: text/xml' -H 'SOAPAction: login' \
  --data '<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com"><soapenv:Body><urn:login><urn:username>admin@acme.example</urn:username><urn:password>demo-Pa55DEMOtok3n</urn:password></urn:login></soapenv:Body></soapenv:Envelope>' \
  | sed -n 's/.*<sessionId>\([^<]*\)<.*/\1/p')
got=$(curl -s -X POST -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
  "$EMU_URL/services/data/v64.0/sobjects/SetupAuditTrail" --data '{"Action": "x"}')
echo "$got" | grep -q INVALID_TYPE_FOR_OPERATION || fail "SetupAuditTrail insert: $got"

emu_post /__admin/mutate "$(audit_op 0055g00000Dm006AAB false deactivateduser 'Deactivated user bo.ek@acme.example')" >/dev/null
emu_post /__admin/mutate "$(audit_op 0055g00000Dm007AAB false deactivateduser 'Deactivated user 0055g00000Dm007AAB')" >/dev/null
# Without `audit` no entry is written.
emu_post /__admin/mutate '[{"op": "update", "object": "User", "id": "0055g00000Dm008AAB", "fields": {"Title": "x"}}]' >/dev/null
[ "$(emu_get /__admin/records/SetupAuditTrail | node -pe 'JSON.parse(require("fs").readFileSync(0)).length')" = 2 ] \
  || fail "the emulator should hold 2 audit entries"

expect_exit 0 "$SFACCESS" -v --no-progress sync --no-login-history --no-sync-permissions
grep -q "FROM+SetupAuditTrail+ORDER+BY+CreatedDate" "$WORK/err" || fail "the first copy should read every entry"
grep -q "audit trail: 2 new entries copied" "$WORK/out" || fail "sync -v: $(cat "$WORK/out")"
[ "$(q "SELECT action, section, display, created_by_username, copied_by_snapshot FROM audit_trail ORDER BY display")" = \
"deactivateduser|Manage Users|Deactivated user 0055g00000Dm007AAB|admin@acme.example|1
deactivateduser|Manage Users|Deactivated user bo.ek@acme.example|admin@acme.example|1" ] \
  || fail "audit rows: $(q "SELECT * FROM audit_trail")"
[ "$(q "SELECT count(*) FROM audit_trail WHERE created_at NOT LIKE '20__-__-__T__:__:__Z' OR created_by_id != '0055g00000Dm001AAB'")" = 0 ] \
  || fail "audit times or creator"
echo "ok first copy: every entry"

# The next sync reads from the newest held: one page, one new entry.
newest=$(q "SELECT max(created_at) FROM audit_trail")
sleep 1.1
emu_post /__admin/mutate "$(audit_op 0055g00000Dm006AAB true activateduser 'Activated user bo.ek@acme.example')" >/dev/null
api() { emu_get /__admin/stats | node -pe 'JSON.parse(require("fs").readFileSync(0)).api_requests'; }
before=$(api)
expect_exit 0 "$SFACCESS" -v --no-progress sync --no-login-history --no-sync-permissions
grep -q "FROM+SetupAuditTrail+WHERE+CreatedDate+%3E%3D+${newest//:/%3A}+ORDER+BY" "$WORK/err" \
  || fail "the second copy should start at $newest: $(grep SetupAuditTrail "$WORK/err")"
grep -q "audit trail: 1 new entries copied" "$WORK/out" || fail "sync -v: $(cat "$WORK/out")"
[ "$(q "SELECT count(*) || ' ' || max(copied_by_snapshot) FROM audit_trail")" = "3 2" ] || fail "after the second copy"
# 11 scans, 3 recounts, the grouped count, the audit trail's page.
[ $(( $(api) - before )) = 16 ] || fail "the second sync cost $(( $(api) - before )) requests, not 16"
echo "ok incremental copy, one page"

# Pages: 4 entries more over pages of 2 rows (the batch_size fault).
for u in 006 007 008 009; do
  emu_post /__admin/mutate "$(audit_op 0055g00000Dm${u}AAB false frozeuser "Froze user $u")" >/dev/null
done
emu_post /__admin/faults '{"batch_size": 2}' >/dev/null
expect_exit 0 "$SFACCESS" --no-progress sync --no-login-history --no-sync-permissions
emu_post /__admin/faults '{"batch_size": null}' >/dev/null
[ "$(q "SELECT count(*) FROM audit_trail")" = 7 ] || fail "paged copy: $(q "SELECT count(*) FROM audit_trail")"
echo "ok paged copy"

# gc deletes snapshots, never the trail; the table refuses changes.
expect_exit 0 "$SFACCESS" gc --keep 1
[ "$(q "SELECT count(*) FROM snapshot")" = 1 ] || fail "gc kept $(q "SELECT count(*) FROM snapshot") snapshots"
[ "$(q "SELECT count(*) FROM audit_trail")" = 7 ] || fail "gc touched the audit trail"
if sqlite3 "$SFACCESS_STORE" "DELETE FROM audit_trail" 2>"$WORK/sqlerr"; then fail "DELETE on the audit trail succeeded"; fi
grep -q "append-only" "$WORK/sqlerr" || fail "delete refused without the reason: $(cat "$WORK/sqlerr")"
if sqlite3 "$SFACCESS_STORE" "UPDATE audit_trail SET display = 'x'" 2>/dev/null; then fail "UPDATE on the audit trail succeeded"; fi
echo "ok gc keeps the trail; append-only"

# A sync user who may not read SetupAuditTrail (INSUFFICIENT_ACCESS, the
# emulator's insufficient_access fault): the sync completes, says the
# trail was not read and why, and the provenance records it; the trail
# keeps what it had.  The next sync that may read it copies what came
# since.
emu_post /__admin/mutate "$(audit_op 0055g00000Dm006AAB true activateduser 'Activated user again')" >/dev/null
emu_post /__admin/faults '{"insufficient_access": ["SetupAuditTrail"]}' >/dev/null
expect_exit 0 "$SFACCESS" -v --no-progress sync --no-sync-permissions
emu_post /__admin/faults '{"insufficient_access": []}' >/dev/null
id=$(q "SELECT max(id) FROM snapshot")
grep -q "^snapshot $id complete" "$WORK/out" || fail "a refused audit trail failed the sync: $(cat "$WORK/out" "$WORK/err")"
grep -q "^audit trail not read (INSUFFICIENT_ACCESS (HTTP 400)); the snapshot is complete without its new entries: the sync user needs View Setup and Configuration" "$WORK/out" \
  || fail "no line on the refused audit trail: $(cat "$WORK/out")"
grep -q "audit trail: .* new entries copied" "$WORK/out" && fail "sync -v claims entries copied"
expect_exit 0 "$SFACCESS" show --snapshot "$id" --provenance --format json
node -e "const d = JSON.parse(require('fs').readFileSync('$WORK/out', 'utf8'));
  if (d.provenance.audit_trail_error !== 'INSUFFICIENT_ACCESS (HTTP 400)') process.exit(1)" \
  || fail "provenance: $(cat "$WORK/out")"
[ "$(q "SELECT count(*) FROM audit_trail")" = 7 ] || fail "the refused sync changed the trail"
expect_exit 0 "$SFACCESS" -v --no-progress sync --no-sync-permissions
grep -q "audit trail: 1 new entries copied" "$WORK/out" || fail "after the refusal: $(cat "$WORK/out")"
grep -q "audit trail not read" "$WORK/out" && fail "a readable trail reported as not read"
expect_exit 0 "$SFACCESS" show --snapshot "$((id + 1))" --provenance --format json
grep -q audit_trail_error "$WORK/out" && fail "a read trail has an audit_trail_error"
echo "ok a refused audit trail is recorded, the sync goes on"

# An org without SetupAuditTrail at all (the dataset's "absent"): INVALID_TYPE,
# recorded the same way; the sync completes.
node -e '
const fs = require("fs");
const d = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
d.absent = { objects: ["SetupAuditTrail"] };
fs.writeFileSync(process.argv[2], JSON.stringify(d));
' "$SFA_SOURCE_DIR/fixtures/orgs/demo.json" "$WORK/no-trail.json"
kill "$EMU_PID"; wait "$EMU_PID" 2>/dev/null || true; EMU_PID=""
emu_start "$WORK/no-trail.json"
demo_login
SFACCESS_STORE="$WORK/no-trail.db" expect_exit 0 "$SFACCESS" --no-progress sync --no-sync-permissions
grep -q "^snapshot 1 complete" "$WORK/out" || fail "no SetupAuditTrail failed the sync: $(cat "$WORK/out" "$WORK/err")"
grep -q "^audit trail not read (INVALID_TYPE (HTTP 400)); the snapshot is complete without its new entries$" "$WORK/out" \
  || fail "no line on the missing audit trail: $(cat "$WORK/out")"
echo "ok an org without SetupAuditTrail: recorded, the sync goes on"
