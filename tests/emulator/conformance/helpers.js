'use strict';
// Shared by the conformance tests: start an emulator child process on a free port, build
// datasets (the conformance fixture with a fresh JWT key, or a generated org), talk to the
// control endpoints.
const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const EMU_DIR = path.resolve(__dirname, '..');
const FIXTURE = path.resolve(EMU_DIR, '../../fixtures/orgs/conformance.json');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'sfemu-conf-'));
process.on('exit', () => fs.rmSync(TMP, { recursive: true, force: true }));

/** An RSA key pair for the JWT bearer flow (the public half goes into the dataset). */
const JWT_KEYS = crypto.generateKeyPairSync('rsa', { modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

let fileSeq = 0;
function tmpFile(name) { return path.join(TMP, `${++fileSeq}-${name}`); }

/** The conformance fixture with this run's JWT public key. */
function conformanceOrg() {
  const data = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
  data.auth.clients[0].jwt_public_key_pem = JWT_KEYS.publicKey;
  const f = tmpFile('conformance.json');
  fs.writeFileSync(f, JSON.stringify(data));
  return f;
}

/** A generated org (cached per size) with extra auth users: a limited one and one without API access. */
const generated = new Map();
function generatedOrg(users, seed = 7) {
  const key = `${users}/${seed}`;
  if (generated.has(key)) return generated.get(key);
  const json = execFileSync(process.execPath, [path.join(EMU_DIR, 'generate.js'), '--users', String(users), '--seed', String(seed)],
    { maxBuffer: 1 << 30 }).toString('utf8');
  const data = JSON.parse(json);
  const u = data.records.User;
  // Make two ordinary users into auth users for permission tests.
  const std = u.filter((x) => x.UserType === 'Standard' && x.IsActive && x.Username !== data.auth.users[0].username);
  data.auth.users.push({ username: std[0].Username, password: 'pw', security_token: 'tok', api_enabled: true, permissions: ['ViewSetup'] });
  data.auth.users.push({ username: std[1].Username, password: 'pw', security_token: 'tok', api_enabled: false, permissions: ['ManageUsers'] });
  data.auth.clients[0].jwt_public_key_pem = JWT_KEYS.publicKey;
  const f = tmpFile(`gen-${users}.json`);
  fs.writeFileSync(f, JSON.stringify(data));
  const out = { file: f, admin: data.auth.users[0].username, limited: std[0].Username, noapi: std[1].Username };
  generated.set(key, out);
  return out;
}

/** Start `node server.js` on port 0 and wait for its port file. */
async function startEmulator(orgFile, extraArgs = []) {
  const portFile = tmpFile('port');
  const proc = spawn(process.execPath, [path.join(EMU_DIR, 'server.js'), '--org', orgFile, '--port', '0', '--port-file', portFile, ...extraArgs],
    { stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, SFEMU_EXIT_WITH_PARENT: '1' } });
  const log = [];
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d) => { log.push(d); if (log.length > 2000) log.splice(0, 1000); });
  const deadline = Date.now() + 60000;
  while (!fs.existsSync(portFile)) {
    if (proc.exitCode !== null) throw new Error(`emulator exited: ${log.join('')}`);
    if (Date.now() > deadline) { proc.kill('SIGTERM'); throw new Error('emulator did not start'); }
    await new Promise((r) => setTimeout(r, 25));
  }
  const port = Number(fs.readFileSync(portFile, 'utf8').trim());
  const url = `http://127.0.0.1:${port}`;
  const adminCall = async (method, p, body) => {
    const r = await fetch(url + p, { method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' } });
    const j = await r.json();
    if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(j)}`);
    return j;
  };
  return {
    url, port, proc, log,
    stats: () => adminCall('GET', '/__admin/stats'),
    reset: () => adminCall('POST', '/__admin/reset', {}),
    faults: (b) => adminCall('POST', '/__admin/faults', b),
    mutate: (ops) => adminCall('POST', '/__admin/mutate', ops),
    records: (o) => adminCall('GET', `/__admin/records/${o}`),
    stop: () => new Promise((resolve) => {
      if (proc.exitCode !== null) return resolve(proc.exitCode);
      proc.once('exit', (code, sig) => resolve(code ?? sig));
      proc.kill('SIGTERM');
    }),
  };
}

/** SOAP login by hand (for the raw HTTP tests); returns the session id. */
async function soapLogin(url, username, password, version = '60.0') {
  const body = `<?xml version="1.0" encoding="utf-8"?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body>` +
    `<n1:login xmlns:n1="urn:partner.soap.sforce.com"><n1:username>${username}</n1:username><n1:password>${password}</n1:password>` +
    '</n1:login></env:Body></env:Envelope>';
  const r = await fetch(`${url}/services/Soap/u/${version}`, { method: 'POST', body, headers: { 'Content-Type': 'text/xml', SOAPAction: 'login' } });
  const text = await r.text();
  const m = /<sessionId>([^<]+)<\/sessionId>/.exec(text);
  if (!m) throw new Error(`login failed: ${r.status} ${text}`);
  return m[1];
}

/** An OAuth token through the refresh-token grant (pre-seeded refresh tokens in the datasets). */
async function refreshLogin(url, refreshToken) {
  const r = await fetch(`${url}/services/oauth2/token`, { method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'cid', client_secret: 'secret' }) });
  const j = await r.json();
  if (!r.ok) throw new Error(`refresh failed: ${JSON.stringify(j)}`);
  return j.access_token;
}

/** A signed RS256 JWT bearer assertion. */
function jwtAssertion(claims, key = JWT_KEYS.privateKey) {
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${enc({ alg: 'RS256' })}.${enc(claims)}`;
  const sig = crypto.sign('sha256', Buffer.from(input), key).toString('base64url');
  return `${input}.${sig}`;
}

module.exports = {
  EMU_DIR, TMP, JWT_KEYS, conformanceOrg, generatedOrg, startEmulator, soapLogin, refreshLogin, jwtAssertion, tmpFile,
};
