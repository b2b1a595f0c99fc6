'use strict';
// OAuth 2.0 endpoints (lib/salesforce/SALESFORCE-API.md §3.2–3.4): /services/oauth2/token (refresh_token,
// client_credentials, jwt-bearer, authorization_code + PKCE), /authorize (auto-approves),
// /revoke, /userinfo, and the identity URL /id/ORG/USER. Token calls are not API calls: they
// are not counted against the daily limit.
const crypto = require('node:crypto');
const { send, json, readBody } = require('./http');
const auth = require('./authcommon');

const JWT_MAX_AHEAD_S = 180; // exp at most 3 minutes in the future...
const JWT_SKEW_S = 30;       // ...plus a little clock skew either way
const GENERIC_LOGIN_HOSTS = ['login.salesforce.com', 'test.salesforce.com'];

class OAuthError extends Error {
  constructor(error, description, status = 400) { super(description); this.error = error; this.status = status; }
}
const grantError = (d) => new OAuthError('invalid_grant', d);

function b64url(buf) { return Buffer.from(buf).toString('base64url'); }

/**
 * Is this request addressed to the generic login host rather than the org's My Domain?
 * Rule (README): a Host of login/test.salesforce.com, or the header X-Emulator-Login-Host: 1.
 * Plain 127.0.0.1:PORT / localhost:PORT counts as the My Domain host.
 */
function onGenericLoginHost(req) {
  if (req.headers['x-emulator-login-host'] === '1') return true;
  const host = String(req.headers.host || '').replace(/:\d+$/, '').toLowerCase();
  return GENERIC_LOGIN_HOSTS.includes(host);
}

function isLoopback(u) {
  return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
}

/**
 * Does `given` match a registered redirect URI? Exact match, or — for loopback http URIs, as
 * desktop apps listen on a random port — same host and path with any port.
 */
function redirectAllowed(client, given) {
  let g;
  try { g = new URL(given); } catch { return false; }
  for (const r of client.redirect_uris || []) {
    if (r === given) return true;
    let u;
    try { u = new URL(r); } catch { continue; }
    if (isLoopback(u) && isLoopback(g) && u.hostname === g.hostname && u.pathname === g.pathname) return true;
  }
  return false;
}

function approved(client, username) {
  if (!Array.isArray(client.approved_users)) return true; // absent: every user is pre-authorised
  return client.approved_users.some((u) => String(u).toLowerCase() === String(username).toLowerCase());
}

function tokenResponse(emu, client, w, withRefresh) {
  const base = emu.baseUrl();
  const issuedAt = String(Date.now());
  const id = `${base}/id/${emu.store.org.Id}/${w.userId}`;
  const refresh = withRefresh ? emu.sessions.newRefresh(w.username, client.client_id) : null;
  const out = { access_token: emu.sessions.newAccess(w.username, client.client_id, refresh) };
  if (refresh) out.refresh_token = refresh;
  out.signature = crypto.createHmac('sha256', String(client.client_secret || '')).update(id + issuedAt).digest('base64');
  out.scope = withRefresh ? 'refresh_token api' : 'api';
  out.instance_url = base;
  out.id = id;
  out.token_type = 'Bearer';
  out.issued_at = issuedAt;
  return out;
}

function clientFrom(emu, params, req) {
  let id = params.get('client_id');
  let secret = params.get('client_secret');
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization || '');
  if (basic) {
    const [u, p] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    id = id || decodeURIComponent(u || '');
    secret = secret || decodeURIComponent(p || '');
  }
  if (!id) throw new OAuthError('invalid_client_id', 'client identifier invalid');
  const client = emu.store.client(id);
  if (!client) throw new OAuthError('invalid_client_id', 'client identifier invalid');
  if (secret !== null && secret !== undefined && secret !== '' && !auth.safeEqual(secret, client.client_secret ?? '')) {
    throw new OAuthError('invalid_client', 'invalid client credentials');
  }
  return { client, secretGiven: !!secret };
}

function activeUser(emu, username) {
  const w = auth.who(emu.store, username);
  if (!w) throw grantError('authentication failure');
  if (w.blocked === 'inactive') throw grantError('inactive user');
  if (w.blocked) throw grantError('authentication failure');
  return w;
}

function grantRefresh(emu, params, req) {
  const { client } = clientFrom(emu, params, req);
  const rt = emu.sessions.refresh.get(params.get('refresh_token') || '');
  if (!rt || rt.clientId !== client.client_id) throw grantError('expired access/refresh token');
  const w = activeUser(emu, rt.username);
  const out = tokenResponse(emu, client, w, false);
  emu.sessions.access.get(out.access_token).refresh = params.get('refresh_token');
  return out;
}

function grantClientCredentials(emu, params, req) {
  if (onGenericLoginHost(req)) throw grantError('request not supported on this domain');
  const { client, secretGiven } = clientFrom(emu, params, req);
  if (!secretGiven) throw new OAuthError('invalid_client', 'invalid client credentials');
  if (!client.run_as) throw grantError('no client credentials user enabled');
  return tokenResponse(emu, client, activeUser(emu, client.run_as), false);
}

function grantJwt(emu, params) {
  const assertion = params.get('assertion') || '';
  const parts = assertion.split('.');
  if (parts.length !== 3) throw grantError('invalid assertion');
  let header;
  let claims;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch { throw grantError('invalid assertion'); }
  if (!header || header.alg !== 'RS256') throw grantError('invalid assertion');
  const client = emu.store.client(claims.iss);
  if (!client) throw new OAuthError('invalid_client_id', 'client identifier invalid');
  let ok = false;
  try {
    ok = !!client.jwt_public_key_pem && crypto.verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`),
      client.jwt_public_key_pem, Buffer.from(parts[2], 'base64url'));
  } catch { ok = false; }
  if (!ok) throw grantError('invalid signature');
  const base = emu.baseUrl();
  const audiences = ['https://login.salesforce.com', 'https://test.salesforce.com', base,
    `https://${emu.store.org.my_domain}.my.salesforce.com`];
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.some((a) => audiences.includes(String(a).replace(/\/$/, '')))) throw grantError('audience is invalid');
  const now = Date.now() / 1000;
  if (typeof claims.exp !== 'number' || claims.exp < now - JWT_SKEW_S) throw grantError('expired authorization code');
  if (claims.exp > now + JWT_MAX_AHEAD_S + JWT_SKEW_S) throw grantError('invalid assertion');
  const w = activeUser(emu, claims.sub);
  if (!approved(client, w.username)) throw grantError("user hasn't approved this consumer");
  return tokenResponse(emu, client, w, false);
}

function grantCode(emu, params, req) {
  const { client } = clientFrom(emu, params, req);
  const code = params.get('code') || '';
  const c = emu.sessions.codes.get(code);
  if (!c || c.clientId !== client.client_id) throw grantError('invalid authorization code');
  emu.sessions.codes.delete(code); // single use
  if (Date.now() > c.expires) throw grantError('expired authorization code');
  if ((params.get('redirect_uri') || '') !== c.redirectUri) throw grantError('redirect_uri must match configuration');
  if (c.challenge) {
    const verifier = params.get('code_verifier');
    if (!verifier) throw grantError('invalid code verifier');
    const digest = b64url(crypto.createHash('sha256').update(verifier).digest());
    if (digest !== c.challenge.replace(/=+$/, '')) throw grantError('invalid code verifier');
  }
  return tokenResponse(emu, client, activeUser(emu, c.username), true);
}

async function token(emu, req, res) {
  if (req.method !== 'POST') throw new OAuthError('invalid_request', 'must use HTTP POST');
  const params = new URLSearchParams((await readBody(req, 1024 * 1024)).toString('utf8'));
  const grant = params.get('grant_type');
  let out;
  if (grant === 'refresh_token') out = grantRefresh(emu, params, req);
  else if (grant === 'client_credentials') out = grantClientCredentials(emu, params, req);
  else if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') out = grantJwt(emu, params);
  else if (grant === 'authorization_code') out = grantCode(emu, params, req);
  else throw new OAuthError('unsupported_grant_type', 'grant type not supported');
  json(req, res, 200, out);
}

/** GET /services/oauth2/authorize: no login page; approves as login_hint or the client's run_as user. */
function authorize(emu, req, res, url) {
  const p = url.searchParams;
  const client = emu.store.client(p.get('client_id') || '');
  if (!client) throw new OAuthError('invalid_client_id', 'client identifier invalid');
  const redirectUri = p.get('redirect_uri') || '';
  if (!redirectAllowed(client, redirectUri)) throw new OAuthError('redirect_uri_mismatch', 'redirect_uri must match configuration');
  const target = new URL(redirectUri);
  const state = p.get('state');
  const redirectWith = (params) => {
    for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
    if (state !== null) target.searchParams.set('state', state);
    send(req, res, 302, { Location: target.toString() }, '');
  };
  if (p.get('response_type') !== 'code') {
    return redirectWith({ error: 'unsupported_response_type', error_description: 'response type not supported' });
  }
  const method = p.get('code_challenge_method');
  if (method && method !== 'S256') return redirectWith({ error: 'invalid_request', error_description: 'invalid code challenge method' });
  const username = p.get('login_hint') || client.run_as;
  const w = username ? auth.who(emu.store, username) : null;
  if (!w || w.blocked) return redirectWith({ error: 'access_denied', error_description: 'end-user denied authorization' });
  const code = emu.sessions.newCode({ clientId: client.client_id, username: w.username, redirectUri,
    challenge: p.get('code_challenge') || null });
  redirectWith({ code });
}

async function revoke(emu, req, res, url) {
  let tok = url.searchParams.get('token');
  if (req.method === 'POST') {
    const params = new URLSearchParams((await readBody(req, 1024 * 1024)).toString('utf8'));
    tok = params.get('token') || tok;
  }
  if (!tok || !emu.sessions.revoke(tok)) throw new OAuthError('invalid_token', 'invalid token');
  send(req, res, 200, {}, '');
}

function bearer(emu, req, url) {
  const m = /^(Bearer|OAuth)\s+(\S+)$/i.exec(req.headers.authorization || '');
  const t = m ? m[2] : url.searchParams.get('oauth_token');
  const s = emu.sessions.lookup(t);
  return s ? auth.who(emu.store, s.username) : null;
}

function userinfo(emu, req, res, url) {
  const w = bearer(emu, req, url);
  if (!w) return send(req, res, 403, { 'Content-Type': 'text/plain' }, 'Bad_OAuth_Token');
  const u = w.record || {};
  const base = emu.baseUrl();
  json(req, res, 200, {
    sub: `${base}/id/${emu.store.org.Id}/${w.userId}`, user_id: w.userId, organization_id: emu.store.org.Id,
    preferred_username: w.username, nickname: u.Alias ?? w.username, name: u.Name ?? w.username,
    email: u.Email ?? w.username, email_verified: true, given_name: u.FirstName ?? null,
    family_name: u.LastName ?? null,
    zoneinfo: u.TimeZoneSidKey ?? 'America/Los_Angeles', active: u.IsActive !== false,
    user_type: String(u.UserType || 'Standard').toUpperCase(), language: u.LanguageLocaleKey ?? 'en_US',
    locale: u.LocaleSidKey ?? 'en_US', utcOffset: 0, updated_at: u.LastModifiedDate ?? null,
    urls: { rest: `${base}/services/data/v{version}/`, query: `${base}/services/data/v{version}/query/`,
      sobjects: `${base}/services/data/v{version}/sobjects/`, partner: `${base}/services/Soap/u/{version}/${emu.store.org.Id.slice(0, 15)}` },
  });
}

function identity(emu, req, res, url) {
  const w = bearer(emu, req, url);
  if (!w) return send(req, res, 403, { 'Content-Type': 'text/plain' }, 'Bad_OAuth_Token');
  const u = w.record || {};
  const base = emu.baseUrl();
  const v = url.searchParams.get('version') || '{version}';
  json(req, res, 200, {
    id: `${base}/id/${emu.store.org.Id}/${w.userId}`, asserted_user: true, user_id: w.userId,
    organization_id: emu.store.org.Id, username: w.username, nick_name: u.Alias ?? w.username,
    display_name: u.Name ?? w.username, email: u.Email ?? w.username, email_verified: true,
    first_name: u.FirstName ?? null, last_name: u.LastName ?? null, timezone: u.TimeZoneSidKey ?? 'America/Los_Angeles',
    active: u.IsActive !== false, user_type: String(u.UserType || 'Standard').toUpperCase(),
    language: u.LanguageLocaleKey ?? 'en_US', locale: u.LocaleSidKey ?? 'en_US', utcOffset: 0,
    urls: { rest: `${base}/services/data/v${v}/`, query: `${base}/services/data/v${v}/query/`,
      sobjects: `${base}/services/data/v${v}/sobjects/`, partner: `${base}/services/Soap/u/${v}/${emu.store.org.Id.slice(0, 15)}`,
      custom_domain: base },
  });
}

async function handle(emu, req, res, url) {
  try {
    const p = url.pathname.replace(/\/$/, '');
    if (p === '/services/oauth2/token') return await token(emu, req, res);
    if (p === '/services/oauth2/authorize') return authorize(emu, req, res, url);
    if (p === '/services/oauth2/revoke') return await revoke(emu, req, res, url);
    if (p === '/services/oauth2/userinfo') return userinfo(emu, req, res, url);
    if (/^\/id\/[A-Za-z0-9]{15,18}\/[A-Za-z0-9]{15,18}$/.test(p)) return identity(emu, req, res, url);
    send(req, res, 404, { 'Content-Type': 'text/plain' }, 'Not Found');
  } catch (e) {
    if (!(e instanceof OAuthError)) throw e;
    json(req, res, e.status, { error: e.error, error_description: e.message });
  }
}

module.exports = { handle, redirectAllowed };
