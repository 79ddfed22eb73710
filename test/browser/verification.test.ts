/**
 * The employer's pages in a real browser: the QR landing on a phone (有效 with when it was checked, the
 * technical checks folded away; 已撤销 after revocation; English only on the English page), a link without
 * its proof (the lookup form, number filled in, no verdict), the lookup form with its rate-limit message in
 * words, and staff sign-in/out — with no console error, failed request or CSP violation anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { formatCertificateNumber } from '../../src/domain/certificateNumber.js';
import { issueBody } from '../support/fixtures.js';
import { startServer, type RunningServer } from '../support/server.js';
import { clickAndLoad, launchBrowser, PHONE, screenshots, signIn, textOf, watchedContext } from '../support/browser.js';

let server: RunningServer;
let browser: Browser;
let issuer: string;
let created: { number: string; verifyUrl: string };

beforeAll(async () => {
  // Typed links and lookups share one allowance: 6 at once, then one a minute.
  server = await startServer({ ECERT_LOOKUP_BURST: '6', ECERT_LOOKUP_REFILL_SECONDS: '60' });
  browser = await launchBrowser();
  issuer = await server.token('GXZGB', 'issuer');
  const res = await fetch(`${server.baseUrl}/api/v1/certificates`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(issueBody()),
  });
  created = (await res.json()) as { number: string; verifyUrl: string };
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/**
 * The problems a page had, but Chromium's note on a page answered with the status the test expects (a
 * 404 page, a mistyped number's 422, a lookup's 404, the limit's 429): those pages are asserted on their own.
 */
const unexpected = (problems: string[], ...statuses: number[]) =>
  problems.filter((p) => !statuses.some((status) => p.startsWith(`console: Failed to load resource: the server responded with a status of ${status} `)));

/** Status words a Chinese page uses: none may show on the English page. */
const CHINESE_STATUS = ['有效', '已撤销', '无效', '不存在', '核验', '撤销', '证书', '编号', '原因', '时间'];

describe('the QR landing page (/v/{number})', () => {
  it('shows 有效 with when it was checked, the facts and the photo on a 390×844 phone, the checks folded; 已撤销 after revocation; English on the English page', async () => {
    const { context, problems } = await watchedContext(browser, PHONE);
    const page = await context.newPage();
    await page.goto(created.verifyUrl);
    expect(await textOf(page, 'status')).toContain('有效');
    expect(await textOf(page, 'status')).toMatch(/核验时间：\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（北京时间）/);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    const text = await page.locator('main').innerText();
    expect(text).toContain('张三丰');
    expect(text).toContain('4501**********0019');
    expect(text).not.toContain('450102198005120019');
    expect(text).toContain('发证机构');
    expect(text).toContain('演示'); // the e2e server runs on the demo root
    expect(await page.locator('img.photo').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    // 技术细节 is there, folded: its checks are hidden until opened.
    const details = page.locator('details.tech');
    expect(await details.locator('summary').innerText()).toBe('技术细节');
    expect(await details.evaluate((d: HTMLDetailsElement) => d.open)).toBe(false);
    expect(await page.getByText('签名有效').isVisible()).toBe(false);
    await screenshots(page, 'verify-valid');
    await details.locator('summary').click();
    expect(await page.getByText('签名有效').isVisible()).toBe(true);
    await screenshots(page, 'verify-valid-details');

    const revoked = await fetch(`${server.baseUrl}/api/v1/certificates/${created.number}/revocation`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ reason: 'issued_in_error', note: '测试' }),
    });
    expect(revoked.status).toBe(200);
    await page.reload();
    expect(await textOf(page, 'status')).toContain('已撤销');
    expect(await textOf(page, 'status')).toMatch(/撤销日期：\d{4}年\d{1,2}月\d{1,2}日/);
    await screenshots(page, 'verify-revoked');

    await clickAndLoad(page, 'link', 'English');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    const status = await textOf(page, 'status');
    expect(status).toContain('Revoked');
    expect(status).toMatch(/Checked: \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(China time, UTC\+8\)/);
    const data = ['广西壮族自治区职称改革工作领导小组办公室', '湖南省工程技术高级职务评审委员会', '桂职办〔2026〕15号', '高级工程师', '工程技术', '电气工程', '张三丰'];
    const english = data.reduce((all, d) => all.split(d).join(''), await page.locator('main').innerText());
    for (const word of CHINESE_STATUS) expect(english).not.toContain(word);
    expect(english).toContain('Technical details');
    await screenshots(page, 'verify-revoked-en');
    await clickAndLoad(page, 'link', '中文');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('without the QR proof shows the lookup form with the number filled in and no verdict; the name then answers', async () => {
    const { context, problems } = await watchedContext(browser, PHONE);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/v/${created.number}`);
    expect(await page.getByRole('status').count()).toBe(0);
    const text = await page.locator('main').innerText();
    for (const verdict of ['有效', '已撤销', '无效', '不存在', '张三丰']) expect(text).not.toContain(verdict);
    expect(text).toContain('二维码');
    expect(await page.getByLabel(/证书编号/).inputValue()).toBe(formatCertificateNumber(created.number));
    expect(await page.getByLabel(/持证人姓名/).inputValue()).toBe('');
    await screenshots(page, 'verify-no-proof');
    await page.getByLabel(/持证人姓名/).fill('张三丰');
    await clickAndLoad(page, 'button', '查询');
    expect(await textOf(page, 'status')).toContain('已撤销');
    expect(await page.locator('img.photo').count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('the lookup form (/verify)', () => {
  it('answers by number and name, says 编号有误 for a mistyped number, never shows the photo, and says in words when there were too many lookups', async () => {
    const { context, problems } = await watchedContext(browser, PHONE);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/verify`);
    await screenshots(page, 'lookup');
    await page.getByLabel(/证书编号/).fill(created.number);
    await page.getByLabel(/持证人姓名/).fill('张三丰');
    await clickAndLoad(page, 'button', '查询');
    expect(await textOf(page, 'status')).toContain('已撤销');
    expect(await page.locator('img.photo').count()).toBe(0);
    await screenshots(page, 'lookup-result');

    await page.getByLabel(/持证人姓名/).fill('李四');
    await clickAndLoad(page, 'button', '查询');
    expect(await textOf(page, 'status')).toContain('不存在');

    await page.getByLabel(/证书编号/).fill(created.number.slice(0, 10) + (created.number.endsWith('7') ? '8' : '7'));
    await clickAndLoad(page, 'button', '查询');
    expect(await textOf(page, 'alert')).toContain('编号有误');
    expect(await page.getByRole('status').count()).toBe(0);
    await screenshots(page, 'lookup-mistyped');

    // The allowance is shared with the typed link above: a few more and it is spent.
    let limited = '';
    for (let i = 0; i < 6 && !limited; i++) {
      await clickAndLoad(page, 'button', '查询');
      const alert = await textOf(page, 'alert');
      if (alert.includes('查询过于频繁')) limited = alert;
    }
    expect(limited).toMatch(/查询过于频繁，请 \d+ 秒后再试/);
    await screenshots(page, 'lookup-rate-limited');
    expect(unexpected(problems, 404, 422, 429)).toEqual([]);
    await context.close();
  });

  it('refuses a form posted without its CSRF token', async () => {
    const res = await fetch(`${server.baseUrl}/verify`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `number=${created.number}&name=%E5%BC%A0%E4%B8%89%E4%B8%B0` });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});

describe('a page that does not exist', () => {
  it('is a page in words with a way home', async () => {
    const { context, problems } = await watchedContext(browser, PHONE);
    const page = await context.newPage();
    const res = await page.goto(`${server.baseUrl}/no/such/page`);
    expect(res?.status()).toBe(404);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.title()).toContain('页面不存在');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('页面不存在');
    await screenshots(page, 'not-found');
    await clickAndLoad(page, 'link', /返回首页/);
    expect(new URL(page.url()).pathname).toBe('/verify');
    expect(problems).toHaveLength(1); // the 404 itself, and nothing else
    expect(unexpected(problems, 404)).toEqual([]);
    await context.close();
  });
});

describe('staff sign-in', () => {
  it('signs in with a token into an HttpOnly, SameSite=Strict session, switches to English, and signs out', async () => {
    const { context, problems } = await watchedContext(browser, PHONE);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/login`);
    await screenshots(page, 'login');
    await page.getByLabel(/访问令牌/).fill('ect_not-a-real-token-000000000000');
    await clickAndLoad(page, 'button', '登录');
    expect(await textOf(page, 'alert')).toContain('令牌无效');

    await signIn(page, server.baseUrl, issuer);
    const cookie = (await context.cookies()).find((c) => c.name === 'ecert_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await clickAndLoad(page, 'link', 'English');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    await page.goto(`${server.baseUrl}/console`);
    await page.waitForURL(/\/login\?next=%2Fconsole/);
    expect(problems).toEqual([]);
    await context.close();
  });
});
