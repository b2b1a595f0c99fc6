'use strict';
// sObject writes through jsforce (create / duplicate / delete / delete again), sObject
// Collections, the User create rules and the permission checks.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const jsforce = require('jsforce');
const h = require('./helpers');
const { to18, suffix15 } = require('../lib/ids');

let emu;
let admin;
let ids;
before(async () => {
  emu = await h.startEmulator(h.conformanceOrg());
  admin = new jsforce.Connection({ loginUrl: emu.url, version: '60.0' });
  await admin.login('admin@conf.example', 'pwtok');
  const users = await emu.records('User');
  const ps = await emu.records('PermissionSet');
  const groups = await emu.records('Group');
  ids = {
    jdoe: users.find((u) => u.Username === 'jdoe@conf.example').Id,
    limited: users.find((u) => u.Username === 'limited@conf.example').Id,
    supportAgent: ps.find((p) => p.Name === 'Support_Agent').Id,
    salesOps: ps.find((p) => p.Name === 'Sales_Ops').Id,
    aggregate: ps.find((p) => p.Name === 'Sales_Bundle_Aggregate').Id,
    psg: (await emu.records('PermissionSetGroup'))[0].Id,
    salesTeam: groups.find((g) => g.Name === 'Sales Team').Id,
    stdProfile: (await emu.records('Profile')).find((p) => p.Name === 'Standard User').Id,
    vpRole: (await emu.records('UserRole')).find((r) => r.Name === 'VP Sales').Id,
  };
});
after(async () => { await emu.stop(); });

const errorCode = (code) => (e) => e.errorCode === code || e.name === code;

test('PermissionSetAssignment: create, duplicate, delete, delete again', async () => {
  const res = await admin.sobject('PermissionSetAssignment').create({ AssigneeId: ids.jdoe, PermissionSetId: ids.supportAgent });
  assert.equal(res.success, true);
  assert.deepEqual(res.errors, []);
  // A valid 18-char id with the right prefix and case-safe suffix.
  assert.match(res.id, /^0Pa[A-Za-z0-9]{15}$/);
  assert.equal(res.id.slice(15), suffix15(res.id.slice(0, 15)));
  const row = (await admin.query(`SELECT Id, IsActive, SystemModstamp, PermissionSet.Name FROM PermissionSetAssignment WHERE Id = '${res.id}'`)).records[0];
  assert.equal(row.PermissionSet.Name, 'Support_Agent');
  assert.match(row.SystemModstamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);

  await assert.rejects(admin.sobject('PermissionSetAssignment').create({ AssigneeId: ids.jdoe, PermissionSetId: ids.supportAgent }),
    (e) => e.errorCode === 'DUPLICATE_VALUE' && /Duplicate PermissionSetAssignment/.test(e.message));

  const del = await admin.sobject('PermissionSetAssignment').destroy(res.id);
  assert.equal(del.success, true);
  // jsforce's single-record destroy goes through DELETE /sobjects/Type/Id; check the raw second delete.
  const again = await fetch(`${emu.url}/services/data/v60.0/sobjects/PermissionSetAssignment/${res.id}`,
    { method: 'DELETE', headers: { Authorization: `Bearer ${admin.accessToken}` } });
  assert.equal(again.status, 404);
  assert.deepEqual(await again.json(), [{ message: 'entity is deleted', errorCode: 'ENTITY_IS_DELETED', fields: [] }]);
  await assert.rejects(admin.sobject('PermissionSetAssignment').destroy(res.id), errorCode('ENTITY_IS_DELETED'));
  // Deleted: gone from query, still in queryAll.
  const q = `SELECT Id, IsDeleted FROM PermissionSetAssignment WHERE Id = '${res.id}'`;
  assert.equal((await admin.query(q)).totalSize, 0);
  assert.equal((await admin.query(q).scanAll(true)).records[0].IsDeleted, true);
  // A fresh assignment after the delete is fine again.
  const re = await admin.sobject('PermissionSetAssignment').create({ AssigneeId: ids.jdoe, PermissionSetId: ids.supportAgent });
  assert.equal(re.success, true);
});

test('a PSG assignment points PermissionSetId at the group aggregate permission set', async () => {
  const res = await admin.sobject('PermissionSetAssignment').create({ AssigneeId: ids.jdoe, PermissionSetGroupId: ids.psg });
  const row = (await admin.query(`SELECT PermissionSetId, PermissionSetGroupId FROM PermissionSetAssignment WHERE Id = '${res.id}'`)).records[0];
  assert.equal(row.PermissionSetId, ids.aggregate);
  assert.equal(row.PermissionSetGroupId, ids.psg);
  await assert.rejects(admin.sobject('PermissionSetAssignment').create({ AssigneeId: ids.jdoe, PermissionSetGroupId: ids.psg }), errorCode('DUPLICATE_VALUE'));
});

test('references, required fields and unknown fields', async () => {
  const nobody = to18('005000000000000');
  await assert.rejects(admin.sobject('PermissionSetAssignment').create({ AssigneeId: nobody, PermissionSetId: ids.supportAgent }),
    errorCode('INVALID_CROSS_REFERENCE_KEY'));
  await assert.rejects(admin.sobject('PermissionSetAssignment').create({ PermissionSetId: ids.supportAgent }), errorCode('REQUIRED_FIELD_MISSING'));
  await assert.rejects(admin.sobject('GroupMember').create({ GroupId: ids.salesTeam, Bogus__c: 1 }), errorCode('INVALID_FIELD'));
});

test('a duplicate GroupMember returns the existing id', async () => {
  const existing = (await emu.records('GroupMember')).find((g) => g.GroupId === ids.salesTeam && g.UserOrGroupId === ids.jdoe);
  const res = await admin.sobject('GroupMember').create({ GroupId: ids.salesTeam, UserOrGroupId: ids.jdoe });
  assert.equal(res.success, true);
  assert.equal(res.id, existing.Id);
  const fresh = await admin.sobject('GroupMember').create({ GroupId: ids.salesTeam, UserOrGroupId: ids.limited });
  assert.notEqual(fresh.id, existing.Id);
  assert.match(fresh.id, /^011/);
});

test('User create: required fields, duplicate username, update, roles need ManageRoles', async () => {
  const r = await fetch(`${emu.url}/services/data/v60.0/sobjects/User`, { method: 'POST',
    headers: { Authorization: `Bearer ${admin.accessToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ LastName: 'X' }) });
  assert.equal(r.status, 400);
  assert.deepEqual(await r.json(), [{ message: 'Required fields are missing: [Username, Email, Alias, TimeZoneSidKey, LocaleSidKey, EmailEncodingKey, ProfileId, LanguageLocaleKey]',
    errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Username', 'Email', 'Alias', 'TimeZoneSidKey', 'LocaleSidKey', 'EmailEncodingKey', 'ProfileId', 'LanguageLocaleKey'] }]);
  const user = { Username: 'new.user@conf.example', LastName: 'User', FirstName: 'New', Email: 'new.user@conf.example', Alias: 'nuser',
    TimeZoneSidKey: 'America/Los_Angeles', LocaleSidKey: 'en_US', EmailEncodingKey: 'UTF-8', LanguageLocaleKey: 'en_US', ProfileId: ids.stdProfile };
  const created = await admin.sobject('User').create(user);
  assert.match(created.id, /^005/);
  await assert.rejects(admin.sobject('User').create({ ...user, Username: 'NEW.USER@conf.example' }),
    (e) => e.errorCode === 'DUPLICATE_USERNAME' && e.message.startsWith('Duplicate Username.<br>'));
  const row = (await admin.query(`SELECT Name, IsActive, UserType, Profile.Name FROM User WHERE Id = '${created.id}'`)).records[0];
  assert.equal(row.Name, 'New User');
  assert.equal(row.IsActive, true);
  assert.equal(row.Profile.Name, 'Standard User');
  // Like Salesforce, the new user has a UserLogin row and its profile's permission set assignment.
  assert.equal((await admin.query(`SELECT COUNT() FROM UserLogin WHERE UserId = '${created.id}'`)).totalSize, 1);
  assert.equal((await admin.query(`SELECT COUNT() FROM PermissionSetAssignment WHERE AssigneeId = '${created.id}'`)).totalSize, 1);
  await admin.sobject('User').update({ Id: created.id, IsActive: false, UserRoleId: ids.vpRole });
  const upd = (await admin.query(`SELECT IsActive, UserRole.Name FROM User WHERE Id = '${created.id}'`)).records[0];
  assert.equal(upd.IsActive, false);
  assert.equal(upd.UserRole.Name, 'VP Sales');
  await assert.rejects(admin.sobject('User').update({ Id: created.id, Name: 'Nope' }), errorCode('INVALID_FIELD_FOR_INSERT_UPDATE'));
});

test('sObject Collections: allOrNone rollback, per-item errors, 200-record cap', async () => {
  const url = `${emu.url}/services/data/v60.0/composite/sobjects`;
  const headers = { Authorization: `Bearer ${admin.accessToken}`, 'Content-Type': 'application/json' };
  const rec = (ps) => ({ attributes: { type: 'PermissionSetAssignment' }, AssigneeId: ids.limited, PermissionSetId: ps });
  const before = (await emu.records('PermissionSetAssignment')).length;
  const r1 = await (await fetch(url, { method: 'POST', headers, body: JSON.stringify({ allOrNone: true, records: [rec(ids.salesOps), rec('0PS000000000000AAA')] }) })).json();
  assert.equal(r1[0].success, false);
  assert.equal(r1[0].errors[0].statusCode, 'ALL_OR_NONE_OPERATION_ROLLED_BACK');
  assert.equal(r1[1].errors[0].statusCode, 'INVALID_CROSS_REFERENCE_KEY');
  assert.equal((await emu.records('PermissionSetAssignment')).length, before, 'rolled back');
  const r2 = await admin.sobject('PermissionSetAssignment').create([
    { AssigneeId: ids.limited, PermissionSetId: ids.salesOps },
    { AssigneeId: ids.limited, PermissionSetId: ids.salesOps }], { allOrNone: false });
  assert.equal(r2[0].success, true);
  assert.equal(r2[1].success, false);
  assert.equal(r2[1].errors[0].statusCode, 'DUPLICATE_VALUE');
  const d = await admin.sobject('PermissionSetAssignment').destroy([r2[0].id, r2[0].id]);
  assert.equal(d[0].success, true);
  assert.equal(d[1].errors[0].statusCode, 'ENTITY_IS_DELETED');
  const many = Array.from({ length: 201 }, () => rec(ids.salesOps));
  const r3 = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ records: many }) });
  assert.equal(r3.status, 400);
});

test('permission checks: no API access, no Manage Users, no Manage Groups / Roles', async () => {
  // OAuth still issues a token to the user without API access; every REST call is refused.
  const noapi = new jsforce.Connection({ instanceUrl: emu.url, accessToken: await h.refreshLogin(emu.url, 'rt-conf-noapi'), version: '60.0' });
  await assert.rejects(noapi.query('SELECT Id FROM Group'),
    (e) => e.errorCode === 'FUNCTIONALITY_NOT_ENABLED' && e.message === 'This feature is not currently enabled for this user.');
  const limited = new jsforce.Connection({ loginUrl: emu.url, version: '60.0' });
  await limited.login('limited@conf.example', 'pwtok');
  for (const o of ['User', 'UserLogin', 'PermissionSetAssignment', 'ConnectedApplication', 'SetupEntityAccess']) {
    await assert.rejects(limited.query(`SELECT Id FROM ${o}`),
      (e) => e.errorCode === 'INSUFFICIENT_ACCESS' && e.message === 'insufficient access rights on cross-reference id', o);
  }
  // Semi-joins into a protected object are checked too.
  await assert.rejects(limited.query('SELECT Id FROM Group WHERE Id IN (SELECT GroupId FROM GroupMember WHERE UserOrGroupId IN (SELECT AssigneeId FROM PermissionSetAssignment))'));
  assert.equal((await limited.query('SELECT COUNT() FROM Group')).totalSize, 9);
  await assert.rejects(limited.sobject('GroupMember').create({ GroupId: ids.salesTeam, UserOrGroupId: ids.limited }), errorCode('INSUFFICIENT_ACCESS'));
  await assert.rejects(limited.sobject('PermissionSetAssignment').create({ AssigneeId: ids.limited, PermissionSetId: ids.salesOps }), errorCode('INSUFFICIENT_ACCESS'));
  // ManageUsers without ManageRoles: a role change is refused, other updates pass.
  const np = new jsforce.Connection({ loginUrl: emu.url, version: '60.0' });
  await np.login('notapproved@conf.example', 'pwtok');
  await np.sobject('User').update({ Id: ids.jdoe, Title: 'Lead' });
  await assert.rejects(np.sobject('User').update({ Id: ids.jdoe, UserRoleId: null }), errorCode('INSUFFICIENT_ACCESS'));
});
