// Browser tests of the ngoaivu web pages: one demo server and one Chromium
// for the whole file, a fresh browser context (no cookies) per test.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';

import { andWait, launchBrowser, login, shot, startServer } from './helpers.js';

const VL = 'vinh-long-editor';
const DT = 'dong-thap-editor';
const BNG = 'bo-ngoai-giao-viewer';

let server;
let browser;

before(async () => {
  server = await startServer();
  for (const u of [VL, DT, BNG]) {
    assert.ok(server.accounts[u], `the demo accounts table printed no ${u} (got: ${Object.keys(server.accounts).join(', ')})`);
  }
  browser = await launchBrowser();
});

after(async () => {
  // Both always, even when one of them fails.
  await Promise.allSettled([browser?.close(), server?.stop()]);
});

/** A new page in a fresh context (its own cookies), closed by the test context. */
async function freshPage(t, options = {}) {
  const context = await browser.newContext({ locale: 'vi-VN', ...options });
  context.setDefaultTimeout(10_000);
  t.after(() => context.close());
  return context.newPage();
}

const url = (path) => `${server.baseURL}${path}`;
const pathOf = (page) => new URL(page.url()).pathname;
const pw = (u) => server.accounts[u].password;

/** The header's search box: labelled, of role searchbox. */
const headerSearch = (page) => page.locator('header').getByRole('searchbox', { name: /^(Tìm kiếm|Search)$/ });

/** Search through the header's search box. */
async function searchFromHeader(page, words) {
  const box = headerSearch(page);
  await box.fill(words);
  await andWait(page, () => box.press('Enter'));
}

/** The id of the partner "Xiêng Khoảng" as the list of `page`'s user shows it. */
async function xiengKhoangId(page) {
  await page.goto(url('/records/partners'));
  const link = page.locator('table.list tbody a', { hasText: /^Xiêng Khoảng$/ });
  await link.first().waitFor();
  const href = await link.first().getAttribute('href');
  const m = href.match(/^\/records\/partners\/(\d+)$/);
  assert.ok(m, `unexpected link ${href}`);
  return m[1];
}

test('sign in: the overview shows the organisation and counts; a wrong password is refused in Vietnamese', async (t) => {
  const page = await freshPage(t);

  // A wrong password first: the error in Vietnamese, the username kept.
  await login(page, server.baseURL, VL, 'not-the-password');
  assert.equal(pathOf(page), '/login');
  const alert = page.getByRole('alert');
  assert.match(await alert.innerText(), /Sai tên đăng nhập hoặc mật khẩu/);
  assert.equal(await page.locator('#username').inputValue(), VL);
  assert.equal(await page.locator('#password').inputValue(), '', 'the password must not be sent back');
  await shot(page, '01-login-wrong-password');

  // The right one: the overview of Vĩnh Long with a count per record type.
  await login(page, server.baseURL, VL, pw(VL));
  assert.equal(pathOf(page), '/');
  assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
  assert.match(await page.locator('header').innerText(), /Vĩnh Long/);
  assert.match(await page.locator('header').innerText(), new RegExp(VL));
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Tổng quan · Tỉnh Vĩnh Long');
  const cards = page.locator('main ul.cards a.card');
  const types = await page.locator('nav.main a[href^="/records/"]').count();
  assert.ok(types >= 12, `the menu lists the record types (${types})`);
  assert.equal(await cards.count(), types, 'one card per record type');
  const partnersCard = cards.filter({ hasText: 'Đối tác' });
  assert.equal(await partnersCard.getAttribute('href'), '/records/partners');
  const n = Number((await partnersCard.locator('.n').innerText()).replace(/\D/g, ''));
  assert.ok(n >= 1, `the partners count should be at least 1, got ${n}`);
  let total = 0;
  for (const c of await cards.locator('.n').allInnerTexts()) {
    assert.match(c.trim(), /^\d[\d.]*$/, `a count: ${c}`);
    total += Number(c.replace(/\D/g, ''));
  }
  assert.ok(total > n, 'several record types have records');
  await shot(page, '01-overview-vinh-long');
});

test('lists: partners shows Xiêng Khoảng (Lào); agreements shows the Vĩnh Long–Xiêng Khoảng agreement', async (t) => {
  const page = await freshPage(t);
  await login(page, server.baseURL, VL, pw(VL));

  await page.getByRole('navigation', { name: 'Các loại hồ sơ' }).getByRole('link', { name: 'Đối tác', exact: true }).click();
  await page.waitForURL('**/records/partners');
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Đối tác');
  const row = page.locator('table.list tbody tr', { has: page.getByRole('link', { name: 'Xiêng Khoảng', exact: true }) });
  assert.equal(await row.count(), 1, 'one row for Xiêng Khoảng');
  const cells = (await row.locator('td').allInnerTexts()).map((s) => s.trim());
  assert.ok(cells.includes('Lào'), `the row shows the country in Vietnamese: ${JSON.stringify(cells)}`);
  assert.match(await page.locator('p.count').innerText(), /\d+ bản ghi/);
  await shot(page, '02-partners-list');

  await page.getByRole('navigation', { name: 'Các loại hồ sơ' }).getByRole('link', { name: 'Thỏa thuận quốc tế', exact: true }).click();
  await page.waitForURL('**/records/agreements');
  const agreement = page.locator('table.list tbody a', {
    hasText: /Vĩnh Long.*Xiêng Khoảng/,
  });
  assert.ok((await agreement.count()) >= 1, 'the Vĩnh Long–Xiêng Khoảng agreement is listed');
  await shot(page, '02-agreements-list');

  // Its detail page names the partner.
  await andWait(page, () => agreement.first().click());
  assert.match(pathOf(page), /^\/records\/agreements\/\d+$/);
  assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /Xiêng Khoảng/);
  assert.ok((await page.locator('main a', { hasText: /^Xiêng Khoảng$/ }).count()) >= 1, 'a link to the partner');
  await shot(page, '02-agreement-detail');
});

test('search without diacritics finds and highlights Xiêng Khoảng', async (t) => {
  const page = await freshPage(t);
  await login(page, server.baseURL, VL, pw(VL));

  await searchFromHeader(page, 'xieng khoang');
  assert.equal(pathOf(page), '/search');
  assert.equal(new URL(page.url()).searchParams.get('q'), 'xieng khoang');
  assert.equal(await headerSearch(page).inputValue(), 'xieng khoang', 'the header box keeps the words');
  const partners = page.locator('section.group', { has: page.getByRole('heading', { name: /^Đối tác/ }) });
  const hit = partners.locator('ul.results a', { hasText: /^Xiêng Khoảng$/ });
  assert.equal(await hit.count(), 1, 'the partner is found');
  const marks = (await hit.locator('mark').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual(marks, ['Xiêng', 'Khoảng']);
  // The mark is visibly highlighted (a background colour).
  const bg = await hit.locator('mark').first().evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.notEqual(bg, 'rgba(0, 0, 0, 0)', 'the highlight has a background');
  assert.match(await page.locator('p.count').innerText(), /\d+ bản ghi/);
  await shot(page, '03-search-xieng-khoang');

  await andWait(page, () => hit.click());
  assert.match(pathOf(page), /^\/records\/partners\/\d+$/);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Xiêng Khoảng');
  await shot(page, '03-partner-detail');
});

test('English: the labels change and stay English on the next page', async (t) => {
  const page = await freshPage(t);
  await login(page, server.baseURL, VL, pw(VL));
  const nav = page.getByRole('navigation', { name: /^(Các loại hồ sơ|Record types)$/ });
  assert.equal(await nav.getByRole('link', { name: 'Partners', exact: true }).count(), 0);
  assert.equal(await nav.getByRole('link', { name: 'Đối tác', exact: true }).count(), 1);

  await page.goto(url('/records/partners'));
  await andWait(page, () => page.locator('header form[action="/lang"] button').click());
  // Back on the same page, in English.
  assert.equal(pathOf(page), '/records/partners');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await nav.getByRole('link', { name: 'Partners', exact: true }).count(), 1);
  assert.equal(await nav.getByRole('link', { name: 'Đối tác', exact: true }).count(), 0);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Partners');
  const row = page.locator('table.list tbody tr', { has: page.getByRole('link', { name: 'Xiêng Khoảng', exact: true }) });
  const enCells = (await row.locator('td').allInnerTexts()).map((s) => s.trim());
  assert.ok(enCells.some((c) => /^Lao/.test(c)) && !enCells.includes('Lào'), `the country in English: ${JSON.stringify(enCells)}`);
  await shot(page, '04-partners-english');

  // Remembered: the next page is English too.
  await andWait(page, () => nav.getByRole('link', { name: 'Overview', exact: true }).click());
  assert.equal(pathOf(page), '/');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /^Overview · /);
  assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 1);
  assert.equal(await page.getByRole('button', { name: 'Tiếng Việt' }).count(), 1, 'a way back to Vietnamese');
  await shot(page, '04-overview-english');

  // And back to Vietnamese.
  await andWait(page, () => page.getByRole('button', { name: 'Tiếng Việt' }).click());
  assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
  assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /^Tổng quan · /);
});

test('isolation: Đồng Tháp finds nothing of Vĩnh Long and its detail page is "not found"', async (t) => {
  const vl = await freshPage(t);
  await login(vl, server.baseURL, VL, pw(VL));
  const id = await xiengKhoangId(vl);
  const resp = await vl.goto(url(`/records/partners/${id}`));
  assert.equal(resp.status(), 200, 'Vĩnh Long sees its own partner');

  const page = await freshPage(t);
  await login(page, server.baseURL, DT, pw(DT));
  assert.match(await page.locator('header').innerText(), /Đồng Tháp/);
  await searchFromHeader(page, 'xieng khoang');
  assert.match(await page.locator('main p.count').innerText(), /Không tìm thấy kết quả/);
  assert.equal(await page.locator('main ul.results a').count(), 0);
  await shot(page, '05-dong-thap-search-nothing');

  const r = await page.goto(url(`/records/partners/${id}`));
  assert.equal(r.status(), 404);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Không tìm thấy');
  assert.doesNotMatch(await page.locator('main').innerText(), /Xiêng Khoảng/);
  await shot(page, '05-dong-thap-not-found');

  // Nor in its own partners list.
  await page.goto(url('/records/partners'));
  assert.equal(await page.locator('table.list tbody a', { hasText: /Xiêng Khoảng/ }).count(), 0);
});

test('sign out returns to the login page; protected pages then redirect to /login', async (t) => {
  const page = await freshPage(t);
  await login(page, server.baseURL, VL, pw(VL));
  assert.equal(pathOf(page), '/');

  await andWait(page, () => page.getByRole('button', { name: 'Đăng xuất' }).click());
  assert.equal(pathOf(page), '/login');
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Đăng nhập');
  assert.equal(await page.locator('header form[action="/logout"]').count(), 0, 'no sign-out button when signed out');
  await shot(page, '06-after-logout');

  for (const p of ['/records/partners', '/', '/search?q=xieng']) {
    await page.goto(url(p));
    assert.equal(pathOf(page), '/login', `${p} redirects to /login`);
  }
  assert.ok(await page.locator('#username').isVisible());
});

test('keyboard: Tab reaches the search box and the navigation with a visible focus outline', async (t) => {
  const page = await freshPage(t);
  await login(page, server.baseURL, VL, pw(VL));
  await page.goto(url('/'));

  const seen = [];
  let search = null;
  let navLink = null;
  for (let i = 0; i < 25 && !(search && navLink); i++) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      const el = document.activeElement;
      const cs = getComputedStyle(el);
      return {
        tag: el.tagName.toLowerCase(),
        id: el.id,
        text: (el.innerText || el.value || '').trim().slice(0, 30),
        href: el.getAttribute('href'),
        inNav: !!el.closest('nav.main'),
        firstNavLink: el === document.querySelector('nav.main a'),
        outlineStyle: cs.outlineStyle,
        outlineWidth: cs.outlineWidth,
      };
    });
    seen.push(info);
    if (info.id === 'site-q') {
      search = info;
      await shot(page, '07-focus-search-box');
    }
    if (info.firstNavLink) {
      navLink = info;
      await shot(page, '07-focus-first-nav-link');
    }
  }
  const trail = seen.map((s) => `${s.tag}#${s.id}[${s.text}]`).join(' → ');
  assert.ok(search, `Tab reaches the search box: ${trail}`);
  assert.ok(navLink, `Tab reaches the first navigation link: ${trail}`);
  assert.ok(seen.indexOf(search) < seen.indexOf(navLink), 'the search box comes before the navigation');
  for (const el of [search, navLink]) {
    assert.notEqual(el.outlineStyle, 'none', `visible focus on ${el.tag}#${el.id}[${el.text}]`);
    assert.notEqual(el.outlineWidth, '0px', `visible focus on ${el.tag}#${el.id}[${el.text}]`);
  }
  // The skip link comes first and is shown when focused.
  assert.equal(seen[0].href, '#main', `the first stop is the skip link: ${trail}`);
});

test('phone width 360×740: no horizontal scrolling', async (t) => {
  const page = await freshPage(t, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  await login(page, server.baseURL, VL, pw(VL));
  for (const [p, name] of [
    ['/', '08-phone-overview'],
    ['/records/partners', '08-phone-partners'],
    ['/search?q=xieng+khoang', '08-phone-search'],
    ['/reports?kind=annual&year=2022', '08-phone-report'],
    ['/reports/table?ind=trade.export&loc=vinh-long&from=2018&to=2022', '08-phone-table'],
  ]) {
    await page.goto(url(p));
    const w = await page.evaluate(() => document.scrollingElement.scrollWidth);
    await shot(page, name);
    assert.ok(w <= 361, `${p}: the page is ${w} px wide at a 360 px viewport`);
  }
  // The navigation and the search box remain usable.
  assert.ok(await headerSearch(page).isVisible());
  assert.ok(await page.getByRole('navigation', { name: 'Các loại hồ sơ' }).getByRole('link', { name: 'Đối tác', exact: true }).isVisible());
});

test('create a partner, then an agreement with it: a missing name is shown next to its field in Vietnamese, values kept; fixed, it is saved', async (t) => {
  const page = await freshPage(t);
  await login(page, server.baseURL, VL, pw(VL));
  await page.goto(url('/records/partners'));
  await andWait(page, () => page.getByRole('link', { name: 'Thêm mới' }).click());
  assert.equal(pathOf(page), '/records/partners/new');

  const name = page.getByLabel(/^Tên \*?$/);
  const original = page.getByLabel('Tên nguyên gốc');
  const kind = page.getByLabel(/^Loại/);
  const country = page.getByLabel(/^Quốc gia/);
  const notes = page.getByLabel('Ghi chú');
  const stamp = Date.now().toString(36);
  const partnerName = `Tỉnh Thử Nghiệm ${stamp}`;

  await original.fill('Test Province');
  await kind.selectOption({ label: 'Địa phương nước ngoài' });
  await country.selectOption({ label: 'Lào' });
  await notes.fill('Ghi chú thử nghiệm.');
  await shot(page, '09-create-partner-form');
  await andWait(page, () => page.getByRole('button', { name: 'Lưu' }).click());

  // Refused: the error beside the name field, in Vietnamese; the rest kept.
  assert.equal(pathOf(page), '/records/partners/new');
  assert.match(await page.getByRole('alert').innerText(), /Chưa lưu được/);
  const field = page.locator('div.field', { has: page.locator('#name') });
  assert.match(await field.getAttribute('class'), /has-error/);
  assert.equal(await field.locator('.error').innerText(), 'Trường này là bắt buộc.');
  assert.equal(await page.locator('#name').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#name').getAttribute('aria-describedby'), 'name-error');
  assert.equal(await original.inputValue(), 'Test Province');
  assert.equal(await kind.inputValue(), 'foreign_locality');
  assert.equal(await country.inputValue(), 'LA');
  assert.equal(await notes.inputValue(), 'Ghi chú thử nghiệm.');
  await shot(page, '09-create-partner-error');

  // Fixed: saved, and its detail page shows it.
  await name.fill(partnerName);
  await andWait(page, () => page.getByRole('button', { name: 'Lưu' }).click());
  assert.match(pathOf(page), /^\/records\/partners\/\d+$/);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), partnerName);
  const main = await page.locator('main').innerText();
  assert.match(main, /Test Province/);
  assert.match(main, /Lào/);
  assert.match(main, /Ghi chú thử nghiệm\./);
  await shot(page, '09-create-partner-saved');

  // And the list has it.
  await page.goto(url('/records/partners'));
  assert.equal(await page.locator('table.list tbody a', { hasText: partnerName }).count(), 1);

  // An agreement with the new partner, through its form.
  await page.goto(url('/records/agreements'));
  await andWait(page, () => page.getByRole('link', { name: 'Thêm mới' }).click());
  assert.equal(pathOf(page), '/records/agreements/new');
  const title = `Thỏa thuận hợp tác thử nghiệm ${stamp}`;
  await page.getByLabel(/^Tên gọi/).fill(title);
  await page.getByLabel(/^Loại/).selectOption('mou');
  await page.getByLabel(/^Đối tác/).selectOption({ label: `${partnerName} (Lào)` });
  // An editor enters an agreement up to its consultation; signed and in
  // force come after the approval, which is an approver's.
  const offered = await page.getByLabel(/^Trạng thái/).locator('option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(offered.includes('consulting'), offered.join(','));
  for (const past of ['approved', 'signed', 'in_force']) assert.ok(!offered.includes(past), `${past} offered to an editor`);
  await page.getByLabel(/^Trạng thái/).selectOption('consulting');
  await andWait(page, () => page.getByRole('button', { name: 'Lưu' }).click());
  assert.match(pathOf(page), /^\/records\/agreements\/\d+$/);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), title);
  const detail = await page.locator('main').innerText();
  assert.match(detail, new RegExp(partnerName));
  assert.match(detail, /Đang lấy ý kiến/);
  await shot(page, '09-create-agreement-saved');
});

test('two editors: the second to save sees both versions side by side, keeps the first one\'s note, and saves knowingly', async (t) => {
  const VL_ADMIN = 'vinh-long-admin';
  assert.ok(server.accounts[VL_ADMIN], 'the demo has a Vĩnh Long admin');
  const one = await freshPage(t);
  const two = await freshPage(t);
  await login(one, server.baseURL, VL, pw(VL));
  await login(two, server.baseURL, VL_ADMIN, pw(VL_ADMIN));

  // A partner of one's own to edit.
  const stamp = Date.now().toString(36);
  await one.goto(url('/records/partners/new'));
  await one.getByLabel(/^Tên \*?$/).fill(`Tỉnh Luang Prabang ${stamp}`);
  await one.getByLabel(/^Loại/).selectOption({ label: 'Địa phương nước ngoài' });
  await one.getByLabel(/^Quốc gia/).selectOption({ label: 'Lào' });
  await andWait(one, () => one.getByRole('button', { name: 'Lưu' }).click());
  const detail = pathOf(one);
  assert.match(detail, /^\/records\/partners\/\d+$/);

  // Both open the edit form.
  await one.goto(url(`${detail}/edit`));
  await two.goto(url(`${detail}/edit`));

  // The admin adds a note and saves first.
  await two.getByLabel('Ghi chú').fill('Kết nghĩa từ năm 2019.');
  await andWait(two, () => two.getByRole('button', { name: 'Lưu' }).click());
  assert.equal(pathOf(two), detail);

  // The editor renames, from the version opened before: not saved, both shown.
  await one.getByLabel(/^Tên \*?$/).fill(`Tỉnh Luang Prabang (Lào) ${stamp}`);
  await andWait(one, () => one.getByRole('button', { name: 'Lưu' }).click());
  assert.equal(pathOf(one), `${detail}/edit`);
  const alert = one.getByRole('alert');
  assert.match(await alert.innerText(), /người khác đã sửa hồ sơ này/);
  assert.match(await alert.innerText(), /vinh-long-admin/);
  const rows = one.locator('table.conflict tbody tr');
  const seen = await rows.allInnerTexts();
  assert.ok(seen.some((r) => /Tên/.test(r) && r.includes(`Tỉnh Luang Prabang ${stamp}`) && r.includes(`Tỉnh Luang Prabang (Lào) ${stamp}`)), seen.join(' | '));
  assert.ok(seen.some((r) => /Ghi chú/.test(r) && r.includes('Kết nghĩa từ năm 2019.')), seen.join(' | '));
  assert.equal(await one.getByLabel(/^Tên \*?$/).inputValue(), `Tỉnh Luang Prabang (Lào) ${stamp}`);
  await shot(one, '10-edit-conflict');

  // The editor takes the admin's note over and saves.
  await one.getByLabel('Ghi chú').fill('Kết nghĩa từ năm 2019.');
  await andWait(one, () => one.getByRole('button', { name: 'Lưu' }).click());
  assert.equal(pathOf(one), detail);
  const main = await one.locator('main').innerText();
  assert.match(main, new RegExp(`Tỉnh Luang Prabang \\(Lào\\) ${stamp}`));
  assert.match(main, /Kết nghĩa từ năm 2019\./);
});

test('report reader: paste a report, correct the export figure\'s locality, save; it is in the observations list', async (t) => {
  const page = await freshPage(t);
  await login(page, server.baseURL, VL, pw(VL));
  await andWait(page, () => page.locator('nav.main').getByRole('link', { name: 'Đọc báo cáo' }).click());
  assert.equal(pathOf(page), '/reader');

  await page.getByLabel('Dán nội dung báo cáo').fill('Năm 2022, tổng kim ngạch xuất khẩu của tỉnh đạt 793 triệu USD, tăng 37,91% so với năm 2021.');
  await page.getByLabel('Ngày của văn bản').fill('2022-12-20');
  await page.getByLabel('Tên văn bản').fill('Báo cáo thử nghiệm trình đọc');
  await andWait(page, () => page.getByRole('button', { name: 'Đọc báo cáo' }).click());
  assert.match(pathOf(page), /^\/reader\/documents\/\d+$/);

  // The review screen: the figure in words, its words marked in the text, nothing accepted yet.
  const fact = page.locator('div.fact', { hasText: '793.000.000' });
  assert.equal(await fact.count(), 1);
  assert.match(await page.locator('pre.reader-text mark').first().innerText(), /793/);
  assert.equal(await fact.getByLabel('Bỏ qua').isChecked(), true);
  // "của tỉnh" names no province: the reader reads a national figure, which
  // Vĩnh Long may not save as is; correct its locality.
  await fact.getByLabel('Sửa', { exact: true }).check();
  await fact.locator('summary').click();
  await fact.getByLabel('Địa phương').selectOption('vinh-long');
  await shot(page, '10-reader-review');
  await andWait(page, () => page.getByRole('button', { name: 'Lưu các mục đã chấp nhận' }).click());

  assert.match(await page.locator('main').innerText(), /Đã lưu 1 số liệu, 0 đối tác/);
  await andWait(page, () => page.getByRole('link', { name: 'Các số liệu từ văn bản này' }).click());
  const rows = page.locator('table.list tbody tr');
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().innerText(), /793\.000\.000/);
  await shot(page, '10-reader-saved');
});

test('report reader: a province\'s report saved from Word as PDF, uploaded, reviewed least certain first, saved, and seen on the dashboard', async (t) => {
  // The test report (crates/extract/tests/pdfs/baocao.fodt) made Vĩnh Long's
  // of 2024, printed to PDF by LibreOffice as an office would from Word.
  const dir = mkdtempSync(join(tmpdir(), 'ngoaivu-e2e-pdf-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const fodt = readFileSync(new URL('../../crates/extract/tests/pdfs/baocao.fodt', import.meta.url), 'utf8')
    .replaceAll('Bình Định', 'Vĩnh Long').replaceAll('BÌNH ĐỊNH', 'VĨNH LONG').replaceAll('2022', '2024');
  writeFileSync(join(dir, 'bao-cao-doi-ngoai-2024.fodt'), fodt);
  soffice(['--convert-to', 'pdf', '--outdir', dir, join(dir, 'bao-cao-doi-ngoai-2024.fodt')], dir);
  const pdfPath = join(dir, 'bao-cao-doi-ngoai-2024.pdf');

  const page = await freshPage(t);
  await login(page, server.baseURL, VL, pw(VL));
  await page.goto(url('/reader'));
  await page.getByLabel(/^Hoặc tải lên tệp/).setInputFiles(pdfPath);
  await page.getByLabel('Ngày của văn bản').fill('2025-01-15');
  await andWait(page, () => page.getByRole('button', { name: 'Đọc báo cáo' }).click());
  assert.match(pathOf(page), /^\/reader\/documents\/\d+$/);
  assert.match(await page.locator('main p.muted').first().innerText(), /PDF · 3 trang/);

  // The least certain first, each with its confidence, page and reason.
  const facts = page.locator('div.fact[data-confidence]');
  const n = await facts.count();
  assert.ok(n >= 4, `${n} facts`);
  const confidences = await facts.evaluateAll((els) => els.map((e) => Number(e.dataset.confidence)));
  assert.deepEqual(confidences, [...confidences].sort((a, b) => a - b));
  for (let i = 0; i < n; i++) {
    const f = facts.nth(i);
    assert.match(await f.locator('.conf').innerText(), /\d+ %/);
    assert.match(await f.locator('.page').innerText(), /^trang [123]$/);
  }
  const exportFact = page.locator('div.fact', { hasText: '1.520.000.000' });
  assert.match(await exportFact.locator('.page').innerText(), /trang 3/);
  await shot(page, '11-reader-pdf-review');
  for (let i = 0; i < n; i++) await facts.nth(i).getByLabel('Chấp nhận').check();
  await andWait(page, () => page.getByRole('button', { name: 'Lưu các mục đã chấp nhận' }).click());
  assert.match(await page.locator('main').innerText(), /Đã lưu 4 số liệu, 1 đối tác/);

  // The province's dashboard for 2024 shows the export figure read from the PDF.
  await page.goto(url('/?year=2024'));
  const card = page.locator('.kpi', { hasText: 'Kim ngạch xuất khẩu' });
  assert.match(await card.innerText(), /1,52 tỷ USD/);
  await shot(page, '11-reader-pdf-dashboard');

  // The figure links back to the document it came from.
  await page.goto(url('/records/observations?q=xuat+khau+2024'));
  await andWait(page, () => page.locator('table.list tbody a').first().click());
  await andWait(page, () => page.locator('a[href^="/reader/sources/"]').click());
  assert.match(pathOf(page), /^\/reader\/documents\/\d+$/);
  assert.match(await page.locator('main').innerText(), /Văn bản này đã được xem xét/);
});

test('dashboards: the province\'s figures and charts; the Ministry\'s table of provinces and its drill-down', async (t) => {
  const page = await freshPage(t);
  await login(page, server.baseURL, DT, pw(DT));
  // Đồng Tháp in 2020: a chart of delegations with its numbers as a table.
  await page.goto(url('/?year=2020'));
  const chart = page.locator('figure.chart').filter({ hasText: 'Đoàn ra, đoàn vào theo năm' });
  await chart.waitFor();
  assert.equal(await chart.locator('svg').count(), 1);
  await chart.locator('summary').click();
  assert.match(await chart.locator('table').innerText(), /2020\s+—\s+1/);
  await shot(page, '11-dashboard-dong-thap-2020');
  // Choosing a year with the form: 2019 has Tiền Giang's remittances.
  await page.locator('#dash-year').selectOption('2019');
  await andWait(page, () => page.getByRole('button', { name: 'Xem' }).click());
  assert.match(await page.locator('ul.kpis').last().innerText(), /Kiều hối\s+khoảng 80 triệu USD/);

  const m = await freshPage(t);
  await login(m, server.baseURL, BNG, pw(BNG));
  await m.goto(url('/?year=2022'));
  assert.equal(await m.getByRole('heading', { level: 1 }).innerText(), 'Tổng quan toàn quốc');
  const rows = m.locator('table.provinces tbody tr');
  assert.equal(await rows.count(), 34, 'one row per province');
  await shot(m, '12-dashboard-ministry-2022');
  await andWait(m, () => m.locator('table.provinces').getByRole('link', { name: 'Vĩnh Long', exact: true }).click());
  assert.match(await m.getByRole('heading', { level: 1 }).innerText(), /Tỉnh Vĩnh Long/);
  assert.match(await m.locator('ul.kpis').first().innerText(), /793 triệu USD/);
  await shot(m, '13-dashboard-ministry-drilldown-vinh-long');
});

test('reports: Vĩnh Long\'s 2022 report on the page, then downloaded as PDF and Word', async (t) => {
  const page = await freshPage(t, { acceptDownloads: true });
  await login(page, server.baseURL, VL, pw(VL));
  await andWait(page, () => page.locator('nav.main').getByRole('link', { name: 'Báo cáo', exact: true }).click());
  await page.getByLabel('Loại báo cáo').selectOption('annual');
  await page.locator('#rep-year').fill('2022');
  await andWait(page, () => page.getByRole('button', { name: 'Lập báo cáo' }).click());
  const doc = page.locator('article.doc');
  assert.match(await doc.innerText(), /Năm 2022, tổng kim ngạch xuất khẩu của tỉnh đạt 793 triệu USD, tăng 37,91% so với năm 2021\./);
  assert.match(await doc.locator('.doc-heading').innerText(), /UBND TỈNH VĨNH LONG/);
  await shot(page, '14-report-vinh-long-2022');
  for (const [label, magic, name] of [['PDF', '%PDF-', 'bao-cao-nam-2022-vinh-long.pdf'], ['Word (DOCX)', 'PK', 'bao-cao-nam-2022-vinh-long.docx']]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: label, exact: true }).click()]);
    assert.equal(download.suggestedFilename(), name);
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(await download.path());
    assert.equal(bytes.subarray(0, magic.length).toString('latin1'), magic);
  }
  // A year that is no year: the error names it, the form keeps it.
  await page.locator('#rep-year').fill('20222');
  await andWait(page, () => page.getByRole('button', { name: 'Lập báo cáo' }).click());
  assert.match(await page.getByRole('alert').innerText(), /Năm phải là số từ 1990 đến 2100, không phải «20222»/);
  assert.equal(await page.locator('#rep-year').inputValue(), '20222');
});

test('public catalog: browse, filter, open a project with its picture and switch to English, all without signing in', async (t) => {
  const page = await freshPage(t);
  const resp = await page.goto(url('/catalog'));
  assert.equal(resp.status(), 200);
  assert.equal(pathOf(page), '/catalog', 'no redirect to /login');
  assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Danh mục dự án kêu gọi đầu tư');
  const cards = page.locator('ul.catalog li.project');
  assert.equal(await cards.count(), 5, 'the five published demo projects, not the draft nor the withdrawn one');
  const main = await page.locator('main').innerText();
  assert.match(main, /Nhà máy chế biến cà phê đặc sản và cà phê hòa tan Buôn Ma Thuột/);
  assert.match(main, /60 triệu USD/);
  assert.match(main, /2\.500 tỷ đồng/);
  assert.match(main, /25,5 ha/);
  assert.doesNotMatch(main, /dự thảo|Điện mặt trời nổi|minh họa cho bản trình diễn/i, 'nothing unpublished or internal');
  // Every picture loaded (a broken image has no natural width).
  // (They load lazily: ask for all of them, then wait.)
  const widths = await page.locator('ul.catalog img').evaluateAll(async (imgs) => {
    for (const i of imgs) i.loading = 'eager';
    await Promise.all(imgs.map((i) => i.decode().catch(() => null)));
    return imgs.map((i) => i.naturalWidth);
  });
  assert.ok(widths.length >= 5 && widths.every((w) => w > 0), `pictures: ${JSON.stringify(widths)}`);
  await shot(page, '11-catalog-public');

  // Filter by province, then by sector.
  await page.getByLabel('Tỉnh, thành phố').selectOption('dong-thap');
  await andWait(page, () => page.getByRole('button', { name: 'Lọc' }).click());
  assert.equal(await cards.count(), 2);
  await page.getByLabel('Lĩnh vực').selectOption('agriculture');
  await andWait(page, () => page.getByRole('button', { name: 'Lọc' }).click());
  assert.equal(await cards.count(), 1);
  assert.match(await cards.first().innerText(), /xoài/);

  // A project's page, with its picture and contact.
  await andWait(page, () => cards.first().getByRole('link').click());
  assert.match(pathOf(page), /^\/catalog\/\d+$/);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Nhà máy chế biến xoài và trái cây xuất khẩu');
  const pic = page.locator('.gallery img').first();
  assert.ok((await pic.evaluate((i) => i.naturalWidth)) > 0, 'the picture shows');
  assert.match(await page.locator('aside').innerText(), /Liên hệ[\s\S]*doingoai@example\.vn/);
  await shot(page, '11-catalog-project');

  // English, remembered on the list.
  await andWait(page, () => page.locator('header form[action="/lang"] button').click());
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Mango and fruit processing plant for export');
  assert.match(await page.locator('aside').innerText(), /35 million USD/);
  await page.goto(url('/catalog'));
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Projects open for investment');
  await shot(page, '11-catalog-english');

  // The phone width does not scroll sideways.
  await page.setViewportSize({ width: 360, height: 740 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px`);
});

test('calendar: an editor gets the private iCalendar address on /account; a new one retires the old', async (t) => {
  const page = await freshPage(t);
  await login(page, server.baseURL, DT, pw(DT));
  await page.goto(url('/account'));
  await andWait(page, () => page.getByRole('button', { name: /Tạo địa chỉ lịch/ }).click());
  const first = (await page.locator('code.feed-url').innerText()).trim();
  assert.match(first, /^http:\/\/127\.0\.0\.1:\d+\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
  await shot(page, '12-account-calendar');
  const r1 = await page.request.get(first);
  assert.equal(r1.status(), 200);
  assert.match(r1.headers()['content-type'], /^text\/calendar/);
  assert.match(await r1.text(), /^BEGIN:VCALENDAR\r\n/);

  await andWait(page, () => page.getByRole('button', { name: /Tạo địa chỉ mới/ }).click());
  const second = (await page.locator('code.feed-url').innerText()).trim();
  assert.notEqual(second, first);
  assert.equal((await page.request.get(first)).status(), 404, 'the old address is gone');
  assert.equal((await page.request.get(second)).status(), 200);
});

test('channel: Đắk Lắk sends a request to the embassy in Japan, the embassy answers, the province reads the answer', async (t) => {
  const DL = 'dak-lak-editor';
  const NB = 'dsq-nhat-ban-editor';
  assert.ok(server.accounts[NB], 'the demo prints an account of the embassy in Japan');
  const subject = 'Tìm đối tác chế biến cà phê hòa tan tại Nhật Bản';
  const answer = 'Đại sứ quán đã liên hệ hai doanh nghiệp chế biến cà phê hòa tan; đề nghị tỉnh gửi hồ sơ dự án.';

  // The province: the demo's request is there, answered; a new one is sent.
  const province = await freshPage(t);
  await login(province, server.baseURL, DL, pw(DL));
  await andWait(province, () => province.locator('nav.main').getByRole('link', { name: 'Đề nghị', exact: true }).click());
  assert.equal(pathOf(province), '/requests');
  const demoRow = province.locator('table.list tbody tr', { hasText: 'chế biến cà phê' }).first();
  assert.match(await demoRow.innerText(), /Đã trả lời/);
  await andWait(province, () => province.getByRole('link', { name: 'Gửi đề nghị mới' }).click());
  // Sent without a subject first: the field says so, the choices are kept.
  await province.getByLabel('Đại sứ quán Việt Nam tại Nhật Bản').check();
  await province.getByLabel('Nội dung đề nghị').fill('Đề nghị Đại sứ quán giới thiệu doanh nghiệp Nhật Bản quan tâm đầu tư chế biến cà phê hòa tan tại Đắk Lắk.');
  await province.getByLabel('Ngành, lĩnh vực').selectOption('agriculture');
  await province.getByLabel('Quốc gia').selectOption('JP');
  await province.getByLabel('Đề nghị trả lời trước ngày').fill('2099-12-31');
  await andWait(province, () => province.getByRole('button', { name: 'Gửi đề nghị' }).click());
  assert.match(await province.locator('#subject-error').innerText(), /Bắt buộc|bắt buộc/);
  assert.ok(await province.getByLabel('Đại sứ quán Việt Nam tại Nhật Bản').isChecked(), 'the mission stays chosen');
  await province.getByLabel('Trích yếu').fill(subject);
  await shot(province, '20-channel-new-request');
  await andWait(province, () => province.getByRole('button', { name: 'Gửi đề nghị' }).click());
  assert.match(pathOf(province), /^\/requests\/\d+$/);
  const requestPath = pathOf(province);
  assert.match(await province.getByRole('status').innerText(), /Đã gửi đề nghị/);
  assert.equal(await province.getByRole('heading', { level: 1 }).innerText(), subject);
  assert.match(await province.locator('.heading .status').innerText(), /Chờ cơ quan đại diện/);
  assert.match(await province.locator('dl.fields').innerText(), /31\/12\/2099/);
  // Suggestions with their reasons: the embassy's coffee note first, the
  // other mission in Japan (the one asked is not suggested again).
  const sugg = await province.locator('table.list', { has: province.locator('th', { hasText: 'Lý do' }) }).innerText();
  assert.match(sugg, /Nhu cầu cà phê đặc sản[^\n]*\s+cùng ngành: nông nghiệp; cùng quốc gia: Nhật Bản/);
  assert.match(sugg, /Tổng Lãnh sự quán Việt Nam tại Osaka[^\n]*\s+cùng quốc gia: Nhật Bản/);
  await shot(province, '21-channel-request-sent');

  // Another province does not see it.
  const other = await freshPage(t);
  await login(other, server.baseURL, VL, pw(VL));
  await other.goto(url(requestPath));
  assert.equal(await other.getByRole('heading', { level: 1 }).innerText(), 'Không tìm thấy');

  // The embassy: signs in to its inbox, where the request is new.
  const mission = await freshPage(t);
  await login(mission, server.baseURL, NB, pw(NB));
  assert.equal(pathOf(mission), '/inbox', 'a mission starts at its inbox');
  const row = mission.locator('table.list tbody tr', { hasText: subject });
  assert.match(await row.innerText(), /Mới/);
  assert.match(await row.innerText(), /Đắk Lắk/);
  await shot(mission, '22-channel-mission-inbox');
  await andWait(mission, () => row.getByRole('link', { name: subject }).click());
  assert.equal(pathOf(mission), requestPath);
  // A mission is offered answer, ask back and close; never "reply".
  const buttons = await mission.locator('form.answer button').allInnerTexts();
  assert.deepEqual(buttons, ['Trả lời', 'Đề nghị bổ sung thông tin', 'Đóng đề nghị']);
  await mission.getByLabel('Trả lời, hoặc đề nghị Tỉnh Đắk Lắk bổ sung').fill(answer);
  await andWait(mission, () => mission.getByRole('button', { name: 'Trả lời', exact: true }).click());
  assert.match(await mission.getByRole('status').innerText(), /Đã gửi trả lời/);
  assert.match(await mission.locator('.heading .status').innerText(), /Đã trả lời/);
  await shot(mission, '23-channel-mission-answered');
  // Opened and answered: nothing new left in the embassy's inbox for it.
  await mission.goto(url('/inbox'));
  assert.equal(await mission.locator('table.list tbody tr', { hasText: subject }).count(), 0);

  // The province: the answer is news in its inbox, then read on the thread.
  await province.goto(url('/inbox'));
  const news = province.locator('table.list tbody tr', { hasText: subject });
  assert.match(await news.innerText(), /Mới/);
  assert.match(await news.innerText(), /Đã trả lời/);
  // The embassy's notes on agriculture and Japan, which Đắk Lắk follows.
  assert.match(await province.locator('ul.notes').innerText(), /Nhu cầu cà phê đặc sản/);
  await shot(province, '24-channel-province-inbox');
  await andWait(province, () => news.getByRole('link', { name: subject }).click());
  const answerItem = province.locator('ol.thread li.msg.answer');
  assert.match(await answerItem.innerText(), /Đại sứ quán Việt Nam tại Nhật Bản/);
  assert.match(await answerItem.innerText(), new RegExp(answer.slice(0, 40)));
  const provinceButtons = await province.locator('form.answer button').allInnerTexts();
  assert.deepEqual(provinceButtons, ['Bổ sung', 'Đóng đề nghị']);
  await shot(province, '25-channel-province-reads-answer');

  // Market notes: the list, with kinds.
  await andWait(province, () => province.locator('nav.main').getByRole('link', { name: 'Bản tin thị trường' }).click());
  assert.match(await province.locator('ul.notes').innerText(), /Rào cản thương mại/i);
  await shot(province, '26-channel-market-notes');
  await andWait(province, () => province.getByRole('link', { name: /^Nhu cầu cà phê đặc sản/ }).click());
  assert.match(await province.locator('dl.fields').innerText(), /Đại sứ quán Việt Nam tại Nhật Bản/);
  await shot(province, '27-channel-market-note');
  await province.goto(url('/follows'));
  assert.ok(await province.getByLabel('Nông nghiệp').isChecked(), 'the demo follows agriculture');
  await shot(province, '28-channel-follows');

  // The embassy's thread in English, on a phone: no horizontal scrolling.
  const phone = await freshPage(t, { viewport: { width: 360, height: 740 } });
  await login(phone, server.baseURL, NB, pw(NB));
  await andWait(phone, () => phone.locator('form.lang button').click());
  await phone.goto(url(requestPath));
  assert.match(await phone.locator('.heading .status').innerText(), /Answered/);
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the thread scrolls sideways by ${overflow}px on a phone`);
  await shot(phone, '29-channel-thread-english-phone');
});

test('workflow: an outbound delegation from draft to reported, each step by its role, the report deadline shown', async (t) => {
  const editor = await freshPage(t);
  await login(editor, server.baseURL, VL, pw(VL));
  const AP = 'vinh-long-approver';
  assert.ok(server.accounts[AP], 'no demo approver account');
  const approver = await freshPage(t);
  await login(approver, server.baseURL, AP, pw(AP));

  // The editor proposes the trip through the form; it starts as a draft.
  await editor.goto(url('/records/delegations/new'));
  const purpose = `Xúc tiến thương mại tại Hàn Quốc ${Date.now().toString(36)}`;
  await editor.getByLabel(/^Chiều/).selectOption('outbound');
  await editor.getByLabel(/^Mục đích/).fill(purpose);
  await editor.getByLabel(/^Quốc gia/).selectOption('KR');
  await editor.getByLabel(/^Ngày bắt đầu/).fill('2026-03-02');
  await editor.getByLabel(/^Ngày kết thúc/).fill('2026-03-07');
  await andWait(editor, () => editor.getByRole('button', { name: 'Lưu' }).click());
  assert.match(pathOf(editor), /^\/records\/delegations\/\d+$/);
  const detail = pathOf(editor);
  const state = () => editor.locator('section.workflow strong.state').innerText();
  assert.equal(await state(), 'Dự thảo');
  // The editor has no approve button: that step belongs to an approver.
  assert.equal(await editor.getByRole('button', { name: 'Phê duyệt', exact: true }).count(), 0);

  await editor.getByLabel('Ghi chú (không bắt buộc)').fill('Theo kế hoạch đối ngoại năm 2026');
  await andWait(editor, () => editor.getByRole('button', { name: 'Trình phê duyệt' }).click());
  assert.equal(await state(), 'Đã trình');
  assert.match(await editor.locator('section.workflow').innerText(), /Phê duyệt \(người phê duyệt\)/);

  // The approver finds it in the inbox and approves it.
  await approver.goto(url('/tasks'));
  const waiting = approver.locator('section.inbox[data-reason="waiting"]');
  await andWait(approver, () => waiting.getByRole('link', { name: purpose }).click());
  assert.equal(pathOf(approver), detail);
  await andWait(approver, () => approver.getByRole('button', { name: 'Phê duyệt', exact: true }).click());
  assert.equal(await approver.locator('section.workflow strong.state').innerText(), 'Đã phê duyệt');

  // The editor records the trip and the return: the report is then due.
  await editor.goto(url(detail));
  await andWait(editor, () => editor.getByRole('button', { name: 'Bắt đầu chuyến đi' }).click());
  assert.equal(await state(), 'Đang đi công tác');
  await andWait(editor, () => editor.getByRole('button', { name: 'Ghi nhận đoàn đã về' }).click());
  assert.equal(await state(), 'Đã về nước');
  const deadline = await editor.locator('section.workflow .deadline').innerText();
  assert.match(deadline, /Hạn báo cáo kết quả chuyến đi: \d{2}\/\d{2}\/\d{4}/);
  await shot(editor, '14-workflow-returned');

  await andWait(editor, () => editor.getByRole('button', { name: 'Ghi nhận đã báo cáo kết quả' }).click());
  assert.equal(await state(), 'Đã báo cáo kết quả');
  const section = await editor.locator('section.workflow').innerText();
  assert.match(section, /Quy trình đã kết thúc\./);
  const history = await editor.locator('section[aria-labelledby="hist-h"]').innerText();
  assert.equal((history.match(/vinh-long-editor/g) || []).length >= 4, true, history);
  assert.match(history, /vinh-long-approver/);
  await shot(editor, '14-workflow-reported');
});

// ------------------------------------------------------------ import and export

/** Run LibreOffice headless (an independent reader and writer of spreadsheets). */
function soffice(args, cwd) {
  execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${cwd}/lo-profile`, ...args], { cwd, stdio: 'pipe', timeout: 120_000 });
}

/** A CSV line with quoting as spreadsheets expect. */
const csvLine = (cells) => cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');

/** Parse a simple CSV (LibreOffice's output: quotes only where needed). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') { quoted = false; } else { cell += ch; }
    } else if (ch === '"') { quoted = true; } else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; } else if (ch !== '\r') { cell += ch; }
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

/**
 * The template downloaded from the page, filled with ten partners by
 * LibreOffice: the template's first sheet is read back as CSV (its headers),
 * ten rows are written under them (`country(i)` gives each row's country),
 * and LibreOffice writes the workbook that is uploaded.
 */
function fillTemplate(dir, templatePath, country) {
  soffice(['--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', dir, templatePath], dir);
  const csvPath = join(dir, basename(templatePath).replace(/\.xlsx$/, '.csv'));
  const [header] = parseCsv(readFileSync(csvPath, 'utf8').replace(/^\uFEFF/, ''));
  const col = (name) => {
    const i = header.indexOf(name);
    assert.ok(i >= 0, `the template has no column "${name}": ${header.join(' | ')}`);
    return i;
  };
  const [name, kind, ctry] = [col('Tên đối tác'), col('Loại đối tác'), col('Quốc gia')];
  const lines = [csvLine(header)];
  for (let i = 1; i <= 10; i++) {
    const row = header.map(() => '');
    row[name] = `Đối tác nhập thử ${i}`;
    row[kind] = 'Địa phương nước ngoài';
    row[ctry] = country(i);
    lines.push(csvLine(row));
  }
  const filled = join(dir, 'doi-tac-moi.csv');
  writeFileSync(filled, `${lines.join('\n')}\n`);
  soffice(['--infilter=CSV:44,34,76,1', '--convert-to', 'xlsx', '--outdir', dir, filled], dir);
  // The country's column as Excel names it (A, B, … Z, AA …).
  let letter = '';
  for (let n = ctry + 1; n > 0; n = Math.floor((n - 1) / 26)) letter = String.fromCharCode(65 + ((n - 1) % 26)) + letter;
  return { path: join(dir, 'doi-tac-moi.xlsx'), countryColumn: letter };
}

test('import: the template filled in LibreOffice, an error read at its cell, fixed, imported, imported again without duplicates; the list exported as Excel', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ngoaivu-e2e-import-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const page = await freshPage(t, { acceptDownloads: true });
  await login(page, server.baseURL, VL, pw(VL));
  await page.goto(url('/records/partners'));
  await andWait(page, () => page.getByRole('link', { name: 'Nhập từ tệp Excel' }).click());
  assert.equal(pathOf(page), '/records/partners/import');

  // The template.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Tải tệp mẫu Excel' }).click()]);
  assert.match(dl.suggestedFilename(), /\.xlsx$/);
  const templatePath = join(dir, 'mau-doi-tac.xlsx');
  await dl.saveAs(templatePath);

  // Ten rows, the seventh with a country that does not exist.
  const bad = fillTemplate(dir, templatePath, (i) => (i === 7 ? 'Xứ Không Tồn Tại' : i % 2 ? 'Lào' : 'Hàn Quốc'));
  await page.setInputFiles('#file', bad.path);
  await andWait(page, () => page.getByRole('button', { name: 'Xem trước' }).click());
  assert.match(await page.locator('p.count').innerText(), /10 dòng: 9 tạo mới, 0 cập nhật, 0 không đổi, 1 có lỗi/);
  const errorRow = page.locator('table.review tbody tr.error');
  assert.equal(await errorRow.count(), 1);
  // The header is row 1: the seventh data row is row 8.
  assert.match(await errorRow.locator('mark.cell').innerText(), new RegExp(`!${bad.countryColumn}8$`));
  assert.match(await errorRow.innerText(), /Xứ Không Tồn Tại/);
  assert.equal(await page.getByRole('button', { name: /^Nhập:/ }).count(), 0, 'no import while errors remain');
  await shot(page, '18-import-review-error');

  // Fixed: ten to create; imported.
  const good = fillTemplate(dir, templatePath, (i) => (i % 2 ? 'Lào' : 'Hàn Quốc'));
  await page.goto(url('/records/partners/import'));
  await page.setInputFiles('#file', good.path);
  await andWait(page, () => page.getByRole('button', { name: 'Xem trước' }).click());
  assert.match(await page.locator('p.count').innerText(), /10 dòng: 10 tạo mới/);
  await shot(page, '18-import-review-ok');
  await andWait(page, () => page.getByRole('button', { name: 'Nhập: 10 bản ghi' }).click());
  assert.match(await page.locator('main').innerText(), /10 bản ghi mới/);
  await andWait(page, () => page.getByRole('link', { name: 'Xem danh sách' }).click());
  await searchFromHeader(page, 'doi tac nhap thu');
  assert.match(await page.locator('main').innerText(), /Đối tác nhập thử 10/);

  // The same file again: nothing new.
  await page.goto(url('/records/partners/import'));
  await page.setInputFiles('#file', good.path);
  await andWait(page, () => page.getByRole('button', { name: 'Xem trước' }).click());
  assert.match(await page.locator('p.count').innerText(), /10 dòng: 0 tạo mới, 0 cập nhật, 10 không đổi/);

  // The list as Excel, opened by LibreOffice.
  await page.goto(url('/records/partners?q=doi+tac+nhap+thu'));
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Tải về Excel' }).click()]);
  const xlsxPath = join(dir, 'export.xlsx');
  await xlsx.saveAs(xlsxPath);
  soffice(['--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', join(dir, 'out'), xlsxPath], dir);
  const rows = parseCsv(readFileSync(join(dir, 'out', 'export.csv'), 'utf8'));
  assert.equal(rows.filter((r) => r.some((c) => /^Đối tác nhập thử \d+$/.test(c))).length, 10, 'the export holds the ten partners, once each');
});

test('publications and training courses: the demo bulletin listed; a course whose total is less than its units is refused at that field, fixed, saved, and listed in English', async (t) => {
  const page = await freshPage(t);
  await login(page, server.baseURL, DT, pw(DT));

  // The bulletin the Tiền Giang report mentions ("bản tin đối ngoại (12 kỳ/năm)").
  await page.goto(url('/records/publications'));
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Ấn phẩm thông tin đối ngoại');
  const row = page.locator('table.list tbody tr', { hasText: 'Bản tin đối ngoại tỉnh Tiền Giang' });
  assert.equal(await row.count(), 1);
  const cells = await row.locator('td').allInnerTexts();
  assert.ok(cells.includes('Bản tin'), cells.join(' | '));
  assert.ok(cells.includes('2020'), cells.join(' | '));
  assert.ok(cells.includes('12'), cells.join(' | '));
  await shot(page, '21-publications-list');

  // A course through its form: trainees by unit, one a line.
  await page.goto(url('/records/training-courses'));
  await andWait(page, () => page.getByRole('link', { name: 'Thêm mới' }).click());
  assert.equal(pathOf(page), '/records/training-courses/new');
  const stamp = Date.now().toString(36);
  const topic = `Bồi dưỡng lễ tân đối ngoại ${stamp}`;
  await page.getByLabel(/^Nội dung bồi dưỡng/).fill(topic);
  await page.getByLabel(/^Loại/).selectOption({ label: 'Lễ tân đối ngoại' });
  await page.getByLabel(/^Ngày bắt đầu/).fill('2024-05-20');
  await page.getByLabel(/^Học viên theo đơn vị/).fill('Sở Công Thương; 8\nUBND phường Mỹ Tho; 12');
  await page.getByLabel(/^Tổng số học viên/).fill('5');
  await andWait(page, () => page.getByRole('button', { name: 'Lưu' }).click());

  // Refused beside the total, in Vietnamese; the lines kept.
  assert.equal(pathOf(page), '/records/training-courses/new');
  const total = page.locator('div.field', { has: page.locator('#trainee_count') });
  assert.match(await total.getAttribute('class'), /has-error/);
  assert.match(await total.locator('.error').innerText(), /ít hơn tổng theo đơn vị \(20\)/);
  assert.match(await page.getByLabel(/^Học viên theo đơn vị/).inputValue(), /UBND phường Mỹ Tho; 12/);
  await shot(page, '21-training-error');

  await page.getByLabel(/^Tổng số học viên/).fill('20');
  await andWait(page, () => page.getByRole('button', { name: 'Lưu' }).click());
  assert.match(pathOf(page), /^\/records\/training-courses\/\d+$/);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), topic);
  const detail = await page.locator('main').innerText();
  assert.match(detail, /Lễ tân đối ngoại/);
  assert.match(detail, /20\/05\/2024/);
  assert.match(detail, /UBND phường Mỹ Tho/);
  await shot(page, '21-training-saved');

  // In English the list names the type and the kind in English.
  await andWait(page, () => page.getByRole('button', { name: 'English' }).click());
  await page.goto(url('/records/training-courses'));
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Training courses');
  const en = page.locator('table.list tbody tr', { hasText: topic });
  assert.match(await en.innerText(), /Diplomatic protocol/);
  assert.match(await en.innerText(), /20/);
  await shot(page, '21-training-list-en');
});

test('foreign NGOs: a registration entered through its form, ending in two months, is in the tasks; a bad province refused by name', async (t) => {
  const page = await freshPage(t);
  await login(page, server.baseURL, VL, pw(VL));
  await page.goto(url('/records/ngo-registrations'));
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Tổ chức phi chính phủ nước ngoài');
  await andWait(page, () => page.getByRole('link', { name: 'Thêm mới' }).click());
  assert.equal(pathOf(page), '/records/ngo-registrations/new');

  const iso = (d) => d.toISOString().slice(0, 10);
  const inDays = (n) => iso(new Date(Date.now() + n * 86_400_000));
  const stamp = Date.now().toString(36);
  const name = `Tổ chức Hỗ trợ Phát triển ${stamp}`;
  await page.getByLabel(/^Tên \*?$/).fill(name);
  await page.getByLabel(/^Quốc gia/).selectOption({ label: 'Hà Lan' });
  await page.getByLabel(/^Loại/).selectOption({ label: 'Giấy đăng ký lập Văn phòng dự án' });
  await page.getByLabel(/^Số giấy đăng ký/).fill(`${stamp}/BNG-VPDA`);
  await page.getByLabel(/^Ngày cấp/).fill(inDays(-1765));
  await page.getByLabel(/^Có giá trị đến|^Hiệu lực đến/).fill(inDays(-1770));
  await page.getByLabel(/^Lĩnh vực/).selectOption([{ label: 'Y tế' }, { label: 'Nước, thủy lợi' }]);
  await andWait(page, () => page.getByRole('button', { name: 'Lưu' }).click());

  // An expiry before the issue is refused beside the field, values kept.
  assert.equal(pathOf(page), '/records/ngo-registrations/new');
  const until = page.locator('div.field', { has: page.locator('#valid_until') });
  assert.match(await until.getAttribute('class'), /has-error/);
  assert.equal(await page.getByLabel(/^Tên \*?$/).inputValue(), name);
  await shot(page, '22-ngo-error');

  await page.getByLabel(/^Có giá trị đến|^Hiệu lực đến/).fill(inDays(60));
  await andWait(page, () => page.getByRole('button', { name: 'Lưu' }).click());
  assert.match(pathOf(page), /^\/records\/ngo-registrations\/\d+$/);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), name);
  assert.match(await page.locator('main').innerText(), /Giấy đăng ký lập Văn phòng dự án/);
  await shot(page, '22-ngo-saved');

  await page.goto(url('/tasks'));
  const main = await page.locator('main').innerText();
  assert.match(main, /Giấy đăng ký của tổ chức phi chính phủ nước ngoài hết hạn trong 90 ngày/);
  assert.match(main, new RegExp(name));
  await shot(page, '22-ngo-tasks');
});

test('conference permits: a dossier filed 20 days before the opening is warned of, listed in the tasks, submitted, then permitted by the approver', async (t) => {
  const page = await freshPage(t);
  await login(page, server.baseURL, VL, pw(VL));
  await page.goto(url('/records/conference-permits'));
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Hội nghị, hội thảo quốc tế');
  await andWait(page, () => page.getByRole('link', { name: 'Thêm mới' }).click());
  const iso = (d) => d.toISOString().slice(0, 10);
  const inDays = (n) => iso(new Date(Date.now() + n * 86_400_000));
  const title = `Hội thảo quốc tế về nông nghiệp thông minh ${Date.now().toString(36)}`;
  await page.getByLabel(/^Tên gọi/).fill(title);
  await page.getByLabel(/^Loại/).selectOption({ label: 'Hội thảo quốc tế' });
  await page.getByLabel(/^Đơn vị tổ chức/).fill('Sở Nông nghiệp và Môi trường');
  await page.getByLabel(/^Ngày nhận hồ sơ/).fill(inDays(0));
  await page.getByLabel(/^Ngày bắt đầu/).fill(inDays(20));
  await page.getByLabel(/^Quốc gia/).selectOption([{ label: 'Nhật Bản' }]);
  await andWait(page, () => page.getByRole('button', { name: 'Lưu' }).click());
  assert.match(pathOf(page), /^\/records\/conference-permits\/\d+$/);
  const permitPath = pathOf(page);
  const main = await page.locator('main').innerText();
  assert.match(main, /Hồ sơ nộp muộn: nhận 20 ngày trước ngày khai mạc, quy định yêu cầu ít nhất 30 ngày/);
  assert.match(main, /Chủ tịch UBND tỉnh/, 'the chairman permits a gathering below minister level');
  await shot(page, '23-permit-late');

  await page.goto(url('/tasks'));
  const tasks = await page.locator('main').innerText();
  assert.match(tasks, /Hồ sơ xin phép hội nghị, hội thảo quốc tế nộp muộn/);
  assert.match(tasks, new RegExp(title));

  await page.goto(url(permitPath));
  await andWait(page, () => page.getByRole('button', { name: 'Trình phê duyệt' }).click());
  assert.equal(await page.locator('strong.state').getAttribute('data-state'), 'submitted');

  const approver = await freshPage(t);
  await login(approver, server.baseURL, 'vinh-long-approver', pw('vinh-long-approver'));
  await approver.goto(url(permitPath));
  await andWait(approver, () => approver.getByRole('button', { name: 'Cho phép tổ chức' }).click());
  assert.equal(await approver.locator('strong.state').getAttribute('data-state'), 'permitted');
  await andWait(approver, () => approver.getByRole('button', { name: 'Ghi nhận đã tổ chức' }).click());
  await andWait(approver, () => approver.getByRole('button', { name: 'Ghi nhận đã báo cáo kết quả' }).click());
  assert.equal(await approver.locator('strong.state').getAttribute('data-state'), 'reported');
  await shot(approver, '23-permit-reported');
});

test('consular cases: filed by an account granted consular work; a viewer and another province get "not found"', async (t) => {
  const page = await freshPage(t);
  const CONSUL = 'vinh-long-approver';
  await login(page, server.baseURL, CONSUL, pw(CONSUL));
  await page.goto(url('/records/consular-cases/new'));
  const incident = `Ngư dân bị tạm giữ ở nước ngoài ${Date.now().toString(36)}`;
  await page.getByLabel(/^Loại/).selectOption({ label: 'Công dân bị bắt, tạm giữ' });
  await page.getByLabel(/^Vụ việc/).fill(incident);
  await page.getByLabel(/^Ngày tiếp nhận/).fill(new Date().toISOString().slice(0, 10));
  await page.getByLabel(/^Họ tên/).fill('Nguyễn Văn Biển');
  await page.getByLabel(/^Quốc tịch/).selectOption({ label: 'Việt Nam' });
  await page.getByLabel(/^Người liên quan \(hoặc gia đình\) đồng ý/).check();
  await andWait(page, () => page.getByRole('button', { name: 'Lưu' }).click());
  assert.match(pathOf(page), /^\/records\/consular-cases\/\d+$/);
  const casePath = pathOf(page);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), incident);
  await shot(page, '24-consular-case');

  for (const who of ['vinh-long-viewer', 'dong-thap-approver']) {
    const other = await freshPage(t);
    await login(other, server.baseURL, who, pw(who));
    const resp = await other.goto(url(casePath));
    assert.equal(resp.status(), 404, `${who} must not see the case`);
    await other.goto(url('/records/consular-cases'));
    assert.doesNotMatch(await other.locator('main').innerText(), new RegExp(incident));
  }
});

test('the demo as a new user finds it: Đắk Lắk\'s NGO registration ending in two months is in the tasks; Đồng Tháp\'s consular case is read with the grant and not found by its viewer', async (t) => {
  const DL = 'dak-lak-editor';
  const page = await freshPage(t);
  await login(page, server.baseURL, DL, pw(DL));
  await page.goto(url('/tasks'));
  const tasks = await page.locator('main').innerText();
  assert.match(tasks, /Tổ chức phi chính phủ nước ngoài \(minh họa\)/);
  assert.match(tasks, /Giấy đăng ký của tổ chức phi chính phủ nước ngoài hết hạn trong 90 ngày/);

  const CONSUL = 'dong-thap-approver';
  const consul = await freshPage(t);
  await login(consul, server.baseURL, CONSUL, pw(CONSUL));
  await consul.goto(url('/records/consular-cases'));
  await andWait(consul, () => consul.getByRole('link', { name: /mất hộ chiếu/ }).first().click());
  assert.match(pathOf(consul), /^\/records\/consular-cases\/\d+$/);
  const casePath = pathOf(consul);
  assert.match(await consul.locator('main').innerText(), /minh họa/);
  await shot(consul, '25-demo-consular-case');

  const viewer = await freshPage(t);
  await login(viewer, server.baseURL, 'dong-thap-viewer', pw('dong-thap-viewer'));
  const resp = await viewer.goto(url(casePath));
  assert.equal(resp.status(), 404, 'the viewer must not see the case');
});

test('plans: the demo directive shows its progress and the records carrying it out; an annual report submitted stays listed as submitted', async (t) => {
  const page = await freshPage(t);
  await login(page, server.baseURL, 'vinh-long-approver', pw('vinh-long-approver'));
  await page.goto(url('/records/plans'));
  await andWait(page, () => page.getByRole('link', { name: /Chỉ thị về công tác ngoại giao kinh tế/ }).click());
  const main = await page.locator('main').innerText();
  assert.match(main, /Tiến độ thực hiện/);
  assert.match(main, /0\/2 nhiệm vụ hoàn thành \(0%\)/);
  assert.ok(await page.locator('section.plan a', { hasText: 'Gelderland' }).count() > 0 || /Gelderland/.test(main));
  await shot(page, '25-plan');

  await page.goto(url('/reports?kind=annual&year=2022&lang=vi'));
  await andWait(page, () => page.getByRole('button', { name: 'Nộp báo cáo' }).click());
  assert.equal(pathOf(page), '/reports/submitted');
  const list = await page.locator('main').innerText();
  assert.match(list, /2022/);
  assert.match(list, /vinh-long-approver/);
  await shot(page, '25-submitted');
});
