// Fills the decision column of an access review CSV (stdin -> stdout) the
// way a reviewer would in a spreadsheet.  Arguments are
// "username,access_type,access_id,via_type=decision"; rows not named keep
// an empty decision.  Quoting is kept as RFC 4180 needs it.
'use strict';
const text = require('fs').readFileSync(0, 'utf8');
const rows = require('./csv').parse(text);
const h = rows[0];
const col = (n) => h.indexOf(n);
const want = new Map(process.argv.slice(2).map((a) => { const k = a.lastIndexOf('='); return [a.slice(0, k), a.slice(k + 1)]; }));
const used = new Set();
for (const r of rows.slice(1)) {
  const key = [r[col('username')], r[col('access_type')], r[col('access_id')], r[col('via_type')]].join(',');
  if (want.has(key)) { r[col('decision')] = want.get(key); r[col('reviewer')] = 'auditor@acme.example'; used.add(key); }
}
for (const k of want.keys()) if (!used.has(k)) { console.error(`review_decide: no row ${k}`); process.exit(2); }
const q = (s) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
process.stdout.write(rows.map((r) => r.map(q).join(',')).join('\r\n') + '\r\n');
