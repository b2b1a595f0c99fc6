'use strict';
// The generator: speed at 50,000 users, determinism, the realistic shapes the access model
// needs, and a full paged REST scan of the generated PermissionSetAssignment table.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./helpers');

const GEN = path.join(h.EMU_DIR, 'generate.js');
const gen = (...args) => execFileSync(process.execPath, [GEN, ...args], { maxBuffer: 1 << 30 });

test('deterministic for a seed; the seed changes the org', () => {
  const a = gen('--users', '300', '--seed', '5');
  assert.ok(a.equals(gen('--users', '300', '--seed', '5')));
  assert.ok(!a.equals(gen('--users', '300', '--seed', '6')));
});

test('realistic shapes at 2,000 users', () => {
  const d = JSON.parse(gen('--users', '2000').toString('utf8'));
  const R = d.records;
  const n = (o) => R[o].length;
  assert.equal(n('User'), 2000);
  assert.equal(n('UserRole'), 100 + 1); // N/20 plus one partner portal role
  assert.equal(n('Profile'), 29);       // N/70
  assert.equal(R.PermissionSet.filter((p) => !p.IsOwnedByProfile && !p.PermissionSetGroupId).length, 125); // N/16
  assert.equal(n('PermissionSetGroup'), 10); // N/200
  assert.equal(n('ConnectedApplication'), 20);
  // Role groups: three per role; one Organization group; public groups and queues ≈ N/40.
  for (const t of ['Role', 'RoleAndSubordinates', 'RoleAndSubordinatesInternal']) assert.equal(R.Group.filter((g) => g.Type === t).length, n('UserRole'));
  assert.equal(R.Group.filter((g) => g.Type === 'Organization').length, 1);
  assert.equal(R.Group.filter((g) => g.Type === 'Regular' || g.Type === 'Queue').length, 50);
  assert.ok(R.Group.some((g) => g.Type === 'Queue'));
  // A role hierarchy several levels deep.
  const roles = new Map(R.UserRole.map((r) => [r.Id, r]));
  const depth = (r) => (r.ParentRoleId ? 1 + depth(roles.get(r.ParentRoleId)) : 0);
  assert.ok(Math.max(...R.UserRole.map(depth)) >= 2);
  // Nested groups with a cycle.
  const edges = R.GroupMember.filter((m) => m.UserOrGroupId.startsWith('00G'));
  assert.ok(edges.some((e) => edges.some((f) => f.GroupId === e.UserOrGroupId && f.UserOrGroupId === e.GroupId)), 'a cycle');
  // Per user: ~3 PSAs besides the profile one, ~2 direct group memberships.
  const owned = new Set(R.PermissionSet.filter((p) => p.IsOwnedByProfile).map((p) => p.Id));
  const extra = R.PermissionSetAssignment.filter((a) => !owned.has(a.PermissionSetId)).length / 2000;
  assert.ok(extra > 2.4 && extra < 3.6, `PSAs per user ${extra}`);
  const direct = R.GroupMember.filter((m) => m.UserOrGroupId.startsWith('005')).length / 2000;
  assert.ok(direct > 1.6 && direct < 2.4, `memberships per user ${direct}`);
  // Every user with a profile has its profile-owned PS assignment.
  const profilePs = new Map(R.PermissionSet.filter((p) => p.IsOwnedByProfile).map((p) => [p.ProfileId, p.Id]));
  const has = new Set(R.PermissionSetAssignment.map((a) => `${a.AssigneeId}/${a.PermissionSetId}`));
  assert.ok(R.User.filter((u) => u.ProfileId).every((u) => has.has(`${u.Id}/${profilePs.get(u.ProfileId)}`)));
  // PSG components include a muting permission set; each PSG has its aggregate PS.
  assert.ok(R.PermissionSetGroupComponent.some((c) => c.PermissionSetId.startsWith('0QM')));
  assert.ok(R.PermissionSetGroup.every((g) => R.PermissionSet.some((p) => p.PermissionSetGroupId === g.Id)));
  // Inactive, frozen and non-standard users; an Automated Process user without a profile.
  assert.ok(R.User.some((u) => !u.IsActive));
  const frozen = new Set(R.UserLogin.filter((l) => l.IsFrozen).map((l) => l.UserId));
  assert.ok(frozen.size >= 1);
  for (const t of ['PowerPartner', 'CspLitePortal', 'CsnOnly', 'Guest']) assert.ok(R.User.some((u) => u.UserType === t), t);
  assert.ok(R.User.some((u) => u.ProfileId === null && u.LastName === 'Automated Process'));
  // Expiring assignments (past and future).
  assert.ok(R.PermissionSetAssignment.some((a) => a.ExpirationDate && a.ExpirationDate < '2026-11-01'));
  assert.ok(R.PermissionSetAssignment.some((a) => a.ExpirationDate && a.ExpirationDate > '2026-11-01'));
  // Connected apps granted through profile-owned, regular and PSG-aggregate permission sets; tokens.
  const ps = new Map(R.PermissionSet.map((p) => [p.Id, p]));
  const parents = R.SetupEntityAccess.filter((s) => s.SetupEntityType === 'ConnectedApplication').map((s) => ps.get(s.ParentId));
  assert.ok(parents.some((p) => p.IsOwnedByProfile));
  assert.ok(parents.some((p) => p.PermissionSetGroupId));
  assert.ok(parents.some((p) => !p.IsOwnedByProfile && !p.PermissionSetGroupId));
  assert.ok(n('OauthToken') > 0);
  assert.ok(R.UserLicense.every((l) => l.Name && l.LicenseDefinitionKey));
  assert.deepEqual(d.auth.users[0].permissions.sort(), ['CustomizeApplication', 'ManageGroups', 'ManageRoles', 'ManageTerritories',
    'ManageUsers', 'ViewSetup']);
});

test('50,000 users in under 30 s, then a full paged REST scan of PermissionSetAssignment', async () => {
  const file = h.tmpFile('gen-50000.json');
  const t0 = Date.now();
  await new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [GEN, '--users', '50000'], { stdio: ['ignore', fs.openSync(file, 'w'), 'inherit'] });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`generate exited ${code}`))));
  });
  const took = Date.now() - t0;
  assert.ok(took < 30000, `generator took ${took} ms`);

  const emu = await h.startEmulator(file);
  try {
    const token = await h.refreshLogin(emu.url, 'rt-admin');
    let next = `/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id, AssigneeId, PermissionSetId, PermissionSet.Name FROM PermissionSetAssignment')}`;
    const times = [];
    let rows = 0;
    let total = 0;
    const seen = new Set();
    while (next) {
      const p0 = Date.now();
      const r = await fetch(emu.url + next, { headers: { Authorization: `Bearer ${token}` } });
      const body = await r.json();
      times.push(Date.now() - p0);
      assert.equal(r.status, 200);
      total = body.totalSize;
      rows += body.records.length;
      if (!body.done) assert.equal(body.records.length, 2000);
      for (const rec of body.records) seen.add(rec.Id);
      next = body.done ? null : body.nextRecordsUrl;
    }
    assert.equal(rows, total);
    assert.equal(seen.size, total);
    assert.ok(total > 150000, `only ${total} assignments`);
    // Later pages cost about the same as early ones (cursors are O(page), not O(offset)).
    const later = times.slice(1).sort((a, b) => a - b);
    const median = later[Math.floor(later.length / 2)];
    assert.ok(later.at(-1) < Math.max(20 * median, 500), `page times: median ${median} ms, max ${later.at(-1)} ms`);
  } finally {
    await emu.stop();
  }
});

// --- permission data (../README.md "Generator", permission data), checked here on its own terms.
const TIER01 = ['ModifyAllData', 'AuthorApex', 'CustomizeApplication', 'ModifyMetadata', 'ManageInteraction',
  'ManageProfilesPermissionsets', 'ManageUsers', 'ManageInternalUsers', 'AssignPermissionSets', 'ManageRoles', 'ManageSharing',
  'ResetPasswords', 'ManagePasswordPolicies', 'ManageLoginAccessPolicies', 'ManageTwoFactor', 'ManageAuthProviders',
  'ManageCertificates', 'PasswordNeverExpires', 'BypassMFAForUiLogins'].map((n) => `Permissions${n}`);
const OBJ = ['PermissionsRead', 'PermissionsCreate', 'PermissionsEdit', 'PermissionsDelete', 'PermissionsViewAllRecords',
  'PermissionsModifyAllRecords', 'PermissionsViewAllFields'];
// What each object permission needs (lib/access/PERMISSIONS.md §1).
const NEEDS = { PermissionsCreate: ['PermissionsRead'], PermissionsEdit: ['PermissionsRead'], PermissionsViewAllRecords: ['PermissionsRead'],
  PermissionsDelete: ['PermissionsRead', 'PermissionsEdit'], PermissionsViewAllFields: ['PermissionsRead'],
  PermissionsModifyAllRecords: ['PermissionsRead', 'PermissionsEdit', 'PermissionsDelete', 'PermissionsViewAllRecords'] };
const sys = (rec) => Object.keys(rec).filter((k) => k.startsWith('Permissions') && rec[k] === true).sort();
const groupBy = (rows, key) => {
  const m = new Map();
  for (const x of rows) {
    if (!m.has(x[key])) m.set(x[key], []);
    m.get(x[key]).push(x);
  }
  return m;
};

test('permission data: catalogue, dependencies, muting inside the group, aggregates = components minus muted', () => {
  const d = JSON.parse(gen('--users', '20000', '--seed', '3').toString('utf8'));
  const R = d.records;
  const ps = new Map(R.PermissionSet.map((p) => [p.Id, p]));
  const muting = new Map(R.MutingPermissionSet.map((m) => [m.Id, m]));
  // Object and field catalogue: 60 objects, about 1,500 fields.
  assert.equal(new Set(R.ObjectPermissions.map((o) => o.SobjectType)).size, 60);
  const fields = new Set(R.FieldPermissions.map((f) => f.Field));
  assert.ok(fields.size > 1400 && fields.size <= 1500, `${fields.size} fields`);
  assert.ok(fields.has('Account.Phone'));
  // Every row: a known parent, Salesforce's dependencies, field names qualified by their object.
  for (const o of R.ObjectPermissions) {
    assert.ok(ps.has(o.ParentId) || muting.has(o.ParentId), o.Id);
    if (muting.has(o.ParentId)) continue; // a muting row names what it mutes, not an access
    for (const [f, needs] of Object.entries(NEEDS)) if (o[f]) for (const n of needs) assert.ok(o[n], `${o.Id}: ${f} without ${n}`);
  }
  for (const f of R.FieldPermissions) {
    assert.ok(ps.has(f.ParentId) || muting.has(f.ParentId), f.Id);
    assert.ok(f.Field.startsWith(`${f.SobjectType}.`), f.Field);
    if (!muting.has(f.ParentId)) assert.ok(f.PermissionsRead || !f.PermissionsEdit, `${f.Id}: edit without read`);
  }
  // Regular and profile-owned permission sets: 5–40 object rows, 0–400 field rows.
  const opBy = groupBy(R.ObjectPermissions, 'ParentId');
  const fpBy = groupBy(R.FieldPermissions, 'ParentId');
  const plain = R.PermissionSet.filter((p) => !p.PermissionSetGroupId);
  for (const p of plain) {
    const n = (opBy.get(p.Id) || []).length;
    assert.ok(n >= 5 && n <= 40, `${p.Name}: ${n} object rows`);
    assert.ok((fpBy.get(p.Id) || []).length <= 400, p.Name);
  }
  assert.ok(plain.some((p) => (fpBy.get(p.Id) || []).length > 200));
  // System Administrator carries most system permissions; about one regular set in 50 a tier-0/1 one.
  const admin = R.Profile.find((p) => p.Name === 'System Administrator');
  assert.ok(sys(admin).length >= 200, `${sys(admin).length} on System Administrator`);
  assert.deepEqual(sys(R.PermissionSet.find((p) => p.ProfileId === admin.Id)), sys(admin));
  const regular = R.PermissionSet.filter((p) => !p.IsOwnedByProfile && !p.PermissionSetGroupId);
  const risky = regular.filter((p) => TIER01.some((n) => p[n])).length / regular.length;
  assert.ok(risky > 0.008 && risky < 0.04, `tier-0/1 share ${risky}`);
  // Each muting set: one group's component, 1–5 permissions, each granted by a component of that group.
  const comps = groupBy(R.PermissionSetGroupComponent, 'PermissionSetGroupId');
  const owner = new Map();
  for (const [g, cs] of comps) for (const c of cs) if (muting.has(c.PermissionSetId)) owner.set(c.PermissionSetId, g);
  assert.equal(owner.size, muting.size);
  let mutedPrivileged = 0;
  for (const [mId, g] of owner) {
    const parts = comps.get(g).map((c) => c.PermissionSetId).filter((id) => ps.has(id));
    const m = muting.get(mId);
    const ops = opBy.get(mId) || [];
    const fps = fpBy.get(mId) || [];
    const count = sys(m).length + ops.length + fps.length;
    assert.ok(count >= 1 && count <= 5, `${m.DeveloperName} mutes ${count}`);
    for (const n of sys(m)) assert.ok(parts.some((id) => ps.get(id)[n]), `${m.DeveloperName}: ${n} not granted in its group`);
    if (sys(m).some((n) => TIER01.includes(n))) mutedPrivileged++;
    for (const o of ops) {
      assert.ok(parts.some((id) => (opBy.get(id) || [])
        .some((x) => x.SobjectType === o.SobjectType && OBJ.some((f) => o[f] && x[f]))),
        `${m.DeveloperName}: ${o.SobjectType} not granted in its group`);
    }
    for (const f of fps) {
      assert.ok(parts.some((id) => (fpBy.get(id) || []).some((x) => x.Field === f.Field)), `${m.DeveloperName}: ${f.Field}`);
    }
  }
  assert.ok(mutedPrivileged >= 1, 'some group mutes a tier-0/1 permission');
  // The aggregate of each group: the union of its components minus what its muting sets mute.
  for (const g of R.PermissionSetGroup) {
    const agg = R.PermissionSet.find((p) => p.PermissionSetGroupId === g.Id);
    const parts = comps.get(g.Id).map((c) => c.PermissionSetId);
    const grants = parts.filter((id) => ps.has(id));
    const mutes = parts.filter((id) => muting.has(id));
    const mutedSys = new Set(mutes.flatMap((id) => sys(muting.get(id))));
    const wantSys = [...new Set(grants.flatMap((id) => sys(ps.get(id))))].filter((n) => !mutedSys.has(n)).sort();
    assert.deepEqual(sys(agg), wantSys, g.DeveloperName);
    const objects = new Map();
    for (const id of grants) for (const o of opBy.get(id) || []) {
      const cur = objects.get(o.SobjectType) || {};
      for (const f of OBJ) cur[f] = cur[f] || o[f];
      objects.set(o.SobjectType, cur);
    }
    for (const id of mutes) for (const o of opBy.get(id) || []) {
      const cur = objects.get(o.SobjectType);
      for (const f of OBJ) if (o[f]) cur[f] = false;
    }
    const want = [...objects].filter(([, b]) => OBJ.some((f) => b[f])).map(([t, b]) => `${t}:${OBJ.filter((f) => b[f]).join('+')}`).sort();
    const got = (opBy.get(agg.Id) || []).map((o) => `${o.SobjectType}:${OBJ.filter((f) => o[f]).join('+')}`).sort();
    assert.deepEqual(got, want, `${g.DeveloperName} object rows`);
    const fl = new Map();
    for (const id of grants) for (const f of fpBy.get(id) || []) {
      const cur = fl.get(f.Field) || { r: false, e: false };
      fl.set(f.Field, { r: cur.r || f.PermissionsRead, e: cur.e || f.PermissionsEdit });
    }
    for (const id of mutes) for (const f of fpBy.get(id) || []) {
      const cur = fl.get(f.Field);
      cur.r = cur.r && !f.PermissionsRead;
      cur.e = cur.e && !f.PermissionsEdit;
    }
    const wantF = [...fl].filter(([, b]) => b.r || b.e).map(([n, b]) => `${n}:${b.r}:${b.e}`).sort();
    assert.deepEqual((fpBy.get(agg.Id) || []).map((f) => `${f.Field}:${f.PermissionsRead}:${f.PermissionsEdit}`).sort(), wantF, `${g.DeveloperName} field rows`);
  }
  // Custom permissions behind the CustomPermission grants.
  const cp = new Set(R.CustomPermission.map((c) => c.Id));
  assert.ok(R.SetupEntityAccess.filter((s) => s.SetupEntityType === 'CustomPermission').every((s) => cp.has(s.SetupEntityId)));
});

test('--no-permissions: the old shape, and the rest of the org is the same with or without permissions', () => {
  // Without the entitlements, which bring custom permissions of their own.
  const a = JSON.parse(gen('--users', '1500', '--seed', '9', '--no-licenses', '--no-territories').toString('utf8'));
  const b = JSON.parse(gen('--users', '1500', '--seed', '9', '--no-permissions', '--no-licenses', '--no-territories').toString('utf8'));
  for (const o of ['ObjectPermissions', 'FieldPermissions', 'CustomPermission']) {
    assert.ok(a.records[o].length > 0, o);
    assert.equal(b.records[o], undefined, o);
  }
  for (const o of Object.keys(b.records)) {
    const strip = (list) => list.map((x) => Object.fromEntries(Object.entries(x).filter(([k]) => !k.startsWith('Permissions'))));
    assert.deepEqual(strip(a.records[o]), strip(b.records[o]), o);
  }
  // The old shape: the seven flags written out on every profile and regular permission set.
  assert.ok(b.records.Profile.every((p) => typeof p.PermissionsApiEnabled === 'boolean' && typeof p.PermissionsModifyAllData === 'boolean'));
  assert.equal(Object.keys(b.records.Profile[0]).filter((k) => k.startsWith('Permissions')).length, 7);
});
