/**
 * Issue 18 item 8 in a real browser, at 390×844 and 1280×800: a clerk types part of a name, picks a status and
 * a date, searches, sorts by a column and pages — the address keeps the search throughout, the page never
 * scrolls sideways, and no console error, failed request or CSP violation occurs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from '../support/server.js';
import { DESKTOP, launchBrowser, PHONE, screenshots, signIn, watchedContext } from '../support/browser.js';
import { applicationForm, client, json, setUpWorkflow, type Staff } from '../support/workflow.js';

let server: RunningServer;
let browser: Browser;
let staff: Staff;

function idNumber(body17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body17].reduce((n, d, i) => n + Number(d) * weights[i]!, 0);
  return body17 + '10X98765432'[sum % 11]!;
}

beforeAll(async () => {
  server = await startServer({ ECERT_TEST_CLOCK: '1' });
  staff = await setUpWorkflow(server);
  // 55 cases, so the list has two pages (50 a page): 李 1–12 opened on 1–12 September, 王 13–55 in October.
  for (let i = 1; i <= 55; i++) {
    const name = i <= 12 ? `李${'一二三四五六七八九十'[i % 10]}${i}` : `王${i}`;
    const date = i <= 12 ? `2026-09-${String(i).padStart(2, '0')}` : `2026-10-${String(((i - 13) % 28) + 1).padStart(2, '0')}`;
    const res = await client(server, staff.applicant)('POST', '/api/v1/reconfirmations', applicationForm({ name: name.replace(/\d+/, ''), idNumber: idNumber(`45010319850101${String(i).padStart(2, '0')}2`) }), { now: `${date}T10:00:00+08:00` });
    expect(res.status, JSON.stringify(await json(res.clone()))).toBe(201);
  }
  browser = await launchBrowser();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the working queue (/console/cases)', () => {
  for (const viewport of [PHONE, DESKTOP]) {
    it(`searches, sorts and pages at ${viewport.width}×${viewport.height}, keeping the search in the address`, async () => {
      const { context, problems } = await watchedContext(browser, viewport);
      const page = await context.newPage();
      await signIn(page, server.baseUrl, staff.auditor.token);
      await page.goto(`${server.baseUrl}/console/cases`);
      const form = page.getByRole('search');
      await form.getByLabel('申请编号、身份证号或申报人姓名').fill('李');
      await form.getByLabel('申报日期自').fill('2026-09-03');
      await form.getByLabel('至').fill('2026-09-10');
      await Promise.all([page.waitForEvent('load'), form.getByRole('button', { name: '检索' }).click()]);
      let url = new URL(page.url());
      expect(url.searchParams.get('q')).toBe('李');
      expect(url.searchParams.get('from')).toBe('2026-09-03');
      const heading = page.locator('#all-heading');
      expect(await heading.innerText()).toContain('检索结果');
      expect(await heading.innerText()).toContain('8'); // 3 to 10 September
      if (viewport === PHONE) await screenshots(page, 'case-search');

      // Sort by applicant: on a phone through the form (the headers are folded into the rows), on a wide
      // screen by the header link, which keeps the search and turns round on a second click.
      const table = page.locator('#all-heading ~ div table');
      if (viewport === PHONE) {
        await form.getByLabel('排序依据').selectOption('applicant');
        await form.getByLabel('顺序').selectOption('asc');
        await Promise.all([page.waitForEvent('load'), form.getByRole('button', { name: '检索' }).click()]);
      } else {
        await Promise.all([page.waitForEvent('load'), table.getByRole('link', { name: /^申报人/ }).click()]);
      }
      url = new URL(page.url());
      expect(url.searchParams.get('sort')).toBe('applicant');
      expect(url.searchParams.get('order')).toBe('asc');
      expect(url.searchParams.get('q')).toBe('李');
      expect(await page.locator('th[aria-sort="ascending"]').textContent()).toContain('申报人');
      const firstNames = await table.locator('tbody tr td:nth-child(2)').allTextContents();
      expect(firstNames).toEqual([...firstNames].sort());
      if (viewport === DESKTOP) {
        await Promise.all([page.waitForEvent('load'), table.getByRole('link', { name: /^申报人/ }).click()]);
        expect(new URL(page.url()).searchParams.get('order')).toBe('desc');
      }

      // Everything, opened first: two pages, and the second keeps the sort.
      await page.goto(`${server.baseUrl}/console/cases?sort=opened&order=asc`);
      await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: '下一页' }).click()]);
      url = new URL(page.url());
      expect(url.searchParams.get('page')).toBe('2');
      expect(url.searchParams.get('sort')).toBe('opened');
      expect(await page.locator('#all-heading ~ div table tbody tr').count()).toBe(5);
      expect(await page.getByText('第 2 / 2 页').count()).toBe(1);

      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(problems).toEqual([]);
      await context.close();
    }, 120_000);
  }
});
