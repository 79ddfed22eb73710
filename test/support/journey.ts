/**
 * A senior case taken on the real server up to the competent department's review (二(二)1–3): applied and
 * submitted with the materials of 二(三)1 on 2026-09-25, published 2026-09-29 to 10-10, endorsed and
 * forwarded on 10-12, and the department's request document uploaded — what the department needs
 * before it can forward, except the 核实 record (四(三)) that the tests add.
 */
import { expect } from 'vitest';
import type { RunningServer } from './server.js';
import { phoneRecordBody } from './fixtures.js';
import { residentId } from '../http/api/support.js';
import { applicationForm, client, json, pdfDataUrl, platformAcceptance, PNG_PHOTO, socialInsuranceCheck, type Person, type Staff } from './workflow.js';

export const on = (date: string) => `${date}T10:00:00+08:00`;

/** One call as a person on a test-clock date: the status and the parsed answer. */
export async function call(server: RunningServer, person: Person, method: string, path: string, body: unknown, date: string): Promise<{ status: number; body: any }> {
  const res = await client(server, person)(method, path, body, { now: on(date) });
  return { status: res.status, body: await json(res) };
}

/** @example const id = await caseAtDepartment(server, staff); */
export async function caseAtDepartment(server: RunningServer, staff: Staff, form = applicationForm()): Promise<string> {
  const ok = async (person: Person, path: string, body: unknown, date: string, status = 200) => {
    const res = await call(server, person, 'POST', `/api/v1/reconfirmations${path}`, body, date);
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body;
  };
  const id = (await ok(staff.applicant, '', form, '2026-09-25', 201)).id as string;
  for (const [item, content] of [['original_title_proof', pdfDataUrl('c')], ['employment_proof', pdfDataUrl('e')], ['photo', PNG_PHOTO]] as const) {
    await ok(staff.applicant, `/${id}/materials`, { item, filename: `${item}.bin`, content }, '2026-09-25');
  }
  await ok(staff.applicant, `/${id}/submit`, { integrityPledge: true }, '2026-09-25');
  await ok(staff.unitHr, `/${id}/receive`, {}, '2026-09-28');
  await ok(staff.unitHr, `/${id}/start-notice`, { start: '2026-09-29' }, '2026-09-28');
  await ok(staff.unitHr, `/${id}/endorse`, { authenticityPledge: true, originalsChecked: true, opinion: '同意上报。' }, '2026-10-12');
  await ok(staff.unitHr, `/${id}/forward`, { opinion: '请主管部门审核。' }, '2026-10-12');
  await ok(staff.departmentReviewer, `/${id}/materials`, { item: 'request_document', filename: '请示.pdf', content: pdfDataUrl('request') }, '2026-10-13');
  return id;
}

/**
 * A senior case taken on from the department (the 核实 record, the department's forward with its social-insurance
 * check on 10-13, the city office's with the platform's acceptance on 10-14) to `until`: the region office's
 * review, its approval on 10-20 (桂职办〔2026〕88号), the certificate, or its refusal.
 * @example const id = await caseThroughAuthority(server, staff, 21, 'issue');
 */
export async function caseThroughAuthority(server: RunningServer, staff: Staff, serial: number, until: 'authority_review' | 'approve' | 'issue' | 'reject'): Promise<string> {
  const idNumber = residentId('19850101', serial, 'female');
  const id = await caseAtDepartment(server, staff, applicationForm({ idNumber }));
  const step = async (who: Person, path: string, body: unknown, date: string, prefix = `/api/v1/reconfirmations/${id}/`) => {
    const res = await call(server, who, 'POST', `${prefix}${path}`, body, date);
    expect([200, 201], `${path}: ${JSON.stringify(res.body)}`).toContain(res.status);
  };
  await step(staff.handler, '', phoneRecordBody({ applicationId: id, subject: { ...phoneRecordBody().subject, idNumber } }, '2026-10-13T09:30:00+08:00'), '2026-10-13', '/api/v1/verification-records');
  await step(staff.departmentReviewer, 'forward', { opinion: '同意报送。', socialInsuranceCheck: socialInsuranceCheck('2026-10-13') }, '2026-10-13');
  await step(staff.cityStaff, 'forward', { opinion: '同意报自治区职改办确认。', platformAcceptance: platformAcceptance('2026-10-14') }, '2026-10-14');
  if (until === 'authority_review') return id;
  if (until === 'reject') {
    await step(staff.approver, 'reject', { reason: '经核查，原职称证书不实，不予确认。' }, '2026-10-20');
    return id;
  }
  await step(staff.approver, 'approve', { decisionNumber: '桂职办〔2026〕88号', decidedOn: '2026-10-20', opinion: '同意。' }, '2026-10-20');
  if (until === 'issue') await step(staff.approver, 'issue', {}, '2026-10-20');
  return id;
}
