// Throwaway: screenshots of pages of a running server (not a test).
import { chromium } from 'playwright-core';
const [base, user, pw, ...paths] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const p = await b.newPage({ viewport: { width: 1400, height: 1000 } });
await p.goto(base + '/login');
await p.getByLabel(/Tên đăng nhập/).fill(user);
await p.getByLabel(/Mật khẩu/).fill(pw);
await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: /Đăng nhập/ }).click()]);
let i = 0;
for (const path of paths) {
  const [url, sel] = path.split('@');
  await p.goto(base + url);
  if (sel) {
    await p.locator(sel).first().scrollIntoViewIfNeeded();
    await p.screenshot({ path: `/tmp/shots/${user}-${i++}.png` });
  } else {
    await p.screenshot({ path: `/tmp/shots/${user}-${i++}.png`, fullPage: true });
  }
  console.log(path, '→', p.url());
}
await b.close();
