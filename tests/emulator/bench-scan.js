#!/usr/bin/env node
'use strict';
// Benchmark: generate a 50,000-user org, start the emulator, and scan PermissionSetAssignment
// over REST at 2,000 rows per page. Prints the time of each page and the emulator's RSS at the
// first, middle and last page, to show that paging stays flat in time and memory.
//   node bench-scan.js [--users N]
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./conformance/helpers');

function rssMiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? (Number(m[1]) / 1024).toFixed(0) : '?';
}

async function main() {
  const i = process.argv.indexOf('--users');
  const users = i > 0 ? Number(process.argv[i + 1]) : 50000;
  const file = h.tmpFile(`bench-${users}.json`);
  let t = Date.now();
  const json = execFileSync(process.execPath, [path.join(__dirname, 'generate.js'), '--users', String(users)], { maxBuffer: 1 << 30 });
  fs.writeFileSync(file, json);
  console.log(`generate --users ${users}: ${Date.now() - t} ms, ${(json.length / 1e6).toFixed(1)} MB`);
  t = Date.now();
  const emu = await h.startEmulator(file);
  console.log(`emulator start (load dataset): ${Date.now() - t} ms, RSS ${rssMiB(emu.proc.pid)} MiB`);
  try {
    const token = await h.refreshLogin(emu.url, 'rt-admin');
    const headers = { Authorization: `Bearer ${token}` };
    let next = '/services/data/v62.0/query?q=' + encodeURIComponent(
      'SELECT Id, AssigneeId, PermissionSetId, PermissionSet.Name, PermissionSetGroupId, ExpirationDate FROM PermissionSetAssignment');
    const pages = [];
    const start = Date.now();
    let total = 0;
    while (next) {
      const p0 = process.hrtime.bigint();
      const r = await fetch(emu.url + next, { headers });
      const body = await r.json();
      if (r.status !== 200) throw new Error(JSON.stringify(body));
      const ms = Number(process.hrtime.bigint() - p0) / 1e6;
      total += body.records.length;
      pages.push({ ms, rss: rssMiB(emu.proc.pid), n: body.records.length });
      next = body.done ? null : body.nextRecordsUrl;
    }
    const wall = Date.now() - start;
    const show = (label, k) => console.log(`  ${label.padEnd(6)} page ${String(k + 1).padStart(3)}: ${pages[k].ms.toFixed(1).padStart(7)} ms, ${pages[k].n} rows, emulator RSS ${pages[k].rss} MiB`);
    console.log(`scan PermissionSetAssignment: ${total} rows in ${pages.length} pages, ${wall} ms`);
    show('first', 0);
    show('middle', Math.floor(pages.length / 2));
    show('last', pages.length - 1);
    const sorted = pages.map((p) => p.ms).sort((a, b) => a - b);
    console.log(`  page time median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, max ${sorted.at(-1).toFixed(1)} ms`);
  } finally {
    await emu.stop();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
