'use strict';
// Logins as a real client does them: jsforce SOAP login, OAuth grants through jsforce's OAuth2
// (refresh_token, client_credentials, jwt-bearer, authorization_code + PKCE), and the raw
// endpoints' shapes and errors.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const http = require('node:http');
const jsforce = require('jsforce');
const h = require('./helpers');
const { to18 } = require('../lib/ids');

const ORG15 = '00D5eC000000001';
const ORG18 = to18(ORG15);

let emu;
before(async () => { emu = await h.startEmulator(h.conformanceOrg()); });
after(async () => { await emu.stop(); });

const conn = (extra = {}) => new jsforce.Connection({ loginUrl: emu.url, version: '60.0', ...extra });
const oauth2 = (extra = {}) => new jsforce.OAuth2({ loginUrl: emu.url, clientId: 'cid', clientSecret: 'secret', ...extra });

async function tokenCall(params, headers = {}) {
  const r = await fetch(`${emu.url}/services/oauth2/token`, { method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(params) });
  return { status: r.status, body: await r.json() };
}

test('SOAP login with password + security token through jsforce, then a REST query', async () => {
  const c = conn();
  const info = await c.login('admin@conf.example', 'pwtok');
  assert.match(info.id, /^005[A-Za-z0-9]{15}$/);
  assert.equal(info.organizationId, ORG18);
  assert.equal(c.instanceUrl, emu.url);
  const r = await c.query("SELECT Id, Username FROM User WHERE Username = 'admin@conf.example'");
  assert.equal(r.totalSize, 1);
  assert.equal(r.records[0].Id, info.id);
});

test('SOAP login faults: wrong password, missing token, API disabled, version ≥ 65', async () => {
  await assert.rejects(conn().login('admin@conf.example', 'wrongtok'), /^Error: INVALID_LOGIN: Invalid username, password, security token; or user locked out\.$/);
  await assert.rejects(conn().login('nobody@conf.example', 'pwtok'), /INVALID_LOGIN/);
  await assert.rejects(conn().login('admin@conf.example', 'pw'), /LOGIN_MUST_USE_SECURITY_TOKEN/);
  await assert.rejects(conn().login('noapi@conf.example', 'pwtok'), /API_CURRENTLY_DISABLED: API is disabled for this User/);
  await assert.rejects(conn({ version: '65.0' }).login('admin@conf.example', 'pwtok'), /UNSUPPORTED_API_VERSION/);
  // Raw shape: HTTP 500, sf:exceptionCode in the detail.
  const r = await fetch(`${emu.url}/services/Soap/u/60.0`, { method: 'POST', headers: { 'Content-Type': 'text/xml' },
    body: '<Envelope><Body><login><username>admin@conf.example</username><password>x</password></login></Body></Envelope>' });
  assert.equal(r.status, 500);
  const text = await r.text();
  assert.match(text, /<faultcode>sf:INVALID_LOGIN<\/faultcode>/);
  assert.match(text, /<sf:exceptionCode>INVALID_LOGIN<\/sf:exceptionCode>/);
});

test('SOAP login decodes XML entities in the password', async () => {
  const r = await fetch(`${emu.url}/services/Soap/u/64.0`, { method: 'POST', headers: { 'Content-Type': 'text/xml' },
    body: '<e:Envelope xmlns:e="x"><e:Body><p:login xmlns:p="urn:partner.soap.sforce.com"><p:username>admin@conf.example</p:username>' +
      '<p:password>&#112;w&#x74;ok</p:password></p:login></e:Body></e:Envelope>' });
  assert.equal(r.status, 200);
  const text = await r.text();
  assert.match(text, new RegExp(`<serverUrl>${emu.url}/services/Soap/u/64.0/${ORG15}</serverUrl>`));
  assert.match(text, new RegExp(`<metadataServerUrl>${emu.url}/services/Soap/m/64.0/${ORG15}</metadataServerUrl>`));
});

test('OAuth refresh_token grant through jsforce, token response shape', async () => {
  const res = await oauth2().refreshToken('rt-conf-admin');
  assert.equal(typeof res.issued_at, 'string');
  assert.match(res.issued_at, /^\d{13}$/);
  assert.equal(res.instance_url, emu.url);
  assert.equal(res.token_type, 'Bearer');
  assert.equal(res.refresh_token, undefined);
  assert.match(res.id, new RegExp(`^${emu.url}/id/${ORG18}/005[A-Za-z0-9]{15}$`));
  const sig = crypto.createHmac('sha256', 'secret').update(res.id + res.issued_at).digest('base64');
  assert.equal(res.signature, sig);
  const c = new jsforce.Connection({ instanceUrl: res.instance_url, accessToken: res.access_token, version: '60.0' });
  const q = await c.query('SELECT COUNT() FROM User');
  assert.equal(q.totalSize, 7);
  await assert.rejects(oauth2().refreshToken('no-such-token'), (e) => e.name === 'invalid_grant' && e.message === 'expired access/refresh token');
  await assert.rejects(oauth2({ clientId: 'nope' }).refreshToken('rt-conf-admin'), (e) => e.name === 'invalid_client_id');
  await assert.rejects(oauth2({ clientSecret: 'bad' }).refreshToken('rt-conf-admin'), (e) => e.name === 'invalid_client');
});

test('OAuth client_credentials grant on the My Domain host only', async () => {
  const res = await oauth2().requestToken({ grant_type: 'client_credentials' });
  assert.ok(res.access_token);
  // The identity URL of the token names the run-as user.
  const id = await (await fetch(res.id, { headers: { Authorization: `Bearer ${res.access_token}` } })).json();
  assert.equal(id.username, 'admin@conf.example');
  const generic = await tokenCall({ grant_type: 'client_credentials', client_id: 'cid', client_secret: 'secret' }, { 'X-Emulator-Login-Host': '1' });
  assert.deepEqual(generic, { status: 400, body: { error: 'invalid_grant', error_description: 'request not supported on this domain' } });
  // fetch cannot set Host; node:http can.
  const hostLogin = await new Promise((resolve, reject) => {
    const req = http.request(`${emu.url}/services/oauth2/token`, { method: 'POST', headers: { Host: 'login.salesforce.com',
      'Content-Type': 'application/x-www-form-urlencoded' } }, (res) => {
      let b = '';
      res.on('data', (d) => { b += d; });
      res.on('end', () => resolve(JSON.parse(b)));
    });
    req.on('error', reject);
    req.end('grant_type=client_credentials&client_id=cid&client_secret=secret');
  });
  assert.equal(hostLogin.error_description, 'request not supported on this domain');
  const noRunAs = await tokenCall({ grant_type: 'client_credentials', client_id: 'cid-norunas', client_secret: 'secret2' });
  assert.deepEqual(noRunAs.body, { error: 'invalid_grant', error_description: 'no client credentials user enabled' });
  const badSecret = await tokenCall({ grant_type: 'client_credentials', client_id: 'cid', client_secret: 'nope' });
  assert.deepEqual(badSecret.body, { error: 'invalid_client', error_description: 'invalid client credentials' });
  const unsupported = await tokenCall({ grant_type: 'magic', client_id: 'cid' });
  assert.deepEqual(unsupported.body, { error: 'unsupported_grant_type', error_description: 'grant type not supported' });
});

test('OAuth JWT bearer grant: signature, iss, sub, aud, exp, pre-approval', async () => {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: 'cid', sub: 'admin@conf.example', aud: 'https://login.salesforce.com', exp: now + 120 };
  const grant = (c, key) => oauth2({ clientSecret: undefined }).requestToken({
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: h.jwtAssertion(c, key) });
  const res = await grant(claims);
  assert.ok(res.access_token);
  assert.equal(res.refresh_token, undefined);
  await grant({ ...claims, aud: emu.url }); // the emulator's own base URL is a valid audience
  const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  await assert.rejects(grant(claims, other), (e) => e.name === 'invalid_grant');
  await assert.rejects(grant({ ...claims, iss: 'nope' }), (e) => e.name === 'invalid_client_id');
  await assert.rejects(grant({ ...claims, aud: 'https://evil.example' }), (e) => e.name === 'invalid_grant' && /audience/.test(e.message));
  await assert.rejects(grant({ ...claims, exp: now - 600 }), (e) => e.name === 'invalid_grant');
  await assert.rejects(grant({ ...claims, exp: now + 3600 }), (e) => e.name === 'invalid_grant');
  await assert.rejects(grant({ ...claims, sub: 'nobody@conf.example' }), (e) => e.name === 'invalid_grant' && e.message === 'authentication failure');
  await assert.rejects(grant({ ...claims, sub: 'notapproved@conf.example' }),
    (e) => e.name === 'invalid_grant' && e.message === "user hasn't approved this consumer");
});

test('OAuth authorization_code with PKCE through jsforce (loopback redirect on a random port)', async () => {
  const redirectUri = 'http://127.0.0.1:53682/callback'; // registered as http://127.0.0.1/callback
  const o = new jsforce.OAuth2({ loginUrl: emu.url, clientId: 'cid', redirectUri, useVerifier: true });
  const authUrl = o.getAuthorizationUrl({ state: 'xyz', scope: 'api refresh_token' });
  const r = await fetch(authUrl, { redirect: 'manual' });
  assert.equal(r.status, 302);
  const loc = new URL(r.headers.get('location'));
  assert.equal(`${loc.origin}${loc.pathname}`, 'http://127.0.0.1:53682/callback');
  assert.equal(loc.searchParams.get('state'), 'xyz');
  const code = loc.searchParams.get('code');
  const c = new jsforce.Connection({ oauth2: o, version: '60.0' });
  const info = await c.authorize(code);
  assert.match(info.id, /^005/);
  assert.ok(c.refreshToken, 'authorization_code issues a refresh token');
  assert.equal((await c.query('SELECT COUNT() FROM Group')).totalSize, 9);
  // The code is single use; a wrong verifier or redirect_uri fails.
  await assert.rejects(o.requestToken(code), (e) => e.name === 'invalid_grant');
  const r2 = await fetch(authUrl, { redirect: 'manual' });
  const code2 = new URL(r2.headers.get('location')).searchParams.get('code');
  const bad = await tokenCall({ grant_type: 'authorization_code', code: code2, client_id: 'cid', redirect_uri: redirectUri, code_verifier: 'wrong' });
  assert.deepEqual(bad.body, { error: 'invalid_grant', error_description: 'invalid code verifier' });
  // The refresh token from the code flow works with jsforce's refresh.
  const refreshed = await new jsforce.OAuth2({ loginUrl: emu.url, clientId: 'cid' }).refreshToken(c.refreshToken);
  assert.ok(refreshed.access_token);
  // Unregistered redirect URIs are refused before any redirect.
  const mismatch = await fetch(`${emu.url}/services/oauth2/authorize?response_type=code&client_id=cid&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`, { redirect: 'manual' });
  assert.equal(mismatch.status, 400);
  assert.equal((await mismatch.json()).error, 'redirect_uri_mismatch');
});

test('login_hint picks the approving user; userinfo and revoke', async () => {
  const r = await fetch(`${emu.url}/services/oauth2/authorize?response_type=code&client_id=cid&login_hint=limited%40conf.example` +
    `&redirect_uri=${encodeURIComponent('https://app.example/oauth/callback')}`, { redirect: 'manual' });
  const code = new URL(r.headers.get('location')).searchParams.get('code');
  const tok = await tokenCall({ grant_type: 'authorization_code', code, client_id: 'cid', client_secret: 'secret',
    redirect_uri: 'https://app.example/oauth/callback' });
  assert.equal(tok.status, 200);
  const ui = await fetch(`${emu.url}/services/oauth2/userinfo`, { headers: { Authorization: `Bearer ${tok.body.access_token}` } });
  const info = await ui.json();
  assert.equal(info.preferred_username, 'limited@conf.example');
  assert.equal(info.organization_id, ORG18);
  // Revoking the refresh token revokes its access tokens too.
  const rv = await fetch(`${emu.url}/services/oauth2/revoke`, { method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: tok.body.refresh_token }) });
  assert.equal(rv.status, 200);
  const after = await fetch(`${emu.url}/services/data/v60.0/limits`, { headers: { Authorization: `Bearer ${tok.body.access_token}` } });
  assert.equal(after.status, 401);
  const again = await fetch(`${emu.url}/services/oauth2/revoke`, { method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: tok.body.refresh_token }) });
  assert.equal(again.status, 400);
});

test('token calls and SOAP logins are not API requests', async () => {
  await emu.reset();
  await oauth2().refreshToken('rt-conf-admin');
  await h.soapLogin(emu.url, 'admin@conf.example', 'pwtok');
  const s = await emu.stats();
  assert.equal(s.requests, 2);
  assert.equal(s.api_requests, 0);
});
