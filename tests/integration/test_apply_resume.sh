#!/usr/bin/env bash
# apply killed (kill -9) in the middle and run again: the journal skips
# what was done, the live checks catch a write whose journal entry was
# lost, and every operation reaches the org exactly once.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
changes="$SFA_SOURCE_DIR/fixtures/changes/demo-all-ops.csv"
lp=(--license-profile "Salesforce=Minimum Access - Salesforce")

# by_route counts of the emulator, as "ROUTE<TAB>N" lines.
routes() {
  emu_get /__admin/stats | node -e '
    const s = JSON.parse(require("fs").readFileSync(0, "utf8")).by_route;
    for (const [k, v] of Object.entries(s)) if (/^(POST|PATCH|DELETE) \/services\/data\//.test(k)) console.log(k + "\t" + v);' \
    | LC_ALL=C sort
}
nwrites() { routes | awk -F'\t' '{ n += $2 } END { print n + 0 }'; }

emu_post /__admin/faults '{"latency_ms":200}' >/dev/null
"$SFACCESS" apply "$changes" --yes "${lp[@]}" >"$WORK/run1.out" 2>"$WORK/run1.err" &
pid=$!
# Kill once a few writes have reached the org (each op is a write, its
# read batched before; 200 ms apiece, so this lands in the middle of the
# file).
for _ in $(seq 1 300); do
  [ "$(nwrites)" -ge 5 ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
kill -9 "$pid" 2>/dev/null || fail "apply finished before it could be killed"
wait "$pid" 2>/dev/null || true
# A request the killed apply had sent is still in the emulator's latency:
# let it land, so the count below is what the org received.
sleep 1
first=$(nwrites)
[ "$first" -ge 5 ] && [ "$first" -lt 13 ] || fail "killed after $first writes; expected in the middle"
echo "ok killed after $first writes"

emu_post /__admin/faults '{"latency_ms":0}' >/dev/null
expect_exit 0 "$SFACCESS" apply "$changes" --yes "${lp[@]}"
grep -Eq ": 13 operations: [0-9]+ done, [0-9]+ already, 0 failed, [0-9]+ settled by the interrupted run started " "$WORK/out" \
  || fail "second run: $(cat "$WORK/out")"
grep -q "^Resuming the interrupted run started " "$WORK/out" || fail "second run does not say it resumes: $(cat "$WORK/out")"
settled=$(sed -n 's/.* \([0-9]*\) settled by the interrupted run started .*/\1/p' "$WORK/out")
[ "$(grep -c '^  line [0-9 ]* settled ' "$WORK/out")" = "$settled" ] || fail "settled rows not marked: $(cat "$WORK/out")"
[ "$settled" -ge 4 ] || fail "only $settled lines were journalled before the kill"
echo "ok second run: $settled lines settled by the journal"

# And in the org's records: one of each new record.
count() { emu_get "/__admin/records/$1" | node -e "
  const r = JSON.parse(require('fs').readFileSync(0, 'utf8'));
  console.log(r.filter((x) => $2).length);"; }
[ "$(count User 'x.Username === "new.hire@acme.example"')" = 1 ] || fail "new.hire created more than once"
newid=$(emu_get /__admin/records/User | node -e '
  console.log(JSON.parse(require("fs").readFileSync(0, "utf8")).find((x) => x.Username === "new.hire@acme.example").Id);')
[ "$(count PermissionSetAssignment "x.AssigneeId === '$newid' && x.PermissionSetId === '0PS5g00000pS011GAC'")" = 1 ] \
  || fail "Sales_Ops assigned to new.hire other than once"
[ "$(count GroupMember "x.GroupId === '00G5g00000gR022EAC' && x.UserOrGroupId === '0055g00000Dm029AAB'")" = 1 ] \
  || fail "sara in Deal_Desk other than once"
[ "$(count GroupMember "x.GroupId === '00G5g00000gR031EAC' && x.UserOrGroupId === '0055g00000Dm030AAB'")" = 1 ] \
  || fail "olu in the queue other than once"
[ "$(count PermissionSetAssignment "x.AssigneeId === '0055g00000Dm031AAB' && x.PermissionSetGroupId === '0PG5g00000Pg001GAB'")" = 1 ] \
  || fail "Sales_Bundle assigned to ana other than once"
echo "ok every operation performed exactly once"

# Writes over both runs: one per operation, plus at most the one request
# that was in flight at the kill (the emulator counts a request when it
# arrives; cut off by the kill, it may never have been performed).
cat >"$WORK/want-routes" <<'ROUTES'
DELETE /services/data/vNN.N/sobjects/GroupMember/{id}	1
DELETE /services/data/vNN.N/sobjects/PermissionSetAssignment/{id}	2
PATCH /services/data/vNN.N/sobjects/User/{id}	5
POST /services/data/vNN.N/sobjects/GroupMember	2
POST /services/data/vNN.N/sobjects/PermissionSetAssignment	2
POST /services/data/vNN.N/sobjects/User	1
ROUTES
routes >"$WORK/got-routes"
extra=$(join -t $'\t' -a1 -a2 -e 0 -o 0,1.2,2.2 "$WORK/want-routes" "$WORK/got-routes" \
  | awk -F'\t' '$3 < $2 || $3 > $2 + 1 { bad = 1 } { x += $3 - $2 } END { print bad ? -1 : x }')
[ "$extra" = 0 ] || [ "$extra" = 1 ] \
  || { diff -u "$WORK/want-routes" "$WORK/got-routes" >&2; fail "writes over both runs are not one per operation"; }
echo "ok one write per operation ($extra cut off by the kill)"
