/**
 * Notice 四(三): a 核实 record linked to a case counts for it only if it checked the title the case claims —
 * its title name, evaluating body and acquisition date agree with the case's, not merely the ID number. A
 * disagreement is shown to the reviewer in words (API view, case page, the forwarding refusal) and the
 * record does not meet the material requirement; a correction that agrees does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.js';
import { phoneRecordBody } from '../support/fixtures.js';
import { call, caseAtDepartment } from '../support/journey.js';
import { signInCookie } from '../support/session.js';
import { client, json, setUpWorkflow, socialInsuranceCheck, type Staff } from '../support/workflow.js';

let server: RunningServer;
let staff: Staff;

beforeAll(async () => {
  server = await startServer({ ECERT_TEST_CLOCK: '1' });
  staff = await setUpWorkflow(server);
}, 180_000);
afterAll(async () => server?.stop());

const SUBJECT = phoneRecordBody().subject;
const record = async (body: unknown) => {
  const res = await client(server, staff.handler)('POST', '/api/v1/verification-records', body, { now: '2026-10-13T10:30:00+08:00' });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await json(res)).id as string;
};

describe('a 核实 record counts only for the title the case claims (四(三))', () => {
  it('a record of another title, body or date is shown in words and does not let the department forward; a correction that agrees does', async () => {
    const id = await caseAtDepartment(server, staff);
    const wrong = await record(phoneRecordBody({ applicationId: id, subject: { ...SUBJECT, titleName: '工程师', evaluatingBody: '湖南省 工程技术高级职务评审委员会', acquiredOn: '2016-12-30' } }, '2026-10-13T10:30:00+08:00'));

    const view = (await call(server, staff.departmentReviewer, 'GET', `/api/v1/reconfirmations/${id}`, undefined, '2026-10-13')).body;
    expect(view.genuineVerificationRecords).toBe(0);
    expect(view.verificationRecords[0].disagreements.map((d: { field: string }) => d.field)).toEqual(['titleName', 'acquiredOn']); // the space in the body is forgiven
    expect(view.verificationRecords[0].disagreements[0]).toMatchObject({ recorded: '工程师', claimed: '高级工程师', message: { zh: '核实记录的职称名称（工程师）与申请（高级工程师）不一致' } });

    const refused = await call(server, staff.departmentReviewer, 'POST', `/api/v1/reconfirmations/${id}/forward`, { opinion: '同意。', socialInsuranceCheck: socialInsuranceCheck('2026-10-13') }, '2026-10-13');
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('materials_missing');
    expect(refused.body.reasons.map((r: { code: string }) => r.code)).toEqual(['missing_verification_record', 'verification_record_disagrees', 'verification_record_disagrees']);
    expect(refused.body.message.zh).toContain('核实记录的取得时间（2016年12月30日）与申请（2015年12月30日）不一致');

    const page = await (await fetch(`${server.baseUrl}/console/cases/${id}`, { headers: { Cookie: await signInCookie(server.baseUrl, staff.departmentReviewer.token) } })).text();
    expect(page).toContain('核实记录的职称名称（工程师）与申请（高级工程师）不一致');
    expect(page).toContain('不计入本申请的核实记录（四(三)）');

    await record(phoneRecordBody({ applicationId: id, supersedes: { id: wrong, reason: '职称名称与取得时间记错，更正。' } }, '2026-10-13T10:30:00+08:00'));
    const forwarded = await call(server, staff.departmentReviewer, 'POST', `/api/v1/reconfirmations/${id}/forward`, { opinion: '同意。', socialInsuranceCheck: socialInsuranceCheck('2026-10-13') }, '2026-10-13');
    expect(forwarded.status, JSON.stringify(forwarded.body)).toBe(200);
    expect(forwarded.body).toMatchObject({ status: 'forwarding', genuineVerificationRecords: 1 });
    expect(forwarded.body.verificationRecords[1].disagreements).toEqual([]);
  });
});
