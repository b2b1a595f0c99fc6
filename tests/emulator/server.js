#!/usr/bin/env node
'use strict';
// Local emulator of the Salesforce APIs sfaccess talks to; what it serves is in README.md.
// Usage:
//   node server.js --org FILE [--port 0] [--port-file FILE] [--latency-ms N|MIN-MAX] [--batch-size N] [--api-limit N]
//                  [--tls-cert PEM --tls-key PEM] [--public-url URL]
const http = require('node:http');
const https = require('node:https');
const fs = require('node:fs');
const path = require('node:path');
const { Store } = require('./lib/store');
const { Sessions } = require('./lib/sessions');
const { Faults } = require('./lib/faults');
const { SfError } = require('./lib/errors');
const { json, send, sfError } = require('./lib/http');
const rest = require('./lib/rest');
const soap = require('./lib/soap');
const oauth = require('./lib/oauth');
const admin = require('./lib/admin');

const MAX_URI = 16384; // lib/salesforce/SALESFORCE-API.md §1.1: longer URIs → 414, URI + headers → 431

function usage(msg) {
  process.stderr.write(`${msg ? `error: ${msg}\n` : ''}usage: node server.js --org FILE [--port 0] [--port-file FILE] ` +
    '[--latency-ms N|MIN-MAX] [--batch-size N] [--api-limit N] [--tls-cert PEM --tls-key PEM] [--public-url URL]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { port: 0, latencyMs: 0, batchSize: 2000, apiLimit: null, org: null, portFile: null,
    tlsCert: null, tlsKey: null, publicUrl: null };
  const num = (name, v) => {
    if (v === undefined || !/^\d+$/.test(v)) usage(`${name} needs a non-negative integer`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    switch (a) {
      case '--org': if (!v) usage('--org needs a file'); o.org = v; i++; break;
      case '--port': o.port = num(a, v); i++; break;
      case '--port-file': if (!v) usage('--port-file needs a file'); o.portFile = v; i++; break;
      case '--latency-ms': {
        // N, or MIN-MAX: each request then sleeps a uniform draw from the seeded latency stream.
        const m = /^(\d+)(?:-(\d+))?$/.exec(v || '');
        if (!m || (m[2] !== undefined && Number(m[2]) < Number(m[1]))) usage('--latency-ms needs N or MIN-MAX (MIN <= MAX)');
        o.latencyMs = m[2] === undefined ? Number(m[1]) : [Number(m[1]), Number(m[2])];
        i++; break;
      }
      case '--batch-size': o.batchSize = num(a, v); if (o.batchSize < 1) usage('--batch-size must be >= 1'); i++; break;
      case '--api-limit': o.apiLimit = num(a, v); i++; break;
      case '--tls-cert': if (!v) usage('--tls-cert needs a PEM file'); o.tlsCert = v; i++; break;
      case '--tls-key': if (!v) usage('--tls-key needs a PEM file'); o.tlsKey = v; i++; break;
      case '--public-url':
        if (!/^https?:\/\/[^/?#\s]+$/.test(v || '')) usage('--public-url needs scheme://host[:port]');
        o.publicUrl = v; i++; break;
      case '-h': case '--help': usage();
      // eslint-disable-next-line no-fallthrough
      default: usage(`unknown argument ${a}`);
    }
  }
  if (!o.org) usage('--org is required');
  if (!o.tlsCert !== !o.tlsKey) usage('--tls-cert and --tls-key go together');
  return o;
}

/** Label of a request for /__admin/stats by_route: method + path with ids/versions generalised. */
function routeLabel(method, pathname) {
  const p = pathname
    .replace(/\/v\d+\.\d(?=\/|$)/, '/vNN.N')
    .replace(/\/Soap\/([a-z])\/\d+\.\d.*/, '/Soap/$1/NN.N')
    .replace(/\/(query|queryAll)\/01g[A-Za-z0-9]{15}-\d+$/, '/$1/{locator}')
    .replace(/\/jobs\/query\/[A-Za-z0-9]{15,18}/, '/jobs/query/{id}')
    .replace(/\/sobjects\/(\w+)\/[A-Za-z0-9]{15,18}$/, '/sobjects/$1/{id}')
    .replace(/^\/id\/.*/, '/id/{org}/{user}');
  return `${method} ${p}`;
}

/** Everything that /__admin/reset puts back: the dataset, sessions, cursors, jobs, faults, counters. */
class Emulator {
  constructor(opts) {
    this.opts = opts;
    this.port = 0;
    this.faults = new Faults();
    this.reset();
  }

  reset() {
    this.store = new Store(this.opts.org);
    this.sessions = new Sessions(this.store);
    this.faults.clear();
    this.stats = { requests: 0, api_requests: 0, by_route: {} };
    this.cursors = new Map();
    this.cursorSeq = 0;
    this.jobs = new Map();
    this.jobSeq = 0;
  }

  /** The URL clients are told to use (login serverUrl, OAuth instance_url): --public-url when
   *  the emulator sits behind a proxy under a Salesforce host name, else where it listens. */
  baseUrl() {
    if (this.opts.publicUrl) return this.opts.publicUrl;
    return `${this.opts.tlsCert ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  /** The daily limit: injected fault > --api-limit > dataset org.api_limit > 100,000 (Enterprise base). */
  apiLimit() {
    if (this.faults.cfg.api_limit !== null && this.faults.cfg.api_limit !== undefined) return this.faults.cfg.api_limit;
    if (this.opts.apiLimit !== null) return this.opts.apiLimit;
    if (Number.isInteger(this.store.org.api_limit)) return this.store.org.api_limit;
    return 100000;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function dispatch(emu, req, res) {
  const start = process.hrtime.bigint();
  let logged = false;
  let pathname = '?';
  const log = () => {
    if (logged) return;
    logged = true;
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    // Path only: query strings (OAuth codes, tokens, SOQL), bodies and headers are never logged.
    process.stderr.write(`${req.method} ${pathname} ${res.statusCode}${res.writableFinished ? '' : ' (cut)'} ${ms.toFixed(1)}ms\n`);
  };
  res.on('finish', log);
  res.on('close', log);

  let url;
  try {
    url = new URL(req.url, 'http://127.0.0.1');
    pathname = url.pathname;
  } catch {
    return send(req, res, 400, { 'Content-Type': 'text/plain' }, 'Bad Request');
  }
  if (pathname.startsWith('/__admin/')) return admin.handle(emu, req, res, url);

  emu.stats.requests++;
  const label = routeLabel(req.method, pathname);
  emu.stats.by_route[label] = (emu.stats.by_route[label] || 0) + 1;

  const latency = emu.faults.latency(emu.opts.latencyMs) + emu.faults.latency(emu.faults.cfg.latency_ms);
  if (latency > 0) await sleep(latency);

  if (req.url.length > MAX_URI) {
    return send(req, res, 414, { 'Content-Type': 'text/plain' }, 'URI Too Long');
  }
  let headerBytes = req.url.length;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    headerBytes += req.rawHeaders[i].length + req.rawHeaders[i + 1].length + 4;
  }
  if (headerBytes > MAX_URI) {
    return send(req, res, 431, { 'Content-Type': 'text/plain' }, 'Request Header Fields Too Large');
  }

  const draw = emu.faults.draw();
  if (draw.fail) {
    const status = emu.faults.cfg.fail_status || 503;
    const body = status === 500
      ? [{ message: 'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)', errorCode: 'UNKNOWN_EXCEPTION' }]
      : [{ message: 'Server Unavailable', errorCode: 'SERVER_UNAVAILABLE' }];
    return json(req, res, status, body);
  }
  if (draw.truncate) req.truncate = true;

  if (pathname === '/services/data' || pathname.startsWith('/services/data/')) return rest.handle(emu, req, res, url);
  if (pathname.startsWith('/services/Soap/')) return soap.handle(emu, req, res, url);
  if (pathname.startsWith('/services/oauth2/') || pathname.startsWith('/id/')) return oauth.handle(emu, req, res, url);
  throw new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  opts.org = path.resolve(opts.org);
  let emu;
  try {
    emu = new Emulator(opts);
  } catch (e) {
    process.stderr.write(`error: cannot load ${opts.org}: ${e.message}\n`);
    process.exit(1);
  }
  // Node's default 16 KiB header limit would answer 431 itself; raise it so the emulator decides.
  const serverOpts = { maxHeaderSize: 256 * 1024 };
  if (opts.tlsCert) {
    try {
      serverOpts.cert = fs.readFileSync(opts.tlsCert);
      serverOpts.key = fs.readFileSync(opts.tlsKey);
    } catch (e) {
      process.stderr.write(`error: cannot read the TLS certificate or key: ${e.message}\n`);
      process.exit(1);
    }
  }
  const server = (opts.tlsCert ? https : http).createServer(serverOpts, (req, res) => {
    dispatch(emu, req, res).catch((err) => {
      if (res.headersSent) { res.destroy(); return; }
      if (err instanceof SfError) return sfError(req, res, err);
      process.stderr.write(`internal error: ${err && err.stack ? err.stack : err}\n`);
      json(req, res, 500, [{ message: `An unexpected error occurred: ${err && err.message}`, errorCode: 'UNKNOWN_EXCEPTION' }]);
    });
  });
  server.keepAliveTimeout = 5000;
  server.listen(opts.port, '127.0.0.1', () => {
    emu.port = server.address().port;
    if (opts.portFile) {
      // Write then rename, so a reader polling the file never sees it half written.
      const tmp = `${opts.portFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, `${emu.port}\n`);
      fs.renameSync(tmp, opts.portFile);
    }
    process.stderr.write(`emulator listening on ${emu.baseUrl()} (org ${emu.store.org.Name}, ${emu.store.records.User.length} users)\n`);
  });
  server.on('error', (e) => { process.stderr.write(`error: ${e.message}\n`); process.exit(1); });
  const stop = (sig) => {
    process.stderr.write(`emulator: ${sig}, stopping\n`);
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  };
  // Test harnesses set SFEMU_EXIT_WITH_PARENT=1 and give the emulator a stdin pipe: when the
  // parent dies, even by SIGKILL, the pipe closes and the emulator does not linger as an orphan.
  if (process.env.SFEMU_EXIT_WITH_PARENT === '1') {
    const gone = () => { process.stderr.write('emulator: parent gone, exiting\n'); process.exit(0); };
    process.stdin.on('close', gone);
    process.stdin.on('end', gone);
    process.stdin.resume();
  }
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

if (require.main === module) main();

module.exports = { Emulator, routeLabel, parseArgs };
