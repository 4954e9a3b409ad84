// Shared machinery of the browser tests: a throwaway ngoaivu server with the
// demo data, a headless Chromium (the system one, through playwright-core),
// sign-in and screenshot helpers, and Debian's nginx in front with TLS,
// configured from the shipped example.
//
// Environment:
//   NGOAIVU_BIN    the ngoaivu binary (default ../target/debug/ngoaivu from e2e/)
//   CHROMIUM_PATH  the Chromium executable (default /usr/bin/chromium)

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const E2E_DIR = resolve(here, '..');
export const SCREENSHOT_DIR = join(E2E_DIR, 'screenshots');

/** How long the server may take to load the demo and start listening. */
const START_TIMEOUT_MS = 120_000;

function binaryPath() {
  const bin = process.env.NGOAIVU_BIN || join(E2E_DIR, '..', 'target', 'debug', 'ngoaivu');
  return resolve(E2E_DIR, bin);
}

/** Every server started here, so that an unexpected exit still stops them. */
const running = new Set();
process.on('exit', () => {
  for (const child of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

/**
 * Start `ngoaivu serve --demo` on a free port in a fresh temporary directory
 * (so the demo loads into an empty SQLite file). Resolves once the server
 * prints its `listening on http://ADDR` line, with
 * `{ baseURL, accounts, stop() }` (`extraEnv`: settings for this server);
 * `accounts` maps each demo username to
 * `{ org, role, password }` as printed in the accounts table.
 */
export async function startServer(extraEnv = {}) {
  const bin = binaryPath();
  if (!existsSync(bin)) {
    throw new Error(`ngoaivu binary not found at ${bin} (build it with cargo build -p ngoaivu-app, or set NGOAIVU_BIN)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'ngoaivu-e2e-'));
  // Settings from the caller's environment must not point the server at
  // another database, address or config file.
  const env = { ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn' };
  for (const k of ['NGOAIVU_DATABASE_URL', 'NGOAIVU_LISTEN', 'NGOAIVU_CONFIG']) delete env[k];
  Object.assign(env, extraEnv);
  const child = spawn(
    bin,
    ['serve', '--demo', '--db', 'sqlite:ngoaivu.db', '--listen', '127.0.0.1:0'],
    { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(child);

  const stdoutLines = [];
  const stderrTail = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 40) stderrTail.shift();
  });

  let exited = null;
  const exitPromise = new Promise((res) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      running.delete(child);
      res(exited);
    });
  });

  const stop = async () => {
    if (exited === null) {
      child.kill('SIGINT');
      const timer = setTimeout(() => {
        if (exited === null) child.kill('SIGKILL');
      }, 5_000);
      await exitPromise;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const accounts = {};
  let inTable = false;
  try {
    const baseURL = await new Promise((res, rej) => {
      const timer = setTimeout(
        () => rej(new Error(`the server did not print "listening on" within ${START_TIMEOUT_MS / 1000} s`)),
        START_TIMEOUT_MS,
      );
      const rl = createInterface({ input: child.stdout });
      rl.on('line', (line) => {
        stdoutLines.push(line);
        const m = line.match(/listening on (http:\/\/\S+)/);
        if (m) {
          clearTimeout(timer);
          res(m[1].replace(/\/$/, ''));
          return;
        }
        // The accounts table: a header `  USERNAME  ORG  ROLE  PASSWORD`,
        // then one `  USERNAME  ORG  ROLE  PASSWORD` line per account, then
        // an empty line.
        const cols = line.trim().split(/\s+/);
        if (cols.length === 4 && cols[0] === 'USERNAME' && cols[3] === 'PASSWORD') {
          inTable = true;
        } else if (inTable && line.trim() === '') {
          inTable = false;
        } else if (inTable && line.startsWith('  ') && cols.length === 4) {
          const [username, org, role, password] = cols;
          accounts[username] = { org, role, password };
        }
      });
      exitPromise.then(({ code, signal }) => {
        clearTimeout(timer);
        rej(new Error(`the server exited (code ${code}, signal ${signal}) before listening`));
      });
    });
    return { baseURL, accounts, stop };
  } catch (e) {
    await stop();
    e.message +=
      `\n--- server stdout ---\n${stdoutLines.join('\n')}` +
      `\n--- server stderr (last lines) ---\n${stderrTail.join('\n')}`;
    throw e;
  }
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

/**
 * Run `action` (a click, a key press) that makes the page load a new
 * document, and wait until that document has loaded.
 */
export async function andWait(page, action) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load', timeout: 15_000 }), action()]);
}

/**
 * Sign in through the form at /login: fill the labelled fields and submit.
 * Returns once the answer page has loaded (the overview on success, the
 * login page again with its error on failure).
 */
export async function login(page, baseURL, username, password) {
  await page.goto(`${baseURL}/login`);
  await page.getByLabel(/^(Tên đăng nhập|Username)$/).fill(username);
  await page.getByLabel(/^(Mật khẩu|Password)$/).fill(password);
  await andWait(page, () => page.locator('form[action="/login"] button[type="submit"]').click());
}

/** A full-page screenshot in e2e/screenshots/NAME.png. */
export async function shot(page, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find(existsSync) || 'nginx';

/**
 * The shipped nginx example (`shipped`: its text) made runnable here: the
 * TLS server block on 127.0.0.1:`port` with the certificate in `dir`,
 * proxying to `upstream`; the HTTP→HTTPS block left out (it needs port
 * 80); everything else as shipped. nginx's access log (`dir`/access.log)
 * gives per request `"REQUEST" STATUS id=X-REQUEST-ID up=UPSTREAM-STATUS
 * connect=UPSTREAM-CONNECT-TIME`: `connect=-` means nginx never reached
 * the upstream.
 */
export function nginxConf(dir, port, upstream, shipped) {
  const tls = shipped.slice(shipped.lastIndexOf('server {'));
  const server = tls
    .replace(/listen 443 ssl http2;/, `listen 127.0.0.1:${port} ssl http2;`)
    .replace(/\s*listen \[::\]:443 ssl http2;/, '')
    .replace(/server_name [^;]+;/, 'server_name 127.0.0.1;')
    .replace(/ssl_certificate [^;]+;/, `ssl_certificate ${dir}/cert.pem;`)
    .replace(/ssl_certificate_key [^;]+;/, `ssl_certificate_key ${dir}/key.pem;`)
    .replace(/proxy_pass http:\/\/127\.0\.0\.1:8080;/, `proxy_pass ${upstream};`);
  if (!(server.includes(`proxy_pass ${upstream};`) && server.includes(`${port} ssl`))) {
    throw new Error('the shipped nginx example changed shape');
  }
  return `
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  log_format ngoaivu_test '$remote_addr [$time_local] "$request" $status $body_bytes_sent '
                          'id=$http_x_request_id up=$upstream_status connect=$upstream_connect_time';
  access_log ${dir}/access.log ngoaivu_test;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  ${server}
}
`;
}

/**
 * Start nginx on 127.0.0.1:`port` in front of `upstream`, configured from
 * the example at `example` (a path), with a fresh self-signed certificate
 * for 127.0.0.1, everything in the existing directory `dir`. Resolves once
 * it answers through TLS, with `{ origin, ca, accessLog, stop() }` (`ca`:
 * the certificate, to trust it).
 */
export async function startNginx({ dir, port, upstream, example }) {
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'pipe', timeout: 30_000 });
  writeFileSync(join(dir, 'nginx.conf'), nginxConf(dir, port, upstream, readFileSync(example, 'utf8')));
  const child = spawn(NGINX, ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  // SIGTERM, not SIGKILL, at an unexpected exit: nginx's master then stops its workers.
  const onExit = () => child.kill('SIGTERM');
  process.on('exit', onExit);
  let exited = false;
  const exitPromise = new Promise((res) => child.on('exit', () => { exited = true; process.off('exit', onExit); res(); }));
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => { if (!exited) child.kill('SIGKILL'); }, 5_000);
      await exitPromise;
      clearTimeout(timer);
    }
  };
  // Ready when it answers through TLS.
  const started = Date.now();
  for (;;) {
    try {
      execFileSync('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-brief'], { input: '', stdio: 'pipe', timeout: 5_000 });
      break;
    } catch {
      if (exited || Date.now() - started > 20_000) {
        await stop();
        const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '';
        throw new Error(`nginx did not start: ${err}${log}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    origin: `https://127.0.0.1:${port}`,
    ca: readFileSync(join(dir, 'cert.pem')),
    accessLog: join(dir, 'access.log'),
    stop,
  };
}
