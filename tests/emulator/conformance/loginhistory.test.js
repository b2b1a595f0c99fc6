'use strict';
// LoginHistory (policy checks): generated behind --login-days only, read-only, and Status cannot
// be filtered on, as in Salesforce; LoginTime can, which is how sfaccess reads it incrementally.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const jsforce = require('jsforce');
const h = require('./helpers');

const GEN = path.join(h.EMU_DIR, 'generate.js');
const gen = (...args) => JSON.parse(execFileSync(process.execPath, [GEN, ...args], { maxBuffer: 1 << 30 }).toString('utf8'));

let emu;
let conn;
let data;
before(async () => {
  data = gen('--users', '200', '--login-days', '30');
  const f = h.tmpFile('logins.json');
  fs.writeFileSync(f, JSON.stringify(data));
  emu = await h.startEmulator(f);
  conn = new jsforce.Connection({ loginUrl: emu.url, version: '60.0' });
  await conn.login(data.auth.users[0].username, data.auth.users[0].password + data.auth.users[0].security_token);
});
after(async () => { await emu.stop(); });

test('generator: nothing without --login-days; one row per active user per login day on ~60% of days', () => {
  assert.equal(gen('--users', '200').records.LoginHistory, undefined);
  const rows = data.records.LoginHistory;
  const active = data.records.User.filter((u) => u.IsActive && !['AutomatedProcess', 'Guest'].includes(u.UserType));
  const perUserDay = new Set(rows.map((r) => `${r.UserId}/${r.LoginTime.slice(0, 10)}`));
  assert.equal(perUserDay.size, rows.length, 'one row per user and day');
  const share = rows.length / (active.length * 30);
  assert.ok(share > 0.55 && share < 0.65, `share of days ${share}`);
  assert.ok(rows.some((r) => r.Status !== 'Success'), 'some failed attempts');
  const ids = new Set(active.map((u) => u.Id));
  assert.ok(rows.every((r) => ids.has(r.UserId)));
});

test('a WHERE on Status is INVALID_FIELD; Status is selectable and LoginTime filterable', async () => {
  await assert.rejects(conn.query("SELECT Id FROM LoginHistory WHERE Status = 'Success'"),
    (e) => e.errorCode === 'INVALID_FIELD' && /can not be filtered/.test(e.message));
  const newest = data.records.LoginHistory.map((r) => r.LoginTime).sort().at(-1);
  const since = newest.replace('.000+0000', 'Z');
  const r = await conn.query(`SELECT Id, Status, LoginTime FROM LoginHistory WHERE LoginTime >= ${since} ORDER BY LoginTime`);
  assert.equal(r.totalSize, data.records.LoginHistory.filter((x) => x.LoginTime === newest).length);
  const d = await conn.sobject('LoginHistory').describe();
  assert.equal(d.fields.find((f) => f.name === 'Status').filterable, false);
});

test('writes answer INVALID_TYPE_FOR_OPERATION', async () => {
  const id = data.records.LoginHistory[0].Id;
  const post = await fetch(`${emu.url}/services/data/v60.0/sobjects/LoginHistory`, { method: 'POST',
    headers: { Authorization: `Bearer ${conn.accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ UserId: data.records.User[0].Id }) });
  assert.equal(post.status, 400);
  assert.equal((await post.json())[0].errorCode, 'INVALID_TYPE_FOR_OPERATION');
  const del = await fetch(`${emu.url}/services/data/v60.0/sobjects/LoginHistory/${id}`, { method: 'DELETE',
    headers: { Authorization: `Bearer ${conn.accessToken}` } });
  assert.equal(del.status, 400);
  assert.equal((await del.json())[0].errorCode, 'INVALID_TYPE_FOR_OPERATION');
});
