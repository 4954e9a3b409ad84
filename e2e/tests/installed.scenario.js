// A province's IT team's day with the INSTALLED package, as one scenario:
// Debian's nginx in front, configured from the installed example
// (/usr/share/doc/ngoaivu/examples/nginx.conf); two people sign in through
// it over HTTPS and edit one record from two browsers (the second sees the
// conflict); the service is stopped under load (nothing that reached it
// fails) and started again; its metrics are read on loopback; a backup is
// taken while it serves and restored.
//
// Not part of `npm test`: scripts/check-package runs it as root after
// `dpkg -i`, once /etc/ngoaivu/ngoaivu.toml says where the service listens
// and is published, which proxy to trust, and to serve metrics:
//
//   NGOAIVU_SCENARIO_DIR         a scratch directory (nginx, logs, pid files)
//   NGOAIVU_SCENARIO_UPSTREAM    http://127.0.0.1:PORT, the file's `listen`
//   NGOAIVU_SCENARIO_PUBLIC_URL  https://127.0.0.1:PORT, the file's `public_url`
//   NGOAIVU_SCENARIO_EXAMPLE     the nginx example (default: the installed one)
//
// The service runs as its systemd unit would (scripts/run-as-unit); its
// output goes to NGOAIVU_SCENARIO_DIR/ngoaivu.log, its PID to ngoaivu.pid.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { E2E_DIR, andWait, launchBrowser, login, shot, startNginx } from './helpers.js';

function setting(name, dflt) {
  const v = process.env[name] || dflt;
  if (!v) throw new Error(`${name} is not set: this scenario runs from scripts/check-package, against the installed package`);
  return v;
}
const WORK = setting('NGOAIVU_SCENARIO_DIR');
const UPSTREAM = setting('NGOAIVU_SCENARIO_UPSTREAM');
const PUBLIC = setting('NGOAIVU_SCENARIO_PUBLIC_URL');
const EXAMPLE = setting('NGOAIVU_SCENARIO_EXAMPLE', '/usr/share/doc/ngoaivu/examples/nginx.conf');

const CONFIG = '/etc/ngoaivu/ngoaivu.toml';
const DATA = '/var/lib/ngoaivu';
const UNIT = '/lib/systemd/system/ngoaivu.service';
const RUN_AS_UNIT = resolve(E2E_DIR, '..', 'scripts', 'run-as-unit');
const SERVICE_LOG = join(WORK, 'ngoaivu.log');
const SERVICE_PID = join(WORK, 'ngoaivu.pid');
/** systemd kills the service after TimeoutStopSec: so does this scenario. */
const STOP_TIMEOUT_MS = 1000 * Number(readFileSync(UNIT, 'utf8').match(/^TimeoutStopSec=(\d+)$/m)?.[1] ?? 90);
const READY_TIMEOUT_MS = 30_000;

const ONE = 'it-bien-tap-mot';
const TWO = 'it-bien-tap-hai';
const PASSWORD = { [ONE]: 'mat khau cua nguoi thu nhat', [TWO]: 'mat khau cua nguoi thu hai' };

// ---- the installed command line, as the service's user ---------------------

/** `ngoaivu ARGS` as the ngoaivu user in its data directory, `input` on stdin. */
function ngoaivu(args, input = '') {
  const r = spawnSync('runuser', ['-u', 'ngoaivu', '--', '/usr/bin/ngoaivu', '--config', CONFIG, ...args], {
    cwd: DATA, input, encoding: 'utf8', timeout: 120_000,
  });
  return { code: r.status, out: r.stdout ?? '', err: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

// ---- the service, started and stopped as its unit would be ---------------

/** The service's last log lines, but the access lines (one per request). */
const logTail = (n = 30) => (existsSync(SERVICE_LOG) ? readFileSync(SERVICE_LOG, 'utf8') : '')
  .split('\n').filter((l) => !l.includes('"target":"access"')).slice(-n).join('\n');
let service = null;
process.on('exit', () => service?.child.kill('SIGKILL'));

async function startService() {
  assert.equal(service, null, 'the service is already running');
  const fd = openSync(SERVICE_LOG, 'a');
  const child = spawn(RUN_AS_UNIT, [], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const svc = { child, result: null };
  svc.exited = new Promise((res) => child.on('exit', (code, signal) => res((svc.result = { code, signal }))));
  writeFileSync(SERVICE_PID, `${child.pid}\n`);
  service = svc;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (svc.result) {
      service = null;
      throw new Error(`the service exited (${JSON.stringify(svc.result)}) before it was ready:\n${logTail()}`);
    }
    if ((await call('GET', '/readyz', { base: UPSTREAM, timeoutMs: 2_000 })).status === 200) return;
    if (Date.now() > deadline) throw new Error(`the service was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${logTail()}`);
    await sleep(100);
  }
}

/** Send `signal` and wait for the exit (SIGKILL after TimeoutStopSec, as systemd). */
async function stopService(signal = 'SIGTERM') {
  const svc = service;
  svc.child.kill(signal);
  let timer;
  const late = new Promise((res) => { timer = setTimeout(() => res('late'), STOP_TIMEOUT_MS); });
  const r = await Promise.race([svc.exited, late]);
  clearTimeout(timer);
  if (r === 'late') {
    svc.child.kill('SIGKILL');
    await svc.exited;
  }
  service = null;
  rmSync(SERVICE_PID, { force: true });
  assert.notEqual(r, 'late', `the service did not stop within TimeoutStopSec (${STOP_TIMEOUT_MS / 1000} s)`);
  return r;
}

// ---- HTTP -------------------------------------------------------------------

let agent; // keeps the clients' TLS connections to nginx, trusting its certificate

/**
 * One request; never rejects. `{ status, text }`, or `{ status: 0, error }`
 * when no answer came, or `{ status, error }` when the answer was cut off.
 * `opts.release`: a promise; the body's first half is sent at once, the
 * rest once it resolves (a request in flight for as long as one likes).
 */
function call(method, path, opts = {}) {
  const url = new URL(path, opts.base ?? PUBLIC);
  const tls = url.protocol === 'https:';
  const headers = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.id) headers['x-request-id'] = opts.id;
  let payload = null;
  if (opts.body !== undefined) {
    payload = Buffer.from(JSON.stringify(opts.body));
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(payload.length);
  }
  return new Promise((res) => {
    let settled = false;
    const settle = (r) => { if (!settled) { settled = true; res(r); } };
    const req = (tls ? https : http).request(url, {
      method, headers, agent: tls ? agent : false, timeout: opts.timeoutMs ?? 30_000,
    }, (resp) => {
      const chunks = [];
      resp.on('data', (c) => chunks.push(c));
      resp.on('end', () => settle({ status: resp.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      resp.on('close', () => settle({ status: resp.statusCode, error: 'answer cut off' }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer in time')));
    req.on('error', (e) => settle({ status: 0, error: e.code || e.message }));
    if (payload && opts.release) {
      const half = Math.floor(payload.length / 2);
      req.flushHeaders();
      req.write(payload.subarray(0, half));
      opts.release.then(() => req.end(payload.subarray(half)));
    } else {
      req.end(payload ?? undefined);
    }
  });
}

const json = (r) => {
  try {
    return JSON.parse(r.text);
  } catch {
    throw new Error(`not JSON (status ${r.status} ${r.error ?? ''}): ${String(r.text).slice(0, 300)}`);
  }
};

async function apiToken(username) {
  const r = await call('POST', '/api/v1/sessions', { body: { username, password: PASSWORD[username] } });
  assert.equal(r.status, 201, `sign-in of ${username} through nginx: ${r.status} ${r.error ?? r.text}`);
  return json(r).token;
}

async function createPartner(token, name, id) {
  const r = await call('POST', '/api/v1/partners', { token, id, body: { name, kind: 'foreign_locality', country: 'LA' } });
  assert.equal(r.status, 201, `create ${name}: ${r.status} ${r.error ?? r.text}`);
  return json(r).id;
}

async function partnerTotal(token) {
  const r = await call('GET', '/api/v1/partners?limit=1', { token });
  assert.equal(r.status, 200, `${r.status} ${r.error ?? r.text}`);
  return json(r).total;
}

// ---- logs -------------------------------------------------------------------

/** nginx's access log: request id → { status, up, connect } (see helpers.nginxConf). */
function nginxLog() {
  const seen = new Map();
  for (const line of readFileSync(nginx.accessLog, 'utf8').split('\n')) {
    const m = line.match(/" (\d{3}) \d+ id=(\S+) up=(\S+) connect=(\S+)$/);
    if (m) seen.set(m[2], { status: Number(m[1]), up: m[3], connect: m[4] });
  }
  return seen;
}

/** ngoaivu's access lines (JSON log): request id → status. */
function serviceLog() {
  const seen = new Map();
  let stops = 0;
  for (const line of readFileSync(SERVICE_LOG, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    let o;
    try {
      o = JSON.parse(line);
    } catch {
      continue;
    }
    if (o.target === 'access') seen.set(o.fields.request_id, o.fields.status);
    if (/^stopping:/.test(o.fields?.message ?? '')) stops += 1;
  }
  return { access: seen, stops };
}

// ---- the metrics page -------------------------------------------------------

async function metrics() {
  const r = await call('GET', '/metrics', { base: UPSTREAM });
  assert.equal(r.status, 200, `GET ${UPSTREAM}/metrics on loopback: ${r.status} ${r.error ?? r.text}`);
  return r.text;
}

/** The value of the sample `name{labels}` (labels in the exporter's order), 0 when absent. */
function sample(text, name, labels = '') {
  const key = labels ? `${name}{${labels}}` : name;
  const line = text.split('\n').find((l) => l.startsWith(`${key} `));
  return line ? Number(line.slice(key.length + 1)) : 0;
}

// ---- the scenario ---------------------------------------------------------

/**
 * One step of the day: a test that is skipped once an earlier step failed
 * (each step starts from where the one before left the service).
 */
let failedStep = null;
function step(name, timeout, fn) {
  test(name, { timeout }, async (t) => {
    if (failedStep) {
      t.skip(`after the failed step "${failedStep}"`);
      return;
    }
    try {
      await fn(t);
    } catch (e) {
      failedStep = name;
      throw e;
    }
  });
}

let nginx;
let browser;
const pages = {};

before(async () => {
  for (const u of [ONE, TWO]) {
    const r = ngoaivu(['user', 'add', '--org', 'vinh-long', '--role', 'editor', u], `${PASSWORD[u]}\n`);
    assert.equal(r.code, 0, `ngoaivu user add ${u}: ${r.err}`);
  }
  await startService();
  nginx = await startNginx({
    dir: WORK,
    port: Number(new URL(PUBLIC).port),
    upstream: UPSTREAM,
    example: EXAMPLE,
  });
  assert.equal(nginx.origin, PUBLIC);
  agent = new https.Agent({ keepAlive: true, ca: nginx.ca, maxSockets: 32 });
  browser = await launchBrowser();
});

after(async () => {
  agent?.destroy();
  await Promise.allSettled([browser?.close(), nginx?.stop(), service && stopService()]);
});

step('two people sign in through the installed nginx example over HTTPS', 60_000, async () => {
  for (const u of [ONE, TWO]) {
    // The certificate is self-signed: the browser is told to accept it.
    const context = await browser.newContext({ locale: 'vi-VN', ignoreHTTPSErrors: true });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await login(page, PUBLIC, u, PASSWORD[u]);
    assert.equal(page.url(), `${PUBLIC}/`, `${u} is on the overview, through nginx`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const session = (await context.cookies(PUBLIC)).find((c) => c.name === 'ngoaivu_session');
    assert.ok(session?.secure && session.httpOnly, `a Secure, HttpOnly session: ${JSON.stringify(session)}`);
    pages[u] = page;
  }
  // The sign-in forms went through nginx (its access log).
  assert.match(readFileSync(nginx.accessLog, 'utf8'), /"POST \/login HTTP\/[12](\.\d)?" 303 /);
});

step('one record edited in two browsers: the second to save sees both versions side by side', 60_000, async () => {
  const one = pages[ONE];
  const two = pages[TWO];
  assert.ok(one && two, 'both signed in');
  const token = await apiToken(ONE);
  const conflictRecord = await createPartner(token, 'Tỉnh Luang Prabang');
  const edit = `/records/partners/${conflictRecord}/edit`;
  await one.goto(`${PUBLIC}${edit}`);
  await two.goto(`${PUBLIC}${edit}`);

  // The second person adds a note and saves first.
  await two.getByLabel('Ghi chú').fill('Kết nghĩa từ năm 2019.');
  await andWait(two, () => two.getByRole('button', { name: 'Lưu' }).click());
  assert.equal(new URL(two.url()).pathname, `/records/partners/${conflictRecord}`);

  // The first renames, from the version opened before: not saved, both shown.
  await one.getByLabel(/^Tên \*?$/).fill('Tỉnh Luang Prabang (Lào)');
  await andWait(one, () => one.getByRole('button', { name: 'Lưu' }).click());
  assert.equal(new URL(one.url()).pathname, edit, 'the first to open, second to save, stays on the form');
  const alert = await one.getByRole('alert').innerText();
  assert.match(alert, /người khác đã sửa hồ sơ này/);
  assert.ok(alert.includes(TWO), `the alert names who saved: ${alert}`);
  const rows = await one.locator('table.conflict tbody tr').allInnerTexts();
  const cells = (r) => r.split('\t').map((c) => c.trim());
  assert.ok(
    rows.some((r) => /Tên/.test(r) && cells(r).includes('Tỉnh Luang Prabang') && cells(r).includes('Tỉnh Luang Prabang (Lào)')),
    `the names side by side: ${rows.join(' | ')}`,
  );
  assert.ok(rows.some((r) => /Ghi chú/.test(r) && r.includes('Kết nghĩa từ năm 2019.')), `the note: ${rows.join(' | ')}`);
  const png = await shot(one, '40-installed-edit-conflict');

  // Knowingly: the first keeps the note and saves.
  await one.getByLabel('Ghi chú').fill('Kết nghĩa từ năm 2019.');
  await andWait(one, () => one.getByRole('button', { name: 'Lưu' }).click());
  assert.equal(new URL(one.url()).pathname, `/records/partners/${conflictRecord}`);
  const main = await one.locator('main').innerText();
  assert.ok(main.includes('Tỉnh Luang Prabang (Lào)') && main.includes('Kết nghĩa từ năm 2019.'), main);
  console.log(`# conflict view: ${png}`);
});

step('SIGTERM under load through nginx: every request that reached ngoaivu succeeds; then started again', 180_000, async () => {
  const token = await apiToken(ONE);
  const total0 = await partnerTotal(token);
  const CLIENTS = 6;
  const results = [];
  let loadOn = true;
  const client = async (c) => {
    for (let i = 0; loadOn; i++) {
      const id = `stop-${c}-${i}`;
      const create = i % 2 === 0;
      const t0 = performance.now();
      const r = create
        ? await call('POST', '/api/v1/partners', { token, id, body: { name: `Đối tác tải ${c}-${i}`, kind: 'foreign_locality', country: 'LA' } })
        : await call('GET', '/api/v1/partners?limit=20', { token, id });
      results.push({ id, create, t0, t1: performance.now(), status: r.status, error: r.error, text: r.text });
      if (r.status === 502) await sleep(20);
    }
  };
  const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
  let release;
  const released = new Promise((r) => { release = r; });
  let slowT0, slowResult, exit, tStop, tExit;
  try {
    // The load runs; then one create that stays in flight across the stop:
    // its body's second half is sent only once ngoaivu logged that it stops.
    const warm = Date.now();
    while (results.length < 200) {
      assert.ok(Date.now() - warm < 30_000, `only ${results.length} requests in 30 s`);
      await sleep(20);
    }
    slowT0 = performance.now();
    const slow = call('POST', '/api/v1/partners', {
      token, id: 'stop-slow', release: released, body: { name: 'Đối tác gửi chậm qua lúc dừng', kind: 'foreign_locality', country: 'LA' },
    });
    await sleep(300); // nginx passes the headers on at once (proxy_request_buffering off)

    const stopsBefore = serviceLog().stops;
    tStop = performance.now();
    const stopped = stopService('SIGTERM');
    const seenStop = Date.now();
    while (serviceLog().stops === stopsBefore) {
      assert.ok(Date.now() - seenStop < 10_000, `ngoaivu did not log that it stops:\n${logTail()}`);
      await sleep(10);
    }
    await sleep(200);
    release();
    slowResult = await slow;
    exit = await stopped;
    tExit = performance.now();
    // Requests go on a little after the exit: nginx answers them 502.
    await sleep(500);
  } finally {
    // Whatever failed: no client goes on for ever.
    loadOn = false;
    release();
    await Promise.all(clients);
  }
  assert.deepEqual(exit, { code: 0, signal: null }, `the service exits 0 on SIGTERM:\n${logTail()}`);
  results.push({ id: 'stop-slow', create: true, t0: slowT0, t1: performance.now(), ...slowResult });

  // Every request is told apart by its X-Request-Id in both logs: refused
  // means nginx got no connection (connect=-) and ngoaivu logged nothing.
  const ngx = nginxLog();
  const { access } = serviceLog();
  const ok = [];
  const refused = [];
  const failed = [];
  for (const r of results) {
    const want = r.create ? 201 : 200;
    const n = ngx.get(r.id);
    if (r.status === want && !r.error) ok.push(r);
    else if (r.status === 502 && !r.error && n?.status === 502 && n.connect === '-' && !access.has(r.id)) refused.push(r);
    else failed.push(`${r.id}: ${r.status} ${r.error ?? ''} nginx=${JSON.stringify(n)} ngoaivu=${access.get(r.id)} ${String(r.text ?? '').slice(0, 120)}`);
  }
  const crossed = ok.filter((r) => r.t0 < tStop && r.t1 > tStop);
  const refusedWhileDraining = refused.filter((r) => r.t0 < tExit);
  const figures = {
    sent: results.length,
    answered: ok.length,
    created: ok.filter((r) => r.create).length,
    crossedTheStop: crossed.length,
    refusedAfterStop: refused.length,
    refusedWhileDraining: refusedWhileDraining.length,
    failed: failed.length,
    drainMs: Math.round(tExit - tStop),
  };
  console.log(`# stop under load: ${JSON.stringify(figures)}`);
  writeFileSync(join(WORK, 'stop-figures.json'), `${JSON.stringify(figures)}\n`);

  if (failed.length > 0) {
    // What nginx saw go wrong, besides finding nobody listening.
    const errors = readFileSync(join(WORK, 'error.log'), 'utf8').split('\n').filter((l) => l && !l.includes('connect() failed (111'));
    console.log(`# nginx's error log, but "connection refused":\n${errors.map((l) => `#   ${l}`).join('\n')}`);
  }
  assert.deepEqual(failed, [], 'requests that reached ngoaivu and failed, or were cut off');
  assert.equal(slowResult.status, 201, `the create in flight across the stop: ${slowResult.status} ${slowResult.error ?? slowResult.text}`);
  assert.ok(ok.length >= 200, `answered ${ok.length}`);
  assert.ok(refused.length > 0, 'the load went on past the stop (nginx refused some requests)');
  for (const r of ok) {
    assert.equal(access.get(r.id), r.create ? 201 : 200, `ngoaivu's access log has ${r.id}`);
  }

  // Started again as the unit would (systemd's Restart= or an operator):
  // every acknowledged create is there, once.
  await startService();
  assert.equal(await partnerTotal(token), total0 + figures.created, 'records after the restart');
});

step('the metrics, read on loopback, count the requests', 60_000, async () => {
  const token = await apiToken(TWO);
  const m0 = await metrics();
  const READS = 7;
  for (let i = 0; i < READS; i++) {
    const r = await call('GET', '/api/v1/partners?limit=5', { token });
    assert.equal(r.status, 200);
  }
  assert.equal((await call('GET', '/api/v1/partners/987654321', { token })).status, 404);
  const m1 = await metrics();
  const reads = 'method="GET",route="/api/v1/partners",status="200"';
  const missing = 'method="GET",route="/api/v1/partners/{id}",status="404"';
  assert.equal(sample(m1, 'ngoaivu_http_requests_total', reads) - sample(m0, 'ngoaivu_http_requests_total', reads), READS, m1);
  assert.equal(sample(m1, 'ngoaivu_http_requests_total', missing) - sample(m0, 'ngoaivu_http_requests_total', missing), 1, m1);
  assert.ok(sample(m1, 'ngoaivu_sign_ins_total', 'outcome="success"') >= 1, 'the sign-in is counted');
  assert.ok(sample(m1, 'ngoaivu_http_request_duration_seconds_count', 'method="GET",route="/api/v1/partners"') >= READS);
  assert.match(m1, /^ngoaivu_http_requests_in_flight \d+/m);
  const version = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'ngoaivu'], { encoding: 'utf8' }).stdout.replace(/-[^-]*$/, '');
  assert.equal(sample(m1, 'ngoaivu_build_info', `version="${version}"`), 1, `the installed version ${version}`);
});

step('a backup taken while serving, restored after a stop: what came after it is gone, what came before is there', 120_000, async () => {
  const token = await apiToken(ONE);
  const beforeBackup = await createPartner(token, 'Tỉnh Hủa Phăn (trước sao lưu)');
  const file = join(DATA, 'kich-ban-sao-luu.db');
  rmSync(file, { force: true });
  // Writes go on while the backup runs.
  let writing = true;
  const writes = [];
  const writer = (async () => {
    for (let i = 0; writing; i++) writes.push((await call('POST', '/api/v1/partners', { token, body: { name: `Đối tác lúc sao lưu ${i}`, kind: 'foreign_locality', country: 'LA' } })).status);
  })();
  const b = ngoaivu(['backup', '-o', file]);
  writing = false;
  await writer;
  assert.equal(b.code, 0, `ngoaivu backup: ${b.err}`);
  assert.ok(writes.length > 0 && writes.every((s) => s === 201), `writes during the backup: ${writes.join(' ')}`);
  const afterBackup = await createPartner(token, 'Tỉnh Xiêng Khoảng (sau sao lưu)');

  const refused = ngoaivu(['restore', file]);
  assert.notEqual(refused.code, 0, 'restore refuses while the server runs');
  assert.match(refused.err, /in use/);

  assert.deepEqual(await stopService('SIGTERM'), { code: 0, signal: null });
  const r = ngoaivu(['restore', file]);
  assert.equal(r.code, 0, `ngoaivu restore: ${r.err}`);
  await startService();

  assert.equal((await call('GET', `/api/v1/partners/${beforeBackup}`, { token })).status, 200, 'the record from before the backup');
  assert.equal((await call('GET', `/api/v1/partners/${afterBackup}`, { token })).status, 404, 'the record from after the backup');
  // The browsers' sessions (from before the backup) still hold, through nginx.
  const one = pages[ONE];
  await one.goto(`${PUBLIC}/records/partners/${beforeBackup}`);
  assert.match(await one.locator('main').innerText(), /Tỉnh Hủa Phăn \(trước sao lưu\)/);
  const gone = await one.goto(`${PUBLIC}/records/partners/${afterBackup}`);
  assert.equal(gone.status(), 404);
  rmSync(file, { force: true });
});
