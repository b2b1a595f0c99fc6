// Prints the users of `sfaccess show --type user --format json` (stdin) in
// the column layout of fixtures/expected/demo/users-*.tsv, unsorted.
'use strict';
const doc = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const str = (v) => (v === null || v === undefined ? '' : String(v));
for (const r of doc.resources) {
  if (r.type !== 'user') continue;
  const a = r.attrs;
  process.stdout.write([a.Id, a.Username, a.Email, a.IsActive, a.IsFrozen, a.UserType,
    a.License, a.ManagerUsername].map(str).join('\t') + '\n');
}
