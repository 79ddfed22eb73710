/**
 * Issue 18: axe-core (Deque's accessibility engine, the one browsers' own audits build on) finds no serious or
 * critical violation on any console page, at a phone's and a desk's width, in Chinese and in English. The engine
 * is injected into the page by the test only (the context bypasses our CSP for that one script).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../support/server.js';
import { DESKTOP, launchBrowser, PHONE, signIn, seriousViolations } from '../support/browser.js';
import { caseThroughAuthority } from '../support/journey.js';
import { setUpWorkflow, type Person, type Staff } from '../support/workflow.js';

let server: RunningServer;
let browser: Browser;
let staff: Staff;
let caseId: string;

beforeAll(async () => {
  server = await startServer({ ECERT_TEST_CLOCK: '1' });
  staff = await setUpWorkflow(server);
  caseId = await caseThroughAuthority(server, staff, 51, 'authority_review');
  browser = await launchBrowser();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const PAGES: [string, (s: Staff) => Person, () => string][] = [
  ['desk', (s) => s.approver, () => '/console'],
  ['cases', (s) => s.approver, () => '/console/cases?q=李&sort=applicant&order=asc'],
  ['case', (s) => s.approver, () => `/console/cases/${caseId}`],
  ['records', (s) => s.handler, () => '/console/records'],
  ['record form', (s) => s.handler, () => `/console/records/new?case=${caseId}`],
  ['statistics', (s) => s.approver, () => '/console/statistics?from=2026-01-01&to=2026-12-31'],
  ['admin', (s) => s.admin, () => '/console/admin'],
  ['new case', (s) => s.applicant, () => '/console/cases/new'],
];

describe('console pages under axe-core', () => {
  for (const viewport of [PHONE, DESKTOP]) {
    it(`has no serious or critical violation at ${viewport.width}×${viewport.height}, zh and en`, async () => {
      const found: string[] = [];
      for (const [name, who, path] of PAGES) {
        const context = await browser.newContext({ viewport, locale: 'zh-CN', bypassCSP: true });
        const page = await context.newPage();
        await signIn(page, server.baseUrl, who(staff).token);
        for (const lang of ['zh', 'en']) {
          await context.addCookies([{ name: 'ecert_lang', value: lang, url: server.baseUrl }]);
          await page.goto(`${server.baseUrl}${path()}`);
          for (const v of await seriousViolations(page)) found.push(`${name} [${lang}]: ${v}`);
        }
        await context.close();
      }
      expect(found).toEqual([]);
    }, 180_000);
  }
});
