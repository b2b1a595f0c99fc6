'use strict';
// Bulk API 2.0 query jobs (lib/salesforce/SALESFORCE-API.md §4). The query is evaluated when the job is created
// (a list of record references, like a REST cursor); the job then moves UploadComplete →
// InProgress → JobComplete over successive status polls or a short time, and results are served
// as fully quoted CSV pages with Sforce-Locator / Sforce-NumberOfRecords.
const { SfError, E } = require('./errors');
const { json, send, readBody, parseJson } = require('./http');
const { prepare } = require('./soql');
const ids = require('./ids');
const { nowDateTime } = require('./store');

const DELIMITERS = { COMMA: ',', TAB: '\t', PIPE: '|', SEMICOLON: ';', CARET: '^', BACKQUOTE: '`' };
const DEFAULT_MAX_RECORDS = 50000;
const IN_PROGRESS_AFTER_MS = 100; // UploadComplete → InProgress
const COMPLETE_AFTER_MS = 400;    // InProgress → JobComplete

function jobInfo(job) {
  const info = {
    id: job.id, operation: job.operation, object: job.object, createdById: job.createdById,
    createdDate: job.createdDate, systemModstamp: job.systemModstamp, state: job.state,
    concurrencyMode: 'Parallel', contentType: 'CSV', apiVersion: job.apiVersion,
    jobType: 'V2Query', lineEnding: job.lineEnding, columnDelimiter: job.columnDelimiter,
  };
  if (job.state === 'JobComplete') {
    Object.assign(info, {
      numberRecordsProcessed: job.rows.length, retries: 0, totalProcessingTime: 50, isPkChunkingSupported: true,
    });
  }
  return info;
}

/** Advance the state machine: one step per status poll, or by elapsed time. */
function advance(job, polled) {
  if (job.state === 'Aborted' || job.state === 'JobComplete' || job.state === 'Failed') return;
  if (polled) job.polls++;
  const age = Date.now() - job.created;
  if (job.polls >= 2 || age >= COMPLETE_AFTER_MS) job.state = 'JobComplete';
  else if (job.polls >= 1 || age >= IN_PROGRESS_AFTER_MS) job.state = 'InProgress';
  job.systemModstamp = nowDateTime();
}

function csvValue(v, type) {
  if (v === null || v === undefined) return '""'; // null and empty are the same in Bulk CSV
  let s = typeof v === 'boolean' ? String(v) : String(v);
  if (type === 'datetime') s = s.replace(/\+0000$/, 'Z'); // Bulk writes UTC datetimes with Z
  return `"${s.replace(/"/g, '""')}"`;
}

function unsupported(msg) { return new SfError(400, 'API_ERROR', msg); }

async function create(emu, req, res, ctx, version, checkRead) {
  const body = parseJson(await readBody(req));
  if (!body || typeof body !== 'object') throw new SfError(400, 'JSON_PARSER_ERROR', 'Invalid request body');
  const operation = body.operation || 'query';
  if (operation !== 'query' && operation !== 'queryAll') throw new SfError(400, 'INVALIDJOB', `Invalid operation: ${operation}`);
  if (typeof body.query !== 'string') throw new SfError(400, 'INVALIDJOB', 'query: required field is missing');
  const columnDelimiter = body.columnDelimiter || 'COMMA';
  const lineEnding = body.lineEnding || 'LF';
  if (!DELIMITERS[columnDelimiter]) throw new SfError(400, 'INVALIDJOB', `Invalid columnDelimiter: ${columnDelimiter}`);
  if (lineEnding !== 'LF' && lineEnding !== 'CRLF') throw new SfError(400, 'INVALIDJOB', `Invalid lineEnding: ${lineEnding}`);
  if (body.contentType && body.contentType !== 'CSV') throw new SfError(400, 'INVALIDJOB', `Invalid contentType: ${body.contentType}`);
  const compiled = prepare(emu.store, body.query);
  if (compiled.count) throw unsupported('Aggregate queries are not supported in Bulk API 2.0 query jobs.');
  if (compiled.hasSubqueries) throw unsupported('Parent-to-child subqueries are not supported in Bulk API 2.0 query jobs.');
  if (compiled.features.offset) throw unsupported('OFFSET is not supported in Bulk API 2.0 query jobs.');
  checkRead(ctx.authUser, compiled.objects);
  if (emu.faults.refused(compiled.objects)) throw E.insufficient();
  const now = nowDateTime();
  const userRec = emu.store.userRecord(ctx.username);
  const job = {
    id: ids.makeId('750', '7Em', ++emu.jobSeq), operation, object: compiled.object,
    createdById: userRec ? userRec.Id : null, createdDate: now, systemModstamp: now, state: 'UploadComplete',
    apiVersion: Number(version), lineEnding, columnDelimiter, polls: 0, created: Date.now(),
    rows: compiled.run({ all: operation === 'queryAll' }), columns: compiled.columns, username: ctx.username,
  };
  emu.jobs.set(job.id, job);
  json(req, res, 200, jobInfo(job));
}

function results(emu, req, res, job, url) {
  advance(job, false);
  if (job.state !== 'JobComplete') {
    const state = job.state === 'InProgress' ? 'IN_PROGRESS' : job.state === 'Aborted' ? 'ABORTED' : 'UPLOAD_COMPLETE';
    // Salesforce's example body puts errorCode first.
    return json(req, res, 412, [{ errorCode: 'JOB_NOT_COMPLETE',
      message: `can only download query results of successfully completed bulk job with status: JOB_COMPLETE. Current status: ${state}` }]);
  }
  const maxRaw = url.searchParams.get('maxRecords');
  const max = maxRaw === null ? DEFAULT_MAX_RECORDS : Number(maxRaw);
  if (!Number.isInteger(max) || max < 1) throw new SfError(400, 'INVALIDJOB', `Invalid maxRecords: ${maxRaw}`);
  // Locators are opaque base64 of the next row offset (the docs' "MTAwMDA" is base64 "10000").
  const loc = url.searchParams.get('locator');
  let offset = 0;
  if (loc !== null && loc !== '') {
    offset = Number(Buffer.from(loc, 'base64').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0 || offset > job.rows.length) {
      throw new SfError(400, 'INVALID_LOCATOR', `Invalid locator: ${loc}`);
    }
  }
  const end = Math.min(job.rows.length, offset + max);
  const d = DELIMITERS[job.columnDelimiter];
  const nl = job.lineEnding === 'CRLF' ? '\r\n' : '\n';
  const parts = [job.columns.map((c) => csvValue(c.raw)).join(d)];
  // drop_records (reports/EVIDENCE.md): a results page leaves records out as a REST page does, while
  // the job's numberRecordsProcessed stays true.
  const drop = emu.faults.dropNow(end - offset, 'bulk');
  for (let i = offset + drop; i < end; i++) {
    const r = job.rows[i];
    parts.push(job.columns.map((c) => csvValue(c.get(r), c.type)).join(d));
  }
  const next = end < job.rows.length ? Buffer.from(String(end)).toString('base64').replace(/=+$/, '') : 'null';
  send(req, res, 200, { 'Content-Type': 'text/csv', 'Sforce-Locator': next, 'Sforce-NumberOfRecords': String(end - offset - drop) },
    parts.join(nl) + nl);
}

async function handle(emu, req, res, ctx, version, rest, url, checkRead) {
  if (rest.length === 0) {
    if (req.method === 'POST') return create(emu, req, res, ctx, version, checkRead);
    if (req.method === 'GET') {
      const records = [...emu.jobs.values()].filter((j) => j.username === ctx.username).map((j) => {
        advance(j, false);
        return jobInfo(j);
      });
      return json(req, res, 200, { done: true, records, nextRecordsUrl: null });
    }
    throw E.methodNotAllowed(req.method, ['GET', 'POST']);
  }
  const job = emu.jobs.get(ids.to18(rest[0]) || rest[0]);
  if (!job || job.username !== ctx.username) throw new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
  if (rest.length === 1) {
    if (req.method === 'GET') { advance(job, true); return json(req, res, 200, jobInfo(job)); }
    if (req.method === 'PATCH') {
      const body = parseJson(await readBody(req));
      if (!body || body.state !== 'Aborted') throw new SfError(400, 'INVALIDJOBSTATE', 'Only Aborted is a valid state for a query job');
      advance(job, false);
      if (job.state === 'JobComplete') throw new SfError(400, 'INVALIDJOBSTATE', 'Job is already complete');
      job.state = 'Aborted';
      return json(req, res, 200, jobInfo(job));
    }
    if (req.method === 'DELETE') { emu.jobs.delete(job.id); return send(req, res, 204, {}, ''); }
    throw E.methodNotAllowed(req.method, ['GET', 'PATCH', 'DELETE']);
  }
  if (rest.length === 2 && rest[1] === 'results' && req.method === 'GET') return results(emu, req, res, job, url);
  throw E.notFound();
}

module.exports = { handle };
