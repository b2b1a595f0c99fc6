'use strict';
// Entitlements (../README.md "Permissions, audit trail, logins, territories and licences"):
// territories, permission set licences, package licences and custom permissions read through
// jsforce; inserts and deletes of the three assignment objects with Salesforce's errors; an org
// without Territory Management; and the generator's shape.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const jsforce = require('jsforce');
const h = require('./helpers');

const FIXTURE = path.resolve(h.EMU_DIR, '../../fixtures/orgs/entitlements.json');
let emu;
let conn;
let rec;
before(async () => {
  emu = await h.startEmulator(FIXTURE);
  conn = new jsforce.Connection({ loginUrl: emu.url, version: '60.0' });
  await conn.login('admin@ent.example', 'pwtok');
  const one = async (o, f) => (await emu.records(o)).find(f);
  rec = {
    alice: (await one('User', (u) => u.Username === 'alice@ent.example')).Id,
    carol: (await one('User', (u) => u.Username === 'carol@ent.example')).Id,
    console: (await one('PermissionSetLicense', (l) => l.DeveloperName === 'SalesConsoleUser')).Id,
    knowledge: (await one('PermissionSetLicense', (l) => l.DeveloperName === 'KnowledgeUser')).Id,
    sbqq: (await one('PackageLicense', (p) => p.NamespacePrefix === 'SBQQ')).Id,
    dsfs: (await one('PackageLicense', (p) => p.NamespacePrefix === 'dsfs')).Id,
    uk: (await one('Territory2', (t) => t.DeveloperName === 'UK')).Id,
  };
});
after(async () => { await emu.stop(); });

const errorCode = (code) => (e) => e.errorCode === code || e.name === code;

test('the objects answer with their key prefixes and fields', async () => {
  const q = async (soql) => (await conn.query(soql)).records;
  const prefixes = {
    'SELECT Id, State FROM Territory2Model': '0MA',
    'SELECT Id, Name, DeveloperName, Territory2ModelId, ParentTerritory2Id FROM Territory2': '0MI',
    'SELECT Id, UserId, Territory2Id, RoleInTerritory2 FROM UserTerritory2Association': '0R0',
    'SELECT Id, DeveloperName, MasterLabel, TotalLicenses, UsedLicenses FROM PermissionSetLicense': '0PL',
    'SELECT Id, AssigneeId, PermissionSetLicenseId FROM PermissionSetLicenseAssign': '2LA',
    'SELECT Id, NamespacePrefix, AllowedLicenses, UsedLicenses FROM PackageLicense': '050',
    'SELECT Id, UserId, PackageLicenseId FROM UserPackageLicense': '051',
    'SELECT Id, DeveloperName, MasterLabel, NamespacePrefix FROM CustomPermission': '0CP',
  };
  for (const [soql, prefix] of Object.entries(prefixes)) {
    const rows = await q(soql);
    assert.ok(rows.length > 0, soql);
    for (const r of rows) assert.equal(r.Id.slice(0, 3), prefix, soql);
  }
  const active = await q("SELECT Id, Name FROM Territory2 WHERE Territory2Model.State = 'Active' ORDER BY Name");
  assert.deepEqual(active.map((t) => t.Name), ['EMEA', 'United Kingdom']);
  const cps = await q("SELECT ParentId, SetupEntityId FROM SetupEntityAccess WHERE SetupEntityType = 'CustomPermission'");
  assert.equal(cps.length, 4);
  const lic = await q("SELECT TotalLicenses, UsedLicenses FROM PermissionSetLicense WHERE DeveloperName = 'CRMUserPsl'");
  assert.deepEqual([lic[0].TotalLicenses, lic[0].UsedLicenses], [5, 3]);
  const rel = await q("SELECT PermissionSetLicense.MasterLabel FROM PermissionSetLicenseAssign WHERE Assignee.Username = 'carol@ent.example'");
  assert.equal(rel[0].PermissionSetLicense.MasterLabel, 'CRM User');
});

test('PermissionSetLicenseAssign: create, duplicate, seat count, delete, delete again', async () => {
  const res = await conn.sobject('PermissionSetLicenseAssign').create({ AssigneeId: rec.carol, PermissionSetLicenseId: rec.knowledge });
  assert.equal(res.success, true);
  assert.equal(res.id.slice(0, 3), '2LA');
  const used = async () => (await conn.query(`SELECT UsedLicenses FROM PermissionSetLicense WHERE Id = '${rec.knowledge}'`)).records[0].UsedLicenses;
  assert.equal(await used(), 1);
  await assert.rejects(conn.sobject('PermissionSetLicenseAssign').create({ AssigneeId: rec.carol, PermissionSetLicenseId: rec.knowledge }),
    errorCode('DUPLICATE_VALUE'));
  await conn.sobject('PermissionSetLicenseAssign').destroy(res.id);
  assert.equal(await used(), 0);
  await assert.rejects(conn.sobject('PermissionSetLicenseAssign').destroy(res.id), errorCode('ENTITY_IS_DELETED'));
});

test('a permission set licence that an assigned permission set needs cannot be removed', async () => {
  const a = (await conn.query(`SELECT Id FROM PermissionSetLicenseAssign WHERE AssigneeId = '${rec.alice}' AND PermissionSetLicenseId = '${rec.console}'`)).records[0];
  await assert.rejects(conn.sobject('PermissionSetLicenseAssign').destroy(a.Id), (e) => {
    assert.equal(e.errorCode, 'FIELD_INTEGRITY_EXCEPTION');
    assert.match(e.message, /Console Access/);
    return true;
  });
  // Once the permission set is unassigned, the licence goes.
  const psa = (await conn.query(`SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '${rec.alice}' AND PermissionSet.Name = 'Console_Access'`)).records[0];
  await conn.sobject('PermissionSetAssignment').destroy(psa.Id);
  await conn.sobject('PermissionSetLicenseAssign').destroy(a.Id);
  await emu.reset();
});

test('UserPackageLicense and UserTerritory2Association: create, duplicate, delete', async () => {
  for (const [type, f] of [['UserPackageLicense', { UserId: rec.carol, PackageLicenseId: rec.dsfs }],
    ['UserTerritory2Association', { UserId: rec.carol, Territory2Id: rec.uk, RoleInTerritory2: 'Sales Rep' }]]) {
    const res = await conn.sobject(type).create(f);
    assert.equal(res.success, true, type);
    await assert.rejects(conn.sobject(type).create(f), errorCode('DUPLICATE_VALUE'));
    await conn.sobject(type).destroy(res.id);
    await assert.rejects(conn.sobject(type).destroy(res.id), errorCode('ENTITY_IS_DELETED'));
  }
  const used = (await conn.query(`SELECT UsedLicenses FROM PackageLicense WHERE Id = '${rec.dsfs}'`)).records[0].UsedLicenses;
  assert.equal(used, 1);
  await assert.rejects(conn.sobject('UserTerritory2Association').create({ UserId: rec.carol, Territory2Id: rec.sbqq }),
    errorCode('INVALID_CROSS_REFERENCE_KEY'));
});

test('an org without Territory Management answers INVALID_TYPE for Territory2', async () => {
  const data = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
  data.org.territory_management = false;
  for (const o of ['Territory2Model', 'Territory2', 'UserTerritory2Association']) delete data.records[o];
  const f = h.tmpFile('noterr.json');
  fs.writeFileSync(f, JSON.stringify(data));
  const e2 = await h.startEmulator(f);
  try {
    const c = new jsforce.Connection({ loginUrl: e2.url, version: '60.0' });
    await c.login('admin@ent.example', 'pwtok');
    await assert.rejects(c.query('SELECT Id FROM Territory2'), errorCode('INVALID_TYPE'));
    await assert.rejects(c.query('SELECT Id FROM UserTerritory2Association'), errorCode('INVALID_TYPE'));
    assert.equal((await c.query('SELECT Id FROM PermissionSetLicense')).totalSize, 3);
  } finally { await e2.stop(); }
});

test('generator: one active model, about N/100 territories, licences and custom permissions', () => {
  const gen = (args) => JSON.parse(execFileSync(process.execPath, [path.join(h.EMU_DIR, 'generate.js'), '--users', '2000', ...args],
    { maxBuffer: 1 << 28 }).toString('utf8'));
  const d = gen([]).records;
  assert.equal(d.Territory2Model.filter((m) => m.State === 'Active').length, 1);
  const active = new Set(d.Territory2.filter((t) => t.Territory2ModelId === d.Territory2Model[0].Id).map((t) => t.Id));
  assert.equal(active.size, 20);
  const internal = d.User.filter((u) => u.UserType === 'Standard').length;
  const assigned = new Set(d.UserTerritory2Association
    .filter((a) => active.has(a.Territory2Id)).map((a) => a.UserId)).size;
  assert.ok(assigned > internal * 0.4 && assigned < internal * 0.6, `${assigned} of ${internal} in a territory`);
  assert.equal(d.PermissionSetLicense.length, 10);
  assert.ok(Math.abs(d.PermissionSetLicenseAssign.length / internal - 1) < 0.2, `${d.PermissionSetLicenseAssign.length} PSL assignments`);
  for (const l of d.PermissionSetLicense) {
    assert.equal(l.UsedLicenses, d.PermissionSetLicenseAssign.filter((a) => a.PermissionSetLicenseId === l.Id).length);
    assert.ok(l.TotalLicenses >= l.UsedLicenses);
  }
  assert.equal(d.PackageLicense.length, 5);
  const cps = new Set(d.CustomPermission.map((c) => c.Id));
  const grants = d.SetupEntityAccess.filter((s) => s.SetupEntityType === 'CustomPermission');
  assert.ok(grants.length > cps.size);
  for (const g of grants) assert.ok(cps.has(g.SetupEntityId), `${g.SetupEntityId} is a CustomPermission`);
  // Turned off, the org is what it was: no new objects, the same records otherwise.
  const off = gen(['--no-territories', '--no-licenses']).records;
  assert.equal(off.Territory2, undefined);
  assert.equal(off.PermissionSetLicenseAssign, undefined);
  assert.deepEqual(off.User, d.User);
  assert.deepEqual(off.GroupMember, d.GroupMember);
});
