/**
 * Issue 18 item 9: linking a 核实 record to a case is a pick, not a typed id. On the real server, a handler on
 * the case's route follows the case page's link to the record form: the case is linked and its applicant and
 * title filled in, and the form offers the open cases the handler may read as they type. A handler off the
 * route gets neither the facts nor the case in the list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.js';
import { signInCookie } from '../support/session.js';
import { addPerson, applicationForm, client, json, setUpWorkflow, type Person, type Staff } from '../support/workflow.js';

let server: RunningServer;
let staff: Staff;
let offRoute: Person;
let caseId: string;

beforeAll(async () => {
  server = await startServer();
  staff = await setUpWorkflow(server);
  offRoute = await addPerson(server, staff.admin, 'GXJTT', 'handler', '钱九');
  const res = await client(server, staff.applicant)('POST', '/api/v1/reconfirmations', applicationForm());
  const body = await json(res);
  expect(res.status, JSON.stringify(body)).toBe(201);
  caseId = body.id;
}, 120_000);
afterAll(async () => server?.stop());

const page = async (who: Person, path: string) => {
  const cookie = await signInCookie(server.baseUrl, who.token);
  const res = await fetch(`${server.baseUrl}${path}`, { headers: { Cookie: cookie } });
  return { status: res.status, html: await res.text() };
};
const valueOf = (html: string, name: string) => new RegExp(`name="${name.replace('.', '\\.')}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? new RegExp(`value="([^"]*)"[^>]*name="${name.replace('.', '\\.')}"`).exec(html)?.[1];

describe('the record form from a case', () => {
  it('links the case and fills in its applicant and title for a handler on its route', async () => {
    const casePage = await page(staff.handler, `/console/cases/${caseId}`);
    expect(casePage.status).toBe(200);
    expect(casePage.html).toContain(`/console/records/new?case=${caseId}`);
    const form = await page(staff.handler, `/console/records/new?case=${caseId}`);
    expect(form.status).toBe(200);
    expect(valueOf(form.html, 'applicationId')).toBe(caseId);
    expect(valueOf(form.html, 'subject.holderName')).toBe('李四');
    expect(valueOf(form.html, 'subject.idNumber')).toBe('450103198501010026');
    expect(valueOf(form.html, 'subject.titleName')).toBe('高级工程师');
    expect(valueOf(form.html, 'subject.acquiredOn')).toBe('2015-12-30');
    expect(form.html).toContain('list="open-cases"');
    expect(form.html).toMatch(new RegExp(`<datalist id="open-cases"><option value="${caseId}">李四 · 高级工程师</option>`));
  });

  it('gives a handler off the route neither the facts nor the case', async () => {
    const form = await page(offRoute, `/console/records/new?case=${caseId}`);
    expect(form.status).toBe(200);
    expect(valueOf(form.html, 'subject.holderName') ?? '').toBe('');
    expect(form.html).not.toContain(caseId);
    // Hostile case ids change nothing and never fail.
    for (const bad of ["RC' OR 1=1", '../../etc/passwd', 'x'.repeat(5000), '<script>']) {
      const res = await page(staff.handler, `/console/records/new?case=${encodeURIComponent(bad)}`);
      expect(res.status).toBe(200);
      expect(valueOf(res.html, 'subject.holderName') ?? '').toBe('');
    }
  });
});
