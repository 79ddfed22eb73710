/**
 * Headless Debian Chromium driven by playwright-core (never a downloaded browser). Every page a test opens
 * is watched: a console error, an uncaught exception, a failed request, a server error or a CSP violation
 * is a problem the test asserts away. Screenshots go to test-output/screenshots/ (named in the README, not
 * committed) so a person can look at each page at phone and desktop sizes.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from './server.js';

export const SCREENSHOTS = join(ROOT, 'test-output/screenshots');
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh browser context (its own cookies) whose pages report every problem into `problems`. */
export async function watchedContext(browser: Browser, viewport = PHONE): Promise<{ context: BrowserContext; problems: string[] }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const problems: string[] = [];
  context.on('page', (page) => watch(page, problems));
  return { context, problems };
}

function watch(page: Page, problems: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // A download the test saves itself is "aborted" by the browser; anything else failing is a problem.
    if (request.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 500) problems.push(`server error ${response.status()}: ${response.url()}`);
  });
}

/**
 * The form fields of the page that a screen reader could not name: no <label>, no aria-label(ledby).
 * Hidden inputs (the CSRF token) need none.
 */
export async function unlabelledFields(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea'))
      .filter((field) => field.type !== 'hidden' && (field.labels?.length ?? 0) === 0 && !field.getAttribute('aria-label') && !field.getAttribute('aria-labelledby'))
      .map((field) => `${field.tagName.toLowerCase()}[name=${field.getAttribute('name') ?? '?'}]`),
  );
}

/**
 * Saves the page at the phone and desktop sizes as `<name>-390x844.png` and `<name>-1280x800.png`, after
 * checking every form field on it has a label and the page says its language.
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  const unlabelled = await unlabelledFields(page);
  if (unlabelled.length > 0) throw new Error(`${name}: fields without a label: ${unlabelled.join(', ')}`);
  if (!(await page.locator('html').getAttribute('lang'))) throw new Error(`${name}: <html> has no lang`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const original = page.viewportSize();
  for (const size of [PHONE, DESKTOP]) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${size.width}x${size.height}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}

/** Signs in through the login form with a token. */
export async function signIn(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel(/访问令牌|Access token/).fill(token);
  await page.getByRole('button', { name: /登录|Sign in/ }).click();
  await page.waitForURL(/\/console/);
}

/** Clicks a button or link that loads a new page and waits for that page. */
export async function clickAndLoad(page: Page, role: 'button' | 'link', name: string | RegExp): Promise<void> {
  await Promise.all([page.waitForEvent('load'), page.getByRole(role, { name }).click()]);
}

/** The visible text of the first element matching the role (waiting for it to be there). */
export async function textOf(page: Page, role: 'status' | 'alert' | 'main' | 'heading', name?: string | RegExp): Promise<string> {
  const locator = role === 'main' ? page.locator('main') : page.getByRole(role, name ? { name } : {});
  return locator.first().innerText();
}

/** axe-core's engine (Deque's, the one browsers' own audits build on), injected by the test only. */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * The serious and critical violations axe-core finds on the page as it stands (WCAG 2.1 A/AA and best practice),
 * one line each with up to three of the elements at fault; empty when there is none (issue 18).
 * @example expect(await seriousViolations(page)).toEqual([]);
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })).violations;
  })) as Violation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`);
}
