/**
 * Issue 17 items 1, 2 and 5 on the real server: a holder (a person whose ID number is on a certificate) sees
 * only certificates bearing their own ID number — never another holder's, and the issuing office's staff see
 * nothing through these routes —; share links carry a purpose and an expiry, at most 3 live per certificate
 * even when 20 are asked for at once, show the certificate's facts with the ID number masked and the link's
 * expiry apart from the certificate's status, and answer 410 in words once ended or expired; hostile input
 * is a 4xx problem in both languages, never a 500; unknown and ended links are rate limited.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueBody } from '../support/fixtures.js';
import { addHolder as addHolderOf, issueAs } from '../support/holders.js';
import { startServer, type RunningServer } from '../support/server.js';
import { signInCookie } from '../support/session.js';
import { addPerson, client, json, setUpWorkflow, type Person, type Staff } from '../support/workflow.js';

const ID_A = '450102198005120019';
const ID_B = '11010519491231002X';
const BURST = 8;

let server: RunningServer;
let staff: Staff;
let issuer: string;
let holderA: Person;
let holderB: Person;
let certA: string;
let certA2: string;
let certB: string;

const issue = (body: ReturnType<typeof issueBody>) => issueAs(server, issuer, body);

const addHolder = (name: string, idNumber: string) => addHolderOf(server, staff.admin, name, idNumber);

const as = (person: Person | null, headers: Record<string, string> = {}) => (method: string, path: string, body?: unknown) =>
  fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { ...(person ? { Authorization: `Bearer ${person.token}` } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function expectProblem(res: Response, status: number, code: string): Promise<Record<string, unknown>> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const body = (await res.json()) as { code: string; message: { zh: string; en: string } };
  expect(body.code).toBe(code);
  expect(body.message.zh).toMatch(/\p{Script=Han}/u);
  expect(body.message.en).toMatch(/[a-z]{3}/);
  return body as unknown as Record<string, unknown>;
}

const share = (person: Person, certificateNumber: string, purpose = '应聘南宁某公司电气工程师岗位', days = 30) => as(person)('POST', '/api/v1/holder/shares', { certificateNumber, purpose, days });
const secretOf = (url: string) => url.split('/s/')[1]!;

beforeAll(async () => {
  server = await startServer({ ECERT_TEST_CLOCK: '1', ECERT_LOOKUP_BURST: String(BURST), ECERT_LOOKUP_REFILL_SECONDS: '3600' });
  staff = await setUpWorkflow(server);
  issuer = await server.token('GXZGB', 'issuer');
  holderA = await addHolder('张三丰', ID_A);
  holderB = await addHolder('李秀英', ID_B);
  certA = await issue(issueBody({ name: '张三丰', idNumber: ID_A }));
  certA2 = await issue(issueBody({ name: '张三丰', idNumber: ID_A }));
  certB = await issue(issueBody({ name: '李秀英', idNumber: ID_B, gender: 'female' }));
}, 240_000);
afterAll(async () => server?.stop());

describe('item 1: a holder sees only certificates bearing their own ID number', () => {
  it('lists each holder’s own certificates with status, PDF and VC, and nobody else’s', async () => {
    const a = await json(await as(holderA)('GET', '/api/v1/holder/certificates'));
    expect(a.certificates.map((c: { number: string }) => c.number).sort()).toEqual([certA, certA2].sort());
    expect(a.certificates[0]).toMatchObject({ status: 'valid', holderName: '张三丰' });
    const b = await json(await as(holderB)('GET', '/api/v1/holder/certificates'));
    expect(b.certificates.map((c: { number: string }) => c.number)).toEqual([certB]);
    expect(JSON.stringify(b)).not.toContain(certA);
    // The PDF and VC links work (they carry the holder's own link proof).
    const pdf = await fetch(a.certificates[0].pdfUrl);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    const vc = await fetch(a.certificates[0].credentialUrl);
    expect(vc.status).toBe(200);
  });

  it('staff of the issuing office, an applicant without a certificate and a missing or wrong token get 403 / 401', async () => {
    for (const path of ['/api/v1/holder/certificates', '/api/v1/holder/shares']) {
      await expectProblem(await as({ token: issuer, id: '', name: '' })('GET', path), 403, 'forbidden');
      await expectProblem(await as(staff.admin)('GET', path), 403, 'forbidden');
      await expectProblem(await as(staff.applicant)('GET', path), 403, 'forbidden');
      await expectProblem(await as(null)('GET', path), 401, 'unauthorized');
      await expectProblem(await as({ token: 'ect_' + 'x'.repeat(43), id: '', name: '' })('GET', path), 401, 'unauthorized');
    }
    // The issuer cannot make a link for the holder's certificate either.
    await expectProblem(await share({ token: issuer, id: '', name: '' }, certA), 403, 'forbidden');
  });

  it('the console page lists the holder’s own certificates; another person’s session sees only theirs, anonymous goes to sign in', async () => {
    const cookieA = await signInCookie(server.baseUrl, holderA.token);
    const pageA = await (await fetch(`${server.baseUrl}/console/my`, { headers: { Cookie: cookieA } })).text();
    expect(pageA).toContain('我的证书');
    expect(pageA).toContain(certA.slice(0, 4));
    const cookieB = await signInCookie(server.baseUrl, holderB.token);
    const pageB = await (await fetch(`${server.baseUrl}/console/my`, { headers: { Cookie: cookieB } })).text();
    expect(pageB).not.toContain('张三丰');
    const cookieIssuer = await signInCookie(server.baseUrl, issuer);
    const pageIssuer = await fetch(`${server.baseUrl}/console/my`, { headers: { Cookie: cookieIssuer } });
    expect(pageIssuer.status).toBe(403);
    expect(await pageIssuer.text()).not.toContain('张三丰');
    const anonymous = await fetch(`${server.baseUrl}/console/my`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toContain('/login');
    // A holder signing in lands on their page.
    const home = await fetch(`${server.baseUrl}/console`, { headers: { Cookie: cookieA }, redirect: 'manual' });
    expect(home.headers.get('location')).toBe('/console/my');
  });
});

describe('item 1: who may record a holder’s ID number', () => {
  it('only the region office’s admin: a city or unit admin is refused in words and nothing is written', async () => {
    const cityAdmin = await addPerson(server, staff.admin, 'NNZGB', 'admin', '陈城');
    const unitAdmin = await addPerson(server, staff.admin, 'NNLQ01', 'admin', '林单');
    for (const [admin, orgCode] of [[cityAdmin, 'NNZGB'], [unitAdmin, 'NNLQ01']] as const) {
      const res = await client(server, admin)('POST', '/api/v1/people', { orgCode, role: 'holder', name: '冒名者', idNumber: ID_A });
      const body = await json(res);
      expect(res.status, JSON.stringify(body)).toBe(403);
      expect(body.message.zh).toContain('只有自治区职改办的管理员');
      expect(JSON.stringify(body)).not.toContain(ID_A);
    }
    const people = await json(await client(server, staff.admin)('GET', '/api/v1/people'));
    expect(JSON.stringify(people)).not.toContain('冒名者');
  });
});

describe('item 1: an admin adds a holder on the console page', () => {
  it('the 人员 form takes the ID number; the new holder sees the certificates bearing it; a wrong number is refused in words', async () => {
    const cookie = await signInCookie(server.baseUrl, staff.admin.token);
    const adminPage = await (await fetch(`${server.baseUrl}/console/admin`, { headers: { Cookie: cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(adminPage)![1]!;
    const post = (fields: Record<string, string>) =>
      fetch(`${server.baseUrl}/console/admin/people`, { method: 'POST', headers: { Cookie: cookie, Origin: server.baseUrl, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, orgCode: 'GXZGB', role: 'holder', ...fields }).toString() });
    const page = await (await post({ name: '张三丰', idNumber: ID_A })).text();
    const token = /<code data-token[^>]*>([^<]+)<\/code>/.exec(page)?.[1];
    expect(token).toBeDefined();
    const listed = await json(await as({ token: token!, id: '', name: '' })('GET', '/api/v1/holder/certificates'));
    expect(listed.certificates.map((c: { number: string }) => c.number).sort()).toEqual([certA, certA2].sort());
    const refused = await post({ name: '错号', idNumber: '450102198005120018' });
    expect(refused.status).toBeLessThan(500);
    const words = await refused.text();
    expect(words).toContain('role="alert"');
    expect(words).not.toContain('data-token');
  });
});

describe('item 2: share links', () => {
  it('20 concurrent creates for one certificate: exactly 3 succeed, the rest are 409 problems', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => share(holderA, certA2, `用途 ${i}`, 7)));
    const created = answers.filter((r) => r.status === 201);
    expect(created).toHaveLength(3);
    for (const r of answers.filter((r) => r.status !== 201)) await expectProblem(r, 409, 'conflict');
    const db = new Database(server.dbPath, { readonly: true });
    try {
      expect((db.prepare('SELECT COUNT(*) AS n FROM share_links WHERE certificate_number = ?').get(certA2) as { n: number }).n).toBe(3);
      // Only the secret's hash is kept: no stored value is the secret in the URL.
      const url = ((await created[0]!.json()) as { url: string }).url;
      const rows = db.prepare('SELECT * FROM share_links').all() as Record<string, unknown>[];
      expect(JSON.stringify(rows)).not.toContain(secretOf(url));
    } finally {
      db.close();
    }
    // Ending one frees a place.
    const { items } = await json(await as(holderA)('GET', '/api/v1/holder/shares'));
    const one = items.find((s: { certificateNumber: string }) => s.certificateNumber === certA2);
    expect((await as(holderA)('DELETE', `/api/v1/holder/shares/${one.id}`)).status).toBe(200);
    expect((await share(holderA, certA2, '再分享一次', 7)).status).toBe(201);
  });

  it('opening a live link shows the facts, the purpose and the link’s expiry (China time) apart from the certificate’s status; ID number masked', async () => {
    const now = new Date('2026-12-01T16:30:00Z'); // 2026-12-02 00:30 in China
    const made = await as(holderA, { 'X-Ecert-Test-Now': now.toISOString() })('POST', '/api/v1/holder/shares', { certificateNumber: certA, purpose: '应聘<b>电气</b>工程师', days: 7 });
    expect(made.status).toBe(201);
    const body = await json(made);
    expect(body.expiresAt).toBe('2026-12-08T16:30:00.000Z'); // the server's clock + 7 days
    expect(secretOf(body.url)).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits
    const opened = await fetch(body.url, { headers: { Accept: 'application/json', 'X-Ecert-Test-Now': '2026-12-05T00:00:00Z' } });
    expect(opened.status).toBe(200);
    const v = await json(opened);
    expect(v.status).toBe('valid');
    expect(v.share).toMatchObject({ purpose: '应聘<b>电气</b>工程师', expiresAt: '2026-12-09T00:30:00+08:00', state: 'active' });
    expect(v.certificate.holder.idNumberMasked).toBe('4501**********0019');
    expect(JSON.stringify(v)).not.toContain(ID_A);
    expect(v.photoUrl).toBeUndefined();
    const html = await (await fetch(body.url, { headers: { Accept: 'text/html', 'X-Ecert-Test-Now': '2026-12-05T00:00:00Z' } })).text();
    expect(html).toContain('链接有效期至');
    expect(html).toContain('2026年12月9日');
    expect(html).toContain('应聘&lt;b&gt;电气&lt;/b&gt;工程师');
    expect(html).toContain('4501**********0019');
    expect(html).not.toContain(ID_A);
    expect(html).not.toMatch(/[?&]s=/); // the QR proof is never handed to the verifier

    // Expired by the server's clock: 410 in words, no facts, and not the certificate's status.
    const late = { 'X-Ecert-Test-Now': '2026-12-09T00:00:00Z' };
    const gone = await expectProblem(await fetch(body.url, { headers: { Accept: 'application/json', ...late } }), 410, 'gone');
    expect(gone).toMatchObject({ state: 'expired' });
    expect(JSON.stringify(gone)).not.toContain('张三丰');
    const goneHtml = await fetch(body.url, { headers: { Accept: 'text/html', ...late } });
    expect(goneHtml.status).toBe(410);
    const goneText = await goneHtml.text();
    expect(goneText).toContain('此分享链接已过期');
    expect(goneText).toContain('不是证书');
    expect(goneText).not.toContain('张三丰');
    expect(goneText).not.toContain('高级工程师');
  });

  it('DELETE ends a link at once; someone else’s share id is 404; ending all ends every live link', async () => {
    const made = await json(await share(holderA, certA, '职称评审材料', 10));
    await expectProblem(await as(holderB)('DELETE', `/api/v1/holder/shares/${made.id}`), 404, 'not_found');
    expect((await fetch(made.url, { headers: { Accept: 'application/json' } })).status).toBe(200); // still live
    const ended = await as(holderA)('DELETE', `/api/v1/holder/shares/${made.id}`);
    expect(ended.status).toBe(200);
    expect(await json(ended)).toMatchObject({ id: made.id, state: 'ended' });
    const gone = await expectProblem(await fetch(made.url, { headers: { Accept: 'application/json' } }), 410, 'gone');
    expect(gone).toMatchObject({ state: 'ended' });
    const page = await fetch(made.url, { headers: { Accept: 'text/html' } });
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('已被持证人终止');

    const live = await Promise.all([share(holderA, certA, '甲', 3), share(holderB, certB, '乙', 3)]);
    const urls = await Promise.all(live.map(json));
    const all = await json(await as(holderA)('DELETE', '/api/v1/holder/shares'));
    expect(all.ended).toBeGreaterThanOrEqual(1);
    expect((await fetch(urls[0].url, { headers: { Accept: 'application/json' } })).status).toBe(410);
    expect((await fetch(urls[1].url, { headers: { Accept: 'application/json' } })).status).toBe(200); // B's own link untouched
    const { items } = await json(await as(holderA)('GET', '/api/v1/holder/shares'));
    expect(items.every((s: { state: string }) => s.state !== 'active')).toBe(true);
    const itemsB = (await json(await as(holderB)('GET', '/api/v1/holder/shares'))).items;
    expect(itemsB.map((s: { certificateNumber: string }) => s.certificateNumber)).toEqual([certB]);
  });

  it('hostile input is a 4xx problem in both languages, never a 500', async () => {
    const cases: [unknown, number, string][] = [
      [{ certificateNumber: certA, purpose: '应聘', days: 0 }, 422, 'validation_failed'],
      [{ certificateNumber: certA, purpose: '应聘', days: 91 }, 422, 'validation_failed'],
      [{ certificateNumber: certA, purpose: '应聘', days: 1.5 }, 422, 'validation_failed'],
      [{ certificateNumber: certA, purpose: '应聘', days: '7' }, 422, 'validation_failed'],
      [{ certificateNumber: certA, purpose: '应聘', days: -1e308 }, 422, 'validation_failed'],
      [{ certificateNumber: certA, purpose: '', days: 7 }, 422, 'validation_failed'],
      [{ certificateNumber: certA, purpose: '   ', days: 7 }, 422, 'validation_failed'],
      [{ certificateNumber: certA, purpose: '字'.repeat(101), days: 7 }, 422, 'validation_failed'],
      [{ certificateNumber: certA, purpose: 'x'.repeat(100_000), days: 7 }, 422, 'validation_failed'],
      [{ certificateNumber: certA, purpose: '应聘\u202e岗位', days: 7 }, 422, 'validation_failed'],
      [{ certificateNumber: certA, purpose: '应聘', days: 7, extra: 1 }, 422, 'validation_failed'],
      [{ certificateNumber: certB, purpose: '冒用他人证书', days: 7 }, 404, 'not_found'],
      [{ certificateNumber: '26K7Q2M9XH4', purpose: '应聘', days: 7 }, 404, 'not_found'],
      [{ certificateNumber: '../../etc', purpose: '应聘', days: 7 }, 404, 'not_found'],
      [{ purpose: '应聘', days: 7 }, 422, 'validation_failed'],
      [[], 422, 'validation_failed'],
    ];
    const answers = await Promise.all(cases.map(([body]) => as(holderA)('POST', '/api/v1/holder/shares', body)));
    for (const [i, res] of answers.entries()) await expectProblem(res, cases[i]![1], cases[i]![2]);
    await expectProblem(await as(holderA)('DELETE', `/api/v1/holder/shares/${'x'.repeat(61)}`), 422, 'validation_failed');
    await expectProblem(await as(holderA)('DELETE', '/api/v1/holder/shares/%00%27'), 404, 'not_found');
    const raw = await fetch(`${server.baseUrl}/api/v1/holder/shares`, { method: 'POST', headers: { Authorization: `Bearer ${holderA.token}`, 'Content-Type': 'application/json' }, body: '{"days":' });
    expect(raw.status).toBe(400);
    // A holder added without an ID number, or with a wrong one, is refused in words.
    await expectProblem(await client(server, staff.admin)('POST', '/api/v1/people', { orgCode: 'GXZGB', role: 'holder', name: '无号' }), 422, 'validation_failed');
    await expectProblem(await client(server, staff.admin)('POST', '/api/v1/people', { orgCode: 'GXZGB', role: 'holder', name: '错号', idNumber: '450102198005120018' }), 422, 'invalid_id_number');
  });

  it('unknown, ended and expired links spend from the unproven allowance; a live link never does', async () => {
    const live = await json(await share(holderB, certB, '限流测试', 5));
    const unknown = `${server.baseUrl}/s/${'A'.repeat(43)}`;
    const answers: number[] = [];
    for (let i = 0; i < BURST + 2; i++) answers.push((await fetch(unknown, { headers: { Accept: 'application/json' } })).status);
    expect(answers).toContain(404);
    expect(answers.at(-1)).toBe(429);
    const limitedPage = await fetch(`${server.baseUrl}/s/garbage`, { headers: { Accept: 'text/html' } });
    expect(limitedPage.status).toBe(429);
    expect(limitedPage.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await limitedPage.text()).toContain('请求过于频繁');
    for (let i = 0; i < 5; i++) expect((await fetch(live.url, { headers: { Accept: 'application/json' } })).status).toBe(200);
  });
});
