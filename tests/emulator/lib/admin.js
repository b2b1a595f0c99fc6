'use strict';
// Control endpoints for tests and the demo (/__admin/*): stats, reset, mutate, records, faults.
// They bypass auth, faults, latency and the counters. Errors are {"error": "..."} with 400.
const { json, readBody } = require('./http');
const { nowDateTime } = require('./store');

class AdminError extends Error {}

async function body(req) {
  const text = (await readBody(req)).toString('utf8').trim();
  if (text === '') return {};
  try { return JSON.parse(text); } catch { throw new AdminError('body is not valid JSON'); }
}

/**
 * The SetupAuditTrail entry an operation's `audit` asks for (../README.md, Mutations log), created
 * now by the user named `by`.
 */
function audit(store, a) {
  if (typeof a !== 'object' || typeof a.action !== 'string') throw new AdminError('audit needs "action"');
  const by = a.by ? store.userRecord(a.by) : null;
  if (a.by && !by) throw new AdminError(`audit: no user ${a.by}`);
  store.add('SetupAuditTrail', { Action: a.action, Section: a.section ?? null, Display: a.display ?? null,
    CreatedDate: nowDateTime(), CreatedById: by ? by.Id : null, DelegateUser: a.delegate ?? null,
    ResponsibleNamespacePrefix: null });
}

function mutate(emu, ops) {
  if (!Array.isArray(ops)) throw new AdminError('body must be a JSON array of operations');
  const store = emu.store;
  const out = [];
  for (const [i, op] of ops.entries()) {
    const where = `operation ${i}`;
    const obj = op && store.schema.object(op.object);
    if (!obj) throw Object.assign(new AdminError(`${where}: unknown object ${op && op.object}`), { applied: out.length, ids: out });
    try {
      if (op.op === 'insert') {
        if (!op.record || typeof op.record !== 'object') throw new AdminError('insert needs "record"');
        if (op.record.Id && store.get(op.record.Id)) throw new AdminError(`Id ${op.record.Id} already exists`);
        const rec = store.add(obj.name, { ...op.record }, true);
        out.push(rec.Id);
      } else if (op.op === 'update') {
        const rec = store.get(op.id);
        if (!rec || store.typeOf(rec) !== obj.name) throw new AdminError(`no ${obj.name} with Id ${op.id}`);
        const fields = op.fields || {};
        for (const [k, v] of Object.entries(fields)) {
          if (k === 'Id') continue;
          if (v !== null) store.schema.learnField(obj.name, k, v);
          const f = obj.fields.get(k.toLowerCase());
          rec[f ? f.name : k] = v;
        }
        out.push(rec.Id);
      } else if (op.op === 'delete') {
        const rec = store.get(op.id);
        if (!rec || store.typeOf(rec) !== obj.name) throw new AdminError(`no ${obj.name} with Id ${op.id}`);
        store.markDeleted(rec); // no cascade; queryAll still sees it, like a real delete
        out.push(rec.Id);
      } else {
        throw new AdminError(`op must be insert, update or delete, not ${op.op}`);
      }
      if (op.audit) audit(store, op.audit);
    } catch (e) {
      if (!(e instanceof AdminError)) throw e;
      throw Object.assign(new AdminError(`${where}: ${e.message}`), { applied: out.length, ids: out });
    }
  }
  return { applied: out.length, ids: out };
}

async function handle(emu, req, res, url) {
  const p = url.pathname;
  try {
    if (p === '/__admin/stats' && req.method === 'GET') {
      return json(req, res, 200, {
        requests: emu.stats.requests, api_requests: emu.stats.api_requests, by_route: emu.stats.by_route,
      });
    }
    if (p === '/__admin/reset' && req.method === 'POST') {
      await body(req);
      emu.reset();
      return json(req, res, 200, { reset: true });
    }
    if (p === '/__admin/mutate' && req.method === 'POST') return json(req, res, 200, mutate(emu, await body(req)));
    if (p === '/__admin/faults') {
      if (req.method === 'POST') {
        const b = await body(req);
        if (!b || typeof b !== 'object' || Array.isArray(b)) throw new AdminError('body must be a JSON object');
        try { return json(req, res, 200, emu.faults.set(b)); } catch (e) { throw new AdminError(e.message); }
      }
      if (req.method === 'GET') return json(req, res, 200, emu.faults.cfg);
    }
    const m = /^\/__admin\/records\/([A-Za-z0-9_]+)$/.exec(p);
    if (m && req.method === 'GET') {
      const obj = emu.store.schema.object(m[1]);
      if (!obj) return json(req, res, 404, { error: `unknown object ${m[1]}` });
      return json(req, res, 200, emu.store.live(obj.name));
    }
    json(req, res, 404, { error: `no admin endpoint ${req.method} ${p}` });
  } catch (e) {
    if (!(e instanceof AdminError)) throw e;
    const out = { error: e.message };
    if (e.applied !== undefined) { out.applied = e.applied; out.ids = e.ids; }
    json(req, res, 400, out);
  }
}

module.exports = { handle, mutate };
