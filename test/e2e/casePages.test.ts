/**
 * The case pages on the real server, read and posted as a browser would (issue 13 items 17 and 18): revoking
 * an issued case's certificate is never a slip (四(一)) — no "去办理" to it, no preselected reason, a note
 * required, a confirmation page naming the five-year ban before anything is revoked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.js';
import { phoneRecordBody } from '../support/fixtures.js';
import { signInCookie } from '../support/session.js';
import { applicationForm, client, json, pdfDataUrl, platformAcceptance, PNG_PHOTO, setUpWorkflow, socialInsuranceCheck, type Person, type Staff } from '../support/workflow.js';

let server: RunningServer;
let staff: Staff;

beforeAll(async () => {
  server = await startServer({ ECERT_TEST_CLOCK: '1' });
  staff = await setUpWorkflow(server);
}, 180_000);
afterAll(async () => server?.stop());

/** China time on a date. */
const on = (date: string, time = '10:00') => `${date}T${time}:00+08:00`;

async function api(who: Person, method: string, path: string, body: unknown, date: string, expected = 200, time = '10:00') {
  const res = await client(server, who)(method, path, body, { now: on(date, time) });
  const payload = await json(res);
  expect(res.status, `${method} ${path}: ${JSON.stringify(payload)}`).toBe(expected);
  return payload;
}

/** A console session for one person on one day: read a page, post a form of it. */
async function consoleOf(person: Person, date: string) {
  const cookie = await signInCookie(server.baseUrl, person.token);
  const headers = { Cookie: cookie, 'X-Ecert-Test-Now': on(date) };
  let csrf = '';
  const read = async (path: string) => {
    const res = await fetch(`${server.baseUrl}${path}`, { headers, redirect: 'manual' });
    const html = await res.text();
    csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? csrf;
    return { status: res.status, html, text: html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ') };
  };
  const post = async (path: string, fields: Record<string, string>) => {
    const res = await fetch(`${server.baseUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.baseUrl },
      body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
    });
    const html = await res.text();
    return { status: res.status, location: res.headers.get('location'), html, text: html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ') };
  };
  return { read, post };
}

/** 李四's case driven over the API up to the public notice (2026-09-29 to 2026-10-10). */
async function caseOnNotice(idNumber: string): Promise<string> {
  const { id } = await api(staff.applicant, 'POST', '/api/v1/reconfirmations', applicationForm({ idNumber }), '2026-09-25', 201);
  for (const [item, filename, content] of [
    ['original_title_proof', '原职称证书.pdf', pdfDataUrl('certificate')],
    ['employment_proof', '劳动合同.pdf', pdfDataUrl('contract')],
    ['photo', '照片.png', PNG_PHOTO],
  ] as const) {
    await api(staff.applicant, 'POST', `/api/v1/reconfirmations/${id}/materials`, { item, filename, content }, '2026-09-25');
  }
  await api(staff.applicant, 'POST', `/api/v1/reconfirmations/${id}/submit`, { integrityPledge: true }, '2026-09-25');
  await api(staff.unitHr, 'POST', `/api/v1/reconfirmations/${id}/receive`, {}, '2026-09-28');
  await api(staff.unitHr, 'POST', `/api/v1/reconfirmations/${id}/start-notice`, { start: '2026-09-29' }, '2026-09-28');
  return id;
}

/** …and on to an issued certificate. */
async function issuedCase(idNumber: string): Promise<string> {
  const id = await caseOnNotice(idNumber);
  await api(staff.unitHr, 'POST', `/api/v1/reconfirmations/${id}/endorse`, { authenticityPledge: true, originalsChecked: true, opinion: '同意上报。' }, '2026-10-12');
  await api(staff.unitHr, 'POST', `/api/v1/reconfirmations/${id}/forward`, { opinion: '请主管部门审核。' }, '2026-10-12');
  await api(staff.departmentReviewer, 'POST', `/api/v1/reconfirmations/${id}/materials`, { item: 'request_document', filename: '请示.pdf', content: pdfDataUrl('request') }, '2026-10-13');
  const record = phoneRecordBody({ applicationId: id }, '2026-10-13T10:30:00+08:00');
  await api(staff.handler, 'POST', '/api/v1/verification-records', { ...record, subject: { ...record.subject, idNumber } }, '2026-10-13', 201, '11:00');
  await api(staff.departmentReviewer, 'POST', `/api/v1/reconfirmations/${id}/forward`, { opinion: '同意报送。', socialInsuranceCheck: socialInsuranceCheck('2026-10-13') }, '2026-10-13');
  await api(staff.cityStaff, 'POST', `/api/v1/reconfirmations/${id}/forward`, { opinion: '同意。', platformAcceptance: platformAcceptance('2026-10-14') }, '2026-10-14');
  await api(staff.approver, 'POST', `/api/v1/reconfirmations/${id}/approve`, { decisionNumber: '桂职办〔2026〕88号', decidedOn: '2026-10-20', opinion: '同意。' }, '2026-10-20');
  await api(staff.approver, 'POST', `/api/v1/reconfirmations/${id}/issue`, {}, '2026-10-20');
  return id;
}

describe('revoking an issued case’s certificate is never a slip (四(一), issue 13 item 17)', () => {
  let id = '';
  let number = '';
  beforeAll(async () => {
    id = await issuedCase('450103198501010026');
    number = (await api(staff.approver, 'GET', `/api/v1/reconfirmations/${id}`, undefined, '2026-10-20')).certificateNumber;
  }, 120_000);

  const certificateStatus = async () => (await api(staff.approver, 'GET', `/api/v1/certificates/${number}`, undefined, '2026-10-21')).status;

  it('the case page offers no 去办理 to it: the form is folded, with no reason chosen and the note required', async () => {
    const approver = await consoleOf(staff.approver, '2026-10-21');
    const page = await approver.read(`/console/cases/${id}`);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('href="#steps"');
    expect(page.text).not.toContain('去办理');
    const form = /<details[^>]*id="step-revoke"[^>]*>[\s\S]*?<\/details>/.exec(page.html)?.[0] ?? '';
    expect(form).not.toMatch(/<details[^>]*\bopen\b/);
    expect(form).toMatch(/<option value="" selected="">请选择撤销原因<\/option>/);
    expect(form).not.toMatch(/<option value="false_materials" selected/);
    expect(form).toMatch(/<textarea name="note"[^>]*required/);
  });

  it('without a reason or a note the form comes back in words, nothing revoked', async () => {
    const approver = await consoleOf(staff.approver, '2026-10-21');
    await approver.read(`/console/cases/${id}`);
    const blank = await approver.post(`/console/cases/${id}/revoke`, { reason: '', note: '' });
    expect(blank.status).toBe(200);
    expect(blank.text).toContain('请选择撤销原因');
    expect(blank.text).toContain('请填写撤销说明');
    expect(blank.html).toMatch(/<details[^>]*id="step-revoke"[^>]*open/);
    // A confirmation posted straight away, with no note, is refused the same way.
    const noNote = await approver.post(`/console/cases/${id}/revoke`, { reason: 'false_materials', note: '  ', stage: 'confirm', confirmed: 'on' });
    expect(noNote.text).toContain('请填写撤销说明');
    expect(await certificateStatus()).toBe('valid');
  });

  it('a reason and a note lead to a confirmation that names the five-year ban; only the ticked confirmation revokes', async () => {
    const approver = await consoleOf(staff.approver, '2026-10-21');
    await approver.read(`/console/cases/${id}`);
    const confirm = await approver.post(`/console/cases/${id}/revoke`, { reason: 'false_materials', note: '原职称证书系伪造（经发证机关函复）' });
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('确认撤销证书');
    expect(confirm.text).toContain('自2026年至2030年五年内不得申报晋升职称（四(一)）');
    expect(confirm.text).toContain('原职称证书系伪造（经发证机关函复）');
    expect(confirm.html).toMatch(/<input type="checkbox" name="confirmed" required/);
    expect(await certificateStatus()).toBe('valid');

    const unticked = await approver.post(`/console/cases/${id}/revoke`, { reason: 'false_materials', note: '原职称证书系伪造（经发证机关函复）', stage: 'confirm' });
    expect(unticked.status).toBe(200);
    expect(unticked.text).toContain('请勾选');
    expect(await certificateStatus()).toBe('valid');

    const done = await approver.post(`/console/cases/${id}/revoke`, { reason: 'false_materials', note: '原职称证书系伪造（经发证机关函复）', stage: 'confirm', confirmed: 'on' });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/console/cases/${id}?done=revoke`);
    expect(await certificateStatus()).toBe('revoked');
    // Once revoked there is nothing to confirm.
    const again = await approver.post(`/console/cases/${id}/revoke`, { reason: 'other', note: '再次撤销' });
    expect(again.text).toContain('该证书已被撤销');
    expect(again.text).not.toContain('确认撤销证书');
  });

  it('another reason names no ban', async () => {
    const other = await issuedCase('450103198502020023');
    const approver = await consoleOf(staff.approver, '2026-10-21');
    await approver.read(`/console/cases/${other}`);
    const confirm = await approver.post(`/console/cases/${other}/revoke`, { reason: 'issued_in_error', note: '确认文号有误' });
    expect(confirm.text).toContain('撤销后不能恢复');
    expect(confirm.text).not.toContain('不得申报晋升职称');
  });
});

describe('a step not yet allowed is said, not offered (二(二)2, issue 13 item 18)', () => {
  let id = '';
  beforeAll(async () => {
    id = await caseOnNotice('450103198503030047');
  }, 120_000);

  it('during the notice the unit reads when it may endorse, with no endorse form or button', async () => {
    const unit = await consoleOf(staff.unitHr, '2026-10-09');
    const page = await unit.read(`/console/cases/${id}`);
    const card = /<div class="card step" id="step-endorse">[\s\S]*?<\/div>/.exec(page.html)?.[0] ?? '';
    expect(card).toContain('公示期至2026年10月10日止，2026年10月11日起可签署单位意见');
    expect(card).not.toContain('<form');
    expect(page.html).not.toContain(`action="/console/cases/${id}/endorse"`);
    expect(page.text).not.toContain('签署意见 </button>');
    // The unit's other steps of the notice stay live.
    expect(page.html).toContain(`action="/console/cases/${id}/objections"`);
  });

  it('once the notice has run the form is there', async () => {
    const unit = await consoleOf(staff.unitHr, '2026-10-12');
    const page = await unit.read(`/console/cases/${id}`);
    expect(page.html).toContain(`action="/console/cases/${id}/endorse"`);
    expect(page.text).not.toContain('起可签署单位意见');
  });

  it('the pledge the unit signs says 经公示无异议 only while no objection was raised; after an unfounded one it says so (二(二)2, item 14)', async () => {
    const unit = await consoleOf(staff.unitHr, '2026-10-12');
    const before = await unit.read(`/console/cases/${id}`);
    expect(before.text).toContain('确认材料均属实，经公示无异议（公示时间2026年9月29日至2026年10月10日）');
    expect(before.html).not.toMatch(/\{\w+\}/);
    const lodged = await api(staff.unitHr, 'POST', `/api/v1/reconfirmations/${id}/objections`, { receivedOn: '2026-10-09', text: '有同事反映其原单位职务与申报不符。' }, '2026-10-09');
    await api(staff.unitHr, 'POST', `/api/v1/reconfirmations/${id}/objection-resolutions`, { objectionId: lodged.objections[0].id, text: '经核查档案，异议不成立。', upheld: false }, '2026-10-12');
    const after = await unit.read(`/console/cases/${id}`);
    expect(after.text).toContain('确认材料均属实，经公示，公示期间收到异议1件，经核查不属实（公示时间2026年9月29日至2026年10月10日）');
    expect(after.text).not.toContain('经公示无异议');
  });

  it('the checklist marks the request document and the 核实 record as the unit’s and department’s, not the applicant’s 缺少 (二(三)2)', async () => {
    const applicant = await consoleOf(staff.applicant, '2026-10-09');
    const page = await applicant.read(`/console/cases/${id}`);
    const materials = /<section aria-labelledby="materials-heading">[\s\S]*?<\/table>/.exec(page.html)?.[0] ?? '';
    const row = (name: string) => /<tr>[\s\S]*?<\/tr>/g[Symbol.match](materials)?.find((r) => r.includes(name))?.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ') ?? '';
    expect(row('请示文件')).toContain('单位或主管部门（二(三)2）');
    expect(row('请示文件')).toContain('待单位或主管部门提供');
    expect(row('请示文件')).not.toContain('缺少');
    expect(row('职称核实情况记录单')).toContain('待报送部门核实后填写');
    expect(row('职称核实情况记录单')).not.toContain('缺少');
    expect(row('电子证件照')).toContain('申报人（二(三)1）');
    expect(materials).not.toContain('缺少');
  });
});

describe('the applicant’s form (issue 13 item 18)', () => {
  it('chooses the original title from the catalogue: a select grouped by series, no free text', async () => {
    const applicant = await consoleOf(staff.applicant, '2026-09-25');
    const page = await applicant.read('/console/cases/new');
    expect(page.status).toBe(200);
    const select = /<select id="f-eligibility\.title" name="eligibility\.title"[^>]*>[\s\S]*?<\/select>/.exec(page.html)?.[0] ?? '';
    expect(select).toMatch(/<optgroup label="工程技术">[\s\S]*<option value="engineering:高级工程师">高级工程师<\/option>/);
    expect(page.html).not.toMatch(/<input[^>]*name="eligibility\.title/);
    expect(page.html).not.toContain('<datalist');
  });

  it('a refused form says in words beside each field what it needs — 请选择取得方式 — and no validator text', async () => {
    const applicant = await consoleOf(staff.applicant, '2026-09-25');
    await applicant.read('/console/cases/new');
    const refused = await applicant.post('/console/cases/new', {
      'eligibility.title': 'engineering:高级工程师',
      'eligibility.obtained.region': 'outside',
      'eligibility.obtained.method': '',
      'eligibility.obtained.on': '2015-12-30',
      'eligibility.employment.since': '2022-01-01',
      'applicant.name': '李四',
      'applicant.workStartedOn': '2007年7月',
      workSummary: '',
    });
    expect(refused.status).toBe(200);
    const method = /<label for="f-eligibility\.obtained\.method">[\s\S]*?<\/select>/.exec(refused.html)?.[0] ?? '';
    expect(method).toContain('<span class="field-error" id="err-eligibility.obtained.method">请选择取得方式</span>');
    expect(method).toMatch(/<select[^>]*aria-invalid="true"/);
    expect(refused.html).toMatch(/<span class="field-error" id="err-applicant\.workStartedOn">请按“年-月”填写参加工作时间，如 2007-07<\/span>\s*<input aria-invalid="true"/);
    expect(refused.html).toContain('id="err-workSummary">请填写进入现单位以来专业技术工作总结</span>');
    expect(refused.text).toContain('请选择性别');
    for (const validatorText of ['取值必须是', '过短或过小', '缺少必填字段', '格式应为', 'eligibility.obtained']) expect(refused.text).not.toContain(validatorText);
    // What was typed is kept.
    expect(refused.html).toMatch(/<option value="engineering:高级工程师" selected/);
  });
});
