/**
 * http/api/applications in-process: the reconfirmation workflow (notice 二(二)) — the applicant applies
 * (idempotent), edits, uploads materials and submits; the unit, the department, the title offices and the
 * confirming authority each take their step; the approval form (附件1) and the materials are read by those the
 * case passes. Who may call each endpoint is domain/roles.ts (403); whether the case is at a step that allows
 * it is domain/workflow.ts (409); a case not with you is absent (404).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneRecordBody } from '../../support/fixtures.js';
import { caseAtDepartment } from '../../support/journey.js';
import { addPerson, applicationForm, pdfDataUrl, platformAcceptance, PNG_PHOTO, setUpWorkflow, socialInsuranceCheck, type Person, type Staff } from '../../support/workflow.js';
import { CONTROL, expectNoServerError, expectProblem, expectTokenRequired, HOSTILE, LONG, on, openApi, RARE, residentId, tally, type InProcessApi } from './support.js';

const BASE = '/api/v1/reconfirmations';
let api: InProcessApi;
let staff: Staff;
let otherApplicant: Person; // another applicant of the same unit
let otherUnitHr: Person; // the HR of a unit in another branch (GXJT01, under GXJTT)
const rows = (table: string) => (api.context.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

beforeAll(async () => {
  api = await openApi();
  staff = await setUpWorkflow(api);
  otherApplicant = await addPerson(api, staff.admin, 'NNLQ01', 'applicant', '钱多');
  otherUnitHr = await addPerson(api, staff.admin, 'GXJT01', 'unit_hr', '何静');
}, 60_000);
afterAll(() => api?.stop());

/** A case by 李四 with its own ID number (one case per person at a time), as a draft of `date`. */
async function draft(serial: number, date = '2026-09-25'): Promise<string> {
  const res = await api.call(staff.applicant, 'POST', BASE, { json: applicationForm({ idNumber: residentId('19850101', serial, 'female') }), now: on(date) });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

/** The three materials of 二(三)1 uploaded and the case submitted. */
async function submitted(serial: number, date = '2026-09-25'): Promise<string> {
  const id = await draft(serial, date);
  for (const [item, content] of [['original_title_proof', pdfDataUrl('c')], ['employment_proof', pdfDataUrl('e')], ['photo', PNG_PHOTO]] as const) {
    const res = await api.call(staff.applicant, 'POST', `${BASE}/${id}/materials`, { json: { item, filename: `${item}.bin`, content }, now: on(date) });
    expect(res.status, res.text).toBe(200);
  }
  expect((await api.call(staff.applicant, 'POST', `${BASE}/${id}/submit`, { json: { integrityPledge: true }, now: on(date) })).status).toBe(200);
  return id;
}

describe('POST /api/v1/reconfirmations', () => {
  it('the applicant applies: 201 with Location, a draft at the unit, its links; private and noindex', async () => {
    const res = await api.call(staff.applicant, 'POST', BASE, { json: applicationForm(), now: on('2026-09-25') });
    expect([res.status, res.mediaType]).toEqual([201, 'application/json']);
    expect(res.headers.get('Location')).toBe(`${BASE}/${res.body.id}`);
    expect(res.headers.get('Cache-Control')).toBe('private, no-store');
    expect(res.headers.get('X-Robots-Tag')).toBe('noindex, nofollow');
    expect(res.body).toMatchObject({ status: 'draft', unitCode: 'NNLQ01', holderCode: 'NNLQ01', authorityCode: 'GXZGB', level: 'senior_associate', formUrl: `http://ecert.test${BASE}/${res.body.id}/form.pdf`, materials: [], certificateUrl: null });
  });

  it('401 without a token; 403 for every role but the applicant; 409 for an applicant not at an employer', async () => {
    await expectTokenRequired(api, 'POST', BASE, { json: applicationForm() });
    for (const person of [staff.unitHr, staff.handler, staff.admin, staff.approver]) {
      const res = await api.call(person, 'POST', BASE, { json: applicationForm() });
      expectProblem(res, 403, 'forbidden');
      expect(res.body.requiredRoles).toEqual(['applicant']);
    }
    const misplaced = await api.token('NNJTJ', 'applicant'); // a department is not an employer
    expectProblem(await api.call(misplaced, 'POST', BASE, { json: applicationForm(), now: on('2026-09-25') }), 409);
  });

  it('refuses invalid forms in both languages: a field (422), the employer’s choice (422), a title by national exam (not_eligible), no JSON (415/400)', async () => {
    const badId = await api.call(staff.applicant, 'POST', BASE, { json: applicationForm({ idNumber: '450103198501010027' }), now: on('2026-09-25') });
    expectProblem(badId, 422);
    expect(badId.body.field).toContain('idNumber');
    const choice = applicationForm();
    (choice.eligibility as { employerChoice: unknown }).employerChoice = 'reconfirm';
    expectProblem(await api.call(staff.applicant, 'POST', BASE, { json: choice, now: on('2026-09-25') }), 422, 'validation_failed');
    const exam = applicationForm();
    exam.eligibility.obtained.method = 'national_exam' as never;
    expectProblem(await api.call(staff.applicant, 'POST', BASE, { json: exam, now: on('2026-09-25') }), 422, 'not_eligible');
    expectProblem(await api.call(staff.applicant, 'POST', BASE, { json: { ...applicationForm(), extra: 1 } }), 422, 'validation_failed');
    expectProblem(await api.call(staff.applicant, 'POST', BASE, { body: 'x', headers: { 'Content-Type': 'text/plain' } }), 415, 'unsupported_media_type');
    expectProblem(await api.call(staff.applicant, 'POST', BASE, { body: '{"eligibility":', headers: { 'Content-Type': 'application/json' } }), 400, 'invalid_json');
  });

  it('hostile text in the free fields is stored verbatim or refused in words, never a 500', async () => {
    let serial = 20;
    for (const text of [HOSTILE, RARE, CONTROL, LONG, '吉𠮷']) {
      const res = await api.call(staff.applicant, 'POST', BASE, { json: { ...applicationForm({ idNumber: residentId('19850101', serial++, 'female') }), workSummary: text, specialty: text.slice(0, 40) }, now: on('2026-09-25') });
      expectNoServerError(res);
      if (res.status === 201) expect(res.body.form.workSummary).toBe(text);
      else expect(res.mediaType).toBe('application/problem+json');
    }
  });

  it('30 concurrent applications with one Idempotency-Key make exactly one case: one 201, the rest 200 with its id', async () => {
    const before = rows('applications');
    const body = applicationForm({ idNumber: residentId('19850101', 40, 'female') });
    const answers = await Promise.all(Array.from({ length: 30 }, () => api.call(staff.applicant, 'POST', BASE, { json: body, key: 'api-case-0001', now: on('2026-09-25') })));
    expect(tally(answers)).toEqual({ 201: 1, 200: 29 });
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(rows('applications') - before).toBe(1);
    expectProblem(await api.call(staff.applicant, 'POST', BASE, { json: { ...body, specialty: '另一专业' }, key: 'api-case-0001', now: on('2026-09-25') }), 422, 'idempotency_conflict');
    // The key is the applicant's own: another applicant's same key is another case.
    expect((await api.call(otherApplicant, 'POST', BASE, { json: applicationForm({ idNumber: residentId('19850101', 41, 'female'), name: '钱多' }), key: 'api-case-0001', now: on('2026-09-25') })).status).toBe(201);
  });
});

describe('GET /api/v1/reconfirmations and /{id}; PUT /{id}', () => {
  let id = '';
  beforeAll(async () => {
    id = await draft(1);
  });

  it('the applicant reads their case (200) and their list, which leaves the form out', async () => {
    const res = await api.call(staff.applicant, 'GET', `${BASE}/${id}`);
    expect([res.status, res.mediaType, res.body.id]).toEqual([200, 'application/json', id]);
    const list = await api.call(staff.applicant, 'GET', `${BASE}?limit=200`);
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(id);
    expect(list.body.items[0].form).toBeUndefined(); // the list leaves the form out
  });

  it('a case not with you is absent (404): another applicant, the HR of another unit; an unknown id 404; a long one 422', async () => {
    expectProblem(await api.call(otherApplicant, 'GET', `${BASE}/${id}`), 404, 'not_found');
    expectProblem(await api.call(otherUnitHr, 'GET', `${BASE}/${id}`), 404, 'not_found');
    const otherHandler = await addPerson(api, staff.admin, 'GXJTT', 'handler', '黄河');
    expectProblem(await api.call(otherHandler, 'GET', `${BASE}/${id}`), 404, 'not_found');
    expect((await api.call(otherApplicant, 'GET', `${BASE}?limit=200`)).body.items.map((c: { id: string }) => c.id)).not.toContain(id);
    expectProblem(await api.call(staff.applicant, 'GET', `${BASE}/RC-NOPE`), 404, 'not_found');
    expectProblem(await api.call(staff.applicant, 'GET', `${BASE}/${'x'.repeat(65)}`), 422, 'validation_failed');
    await expectTokenRequired(api, 'GET', `${BASE}/${id}`);
    expectProblem(await api.call(staff.admin, 'GET', `${BASE}/${id}`), 403, 'forbidden');
  });

  it('refuses a bad list query (422 naming the field); hostile ids and queries never a 500', async () => {
    const limit = await api.call(staff.applicant, 'GET', `${BASE}?limit=0`);
    expectProblem(limit, 422, 'validation_failed');
    expect(limit.body.field).toBe('query.limit');
    expectProblem(await api.call(staff.applicant, 'GET', `${BASE}?status=lost`), 422, 'validation_failed');
    for (const raw of [HOSTILE.slice(0, 60), RARE, CONTROL, '𠮷', "RC' OR 1=1 --"]) {
      expectNoServerError(await api.call(staff.applicant, 'GET', `${BASE}/${encodeURIComponent(raw)}`));
      expectNoServerError(await api.call(staff.applicant, 'GET', `${BASE}?status=${encodeURIComponent(raw)}`));
    }
  });

  it('the applicant edits the draft (200); another applicant may not (404); once submitted it is a 409', async () => {
    const edited = await api.call(staff.applicant, 'PUT', `${BASE}/${id}`, { json: { ...applicationForm({ idNumber: residentId('19850101', 1, 'female') }), specialty: '电气工程及其自动化' }, now: on('2026-09-25') });
    expect([edited.status, edited.body.form.specialty]).toEqual([200, '电气工程及其自动化']);
    expectProblem(await api.call(otherApplicant, 'PUT', `${BASE}/${id}`, { json: applicationForm({ idNumber: residentId('19850101', 1, 'female') }), now: on('2026-09-25') }), 404, 'not_found');
    expectProblem(await api.call(staff.unitHr, 'PUT', `${BASE}/${id}`, { json: applicationForm() }), 403, 'forbidden');
    const done = await submitted(2);
    expectProblem(await api.call(staff.applicant, 'PUT', `${BASE}/${done}`, { json: applicationForm({ idNumber: residentId('19850101', 2, 'female') }), now: on('2026-09-25') }), 409);
  });
});

describe('materials', () => {
  let id = '';
  beforeAll(async () => {
    id = await draft(3);
  });
  const upload = (who: Person, json: unknown) => api.call(who, 'POST', `${BASE}/${id}/materials`, { json, now: on('2026-09-25') });

  it('uploads a PDF (200, the material with its URL) and downloads it as sent, with its name encoded', async () => {
    const res = await upload(staff.applicant, { item: 'original_title_proof', filename: '原职称证书 𠮷.pdf', content: pdfDataUrl('certificate') });
    expect(res.status, res.text).toBe(200);
    const material = res.body.materials.find((m: { item: string }) => m.item === 'original_title_proof');
    expect(material.url).toBe(`http://ecert.test${BASE}/${id}/materials/${material.id}`);
    const file = await api.call(staff.applicant, 'GET', `${BASE}/${id}/materials/${material.id}`);
    expect([file.status, file.mediaType]).toEqual([200, 'application/pdf']);
    expect(file.headers.get('Content-Disposition')).toBe(`attachment; filename="${material.id}"; filename*=UTF-8''${encodeURIComponent('原职称证书 𠮷.pdf')}`);
    expect(file.headers.get('Cache-Control')).toBe('private, no-store');
  });

  it('refuses content that is not what it says, an unknown item, a control character in the name (422); a hostile name never a 500', async () => {
    expectProblem(await upload(staff.applicant, { item: 'photo', filename: '照片.png', content: 'data:image/png;base64,AAAA' }), 422);
    expectProblem(await upload(staff.applicant, { item: 'original_title_proof', filename: 'x.pdf', content: `data:application/pdf;base64,${Buffer.from('<script>').toString('base64')}` }), 422);
    expectProblem(await upload(staff.applicant, { item: 'diploma_of_wizardry', filename: 'x.pdf', content: pdfDataUrl('x') }), 422, 'validation_failed');
    for (const filename of [CONTROL, HOSTILE, RARE, '../../etc/passwd', '"; rm -rf /', 'a'.repeat(201)]) {
      const res = await upload(staff.applicant, { item: 'employment_proof', filename, content: pdfDataUrl('e') });
      expectNoServerError(res);
      if (res.status === 200) {
        const m = res.body.materials.find((x: { filename: string }) => x.filename === filename);
        const file = await api.call(staff.applicant, 'GET', `${BASE}/${id}/materials/${m.id}`);
        expect(file.headers.get('Content-Disposition')).toMatch(/^attachment; filename="[^"]+"; filename\*=UTF-8''[A-Za-z0-9%._~!*'()-]+$/);
      }
    }
  });

  it('another applicant may neither upload to nor read the case (404); roles without the action 403; unknown material 404', async () => {
    expectProblem(await upload(otherApplicant, { item: 'employment_proof', filename: 'x.pdf', content: pdfDataUrl('x') }), 404, 'not_found');
    const [material] = (await api.call(staff.applicant, 'GET', `${BASE}/${id}`)).body.materials;
    expectProblem(await api.call(otherApplicant, 'GET', `${BASE}/${id}/materials/${material.id}`), 404, 'not_found');
    expectProblem(await upload(staff.handler, { item: 'employment_proof', filename: 'x.pdf', content: pdfDataUrl('x') }), 403, 'forbidden');
    expectProblem(await api.call(staff.applicant, 'GET', `${BASE}/${id}/materials/m_nope`), 404, 'not_found');
    await expectTokenRequired(api, 'GET', `${BASE}/${id}/materials/${material.id}`);
  });
});

describe('the steps', () => {
  it('submit needs the materials (409 materials_missing) and the pledge as a boolean (422)', async () => {
    const id = await draft(4);
    expectProblem(await api.call(staff.applicant, 'POST', `${BASE}/${id}/submit`, { json: { integrityPledge: true }, now: on('2026-09-25') }), 409, 'materials_missing');
    expectProblem(await api.call(staff.applicant, 'POST', `${BASE}/${id}/submit`, { json: { integrityPledge: 'yes' } }), 422, 'validation_failed');
  });

  it('a step by a role it is not given is 403; by the right role elsewhere in the tree 404; at the wrong status 409', async () => {
    const id = await submitted(5);
    const receive = (who: Person) => api.call(who, 'POST', `${BASE}/${id}/receive`, { json: {}, now: on('2026-09-28') });
    const denied = await receive(staff.applicant);
    expectProblem(denied, 403, 'forbidden');
    expect(denied.body.requiredRoles).toEqual(['unit_hr']);
    expectProblem(await receive(otherUnitHr), 404, 'not_found');
    await expectTokenRequired(api, 'POST', `${BASE}/${id}/receive`, { json: {} });
    expect((await receive(staff.unitHr)).body.status).toBe('unit_review');
    expectProblem(await receive(staff.unitHr), 409, 'conflict');
    expectProblem(await api.call(staff.approver, 'POST', `${BASE}/${id}/approve`, { json: { decisionNumber: '桂职办〔2026〕1号', opinion: '同意。' } }), 409);
  });

  it('refuses a step’s body it does not take, a bad date or target (422 naming the field); hostile opinions never a 500', async () => {
    const id = await submitted(6);
    const step = (path: string, json: unknown, date = '2026-09-28') => api.call(staff.unitHr, 'POST', `${BASE}/${id}/${path}`, { json, now: on(date) });
    expect((await step('receive', {})).status).toBe(200);
    for (const start of ['2026-13-01', '2026-02-30', '2200-01-01']) expect((await step('start-notice', { start })).body.field, start).toBe('start');
    expectProblem(await step('start-notice', { start: '2026-09-29', integrityPledge: true }), 422, 'validation_failed');
    expectProblem(await step('return', { to: 'nowhere', reason: '材料不全' }), 422, 'validation_failed');
    for (const opinion of [HOSTILE, RARE, CONTROL, LONG]) expectNoServerError(await step('start-notice', { start: '2026-09-29', opinion }));
  });

  it('30 receipts of one case at once: one takes it (200), 29 are told it moved on (409); one history event', async () => {
    const id = await submitted(7);
    const before = (api.context.db.prepare("SELECT COUNT(*) AS n FROM application_events WHERE application_id = ?").get(id) as { n: number }).n;
    const answers = await Promise.all(Array.from({ length: 30 }, () => api.call(staff.unitHr, 'POST', `${BASE}/${id}/receive`, { json: {}, now: on('2026-09-28') })));
    expect(tally(answers)).toEqual({ 200: 1, 409: 29 });
    const after = (api.context.db.prepare("SELECT COUNT(*) AS n FROM application_events WHERE application_id = ?").get(id) as { n: number }).n;
    expect(after - before).toBe(1);
  });

  it('30 submits with one Idempotency-Key at once: every one 200 with the same case, one submit event; 30 uploads with one key: one material', async () => {
    const id = await draft(11);
    const upload = () => api.call(staff.applicant, 'POST', `${BASE}/${id}/materials`, { json: { item: 'employment_proof', filename: 'e.pdf', content: pdfDataUrl('e') }, key: 'api-upload-1', now: on('2026-09-25') });
    expect(tally(await Promise.all(Array.from({ length: 30 }, upload)))).toEqual({ 200: 30 });
    expect((await api.call(staff.applicant, 'GET', `${BASE}/${id}`)).body.materials.filter((m: { item: string }) => m.item === 'employment_proof')).toHaveLength(1);
    for (const [item, content] of [['original_title_proof', pdfDataUrl('c')], ['photo', PNG_PHOTO]] as const) {
      expect((await api.call(staff.applicant, 'POST', `${BASE}/${id}/materials`, { json: { item, filename: 'x', content }, now: on('2026-09-25') })).status).toBe(200);
    }
    const answers = await Promise.all(Array.from({ length: 30 }, () => api.call(staff.applicant, 'POST', `${BASE}/${id}/submit`, { json: { integrityPledge: true }, key: 'api-submit-1', now: on('2026-09-25') })));
    expect(tally(answers)).toEqual({ 200: 30 });
    expect(new Set(answers.map((a) => a.body.status))).toEqual(new Set(['submitted']));
    const submits = api.context.db.prepare("SELECT COUNT(*) AS n FROM application_events WHERE application_id = ? AND action = 'submit'").get(id) as { n: number };
    expect(submits.n).toBe(1);
  });

  it('queue=true lists the cases waiting for your organisation: the unit’s HR sees a submitted case, another unit’s does not', async () => {
    const id = await submitted(12);
    const mine = await api.call(staff.unitHr, 'GET', `${BASE}?queue=true&limit=200`);
    expect([mine.status, mine.mediaType]).toEqual([200, 'application/json']);
    expect(mine.body.items.map((c: { id: string }) => c.id)).toContain(id);
    expect((await api.call(otherUnitHr, 'GET', `${BASE}?queue=true&limit=200`)).body.items.map((c: { id: string }) => c.id)).not.toContain(id);
    expectProblem(await api.call(staff.unitHr, 'GET', `${BASE}?queue=maybe`), 422, 'validation_failed');
  });

  it('return to the applicant, then withdraw (then 409); a third case rejected (then 409)', async () => {
    const second = await submitted(8, '2026-11-02');
    await api.call(staff.unitHr, 'POST', `${BASE}/${second}/receive`, { json: {}, now: on('2026-11-02') });
    expect((await api.call(staff.unitHr, 'POST', `${BASE}/${second}/return`, { json: { to: 'draft', reason: '请补充工作总结。' }, now: on('2026-11-03') })).body.status).toBe('draft');
    expect((await api.call(staff.applicant, 'POST', `${BASE}/${second}/withdraw`, { json: { reason: '另行申报' }, now: on('2026-11-03') })).body.status).toBe('withdrawn');
    expectProblem(await api.call(staff.applicant, 'POST', `${BASE}/${second}/withdraw`, { json: {}, now: on('2026-11-03') }), 409);
    const third = await submitted(9, '2026-11-02');
    await api.call(staff.unitHr, 'POST', `${BASE}/${third}/receive`, { json: {}, now: on('2026-11-02') });
    expect((await api.call(staff.unitHr, 'POST', `${BASE}/${third}/reject`, { json: { reason: '经核查，原职称证书不实。' }, now: on('2026-11-04') })).body.status).toBe('rejected');
    expectProblem(await api.call(staff.unitHr, 'POST', `${BASE}/${third}/reject`, { json: { reason: '再次' }, now: on('2026-11-04') }), 409);
  });
});

describe('to a certificate: the department, the title offices, approval, issue and the approval form', () => {
  const ID_NUMBER = residentId('19850101', 10, 'female');
  let id = '';
  beforeAll(async () => {
    id = await caseAtDepartment(api, staff, applicationForm({ idNumber: ID_NUMBER }));
  }, 60_000);

  it('the department forwards with the 核实 record and the social insurance check; the city office with the platform’s acceptance', async () => {
    const department = staff.departmentReviewer;
    expectProblem(await api.call(department, 'POST', `${BASE}/${id}/forward`, { json: { opinion: '同意。' }, now: on('2026-10-13') }), 409);
    const record = await api.call(staff.handler, 'POST', '/api/v1/verification-records', { json: phoneRecordBody({ applicationId: id, subject: { ...phoneRecordBody().subject, idNumber: ID_NUMBER } }, '2026-10-13T10:30:00+08:00') });
    expect(record.status, record.text).toBe(201);
    const forwarded = await api.call(department, 'POST', `${BASE}/${id}/forward`, { json: { opinion: '同意报送。', socialInsuranceCheck: socialInsuranceCheck('2026-10-13') }, now: on('2026-10-13') });
    expect(forwarded.body.status, forwarded.text).toBe('forwarding');
    const city = await api.call(staff.cityStaff, 'POST', `${BASE}/${id}/forward`, { json: { opinion: '同意报自治区职改办确认。', platformAcceptance: platformAcceptance('2026-10-14') }, now: on('2026-10-14') });
    expect(city.body.status, city.text).toBe('authority_review');
  });

  it('only the authority’s approver approves (403 otherwise) and issues once (200 with the number, then 409)', async () => {
    expectProblem(await api.call(staff.unitHr, 'POST', `${BASE}/${id}/approve`, { json: { decisionNumber: '桂职办〔2026〕88号', opinion: '同意。' } }), 403, 'forbidden');
    // The city office's approver saw the case pass (so it is not absent to them), but it is not theirs to approve: 403.
    const city = await api.call(staff.cityApprover, 'POST', `${BASE}/${id}/approve`, { json: { decisionNumber: '桂职办〔2026〕88号', decidedOn: '2026-10-20', opinion: '同意。' }, now: on('2026-10-20') });
    expectProblem(city, 403, 'forbidden');
    expect(city.body.message.en).toContain('not with you');
    const approved = await api.call(staff.approver, 'POST', `${BASE}/${id}/approve`, { json: { decisionNumber: '桂职办〔2026〕88号', decidedOn: '2026-10-20', opinion: '同意。' }, now: on('2026-10-20') });
    expect(approved.body.status, approved.text).toBe('approved');
    expectProblem(await api.call(staff.approver, 'POST', `${BASE}/${id}/issue`, { json: { now: true } }), 422, 'validation_failed');
    const issued = await api.call(staff.approver, 'POST', `${BASE}/${id}/issue`, { json: {}, now: on('2026-10-20') });
    expect(issued.body.certificateNumber, issued.text).toMatch(/^[0-9A-Z]{11}$/);
    expect(issued.body.certificateUrl).toBe(`http://ecert.test/api/v1/certificates/${issued.body.certificateNumber}`);
    expectProblem(await api.call(staff.approver, 'POST', `${BASE}/${id}/issue`, { json: {}, now: on('2026-10-20') }), 409);
  });

  it('the approval form (附件1) as a PDF to those the case passed; absent to others', async () => {
    for (const person of [staff.approver, staff.applicant, staff.unitHr]) {
      const form = await api.call(person, 'GET', `${BASE}/${id}/form.pdf`);
      expect([form.status, form.mediaType]).toEqual([200, 'application/pdf']);
      expect(form.headers.get('Content-Disposition')).toBe(`inline; filename="approval-form-${id}.pdf"`);
    }
    expectProblem(await api.call(otherUnitHr, 'GET', `${BASE}/${id}/form.pdf`), 404, 'not_found');
    expectProblem(await api.call(staff.approver, 'GET', `${BASE}/RC-NOPE/form.pdf`), 404, 'not_found');
    expectProblem(await api.call(staff.admin, 'GET', `${BASE}/${id}/form.pdf`), 403, 'forbidden');
    await expectTokenRequired(api, 'GET', `${BASE}/${id}/form.pdf`);
  });
});
