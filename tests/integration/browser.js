// Drives headless Chromium over the DevTools protocol on a pipe
// (--remote-debugging-pipe: no port, no npm package) to check an HTML
// report: no console error, exception or CSP violation; the row count
// shown; filtering, sorting, paging; then screenshots (screen and print).
// Usage: node browser.js --html FILE --shot PNG --rows N
//          [--filter TEXT=COUNT]... [--select KEY=VALUE=COUNT]...
//          [--hostile TEXT] [--print-shot PNG] [--max-ms MS]
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const args = { filter: [], select: [] };
for (let i = 2; i < process.argv.length; i += 2) {
  const k = process.argv[i].replace(/^--/, ''), v = process.argv[i + 1];
  if (Array.isArray(args[k])) args[k].push(v); else args[k] = v;
}
if (!args.html || !args.shot || args.rows === undefined) {
  console.error('usage: node browser.js --html FILE --shot PNG --rows N ...');
  process.exit(2);
}
const maxMs = Number(args['max-ms'] || 3000);
const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); console.log(`${ok ? 'ok' : 'FAIL'} ${what}`); };

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sfa-chromium-'));
const chrome = spawn(process.env.CHROMIUM || 'chromium', [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-extensions', '--hide-scrollbars', `--user-data-dir=${profile}`,
  '--remote-debugging-pipe', 'about:blank',
], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
let chromeErr = '';
chrome.stderr.on('data', (d) => { chromeErr += d; });
const killer = setTimeout(() => { console.error('FAIL timed out'); finish(1); }, 120000);

// CDP over the pipe: JSON messages ended by NUL, in both directions.
let nextId = 1, inbuf = '';
const pending = new Map(), listeners = [];
chrome.stdio[4].on('data', (chunk) => {
  inbuf += chunk.toString('utf8');
  let z;
  while ((z = inbuf.indexOf('\0')) >= 0) {
    const msg = JSON.parse(inbuf.slice(0, z));
    inbuf = inbuf.slice(z + 1);
    if (msg.id && pending.has(msg.id)) {
      const { resolve, reject } = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) reject(new Error(JSON.stringify(msg.error))); else resolve(msg.result);
    } else if (msg.method) {
      listeners.forEach((fn) => fn(msg));
    }
  }
});
function send(method, params = {}, sessionId) {
  const id = nextId++;
  chrome.stdio[3].write(JSON.stringify({ id, method, params, sessionId }) + '\0');
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Chromium's helper processes keep writing into the profile for a moment
// after the browser is killed, so the profile is removed only once the
// browser has exited, with retries; a leftover temporary directory is not a
// failure of the report under test.
let finishing = false;
function finish(code) {
  if (finishing) return;
  finishing = true;
  clearTimeout(killer);
  const cleanup = () => {
    try {
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch (e) {
      console.error(`note: could not remove ${profile}: ${e.code || e.message}`);
    }
    process.exit(code);
  };
  if (chrome.exitCode !== null || chrome.signalCode !== null) return cleanup();
  chrome.once('exit', () => setTimeout(cleanup, 100));
  setTimeout(cleanup, 5000).unref();
  try { chrome.kill('SIGKILL'); } catch (e) { cleanup(); }
}

const problems = [];
async function main() {
  listeners.push((m) => {
    if (m.method === 'Runtime.exceptionThrown') problems.push(`exception: ${m.params.exceptionDetails.exception?.description || m.params.exceptionDetails.text}`);
    if (m.method === 'Runtime.consoleAPICalled' && ['error', 'assert', 'warning'].includes(m.params.type)) problems.push(`console.${m.params.type}: ${m.params.args.map((a) => a.value ?? a.description).join(' ')}`);
    if (m.method === 'Log.entryAdded' && ['error', 'warning'].includes(m.params.entry.level)) problems.push(`log ${m.params.entry.source}: ${m.params.entry.text}`);
  });
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  const s = (method, params) => send(method, params, sessionId);
  await s('Runtime.enable'); await s('Log.enable'); await s('Page.enable');
  await s('Emulation.setDeviceMetricsOverride', { width: 1400, height: 1000, deviceScaleFactor: 1, mobile: false });
  const evaluate = async (expr) => {
    const r = await s('Runtime.evaluate', { expression: expr, returnByValue: true, awaitPromise: true });
    if (r.exceptionDetails) throw new Error(`evaluate ${expr}: ${r.exceptionDetails.text}`);
    return r.result.value;
  };
  const count = () => evaluate("(()=>{const c=document.getElementById('sfa-count');return c?{m:+c.dataset.matching,t:+c.dataset.total,text:c.textContent,body:document.querySelectorAll('#sfa-body tr').length}:null})()");
  async function waitFor(pred, what) {
    const t0 = Date.now();
    for (;;) {
      const c = await count();
      if (c && pred(c)) return { c, ms: Date.now() - t0 };
      if (Date.now() - t0 > 20000) throw new Error(`waiting for ${what}: ${JSON.stringify(c)}`);
      await sleep(20);
    }
  }

  const url = 'file://' + path.resolve(args.html);
  const t0 = Date.now();
  await s('Page.navigate', { url });
  await waitFor((c) => typeof c.t === 'number' && c.t >= 0, 'the table to render');
  console.log(`loaded and rendered in ${Date.now() - t0} ms`);
  const rows = Number(args.rows);
  let { c } = await waitFor(() => true, 'count');
  check(c.t === rows && c.m === rows, `row count is ${rows} (page says ${c.t}/${c.m}: "${c.text}")`);
  check(c.body === Math.min(rows, 50) || (rows === 0 && c.body === 1), `one page of rows in the DOM (${c.body})`);
  check(c.text.includes(rows.toLocaleString('en-US')), `count text names ${rows.toLocaleString('en-US')}: "${c.text}"`);

  for (const f of args.filter) {
    const eq = f.lastIndexOf('='), text = f.slice(0, eq), want = Number(f.slice(eq + 1));
    await evaluate(`(()=>{const q=document.getElementById('sfa-q');q.value=${JSON.stringify(text)};q.dispatchEvent(new Event('input'));})()`);
    const r = await waitFor((x) => x.m === want || (x.m !== rows && want !== rows), `filter ${text}`);
    check(r.c.m === want, `filter "${text}" matches ${want} (page: ${r.c.m}, ${r.ms} ms incl. 120 ms debounce)`);
    check(r.ms < maxMs, `filter "${text}" under ${maxMs} ms`);
    await evaluate("document.getElementById('sfa-clear').click()");
    await waitFor((x) => x.m === rows, 'clear');
  }
  for (const f of args.select) {
    const [key, value, n] = f.split('=');
    const want = Number(n);
    const idx = await evaluate(`JSON.parse(document.getElementById('sfa-data').textContent.slice(0, 4000).replace(/,\\s*"rows":[\\s\\S]*$/, '}')).columns.findIndex(c=>c.key===${JSON.stringify(key)})`);
    const ok = await evaluate(`(()=>{const s=document.querySelectorAll('#sfa-head tr.filters th')[${idx}].querySelector('select');if(!s)return false;s.value=${JSON.stringify(value)};s.dispatchEvent(new Event('change'));return s.value===${JSON.stringify(value)};})()`);
    check(ok, `column ${key} has a select with option ${value}`);
    const r = await waitFor((x) => x.m === want || x.m !== rows, `select ${key}`);
    check(r.c.m === want, `select ${key}=${value} matches ${want} (page: ${r.c.m}, ${r.ms} ms)`);
    await evaluate("document.getElementById('sfa-clear').click()");
    await waitFor((x) => x.m === rows, 'clear');
  }
  if (rows > 50) {
    await evaluate("document.getElementById('sfa-next').click()");
    ({ c } = await waitFor((x) => /Showing 51–100 /.test(x.text), 'page 2'));
    check(c.body === 50, 'page 2 shows 50 rows');
    await evaluate("document.getElementById('sfa-first').click()");
  }
  // Sorting: the first column descending puts the largest value first.
  const ts = Date.now();
  await evaluate("document.querySelector('#sfa-head button.sort').click()");
  await evaluate("document.querySelector('#sfa-head button.sort').click()");
  const sorted = await evaluate("(()=>{const th=document.querySelector('#sfa-head th');return {sort:th.getAttribute('aria-sort'),first:document.querySelector('#sfa-body td').textContent}})()");
  check(sorted.sort === 'descending', `sorting marks the header (${sorted.sort}, two sorts in ${Date.now() - ts} ms)`);
  const maxFirst = await evaluate("(()=>{const d=JSON.parse(document.getElementById('sfa-data').textContent);let m='',p='';for(const r of d.rows){const v=r[0]===0?p:r[0];p=v;if(v.toLowerCase()>m.toLowerCase())m=v;}return m;})()");
  check(sorted.first === maxFirst, `descending sort starts with "${maxFirst}" (page: "${sorted.first}")`);
  await evaluate("document.querySelector('#sfa-head button.sort').click()");

  if (args.hostile) {
    const h = await evaluate(`(()=>{const cells=[...document.querySelectorAll('#sfa-body td, .stat, svg text, dl.meta dd')].map(e=>e.textContent);return {img:document.querySelectorAll('img').length,scripts:document.scripts.length,pwned:!!window.__pwned,shown:cells.some(t=>t.includes(${JSON.stringify(args.hostile)}))};})()`);
    check(h.img === 0 && !h.pwned, `hostile markup stays text (img elements: ${h.img}, pwned: ${h.pwned})`);
    check(h.scripts === 2, `only the two scripts the writer wrote (${h.scripts})`);
    check(h.shown, `hostile value shown as text: ${args.hostile}`);
  }

  const shot = await s('Page.captureScreenshot', { format: 'png' });
  fs.writeFileSync(args.shot, Buffer.from(shot.data, 'base64'));
  console.log(`screenshot: ${args.shot}`);
  if (args['print-shot']) {
    await s('Emulation.setEmulatedMedia', { media: 'print' });
    const p = await s('Page.captureScreenshot', { format: 'png' });
    fs.writeFileSync(args['print-shot'], Buffer.from(p.data, 'base64'));
    console.log(`print screenshot: ${args['print-shot']}`);
    await s('Emulation.setEmulatedMedia', { media: '' });
  }
  await sleep(50);
  check(problems.length === 0, `no console errors, exceptions or CSP violations${problems.length ? ':\n  ' + problems.join('\n  ') : ''}`);
  return failures.length ? 1 : 0;
}

main().then(finish, (e) => {
  console.error(`FAIL ${e.message}`);
  if (problems.length) console.error('console problems:\n  ' + problems.join('\n  '));
  if (chromeErr) console.error(chromeErr.split('\n').filter((l) => !/dbus|fontconfig|unexpected operator/i.test(l)).slice(-10).join('\n'));
  finish(1);
});
