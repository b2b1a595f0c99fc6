#!/usr/bin/env bash
# What apply charges to the org's daily API limit: the state every
# operation starts from is read in a few batched queries per object
# (GroupMember, PermissionSetAssignment, User; at most 200 users each)
# just before execution, so an operation costs its write or nothing.  An
# operation that follows a write of the same state (the same user and
# group or permission set, or the same User field) reads live.  The
# emulator's api_requests must match, to the request, what a model of
# the org predicts; a re-run of a finished run reads every line's state
# again, and a copy of the file (all `already`) costs the validation and
# the batched reads.
. "$(dirname "$0")/lib.sh"

node "$SFA_SOURCE_DIR/tests/emulator/generate.js" --users 600 --seed 11 >"$WORK/org.json"
emu_start "$WORK/org.json"
export SFACCESS_DOMAIN="$EMU_URL" SFACCESS_USERNAME=admin@gen11.example \
       SFACCESS_PASSWORD=pw SFACCESS_SECURITY_TOKEN=tok
lp=(--license-profile "Salesforce=Standard User")

# The change file from org.json, and what it must cost and leave: rows
# of every kind over 300 users (the permission set rows alone span more
# than 200, so that object takes two queries), plus rows that follow an
# earlier row on the same state.  The model runs the rows in execution
# order (grant, revoke, set_status; file order within each), counting a
# live read for a row whose state an earlier row wrote and a request per
# write.
cat >"$WORK/gen.js" <<'JS'
const fs = require('fs');
const [orgPath, out] = process.argv.slice(2);
const r = JSON.parse(fs.readFileSync(orgPath, 'utf8')).records;
const users = r.User.filter((u) => u.UserType === 'Standard' && u.Username !== 'admin@gen11.example')
  .sort((a, b) => (a.Id < b.Id ? -1 : 1));
const roles = r.UserRole;
const groups = r.Group.filter((g) => g.Type === 'Regular' || g.Type === 'Queue');
const sets = r.PermissionSet.filter((p) => !p.IsOwnedByProfile && !p.PermissionSetGroupId);
const psgs = r.PermissionSetGroup;
// The org as the model sees it: pair keys held, and User fields.
const held = new Set([
  ...r.GroupMember.map((m) => `group|${m.UserOrGroupId}|${m.GroupId}`),
  ...r.PermissionSetAssignment.map((a) => a.PermissionSetGroupId
    ? `permission_set_group|${a.AssigneeId}|${a.PermissionSetGroupId}`
    : `permission_set|${a.AssigneeId}|${a.PermissionSetId}`)]);
const field = new Map(users.map((u) => [u.Id, { role: u.UserRoleId, profile: u.ProfileId, status: u.IsActive }]));

const rows = []; // { op, type, res (name), resId, user }
// A pair the user holds is revoked, any other granted.
let k = 0;
const pair = (type, list, name, u) => {
  const x = list[k++ % list.length];
  rows.push({ op: held.has(`${type}|${u.Id}|${x.Id}`) ? 'revoke' : 'grant', type, res: x[name], resId: x.Id, user: u });
};
for (const u of users.slice(0, 80)) pair('group', groups, 'DeveloperName', u);
for (const u of users.slice(80, 250)) pair('permission_set', sets, 'Name', u);
for (const u of users.slice(250, 290)) pair('permission_set_group', psgs, 'DeveloperName', u);
const role = roles[3];
for (const u of users.slice(290, 330)) {
  if (u.UserRoleId && u.UserRoleId !== role.Id && k++ % 4 === 0) {
    rows.push({ op: 'revoke', type: 'role', res: roles.find((x) => x.Id === u.UserRoleId).DeveloperName, resId: u.UserRoleId, user: u });
  } else rows.push({ op: 'grant', type: 'role', res: role.DeveloperName, resId: role.Id, user: u });
}
// Profiles of the Salesforce license: grant a custom one to Standard
// Users, revoke it from others (they move to Standard User, the map's).
const std = r.Profile.find((p) => p.Name === 'Standard User');
const custom = r.Profile.find((p) => p.UserLicenseId === std.UserLicenseId &&
  !['Standard User', 'System Administrator'].includes(p.Name));
const pool = users.slice(330);
for (const u of pool.filter((x) => x.ProfileId === std.Id).slice(0, 15)) rows.push({ op: 'grant', type: 'profile', res: custom.Name, resId: custom.Id, user: u });
for (const u of pool.filter((x) => x.ProfileId === custom.Id).slice(0, 10)) rows.push({ op: 'revoke', type: 'profile', res: custom.Name, resId: custom.Id, user: u, target: std.Id });
for (const u of pool.filter((x) => x.ProfileId !== std.Id && x.ProfileId !== custom.Id).slice(0, 15)) rows.push({ op: 'set_status', type: 'user', value: !u.IsActive, user: u });
// The same state again: a group grant then its revoke, a role granted
// then revoked, a status flipped and flipped back, a permission set row
// twice, and a profile and a status change of one user (two fields).  A
// row repeated as written is refused, so the repeats name the user by Id.
const g0 = rows[0], ps0 = rows[80], r0 = rows.find((x) => x.type === 'role' && x.op === 'grant');
const s0 = rows.find((x) => x.type === 'user');
rows.push({ ...g0, op: g0.op === 'grant' ? 'revoke' : 'grant', undoes: true });
rows.push({ ...r0, op: 'revoke', undoes: true });
rows.push({ ...s0, value: !s0.value, byId: true, undoes: true });
rows.push({ ...ps0, byId: true });
g0.undone = r0.undone = s0.undone = true;
const p0 = rows.find((x) => x.type === 'profile' && x.op === 'grant');
rows.push({ op: 'set_status', type: 'user', value: !p0.user.IsActive, user: p0.user });

const rank = { grant: 1, revoke: 2, set_status: 3 };
const order = rows.map((x, i) => [x, i]).sort((a, b) => rank[a[0].op] - rank[b[0].op] || a[1] - b[1]).map((a) => a[0]);
const written = new Set();
let live = 0, writes = 0;
for (const x of order) {
  const f = field.get(x.user.Id);
  const key = x.type === 'user' ? `${x.user.Id}|status` : x.type === 'role' || x.type === 'profile'
    ? `${x.user.Id}|${x.type}` : `${x.type}|${x.user.Id}|${x.resId}`;
  if (written.has(key)) live++;
  let write = false;
  if (x.type === 'user') { write = f.status !== x.value; f.status = x.value; }
  else if (x.type === 'role') {
    if (x.op === 'grant') { write = f.role !== x.resId; f.role = x.resId; }
    else if (f.role === x.resId) { write = true; f.role = null; }
  } else if (x.type === 'profile') {
    if (x.op === 'grant') { write = f.profile !== x.resId; f.profile = x.resId; }
    else if (f.profile === x.resId) { write = true; f.profile = x.target; }
  } else {
    const pk = `${x.type}|${x.user.Id}|${x.resId}`;
    write = held.has(pk) !== (x.op === 'grant');
    if (x.op === 'grant') held.add(pk); else held.delete(pk);
  }
  if (write) { writes++; written.add(key); }
}
// One query per object per 200 users (each query's rows fit one page).
const queriesOf = (rs) => {
  const distinct = (pred) => new Set(rs.filter(pred).map((x) => x.user.Id)).size;
  return [distinct((x) => x.type === 'group'), distinct((x) => x.type.startsWith('permission_set')),
    distinct((x) => ['role', 'profile', 'user'].includes(x.type))].reduce((n, u) => n + Math.ceil(u / 200), 0);
};
const queries = queriesOf(rows);
const csv = (rs) => 'op,resource_type,resource,user,fields,comment\n' + rs.map((x) => {
  const user = x.byId ? x.user.Id : x.user.Username;
  return x.type === 'user' ? `set_status,user,,${user},IsActive=${x.value},` : `${x.op},${x.type},"${x.res}",${user},,`;
}).join('\n') + '\n';
fs.writeFileSync(`${out}/changes.csv`, csv(rows));
// Without the rows that undo an earlier one (and those), applying the
// file again finds everything as it wants: all `already`.
const again = rows.filter((x) => !x.undoes && !x.undone);
fs.writeFileSync(`${out}/again.csv`, csv(again));
fs.writeFileSync(`${out}/again.txt`, `${again.length} ${queriesOf(again)}\n`);
const want = { pairs: [], fields: [] };
for (const x of rows) {
  if (['group', 'permission_set', 'permission_set_group'].includes(x.type)) {
    want.pairs.push([x.type, x.user.Id, x.resId, held.has(`${x.type}|${x.user.Id}|${x.resId}`)]);
  } else want.fields.push([x.user.Id, field.get(x.user.Id)]);
}
fs.writeFileSync(`${out}/want.json`, JSON.stringify(want));
console.log(`${rows.length} ${queries} ${live} ${writes}`);
JS
read -r nops queries live writes < <(node "$WORK/gen.js" "$WORK/org.json" "$WORK")
changes="$WORK/changes.csv"
per_op=$((writes + live))
echo "change file: $nops operations; model: $queries batched reads, $writes writes, $live live reads"
[ "$nops" -ge 100 ] || fail "only $nops operations"

api() { emu_get /__admin/stats | node -e 'console.log(JSON.parse(require("fs").readFileSync(0, "utf8")).api_requests)'; }
# "API requests: T (V to validate, P to read ..., O for the operations)"
printed() { sed -n 's/^API requests: \([0-9]*\) (\([0-9]*\) to validate, \([0-9]*\) to read the state before executing, \([0-9]*\) for the operations)$/\1 \2 \3 \4/p' "$WORK/out"; }

# Validation alone (the dry run) is the fixed part of every apply.
b=$(api)
expect_exit 0 "$SFACCESS" apply "$changes" --dry-run "${lp[@]}"
validate=$(( $(api) - b ))
echo "ok validation: $validate requests"

b=$(api)
expect_exit 0 "$SFACCESS" apply "$changes" --yes "${lp[@]}"
cost=$(( $(api) - b ))
grep -q ": $nops operations: [0-9]* done, [0-9]* already, 0 failed" "$WORK/out" || fail "apply: $(tail -3 "$WORK/out")"
read -r t v p o <<<"$(printed)"
echo "apply: $cost requests (emulator); printed $t = $v validate + $p batched reads + $o operations"
[ "$t" = "$cost" ] || fail "printed $t requests, the emulator counted $cost"
[ "$v" = "$validate" ] || fail "validation cost $v, the dry run $validate"
[ "$p" = "$queries" ] || fail "the batched reads took $p requests, expected $queries"
[ "$o" = "$per_op" ] || fail "the operations took $o requests, the model $per_op"
# The bound: one request per operation, the batched reads, the login and
# a small constant: the validation's queries and the live reads of the
# rows that follow a write of the same state.
[ $((validate + live)) -le 16 ] || fail "validation $validate and live reads $live: not a small constant"
[ "$cost" -le $((nops + queries + 1 + validate + live)) ] \
  || fail "$cost requests > $nops + $queries + 1 + $validate + $live"
echo "ok apply of $nops operations: $cost requests ($queries batched reads, $o for the operations)"

# The org holds what the model says.
for o in GroupMember PermissionSetAssignment User; do emu_get "/__admin/records/$o" >"$WORK/$o.json"; done
node - "$WORK" <<'JS' || fail "the org is not as the change file wants"
const fs = require('fs');
const w = process.argv[2];
const rd = (f) => JSON.parse(fs.readFileSync(`${w}/${f}.json`, 'utf8'));
const gm = rd('GroupMember'), psa = rd('PermissionSetAssignment'), users = new Map(rd('User').map((u) => [u.Id, u]));
const want = rd('want'), bad = [];
for (const [type, user, res, present] of want.pairs) {
  const n = type === 'group' ? gm.filter((m) => m.UserOrGroupId === user && m.GroupId === res).length
    : psa.filter((a) => a.AssigneeId === user && (type === 'permission_set_group' ? a.PermissionSetGroupId === res
      : a.PermissionSetId === res && !a.PermissionSetGroupId)).length;
  if (n !== (present ? 1 : 0)) bad.push(`${type} ${res} of ${user}: ${n} records`);
}
for (const [user, f] of want.fields) {
  const u = users.get(user);
  if ((u.UserRoleId || null) !== (f.role || null) || u.ProfileId !== f.profile || u.IsActive !== f.status) {
    bad.push(`user ${user}: ${u.UserRoleId} ${u.ProfileId} ${u.IsActive}, want ${JSON.stringify(f)}`);
  }
}
if (bad.length) { console.error(bad.slice(0, 20).join('\n')); process.exit(1); }
JS
echo "ok the org holds what the model says"

# Again: the run finished, so nothing is settled by the journal: every
# line's state is read again in the same batches, and the printed count
# is still the emulator's.
b=$(api)
expect_exit 0 "$SFACCESS" apply "$changes" --yes "${lp[@]}"
grep -q ": $nops operations: [0-9]* done, [0-9]* already, 0 failed$" "$WORK/out" || fail "re-run: $(tail -3 "$WORK/out")"
read -r t v p o <<<"$(printed)"
[ "$(( $(api) - b ))" = "$t" ] && [ "$v" = "$validate" ] && [ "$p" = "$queries" ] \
  || fail "re-run cost $(( $(api) - b )) requests, printed $t ($v validate, $p batched, $o for operations)"
echo "ok re-run compared with the org: $t requests ($p batched reads)"

# The same rows in another file (another hash), but for the three pairs
# where one row undoes the other (applied again, both would be done
# again): all `already`, found by the batched reads alone.
read -r n2 q2 <"$WORK/again.txt"
b=$(api)
expect_exit 0 "$SFACCESS" apply "$WORK/again.csv" --dry-run "${lp[@]}"
validate2=$(( $(api) - b ))
b=$(api)
expect_exit 0 "$SFACCESS" apply "$WORK/again.csv" --yes "${lp[@]}"
grep -q ": $n2 operations: 0 done, $n2 already, 0 failed" "$WORK/out" || fail "again: $(tail -3 "$WORK/out")"
read -r t v p o <<<"$(printed)"
cost=$(( $(api) - b ))
[ "$cost" = $((validate2 + q2)) ] && [ "$p" = "$q2" ] && [ "$o" = 0 ] \
  || fail "again: $cost requests ($p batched, $o for operations), want $validate2 + $q2 + 0"
echo "ok $n2 rows again, all already: $cost requests ($validate2 validate + $q2 batched reads, 0 per operation)"
