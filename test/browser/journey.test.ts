/**
 * The reconfirmation journey of notice 二(二) clicked through the console in Chromium, as
 * test/e2e/reconfirmations.test.ts drives it over the API: the applicant applies through the form, uploads
 * the materials and submits with the integrity pledge; the unit receives, publishes the 5-working-day notice
 * and endorses after it; the competent department adds the request document (the handler's 核实 record comes
 * over the API) and forwards; the city title office forwards; the region approver approves and issues. An
 * employer opens the QR link on a phone (有效); the approver revokes for false materials on the case page — a
 * folded form, no preselected reason, a note, then a page that names the five-year ban (四(一)) — and the same
 * page then says 已撤销. The test clock (X-Ecert-Test-Now) moves each person's day. No console
 * error, failed request or CSP violation anywhere.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { clickAndLoad, DESKTOP, launchBrowser, PHONE, screenshots, signIn, textOf, watchedContext } from '../support/browser.js';
import { ROOT, startServer, type RunningServer } from '../support/server.js';
import { phoneRecordBody } from '../support/fixtures.js';
import { client, json, pdfDataUrl, setUpWorkflow, type Person, type Staff } from '../support/workflow.js';

let server: RunningServer;
let staff: Staff;
let browser: Browser;
let files: string;
const problems: string[][] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ ECERT_TEST_CLOCK: '1' }), launchBrowser()]);
  staff = await setUpWorkflow(server);
  files = mkdtempSync(join(tmpdir(), 'ecert-journey-'));
  for (const [name, note] of [['原职称证书.pdf', 'certificate'], ['劳动合同.pdf', 'contract'], ['请示.pdf', 'request']] as const) {
    writeFileSync(join(files, name), Buffer.from(pdfDataUrl(note).split(',')[1]!, 'base64'));
  }
}, 180_000);
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.stop();
  if (files) rmSync(files, { recursive: true, force: true });
});

/** China time on a day of the journey. */
const on = (date: string, time = '10:00') => `${date}T${time}:00+08:00`;

/** A fresh browser for one person, signed in, on `date`. */
async function signedIn(person: Person, date: string, viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page }> {
  const watched = await watchedContext(browser, viewport);
  problems.push(watched.problems);
  contexts.push(watched.context);
  await watched.context.setExtraHTTPHeaders({ 'X-Ecert-Test-Now': on(date) });
  const page = await watched.context.newPage();
  await signIn(page, server.baseUrl, person.token);
  return { context: watched.context, page };
}

/** Opens a case from the list (it stands in 待办 and in the full list: the first link). */
async function openCase(page: Page, id: string): Promise<void> {
  await page.goto(`${server.baseUrl}/console/cases`);
  await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: id }).first().click()]);
}

/** Fails at once, with what the page says instead, when the page lacks `selector`. */
async function present(page: Page, selector: string): Promise<Locator> {
  const locator = page.locator(selector);
  if ((await locator.count()) === 0) throw new Error(`${page.url()} has no ${selector}; it says: ${(await page.locator('main').innerText()).slice(0, 500)}`);
  return locator;
}

const statusOf = async (page: Page) => (await present(page, '#summary-heading .badge')).innerText();
/** The notice a step leaves on the case page. */
const noticeOf = async (page: Page) => (await present(page, 'main .notice[role=status]')).innerText();
/** The form of one step on the case page. */
const stepForm = (page: Page, slug: string) => present(page, `#step-${slug}`);

/** Fills the posted fields of a form by their names, as a person would with the labelled inputs. */
async function fill(form: Locator, values: Record<string, string | boolean>): Promise<void> {
  for (const [name, value] of Object.entries(values)) {
    const field = form.locator(`[name="${name}"]`);
    const tag = await field.evaluate((el) => `${el.tagName}:${(el as HTMLInputElement).type}`);
    if (tag.startsWith('SELECT')) await field.selectOption(String(value));
    else if (tag === 'INPUT:checkbox') await field.setChecked(value === true);
    else await field.fill(String(value));
  }
}

/** Every visible input, select and textarea has a label (hidden inputs excepted). */
async function unlabelled(page: Page): Promise<string[]> {
  return page.locator('main input:not([type=hidden]), main select, main textarea').evaluateAll((els) =>
    els.filter((el) => ((el as HTMLInputElement).labels?.length ?? 0) === 0).map((el) => (el as HTMLInputElement).name),
  );
}

const APPLICATION = {
  'eligibility.title': 'engineering:高级工程师', // one choice from the catalogue (issue 13 item 18)
  'eligibility.obtained.region': 'outside',
  'eligibility.obtained.place': '湖南省',
  'eligibility.obtained.method': 'evaluation',
  'eligibility.obtained.on': '2015-12-30',
  'eligibility.obtained.committee.name': '湖南省工程技术高级职务评审委员会',
  'eligibility.obtained.committee.filed': true,
  specialty: '电气工程',
  originalCertificateNumber: 'HN2015-00123',
  'eligibility.employment.since': '2022-01-01',
  'eligibility.employment.employerKind': 'enterprise',
  'eligibility.employment.currentSeries': 'engineering',
  'eligibility.employment.personnelTransferred': true,
  'eligibility.employment.socialInsurance': true,
  'applicant.name': '李四',
  'applicant.gender': 'female',
  'applicant.idType': 'resident_id_card',
  'applicant.idNumber': '450103198501010026',
  'applicant.education': '大学本科（工学学士）',
  'applicant.graduation.on': '2007-07',
  'applicant.graduation.school': '湖南大学',
  'applicant.graduation.major': '电气工程及其自动化',
  'applicant.workStartedOn': '2007-07',
  'applicant.originalEmployer': '湖南省电力设计院',
  'applicant.originalWork': '电力工程设计',
  'applicant.currentWork': '桥梁电气工程设计',
  'applicant.personnelFileHolder': '南宁市人才服务中心',
  'workHistory.0.from': '2007-07',
  'workHistory.0.to': '2021-12',
  'workHistory.0.place': '湖南省长沙市 湖南省电力设计院',
  'workHistory.0.work': '电力工程设计',
  'workHistory.0.post': '主任工程师',
  'workHistory.2.from': '2022-01',
  'workHistory.2.place': '广西南宁市 南宁路桥工程有限公司',
  'workHistory.2.work': '桥梁电气工程设计',
  'workHistory.2.post': '总工程师',
  workSummary: '进入本单位以来，负责南宁市多座跨江大桥的电气与照明系统设计，主持完成邕江大桥照明改造工程。',
};

describe('the reconfirmation journey in the console (二(二))', () => {
  let id = '';

  it('takes a case from the applicant to an issued certificate that an employer verifies, then revokes it', async () => {
    // ——— the applicant (2026-09-25) ———
    const applicant = await signedIn(staff.applicant, '2026-09-25', PHONE);
    let page = applicant.page;
    await page.goto(`${server.baseUrl}/console/cases`);
    await screenshots(page, 'cases-applicant');
    await clickAndLoad(page, 'link', '填报新申请');
    expect(await unlabelled(page)).toEqual([]);
    const form = page.locator('main form');
    // Under 2 years in Guangxi first: refused in words with its clause, everything typed kept.
    await fill(form, { ...APPLICATION, 'eligibility.employment.since': '2025-06-01' });
    await screenshots(page, 'case-new');
    await clickAndLoad(page, 'button', '保存为草稿');
    expect(await textOf(page, 'alert')).toMatch(/劳动（人事）关系未满2年.*（一\(二\)2）/);
    expect(await form.locator('[name="applicant.idNumber"]').inputValue()).toBe('450103198501010026');
    expect(await form.locator('[name="workHistory.2.post"]').inputValue()).toBe('总工程师');
    await screenshots(page, 'case-new-refused');
    await fill(form, { 'eligibility.employment.since': '2022-01-01' });
    await clickAndLoad(page, 'button', '保存为草稿');
    expect(await noticeOf(page)).toContain('申请已保存为草稿');
    id = /\/console\/cases\/([^/?#]+)/.exec(page.url())![1]!;
    expect(await statusOf(page)).toBe('填报中');
    expect(await page.locator('main').innerText()).toContain('符合重新确认条件');
    await screenshots(page, 'case-draft');

    // Submitting before the materials: the missing items, each with its clause; the pledge stays ticked.
    await (await stepForm(page, 'submit')).getByLabel(/已阅知并签署/).check();
    await clickAndLoad(page, 'button', '签署承诺并提交');
    const missing = await textOf(page, 'alert');
    expect(missing).toContain('缺少原职称证明材料（二(三)1(2)）');
    expect(missing).toContain('缺少电子证件照（二(三)1(4)）');
    expect(await (await stepForm(page, 'submit')).getByLabel(/已阅知并签署/).isChecked()).toBe(true);

    for (const [item, file] of [
      ['original_title_proof', join(files, '原职称证书.pdf')],
      ['employment_proof', join(files, '劳动合同.pdf')],
      ['photo', join(ROOT, 'test/fixtures/photo.png')],
    ] as const) {
      const upload = await stepForm(page, 'materials');
      await upload.getByLabel('材料类别').selectOption(item);
      await upload.getByLabel('文件', { exact: true }).setInputFiles(file);
      await clickAndLoad(page, 'button', '上传');
      expect(await noticeOf(page)).toContain('材料已上传');
    }
    expect(await page.locator('main').innerText()).toContain('原职称证书.pdf');
    await (await stepForm(page, 'submit')).getByLabel(/已阅知并签署/).check();
    await clickAndLoad(page, 'button', '签署承诺并提交');
    expect(await statusOf(page)).toBe('已提交单位');

    // ——— the unit: receive and publish (2026-09-28), endorse after the notice and forward (2026-10-12) ———
    const unit = await signedIn(staff.unitHr, '2026-09-28');
    page = unit.page;
    await page.goto(`${server.baseUrl}/console/cases`);
    expect(await page.locator('section[aria-labelledby="queue-heading"]').innerText()).toContain(id);
    await screenshots(page, 'cases-unit');
    await openCase(page, id);
    expect(await unlabelled(page)).toEqual([]);
    await clickAndLoad(page, 'button', '受理');
    expect(await statusOf(page)).toBe('单位审核');
    await (await stepForm(page, 'start-notice')).getByLabel('公示开始日期').fill('2026-09-29');
    await clickAndLoad(page, 'button', '开始公示');
    expect(await statusOf(page)).toBe('单位公示');
    const notice = await page.locator('section[aria-labelledby="notice-heading"]').innerText();
    expect(notice).toContain('2026年9月29日 — 2026年10月10日');
    // Not yet open, so said with its day, not offered as a form (二(二)2, issue 13 item 18).
    const waiting = await stepForm(page, 'endorse');
    expect(await waiting.innerText()).toContain('2026年10月11日起可签署单位意见');
    expect(await waiting.locator('form, button').count()).toBe(0);
    await screenshots(page, 'case-notice');

    // Two weeks later the unit's session of 2026-09-28 has ended (sessions live by the request's clock):
    // the page asks for the token again, and after signing in the clerk is back at the case.
    const casePage = page.url();
    await unit.context.setExtraHTTPHeaders({ 'X-Ecert-Test-Now': on('2026-10-12') });
    await page.reload();
    expect(new URL(page.url()).pathname).toBe('/login');
    await signIn(page, server.baseUrl, staff.unitHr.token);
    await page.goto(casePage);
    const endorse = await stepForm(page, 'endorse');
    expect(await endorse.locator('.pledge').innerText()).toContain('公示时间2026年9月29日至2026年10月10日');
    await endorse.getByLabel(/签署以上呈报材料真实性承诺书/).check();
    await endorse.getByLabel(/复印件与原件相符/).check(); // 二(三)1(2)
    await endorse.getByLabel('单位考核意见').fill('经考核，该同志业绩突出，材料真实，公示无异议，同意上报。');
    await clickAndLoad(page, 'button', '签署意见');
    expect(await statusOf(page)).toBe('单位已签署意见');
    await (await stepForm(page, 'forward')).getByLabel('审核意见').fill('请主管部门审核。');
    await clickAndLoad(page, 'button', '报送');
    expect(await statusOf(page)).toBe('主管部门审核');

    // ——— the competent department (2026-10-13): the request document, the handler's 核实 record, forward ———
    const department = await signedIn(staff.departmentReviewer, '2026-10-13');
    page = department.page;
    await openCase(page, id);
    const upload = await stepForm(page, 'materials');
    await upload.getByLabel('材料类别').selectOption('request_document');
    await upload.getByLabel('文件', { exact: true }).setInputFiles(join(files, '请示.pdf'));
    await clickAndLoad(page, 'button', '上传');
    const record = await client(server, staff.handler)(
      'POST',
      '/api/v1/verification-records',
      phoneRecordBody({ applicationId: id }, '2026-10-13T10:30:00+08:00'),
      { now: on('2026-10-13', '11:00') },
    );
    expect(record.status, await record.clone().text()).toBe(201);
    await page.reload();
    const materialsSection = await page.locator('section[aria-labelledby="materials-heading"]').innerText();
    expect(materialsSection).toContain('现行有效、结论为真实有效且与申请的职称名称、评审机构、取得时间一致的：1 份');
    expect(materialsSection).toContain('电话');
    await screenshots(page, 'case-department');
    const departmentForward = await stepForm(page, 'forward');
    // 二(三)1(3): an enterprise employee's social insurance, verified by the department.
    await departmentForward.getByLabel('通过社保信息系统核实').check();
    await departmentForward.getByLabel('已在用人单位按规定缴纳社保').check();
    expect(await departmentForward.getByLabel('核实日期').inputValue()).toBe('2026-10-13');
    await departmentForward.getByLabel('审核意见').fill('经审核，材料齐全，同意报送。');
    await clickAndLoad(page, 'button', '报送');
    expect(await statusOf(page)).toBe('逐级报送');

    // ——— the city title office (2026-10-14) ———
    const city = await signedIn(staff.cityStaff, '2026-10-14');
    page = city.page;
    await openCase(page, id);
    const cityForward = await stepForm(page, 'forward');
    // 二(四): the senior case was submitted on the region title platform.
    await cityForward.getByLabel(/平台受理编号/).fill('GXZC2026-001234');
    await cityForward.getByLabel('审核意见').fill('经审核，同意报自治区职改办确认。');
    await clickAndLoad(page, 'button', '报送');
    expect(await statusOf(page)).toBe('确认部门审核');

    // ——— the region title office (2026-10-20): approve with a decision number, issue ———
    const region = await signedIn(staff.approver, '2026-10-20');
    page = region.page;
    await openCase(page, id);
    const approve = await stepForm(page, 'approve');
    await approve.getByLabel(/确认文号/).fill('桂职办〔2026〕88号');
    await approve.getByLabel('发文日期').fill('2026-10-20');
    await approve.getByLabel('确认意见').fill('同意确认其高级工程师职称。');
    await clickAndLoad(page, 'button', '批准');
    expect(await statusOf(page)).toBe('已批准');
    await clickAndLoad(page, 'button', '发放电子证书');
    expect(await statusOf(page)).toBe('已发证');
    // Long parts of the case page start folded (issue 18 item 9): a click on each summary opens it.
    for (const summary of await page.$$('details.fold:not([open]) > summary')) await summary.click();
    const recorded = await page.locator('section[aria-labelledby="materials-heading"]').innerText();
    for (const words of ['与原件相符', '通过社保信息系统核实', 'GXZC2026-001234']) expect(recorded).toContain(words);
    const history = await page.locator('section[aria-labelledby="history-heading"]').innerText();
    for (const signer of ['李四', '周敏', '吴刚', '郑丽', '王五', '同意确认其高级工程师职称。']) expect(history).toContain(signer);
    await screenshots(page, 'case-issued');
    for (const link of ['下载职称重新确认审批表（附件1，PDF）', '下载职称电子证书（PDF）']) {
      const res = await page.request.get(await page.getByRole('link', { name: link }).getAttribute('href').then((href) => `${server.baseUrl}${href}`));
      expect(res.status(), link).toBe(200);
      expect(res.headers()['content-type']).toBe('application/pdf');
    }

    // ——— an employer scans the QR on a phone ———
    const view = await json(await client(server, staff.approver)('GET', `/api/v1/reconfirmations/${id}`));
    const certificate = await json(await client(server, staff.approver)('GET', `/api/v1/certificates/${view.certificateNumber}`));
    expect(await page.getByRole('link', { name: /公开核验页面/ }).getAttribute('href')).toBe(certificate.verifyUrl);
    const employer = await watchedContext(browser, PHONE);
    problems.push(employer.problems);
    contexts.push(employer.context);
    const phone = await employer.context.newPage();
    await phone.goto(certificate.verifyUrl);
    expect(await textOf(phone, 'status')).toContain('有效');
    expect(await phone.locator('main').innerText()).toContain('李四');
    await screenshots(phone, 'journey-verify-valid');

    // ——— the approver revokes for false materials on the case page; the employer's page says so ———
    // Never a slip (四(一)): 去办理 does not lead to it, the form is folded, no reason is preselected, a note
    // is required, and a second page states the five-year ban before a ticked box revokes.
    await page.goto(`${server.baseUrl}/console/cases/${id}`);
    expect(await page.getByRole('link', { name: '去办理' }).count()).toBe(0);
    const revoke = await stepForm(page, 'revoke');
    expect(await revoke.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);
    await revoke.locator('summary').click();
    expect(await revoke.getByLabel(/撤销原因/).inputValue()).toBe('');
    expect(await revoke.getByLabel(/撤销说明/).evaluate((el) => (el as HTMLTextAreaElement).required)).toBe(true);
    await revoke.getByLabel(/撤销原因/).selectOption('false_materials');
    await revoke.getByLabel(/撤销说明/).fill('原职称证书系伪造');
    await clickAndLoad(page, 'button', '下一步：确认撤销的后果');
    const consequences = await (await present(page, '#revoke-consequences')).innerText();
    expect(consequences).toContain('自2026年至2030年五年内不得申报晋升职称（四(一)）');
    await screenshots(page, 'case-revoke-confirm');
    expect(await page.locator('main').innerText()).toContain('原职称证书系伪造');
    await page.getByLabel(/我已知悉以上后果/).check();
    await clickAndLoad(page, 'button', '确认撤销证书');
    expect(await noticeOf(page)).toContain('证书已撤销');
    expect(await page.locator('section[aria-labelledby="documents-heading"]').innerText()).toContain('已撤销');
    expect(await page.locator('#step-revoke').count()).toBe(0);
    await screenshots(page, 'case-revoked');
    await phone.reload();
    expect(await textOf(phone, 'status')).toContain('已撤销');
    await screenshots(phone, 'journey-verify-revoked');

    expect(problems.flat()).toEqual([]);
  });
});
