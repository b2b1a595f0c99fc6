#!/usr/bin/env bash
# Provenance of a snapshot (EVIDENCE.md): recorded by sync, shown by
# `snapshots --verbose` and `show --provenance`, and carried with the
# control totals, drift and reconciliation by every report and manifest.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
js() { node -e "const d = JSON.parse(require('fs').readFileSync('$1', 'utf8')); $2"; }

expect_exit 0 "$SFACCESS" --no-progress sync --no-sync-permissions
expect_exit 0 "$SFACCESS" show --snapshot 1 --provenance --format json
cp "$WORK/out" "$WORK/ev.json"
# The commit the binary was built from, as CMake wrote it at build time
# (git describe, or "unknown" without a git tree); with a tree it names a
# commit of this repository.
commit=$(sed -n 's/^#define SFA_GIT_COMMIT "\(.*\)"$/\1/p' "${SFA_BUILD_DIR:?}/generated/sfa_build.h")
if git -C "$SFA_SOURCE_DIR" rev-parse --git-dir >/dev/null 2>&1; then
  git -C "$SFA_SOURCE_DIR" cat-file -e "${commit%-dirty}^{commit}" || fail "tool_commit $commit is not a commit here"
fi
version=$("$SFACCESS" --version | sed 's/^sfaccess //')
# The demo admin (fixtures/orgs/demo.json) over the SOAP login; 16 requests
# (11 scans, 3 recounts, 1 grouped count, 1 audit trail page); the emulator's limit is 100000
# and this client's first request was the org's first.
want="{\"run_user_id\":\"0055g00000Dm001AAB\",\"run_username\":\"admin@acme.example\",\"auth_method\":\"password\",\"org_id\":\"00D5g00000Dm001EAB\",\"instance_host\":\"${EMU_URL#http://}\",\"api_version\":\"64.0\",\"tool_version\":\"$version\",\"host\":\"$(hostname)\",\"os_user\":\"$(id -un)\",\"requests\":16,\"api_usage_before\":\"1/100000\",\"api_usage_after\":\"16/100000\"}"
got=$(js "$WORK/ev.json" "const p = d.provenance; const c = p.tool_commit;
  for (const k of ['tool_commit', 'started_at', 'finished_at']) delete p[k];
  console.log(JSON.stringify(p)); if (c !== '$commit') console.log('commit ' + c);")
[ "$got" = "$want" ] || fail "provenance:
got  $got
want $want"
js "$WORK/ev.json" "const p = d.provenance; const t = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
  if (!t.test(p.started_at) || !t.test(p.finished_at) || p.finished_at < p.started_at) process.exit(1)" \
  || fail "provenance times are not UTC in order"
echo "ok show --provenance"

expect_exit 0 "$SFACCESS" show --snapshot 1 --provenance
grep -q "run_username       admin@acme.example" "$WORK/out" || fail "show --provenance table: $(cat "$WORK/out")"
grep -qE "^  true +Standard +29 +29 *$" "$WORK/out" \
  || fail "show --provenance reconciliation: $(cat "$WORK/out")"
expect_exit 2 "$SFACCESS" show --snapshot 7 --provenance
grep -q "no such snapshot" "$WORK/err" || fail "unknown snapshot: $(cat "$WORK/err")"
expect_exit 0 "$SFACCESS" -v snapshots
grep -q "auth_method        password" "$WORK/out" || fail "snapshots -v: $(cat "$WORK/out")"
expect_exit 0 "$SFACCESS" snapshots
grep -q "auth_method" "$WORK/out" && fail "snapshots without -v shows provenance"
expect_exit 0 "$SFACCESS" -v snapshots --format json
js "$WORK/out" "if (d[0].provenance.run_username !== 'admin@acme.example') process.exit(1)" \
  || fail "snapshots -v --format json: $(cat "$WORK/out")"
echo "ok snapshots --verbose"

# Every report carries the snapshot's evidence, the same as the store's.
expect_exit 0 "$SFACCESS" --no-progress sync --no-sync-permissions
expect_exit 0 "$SFACCESS" report access --snapshot 1 --format all --out "$WORK/acc"
expect_exit 0 "$SFACCESS" report changes --from 1 --to 2 --format all --out "$WORK/chg"
expect_exit 0 "$SFACCESS" show --snapshot 2 --provenance --format json
cp "$WORK/out" "$WORK/ev2.json"
same() { # FILE EVIDENCE_JSON
  node -e "
    const fs = require('fs');
    const d = JSON.parse(fs.readFileSync('$1', 'utf8')), e = JSON.parse(fs.readFileSync('$2', 'utf8'));
    for (const k of ['provenance', 'control_totals', 'drift', 'reconciliation'])
      if (JSON.stringify(d[k]) !== JSON.stringify(e[k])) { console.error(k + ' differs in $1'); process.exit(1); }"
}
same "$WORK/acc/manifest.json" "$WORK/ev.json" || fail "access manifest"
same "$WORK/acc/access-review.json" "$WORK/ev.json" || fail "access JSON"
same "$WORK/chg/manifest.json" "$WORK/ev2.json" || fail "changes manifest"
same "$WORK/chg/changes.json" "$WORK/ev2.json" || fail "changes JSON"
for f in "$WORK/acc/access-review.html" "$WORK/chg/changes.html"; do
  grep -q "<h3>Population reconciliation</h3>" "$f" || fail "$f: no reconciliation"
  grep -q "<tr><td>true</td><td>Standard</td><td>29</td><td>29</td><td></td></tr>" "$f" \
    || fail "$f: no active Standard row"
  grep -q "<dt>run_username</dt><dd>admin@acme.example</dd>" "$f" || fail "$f: no provenance"
done
for f in "$WORK/acc/access-review.junit.xml" "$WORK/chg/changes.junit.xml"; do
  grep -q '<property name="provenance.run_username" value="admin@acme.example"' "$f" \
    || fail "$f: no provenance property"
done
expect_exit 0 "$SFACCESS" verify "$WORK/acc"
echo "ok reports carry the evidence"
