/**
 * The admin's console in a real browser: place an organisation, add a person (the token is shown once and
 * works), withdraw their access (the token stops working), and keep the working-day calendar — with no
 * console error, failed request or CSP violation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from '../support/server.js';
import { placeLegacyOrganisation } from '../support/workflow.js';
import { clickAndLoad, launchBrowser, PHONE, screenshots, signIn, textOf, watchedContext } from '../support/browser.js';

let server: RunningServer;
let browser: Browser;
let admin: string;

beforeAll(async () => {
  server = await startServer();
  const placed = await server.cli(['org', 'add', '--code', 'GXZGB', '--name', '广西壮族自治区职称改革工作领导小组办公室', '--kind', 'region_title_office']);
  expect(placed.code, placed.stderr).toBe(0);
  admin = await server.token('GXZGB', 'admin');
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const api = (token: string, path: string) => fetch(`${server.baseUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });

describe('the admin console (/console/admin)', () => {
  it('places an organisation, adds a person whose token works, withdraws it, and keeps the calendar', async () => {
    const { context, problems } = await watchedContext(browser, PHONE);
    const page = await context.newPage();
    await signIn(page, server.baseUrl, admin);
    await page.goto(`${server.baseUrl}/console/admin`);
    await screenshots(page, 'admin');

    const orgForm = page.locator('form[action="/console/admin/organisations"]');
    await orgForm.getByLabel(/机构代码/).fill('GXJTT');
    await orgForm.getByLabel('机构名称').fill('广西壮族自治区交通运输厅');
    await orgForm.getByLabel('类别').selectOption('department_hr_office');
    await orgForm.getByLabel('上级机构').selectOption('GXZGB');
    await Promise.all([page.waitForEvent('load'), orgForm.getByRole('button').click()]);
    expect(await textOf(page, 'status')).toContain('已保存机构 GXJTT');

    const personForm = page.locator('form[action="/console/admin/people"]');
    await personForm.getByLabel('姓名').fill('吴刚');
    await personForm.getByLabel('所在机构').selectOption('GXJTT');
    await personForm.getByLabel('角色').selectOption('department_reviewer');
    await Promise.all([page.waitForEvent('load'), personForm.getByRole('button').click()]);
    const token = (await page.locator('[data-token]').innerText()).trim();
    expect(token).toMatch(/^ect_/);
    await screenshots(page, 'admin-token');
    expect((await api(token, '/api/v1/organisations')).status).toBe(200);

    await clickAndLoad(page, 'button', '撤销令牌：吴刚的全部令牌');
    expect(await textOf(page, 'status')).toContain('已撤销 吴刚 的 1 个令牌');
    expect((await api(token, '/api/v1/organisations')).status).toBe(401);

    const calendarForm = page.locator('form[action="/console/admin/calendar"]');
    await calendarForm.getByLabel('日期').fill('2027-01-04');
    await calendarForm.getByLabel('这一天').selectOption('workday');
    await calendarForm.getByLabel(/依据/).fill('国办发明电〔2026〕号 元旦调休');
    await Promise.all([page.waitForEvent('load'), calendarForm.getByRole('button').click()]);
    const overrides = (await (await fetch(`${server.baseUrl}/api/v1/calendar/overrides`)).json()) as { items: { date: string; kind: string }[] };
    expect(overrides.items).toEqual([expect.objectContaining({ date: '2027-01-04', kind: 'workday' })]);
    await screenshots(page, 'admin-calendar');
    await clickAndLoad(page, 'button', '取消 2027-01-04 的调整');
    expect(((await (await fetch(`${server.baseUrl}/api/v1/calendar/overrides`)).json()) as { items: unknown[] }).items).toEqual([]);

    // Issue 13 item 8: a year is announced only when the admin records both arrangements, on purpose.
    const yearForm = page.locator('form[action="/console/admin/calendar/year"]');
    await yearForm.getByLabel('年度', { exact: true }).fill('2027');
    await yearForm.getByLabel(/依据/).fill('国务院办公厅关于2027年部分节假日安排的通知');
    await yearForm.getByLabel(/国务院办公厅本年度节假日安排已公布/).check();
    await Promise.all([page.waitForEvent('load'), yearForm.getByRole('button').click()]);
    expect(await textOf(page, 'status')).toContain('两项都确认前，该年度的公示截止日仍是推算值');
    expect(await (await fetch(`${server.baseUrl}/api/v1/calendar/years/2027`)).json()).toMatchObject({ announced: false, national: { announced: true, recordedBy: 'admin' }, regional: { announced: false } });
    expect(await page.getByRole('row', { name: /^2027/ }).innerText()).toContain('已公布（管理员确认）');

    // The kinds offered are those below the region office: never a second region title office.
    expect(await orgForm.getByLabel('类别').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual([
      'city_title_office',
      'department_hr_office',
      'file_office',
      'competent_department',
      'unit',
      'university',
    ]);
    // A refusal comes back in words: an admin cannot change their own office.
    await orgForm.getByLabel(/机构代码/).fill('GXZGB');
    await orgForm.getByLabel('机构名称').fill('广西壮族自治区职称改革工作领导小组办公室');
    await orgForm.getByLabel('类别').selectOption('city_title_office');
    await orgForm.getByLabel('上级机构').selectOption('GXJTT');
    await Promise.all([page.waitForEvent('load'), orgForm.getByRole('button').click()]);
    expect(await textOf(page, 'alert')).toContain('不能修改本机构自身');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('offers a city admin only the kinds below a city office and no calendar; an office that merely has the region kind gets neither', async () => {
    const root = (path: string, body: unknown) =>
      fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect((await root('/api/v1/organisations', { code: 'NNZGB', name: '南宁市职称改革工作领导小组办公室', kind: 'city_title_office', parentCode: 'GXZGB' })).status).toBe(200);
    // The CLI refuses it now; a database from before the rank rule may still hold it.
    placeLegacyOrganisation(server, { code: 'FAKEGX', name: '冒充的自治区职改办', kind: 'region_title_office', parentCode: 'NNZGB' });
    const tokenAt = async (orgCode: string) => ((await (await root('/api/v1/people', { orgCode, role: 'admin', name: '管理员' })).json()) as { token: string }).token;

    const { context, problems } = await watchedContext(browser, PHONE);
    const page = await context.newPage();
    await signIn(page, server.baseUrl, await tokenAt('NNZGB'));
    await page.goto(`${server.baseUrl}/console/admin`);
    await screenshots(page, 'admin-city');
    const kinds = page.locator('form[action="/console/admin/organisations"] select[name="kind"] option');
    expect(await kinds.evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['competent_department', 'unit', 'university']);
    expect(await page.locator('form[action="/console/admin/calendar"]').count()).toBe(0);
    await context.close();

    const impostor = await watchedContext(browser, PHONE);
    const fake = await impostor.context.newPage();
    await signIn(fake, server.baseUrl, await server.token('FAKEGX', 'admin'));
    await fake.goto(`${server.baseUrl}/console/admin`);
    expect(await fake.locator('form[action="/console/admin/organisations"]').count()).toBe(0);
    expect(await textOf(fake, 'main')).toContain('本机构的管理员不能登记下级机构');
    expect(await fake.locator('form[action="/console/admin/calendar"]').count()).toBe(0);
    expect([...problems, ...impostor.problems]).toEqual([]);
    await impostor.context.close();
  });
});
