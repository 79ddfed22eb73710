/**
 * Issue 13 items 4, 10 and 12 on the real server: what each level checked, recorded.
 *
 * - 二(三)1(2): the unit cannot endorse a case with a copy of the original certificate until it states it
 *   checked the copy against the original (与原件相符); the checklist shows who and when.
 * - 二(三)1(3): the department forwarding an enterprise employee's case records how it verified the
 *   social-insurance payments (method, result, who, when); without it the forward is refused.
 * - 二(四): the office forwarding a senior case to the authority records the title platform's acceptance
 *   number and date; without them the forward is refused.
 *
 * The case page and the approval form (read back with pdftotext) show all three.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneRecordBody } from '../support/fixtures.js';
import { startServer, type RunningServer } from '../support/server.js';
import { signInCookie } from '../support/session.js';
import { applicationForm, client, json, pdfDataUrl, platformAcceptance, PNG_PHOTO, setUpWorkflow, socialInsuranceCheck, type Person, type Staff } from '../support/workflow.js';

let server: RunningServer;
let staff: Staff;

beforeAll(async () => {
  server = await startServer({ ECERT_TEST_CLOCK: '1' });
  staff = await setUpWorkflow(server);
}, 180_000);
afterAll(async () => server?.stop());

const on = (date: string) => `${date}T10:00:00+08:00`;

async function call(person: Person, method: string, path: string, body: unknown, date: string) {
  const res = await client(server, person)(method, path, body, { now: on(date) });
  return { status: res.status, body: await json(res) };
}

function pdfText(bytes: ArrayBuffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecert-checks-'));
  writeFileSync(join(dir, 'f.pdf'), new Uint8Array(bytes));
  return execFileSync('pdftotext', [join(dir, 'f.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}

/** A case of NNLQ01 taken through its public notice (2026-09-29 … 2026-10-10), with the given materials. */
async function caseAfterNotice(form: ReturnType<typeof applicationForm>, items: readonly (readonly [string, string])[]): Promise<string> {
  const created = await call(staff.applicant, 'POST', '/api/v1/reconfirmations', form, '2026-09-25');
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as string;
  for (const [item, content] of items) {
    expect((await call(staff.applicant, 'POST', `/api/v1/reconfirmations/${id}/materials`, { item, filename: `${item}.bin`, content }, '2026-09-25')).status).toBe(200);
  }
  expect((await call(staff.applicant, 'POST', `/api/v1/reconfirmations/${id}/submit`, { integrityPledge: true }, '2026-09-25')).status).toBe(200);
  expect((await call(staff.unitHr, 'POST', `/api/v1/reconfirmations/${id}/receive`, {}, '2026-09-28')).status).toBe(200);
  expect((await call(staff.unitHr, 'POST', `/api/v1/reconfirmations/${id}/start-notice`, { start: '2026-09-29' }, '2026-09-28')).status).toBe(200);
  return id;
}

/** The department's own materials: the request document and a genuine 核实 record of the case. */
async function departmentMaterials(id: string, subject: Record<string, unknown> = {}) {
  expect((await call(staff.departmentReviewer, 'POST', `/api/v1/reconfirmations/${id}/materials`, { item: 'request_document', filename: '请示.pdf', content: pdfDataUrl('request') }, '2026-10-13')).status).toBe(200);
  const base = phoneRecordBody({ applicationId: id }, '2026-10-13T09:30:00+08:00');
  const record = await client(server, staff.handler)('POST', '/api/v1/verification-records', { ...base, subject: { ...base.subject, ...subject } }, { now: on('2026-10-13') });
  expect(record.status, await record.clone().text()).toBe(201);
}

const COPIES = [
  ['original_title_proof', pdfDataUrl('certificate copy')],
  ['employment_proof', pdfDataUrl('contract')],
  ['photo', PNG_PHOTO],
] as const;

describe('李四, a senior engineer at an enterprise, with a copy of the original certificate', () => {
  let id = '';

  it('二(三)1(2): the unit endorses only once it states the copy was checked against the original; the checklist says who and when', async () => {
    id = await caseAfterNotice(applicationForm(), COPIES);
    const refused = await call(staff.unitHr, 'POST', `/api/v1/reconfirmations/${id}/endorse`, { authenticityPledge: true, opinion: '同意上报。' }, '2026-10-12');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'conflict', clause: '二(三)1(2)' });
    expect(refused.body.message?.zh ?? refused.body.detail).toContain('与原件相符');
    const endorsed = await call(staff.unitHr, 'POST', `/api/v1/reconfirmations/${id}/endorse`, { authenticityPledge: true, originalsChecked: true, opinion: '同意上报。' }, '2026-10-12');
    expect(endorsed.status, JSON.stringify(endorsed.body)).toBe(200);
    const proof = endorsed.body.checklist.find((c: { item: string }) => c.item === 'original_title_proof');
    expect(proof.checkedAgainstOriginal).toMatchObject({ personName: '周敏', orgName: '南宁路桥工程有限公司' });
    expect(endorsed.body.checks.originals).toMatchObject({ personName: '周敏' });
    // The unit forwards to its competent department: no social-insurance record is asked of it there.
    const forwarded = await call(staff.unitHr, 'POST', `/api/v1/reconfirmations/${id}/forward`, { opinion: '请主管部门审核。' }, '2026-10-12');
    expect(forwarded.body.status).toBe('department_review');
  });

  it('二(三)1(3): the department forwards only with its record of the social-insurance check', async () => {
    await departmentMaterials(id);
    const path = `/api/v1/reconfirmations/${id}/forward`;
    const missing = await call(staff.departmentReviewer, 'POST', path, { opinion: '同意报送。' }, '2026-10-13');
    expect(missing.status).toBe(409);
    expect(missing.body).toMatchObject({ code: 'conflict', clause: '二(三)1(3)' });
    const noHow = await call(staff.departmentReviewer, 'POST', path, { opinion: '同意报送。', socialInsuranceCheck: { method: 'other', result: 'confirmed', checkedOn: '2026-10-13' } }, '2026-10-13');
    expect(noHow.status).toBe(422);
    expect(noHow.body.field).toBe('socialInsuranceCheck.methodNote');
    const unconfirmed = await call(staff.departmentReviewer, 'POST', path, { opinion: '同意报送。', socialInsuranceCheck: { method: 'system', result: 'not_confirmed', checkedOn: '2026-10-13' } }, '2026-10-13');
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.body.clause).toBe('一(二)2');
    const badMethod = await call(staff.departmentReviewer, 'POST', path, { opinion: '同意报送。', socialInsuranceCheck: { method: 'fax', result: 'confirmed', checkedOn: '2026-10-13' } }, '2026-10-13');
    expect(badMethod.status).toBe(422);
    const forwarded = await call(
      staff.departmentReviewer,
      'POST',
      path,
      { opinion: '同意报送。', socialInsuranceCheck: { method: 'other', methodNote: '单位出具的社保缴费清单', result: 'confirmed', note: '2022年1月起连续缴纳', checkedOn: '2026-10-13' } },
      '2026-10-13',
    );
    expect(forwarded.status, JSON.stringify(forwarded.body)).toBe(200);
    expect(forwarded.body.checks.socialInsurance).toMatchObject({ method: 'other', methodNote: '单位出具的社保缴费清单', result: 'confirmed', checkedOn: '2026-10-13', personName: '吴刚', orgName: '南宁市交通运输局' });
  });

  it('二(四): the city title office forwards the senior case to the region only with the platform’s acceptance number and date', async () => {
    const path = `/api/v1/reconfirmations/${id}/forward`;
    const missing = await call(staff.cityStaff, 'POST', path, { opinion: '同意报自治区职改办确认。' }, '2026-10-14');
    expect(missing.status).toBe(409);
    expect(missing.body).toMatchObject({ code: 'conflict', clause: '二(四)' });
    const future = await call(staff.cityStaff, 'POST', path, { opinion: '同意。', platformAcceptance: platformAcceptance('2026-10-15') }, '2026-10-14');
    expect(future.status).toBe(422);
    expect(future.body.code).toBe('future_date');
    const forwarded = await call(staff.cityStaff, 'POST', path, { opinion: '同意报自治区职改办确认。', platformAcceptance: platformAcceptance('2026-10-14', 'GXZC2026-004321') }, '2026-10-14');
    expect(forwarded.status, JSON.stringify(forwarded.body)).toBe(200);
    expect(forwarded.body).toMatchObject({ status: 'authority_review', checks: { platformAcceptance: { number: 'GXZC2026-004321', acceptedOn: '2026-10-14', personName: '郑丽' } } });
  });

  it('the approval form prints the three records as lines of their own', async () => {
    const res = await client(server, staff.approver)('GET', `/api/v1/reconfirmations/${id}/form.pdf`, undefined, { now: on('2026-10-15') });
    expect(res.status).toBe(200);
    const text = pdfText(await res.arrayBuffer());
    expect(text).toContain('审核记录');
    expect(text).toContain('核对原件：复印件已由用人单位审核原件，与原件相符（周敏，南宁路桥工程有限公司，2026年10月12日）');
    expect(text).toContain('社保缴纳核实：通过其他方式核实（单位出具的社保缴费清单）：已在用人单位按规定缴纳社保，2022年1月起连续缴纳（吴刚，南宁市交通运输局，2026年10月13日）');
    expect(text).toContain('受理编号GXZC2026-004321，受理日期2026年10月14日');
  });

  it('the case page shows the records; a return to the department undoes its records', async () => {
    const cookie = await signInCookie(server.baseUrl, staff.approver.token);
    const page = await fetch(`${server.baseUrl}/console/cases/${id}`, { headers: { Cookie: cookie } });
    const html = await page.text();
    expect(html).toContain('单位已审核原件，注明与原件相符（周敏');
    expect(html).toContain('单位出具的社保缴费清单');
    expect(html).toContain('GXZC2026-004321');
    const returned = await call(staff.approver, 'POST', `/api/v1/reconfirmations/${id}/return`, { to: 'department_review', reason: '请补充核实。' }, '2026-10-15');
    expect(returned.status).toBe(200);
    expect(returned.body.checks).toMatchObject({ originals: { personName: '周敏' }, socialInsurance: null, platformAcceptance: null });
    const again = await call(staff.departmentReviewer, 'POST', `/api/v1/reconfirmations/${id}/forward`, { opinion: '已补充核实。' }, '2026-10-16');
    expect(again.body.clause).toBe('二(三)1(3)');
    expect((await call(staff.departmentReviewer, 'POST', `/api/v1/reconfirmations/${id}/forward`, { opinion: '已补充核实。', socialInsuranceCheck: socialInsuranceCheck('2026-10-16') }, '2026-10-16')).status).toBe(200);
  });
});

describe('cases that need none of it', () => {
  it('an institution employee’s intermediate title verified online: endorsed and forwarded to the city without any of the three records', async () => {
    const form = applicationForm({ idNumber: '450103199003070020', name: '林芳', titleName: '工程师', onlineVerification: true });
    form.eligibility.employment.employerKind = 'institution';
    const id = await caseAfterNotice(form, [
      ['online_verification_screenshot', PNG_PHOTO],
      ['employment_proof', pdfDataUrl('contract')],
      ['photo', PNG_PHOTO],
    ]);
    // A tick with no copy on file states a check nobody made: it is not recorded (二(三)1(2)).
    const endorsed = await call(staff.unitHr, 'POST', `/api/v1/reconfirmations/${id}/endorse`, { authenticityPledge: true, originalsChecked: true, opinion: '同意上报。' }, '2026-10-12');
    expect(endorsed.status).toBe(200);
    expect(endorsed.body.checks.originals).toBeNull();
    expect((await call(staff.unitHr, 'POST', `/api/v1/reconfirmations/${id}/forward`, { opinion: '请审核。' }, '2026-10-12')).status).toBe(200);
    await departmentMaterials(id, { holderName: '林芳', idNumber: '450103199003070020', titleName: '工程师' });
    // Records the notice does not ask of this forward are refused, not shown as checks this level made.
    for (const [extra, field] of [
      [{ socialInsuranceCheck: socialInsuranceCheck('2026-10-13') }, 'socialInsuranceCheck'],
      [{ platformAcceptance: platformAcceptance('2026-10-13') }, 'platformAcceptance'],
    ] as const) {
      const refused = await call(staff.departmentReviewer, 'POST', `/api/v1/reconfirmations/${id}/forward`, { opinion: '同意报送。', ...extra }, '2026-10-13');
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ code: 'validation_failed', field });
      expect(refused.body.message.zh).toContain('本次报送无需记录');
    }
    const forwarded = await call(staff.departmentReviewer, 'POST', `/api/v1/reconfirmations/${id}/forward`, { opinion: '同意报送。' }, '2026-10-13');
    expect(forwarded.status, JSON.stringify(forwarded.body)).toBe(200);
    expect(forwarded.body).toMatchObject({ status: 'authority_review', holderCode: 'NNZGB', checks: { originals: null, socialInsurance: null, platformAcceptance: null } });
  });
});
