/**
 * Issue 13 items 2 and 3 on the real server: decisions the notice leaves to a person.
 * - 二(三)1(5) "原则上不予": a case whose only failure is an unfiled committee is created as
 *   `refused_in_principle`, goes through the workflow, and is approved only when the confirming authority's
 *   approver records a reasoned exception — shown on the case (API and page) and on the approval form.
 * - 一(一) sentence 2: the employer's choice is the unit's. An applicant's value is refused in words; the unit
 *   records reconfirmation when it publishes the notice (or re-evaluation when it rejects), with who and when,
 *   shown on the case and the approval form.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneRecordBody } from '../support/fixtures.js';
import { startServer, type RunningServer } from '../support/server.js';
import { signInCookie } from '../support/session.js';
import { applicationForm, client, json, pdfDataUrl, platformAcceptance, PNG_PHOTO, setUpWorkflow, socialInsuranceCheck, type Staff } from '../support/workflow.js';

let server: RunningServer;
let staff: Staff;

beforeAll(async () => {
  server = await startServer({ ECERT_TEST_CLOCK: '1' });
  staff = await setUpWorkflow(server);
}, 180_000);
afterAll(async () => server?.stop());

const on = (date: string) => `${date}T10:00:00+08:00`;

async function step(who: keyof Staff, method: string, path: string, body: unknown, date: string, expected = 200) {
  const res = await client(server, staff[who])(method, path, body, { now: on(date) });
  const payload = await json(res);
  expect(res.status, `${who} ${method} ${path}: ${JSON.stringify(payload)}`).toBe(expected);
  return payload;
}

async function formText(id: string): Promise<string> {
  const res = await client(server, staff.approver)('GET', `/api/v1/reconfirmations/${id}/form.pdf`);
  expect(res.status).toBe(200);
  const dir = mkdtempSync(join(tmpdir(), 'ecert-form-'));
  writeFileSync(join(dir, 'f.pdf'), new Uint8Array(await res.arrayBuffer()));
  return execFileSync('pdftotext', [join(dir, 'f.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}

/** Posts a step's form on the case page as a browser does (session, CSRF token from the page); answers the page. */
async function pagePost(who: keyof Staff, id: string, slug: string, fields: Record<string, string>, date: string): Promise<{ status: number; html: string }> {
  const session = await signInCookie(server.baseUrl, staff[who].token);
  const page = await fetch(`${server.baseUrl}/console/cases/${id}`, { headers: { Cookie: session } });
  const csrfCookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const res = await fetch(`${server.baseUrl}/console/cases/${id}/${slug}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.baseUrl, Cookie: [session, csrfCookie].filter(Boolean).join('; '), 'X-Ecert-Test-Now': on(date) },
    body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
  });
  return { status: res.status, html: await res.text() };
}

type Form = ReturnType<typeof applicationForm>;

/** Applies, uploads the applicant's materials, submits and has the unit receive it (2026-09-25/28). */
async function received(form: Form): Promise<string> {
  const id = (await step('applicant', 'POST', '/api/v1/reconfirmations', form, '2026-09-25', 201)).id as string;
  for (const [item, content] of [['original_title_proof', pdfDataUrl('c')], ['employment_proof', pdfDataUrl('e')], ['photo', PNG_PHOTO]] as const) {
    await step('applicant', 'POST', `/api/v1/reconfirmations/${id}/materials`, { item, filename: `${item}.bin`, content }, '2026-09-25');
  }
  await step('applicant', 'POST', `/api/v1/reconfirmations/${id}/submit`, { integrityPledge: true }, '2026-09-25');
  await step('unitHr', 'POST', `/api/v1/reconfirmations/${id}/receive`, {}, '2026-09-28');
  return id;
}

/** A self-evaluated 副教授 from outside Guangxi: the new employer decides (一(一) sentence 2). */
function selfEvaluated(idNumber: string, name: string, gender: 'male' | 'female'): Form {
  const form = applicationForm({ idNumber, name, gender });
  form.eligibility.title = { series: 'higher_education_teacher', name: '副教授' };
  form.eligibility.obtained = { ...form.eligibility.obtained, method: 'self_evaluation', committee: { name: '湖南某大学教师系列高级职务自主评审委员会', filed: true } };
  form.eligibility.employment = { ...form.eligibility.employment, employerKind: 'institution', currentSeries: 'higher_education_teacher' };
  return form;
}

describe('二(三)1(5) "原则上不予": refused in principle, excepted only by the authority (issue 13 item 2)', () => {
  const committee = { name: '某集团公司自行设立的工程技术评审委员会', filed: false };
  const form = applicationForm({ idNumber: '450103198702030023', name: '韦小红' });
  form.eligibility.obtained.committee = committee;
  let id = '';

  it('the case is created as refused_in_principle citing 二(三)1(5) and goes up to the authority', async () => {
    id = await received(form);
    const view = await step('unitHr', 'GET', `/api/v1/reconfirmations/${id}`, undefined, '2026-09-28');
    expect(view.eligibility).toMatchObject({ decision: 'refused_in_principle', reasons: [{ clause: '二(三)1(5)', code: 'committee_not_filed' }] });
    expect(view.inPrincipleException).toBeNull();

    await step('unitHr', 'POST', `/api/v1/reconfirmations/${id}/start-notice`, { start: '2026-09-29' }, '2026-09-28');
    await step('unitHr', 'POST', `/api/v1/reconfirmations/${id}/endorse`, { authenticityPledge: true, originalsChecked: true, opinion: '经考核，同意上报。' }, '2026-10-12');
    await step('unitHr', 'POST', `/api/v1/reconfirmations/${id}/forward`, { opinion: '请主管部门审核。' }, '2026-10-12');
    await step('departmentReviewer', 'POST', `/api/v1/reconfirmations/${id}/materials`, { item: 'request_document', filename: '请示.pdf', content: pdfDataUrl('request') }, '2026-10-13');
    const subject = { holderName: '韦小红', idNumber: '450103198702030023', titleName: '高级工程师', evaluatingBody: committee.name, acquiredOn: '2015-12-30' };
    const record = await client(server, staff.handler)('POST', '/api/v1/verification-records', phoneRecordBody({ subject, applicationId: id }, '2026-10-13T10:30:00+08:00'));
    expect(record.status, await record.clone().text()).toBe(201);
    await step('departmentReviewer', 'POST', `/api/v1/reconfirmations/${id}/forward`, { opinion: '评委会未经备案，请确认部门决定。', socialInsuranceCheck: socialInsuranceCheck('2026-10-13') }, '2026-10-13');
    const atRegion = await step('cityStaff', 'POST', `/api/v1/reconfirmations/${id}/forward`, { opinion: '同意报自治区职改办确认。', platformAcceptance: platformAcceptance('2026-10-14') }, '2026-10-14');
    expect(atRegion.status).toBe('authority_review');
  });

  it('without a recorded exception the approval is refused (409, 二(三)1(5)); nobody but the authority’s approver may record one', async () => {
    const refused = await step('approver', 'POST', `/api/v1/reconfirmations/${id}/approve`, { decisionNumber: '桂职办〔2026〕90号', opinion: '同意。' }, '2026-10-20', 409);
    expect(refused).toMatchObject({ code: 'conflict', clause: '二(三)1(5)', field: 'exceptionReason' });
    expect(refused.message.zh).toContain('原则上不予');
    const blank = await step('approver', 'POST', `/api/v1/reconfirmations/${id}/approve`, { decisionNumber: '桂职办〔2026〕90号', opinion: '同意。', exceptionReason: ' ' }, '2026-10-20', 422);
    expect(blank.code).toBe('validation_failed');
    // the city office's approver is not the confirming authority of a senior case; its staff may not approve at all
    await step('cityApprover', 'POST', `/api/v1/reconfirmations/${id}/approve`, { decisionNumber: '南职办〔2026〕9号', opinion: '同意。', exceptionReason: '例外' }, '2026-10-20', 403);
    await step('cityStaff', 'POST', `/api/v1/reconfirmations/${id}/approve`, { decisionNumber: '南职办〔2026〕9号', opinion: '同意。', exceptionReason: '例外' }, '2026-10-20', 403);
    expect((await step('approver', 'GET', `/api/v1/reconfirmations/${id}`, undefined, '2026-10-20')).status).toBe('authority_review');

    // the case page's approval form asks for the reason, and refuses in words without it
    const refusedOnPage = await pagePost('approver', id, 'approve', { decisionNumber: '桂职办〔2026〕90号', decidedOn: '2026-10-20', opinion: '同意。' }, '2026-10-20');
    expect(refusedOnPage.status).toBe(200);
    expect(refusedOnPage.html).toContain('例外确认理由（二(三)1(5)）');
    expect(refusedOnPage.html).toContain('须写明例外理由后再批准');
    expect(refusedOnPage.html).not.toContain('exceptionReason</');
  });

  it('with the reason the approver records the exception (who, when), shown on the case, its page and the approval form', async () => {
    const reason = '该评委会已于2019年补办备案，经核实评审程序规范，同意例外确认。';
    const approved = await step('approver', 'POST', `/api/v1/reconfirmations/${id}/approve`, { decisionNumber: '桂职办〔2026〕90号', decidedOn: '2026-10-20', opinion: '同意确认其高级工程师职称。', exceptionReason: reason }, '2026-10-20');
    expect(approved.status).toBe('approved');
    expect(approved.inPrincipleException).toMatchObject({ clause: '二(三)1(5)', reason, person: { name: '王五' }, org: { code: 'GXZGB' }, at: '2026-10-20T02:00:00.000Z' });
    expect(approved.events.at(-1)).toMatchObject({ action: 'approve', role: 'authority_approver', data: { exception: { clause: '二(三)1(5)', reason } } });

    const page = await fetch(`${server.baseUrl}/console/cases/${id}`, { headers: { Cookie: await signInCookie(server.baseUrl, staff.approver.token) } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('确认部门例外确认');
    expect(html).toContain(reason);

    const text = await formText(id);
    expect(text).toContain('例外确认（二(三)1(5)）');
    expect(text).toContain('例外确认（二(三)1(5)）：该评委会已于2019年补办备案'); // the rest wraps beside the box's label
    expect(text).toContain('（王五，2026-10-20）');
    expect(text).toContain('桂职办〔2026〕90号');
  });

  it('beside another failure an unfiled committee is plainly not eligible: no case is created', async () => {
    const short = applicationForm({ idNumber: '450103198702030023', name: '韦小红' });
    short.eligibility.obtained.committee = committee;
    short.eligibility.employment.since = '2026-01-01';
    const refused = await step('applicant', 'POST', '/api/v1/reconfirmations', short, '2026-09-25', 422);
    expect(refused).toMatchObject({ code: 'not_eligible', decision: 'not_eligible' });
  });
});

describe('一(一) sentence 2: the employer’s choice is recorded by the unit (issue 13 item 3)', () => {
  it('an applicant’s value for the choice is refused in words, naming the field — on the form and on the public self-check', async () => {
    const form = selfEvaluated('450103198804150034', '覃明', 'male');
    (form.eligibility as { employerChoice: string | null }).employerChoice = 'reconfirm';
    const refused = await step('applicant', 'POST', '/api/v1/reconfirmations', form, '2026-09-25', 422);
    expect(refused).toMatchObject({ code: 'validation_failed', field: 'eligibility.employerChoice', clause: '一(一)' });
    expect(refused.message.zh).toContain('由新用人单位决定');

    const { employerChoice: _e, ...eligibility } = form.eligibility;
    const check = await client(server, null)('POST', '/api/v1/reconfirmations/eligibility', { ...eligibility, employerChoice: 'reconfirm', asOf: '2026-09-25' });
    expect(check.status).toBe(422);
    expect(await json(check)).toMatchObject({ code: 'validation_failed', field: 'employerChoice' });
    const honest = await json(await client(server, null)('POST', '/api/v1/reconfirmations/eligibility', { ...eligibility, asOf: '2026-09-25' }));
    expect(honest.decision).toBe('employer_decides');
  });

  it('the unit records reconfirmation when it publishes the notice (who, when), shown on the case and the approval form', async () => {
    const id = await received(selfEvaluated('450103198804150034', '覃明', 'male'));
    const pending = await step('unitHr', 'GET', `/api/v1/reconfirmations/${id}`, undefined, '2026-09-28');
    expect(pending).toMatchObject({ employerChoice: null, employerChoiceRecord: null, eligibility: { decision: 'employer_decides' } });

    const noChoice = await step('unitHr', 'POST', `/api/v1/reconfirmations/${id}/start-notice`, { start: '2026-09-29' }, '2026-09-28', 409);
    expect(noChoice).toMatchObject({ code: 'conflict', clause: '一(一)' });
    expect(noChoice.message.zh).not.toContain('employerChoice');
    const published = await step('unitHr', 'POST', `/api/v1/reconfirmations/${id}/start-notice`, { start: '2026-09-29', employerChoice: 'reconfirm' }, '2026-09-28');
    expect(published).toMatchObject({
      status: 'public_notice',
      employerChoice: 'reconfirm',
      employerChoiceRecord: { choice: 'reconfirm', person: { name: '周敏' }, org: { code: 'NNLQ01' }, at: '2026-09-28T02:00:00.000Z' },
      eligibility: { decision: 'eligible' },
    });
    expect(published.form.eligibility.employerChoice).toBeNull(); // the applicant's form never carries it

    const page = await fetch(`${server.baseUrl}/console/cases/${id}`, { headers: { Cookie: await signInCookie(server.baseUrl, staff.unitHr.token) } });
    const html = await page.text();
    expect(html).toContain('新用人单位的决定');
    expect(html).toContain('周敏 记录于');

    await step('unitHr', 'POST', `/api/v1/reconfirmations/${id}/endorse`, { authenticityPledge: true, originalsChecked: true, opinion: '经考核，同意上报。' }, '2026-10-12');
    expect(await formText(id)).toContain('新用人单位决定：同意进行职称重新确认（一(一)，周敏，2026-09-28）');
  });

  it('a unit requiring a fresh evaluation records that with its rejection; only the unit, only for such a title', async () => {
    const id = await received(selfEvaluated('450103199108220048', '蒙丽', 'female'));
    const notUnit = await step('unitHr', 'POST', `/api/v1/reconfirmations/${id}/start-notice`, { start: '2026-09-29', employerChoice: 're_evaluate' }, '2026-09-28', 409);
    expect(notUnit.clause).toBe('一(一)');
    // on the case page: the reject form's box records the choice
    const pending = await fetch(`${server.baseUrl}/console/cases/${id}`, { headers: { Cookie: await signInCookie(server.baseUrl, staff.unitHr.token) } });
    const html = await pending.text();
    expect(html).toContain('name="employerChoice" value="reconfirm"'); // start-notice: reconfirmation only
    expect(html).toContain('name="employerChoice" value="re_evaluate"'); // reject
    const posted = await pagePost('unitHr', id, 'reject', { reason: '本单位要求重新参加本单位职称评审。', employerChoice: 're_evaluate' }, '2026-09-28');
    expect(posted.status, posted.html.slice(0, 300)).toBe(303);
    const rejected = await step('unitHr', 'GET', `/api/v1/reconfirmations/${id}`, undefined, '2026-09-28');
    expect(rejected).toMatchObject({
      status: 'rejected',
      employerChoice: 're_evaluate',
      employerChoiceRecord: { choice: 're_evaluate', person: { name: '周敏' } },
      eligibility: { decision: 'not_eligible', reasons: [{ clause: '一(一)', code: 'employer_requires_re_evaluation' }] },
    });

    // an ordinary title asks no choice
    const ordinary = await received(applicationForm({ idNumber: '450103199108220048', name: '蒙丽' }));
    const asked = await step('unitHr', 'POST', `/api/v1/reconfirmations/${ordinary}/start-notice`, { start: '2026-09-29', employerChoice: 'reconfirm' }, '2026-09-28', 422);
    expect(asked).toMatchObject({ code: 'validation_failed', field: 'employerChoice' });
  });
});
