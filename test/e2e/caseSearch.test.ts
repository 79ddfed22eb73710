/**
 * Issue 18 item 8, the working queue on the real server: cases searched by case number, whole ID number or part
 * of the applicant's name, filtered by status, unit (and those below it) and China dates opened, sorted by any
 * column; the page keeps its query in every link. A search narrows what a person may read and never widens it;
 * hostile input is refused in words (API) or left out in words (page), never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.js';
import { signInCookie } from '../support/session.js';
import { addPerson, applicationForm, client, json, setUpWorkflow, type Person, type Staff } from '../support/workflow.js';

let server: RunningServer;
let staff: Staff;
let otherApplicant: Person;
/** Case ids by applicant name. */
const cases = new Map<string, string>();

/** A resident ID number with its ISO 7064 MOD 11-2 check character. */
function idNumber(body17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body17].reduce((n, d, i) => n + Number(d) * weights[i]!, 0);
  return body17 + '10X98765432'[sum % 11]!;
}

const on = (date: string) => `${date}T10:00:00+08:00`;

beforeAll(async () => {
  server = await startServer({ ECERT_TEST_CLOCK: '1' });
  staff = await setUpWorkflow(server);
  otherApplicant = await addPerson(server, staff.admin, 'GXJT01', 'applicant', '钱八');
  const open = async (who: Person, name: string, id: string, date: string, titleName = '高级工程师') => {
    const res = await client(server, who)('POST', '/api/v1/reconfirmations', applicationForm({ name, idNumber: id, titleName }), { now: on(date) });
    const body = await json(res);
    expect(res.status, JSON.stringify(body)).toBe(201);
    cases.set(name, body.id);
  };
  await open(staff.applicant, '李四', idNumber('45010319850101002'), '2026-09-01');
  await open(staff.applicant, '李思远', idNumber('45010319860202004'), '2026-09-15', '工程师');
  await open(staff.applicant, '王五', idNumber('45010319870303006'), '2026-10-02');
  await open(otherApplicant, '钱八', idNumber('45010319880404008'), '2026-09-20');
}, 180_000);
afterAll(async () => server?.stop());

async function search(who: Person | null, query: Record<string, string>, expected = 200) {
  const res = await client(server, who)('GET', `/api/v1/reconfirmations?${new URLSearchParams(query).toString()}`);
  const body = await json(res);
  expect(res.status, JSON.stringify(body)).toBe(expected);
  expect(res.status).not.toBe(500);
  return body;
}
const names = (body: { items: { holderName: string }[] }) => body.items.map((a) => a.holderName);

describe('GET /api/v1/reconfirmations — search', () => {
  it('finds by part of a name, a whole ID number, a case number or its start', async () => {
    expect(names(await search(staff.auditor, { q: '李' })).sort()).toEqual(['李四', '李思远']);
    expect(names(await search(staff.auditor, { q: '思远' }))).toEqual(['李思远']);
    expect(names(await search(staff.auditor, { q: idNumber('45010319850101002') }))).toEqual(['李四']);
    // Part of an ID number matches nothing: an ID number is never found by part.
    expect((await search(staff.auditor, { q: '450103198501' })).total).toBe(0);
    const id = cases.get('钱八')!;
    expect(names(await search(staff.auditor, { q: id }))).toEqual(['钱八']);
    expect(names(await search(staff.auditor, { q: id.slice(0, 13).toLowerCase() }))).toEqual(['钱八']);
    expect((await search(staff.auditor, { q: 'RC2026' })).total).toBe(4);
  });

  it('takes % and _ literally, and SQL as a name', async () => {
    // No name holds % or _ (the form refuses them): unescaped, they would match every case.
    for (const q of ['%', '_', '%%', '李%', '_四']) expect((await search(staff.auditor, { q })).total, q).toBe(0);
    expect((await search(staff.auditor, { q: "' OR 1=1 --" })).total).toBe(0);
    expect(names(await search(staff.auditor, { q: '王五' }))).toEqual(['王五']);
  });

  it('filters by unit and what is below it, by status and by China dates opened', async () => {
    expect(names(await search(staff.auditor, { org: 'GXJTT' }))).toEqual(['钱八']);
    expect((await search(staff.auditor, { org: 'NNZGB' })).total).toBe(3);
    expect((await search(staff.auditor, { status: 'draft' })).total).toBe(4);
    expect((await search(staff.auditor, { status: 'issued' })).total).toBe(0);
    expect(names(await search(staff.auditor, { from: '2026-09-15', to: '2026-09-30', sort: 'opened', order: 'asc' }))).toEqual(['李思远', '钱八']);
    expect(names(await search(staff.auditor, { to: '2026-09-01' }))).toEqual(['李四']);
  });

  it('sorts by any column, both ways', async () => {
    const asc = names(await search(staff.auditor, { sort: 'opened', order: 'asc' }));
    expect(asc).toEqual(['李四', '李思远', '钱八', '王五']);
    expect(names(await search(staff.auditor, { sort: 'opened', order: 'desc' }))).toEqual([...asc].reverse());
    // 工程师 (U+5DE5 U+7A0B…) before 高级工程师 (U+9AD8…): code point order.
    expect(names(await search(staff.auditor, { sort: 'title', order: 'asc', q: '李' }))).toEqual(['李思远', '李四']);
    expect(names(await search(staff.auditor, { sort: 'applicant', order: 'asc' }))).toEqual(['李四', '李思远', '王五', '钱八']);
    for (const sort of ['updated', 'opened', 'case', 'applicant', 'title', 'status', 'with', 'notice']) {
      for (const order of ['asc', 'desc']) expect((await search(staff.auditor, { sort, order })).total).toBe(4);
    }
  });

  it('never widens what a person may read', async () => {
    // The department below the city office sees its own unit's cases only, whatever the search names.
    expect((await search(staff.departmentReviewer, { org: 'GXJTT' })).total).toBe(0);
    expect((await search(staff.departmentReviewer, { q: '钱八' })).total).toBe(0);
    expect((await search(staff.departmentReviewer, { org: 'NOSUCHORG' })).total).toBe(0);
    // An applicant searches their own cases only.
    expect(names(await search(otherApplicant, { q: '李' }))).toEqual([]);
    expect(names(await search(otherApplicant, {}))).toEqual(['钱八']);
  });

  it('refuses what it cannot read, in words, and a missing or wrong credential', async () => {
    for (const query of <Record<string, string>[]>[{ q: '张'.repeat(51) }, { sort: 'password' }, { order: 'sideways' }, { from: '2026-02-30' }, { to: 'yesterday' }, { org: "x' OR 1=1" }, { q: 'a\u0000b' }, { from: '2026-10-01', to: '2026-09-01' }]) {
      const body = await search(staff.auditor, query, 422);
      expect(body.code).toBe('validation_failed');
      expect(body.detail).toMatch(/[\u4e00-\u9fff]/);
    }
    await search(null, {}, 401);
    await search({ ...staff.auditor, token: 'ecert_wrong' }, {}, 401);
  });

  it('names the parameter that was wrong — each one, not always the start date', async () => {
    const hostile: [string, string[]][] = [
      ['q', ['张'.repeat(51), 'a\u0000b']],
      ['status', ['nonsense', 'DRAFT', "draft' OR 1=1", '']],
      ['org', ["x' OR 1=1", '../..', 'a'.repeat(65)]],
      ['from', ['2026-02-30', 'yesterday', '2026-1-1', '9'.repeat(300)]],
      ['to', ['2026-13-01', 'tomorrow', '<script>']],
      ['sort', ['password', 'updated;DROP TABLE', '']],
      ['order', ['sideways', 'ASC', '-1']],
      ['limit', ['0', '201', '-5', 'ten', '1.5', '9'.repeat(40)]],
      ['offset', ['-1', '1000001', 'x', 'NaN']],
      ['queue', ['maybe']],
    ];
    const tries = hostile.flatMap(([field, values]) => values.filter((v) => v !== '' || field === 'status' || field === 'sort').map((value) => ({ field, value })));
    // All at once: dozens of clients, each refused on its own parameter.
    const bodies = await Promise.all(tries.map(async ({ field, value }) => {
      const res = await client(server, staff.auditor)('GET', `/api/v1/reconfirmations?${new URLSearchParams({ [field]: value }).toString()}`);
      return { field, value, status: res.status, body: await json(res) };
    }));
    for (const { field, value, status, body } of bodies) {
      // An empty status or sort is no choice at all (the form's 全部): the list, not a refusal.
      if (value === '') { expect(status, `${field}=`).not.toBe(500); continue; }
      expect(status, `${field}=${value} ${JSON.stringify(body)}`).toBe(422);
      expect(body.code).toBe('validation_failed');
      expect(body.field, `${field}=${value}`).toBe(`query.${field}`);
      expect(body.message.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(body.message.en).toMatch(/[a-z]/);
      expect(body.errors.map((e: { field: string }) => e.field)).toEqual([`query.${field}`]);
    }
    // A range turned round names the end date; two bad parameters are both listed, the first named.
    const range = await search(staff.auditor, { from: '2026-10-01', to: '2026-09-01' }, 422);
    expect(range.field).toBe('query.to');
    expect(range.message.zh).toContain('截止日期');
    const two = await search(staff.auditor, { to: 'x', limit: '0' }, 422);
    expect(two.field).toBe('query.to');
    expect(two.errors.map((e: { field: string }) => e.field)).toEqual(['query.to', 'query.limit']);
    // Without a credential the parameters are not read at all.
    await search(null, { limit: '0' }, 401);
    await search({ ...staff.auditor, token: 'ecert_wrong' }, { sort: 'password' }, 401);
  });

  it('searches a subtree of more organisations than D1 binds parameters (100 per query)', async () => {
    // 120 more units under the transport department: the region office's route list then has ~130 codes.
    for (let i = 0; i < 120; i++) {
      const res = await client(server, staff.admin)('POST', '/api/v1/organisations', { code: `BULK${String(i).padStart(3, '0')}`, name: `批量单位${i}`, kind: 'unit', parentCode: 'GXJTT' });
      expect(res.status).toBe(200);
    }
    expect((await search(staff.auditor, {})).total).toBe(4);
    expect(names(await search(staff.auditor, { org: 'GXZGB', q: '李' })).sort()).toEqual(['李四', '李思远']);
    expect((await search(staff.auditor, { org: 'GXJTT' })).total).toBe(1);
  }, 120_000);

  it('answers dozens of searches at once, each its own', async () => {
    const queries = Array.from({ length: 40 }, (_, i): Record<string, string> => (i % 4 === 0 ? { q: '李' } : i % 4 === 1 ? { org: 'GXJTT' } : i % 4 === 2 ? { q: '%' } : { sort: 'applicant', order: 'asc' }));
    const answers = await Promise.all(queries.map((q) => search(staff.auditor, q)));
    answers.forEach((a, i) => expect(a.total).toBe([2, 1, 0, 4][i % 4]));
  });
});

describe('/console/cases — the working queue page', () => {
  it('searches, keeps the search in the sort links and the address, and says what it ignored', async () => {
    const cookie = await signInCookie(server.baseUrl, staff.auditor.token);
    const read = async (query: string) => {
      const res = await fetch(`${server.baseUrl}/console/cases?${query}`, { headers: { Cookie: cookie } });
      const html = await res.text();
      return { status: res.status, html };
    };
    const found = await read(new URLSearchParams({ q: '李', sort: 'applicant', order: 'asc' }).toString());
    expect(found.status).toBe(200);
    expect(found.html).toContain('检索结果');
    expect(found.html).toContain(cases.get('李四'));
    expect(found.html).not.toContain(cases.get('钱八'));
    expect(found.html).toContain('value="李"');
    // Each column header sorts and keeps the search; the sorted one turns round and says so.
    const links = [...found.html.matchAll(/<a href="([^"]+)" class="sort">/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
    expect(links).toHaveLength(8);
    for (const link of links) expect(new URL(link, server.baseUrl).searchParams.get('q')).toBe('李');
    expect(links).toContain(`/console/cases?${new URLSearchParams({ q: '李', sort: 'applicant', order: 'desc' }).toString()}`);
    expect(found.html).toMatch(/aria-sort="ascending"/);

    const hostile = await read('q=' + encodeURIComponent('<script>alert(1)</script>') + '&from=2026-02-30&sort=x&org=' + encodeURIComponent("x' OR 1=1"));
    expect(hostile.status).toBe(200);
    expect(hostile.html).not.toContain('<script>alert(1)</script>');
    expect(hostile.html).toContain('2026-02-30');
    expect(hostile.html).toContain('已忽略');
    const outside = await read('org=NOSUCHORG');
    expect(outside.html).toContain('不在您的经办范围内');
  });
});
