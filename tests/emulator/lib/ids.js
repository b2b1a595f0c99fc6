'use strict';
// Salesforce record ids: 3-char key prefix + 12 chars, plus a 3-char "case-safe" suffix
// that encodes which of the first 15 characters are upper case (so the 18-char form survives
// case-insensitive systems). Shared by the server and the generator.

const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function suffix15(id15) {
  let out = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    out += SUFFIX_CHARS[bits];
  }
  return out;
}

/** 15- or 18-char id → 18-char id (null when the input is not id-shaped). */
function to18(id) {
  if (typeof id !== 'string') return null;
  if (id.length === 18 && /^[a-zA-Z0-9]{18}$/.test(id)) return id;
  if (id.length === 15 && /^[a-zA-Z0-9]{15}$/.test(id)) return id + suffix15(id);
  return null;
}

function isValidId(id) {
  return typeof id === 'string' && /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(id);
}

function base62(n, width) {
  let s = '';
  while (n > 0) { s = BASE62[n % 62] + s; n = Math.floor(n / 62); }
  return s.padStart(width, '0');
}

/** Build an 18-char id from a key prefix, a 3-char "instance" marker and a counter. */
function makeId(prefix, instance, n) {
  const id15 = prefix + instance + base62(n, 15 - prefix.length - instance.length);
  return id15 + suffix15(id15);
}

module.exports = { to18, isValidId, makeId, suffix15, base62 };
