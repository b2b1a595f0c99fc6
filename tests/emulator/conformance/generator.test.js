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
