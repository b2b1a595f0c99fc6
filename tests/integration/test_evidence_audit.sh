#!/usr/bin/env bash
# The audit trail (evidence.md): every sync copies the SetupAuditTrail
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
