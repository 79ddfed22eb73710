/**
 * Issue 18 item 7 in a real browser at 390×844 and 1280×800: the statistics page draws its charts (SVG, no
 * script), never scrolls sideways, and raises no console error, failed request or CSP violation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from '../support/server.js';
import { DESKTOP, launchBrowser, PHONE, screenshots, signIn, watchedContext } from '../support/browser.js';
import { caseThroughAuthority } from '../support/journey.js';
import { setUpWorkflow, type Staff } from '../support/workflow.js';

let server: RunningServer;
let browser: Browser;
let staff: Staff;

beforeAll(async () => {
  server = await startServer({ ECERT_TEST_CLOCK: '1' });
  staff = await setUpWorkflow(server);
  await caseThroughAuthority(server, staff, 41, 'issue');
  browser = await launchBrowser();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('/console/statistics in a browser', () => {
  for (const viewport of [PHONE, DESKTOP]) {
    it(`draws every chart at ${viewport.width}×${viewport.height}`, async () => {
      const { context, problems } = await watchedContext(browser, viewport);
      const page = await context.newPage();
      await signIn(page, server.baseUrl, staff.approver.token);
      await page.goto(`${server.baseUrl}/console/statistics?from=2026-01-01&to=2026-12-31`);
      const charts = page.locator('svg.chart');
      expect(await charts.count()).toBeGreaterThanOrEqual(3);
      for (const chart of await charts.all()) expect((await chart.boundingBox())!.width).toBeGreaterThan(100);
      expect(await page.locator('svg.chart rect').count()).toBeGreaterThan(0);
      if (viewport === PHONE) await screenshots(page, 'statistics');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(problems).toEqual([]);
      await context.close();
    }, 120_000);
  }
});
