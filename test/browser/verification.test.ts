/**
 * The employer's pages in a real browser: the QR landing on a phone (有效, then 已撤销 after revocation), the
 * lookup form with its rate-limit message in words, and staff sign-in/out — with no console error, failed
 * request or CSP violation anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { issueBody } from '../support/fixtures.js';
import { startServer, type RunningServer } from '../support/server.js';
import { clickAndLoad, launchBrowser, PHONE, screenshots, signIn, textOf, watchedContext } from '../support/browser.js';

let server: RunningServer;
let browser: Browser;
let issuer: string;
let created: { number: string; verifyUrl: string };

beforeAll(async () => {
  server = await startServer({ ECERT_LOOKUP_BURST: '3', ECERT_LOOKUP_REFILL_SECONDS: '60' });
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

describe('the QR landing page (/v/{number})', () => {
  it('shows 有效 with the facts and the photo on a 390×844 phone, the ID number masked; 已撤销 after revocation', async () => {
    const { context, problems } = await watchedContext(browser, PHONE);
    const page = await context.newPage();
    await page.goto(created.verifyUrl);
    expect(await textOf(page, 'status')).toContain('有效');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    const text = await page.locator('main').innerText();
    expect(text).toContain('张三丰');
    expect(text).toContain('4501**********0019');
    expect(text).not.toContain('450102198005120019');
    expect(await page.locator('img.photo').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await screenshots(page, 'verify-valid');

    const revoked = await fetch(`${server.baseUrl}/api/v1/certificates/${created.number}/revocation`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ reason: 'issued_in_error', note: '测试' }),
    });
    expect(revoked.status).toBe(200);
    await page.reload();
    expect(await textOf(page, 'status')).toContain('已撤销');
    await screenshots(page, 'verify-revoked');
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('the lookup form (/verify)', () => {
  it('answers by number and name, never shows the photo, and says in words when there were too many lookups', async () => {
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
    await clickAndLoad(page, 'button', '查询'); // the third of a burst of 3
    await clickAndLoad(page, 'button', '查询');
    expect(await textOf(page, 'alert')).toMatch(/查询过于频繁，请 \d+ 秒后再试/);
    await screenshots(page, 'lookup-rate-limited');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('refuses a form posted without its CSRF token', async () => {
    const res = await fetch(`${server.baseUrl}/verify`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `number=${created.number}&name=%E5%BC%A0%E4%B8%89%E4%B8%B0` });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
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
