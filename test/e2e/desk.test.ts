/**
 * Issue 18 item 6, the console's first page on the real server (test clock): each person sees what needs them
 * now — the cases at their desk with the working days they have waited (Chinese and Guangxi calendar), those
 * waiting more than ten working days flagged, and the public notices ending this week; nobody sees another
 * organisation's desk, and a person without case rights sees only their links.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.js';
import { applicationForm, client, json, pdfDataUrl, PNG_PHOTO, setUpWorkflow, type Person, type Staff } from '../support/workflow.js';
import { signInCookie } from '../support/session.js';

let server: RunningServer;
let staff: Staff;
let waiting: string; // submitted 2026-09-01, never received
let onNotice: string; // on notice 2026-09-29 to 2026-10-10

const on = (date: string, time = '10:00') => `${date}T${time}:00+08:00`;

async function api(who: Person, method: string, path: string, body: unknown, date: string, expected = 200) {
  const res = await client(server, who)(method, path, body, { now: on(date) });
  const payload = await json(res);
  expect(res.status, `${method} ${path}: ${JSON.stringify(payload)}`).toBe(expected);
  return payload;
}

async function submitted(idNumber: string, date: string): Promise<string> {
  const { id } = await api(staff.applicant, 'POST', '/api/v1/reconfirmations', applicationForm({ idNumber }), date, 201);
  for (const [item, filename, content] of [
    ['original_title_proof', '原职称证书.pdf', pdfDataUrl('certificate')],
    ['employment_proof', '劳动合同.pdf', pdfDataUrl('contract')],
    ['photo', '照片.png', PNG_PHOTO],
  ] as const) {
    await api(staff.applicant, 'POST', `/api/v1/reconfirmations/${id}/materials`, { item, filename, content }, date);
  }
  await api(staff.applicant, 'POST', `/api/v1/reconfirmations/${id}/submit`, { integrityPledge: true }, date);
  return id;
}

beforeAll(async () => {
  server = await startServer({ ECERT_TEST_CLOCK: '1' });
  staff = await setUpWorkflow(server);
  waiting = await submitted('450103198501010026', '2026-09-01');
  onNotice = await submitted('450103198601010023', '2026-09-25');
  await api(staff.unitHr, 'POST', `/api/v1/reconfirmations/${onNotice}/receive`, {}, '2026-09-28');
  await api(staff.unitHr, 'POST', `/api/v1/reconfirmations/${onNotice}/start-notice`, { start: '2026-09-29' }, '2026-09-28');
}, 180_000);
afterAll(async () => server?.stop());

async function desk(who: Person, date: string, lang = 'zh') {
  const cookie = await signInCookie(server.baseUrl, who.token);
  const res = await fetch(`${server.baseUrl}/console`, { headers: { Cookie: `${cookie}; ecert_lang=${lang}`, 'X-Ecert-Test-Now': on(date) } });
  expect(res.status).toBe(200);
  const html = await res.text();
  const section = (id: string) => new RegExp(`<section aria-labelledby="${id}"[^>]*>([\\s\\S]*?)</section>`).exec(html)?.[1] ?? '';
  return { html, now: section('desk-now'), long: section('desk-long'), notice: section('desk-notice') };
}
const count = (section: string) => Number(/<span class="badge">(\d+)<\/span>/.exec(section)?.[1]);

describe('/console — the desk', () => {
  it('shows the unit its cases waiting, with working days waited, and flags those over ten', async () => {
    // 2026-09-01 (Tue) to 2026-09-16 (Wed): 11 working days after the 1st.
    const d = await desk(staff.unitHr, '2026-09-16');
    expect(d.now).toContain(waiting);
    expect(d.now).toContain('11 个工作日');
    expect(count(d.long)).toBe(1);
    expect(d.long).toContain(waiting);
    // Ten working days is not more than ten: 2026-09-15 is the 10th.
    const earlier = await desk(staff.unitHr, '2026-09-15');
    expect(earlier.now).toContain('10 个工作日');
    expect(earlier.long).toBe('');
    // Across 中秋 and 国庆 (2026-09-25 to 27, 10-01 to 07) holidays do not count: 9-25 to 10-09 is 5.
    const autumn = await desk(staff.unitHr, '2026-10-09');
    expect(autumn.now).toContain(waiting);
  });

  it('lists the notices that end this week, on the route, by China date', async () => {
    // The notice ends on Saturday 10 October (a make-up working day): in the week of Monday 5 October…
    const thisWeek = await desk(staff.cityStaff, '2026-10-08');
    expect(count(thisWeek.notice)).toBe(1);
    expect(thisWeek.notice).toContain(onNotice);
    expect(thisWeek.notice).toContain('2026年10月10日');
    // …not in the week before, nor after it has ended.
    expect(count((await desk(staff.cityStaff, '2026-09-30')).notice)).toBe(0);
    expect(count((await desk(staff.cityStaff, '2026-10-11')).notice)).toBe(0);
    // In English, the same.
    expect((await desk(staff.cityStaff, '2026-10-08', 'en')).html).toContain('Notices ending this week');
  });

  it('shows nobody another organisation’s desk, and a person without case rights only their links', async () => {
    // The department reviewer has no step on a case still at the unit.
    const dept = await desk(staff.departmentReviewer, '2026-09-16');
    expect(count(dept.now)).toBe(0);
    expect(dept.long).toBe('');
    const admin = await desk(staff.admin, '2026-09-16');
    expect(admin.now).toBe('');
    expect(admin.html).toContain('机构、人员与工作日历');
    const anonymous = await fetch(`${server.baseUrl}/console`, { redirect: 'manual' });
    expect([302, 303]).toContain(anonymous.status);
  });

  it('puts the steps open to this person at the top of the case page, each to its form (item 9)', async () => {
    const cookie = await signInCookie(server.baseUrl, staff.unitHr.token);
    const html = await (await fetch(`${server.baseUrl}/console/cases/${waiting}`, { headers: { Cookie: cookie, 'X-Ecert-Test-Now': on('2026-09-16') } })).text();
    const top = /<p class="actions">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';
    expect(top).toContain('去办理');
    const targets = [...top.matchAll(/href="#(step-[a-z-]+)"/g)].map((m) => m[1]!);
    expect(targets).toContain('step-receive');
    for (const target of targets) expect(html).toContain(`id="${target}"`);
    expect(html.indexOf('class="actions"')).toBeLessThan(html.indexOf('id="facts-heading"'));
    const deptCookie = await signInCookie(server.baseUrl, staff.departmentReviewer.token);
    const dept = await (await fetch(`${server.baseUrl}/console/cases/${waiting}`, { headers: { Cookie: deptCookie, 'X-Ecert-Test-Now': on('2026-09-16') } })).text();
    expect(dept).not.toContain('去办理');
  });

  it('answers many desks at once', async () => {
    const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => desk([staff.unitHr, staff.cityStaff, staff.auditor][i % 3]!, '2026-10-08')));
    for (const a of answers) expect(a.html).toContain('本周公示期满');
  });
});
