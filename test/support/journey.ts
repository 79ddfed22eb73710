/**
 * A senior case taken on the real server up to the competent department's review (二(二)1–3): applied and
 * submitted with the materials of 二(三)1 on 2026-09-25, published 2026-09-29 to 10-10, endorsed and
 * forwarded on 10-12, and the department's request document uploaded — what the department needs
 * before it can forward, except the 核实 record (四(三)) that the tests add.
 */
import { expect } from 'vitest';
import type { RunningServer } from './server.js';
import { applicationForm, client, json, pdfDataUrl, PNG_PHOTO, type Person, type Staff } from './workflow.js';

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
