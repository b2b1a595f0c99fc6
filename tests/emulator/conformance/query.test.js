'use strict';
// REST query as jsforce sees it over a generated 4,500-user org: paging with nextRecordsUrl,
// nested relationships and nulls, queryAll, semi-joins, batch sizes, locators, Bulk 2.0.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const jsforce = require('jsforce');
const h = require('./helpers');

let emu;
let org;
let conn;
before(async () => {
  org = h.generatedOrg(4500);
  emu = await h.startEmulator(org.file);
  conn = new jsforce.Connection({ loginUrl: emu.url, version: '62.0' });
  await conn.login(org.admin, 'pwtok');
});
after(async () => { await emu.stop(); });

async function raw(path, headers = {}) {
  const r = await fetch(emu.url + path, { headers: { Authorization: `Bearer ${conn.accessToken}`, ...headers } });
  return { status: r.status, headers: r.headers, body: await r.json() };
}

test('a query over 4,500 users with autoFetch returns every record, in more than one request', async () => {
  const before = await emu.stats();
  const res = await conn.query('SELECT Id, Username, Profile.Name, Profile.UserLicense.Name, UserRole.Name, Manager.Username, FederationIdentifier FROM User')
    .run({ autoFetch: true, maxFetch: 100000 });
  const after = await emu.stats();
  const all = await emu.records('User');
  assert.equal(res.totalSize, 4500);
  assert.equal(res.records.length, 4500);
  assert.equal(new Set(res.records.map((r) => r.Id)).size, 4500);
  assert.deepEqual(res.records.map((r) => r.Id), all.map((r) => r.Id));
  assert.ok(after.api_requests - before.api_requests >= 3, `expected ≥ 3 requests (2000 per page), got ${after.api_requests - before.api_requests}`);
  assert.ok(after.by_route['GET /services/data/vNN.N/query/{locator}'] >= 2);

  // Keys: attributes first, then SELECT order, canonical casing; nested relationships; nulls present.
  const admin = res.records.find((r) => r.Username === org.admin);
  assert.deepEqual(Object.keys(admin), ['attributes', 'Id', 'Username', 'Profile', 'UserRole', 'Manager', 'FederationIdentifier']);
  assert.equal(admin.attributes.type, 'User');
  assert.equal(admin.attributes.url, `/services/data/v62.0/sobjects/User/${admin.Id}`);
  assert.deepEqual(Object.keys(admin.Profile), ['attributes', 'Name', 'UserLicense']);
  assert.equal(admin.Profile.Name, 'System Administrator');
  assert.equal(admin.Profile.attributes.type, 'Profile');
  assert.equal(admin.Profile.UserLicense.Name, 'Salesforce');
  assert.equal(admin.Manager, null);
  assert.equal(admin.FederationIdentifier, null);
  const autoproc = res.records.find((r) => r.Username.startsWith('autoproc@'));
  assert.equal(autoproc.Profile, null, 'no profile: the whole relationship is null');
  const managed = res.records.find((r) => r.Manager !== null);
  assert.match(managed.Manager.Username, /@/);
});

test('SOQL casing does not change the keys; User.-prefixed paths work', async () => {
  const r = await conn.query(`select user.id, USERNAME, user.profile.userlicense.name from user where username = '${org.admin}'`);
  assert.deepEqual(Object.keys(r.records[0]), ['attributes', 'Id', 'Username', 'Profile']);
  assert.deepEqual(Object.keys(r.records[0].Profile), ['attributes', 'UserLicense']);
  assert.equal(r.records[0].Profile.UserLicense.Name, 'Salesforce');
});

test('polymorphic lookups resolve by key prefix', async () => {
  const r = await conn.query('SELECT Id, UserOrGroupId, UserOrGroup.Name, Group.Type FROM GroupMember').run({ autoFetch: true, maxFetch: 100000 });
  const toGroup = r.records.find((x) => x.UserOrGroupId.startsWith('00G'));
  const toUser = r.records.find((x) => x.UserOrGroupId.startsWith('005'));
  assert.equal(toGroup.UserOrGroup.attributes.type, 'Group');
  assert.equal(toUser.UserOrGroup.attributes.type, 'User');
  const rg = await conn.query("SELECT Id, Related.Name, RelatedId FROM Group WHERE Type = 'Role' LIMIT 1");
  assert.equal(rg.records[0].Related.attributes.type, 'UserRole');
  const org2 = await conn.query("SELECT Id, Related.Name FROM Group WHERE Type = 'Organization'");
  assert.equal(org2.records[0].Related, null);
});

test('WHERE operators, semi-joins, ORDER BY, LIMIT, OFFSET, COUNT()', async () => {
  const all = await emu.records('User');
  const active = all.filter((u) => u.IsActive).length;
  assert.equal((await conn.query('SELECT COUNT() FROM User WHERE IsActive = true')).totalSize, active);
  assert.equal((await conn.query('SELECT COUNT() FROM User WHERE IsActive != true')).totalSize, all.length - active);
  assert.equal((await conn.query('SELECT COUNT() FROM User WHERE NOT (IsActive = true)')).totalSize, all.length - active);
  const types = await conn.query("SELECT COUNT() FROM User WHERE UserType IN ('PowerPartner', 'CspLitePortal')");
  assert.equal(types.totalSize, all.filter((u) => ['PowerPartner', 'CspLitePortal'].includes(u.UserType)).length);
  const notIn = await conn.query("SELECT COUNT() FROM User WHERE UserType NOT IN ('Standard')");
  assert.equal(notIn.totalSize, all.filter((u) => u.UserType !== 'Standard').length);
  const like = await conn.query("SELECT Id, Username FROM User WHERE Username LIKE 'ADMIN@%'");
  assert.deepEqual(like.records.map((r) => r.Username), [org.admin]);
  const dates = await conn.query('SELECT COUNT() FROM User WHERE LastLoginDate < 2026-10-01T00:00:00Z OR LastLoginDate = null');
  assert.equal(dates.totalSize, all.filter((u) => !u.LastLoginDate || u.LastLoginDate < '2026-10-01').length);
  const ordered = await conn.query('SELECT Username FROM User ORDER BY Username DESC LIMIT 5 OFFSET 2');
  const expect = all.map((u) => u.Username).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? 1 : -1)).slice(2, 7);
  assert.deepEqual(ordered.records.map((r) => r.Username), expect);
  // Semi-join: users with a PSG assignment.
  const psa = await emu.records('PermissionSetAssignment');
  const withPsg = new Set(psa.filter((a) => a.PermissionSetGroupId).map((a) => a.AssigneeId));
  const semi = await conn.query('SELECT Id FROM User WHERE Id IN (SELECT AssigneeId FROM PermissionSetAssignment WHERE PermissionSetGroupId != null)')
    .run({ autoFetch: true, maxFetch: 100000 });
  assert.equal(semi.totalSize, withPsg.size);
  const real = await conn.query('SELECT COUNT() FROM PermissionSetAssignment WHERE PermissionSet.IsOwnedByProfile = false');
  const owned = new Set((await emu.records('PermissionSet')).filter((p) => p.IsOwnedByProfile).map((p) => p.Id));
  assert.equal(real.totalSize, psa.filter((a) => !owned.has(a.PermissionSetId)).length);
});

test('batch sizes, locators, queryAll with deleted rows', async () => {
  const first = await raw('/services/data/v62.0/query?q=SELECT+Id+FROM+PermissionSetAssignment', { 'Sforce-Query-Options': 'batchSize=500' });
  assert.equal(first.status, 200);
  assert.equal(first.body.records.length, 500);
  assert.equal(first.body.done, false);
  assert.match(first.body.nextRecordsUrl, /^\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]{15}-500$/);
  assert.match(first.headers.get('sforce-limit-info'), /^api-usage=\d+\/\d+$/);
  const second = await raw(first.body.nextRecordsUrl);
  assert.equal(second.body.records.length, 500);
  assert.equal(second.body.totalSize, first.body.totalSize);
  // A too-small batchSize is raised to 200.
  const small = await raw('/services/data/v62.0/query/?q=SELECT+Id+FROM+User', { 'Sforce-Query-Options': 'batchSize=10' });
  assert.equal(small.body.records.length, 200);
  const bad = await raw('/services/data/v62.0/query/01gXXXXXXXXXXXXXXX-2000');
  assert.equal(bad.status, 400);
  assert.equal(bad.body[0].errorCode, 'INVALID_QUERY_LOCATOR');

  const gm = (await emu.records('GroupMember'))[0];
  await emu.mutate([{ op: 'delete', object: 'GroupMember', id: gm.Id }]);
  const q = `SELECT Id, IsDeleted FROM GroupMember WHERE Id = '${gm.Id}'`;
  assert.equal((await conn.query(q)).totalSize, 0);
  const qa = await conn.query(q).scanAll(true); // jsforce's queryAll
  assert.equal(qa.totalSize, 1);
  assert.equal(qa.records[0].IsDeleted, true);
});

test('batch_size caps the page below the requested batchSize; jsforce still pages through everything', async () => {
  const psa = '/services/data/v62.0/query?q=SELECT+Id+FROM+PermissionSetAssignment';
  const size = async (path, batch) => (await raw(path, batch ? { 'Sforce-Query-Options': `batchSize=${batch}` } : {})).body;
  try {
    await emu.faults({ batch_size: 300 });
    const first = await size(psa, 2000); // what sfaccess asks for: the cap wins
    assert.equal(first.records.length, 300);
    assert.match(first.nextRecordsUrl, /-300$/);
    assert.equal((await size(first.nextRecordsUrl)).records.length, 300);
    assert.equal((await size(first.nextRecordsUrl, 500)).records.length, 300);
    assert.equal((await size(psa, 200)).records.length, 200, 'a request below the cap is served as asked');
    assert.equal((await size(psa)).records.length, 300);
    const before = (await emu.stats()).by_route['GET /services/data/vNN.N/query/{locator}'] || 0;
    const res = await conn.query('SELECT Id FROM User').run({ autoFetch: true, maxFetch: 100000 });
    assert.equal(res.records.length, 4500);
    assert.equal((await emu.stats()).by_route['GET /services/data/vNN.N/query/{locator}'] - before, 14);
  } finally {
    await emu.faults({ batch_size: null });
  }
  assert.equal((await size(psa, 2000)).records.length, 2000, 'off again: the requested size');
});

test('--batch-size caps pages even when the client asks for 2000; the batch_size fault replaces it', async () => {
  const small = await h.startEmulator(h.conformanceOrg(), ['--batch-size', '3']);
  try {
    const tok = await h.refreshLogin(small.url, 'rt-conf-admin');
    const get = async (path) => (await fetch(small.url + path, { headers: { Authorization: `Bearer ${tok}`,
      'Sforce-Query-Options': 'batchSize=2000' } })).json();
    const groups = '/services/data/v62.0/query?q=SELECT+Id+FROM+Group';
    const first = await get(groups);
    assert.equal(first.totalSize, 9);
    assert.equal(first.records.length, 3);
    const second = await get(first.nextRecordsUrl);
    assert.equal(second.records.length, 3);
    await small.faults({ batch_size: 2 });
    assert.equal((await get(groups)).records.length, 2);
    await small.faults({ batch_size: 0 }); // 0 (or null, or /__admin/reset): back to --batch-size
    assert.equal((await get(groups)).records.length, 3);
  } finally {
    await small.stop();
  }
});

test('Bulk 2.0 query of PermissionSetAssignment through jsforce returns the full count', async () => {
  const expected = (await emu.records('PermissionSetAssignment')).length;
  const rows = await (await conn.bulk2.query('SELECT Id, AssigneeId, PermissionSetId, PermissionSet.Name, ExpirationDate FROM PermissionSetAssignment',
    { pollInterval: 50, pollTimeout: 30000 })).toArray();
  assert.equal(rows.length, expected);
  assert.ok(rows.every((r) => /^0Pa/.test(r.Id)));
  assert.ok('PermissionSet.Name' in rows[0], 'dotted relationship header');
});

test('Bulk 2.0 wire format: states, 412 before completion, quoted CSV, locators', async () => {
  const auth = { Authorization: `Bearer ${conn.accessToken}`, 'Content-Type': 'application/json' };
  const base = `${emu.url}/services/data/v62.0/jobs/query`;
  const created = await (await fetch(base, { method: 'POST', headers: auth,
    body: JSON.stringify({ operation: 'query', query: 'SELECT Id, Username, IsActive, Manager.Username FROM User' }) })).json();
  assert.equal(created.state, 'UploadComplete');
  assert.equal(created.apiVersion, 62);
  assert.match(created.id, /^750[A-Za-z0-9]{15}$/);
  const early = await fetch(`${base}/${created.id}/results`, { headers: auth });
  assert.equal(early.status, 412);
  assert.equal((await early.json())[0].errorCode, 'JOB_NOT_COMPLETE');
  const states = [];
  for (let i = 0; i < 3; i++) states.push((await (await fetch(`${base}/${created.id}`, { headers: auth })).json()).state);
  assert.deepEqual(states, ['InProgress', 'JobComplete', 'JobComplete']);
  const p1 = await fetch(`${base}/${created.id}/results?maxRecords=3000`, { headers: auth });
  assert.equal(p1.headers.get('sforce-numberofrecords'), '3000');
  const loc = p1.headers.get('sforce-locator');
  assert.notEqual(loc, 'null');
  const lines = (await p1.text()).trimEnd().split('\n');
  assert.equal(lines[0], '"Id","Username","IsActive","Manager.Username"');
  assert.equal(lines.length, 3001);
  assert.match(lines[1], /^"005[A-Za-z0-9]{15}","[^"]+","(true|false)","[^"]*"$/);
  const p2 = await fetch(`${base}/${created.id}/results?maxRecords=3000&locator=${loc}`, { headers: auth });
  assert.equal(p2.headers.get('sforce-locator'), 'null');
  assert.equal(p2.headers.get('sforce-numberofrecords'), '1500');
  const unsupported = await fetch(base, { method: 'POST', headers: auth, body: JSON.stringify({ operation: 'query', query: 'SELECT COUNT() FROM User' }) });
  assert.equal(unsupported.status, 400);
});

test('a long URI answers 414', async () => {
  const ids = Array.from({ length: 1200 }, (_, i) => `'005000000000${String(i).padStart(3, '0')}AAA'`).join(',');
  const r = await fetch(`${emu.url}/services/data/v62.0/query?q=${encodeURIComponent(`SELECT Id FROM User WHERE Id IN (${ids})`)}`,
    { headers: { Authorization: `Bearer ${conn.accessToken}` } });
  assert.equal(r.status, 414);
});

// Evidence (EVIDENCE.md): the grouped user count, a page that leaves records out while
// totalSize stays true, and SetupAuditTrail, read-only and written by /__admin/mutate's audit.
test('GROUP BY with COUNT(Id) answers one AggregateResult per group, counts adding up', async () => {
  const res = await conn.query('SELECT IsActive, UserType, COUNT(Id) FROM User GROUP BY IsActive, UserType');
  const users = await emu.records('User');
  assert.ok(res.records.length >= 2);
  let sum = 0;
  for (const g of res.records) {
    assert.equal(g.attributes.type, 'AggregateResult');
    assert.deepEqual(Object.keys(g), ['attributes', 'IsActive', 'UserType', 'expr0']);
    const want = users.filter((u) => (u.IsActive !== false) === g.IsActive && u.UserType === g.UserType).length;
    assert.equal(g.expr0, want, `${g.IsActive} ${g.UserType}`);
    sum += g.expr0;
  }
  assert.equal(sum, users.length);
  await assert.rejects(conn.query('SELECT Username, COUNT(Id) FROM User GROUP BY IsActive'),
    (e) => e.errorCode === 'MALFORMED_QUERY' && /Field must be grouped or aggregated: Username/.test(e.message));
});

test('drop_records leaves records out of the next pages while totalSize stays true', async () => {
  await emu.faults({ drop_records: 3 });
  const page = await raw(`/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Profile')}`);
  await emu.faults({ drop_records: 0 });
  const all = await emu.records('Profile');
  assert.equal(page.body.totalSize, all.length);
  assert.equal(page.body.records.length, all.length - 3);
});

test('drop_records reaches Bulk 2.0 result pages; drop_records_api keeps REST pages whole', async () => {
  const expected = (await emu.records('PermissionSetAssignment')).length;
  await emu.faults({ drop_records: 2, drop_records_api: 'bulk' });
  const rest = await raw(`/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Profile')}`);
  assert.equal(rest.body.records.length, rest.body.totalSize, 'a REST page kept its records');
  const rows = await (await conn.bulk2.query('SELECT Id FROM PermissionSetAssignment',
    { pollInterval: 50, pollTimeout: 30000 })).toArray();
  await emu.faults({ drop_records: 0, drop_records_api: null });
  assert.equal(rows.length, expected - 2);
  const jobs = await (await fetch(`${emu.url}/services/data/v62.0/jobs/query`,
    { headers: { Authorization: `Bearer ${conn.accessToken}` } })).json();
  const info = jobs.records[jobs.records.length - 1];
  assert.equal(info.numberRecordsProcessed, expected, 'the job still counts every record');
});

test('insufficient_access refuses REST and Bulk queries of the named objects only', async () => {
  await emu.faults({ insufficient_access: ['SetupAuditTrail'] });
  try {
    await assert.rejects(conn.query('SELECT Id FROM SetupAuditTrail'), (e) => e.errorCode === 'INSUFFICIENT_ACCESS');
    const r = await fetch(`${emu.url}/services/data/v62.0/jobs/query`, { method: 'POST',
      headers: { Authorization: `Bearer ${conn.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ operation: 'query', query: 'SELECT Id FROM SetupAuditTrail' }) });
    assert.equal(r.status, 400);
    assert.equal((await r.json())[0].errorCode, 'INSUFFICIENT_ACCESS');
    assert.ok((await conn.query('SELECT Id FROM Profile')).totalSize > 0);
  } finally {
    await emu.faults({ insufficient_access: [] });
  }
  assert.equal((await conn.query('SELECT Id FROM SetupAuditTrail')).done, true);
});

test('SetupAuditTrail is read-only; an audit field on a mutation appends an entry', async () => {
  const admin = (await emu.records('User')).find((u) => u.Username === org.admin);
  await emu.mutate([{ op: 'update', object: 'User', id: admin.Id, fields: { Title: 'x' },
    audit: { action: 'changedtitle', section: 'Manage Users', display: 'Changed title', by: org.admin } }]);
  const res = await conn.query("SELECT Id, Action, Display, CreatedDate, CreatedBy.Username FROM SetupAuditTrail WHERE Action = 'changedtitle'");
  assert.equal(res.totalSize, 1);
  assert.match(res.records[0].Id, /^0Ym/);
  assert.equal(res.records[0].CreatedBy.Username, org.admin);
  assert.ok(Date.now() - Date.parse(res.records[0].CreatedDate.replace('+0000', 'Z')) < 60000);
  await assert.rejects(conn.sobject('SetupAuditTrail').create({ Action: 'x' }),
    (e) => e.errorCode === 'INVALID_TYPE_FOR_OPERATION');
});
