/**
 * Issue 18 item 9 in headless Chromium: the long parts of a case page fold with native <details>/<summary> — no
 * script, so under our CSP — each summary naming the part and its count (共 N 条 / N entries); a long part starts
 * folded unless it holds what this person must act on; a click opens and folds it again; at 390×844 and 1280×800
 * nothing scrolls sideways, folded or open, no console error or CSP violation; axe-core finds no serious or
 * critical violation with every part folded or open, in Chinese and English.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../support/server.js';
import { DESKTOP, launchBrowser, PHONE, signIn, watchedContext, seriousViolations } from '../support/browser.js';
import { caseThroughAuthority } from '../support/journey.js';
import { setUpWorkflow, type Staff } from '../support/workflow.js';
import { FOLD_AFTER } from '../../src/http/pages/cases/caseCommon.js';

let server: RunningServer;
let browser: Browser;
let staff: Staff;
let caseId: string;

beforeAll(async () => {
  server = await startServer({ ECERT_TEST_CLOCK: '1' });
  staff = await setUpWorkflow(server);
  caseId = await caseThroughAuthority(server, staff, 52, 'authority_review');
  browser = await launchBrowser();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface FoldState {
  summary: string;
  count: number;
  open: boolean;
}

const folds = (page: Page) =>
  page.$$eval('details.fold', (all) =>
    all.map((d) => ({ summary: (d.querySelector('summary')?.textContent ?? '').replace(/\s+/g, ' ').trim(), count: Number(d.getAttribute('data-count')), open: (d as HTMLDetailsElement).open })),
  ) as Promise<FoldState[]>;

const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('the case page folds its long parts', () => {
  for (const viewport of [PHONE, DESKTOP]) {
    it(`at ${viewport.width}×${viewport.height}: long parts folded, counted in words, opened and folded by a click, nothing sideways`, async () => {
      const { context, problems } = await watchedContext(browser, viewport);
      const page = await context.newPage();
      await signIn(page, server.baseUrl, staff.approver.token);
      await page.goto(`${server.baseUrl}/console/cases/${caseId}`);

      const zh = await folds(page);
      expect(zh.length).toBeGreaterThanOrEqual(5);
      for (const f of zh) {
        expect(f.summary, JSON.stringify(f)).toContain(`共 ${f.count} `);
        // Short parts are open; a long one is folded unless it waits for this person (then it is open and says so by being open).
        if (f.count <= FOLD_AFTER) expect(f.open, f.summary).toBe(true);
      }
      // The history of a case at the region office is long and intact: folded, its summary naming it and its count.
      const history = zh.find((f) => f.summary.startsWith('办理记录'))!;
      expect(history.count).toBeGreaterThan(FOLD_AFTER);
      expect(history.open).toBe(false);
      const historyFold = page.locator('details.fold', { has: page.locator('#history-heading') });
      const historyTable = historyFold.locator('table');
      expect(await historyTable.isVisible()).toBe(false);
      // The actions stay at the top, above every fold.
      expect(await page.locator('p.actions a.button').first().isVisible()).toBe(true);
      expect(await sideways(page)).toBeLessThanOrEqual(0);

      await historyFold.locator('summary').click();
      expect(await historyFold.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
      expect(await historyTable.isVisible()).toBe(true);
      expect(await historyTable.locator('tbody tr').count()).toBe(history.count);
      await historyFold.locator('summary').click();
      expect(await historyFold.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
      expect(await historyTable.isVisible()).toBe(false);

      // Everything open: still nothing scrolls sideways.
      for (const summary of await page.$$('details.fold:not([open]) > summary')) await summary.click();
      expect((await folds(page)).every((f) => f.open)).toBe(true);
      expect(await sideways(page)).toBeLessThanOrEqual(0);

      // In English after the switch: the same parts, counted in English.
      await context.addCookies([{ name: 'ecert_lang', value: 'en', url: server.baseUrl }]);
      await page.goto(`${server.baseUrl}/console/cases/${caseId}`);
      const en = await folds(page);
      expect(en.map((f) => [f.count, f.open])).toEqual(zh.map((f) => [f.count, f.open]));
      const historyEn = en.find((f) => f.summary.startsWith('History'))!;
      expect(historyEn.summary).toContain(`${history.count} entries`);
      expect(await sideways(page)).toBeLessThanOrEqual(0);

      expect(problems).toEqual([]);
      await context.close();
    }, 120_000);
  }

  it('has no serious or critical violation under axe-core, folded and open, zh and en, at both sizes', async () => {
    const found: string[] = [];
    for (const viewport of [PHONE, DESKTOP]) {
      const context = await browser.newContext({ viewport, locale: 'zh-CN', bypassCSP: true });
      const page = await context.newPage();
      await signIn(page, server.baseUrl, staff.approver.token);
      for (const lang of ['zh', 'en']) {
        await context.addCookies([{ name: 'ecert_lang', value: lang, url: server.baseUrl }]);
        await page.goto(`${server.baseUrl}/console/cases/${caseId}`);
        for (const v of await seriousViolations(page)) found.push(`${viewport.width} folded [${lang}]: ${v}`);
        await page.evaluate(() => document.querySelectorAll('details.fold').forEach((d) => ((d as HTMLDetailsElement).open = true)));
        for (const v of await seriousViolations(page)) found.push(`${viewport.width} open [${lang}]: ${v}`);
      }
      await context.close();
    }
    expect(found).toEqual([]);
  }, 180_000);

  it('works without script: the page holds no script and the folds are plain HTML', async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, server.baseUrl, staff.approver.token).catch(() => undefined);
    const res = await page.goto(`${server.baseUrl}/console/cases/${caseId}`);
    expect(res?.status()).toBe(200);
    const html = await res!.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    const historyFold = page.locator('details.fold', { has: page.locator('#history-heading') });
    await historyFold.locator('summary').click();
    expect(await historyFold.locator('table').isVisible()).toBe(true);
    await context.close();
  }, 60_000);
});
