// An independent who-can: recomputes lib/access/PERMISSIONS.md's rules from a dataset
// JSON (fixtures/orgs/*.json or generate.js output), for the integration
// tests to compare with `sfaccess who-can`.  It shares no code or store
// with sfaccess: it reads the records the emulator serves.
// Usage: node perm_whocan.js DATASET.json WHAT...   (WHAT as who-can takes
// it, canonical spelling).  Prints, per WHAT, tab-separated lines
// "WHAT username via_type via_id granted_by implied_by", sorted as
// who-can sorts them.  `node perm_whocan.js DATASET.json --list` prints
// the WHATs worth asking: every system permission of the records, every
// Object:action of the object catalogue and every Field:read|edit.
'use strict';
const fs = require('fs');

const [file, ...whats] = process.argv.slice(2);
const data = JSON.parse(fs.readFileSync(file, 'utf8'));
const R = data.records || {};
const rows = (name) => R[name] || [];
const ACTIONS = ['read', 'create', 'edit', 'delete', 'viewall', 'modifyall', 'viewallfields'];
const OBJ_FIELD = { read: 'PermissionsRead', create: 'PermissionsCreate', edit: 'PermissionsEdit',
  delete: 'PermissionsDelete', viewall: 'PermissionsViewAllRecords',
  modifyall: 'PermissionsModifyAllRecords', viewallfields: 'PermissionsViewAllFields' };

// Containers: permission sets and muting permission sets, by Id.
const cont = new Map();
for (const r of rows('PermissionSet')) cont.set(r.Id, r);
for (const r of rows('MutingPermissionSet')) cont.set(r.Id, r);
const objRows = new Map(); // parent -> type -> row
for (const r of rows('ObjectPermissions')) {
  if (!objRows.has(r.ParentId)) objRows.set(r.ParentId, new Map());
  objRows.get(r.ParentId).set(r.SobjectType, r);
}
const fieldRows = new Map(); // parent -> field -> row
for (const r of rows('FieldPermissions')) {
  if (!fieldRows.has(r.ParentId)) fieldRows.set(r.ParentId, new Map());
  fieldRows.get(r.ParentId).set(r.Field, r);
}
const catalogue = [...new Set(rows('ObjectPermissions').map((r) => r.SobjectType))];
const fieldsOf = (o) => [...new Set(rows('FieldPermissions').map((r) => r.Field))]
  .filter((f) => f.startsWith(o + '.'));

const sys = (c, x) => !!(cont.get(c) || {})['Permissions' + x];
const objHas = (c, o, a) => !!(((objRows.get(c) || new Map()).get(o) || {})[OBJ_FIELD[a]]);
const fieldHas = (c, f, a) => !!(((fieldRows.get(c) || new Map()).get(f) || {})[a === 'read' ? 'PermissionsRead' : 'PermissionsEdit']);

// What container c grants of `what` under mutes: [why] or null; why is ''
// for its own row, else the implication.
function grant(c, q, mutes) {
  const muted = (test) => mutes.some(test);
  if (q.kind === 'system')
    return sys(c, q.name) && !muted((m) => sys(m, q.name)) ? '' : null;
  if (q.kind === 'object') {
    if (objHas(c, q.obj, q.action) && !muted((m) => objHas(m, q.obj, q.action))) return '';
    if (!catalogue.includes(q.obj)) return null;
    // viewallfields is an action only where the org has it (lib/access/PERMISSIONS.md): then ModifyAllData
    // implies it as every other action, and through it (below) a read of every synced field.
    if (q.action === 'viewallfields' && !objHasAnyVaf()) return null;
    if (sys(c, 'ModifyAllData') && !muted((m) => sys(m, 'ModifyAllData'))) return 'ModifyAllData';
    if ((q.action === 'read' || q.action === 'viewall') && sys(c, 'ViewAllData') &&
        !muted((m) => sys(m, 'ViewAllData'))) return 'ViewAllData';
    return null;
  }
  if (fieldHas(c, q.field, q.action) && !muted((m) => fieldHas(m, q.field, q.action))) return '';
  if (q.action === 'read' &&
      ((objHas(c, q.obj, 'viewallfields') && !muted((m) => objHas(m, q.obj, 'viewallfields'))) ||
       (sys(c, 'ModifyAllData') && !muted((m) => sys(m, 'ModifyAllData')) && objHasAnyVaf())))
    return q.obj + ':viewallfields';
  return null;
}
function objHasAnyVaf() {
  return rows('ObjectPermissions').some((r) => r.PermissionsViewAllFields !== undefined &&
    r.PermissionsViewAllFields !== null);
}
const rank = (why) => (why === '' ? 0 : why === 'ModifyAllData' ? 1 : why === 'ViewAllData' ? 2 : 3);

function parse(what) {
  const colon = what.lastIndexOf(':');
  if (colon < 0) return { kind: 'system', name: what };
  const left = what.slice(0, colon), action = what.slice(colon + 1);
  if (left.includes('.')) return { kind: 'field', field: left, obj: left.split('.')[0], action };
  return { kind: 'object', obj: left, action };
}

const users = rows('User').filter((u) => u.UserType === 'Standard');
const ownedByProfile = new Map();
const aggregates = new Set();
for (const p of rows('PermissionSet')) {
  if (p.IsOwnedByProfile && p.ProfileId) ownedByProfile.set(p.ProfileId, p.Id);
  if (p.PermissionSetGroupId) aggregates.add(p.Id);
}
const comps = new Map();
for (const c of rows('PermissionSetGroupComponent')) {
  if (!comps.has(c.PermissionSetGroupId)) comps.set(c.PermissionSetGroupId, []);
  comps.get(c.PermissionSetGroupId).push(c.PermissionSetId);
}
const assignments = rows('PermissionSetAssignment');

function whoCan(what) {
  const q = parse(what), out = [];
  for (const u of users) {
    const paths = [];
    const owned = ownedByProfile.get(u.ProfileId);
    if (owned) {
      const why = grant(owned, q, []);
      if (why !== null) paths.push(['profile', u.ProfileId, '', why]);
    }
    for (const a of assignments.filter((x) => x.AssigneeId === u.Id)) {
      if (!a.PermissionSetGroupId) {
        const ps = cont.get(a.PermissionSetId);
        if (!ps || ps.IsOwnedByProfile || aggregates.has(ps.Id)) continue;
        const why = grant(ps.Id, q, []);
        if (why !== null) paths.push(['permission_set', ps.Id, '', why]);
        continue;
      }
      const members = (comps.get(a.PermissionSetGroupId) || []).slice().sort();
      const mutes = members.filter((m) => m.startsWith('0QM'));
      let best = null;
      for (const m of members.filter((x) => x.startsWith('0PS'))) {
        const why = grant(m, q, mutes);
        if (why !== null && (best === null || rank(why) < rank(best[1]))) best = [m, why];
      }
      if (best) paths.push(['permission_set_group', a.PermissionSetGroupId, best[0], best[1]]);
    }
    for (const p of paths) out.push([what, u.Username, ...p]);
  }
  const uniq = [...new Map(out.map((r) => [r.join('\t'), r])).values()];
  const byUser = new Map(users.map((u) => [u.Username, u.Id]));
  uniq.sort((a, b) => cmp(a[1], b[1]) || cmp(byUser.get(a[1]), byUser.get(b[1])) ||
    cmp(a[2], b[2]) || cmp(a[3], b[3]));
  return uniq;
}
function cmp(a, b) { return Buffer.compare(Buffer.from(a), Buffer.from(b)); }

if (whats[0] === '--list') {
  const names = new Set();
  for (const r of [...rows('PermissionSet'), ...rows('MutingPermissionSet')])
    for (const k of Object.keys(r))
      if (k.startsWith('Permissions') && typeof r[k] === 'boolean') names.add(k.slice(11));
  for (const n of [...names].sort()) console.log(n);
  for (const o of catalogue.sort()) for (const a of ACTIONS.slice(0, objHasAnyVaf() ? 7 : 6)) console.log(`${o}:${a}`);
  for (const o of catalogue.sort()) for (const f of fieldsOf(o).sort()) for (const a of ['read', 'edit']) console.log(`${f}:${a}`);
} else {
  for (const w of whats) for (const r of whoCan(w)) console.log(r.join('\t'));
}
