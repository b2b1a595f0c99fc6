'use strict';
// Response helpers. Every response leaves through send(), which is where an injected
// "truncated body" fault cuts it: the headers announce the full Content-Length, half the body
// is written, then the socket is destroyed (what a client sees when a connection drops).
const { SfError } = require('./errors');

function send(req, res, status, headers, body) {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body === undefined || body === null ? '' : String(body), 'utf8');
  for (const [k, v] of Object.entries(headers || {})) res.setHeader(k, v);
  if (status !== 204 && status !== 304) res.setHeader('Content-Length', buf.length);
  res.statusCode = status;
  if (req.truncate && buf.length > 1) {
    res.flushHeaders();
    res.write(buf.subarray(0, Math.floor(buf.length / 2)), () => {
      res.socket && res.socket.destroy();
    });
    return;
  }
  res.end(status === 204 || status === 304 ? undefined : buf);
}

function json(req, res, status, obj, headers) {
  send(req, res, status, { 'Content-Type': 'application/json;charset=UTF-8', ...headers }, JSON.stringify(obj));
}

function sfError(req, res, err) {
  json(req, res, err.status, err.body());
}

/** Read the whole request body (bounded, so a runaway client cannot exhaust memory). */
function readBody(req, limit = 50 * 1024 * 1024) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let n = 0;
    req.on('data', (c) => {
      n += c.length;
      if (n > limit) { reject(new SfError(413, 'REQUEST_ENTITY_TOO_LARGE', 'Request entity too large')); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Parse a JSON request body; bad JSON → 400 JSON_PARSER_ERROR (Salesforce's Jackson-style text). */
function parseJson(buf) {
  const text = buf.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    // Find the first offending character for a Jackson-like message with line/column.
    let pos = 0;
    const m = /position (\d+)/.exec(e.message);
    if (m) pos = Number(m[1]);
    const before = text.slice(0, pos).split('\n');
    const ch = text[pos];
    const what = ch === undefined ? 'end-of-input'
      : `character ('${ch}' (code ${ch.charCodeAt(0)}))`;
    throw new SfError(400, 'JSON_PARSER_ERROR',
      `Unexpected ${what}: expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false') at [line:${before.length}, column:${before[before.length - 1].length + 1}]`);
  }
}

module.exports = { send, json, sfError, readBody, parseJson };
