// Prints chosen columns of an RFC 4180 CSV file (stdin) as tab-separated
// lines, so shell tests can compare reports without splitting on commas
// that live inside quoted names.  Usage: node csvcols.js col1 col2 ...
'use strict';
const text = require('fs').readFileSync(0, 'utf8');
const rows = require('./csv').parse(text);
const header = rows.shift() || [];
const idx = process.argv.slice(2).map((name) => {
  const k = header.indexOf(name);
  if (k < 0) { console.error(`csvcols: no column ${name}`); process.exit(2); }
  return k;
});
for (const r of rows) {
  if (r.length !== header.length) { console.error(`csvcols: row has ${r.length} fields, header ${header.length}`); process.exit(2); }
  process.stdout.write(idx.map((k) => r[k]).join('\t') + '\n');
}
