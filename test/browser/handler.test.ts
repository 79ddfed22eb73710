/**
 * The handler's 核实 console in a real browser on a phone (notice 四(三), attachment 2): sign in, record a
 * phone verification through the form (the chosen method's fields shown, the others hidden), land on the
 * record, download its PDF, find it in the list, search by ID number and download the CSV — with no console
 * error, failed request, CSP violation or error page on the way. A missing detail is named in words with
 * the typed values kept; an auditor reads the list but may not record.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../support/server.js';
import { client, type Person } from '../support/workflow.js';
import { clickAndLoad, launchBrowser, PHONE, screenshots, signIn, textOf, watchedContext } from '../support/browser.js';

let server: RunningServer;
let browser: Browser;
let handler: Person;
let auditor: Person;
let downloads: string;

const LI_SI = { holderName: '李四', idNumber: '450103198501010026', titleName: '高级工程师', evaluatingBody: '湖南省工程技术高级职务评审委员会', acquiredOn: '2015-12-30' };

/** An hour ago in China time, as a datetime-local input takes it (the service refuses future checks). */
function anHourAgo(): string {
  return new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 16);
}

/** A named person of the region title office, made by the CLI (the two run at once: SQLite waits for a lock). */
async function person(role: string, name: string): Promise<Person> {
  const made = await server.cli(['token', 'create', '--org', 'GXZGB', '--role', role, '--name', name]);
  if (made.code !== 0) throw new Error(`token create: ${made.stderr}`);
  return { token: made.stdout.trim(), id: '', name };
}

beforeAll(async () => {
  server = await startServer();
  [browser, handler, auditor] = await Promise.all([launchBrowser(), person('handler', '赵六'), person('auditor', '冯审')]);
  downloads = mkdtempSync(join(tmpdir(), 'ecert-handler-'));
  // Another holder's record in the log already, so the search has something to leave out.
  const res = await client(server, handler)('POST', '/api/v1/verification-records', {
    subject: { holderName: '张三丰', idNumber: '450102198005120019', titleName: '工程师', evaluatingBody: '湖南省工程技术中级职务评审委员会', acquiredOn: '2010-12-30' },
    method: 'other',
    other: { description: '查阅原评审单位存档的评审表' },
    checkedAt: `${anHourAgo()}:00+08:00`,
    result: 'genuine',
    record: '原评审单位存档评审表与申报一致。',
    handler: { name: '赵六' },
  });
  expect(res.status).toBe(201);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (downloads) rmSync(downloads, { recursive: true, force: true });
});

/** Every response of 400 or more is a problem on a journey that should meet none. */
function refuseErrorPages(page: Page, problems: string[]): void {
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
}

/** Fills attachment 2 for 李四 checked by phone; `number` is the contact's phone number. */
async function fillPhoneRecord(page: Page, number: string): Promise<void> {
  await page.getByLabel(/^持证人姓名/).fill(LI_SI.holderName);
  await page.getByLabel(/^身份证号码/).fill(LI_SI.idNumber);
  await page.getByLabel(/^职称（资格）名称/).fill(LI_SI.titleName);
  await page.getByLabel(/^评审（发证）机构/).fill(LI_SI.evaluatingBody);
  await page.getByLabel(/^取得时间/).fill(LI_SI.acquiredOn);
  await page.getByLabel('电话', { exact: true }).check();
  await page.getByLabel(/^对方单位/).fill('湖南省人力资源和社会保障厅');
  await page.getByLabel(/^对方职务/).fill('科员');
  await page.getByLabel(/^对方姓名/).fill('王五');
  await page.getByLabel(/^对方电话号码/).fill(number);
  await page.getByLabel(/^通话时间/).fill(anHourAgo());
  await page.getByLabel(/^核实时间/).fill(anHourAgo());
  await page.getByLabel('真实有效', { exact: true }).check();
  await page.getByLabel(/^核实情况记录/).fill('电话核实，对方确认该同志于2015年12月取得高级工程师资格。');
}

async function download(page: Page, link: string | RegExp, name: string): Promise<{ path: string; filename: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: link }).click()]);
  const path = join(downloads, name);
  await file.saveAs(path);
  return { path, filename: file.suggestedFilename() };
}

describe('the handler records a verification (attachment 2) on a phone', () => {
  it('fills the form by phone, lands on the record, downloads its PDF, finds it by ID number and downloads the CSV', async () => {
    const { context, problems } = await watchedContext(browser, PHONE);
    const page = await context.newPage();
    refuseErrorPages(page, problems);
    await signIn(page, server.baseUrl, handler.token);

    await clickAndLoad(page, 'link', '登记核实情况');
    expect(new URL(page.url()).pathname).toBe('/console/records/new');
    expect(await page.getByLabel(/^经办人姓名/).inputValue()).toBe('赵六');
    const phoneFields = page.locator('fieldset.method-phone');
    const letterFields = page.locator('fieldset.method-letter');
    expect(await phoneFields.isVisible()).toBe(false);
    await page.getByLabel('电话', { exact: true }).check();
    await phoneFields.waitFor({ state: 'visible' });
    expect(await letterFields.isVisible()).toBe(false);
    expect(await page.locator('fieldset.method-information_system').isVisible()).toBe(false);
    // /assets/app.js makes the shown method's fields required, and only those.
    expect(await page.getByLabel(/^对方电话号码/).evaluate((input: HTMLInputElement) => input.required)).toBe(true);
    expect(await page.getByLabel(/^函件文号/).evaluate((input: HTMLInputElement) => input.required)).toBe(false);

    await fillPhoneRecord(page, '0731-84900000');
    await screenshots(page, 'record-new');
    await clickAndLoad(page, 'button', '提交登记');
    expect(page.url()).toMatch(/\/console\/records\/vr_[A-Za-z0-9_-]+\?notice=created$/);
    expect(await textOf(page, 'status')).toContain('核实情况已登记');
    const recordText = await textOf(page, 'main');
    for (const expected of ['经核实，李四同志取得的高级工程师职称真实有效。', '核实方式：电话', '湖南省人力资源和社会保障厅', '0731-84900000', '赵六']) expect(recordText).toContain(expected);
    expect(recordText).toMatch(/链哈希\s+[0-9a-f]{64}/);
    await screenshots(page, 'record-page');

    const pdf = await download(page, '下载记录单 PDF', 'record.pdf');
    expect(pdf.filename).toMatch(/vr_[A-Za-z0-9_-]+\.pdf$/);
    expect(readFileSync(pdf.path).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pdfText = execFileSync('pdftotext', ['-layout', pdf.path, '-'], { encoding: 'utf8' });
    expect(pdfText).toContain('李四');
    expect(pdfText).toContain('电话');

    await clickAndLoad(page, 'link', '返回核实记录');
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.first().innerText()).toContain('李四'); // newest first
    await screenshots(page, 'record-list');

    await page.getByLabel(/^身份证号码/).fill(LI_SI.idNumber);
    await clickAndLoad(page, 'button', '查询');
    expect(new URL(page.url()).searchParams.get('idNumber')).toBe(LI_SI.idNumber);
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('李四');
    await screenshots(page, 'record-list-search');

    const csv = await download(page, /下载筛选结果 CSV/, 'records.csv');
    const bytes = readFileSync(csv.path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('记录编号,序号,持证人,身份证号码,资格名称,评审机构,取得时间,核实方式,核实时间,核查结果,核查记录,经办人,记录日期,取代记录,被取代,链哈希');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^vr_[A-Za-z0-9_-]+,2,李四,450103198501010026,高级工程师,湖南省工程技术高级职务评审委员会,2015-12-30,电话,/);
    expect(lines[1]).toContain(',真实有效,');

    expect(problems).toEqual([]);
    await context.close();
  });

  it('names a missing phone number in words, keeps what was typed, and records once it is given', async () => {
    const { context, problems } = await watchedContext(browser, PHONE);
    const page = await context.newPage();
    await signIn(page, server.baseUrl, handler.token);
    await page.goto(`${server.baseUrl}/console/records/new`);
    await fillPhoneRecord(page, '');
    // As a browser that does not check `required` sends it: the server must say what is missing.
    await page.locator('form[action="/console/records/new"]').evaluate((form: HTMLFormElement) => (form.noValidate = true));
    const [answer] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), clickAndLoad(page, 'button', '提交登记')]);
    expect(answer.status()).toBe(200); // the form again, with the errors in words
    expect(await textOf(page, 'alert')).toContain('缺少对方电话号码');
    const number = page.getByLabel(/^对方电话号码/);
    expect(await number.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-phone-number-error').innerText()).toContain('缺少对方电话号码');
    expect(await page.locator('fieldset.method-phone').isVisible()).toBe(true);
    expect(await page.getByLabel(/^持证人姓名/).inputValue()).toBe('李四');
    expect(await page.getByLabel(/^对方单位/).inputValue()).toBe('湖南省人力资源和社会保障厅');
    expect(await page.getByLabel(/^核实情况记录/).inputValue()).toContain('电话核实');
    expect(await page.getByLabel('真实有效', { exact: true }).isChecked()).toBe(true);
    await screenshots(page, 'record-new-error');

    await number.fill('0731-84900001');
    await clickAndLoad(page, 'button', '提交登记');
    expect(page.url()).toMatch(/\/console\/records\/vr_[A-Za-z0-9_-]+\?notice=created$/);
    expect(await textOf(page, 'main')).toContain('0731-84900001');
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('an auditor', () => {
  it('reads the list without a link to record, and gets a 403 page on the form', async () => {
    const { context, problems } = await watchedContext(browser, PHONE);
    const page = await context.newPage();
    await signIn(page, server.baseUrl, auditor.token);
    await page.goto(`${server.baseUrl}/console/records`);
    expect(await page.locator('tbody tr').count()).toBe(3);
    expect(await page.getByRole('link', { name: '登记核实情况' }).count()).toBe(0);
    await screenshots(page, 'record-list-auditor');
    const refused = await page.goto(`${server.baseUrl}/console/records/new`);
    expect(refused?.status()).toBe(403);
    expect(await textOf(page, 'heading')).toContain('无权访问');
    expect(await page.locator('form[action="/console/records/new"]').count()).toBe(0);
    // Chromium logs the 403 it was just shown; nothing else may go wrong.
    expect(problems.filter((p) => !p.includes('status of 403 (Forbidden)'))).toEqual([]);
    await context.close();
  });
});
