#!/usr/bin/env bash
# Applying a file that was applied before (issue 13): a finished run does
# not stop the next one from comparing with the org as it is now.  What
# someone changed back is written again (`done`), what matches is
# `already`, and nothing this run did not write is called done.  An
# interrupted run is resumed unless --recheck.  And one apply at a time,
# per store and per org.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
changes="$SFA_SOURCE_DIR/fixtures/changes/demo-all-ops.csv"
lp=(--license-profile "Salesforce=Minimum Access - Salesforce")

writes() {
  emu_get /__admin/stats | node -e '
    const s = JSON.parse(require("fs").readFileSync(0, "utf8")).by_route;
    console.log(Object.entries(s).filter(([k]) => /^(POST|PATCH|DELETE) \/services\/data\//.test(k))
      .reduce((n, [, v]) => n + v, 0));'
}
# Ids of the records the admin endpoint sees, filtered by a JS predicate.
ids() { emu_get "/__admin/records/$1" | node -e "
  const r = JSON.parse(require('fs').readFileSync(0, 'utf8'));
  for (const x of r.filter((x) => !x.IsDeleted && ($2))) console.log(x.Id);"; }

# The org by name, My Domain host and kind next to its Id, in the
# listing and, above all, in the question (asked on a terminal).
host=${EMU_URL#http://}
org="Acme Corporation ($host, production, org 00D5g00000Dm001EAB)"
expect_exit 0 "$SFACCESS" apply "$changes" --dry-run "${lp[@]}"
grep -qF "Org $org: 13 operations, in execution order:" "$WORK/out" || fail "listing: $(head -4 "$WORK/out")"
set +e
printf 'n\n' | script -qec "'$SFACCESS' apply '$changes' --license-profile 'Salesforce=Minimum Access - Salesforce'" \
  /dev/null >"$WORK/tty.out" 2>&1
got=$?
set -e
[ "$got" = 2 ] || fail "declined on a terminal: exit $got: $(cat "$WORK/tty.out")"
grep -qF "Apply 13 operations to $org? [y/N]" "$WORK/tty.out" || fail "question: $(tail -3 "$WORK/tty.out")"
[ "$(writes)" = 0 ] || fail "a declined apply wrote"
echo "ok the org is named in the question: $org"

expect_exit 0 "$SFACCESS" apply "$changes" --yes "${lp[@]}"
grep -q ": 13 operations: 13 done, 0 already, 0 failed$" "$WORK/out" || fail "first apply: $(cat "$WORK/out")"
grep -q "^not charged to the org's API limit: 1 (logins, expired sessions, retries)$" "$WORK/out" \
  || fail "the login is not counted apart: $(tail -3 "$WORK/out")"
echo "ok first apply: 13 done"

# Someone changes the org back: sara leaves Deal_Desk, jonas is
# deactivated again, lucia gets her old profile back.
gm=$(ids GroupMember "x.GroupId === '00G5g00000gR022EAC' && x.UserOrGroupId === '0055g00000Dm029AAB'")
[ -n "$gm" ] || fail "sara is not in Deal_Desk after the apply"
jonas=$(ids User "x.Username === 'jonas.weber@acme.example'")
lucia=$(ids User "x.Username === 'lucia.garcia@acme.example'")
old_profile=$(ids Profile "x.Name === 'Sales User, EMEA'")
emu_post /__admin/mutate "[{\"op\":\"delete\",\"object\":\"GroupMember\",\"id\":\"$gm\"},
  {\"op\":\"update\",\"object\":\"User\",\"id\":\"$jonas\",\"fields\":{\"IsActive\":false}},
  {\"op\":\"update\",\"object\":\"User\",\"id\":\"$lucia\",\"fields\":{\"ProfileId\":\"$old_profile\"}}]" >/dev/null \
  || fail "mutate"

before=$(writes)
expect_exit 0 "$SFACCESS" apply "$changes" --yes "${lp[@]}"
grep -q ": 13 operations: 3 done, 10 already, 0 failed$" "$WORK/out" || fail "re-apply: $(cat "$WORK/out")"
! grep -q "settled" "$WORK/out" || fail "a finished run settled lines: $(cat "$WORK/out")"
for l in 6 15 16; do
  grep -Eq "^  line $l +done " "$WORK/out" || fail "line $l not done again: $(cat "$WORK/out")"
done
[ "$(grep -Ec '^  line [0-9]+ +already ' "$WORK/out")" = 10 ] || fail "not 10 already: $(cat "$WORK/out")"
[ $(( $(writes) - before )) = 3 ] || fail "re-apply wrote $(( $(writes) - before )) times, expected 3"
[ -n "$(ids GroupMember "x.GroupId === '00G5g00000gR022EAC' && x.UserOrGroupId === '0055g00000Dm029AAB'")" ] \
  || fail "sara is not back in Deal_Desk"
echo "ok re-apply after the org changed back: 3 done, 10 already, 3 writes"

# An interrupted run is resumed: its settled lines say so and are not
# counted as done; --recheck compares them with the org instead.
emu_post /__admin/reset '{}' >/dev/null
rm -f "$WORK"/store.db*
emu_post /__admin/faults '{"latency_ms":300}' >/dev/null
"$SFACCESS" apply "$changes" --yes "${lp[@]}" >"$WORK/killed.out" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  [ "$(writes)" -ge 3 ] && break
  sleep 0.05
done
kill -9 "$pid" 2>/dev/null || fail "apply finished before it could be killed"
wait "$pid" 2>/dev/null || true
sleep 1
emu_post /__admin/faults '{"latency_ms":0}' >/dev/null
expect_exit 0 "$SFACCESS" apply "$changes" --dry-run "${lp[@]}"
grep -q "^Resuming the interrupted run started " "$WORK/out" || fail "dry run after a kill: $(cat "$WORK/out")"
expect_exit 0 "$SFACCESS" apply "$changes" --yes --recheck "${lp[@]}"
! grep -q "settled\|Resuming" "$WORK/out" || fail "--recheck settled lines: $(cat "$WORK/out")"
grep -Eq ": 13 operations: [0-9]+ done, [0-9]+ already, 0 failed$" "$WORK/out" || fail "--recheck: $(cat "$WORK/out")"
already=$(sed -n 's/.*: 13 operations: [0-9]* done, \([0-9]*\) already.*/\1/p' "$WORK/out")
[ "$already" -ge 2 ] || fail "--recheck found only $already lines already done by the killed run"
echo "ok --recheck after a kill: $already lines found already done, none settled"

# One apply at a time: a second apply while the first runs is refused, on
# the same store and from another store on the same org.
emu_post /__admin/reset '{}' >/dev/null
rm -f "$WORK"/store.db*
emu_post /__admin/faults '{"latency_ms":300}' >/dev/null
"$SFACCESS" apply "$changes" --yes "${lp[@]}" >"$WORK/first.out" 2>"$WORK/first.err" &
pid=$!
for _ in $(seq 1 300); do
  grep -q "^Applying:" "$WORK/first.out" 2>/dev/null && break
  sleep 0.05
done
expect_exit 1 "$SFACCESS" apply "$changes" --yes "${lp[@]}"
grep -q "store $WORK/store.db is in use by another sfaccess apply (pid $pid); try again when it has finished" "$WORK/err" \
  || fail "second apply on the store: $(cat "$WORK/err")"
expect_exit 1 "$SFACCESS" --store "$WORK/other.db" apply "$changes" --yes "${lp[@]}"
grep -q "org 00D[0-9A-Za-z]* ($EMU_URL) is in use by another sfaccess apply (pid $pid)" "$WORK/err" \
  || fail "second apply from another store: $(cat "$WORK/err")"
wait "$pid" || fail "the first apply failed: $(cat "$WORK/first.err")"
emu_post /__admin/faults '{"latency_ms":0}' >/dev/null
grep -q ": 13 operations: 13 done, 0 already, 0 failed$" "$WORK/first.out" || fail "first: $(cat "$WORK/first.out")"
[ "$(writes)" = 13 ] || fail "$(writes) writes for 13 operations"
echo "ok a second apply is refused while one runs; 13 operations, 13 writes"
