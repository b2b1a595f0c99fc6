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

class Faults {
  constructor() { this.clear(); }

  clear() {
    this.cfg = { latency_ms: 0, fail_rate: 0, fail_status: 503, expire_sessions_after: 0,
      api_limit: null, truncate_rate: 0, seed: 1 };
    this.rand = mulberry32(1);
    this.sinceExpiry = 0;
  }

  /** Merge a fault body; unknown keys are rejected so a typo does not silently do nothing. */
  set(body) {
    const known = Object.keys(this.cfg);
    for (const k of Object.keys(body)) if (!known.includes(k)) throw new Error(`unknown fault key: ${k}`);
    const num = (k) => { if (body[k] !== undefined && body[k] !== null && typeof body[k] !== 'number') throw new Error(`${k} must be a number`); };
    known.forEach(num);
    if (body.fail_status !== undefined && ![500, 502, 503].includes(body.fail_status)) throw new Error('fail_status must be 500, 502 or 503');
    Object.assign(this.cfg, body);
    if (body.seed !== undefined) this.rand = mulberry32(body.seed);
    if (body.expire_sessions_after !== undefined) this.sinceExpiry = 0;
    return this.cfg;
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
}

module.exports = { Faults };
