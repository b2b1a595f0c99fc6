'use strict';
// What SOAP login and the OAuth flows share: who a username is (auth user + User record + id),
// whether that user may log in at all, and the password + security token check.
const crypto = require('node:crypto');
const ids = require('./ids');

/** The id a user has: its User record's Id, else a stable id derived from the username. */
function userIdFor(store, username, record) {
  if (record) return record.Id;
  const n = crypto.createHash('sha256').update(String(username).toLowerCase()).digest().readUInt32BE(0);
  return ids.makeId('005', '7Au', n);
}

/** Resolve an auth user; null when unknown. Inactive, frozen or locked users cannot log in. */
function who(store, username) {
  const authUser = store.authUser(username);
  if (!authUser) return null;
  const record = store.userRecord(authUser.username);
  let blocked = null;
  if (record && record.IsActive === false) blocked = 'inactive';
  if (record) {
    const login = store.records.UserLogin.find((l) => !l.IsDeleted && l.UserId === record.Id);
    if (login && (login.IsFrozen || login.IsPasswordLocked)) blocked = 'locked';
  }
  const userId = userIdFor(store, authUser.username, record);
  return { authUser, record, username: authUser.username, userId, blocked };
}

function safeEqual(a, b) {
  const x = Buffer.from(String(a));
  const y = Buffer.from(String(b));
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** SOAP-style check: the password field holds password + security token, concatenated. */
function checkPassword(store, username, password) {
  const w = username ? who(store, username) : null;
  if (!w || password === null) return { error: 'INVALID_LOGIN' };
  const pw = String(w.authUser.password ?? '');
  const token = String(w.authUser.security_token ?? '');
  if (!safeEqual(password, pw + token)) {
    // Right password without the token: Salesforce's dedicated fault.
    if (token && safeEqual(password, pw)) return { error: 'LOGIN_MUST_USE_SECURITY_TOKEN' };
    return { error: 'INVALID_LOGIN' };
  }
  if (w.blocked) return { error: 'INVALID_LOGIN' };
  return w;
}

module.exports = { who, checkPassword, userIdFor, safeEqual };
