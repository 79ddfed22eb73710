/**
 * The reconfirmation journey of notice 二(二) on the real server: applicant → unit → 5-working-day notice →
 * competent department → city title office → region title office → certificate → QR verified; the
 * approval form read back with pdftotext; a fraud revocation shows `revoked` on the public page and the
 * five-year ban (四(一)) — which bars promotion, not reconfirmation — is shown on a new application. The test clock (X-Ecert-Test-Now) lets the notice run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startServer, type RunningServer } from '../support/server.js';
import { verifyCaseStatement } from '../../src/crypto/caseStatement.js';
import { phoneRecordBody } from '../support/fixtures.js';
import { signInCookie } from '../support/session.js';
import { applicationForm, client, json, pdfDataUrl, platformAcceptance, PNG_PHOTO, setUpWorkflow, socialInsuranceCheck, type Staff } from '../support/workflow.js';

let server: RunningServer;
let staff: Staff;

/** The electronic seal each organisation on the route holds (issue 16), made by the region admin before the case. */
const SEALS = [
  ['NNLQ01', '91440300708461136T'],
  ['NNJTJ', '9144030071526726XG'],
  ['NNZGB', '91110000100010433L'],
  ['GXZGB', '91350100M000100Y43'],
] as const;

beforeAll(async () => {
  server = await startServer({ ECERT_TEST_CLOCK: '1' });
  staff = await setUpWorkflow(server);
  for (const [code, uscc] of SEALS) {
    await step('admin', 'PUT', `/api/v1/organisations/${code}/uscc`, { uscc }, '2026-09-01');
    await step('admin', 'POST', `/api/v1/organisations/${code}/seals`, {}, '2026-09-01', 201);
  }
}, 180_000);
afterAll(async () => server?.stop());

/** China time on a date of the journey. */
const on = (date: string, time = '10:00') => `${date}T${time}:00+08:00`;

async function step(who: keyof Staff, method: string, path: string, body: unknown, date: string, expected = 200) {
  const res = await client(server, staff[who])(method, path, body, { now: on(date) });
  const payload = await json(res);
  expect(res.status, `${who} ${method} ${path}: ${JSON.stringify(payload)}`).toBe(expected);
  return payload;
}

function pdfText(bytes: ArrayBuffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecert-form-'));
  writeFileSync(join(dir, 'f.pdf'), new Uint8Array(bytes));
  return execFileSync('pdftotext', [join(dir, 'f.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}

describe('the reconfirmation journey (二(二))', () => {
  let id = '';

  it('the applicant applies, uploads the materials of 二(三)1 and submits with the integrity pledge', async () => {
    const created = await step('applicant', 'POST', '/api/v1/reconfirmations', applicationForm(), '2026-09-25', 201);
    id = created.id;
    expect(created).toMatchObject({ status: 'draft', level: 'senior_associate', unitCode: 'NNLQ01', holderCode: 'NNLQ01', authorityCode: 'GXZGB' });
    expect(created.eligibility.decision).toBe('eligible');

    const early = await step('applicant', 'POST', `/api/v1/reconfirmations/${id}/submit`, { integrityPledge: true }, '2026-09-25', 409);
    expect(early.code).toBe('materials_missing');
    expect(early.reasons.map((r: { code: string }) => r.code)).toEqual(['missing_original_title_proof', 'missing_employment_proof', 'missing_photo']);

    await step('applicant', 'POST', `/api/v1/reconfirmations/${id}/materials`, { item: 'original_title_proof', filename: '原职称证书.pdf', content: pdfDataUrl('certificate') }, '2026-09-25');
    await step('applicant', 'POST', `/api/v1/reconfirmations/${id}/materials`, { item: 'employment_proof', filename: '劳动合同.pdf', content: pdfDataUrl('contract') }, '2026-09-25');
    const withPhoto = await step('applicant', 'POST', `/api/v1/reconfirmations/${id}/materials`, { item: 'photo', filename: '照片.png', content: PNG_PHOTO }, '2026-09-25');
    expect(withPhoto.materials.map((m: { item: string }) => m.item)).toEqual(['original_title_proof', 'employment_proof', 'photo']);

    const noPledge = await step('applicant', 'POST', `/api/v1/reconfirmations/${id}/submit`, { integrityPledge: false }, '2026-09-25', 422);
    expect(noPledge.field).toBe('integrityPledge');
    const submitted = await step('applicant', 'POST', `/api/v1/reconfirmations/${id}/submit`, { integrityPledge: true }, '2026-09-25');
    expect(submitted.status).toBe('submitted');
  });

  it('the unit receives it and publishes it for 5 working days; an objection is lodged and resolved', async () => {
    await step('unitHr', 'POST', `/api/v1/reconfirmations/${id}/receive`, {}, '2026-09-28');
    const notice = await step('unitHr', 'POST', `/api/v1/reconfirmations/${id}/start-notice`, { start: '2026-09-29' }, '2026-09-28');
    expect(notice.status).toBe('public_notice');
    expect(notice.notice).toMatchObject({ start: '2026-09-29', end: '2026-10-10', provisional: false });
    expect(notice.notice.dataVersion).toMatch(/^chinese-days@/);

    const objection = await step('unitHr', 'POST', `/api/v1/reconfirmations/${id}/objections`, { receivedOn: '2026-09-30', text: '有同事反映其原单位职务与申报不符。' }, '2026-09-30');
    expect(objection.noticeDaysLeft).toBe(4); // 9-30, then 10-08, 10-09 and the 调休 Saturday 10-10
    expect(objection.objections).toHaveLength(1);
    const unresolved = await step('unitHr', 'POST', `/api/v1/reconfirmations/${id}/endorse`, { authenticityPledge: true, originalsChecked: true, opinion: '同意上报。' }, '2026-10-12', 409);
    expect(unresolved.message.zh).toContain('异议');
    await step('unitHr', 'POST', `/api/v1/reconfirmations/${id}/objection-resolutions`, { objectionId: objection.objections[0].id, text: '经核查档案，原单位职务属实，异议不成立。', upheld: false }, '2026-10-09');
  });

  it('the unit endorses only after the notice has run, then forwards to its competent department', async () => {
    const tooEarly = await step('unitHr', 'POST', `/api/v1/reconfirmations/${id}/endorse`, { authenticityPledge: true, originalsChecked: true, opinion: '同意上报。' }, '2026-10-10', 409);
    expect(tooEarly.clause).toBe('二(二)2');
    const endorsed = await step('unitHr', 'POST', `/api/v1/reconfirmations/${id}/endorse`, { authenticityPledge: true, originalsChecked: true, opinion: '经考核，该同志业绩突出，材料真实，公示无异议，同意上报。' }, '2026-10-12');
    expect(endorsed.status).toBe('unit_endorsed');
    const forwarded = await step('unitHr', 'POST', `/api/v1/reconfirmations/${id}/forward`, { opinion: '请主管部门审核。' }, '2026-10-12');
    expect(forwarded).toMatchObject({ status: 'department_review', holderCode: 'NNJTJ' });
  });

  it('the department cannot forward until it has the request document and a genuine verification record (四(三))', async () => {
    const missing = await step('departmentReviewer', 'POST', `/api/v1/reconfirmations/${id}/forward`, { opinion: '同意。' }, '2026-10-13', 409);
    expect(missing.reasons.map((r: { code: string }) => r.code).sort()).toEqual(['missing_request_document', 'missing_verification_record']);
    await step('departmentReviewer', 'POST', `/api/v1/reconfirmations/${id}/materials`, { item: 'request_document', filename: '请示.pdf', content: pdfDataUrl('request') }, '2026-10-13');

    const record = await client(server, staff.handler)('POST', '/api/v1/verification-records', phoneRecordBody({ applicationId: id }, '2026-10-13T10:30:00+08:00'));
    expect(record.status, await record.clone().text()).toBe(201);

    const forwarded = await step('departmentReviewer', 'POST', `/api/v1/reconfirmations/${id}/forward`, { opinion: '经审核，材料齐全，同意报送。', socialInsuranceCheck: socialInsuranceCheck('2026-10-13') }, '2026-10-13');
    expect(forwarded).toMatchObject({ status: 'forwarding', holderCode: 'NNZGB', genuineVerificationRecords: 1 });
    expect(forwarded.verificationRecords).toMatchObject([{ orgCode: 'NNJTJ', method: 'phone', result: 'genuine', handlerName: '赵六', supersededBy: null }]);
    expect(forwarded.checklist.filter((c: { required: boolean; satisfied: boolean }) => c.required && !c.satisfied)).toEqual([]);
  });

  it('the city title office submits the senior case to the region title office, which approves and issues', async () => {
    const wrongPerson = await step('cityApprover', 'POST', `/api/v1/reconfirmations/${id}/approve`, { decisionNumber: '南职办〔2026〕1号', opinion: '同意。' }, '2026-10-14', 409);
    expect(wrongPerson.code).toBe('conflict');
    const atRegion = await step('cityStaff', 'POST', `/api/v1/reconfirmations/${id}/forward`, { opinion: '经审核，同意报自治区职改办确认。', platformAcceptance: platformAcceptance('2026-10-14') }, '2026-10-14');
    expect(atRegion).toMatchObject({ status: 'authority_review', holderCode: 'GXZGB' });
    const notTheirs = await step('cityApprover', 'POST', `/api/v1/reconfirmations/${id}/approve`, { decisionNumber: '南职办〔2026〕1号', opinion: '同意。' }, '2026-10-14', 403);
    expect(notTheirs.requiredRoles).toBeUndefined(); // allowed role, but the case is not with their organisation

    const approved = await step('approver', 'POST', `/api/v1/reconfirmations/${id}/approve`, { decisionNumber: '桂职办〔2026〕88号', decidedOn: '2026-10-20', opinion: '同意确认其高级工程师职称。' }, '2026-10-20');
    expect(approved).toMatchObject({ status: 'approved', decision: { number: '桂职办〔2026〕88号', decidedOn: '2026-10-20' } });
    const issued = await step('approver', 'POST', `/api/v1/reconfirmations/${id}/issue`, {}, '2026-10-20');
    expect(issued.status).toBe('issued');
    expect(issued.certificateNumber).toMatch(/^[0-9A-Z]{11}$/);
    const again = await step('approver', 'POST', `/api/v1/reconfirmations/${id}/issue`, {}, '2026-10-20', 409);
    expect(again.code).toBe('conflict');
  });

  it('the approval form (attachment 1) carries every level’s opinion, the pledges and the notice dates', async () => {
    const res = await client(server, staff.approver)('GET', `/api/v1/reconfirmations/${id}/form.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const bytes = await res.arrayBuffer();
    // The case is finished: its form is made once and kept (issue 16 item 3), the same bytes on every runtime's store.
    const again = await client(server, staff.applicant)('GET', `/api/v1/reconfirmations/${id}/form.pdf`);
    expect(Buffer.from(await again.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    const text = pdfText(bytes);
    for (const expected of [
      '李四', '450103198501010026', '南宁路桥工程有限公司', '高级工程师', '湖南省工程技术高级职务评审委员会', '2015年12月30日', '电气工程',
      '诚信承诺书', '2026年9月29日', '2026年10月10日',
      '经考核，该同志业绩突出', '周敏', '经审核，材料齐全，同意报送', '吴刚', '同意报自治区职改办确认', '郑丽', '同意确认其高级工程师职称', '王五', '桂职办〔2026〕88号',
      // 二(二)2: an objection was raised and found unfounded, so the pledge does not say 经公示无异议.
      '确认材料均属实，经公示，公示期间收到异议1件，经核查不属实（公示时间2026年9月29日至2026年10月10日）',
      // Each level in its own box: the competent department's 主管部门核实意见, the city title office in the 县、市 row.
      '公章：南宁市交通运输局',
      '公章：南宁市职称改革工作领导小组办公室',
    ]) {
      expect(text, expected).toContain(expected);
    }
    expect(text).not.toContain('确认材料均属实，经公示无异议');
  });

  it('the certificate carries the original date and specialty, its QR verifies, and every step is in the audit trail', async () => {
    const view = await json(await client(server, staff.approver)('GET', `/api/v1/reconfirmations/${id}`));
    const number = view.certificateNumber as string;
    const pdf = await client(server, staff.approver)('GET', `/api/v1/certificates/${number}/pdf`);
    expect(pdf.status).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), 'ecert-rc-'));
    writeFileSync(join(dir, 'c.pdf'), new Uint8Array(await pdf.arrayBuffer()));
    execFileSync('pdftoppm', ['-r', '100', '-png', '-f', '1', '-l', '1', join(dir, 'c.pdf'), join(dir, 'page')]);
    const png = readdirSync(dir).find((f) => f.startsWith('page'))!;
    const url = execFileSync('zbarimg', ['--raw', '-q', join(dir, png)], { encoding: 'utf8' }).trim();
    const verified = await json(await fetch(url, { headers: { Accept: 'application/json' } }));
    expect(verified.status).toBe('valid');
    expect(verified.certificate).toMatchObject({ holder: { name: '李四' }, title: { name: '高级工程师', specialty: '电气工程' }, original: { acquiredOn: '2015-12-30' }, decision: { number: '桂职办〔2026〕88号' } });

    // Issue 13 item 6: the certificate names its case as its basis, the case names the certificate — and both say so.
    expect(verified.certificate.basis).toEqual({
      kind: 'case',
      kindName: { zh: '职称重新确认案件', en: 'Reconfirmation case' },
      caseId: id,
      // Issue 16: the approval it rests on bears the region office's electronic seal.
      sealedBy: { name: '广西壮族自治区职称改革工作领导小组办公室', uscc: '91350100M000100Y43', at: '2026-10-20T02:00:00.000Z' },
    });
    const verifiedPage = await (await fetch(url)).text();
    expect(verifiedPage).toContain(`职称重新确认案件（案件编号 ${id}）；确认决定由广西壮族自治区职称改革工作领导小组办公室加盖电子印章（2026年10月20日）`);
    const record = await json(await client(server, staff.approver)('GET', `/api/v1/certificates/${number}`));
    expect(record.basis).toEqual({ kind: 'case', caseId: id, sealedBy: { code: 'GXZGB', name: '广西壮族自治区职称改革工作领导小组办公室', uscc: '91350100M000100Y43', at: '2026-10-20T02:00:00.000Z' } });
    const issuedRow = await json(await client(server, staff.auditor)('GET', `/api/v1/audit?subject=certificate:${number}`));
    expect(issuedRow.items[0]).toMatchObject({ action: 'certificate.issue', detail: { basis: { kind: 'case', caseId: id } } });
    const casePage = await (await fetch(`${server.baseUrl}/console/cases/${id}`, { headers: { Cookie: await signInCookie(server.baseUrl, staff.approver.token) } })).text();
    expect(casePage).toMatch(/签发依据<\/dt>\s*<dd>本案（职称重新确认案件）/);

    const audit = await json(await client(server, staff.auditor)('GET', `/api/v1/audit?subject=${encodeURIComponent(`application:${id}`)}`));
    expect(audit.items.map((e: { action: string }) => e.action)).toEqual([
      'application.create', 'application.upload_material', 'application.upload_material', 'application.upload_material', 'application.submit',
      'application.receive', 'application.start_notice', 'application.lodge_objection', 'application.resolve_objection', 'application.endorse',
      'application.forward', 'application.upload_material', 'application.forward', 'application.forward', 'application.approve', 'application.issue',
    ]);
    const history = view.events.map((e: { action: string; person: { name: string }; role: string }) => `${e.action}:${e.person.name}:${e.role}`);
    expect(history).toContain('endorse:周敏:unit_hr');
    expect(history).toContain('approve:王五:authority_approver');
  });

  it('every organisation’s opinion is sealed by its own electronic seal (issue 16): the chain intact, each seal checked offline against the root, the case page shows them', async () => {
    const answer = await json(await client(server, staff.auditor)('GET', `/api/v1/reconfirmations/${id}/statements`));
    expect([answer.intact, answer.problems]).toEqual([true, []]);
    expect(answer.statements.map((s: any) => `${s.step}:${s.org.code}:${s.sealValid}`)).toEqual([
      'receive:NNLQ01:true', 'start_notice:NNLQ01:true', 'lodge_objection:NNLQ01:true', 'resolve_objection:NNLQ01:true', 'endorse:NNLQ01:true',
      'forward:NNLQ01:true', 'forward:NNJTJ:true', 'forward:NNZGB:true', 'approve:GXZGB:true', 'issue:GXZGB:true',
    ]);
    const rootPem = readFileSync(join(ROOT, 'keys.example/root.pem'), 'utf8');
    for (const [i, s] of answer.statements.entries()) {
      const offline = await verifyCaseStatement(s.jws, { rootPem });
      expect(offline.valid, s.step).toBe(true);
      if (offline.valid) {
        expect(offline.seal.uscc).toBe(SEALS.find(([code]) => code === s.org.code)![1]);
        expect(offline.payload.prev).toBe(i === 0 ? null : answer.statements[i - 1].digest);
      }
    }
    const casePage = await (await fetch(`${server.baseUrl}/console/cases/${id}`, { headers: { Cookie: await signInCookie(server.baseUrl, staff.unitHr.token) } })).text();
    expect(casePage).toContain('南宁路桥工程有限公司电子印章，已验证');
    expect(casePage).toContain('广西壮族自治区职称改革工作领导小组办公室电子印章，已验证');
    expect(casePage).not.toContain('未加盖电子印章');
  });

  it('a fraud revocation shows 已撤销 on the public page; a new application is taken and shows the five-year ban (四(一))', async () => {
    const view = await json(await client(server, staff.approver)('GET', `/api/v1/reconfirmations/${id}`));
    const number = view.certificateNumber as string;
    const revoked = await client(server, staff.approver)('POST', `/api/v1/certificates/${number}/revocation`, { reason: 'false_materials', note: '原职称证书系伪造' });
    expect(revoked.status, await revoked.clone().text()).toBe(200);
    // The public page gives a verdict only with the QR code's link proof: the certificate record carries it.
    const { verifyUrl } = await json(await client(server, staff.approver)('GET', `/api/v1/certificates/${number}`));
    const page = await fetch(verifyUrl);
    expect(await page.text()).toContain('已撤销');
    const status = await json(await fetch(verifyUrl, { headers: { Accept: 'application/json' } }));
    expect(status.status).toBe('revoked');
    const trail = await json(await client(server, staff.auditor)('GET', `/api/v1/audit?subject=certificate:${number}`));
    expect(trail.items.map((e: { action: string; personId: string }) => `${e.action}:${e.personId}`)).toEqual([`certificate.issue:${staff.approver.id}`, `certificate.revoke:${staff.approver.id}`]);

    // 四(一) bars promotion only: the reconfirmation is taken, and its reviewers see the ban.
    const again = await client(server, staff.applicant)('POST', '/api/v1/reconfirmations', applicationForm());
    const second = await json(again);
    expect(again.status).toBe(201);
    expect(second.bans).toMatchObject([{ source: 'revocation', clause: '四(一)', inForce: true, bars: { zh: '申报晋升职称' } }]);
    // The applicant reads the ban, not the revocation's working facts (the reviewers' view keeps them: bans.test.ts).
    expect(second.bans[0].certificateNumber).toBeUndefined();
    expect(second.bans[0].note).toBeUndefined();
  });

  it('a passport holder gives 出生年月 on the application, and the approval form prints it (attachment 1)', async () => {
    const passport = (birthMonth?: string) => {
      const form = applicationForm({ idNumber: 'E12345678', name: '陈安娜' });
      return { ...form, applicant: { ...form.applicant, idType: 'passport', ...(birthMonth ? { birthMonth } : {}) } };
    };
    const missing = await step('applicant', 'POST', '/api/v1/reconfirmations', passport(), '2026-10-21', 422);
    expect(missing).toMatchObject({ code: 'validation_failed', field: 'applicant.birthMonth' });
    expect(missing.message.zh).toContain('出生年月');
    const resident = applicationForm({ idNumber: '450103198501010042' });
    const disagrees = await step('applicant', 'POST', '/api/v1/reconfirmations', { ...resident, applicant: { ...resident.applicant, birthMonth: '1986-01' } }, '2026-10-21', 422);
    expect(disagrees).toMatchObject({ field: 'applicant.birthMonth' });

    const created = await step('applicant', 'POST', '/api/v1/reconfirmations', passport('1979-06'), '2026-10-21', 201);
    expect(created.form.applicant).toMatchObject({ idType: 'passport', birthMonth: '1979-06' });
    const res = await client(server, staff.applicant)('GET', `/api/v1/reconfirmations/${created.id}/form.pdf`);
    expect(res.status).toBe(200);
    const text = pdfText(await res.arrayBuffer());
    expect(text).toContain('E12345678');
    expect(text).toContain('出生年月1979年06月');
  });
});
