#!/usr/bin/env bash
# Transport (issue 8): TLS verification has no off switch, plain http goes
# to loopback only, a redirect is not followed (not even to loopback), and
# an oversized response is refused cleanly.  A one-off node server plays
# the misbehaving peer; a second one counts whether anything reached it.
. "$(dirname "$0")/lib.sh"
export SFACCESS_USERNAME=u@acme.example SFACCESS_PASSWORD=pw SFACCESS_SECURITY_TOKEN=tok

# No option turns TLS verification off.
for opt in --insecure -k --no-verify --no-verify-tls --tls-no-verify --ssl-no-verify; do
  expect_exit 2 "$SFACCESS" sync --domain acme.my.salesforce.com "$opt"
done
"$SFACCESS" sync --help | grep -q -- "--ca-bundle" || fail "sync --help lacks --ca-bundle"
echo "ok no option disables TLS verification; --ca-bundle exists"

# Plain http only to loopback; other hosts only on Salesforce domains.
for d in http://acme.my.salesforce.com http://10.0.0.1:8080 http://example.com https://evil.example.com \
         'https://acme.my.salesforce.com@evil.example.com' http://127.0.0.1.evil.example.com:80; do
  expect_exit 2 "$SFACCESS" sync --domain "$d"
done
echo "ok http only to loopback, https only to Salesforce hosts"

# Peers: MODE redirect answers 302 to the other server; MODE huge sends a
# 300 MB body (over the default limit) slowly enough to be cut off; the
# target records any request it gets.
cat >"$WORK/peer.js" <<'JS'
const http = require('http'), fs = require('fs');
const [mode, portFile, target] = process.argv.slice(2);
const s = http.createServer((req, res) => {
  fs.appendFileSync(portFile + '.log', `${req.method} ${req.url}\n`);
  if (mode === 'redirect') { res.writeHead(302, { Location: `http://127.0.0.1:${target}${req.url}` }); return res.end(); }
  if (mode === 'huge') {
    res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': String(300 * 1024 * 1024) });
    const chunk = Buffer.alloc(1 << 20, 0x20); let n = 0;
    const more = () => { while (n < 300) { n++; if (!res.write(chunk)) return res.once('drain', more); } res.end(); };
    return more();
  }
  res.writeHead(500); res.end();
});
s.listen(0, '127.0.0.1', () => fs.writeFileSync(portFile, String(s.address().port)));
JS
peer() { # MODE NAME [TARGET_PORT]
  node "$WORK/peer.js" "$1" "$WORK/$2.port" "${3:-0}" & PEERS+=($!)
  for _ in $(seq 1 100); do [ -s "$WORK/$2.port" ] && break; sleep 0.05; done
}
PEERS=()
trap 'kill "${PEERS[@]}" 2>/dev/null || true; cleanup' EXIT
peer target target
peer redirect redir "$(cat "$WORK/target.port")"
expect_exit 1 "$SFACCESS" sync --domain "http://127.0.0.1:$(cat "$WORK/redir.port")"
grep -q "redirected" "$WORK/err" || fail "redirect: $(cat "$WORK/err")"
[ ! -s "$WORK/target.port.log" ] || fail "the redirect was followed: $(cat "$WORK/target.port.log")"
echo "ok a redirect is reported, not followed: $(head -c 160 "$WORK/err")"

peer huge huge
start=$(date +%s)
expect_exit 1 "$SFACCESS" sync --domain "http://127.0.0.1:$(cat "$WORK/huge.port")"
grep -Eiq "larger than|limit|too large" "$WORK/err" || fail "huge body: $(cat "$WORK/err")"
echo "ok a 300 MB login response is refused in $(( $(date +%s) - start )) s: $(head -c 160 "$WORK/err")"
