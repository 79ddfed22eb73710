/**
 * Issue 18 item 7 on the real server (test clock): an office's work in figures over its own subtree — certificates
 * issued per month by series and level, working days from submission to issue (median, p90), objections, 核实
 * records by method and result, revocations by reason — each a server-drawn SVG chart with its numbers in a
 * table and a CSV; only for those who answer for the work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.js';
import { issueBody } from '../support/fixtures.js';
import { caseThroughAuthority, on } from '../support/journey.js';
import { signInCookie } from '../support/session.js';
import { client, json, setUpWorkflow, type Person, type Staff } from '../support/workflow.js';

let server: RunningServer;
let staff: Staff;
let issuer: Person;

beforeAll(async () => {
  server = await startServer({ ECERT_TEST_CLOCK: '1' });
  staff = await setUpWorkflow(server);
  // Two cases submitted 2026-09-25 and issued 2026-10-20: 13 working days after submission (中秋, 国庆 and the
  // weekends left out, the make-up Saturday 10-10 counted).
  await caseThroughAuthority(server, staff, 31, 'issue');
  await caseThroughAuthority(server, staff, 32, 'issue');
  // One certificate issued directly in November by the region office, then revoked as issued in error.
  issuer = { token: await server.token('GXZGB', 'issuer'), id: '', name: 'issuer' };
  const res = await client(server, issuer)('POST', '/api/v1/certificates', issueBody({ idNumber: '450102198005120019' }), { now: on('2026-11-03') });
  const issued = await json(res);
  expect(res.status, JSON.stringify(issued)).toBe(201);
  const revoked = await client(server, issuer)('POST', `/api/v1/certificates/${issued.number}/revocation`, { reason: 'issued_in_error', note: '误发' }, { now: on('2026-11-04') });
  expect(revoked.status).toBe(200);
}, 300_000);
afterAll(async () => server?.stop());

async function read(who: Person, path: string) {
  const cookie = await signInCookie(server.baseUrl, who.token);
  const res = await fetch(`${server.baseUrl}${path}`, { headers: { Cookie: cookie, 'X-Ecert-Test-Now': on('2026-12-01') }, redirect: 'manual' });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}
const section = (html: string, figure: string) => new RegExp(`<section aria-labelledby="fig-${figure}"[^>]*>([\\s\\S]*?)</section>`).exec(html)?.[1] ?? '';
const cells = (html: string) => [...html.matchAll(/<td data-label="[^"]*">([^<]*)<\/td>/g)].map((m) => m[1]);

describe('/console/statistics', () => {
  it('gives the region office every figure of its subtree, each drawn and in numbers', async () => {
    const page = await read(staff.approver, '/console/statistics?from=2026-01-01&to=2026-12-31');
    expect(page.status).toBe(200);
    const issued = section(page.text, 'issued');
    expect(issued).toContain('<svg class="chart"');
    expect(issued).toMatch(/<title id="chart-issued-title">/);
    expect(cells(issued)).toEqual(['2026-10', '工程技术', '副高级', '2', '2026-11', '工程技术', '副高级', '1']);
    expect(cells(section(page.text, 'time'))).toEqual(['2', '13', '13']);
    expect(cells(section(page.text, 'objections'))).toEqual(['0', '0']);
    expect(cells(section(page.text, 'records'))).toEqual(['电话', '真实有效', '2']);
    expect(cells(section(page.text, 'revocations'))).toEqual(['错误颁发', '1']);
    // No inline style or script: the charts live under the CSP.
    expect(page.text).not.toMatch(/<svg[^>]*style=|<script>/);
  });

  it('limits a city office to its own subtree and the range to the dates asked', async () => {
    const city = await read(staff.cityStaff, '/console/statistics?from=2026-01-01&to=2026-12-31');
    expect(city.status).toBe(200);
    expect(cells(section(city.text, 'issued'))).toEqual([]); // the region office issued them
    expect(cells(section(city.text, 'time'))).toEqual(['2', '13', '13']); // its units' cases
    const october = await read(staff.approver, '/console/statistics?from=2026-10-01&to=2026-10-31');
    expect(cells(section(october.text, 'revocations'))).toEqual([]);
    expect(cells(section(october.text, 'issued'))).toEqual(['2026-10', '工程技术', '副高级', '2']);
  });

  it('downloads each figure as CSV, in the page language', async () => {
    const csv = await read(staff.approver, '/console/statistics/issued.csv?from=2026-01-01&to=2026-12-31');
    expect(csv.status).toBe(200);
    expect(csv.type).toContain('text/csv');
    expect(csv.text.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean)).toEqual(['月份,系列,级别,发证数', '2026-10,工程技术,副高级,2', '2026-11,工程技术,副高级,1']);
    for (const figure of ['time', 'objections', 'records', 'revocations']) expect((await read(staff.approver, `/console/statistics/${figure}.csv`)).status).toBe(200);
    expect((await read(staff.approver, '/console/statistics/passwords.csv')).status).toBe(404);
  });

  it('refuses those who do not answer for the work, and says what it could not read', async () => {
    expect((await read(staff.unitHr, '/console/statistics')).status).toBe(403);
    expect((await read(staff.applicant, '/console/statistics/issued.csv')).status).toBe(403);
    const anonymous = await fetch(`${server.baseUrl}/console/statistics`, { redirect: 'manual' });
    expect([302, 303]).toContain(anonymous.status);
    const hostile = await read(staff.approver, `/console/statistics?from=${encodeURIComponent("2026-13-01' OR 1=1")}&to=2099-01-01`);
    expect(hostile.status).toBe(200);
    expect(hostile.text).toContain('不是有效日期');
    expect(hostile.text).toContain('日期范围应在');
    const pages = await Promise.all(Array.from({ length: 20 }, () => read(staff.approver, '/console/statistics')));
    for (const p of pages) expect(p.status).toBe(200);
  });
});
