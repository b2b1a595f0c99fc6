'use strict';
// Injected faults (POST /__admin/faults). A seeded PRNG (mulberry32) makes "random" failures
// reproducible: with the same seed and the same request sequence, the same requests fail.

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Latency draws come from their own stream, derived from the same seed, so that turning a
// latency range on or off does not shift which requests fail or get cut (the fail/truncate
// sequence of a seed stays what it was before ranges existed).
const latencyStream = (seed) => mulberry32((seed ^ 0x9E3779B9) >>> 0);

/** A latency setting, a number N or a range [MIN, MAX] (ms), or null when it is not one. */
function latencyRange(v) {
  const ok = (n) => typeof n === 'number' && Number.isFinite(n) && n >= 0;
  if (ok(v)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && ok(v[0]) && ok(v[1]) && v[0] <= v[1]) return [v[0], v[1]];
  return null;
}

class Faults {
  constructor() { this.clear(); }

  clear() {
    this.cfg = { latency_ms: 0, fail_rate: 0, fail_status: 503, expire_sessions_after: 0,
      api_limit: null, truncate_rate: 0, seed: 1, batch_size: null, lose_locators_after: 0,
      // EVIDENCE.md, control totals: query pages leave out this many records in all.
      drop_records: 0,
      // ... only from REST query pages ("rest") or Bulk API 2.0 result pages ("bulk"); null: both.
      drop_records_api: null,
      // A change to the org at a known moment of a client's run: {"match": TEXT, "ops": [...]}
      // applies ops (as /__admin/mutate) once, just before the first REST query whose SOQL
      // contains TEXT is answered (EVIDENCE.md: the drift the post-scan recount finds).
      mutate_before_query: null,
      // Queries (REST and Bulk) that read one of these objects answer 400 INSUFFICIENT_ACCESS, as
      // for a connecting user who may not read them (EVIDENCE.md: a refused SetupAuditTrail).
      insufficient_access: [] };
    this.rand = mulberry32(1);
    this.latencyRand = latencyStream(1);
    this.sinceExpiry = 0;
    this.sinceLocatorLoss = 0;
  }

  /** Merge a fault body; unknown keys are rejected so a typo does not silently do nothing. */
  set(body) {
    const known = Object.keys(this.cfg);
    for (const k of Object.keys(body)) if (!known.includes(k)) throw new Error(`unknown fault key: ${k}`);
    const num = (k) => { if (body[k] !== undefined && body[k] !== null && typeof body[k] !== 'number') throw new Error(`${k} must be a number`); };
    known.filter((k) => !['latency_ms', 'mutate_before_query', 'insufficient_access', 'drop_records_api'].includes(k))
      .forEach(num);
    if (body.drop_records_api !== undefined && ![null, 'rest', 'bulk'].includes(body.drop_records_api)) {
      throw new Error('drop_records_api must be "rest", "bulk" or null');
    }
    const ia = body.insufficient_access;
    if (ia !== undefined && !(Array.isArray(ia) && ia.every((o) => typeof o === 'string'))) {
      throw new Error('insufficient_access must be an array of object names');
    }
    const m = body.mutate_before_query;
    if (m !== undefined && m !== null && !(typeof m === 'object' && typeof m.match === 'string' && Array.isArray(m.ops))) {
      throw new Error('mutate_before_query must be {"match": "SOQL text", "ops": [operations as for /__admin/mutate]}');
    }
    if (body.latency_ms !== undefined && !latencyRange(body.latency_ms)) {
      throw new Error('latency_ms must be a number >= 0 or [MIN, MAX] with 0 <= MIN <= MAX');
    }
    if (body.fail_status !== undefined && ![500, 502, 503].includes(body.fail_status)) throw new Error('fail_status must be 500, 502 or 503');
    for (const k of ['batch_size', 'lose_locators_after', 'drop_records']) {
      if (body[k] !== undefined && body[k] !== null && !(Number.isInteger(body[k]) && body[k] >= 0)) throw new Error(`${k} must be a non-negative integer`);
    }
    Object.assign(this.cfg, body);
    if (body.seed !== undefined) { this.rand = mulberry32(body.seed); this.latencyRand = latencyStream(body.seed); }
    if (body.expire_sessions_after !== undefined) this.sinceExpiry = 0;
    if (body.lose_locators_after !== undefined) this.sinceLocatorLoss = 0;
    return this.cfg;
  }

  /** Milliseconds to sleep for one request: a fixed number, or uniform in [MIN, MAX]. */
  latency(setting) {
    const [lo, hi] = latencyRange(setting) || [0, 0];
    return lo === hi ? lo : lo + this.latencyRand() * (hi - lo);
  }

  /** Per-request draws, always both, so the sequence does not depend on which faults are on. */
  draw() {
    const f = this.rand();
    const t = this.rand();
    return { fail: f < this.cfg.fail_rate, truncate: t < this.cfg.truncate_rate };
  }

  /**
   * Called for each authenticated REST/Bulk request. After N of them every session that exists
   * is invalid (returns true: this request already sees the expiry); the count restarts, so
   * sessions created by a fresh login live for another N requests.
   */
  sessionsExpireNow() {
    const n = this.cfg.expire_sessions_after;
    if (!n) return false;
    this.sinceExpiry++;
    if (this.sinceExpiry > n) { this.sinceExpiry = 0; return true; }
    return false;
  }

  /** The first of a query's objects that insufficient_access refuses, or null. */
  refused(objects) {
    return [...objects].find((o) => this.cfg.insufficient_access.includes(o)) || null;
  }

  /**
   * drop_records: how many of n records about to be served to leave out (taken from the front of
   * the page), counted down until N records in all have gone. totalSize is left true, so a client
   * that compares what arrived with the count sees the loss. api is "rest" or "bulk": with
   * drop_records_api set, only that API's pages lose records.
   */
  dropNow(n, api) {
    if (this.cfg.drop_records_api && this.cfg.drop_records_api !== api) return 0;
    const k = Math.min(n, this.cfg.drop_records || 0);
    if (k > 0) this.cfg.drop_records -= k;
    return k;
  }

  /**
   * Called after each successful query-more (a page served from a nextRecordsUrl). The N-th one
   * is answered normally and then every cursor is lost (returns true), as when a real org's
   * cursors time out or the session that owned them changes; the count restarts, so cursors
   * opened afterwards serve another N pages.
   */
  locatorsLostNow() {
    const n = this.cfg.lose_locators_after;
    if (!n) return false;
    this.sinceLocatorLoss++;
    if (this.sinceLocatorLoss >= n) { this.sinceLocatorLoss = 0; return true; }
    return false;
  }
}

module.exports = { Faults };
