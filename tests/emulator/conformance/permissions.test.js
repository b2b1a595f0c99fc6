'use strict';
// Effective-permission support as jsforce sees it: describe of every object, the Permissions*
// catalogue (or a dataset's own "permission_fields"), ObjectPermissions / FieldPermissions /
// CustomPermission, a query of every permission field through Bulk 2.0 (its GET form is too
// long for a URI), and the access rule on the permission tables.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const jsforce = require('jsforce');
const h = require('./helpers');

// The tier table of lib/access/PERMISSIONS.md §2, written out here apart from the catalogue.
const TIERS = {
  ModifyAllData: 'Modify All Data', AuthorApex: 'Author Apex', CustomizeApplication: 'Customize Application',
  ModifyMetadata: 'Modify Metadata Through Metadata API Functions', ManageInteraction: 'Manage Flow',
  ManageProfilesPermissionsets: 'Manage Profiles and Permission Sets', ManageUsers: 'Manage Users',
  ManageInternalUsers: 'Manage Internal Users', AssignPermissionSets: 'Assign Permission Sets', ManageRoles: 'Manage Roles',
  ManageSharing: 'Manage Sharing', ResetPasswords: 'Reset User Passwords and Unlock Users',
  ManagePasswordPolicies: 'Manage Password Policies', ManageLoginAccessPolicies: 'Manage Login Access Policies',
  ManageTwoFactor: 'Manage Two-Factor Authentication in User Interface', ManageAuthProviders: 'Manage Auth. Providers',
  ManageCertificates: 'Manage Certificates', PasswordNeverExpires: 'Password Never Expires',
  BypassMFAForUiLogins: 'Waive Multi-Factor Authentication', ViewAllData: 'View All Data', ViewAllUsers: 'View All Users',
  ViewAllFieldsGlobal: 'View All Fields', EditReadonlyFields: 'Edit Read Only Fields', QueryAllFiles: 'Query All Files',
  ManageChatterMessages: 'Manage Chatter Messages and Direct Messages', ManageUnlistedGroups: 'Manage Unlisted Groups',
  ManageDynamicDashboards: 'Manage Dynamic Dashboards', DataExport: 'Weekly Data Export', ExportReport: 'Export Reports',
  ApiEnabled: 'API Enabled', BulkApiHardDelete: 'Bulk API Hard Delete',
  ManageReportsInPubFolders: 'Manage Reports in Public Folders', ApexRestServices: 'Apex REST Services',
  ManageEncryptionKeys: 'Manage Encryption Keys', ViewEncryptedData: 'View Encrypted Data',
  ManageHealthCheck: 'Manage Health Check', ViewEventLogFiles: 'View Event Log Files',
  InstallPackaging: 'Download AppExchange Packages', ManageCustomPermissions: 'Manage Custom Permissions',
  ViewSetup: 'View Setup and Configuration', ViewRoles: 'View Roles and Role Hierarchy',
};
const DESCRIBE_TYPES = new Set(['id', 'reference', 'string', 'boolean', 'datetime', 'date', 'int', 'double', 'picklist', 'textarea']);

let emu;
let conn;
before(async () => {
  emu = await h.startEmulator(h.conformanceOrg());
  conn = new jsforce.Connection({ loginUrl: emu.url, version: '62.0' });
  await conn.login('admin@conf.example', 'pwtok');
});
after(async () => { await emu.stop(); });

const permFields = (d) => d.fields.filter((f) => f.name.startsWith('Permissions') && f.type === 'boolean');

test('conn.describe(PermissionSet): at least 250 Permissions* booleans with Setup labels, every tier name among them', async () => {
  const d = await conn.describe('PermissionSet');
  assert.equal(d.name, 'PermissionSet');
  assert.equal(d.label, 'Permission Set');
  assert.equal(d.keyPrefix, '0PS');
  const perms = permFields(d);
  assert.ok(perms.length >= 250, `${perms.length} permission fields`);
  assert.equal(new Set(perms.map((f) => f.name)).size, perms.length);
  const byName = new Map(perms.map((f) => [f.name, f]));
  for (const [name, label] of Object.entries(TIERS)) {
    assert.equal(byName.get(`Permissions${name}`)?.label, label, name);
  }
  for (const f of d.fields) assert.ok(DESCRIBE_TYPES.has(f.type), `${f.name}: ${f.type}`);
  assert.deepEqual(Object.keys(d.fields[0]).slice(0, 5), ['name', 'label', 'type', 'nillable', 'filterable']);
  assert.equal(d.fields.find((f) => f.name === 'Id').type, 'id');
  assert.equal(d.fields.find((f) => f.name === 'ProfileId').type, 'reference');
  assert.equal(d.fields.find((f) => f.name === 'Description').filterable, false);
  // MutingPermissionSet and Profile carry the same permission fields.
  for (const o of ['MutingPermissionSet', 'Profile']) {
    const m = await conn.describe(o);
    assert.deepEqual(permFields(m).map((f) => `${f.name}=${f.label}`), perms.map((f) => `${f.name}=${f.label}`), o);
  }
});

test('sobject(...).describe() of ObjectPermissions, FieldPermissions, CustomPermission: prefixes, fields, types', async () => {
  const op = await conn.sobject('ObjectPermissions').describe();
  assert.equal(op.keyPrefix, '110');
  const types = (d) => Object.fromEntries(d.fields.map((f) => [f.name, f.type]));
  const t = types(op);
  for (const f of ['PermissionsRead', 'PermissionsCreate', 'PermissionsEdit', 'PermissionsDelete', 'PermissionsViewAllRecords',
    'PermissionsModifyAllRecords', 'PermissionsViewAllFields']) assert.equal(t[f], 'boolean', f);
  assert.equal(t.Id, 'id');
  assert.equal(t.ParentId, 'reference');
  assert.equal(t.SobjectType, 'picklist');
  assert.deepEqual(op.fields.find((f) => f.name === 'ParentId').referenceTo, ['PermissionSet', 'MutingPermissionSet']);
  const fp = await conn.sobject('FieldPermissions').describe();
  assert.equal(fp.keyPrefix, '01k');
  assert.deepEqual(['Id', 'ParentId', 'SobjectType', 'Field', 'PermissionsRead', 'PermissionsEdit'].map((f) => types(fp)[f]),
    ['id', 'reference', 'picklist', 'string', 'boolean', 'boolean']);
  const cp = await conn.sobject('CustomPermission').describe();
  assert.equal(cp.keyPrefix, '0CP');
  for (const f of ['Id', 'DeveloperName', 'MasterLabel', 'NamespacePrefix']) assert.ok(types(cp)[f], f);
  // The PermissionSet → ObjectPerms / FieldPerms child relationships.
  const ps = await conn.describe('PermissionSet');
  const kids = ps.childRelationships.map((c) => `${c.relationshipName}:${c.childSObject}.${c.field}`);
  assert.ok(kids.includes('ObjectPerms:ObjectPermissions.ParentId'));
  assert.ok(kids.includes('FieldPerms:FieldPermissions.ParentId'));
});

test('describe works for every object the global describe lists, and each call is an API request', async () => {
  const g = await conn.describeGlobal();
  assert.ok(g.sobjects.length >= 20);
  const before = await emu.stats();
  for (const s of g.sobjects) {
    const d = await conn.describe(s.name);
    assert.equal(d.name, s.name);
    assert.equal(d.keyPrefix, s.keyPrefix);
    assert.ok(d.label && d.fields.every((f) => f.label && DESCRIBE_TYPES.has(f.type)), s.name);
  }
  const after = await emu.stats();
  assert.equal(after.api_requests - before.api_requests, g.sobjects.length);
});

test('describe of an unknown object: 404 NOT_FOUND with Salesforce\'s error body, counted as an API request', async () => {
  await assert.rejects(conn.describe('NoSuchObject__c'), (e) => e.errorCode === 'NOT_FOUND');
  const before = await emu.stats();
  const r = await fetch(`${emu.url}/services/data/v62.0/sobjects/NoSuchObject__c/describe`, { headers: { Authorization: `Bearer ${conn.accessToken}` } });
  assert.equal(r.status, 404);
  assert.deepEqual(await r.json(), [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
  assert.equal((await emu.stats()).api_requests, before.api_requests + 1);
});

/** Bulk 2.0 and REST reads of every permission field of PermissionSet, checked against the records. */
async function readAllPermissionFields(c, server) {
  const names = permFields(await c.describe('PermissionSet')).map((f) => f.name);
  const soql = `SELECT Id, Name, ${names.join(', ')} FROM PermissionSet`;
  const rows = await (await c.bulk2.query(soql, { pollInterval: 50, pollTimeout: 20000 })).toArray();
  const stored = await server.records('PermissionSet');
  assert.equal(rows.length, stored.length);
  for (const row of rows) {
    assert.equal(Object.keys(row).length, names.length + 2);
    const rec = stored.find((s) => s.Id === row.Id);
    for (const n of names) assert.equal(row[n], String(rec[n] === true), `${rec.Name}.${n}`);
  }
  return { names, soql, stored };
}

test('every catalogue permission field in one Bulk 2.0 query, and split over REST queries; a field a record lacks reads false', async () => {
  const { names, stored } = await readAllPermissionFields(conn, emu);
  assert.ok(stored.some((rec) => names.some((n) => rec[n] === undefined)), 'some record lacks a catalogue field');
  const half = Math.ceil(names.length / 2);
  for (const part of [names.slice(0, half), names.slice(half)]) {
    const res = await conn.query(`SELECT Id, ${part.join(', ')} FROM PermissionSet`);
    assert.equal(res.totalSize, stored.length);
    assert.ok(res.records.every((x) => part.every((n) => typeof x[n] === 'boolean')));
  }
});

test('an org with 600 permission fields: the GET query of all of them answers 414, Bulk 2.0 reads them all', async () => {
  const data = JSON.parse(fs.readFileSync(h.conformanceOrg(), 'utf8'));
  const catalogue = permFields(await conn.describe('PermissionSet')).map((f) => ({ name: f.name, label: f.label }));
  const extra = Array.from({ length: 600 - catalogue.length }, (_, i) => ({ name: `PermissionsAddOnFeature${i + 1}`, label: `Add-on Feature ${i + 1}` }));
  data.permission_fields = [...catalogue, ...extra];
  data.records.PermissionSet[0].PermissionsAddOnFeature7 = true;
  const file = h.tmpFile('600-perms.json');
  fs.writeFileSync(file, JSON.stringify(data));
  const big = await h.startEmulator(file);
  try {
    const c = new jsforce.Connection({ loginUrl: big.url, version: '62.0' });
    await c.login('admin@conf.example', 'pwtok');
    const { soql } = await readAllPermissionFields(c, big);
    const uri = `/services/data/v62.0/query?q=${encodeURIComponent(soql)}`;
    assert.ok(uri.length > 16384, `${uri.length} bytes`);
    const r = await fetch(big.url + uri, { headers: { Authorization: `Bearer ${c.accessToken}` } });
    assert.equal(r.status, 414);
  } finally {
    await big.stop();
  }
});

test('ObjectPermissions and FieldPermissions need View Setup and Configuration', async () => {
  const limited = new jsforce.Connection({ loginUrl: emu.url, version: '62.0' });
  await limited.login('notapproved@conf.example', 'pwtok'); // Manage Users only
  for (const o of ['ObjectPermissions', 'FieldPermissions']) {
    await assert.rejects(limited.query(`SELECT Id FROM ${o}`), (e) => e.errorCode === 'INSUFFICIENT_ACCESS', o);
    await assert.rejects(limited.bulk2.query(`SELECT Id FROM ${o}`), (e) => /INSUFFICIENT_ACCESS/.test(`${e.errorCode} ${e.message}`), o);
  }
  const ok = await conn.query('SELECT Id FROM ObjectPermissions');
  assert.equal(ok.totalSize, 0);
});

test('a dataset\'s own "permission_fields" replace the catalogue; other permission names are INVALID_FIELD', async () => {
  const data = JSON.parse(fs.readFileSync(h.conformanceOrg(), 'utf8'));
  data.permission_fields = [{ name: 'PermissionsModifyAllData', label: 'Modify All Data' },
    { name: 'PermissionsViewSetup', label: 'View Setup and Configuration' },
    { name: 'PermissionsEditTask', label: 'Edit Tasks, "quoted"' }];
  for (const ps of data.records.PermissionSet) for (const k of Object.keys(ps)) if (k.startsWith('Permissions')) delete ps[k];
  const file = h.tmpFile('own-perms.json');
  fs.writeFileSync(file, JSON.stringify(data));
  const other = await h.startEmulator(file);
  try {
    const c = new jsforce.Connection({ loginUrl: other.url, version: '62.0' });
    await c.login('admin@conf.example', 'pwtok');
    for (const o of ['PermissionSet', 'MutingPermissionSet']) {
      assert.deepEqual(permFields(await c.describe(o)).map((f) => [f.name, f.label]),
        data.permission_fields.map((p) => [p.name, p.label]));
    }
    const r = await c.query('SELECT Id, PermissionsEditTask FROM PermissionSet');
    assert.ok(r.records.every((x) => x.PermissionsEditTask === false));
    await assert.rejects(c.query('SELECT Id, PermissionsAuthorApex FROM PermissionSet'), (e) => e.errorCode === 'INVALID_FIELD');
  } finally {
    await other.stop();
  }
  data.permission_fields = [{ name: 'ModifyAllData', label: 'Modify All Data' }];
  fs.writeFileSync(file, JSON.stringify(data));
  await assert.rejects(h.startEmulator(file), /permission_fields\[0\]/);
});

test('a generated org: ObjectPermissions and FieldPermissions page with nextRecordsUrl, REST and Bulk agree', async () => {
  const org = h.generatedOrg(4500);
  const g = await h.startEmulator(org.file);
  try {
    const c = new jsforce.Connection({ loginUrl: g.url, version: '62.0' });
    await c.login(org.admin, 'pwtok');
    for (const [o, cols] of [['ObjectPermissions', 'SobjectType, PermissionsRead, PermissionsEdit, PermissionsModifyAllRecords, PermissionsViewAllFields'],
      ['FieldPermissions', 'SobjectType, Field, PermissionsRead, PermissionsEdit']]) {
      const stored = await g.records(o);
      assert.ok(stored.length > 4000, `${o}: ${stored.length} rows`);
      const before = await g.stats();
      const res = await c.query(`SELECT Id, ParentId, Parent.Name, ${cols} FROM ${o}`).run({ autoFetch: true, maxFetch: 1e7 });
      const after = await g.stats();
      assert.equal(res.totalSize, stored.length);
      assert.deepEqual(res.records.map((r) => r.Id), stored.map((r) => r.Id));
      assert.equal(after.api_requests - before.api_requests, Math.ceil(stored.length / 2000), `${o}: one request per 2,000 rows`);
      const withParent = res.records.find((r) => r.ParentId.startsWith('0PS'));
      assert.match(withParent.Parent.Name, /\S/);
      const bulk = await (await c.bulk2.query(`SELECT Id, ParentId, ${cols} FROM ${o}`, { pollInterval: 50, pollTimeout: 30000 })).toArray();
      assert.equal(bulk.length, stored.length);
      const byId = new Map(res.records.map((r) => [r.Id, r]));
      for (const b of bulk.slice(0, 500)) assert.equal(b.PermissionsRead, String(byId.get(b.Id).PermissionsRead));
    }
  } finally {
    await g.stop();
  }
});

test('a dataset file too large for one string is read value by value, with the same result', () => {
  const { readDataset } = require('../lib/store');
  const file = h.generatedOrg(4500).file;
  // A zero threshold sends even this file through the large-file reader.
  assert.deepEqual(readDataset(file, 0), JSON.parse(fs.readFileSync(file, 'utf8')));
  const hostile = `${h.EMU_DIR}/../../fixtures/orgs/hostile.json`;
  assert.deepEqual(readDataset(hostile, 0), JSON.parse(fs.readFileSync(hostile, 'utf8')));
  const bad = h.tmpFile('bad.json');
  fs.writeFileSync(bad, '{"records": {"User": [{"Id": "x"}, ]}}');
  assert.throws(() => readDataset(bad, 0), /bad\.json: expected a value at byte 35/);
});

test('fixtures: perms.json aggregates are their components minus muting except where perms.md says; demo.json mutes for real', () => {
  const { Store } = require('../lib/store');
  const st = new Store(`${h.EMU_DIR}/../../fixtures/orgs/perms.json`);
  const R = st.records;
  const sys = (rec) => Object.keys(rec).filter((k) => k.startsWith('Permissions') && rec[k] === true).map((k) => k.slice(11)).sort();
  const byDev = (dev) => R.PermissionSetGroup.find((g) => g.DeveloperName === dev);
  const parts = (g) => R.PermissionSetGroupComponent
    .filter((c) => c.PermissionSetGroupId === g.Id).map((c) => st.get(c.PermissionSetId));
  const rule = (g) => {
    const p = parts(g);
    const muted = new Set(p.filter((x) => x.Id.startsWith('0QM')).flatMap(sys));
    return [...new Set(p.filter((x) => x.Id.startsWith('0PS')).flatMap(sys))].filter((n) => !muted.has(n)).sort();
  };
  const agg = (g) => sys(R.PermissionSet.find((p) => p.PermissionSetGroupId === g.Id));
  assert.deepEqual(rule(byDev('Sales_Bundle')), ['EmailSingle', 'RunReports']);
  assert.deepEqual(agg(byDev('Sales_Bundle')), rule(byDev('Sales_Bundle')));
  // Engineering (Updated): the aggregate keeps the muted ModifyAllData; Reporting (Outdated) lags.
  assert.deepEqual(rule(byDev('Engineering_Bundle')), ['AuthorApex', 'ExportReport', 'RunReports']);
  assert.deepEqual(agg(byDev('Engineering_Bundle')), ['AuthorApex', 'ExportReport', 'ModifyAllData', 'RunReports']);
  assert.deepEqual(rule(byDev('Reporting_Bundle')), ['ExportReport', 'RunReports']);
  assert.deepEqual(agg(byDev('Reporting_Bundle')), ['RunReports']);
  assert.equal(byDev('Reporting_Bundle').Status, 'Outdated');
  // Every ObjectPermissions row of a permission set keeps the dependencies.
  for (const o of R.ObjectPermissions.filter((x) => x.ParentId.startsWith('0PS'))) {
    if (o.PermissionsCreate || o.PermissionsEdit || o.PermissionsViewAllRecords || o.PermissionsViewAllFields) {
      assert.ok(o.PermissionsRead, o.Id);
    }
    if (o.PermissionsDelete) assert.ok(o.PermissionsRead && o.PermissionsEdit, o.Id);
  }
  assert.deepEqual(st.schema.permissionFields.map((p) => p.name.slice(11)),
    ['ModifyAllData', 'ViewAllData', 'ManageUsers', 'AuthorApex', 'ApiEnabled', 'ViewSetup', 'ExportReport', 'EditTask', 'RunReports',
      'EmailSingle', 'ConvertLeads']);
  // demo.json: Engineering_Bundle's muting set mutes what its component Dev_Admin_Privileged grants.
  const demo = new Store(`${h.EMU_DIR}/../../fixtures/orgs/demo.json`);
  const eng = demo.records.PermissionSetGroup.find((g) => g.DeveloperName === 'Engineering_Bundle');
  const comps = demo.records.PermissionSetGroupComponent
    .filter((c) => c.PermissionSetGroupId === eng.Id).map((c) => demo.get(c.PermissionSetId));
  assert.ok(comps.some((c) => c.Id.startsWith('0QM') && c.PermissionsModifyAllData === true));
  assert.ok(comps.some((c) => c.Id.startsWith('0PS') && c.PermissionsModifyAllData === true));
  const engAggregate = demo.records.PermissionSet.find((p) => p.PermissionSetGroupId === eng.Id);
  assert.equal(engAggregate.PermissionsModifyAllData, false);
  assert.ok(demo.records.ObjectPermissions.length > 0 && demo.records.FieldPermissions.length > 0);
});

test('a dataset\'s "absent" objects and fields: INVALID_TYPE / 404 / INVALID_FIELD, as in an org without them', async () => {
  const data = JSON.parse(fs.readFileSync(h.conformanceOrg(), 'utf8'));
  data.absent = { objects: ['FieldPermissions'], fields: { ObjectPermissions: ['PermissionsViewAllFields'], PermissionSet: ['PermissionsAuthorApex'] } };
  const file = h.tmpFile('absent.json');
  fs.writeFileSync(file, JSON.stringify(data));
  const other = await h.startEmulator(file);
  try {
    const c = new jsforce.Connection({ loginUrl: other.url, version: '62.0' });
    await c.login('admin@conf.example', 'pwtok');
    await assert.rejects(c.query('SELECT Id FROM FieldPermissions'), (e) => e.errorCode === 'INVALID_TYPE');
    await assert.rejects(c.describe('FieldPermissions'), (e) => e.errorCode === 'NOT_FOUND');
    assert.ok(!(await c.describeGlobal()).sobjects.some((s) => s.name === 'FieldPermissions'));
    const op = await c.describe('ObjectPermissions');
    assert.ok(!op.fields.some((f) => f.name === 'PermissionsViewAllFields'));
    await assert.rejects(c.query('SELECT Id, PermissionsViewAllFields FROM ObjectPermissions'), (e) => e.errorCode === 'INVALID_FIELD');
    assert.ok(!(await c.describe('PermissionSet')).fields.some((f) => f.name === 'PermissionsAuthorApex'));
    assert.ok(!(await c.describe('PermissionSet')).childRelationships.some((r) => r.relationshipName === 'FieldPerms'));
    assert.equal((await c.query('SELECT Id, PermissionsModifyAllData FROM PermissionSet')).totalSize, data.records.PermissionSet.length);
  } finally {
    await other.stop();
  }
  data.absent = { objects: ['User'] };
  fs.writeFileSync(file, JSON.stringify(data));
  await assert.rejects(h.startEmulator(file), /absent\.objects: User is not one of/);
});
