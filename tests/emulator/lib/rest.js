'use strict';
// REST API under /services/data/: versions, limits, query/queryAll with cursors, sObject
// resources, sObject Collections; Bulk 2.0 query jobs are delegated to bulk.js.
const { SfError, E } = require('./errors');
const { json, send, readBody, parseJson } = require('./http');
const { prepare } = require('./soql');
const writes = require('./writes');
const bulk = require('./bulk');
const ids = require('./ids');
const { mutate } = require('./admin');

const MIN_VERSION = 31;
const MAX_VERSION = 66;
const MAX_CURSORS = 500; // oldest cursors are dropped past this (their locators become invalid)

function versionLabel(v) {
  const k = Math.floor((MAX_VERSION - v) / 3);
  const r = (MAX_VERSION - v) % 3;
  const season = ['Spring', 'Winter', 'Summer'][r];
  const year = 26 - k - (r === 2 ? 1 : 0);
  return `${season} '${String(year).padStart(2, '0')}`;
}

function versions() {
  const out = [];
  for (let v = MIN_VERSION; v <= MAX_VERSION; v++) out.push({ label: versionLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
  return out;
}

// Objects whose query needs a permission (../README.md "Permission checks").
// ObjectPermissions and FieldPermissions need View Setup and Configuration, as in a real org.
const READ_PERMISSION = { User: 'ManageUsers', UserLogin: 'ManageUsers', PermissionSetAssignment: 'ManageUsers',
  ConnectedApplication: 'CustomizeApplication', SetupEntityAccess: 'CustomizeApplication',
  ObjectPermissions: 'ViewSetup', FieldPermissions: 'ViewSetup', LoginHistory: 'ManageUsers' };

function checkRead(authUser, objects) {
  for (const o of objects) {
    const p = READ_PERMISSION[o];
    if (p && !writes.hasPerm(authUser, p)) throw E.insufficient();
  }
}

/** Authenticate a REST/Bulk request; counts it against the API limit. */
function authenticate(emu, req, res) {
  const h = req.headers.authorization || '';
  const m = /^(Bearer|OAuth)\s+(\S+)$/i.exec(h);
  if (!m) throw E.session();
  if (emu.faults.sessionsExpireNow()) emu.sessions.expireAll();
  const session = emu.sessions.lookup(m[2]);
  if (!session) throw E.session();
  emu.stats.api_requests++;
  const limit = emu.apiLimit();
  res.setHeader('Sforce-Limit-Info', `api-usage=${emu.stats.api_requests}/${limit}`);
  if (emu.stats.api_requests > limit) throw E.limit();
  if (emu.store.org.api_enabled === false) throw E.orgDisabled();
  const authUser = emu.store.authUser(session.username);
  if (!authUser || authUser.api_enabled === false) throw E.notEnabled();
  return { session, authUser, username: session.username };
}

/** The page size the client asks for: Sforce-Query-Options batchSize (200..2000), else 2000. */
function requestedSize(req) {
  const h = req.headers['sforce-query-options'];
  const m = h && /batchSize\s*=\s*(\d+)/i.exec(h);
  return m ? Math.min(2000, Math.max(200, Number(m[1]))) : 2000;
}

/**
 * The page size actually served. Salesforce treats batchSize as a request it may shrink
 * ("records may be returned in batches smaller than requested"), so the emulator's cap (the
 * batch_size fault, else --batch-size) wins over the header: tests get many pages even though
 * the client asks for 2000. Some objects cap pages lower still (compiled.maxBatch).
 */
function servedSize(emu, requested, compiled) {
  let size = Math.min(requested, emu.faults.cfg.batch_size || emu.opts.batchSize || 2000);
  if (compiled.maxBatch) size = Math.min(size, compiled.maxBatch);
  return size;
}

/** One page of a result: O(page) work, projecting only the records of this page. */
function page(emu, cursor, offset, size, version) {
  const end = Math.min(cursor.rows.length, offset + size);
  const records = new Array(end - offset);
  for (let i = offset; i < end; i++) records[i - offset] = cursor.compiled.project(cursor.rows[i], version);
  const out = { totalSize: cursor.rows.length, done: end >= cursor.rows.length };
  if (!out.done) out.nextRecordsUrl = `/services/data/v${version}/query/${cursor.locator}-${end}`;
  out.records = records;
  const drop = emu.faults.dropNow(records.length, 'rest');
  if (drop) records.splice(0, drop);
  return out;
}

function runQuery(emu, req, res, ctx, version, all, url) {
  const soql = url.searchParams.get('q');
  if (soql === null) throw new SfError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  const hook = emu.faults.cfg.mutate_before_query;
  if (hook && soql.includes(hook.match)) {
    emu.faults.cfg.mutate_before_query = null;
    mutate(emu, hook.ops);
  }
  const compiled = prepare(emu.store, soql);
  checkRead(ctx.authUser, compiled.objects);
  if (emu.faults.refused(compiled.objects)) throw E.insufficient();
  const rows = compiled.run({ all });
  if (compiled.count) return json(req, res, 200, { totalSize: rows.length, done: true, records: [] });
  if (compiled.aggregate) {
    const groups = compiled.aggregate(rows);
    return json(req, res, 200, { totalSize: groups.length, done: true, records: groups });
  }
  const requested = requestedSize(req);
  const size = servedSize(emu, requested, compiled);
  const cursor = { rows, compiled, username: ctx.username, requested, locator: null };
  if (rows.length > size) {
    cursor.locator = ids.makeId('01g', '7Em', ++emu.cursorSeq);
    emu.cursors.set(cursor.locator, cursor);
    if (emu.cursors.size > MAX_CURSORS) emu.cursors.delete(emu.cursors.keys().next().value);
  }
  json(req, res, 200, page(emu, cursor, 0, size, version));
}

function queryMore(emu, req, res, ctx, version, token) {
  const m = /^(01g[A-Za-z0-9]{15})-(\d+)$/.exec(token);
  const cursor = m && emu.cursors.get(m[1]);
  const offset = m ? Number(m[2]) : -1;
  if (!cursor || cursor.username !== ctx.username || offset < 0 || offset >= cursor.rows.length) {
    throw new SfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  }
  // Re-inserting keeps recently used cursors at the young end of the eviction order.
  emu.cursors.delete(m[1]);
  emu.cursors.set(m[1], cursor);
  // A query-more may ask for its own batch size; otherwise the one the query asked for holds.
  const requested = req.headers['sforce-query-options'] ? requestedSize(req) : cursor.requested;
  json(req, res, 200, page(emu, cursor, offset, servedSize(emu, requested, cursor.compiled), version));
  // Injected cursor loss (lose_locators_after): this page was served; now every locator dies.
  if (emu.faults.locatorsLostNow()) emu.cursors.clear();
}

function limits(emu) {
  const limit = emu.apiLimit();
  const used = Math.min(emu.stats.api_requests, limit);
  const jobs = emu.jobs.size;
  return {
    ConcurrentAsyncGetReportInstances: { Max: 200, Remaining: 200 },
    DailyApiRequests: { Max: limit, Remaining: limit - used },
    DailyAsyncApexExecutions: { Max: 250000, Remaining: 250000 },
    DailyBulkApiBatches: { Max: 15000, Remaining: 15000 },
    DailyBulkV2QueryFileStorageMB: { Max: 976562, Remaining: 976562 },
    DailyBulkV2QueryJobs: { Max: 10000, Remaining: Math.max(0, 10000 - jobs) },
    DataStorageMB: { Max: 1024, Remaining: 1000 },
    FileStorageMB: { Max: 2048, Remaining: 2000 },
  };
}

// Schema types → describe types (lib/salesforce/SALESFORCE-API.md; ../README.md "Describe").
const DESCRIBE_TYPE = { id: 'id', ref: 'reference', string: 'string', picklist: 'picklist', bool: 'boolean', int: 'int',
  double: 'double', datetime: 'datetime', date: 'date', textarea: 'textarea' };

function describeFields(obj) {
  return [...obj.fields.values()].map((f) => ({
    name: f.name, label: f.label, type: DESCRIBE_TYPE[f.type],
    nillable: !['id', 'bool'].includes(f.type), filterable: f.type !== 'textarea' && f.filterable !== false, sortable: f.type !== 'textarea',
    referenceTo: f.type === 'ref' ? [...obj.rels.values()].filter((r) => r.field === f.name).flatMap((r) => r.to) : [],
    relationshipName: f.type === 'ref' ? ([...obj.rels.values()].find((r) => r.field === f.name) || {}).name || null : null,
  }));
}

function sobjectSummary(obj, version) {
  const writable = writes.WRITABLE.includes(obj.name);
  return { name: obj.name, label: obj.label, keyPrefix: obj.prefix, queryable: true, createable: writable,
    updateable: obj.name === 'User', deletable: writable && obj.name !== 'User', custom: false,
    urls: { sobject: `/services/data/v${version}/sobjects/${obj.name}`,
      describe: `/services/data/v${version}/sobjects/${obj.name}/describe`,
      rowTemplate: `/services/data/v${version}/sobjects/${obj.name}/{ID}` } };
}

async function sobjects(emu, req, res, ctx, version, rest, url) {
  const store = emu.store;
  if (rest.length === 0) {
    if (req.method !== 'GET') throw E.methodNotAllowed(req.method, ['GET', 'HEAD']);
    return json(req, res, 200, { encoding: 'UTF-8', maxBatchSize: 200,
      sobjects: Object.values(store.schema.objects).map((o) => sobjectSummary(o, version)) });
  }
  const obj = store.schema.object(rest[0]);
  if (!obj) throw E.notFound();
  if (rest.length === 1) {
    if (req.method === 'POST') {
      const body = parseJson(await readBody(req));
      const r = writes.create(store, ctx.authUser, obj.name, body);
      return json(req, res, 201, { id: r.id, success: true, errors: [] },
        { Location: `/services/data/v${version}/sobjects/${obj.name}/${r.id}` });
    }
    if (req.method !== 'GET') throw E.methodNotAllowed(req.method, ['GET', 'HEAD', 'POST']);
    return json(req, res, 200, { objectDescribe: sobjectSummary(obj, version), recentItems: [] });
  }
  if (rest.length === 2 && rest[1] === 'describe') {
    return json(req, res, 200, { ...sobjectSummary(obj, version), fields: describeFields(obj),
      childRelationships: [...obj.children.values()]
        .map((c) => ({ childSObject: c.object, field: c.field, relationshipName: c.name })) });
  }
  if (rest.length !== 2) throw E.notFound();
  const id = rest[1];
  let method = req.method;
  if (method === 'POST' && url.searchParams.get('_HttpMethod') === 'PATCH') method = 'PATCH';
  if (method === 'GET') {
    checkRead(ctx.authUser, [obj.name]);
    const rec = store.get(id);
    if (!rec || rec.IsDeleted || store.typeOf(rec) !== obj.name) throw E.notFound();
    const wanted = url.searchParams.get('fields');
    const names = wanted ? wanted.split(',').map((s) => s.trim()).filter(Boolean) : [...obj.fields.values()].map((f) => f.name);
    const out = { attributes: { type: obj.name, url: `/services/data/v${version}/sobjects/${obj.name}/${rec.Id}` } };
    for (const n of names) {
      const f = obj.fields.get(n.toLowerCase());
      if (!f) throw new SfError(400, 'INVALID_FIELD', `No such column '${n}' on sobject of type ${obj.name}`);
      out[f.name] = rec[f.name] === undefined ? f.missing : rec[f.name];
    }
    return json(req, res, 200, out);
  }
  if (method === 'PATCH') {
    const body = parseJson(await readBody(req));
    writes.update(store, ctx.authUser, obj.name, id, body);
    return send(req, res, 204, {}, '');
  }
  if (method === 'DELETE') {
    writes.remove(store, ctx.authUser, id, obj.name);
    return send(req, res, 204, {}, '');
  }
  throw E.methodNotAllowed(req.method, ['GET', 'HEAD', 'PATCH', 'DELETE']);
}

/** A collection item's error: statusCode (not errorCode) and always a fields array. */
function itemError(err) {
  if (!(err instanceof SfError)) throw err;
  return { statusCode: err.errorCode, message: err.message, fields: err.fields || [] };
}

const ROLLED_BACK = { statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] };

/** Apply each op in order; with allOrNone a failure undoes the successes (which then report ROLLED_BACK). */
function applyCollection(items, allOrNone, fn) {
  const results = [];
  const undos = [];
  let failed = false;
  for (const it of items) {
    try {
      const r = fn(it);
      undos.push(r.undo);
      results.push({ id: r.id, success: true, errors: [] });
    } catch (e) {
      failed = true;
      const r = { success: false, errors: [itemError(e)] };
      if (e.id) r.id = e.id;
      results.push(r);
    }
  }
  if (failed && allOrNone) {
    for (const u of undos.reverse()) u();
    for (const r of results) if (r.success) { r.success = false; r.errors = [ROLLED_BACK]; }
  }
  return results;
}

async function composite(emu, req, res, ctx, version, rest, url) {
  if (rest[0] !== 'sobjects' || rest.length !== 1) throw E.notFound();
  const store = emu.store;
  if (req.method === 'POST') {
    const body = parseJson(await readBody(req));
    if (!body || !Array.isArray(body.records)) throw new SfError(400, 'JSON_PARSER_ERROR', 'records: required array is missing');
    if (body.records.length > 200) {
      throw new SfError(400, 'EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 200 records into this call');
    }
    for (const r of body.records) {
      if (!r || !r.attributes || !r.attributes.type) {
        throw new SfError(400, 'INVALID_INPUT', 'Each record in the request body must include the attributes.type field.');
      }
      if (r.id || r.Id) throw new SfError(400, 'INVALID_FIELD', 'Records with IDs cannot be created');
    }
    const results = applyCollection(body.records, body.allOrNone === true, (r) => {
      const obj = store.schema.object(r.attributes.type);
      if (!obj) throw new SfError(400, 'INVALID_TYPE', `sObject type '${r.attributes.type}' is not supported.`);
      const { attributes, ...fields } = r;
      return writes.create(store, ctx.authUser, obj.name, fields);
    });
    return json(req, res, 200, results);
  }
  if (req.method === 'DELETE') {
    const idList = (url.searchParams.get('ids') || '').split(',').filter(Boolean);
    if (idList.length === 0) throw new SfError(400, 'MALFORMED_QUERY', 'ids parameter is required');
    if (idList.length > 200) {
      throw new SfError(400, 'EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 200 records into this call');
    }
    const allOrNone = url.searchParams.get('allOrNone') === 'true';
    const results = applyCollection(idList, allOrNone, (id) => {
      try { return writes.remove(store, ctx.authUser, id); } catch (e) { e.id = id; throw e; }
    });
    return json(req, res, 200, results);
  }
  throw E.methodNotAllowed(req.method, ['POST', 'DELETE']);
}

/** Entry point for /services/data[...]. Returns a route label for the stats. */
async function handle(emu, req, res, url) {
  const path = url.pathname;
  if (path === '/services/data' || path === '/services/data/') {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw E.methodNotAllowed(req.method, ['GET', 'HEAD']);
    json(req, res, 200, versions());
    return 'GET /services/data/';
  }
  const m = /^\/services\/data\/v(\d+)\.(\d)(\/.*)?$/.exec(path);
  if (!m) throw E.notFound();
  const major = Number(m[1]);
  if (m[2] !== '0' || major < MIN_VERSION || major > MAX_VERSION) throw E.notFound();
  const version = `${major}.0`;
  let rest;
  try {
    rest = (m[3] || '/').split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw E.notFound(); // bad %-escape in the path
  }
  const ctx = authenticate(emu, req, res);
  const head = rest[0] || '';
  const route = (name) => `${req.method} /services/data/vNN.N/${name}`;

  if (head === '') {
    const base = `/services/data/v${version}`;
    json(req, res, 200, { limits: `${base}/limits`, query: `${base}/query`, queryAll: `${base}/queryAll`,
      sobjects: `${base}/sobjects`, composite: `${base}/composite`, jobs: `${base}/jobs` });
    return route('');
  }
  if (head === 'limits') { json(req, res, 200, limits(emu)); return route('limits'); }
  if (head === 'query' || head === 'queryAll') {
    if (req.method !== 'GET') throw E.methodNotAllowed(req.method, ['GET', 'HEAD']);
    if (rest.length === 1) { runQuery(emu, req, res, ctx, version, head === 'queryAll', url); return route(head); }
    if (rest.length === 2) { queryMore(emu, req, res, ctx, version, rest[1]); return route(`${head}/LOCATOR`); }
    throw E.notFound();
  }
  if (head === 'sobjects') { await sobjects(emu, req, res, ctx, version, rest.slice(1), url); return route(rest.length > 1 ? 'sobjects/TYPE' + (rest.length > 2 ? '/ID' : '') : 'sobjects'); }
  if (head === 'composite') { await composite(emu, req, res, ctx, version, rest.slice(1), url); return route('composite/sobjects'); }
  if (head === 'jobs' && rest[1] === 'query') {
    await bulk.handle(emu, req, res, ctx, version, rest.slice(2), url, checkRead);
    return route(rest.length > 3 ? 'jobs/query/ID/results' : rest.length > 2 ? 'jobs/query/ID' : 'jobs/query');
  }
  throw E.notFound();
}

module.exports = { handle, versions, MIN_VERSION, MAX_VERSION };
