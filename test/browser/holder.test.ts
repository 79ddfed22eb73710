/**
 * Issue 17 items 1, 2 and 5 in a real browser on a 390×844 phone: a holder signs in and lands on 我的证书,
 * makes a share link with a purpose and days, a verifier opens it (the verdict, the purpose and 链接有效期至
 * in a box of its own, the ID number masked; English after the switch), the holder ends all links at once,
 * and the verifier's reload answers 410 in words without facts — with no console error, failed request,
 * CSP violation or sideways scrolling anywhere. Item 4: a verifier scans the QR link, and the holder's page
 * lists it under 谁核验了我的证书 (China time; English after the switch), still fitting the phone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { issueBody } from '../support/fixtures.js';
import { startServer, type RunningServer } from '../support/server.js';
import { clickAndLoad, launchBrowser, PHONE, screenshots, signIn, textOf, watchedContext } from '../support/browser.js';

const ID = '450102198005120019';
let server: RunningServer;
let browser: Browser;
let holderToken: string;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  // the region title office first: only its admin may record a holder's ID number
  const placed = await server.cli(['org', 'add', '--code', 'GXZGB', '--name', '广西壮族自治区职称改革工作领导小组办公室', '--kind', 'region_title_office']);
  expect(placed.code, placed.stderr).toBe(0);
  const issuer = await server.token('GXZGB', 'issuer');
  const admin = await server.token('GXZGB', 'admin');
  const post = (token: string, path: string, body: unknown) =>
    fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  expect((await post(issuer, '/api/v1/certificates', issueBody({ idNumber: ID }))).status).toBe(201);
  const added = await post(admin, '/api/v1/people', { orgCode: 'GXZGB', role: 'holder', name: '张三丰', idNumber: ID });
  expect(added.status, await added.clone().text()).toBe(201);
  holderToken = ((await added.json()) as { token: string }).token;
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The page fits the phone: nothing makes it scroll sideways. */
const fitsPhone = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
/** Chromium's note on a page answered with the status the test expects (the 410 of an ended link). */
const unexpected = (problems: string[], ...statuses: number[]) =>
  problems.filter((p) => !statuses.some((status) => p.startsWith(`console: Failed to load resource: the server responded with a status of ${status} `)));

describe('the holder’s pages on a phone', () => {
  it('signs in to 我的证书, makes a share link, the verifier sees it apart from the certificate’s status, the holder ends all, the link answers 410', async () => {
    const { context, problems } = await watchedContext(browser, PHONE);
    const page = await context.newPage();
    await signIn(page, server.baseUrl, holderToken);
    await page.goto(`${server.baseUrl}/console`);
    await page.waitForURL(/\/console\/my$/);
    expect(await textOf(page, 'heading', /我的证书/)).toContain('张三丰');
    const main = await page.locator('main').innerText();
    expect(main).toContain('高级工程师');
    expect(main).toContain('有效');
    expect(await page.getByRole('link', { name: 'PDF' }).count()).toBe(1);
    expect(await fitsPhone(page)).toBe(true);
    await screenshots(page, 'holder-my');

    await page.getByRole('textbox', { name: /^用途/ }).fill('应聘南宁某公司电气工程师岗位');
    await page.getByRole('spinbutton', { name: /有效天数/ }).fill('7');
    await clickAndLoad(page, 'button', '生成分享链接');
    const url = await page.locator('input.share-url').inputValue();
    expect(url).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);
    expect(await page.locator('main').innerText()).toContain('离开本页后无法再次查看');
    expect(await fitsPhone(page)).toBe(true);
    await screenshots(page, 'holder-share-made');

    // The verifier, in a browser of their own.
    const verifier = await watchedContext(browser, PHONE);
    const seen = await verifier.context.newPage();
    await seen.goto(url);
    expect(await textOf(seen, 'status')).toContain('有效');
    const box = await seen.locator('section.share').innerText();
    expect(box).toContain('应聘南宁某公司电气工程师岗位');
    expect(box).toMatch(/链接有效期至\s*\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（北京时间）/);
    expect(box).toContain('与证书本身是否有效无关');
    const text = await seen.locator('main').innerText();
    expect(text).toContain('4501**********0019');
    expect(text).not.toContain(ID);
    expect(await seen.locator('img.photo').count()).toBe(0);
    expect(await fitsPhone(seen)).toBe(true);
    await screenshots(seen, 'share-open');
    await clickAndLoad(seen, 'link', 'English');
    expect(await seen.locator('html').getAttribute('lang')).toBe('en');
    expect(await seen.locator('section.share').innerText()).toMatch(/Link valid until\s*\d{4}-\d{2}-\d{2} \d{2}:\d{2} \(China time, UTC\+8\)/);
    await screenshots(seen, 'share-open-en');

    // The holder ends every link at once.
    await page.goto(`${server.baseUrl}/console/my`);
    await clickAndLoad(page, 'button', /一键终止全部分享链接/);
    expect(await textOf(page, 'status')).toContain('已终止 1 个分享链接');
    expect(await page.locator('main').innerText()).toContain('已由持证人终止');
    await screenshots(page, 'holder-ended-all');

    const gone = await seen.goto(url);
    expect(gone?.status()).toBe(410);
    expect(await seen.locator('main').innerText()).toContain('The holder has ended this share link');
    expect(await seen.locator('main').innerText()).not.toContain('张三丰');
    await clickAndLoad(seen, 'link', '中文');
    expect(await textOf(seen, 'heading', /分享链接/)).toContain('已被持证人终止');
    expect(await seen.locator('main').innerText()).not.toContain('高级工程师');
    expect(await fitsPhone(seen)).toBe(true);
    await screenshots(seen, 'share-ended');

    expect(problems).toEqual([]);
    expect(unexpected(verifier.problems, 410)).toEqual([]);
    await verifier.context.close();
    await context.close();
  });

  it('item 4: a verifier scans the QR link; the holder’s page lists it under 谁核验了我的证书, in both languages, on the phone', async () => {
    const mine = (await (await fetch(`${server.baseUrl}/api/v1/holder/certificates`, { headers: { Authorization: `Bearer ${holderToken}` } })).json()) as { certificates: { verifyUrl: string }[] };
    const verifier = await watchedContext(browser, PHONE);
    const scan = await verifier.context.newPage();
    await scan.goto(mine.certificates[0]!.verifyUrl);
    expect(await textOf(scan, 'status')).toContain('有效');

    const { context, problems } = await watchedContext(browser, PHONE);
    const page = await context.newPage();
    await signIn(page, server.baseUrl, holderToken);
    // Written after the answer (every 250 ms on Node): reload until it is there.
    let section = '';
    for (let i = 0; i < 50 && !section.includes('扫描证书二维码'); i++) {
      await page.goto(`${server.baseUrl}/console/my`);
      section = await page.locator('section[aria-labelledby="seen"]').innerText();
      if (!section.includes('扫描证书二维码')) await page.waitForTimeout(200);
    }
    expect(section).toContain('谁核验了我的证书');
    expect(section).toContain('扫描证书二维码');
    expect(section).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（北京时间）/);
    expect(section).toContain('未登录的查验人');
    expect(section).not.toMatch(/127\.0\.0\.1|verifierOrganisation|channel/);
    expect(await fitsPhone(page)).toBe(true);
    await screenshots(page, 'holder-seen');
    await clickAndLoad(page, 'link', 'English');
    const english = await page.locator('section[aria-labelledby="seen"]').innerText();
    expect(english).toContain('Who verified my certificates');
    expect(english).toContain('Scanned the QR code');
    expect(english).toMatch(/\(China time, UTC\+8\)/);
    expect(await fitsPhone(page)).toBe(true);
    await screenshots(page, 'holder-seen-en');

    expect(problems).toEqual([]);
    expect(verifier.problems).toEqual([]);
    await verifier.context.close();
    await context.close();
  });
});
