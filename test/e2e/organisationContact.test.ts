/**
 * Issue 12 A4 on the real server: the employer's page names the issuing office and how to reach it. The
 * operator's CLI sets the contact, an admin changes it for their own office or one below (never another
 * subtree's), hostile text is refused in words or shown escaped, dozens of writers at once leave one whole
 * contact matching the last audit row, and the answer reads the office's contact as it is now — on valid,
 * revoked and invalid answers, never on a wrong proof or a lookup that finds nothing.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueBody } from '../support/fixtures.js';
import { startServer, type RunningServer } from '../support/server.js';
import { signInCookie } from '../support/session.js';
import { addPerson, client, json, setUpWorkflow, type Person, type Staff } from '../support/workflow.js';

interface Issued {
  number: string;
  verifyUrl: string;
}
interface Answer {
  status: string;
  certificate?: { authority: { code: string; name: string; contact?: { phone?: string; address?: string } } };
}

const PHONE = '0771-5856123转801';
const ADDRESS = '南宁市青秀区民族大道 1 号 <script>alert("x")</script>';

let server: RunningServer;
let staff: Staff;
let issuer: string;
let cityAdmin: Person;
let valid: Issued;

async function issue(body = issueBody()): Promise<Issued> {
  const res = await fetch(`${server.baseUrl}/api/v1/certificates`, { method: 'POST', headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  return (await res.json()) as Issued;
}
const answer = async (url: string): Promise<Answer> => (await fetch(url, { headers: { Accept: 'application/json' } })).json() as Promise<Answer>;
const page = async (url: string): Promise<string> => (await fetch(url, { headers: { Accept: 'text/html' } })).text();
const contactRow = (code: string) => {
  const db = new Database(server.dbPath, { readonly: true });
  try {
    return db.prepare('SELECT contact_phone AS phone, contact_address AS address FROM organisations WHERE code = ?').get(code) as { phone: string | null; address: string | null };
  } finally {
    db.close();
  }
};

async function expectProblem(res: Response, status: number, code: string, field?: string): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const body = (await res.json()) as { code: string; field?: string; message: { zh: string; en: string } };
  expect(body).toMatchObject({ code, ...(field ? { field } : {}) });
  expect(body.message.zh).toMatch(/\p{Script=Han}/u);
  expect(body.message.en).toMatch(/[a-z]{3}/);
}

beforeAll(async () => {
  server = await startServer();
  staff = await setUpWorkflow(server);
  issuer = await server.token('GXZGB', 'issuer');
  cityAdmin = await addPerson(server, staff.admin, 'NNZGB', 'admin', '南宁管理员');
  valid = await issue();
}, 240_000);
afterAll(async () => server?.stop());

describe('the operator CLI', () => {
  it('sets the contact with org add, refuses a bad phone in zh and en and keeps the contact it had', async () => {
    const name = '广西壮族自治区职称改革工作领导小组办公室';
    const set = await server.cli(['org', 'add', '--code', 'GXZGB', '--name', name, '--kind', 'region_title_office', '--contact-phone', PHONE, '--contact-address', ADDRESS]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain(PHONE);
    expect(contactRow('GXZGB')).toEqual({ phone: PHONE, address: ADDRESS });

    const bad = await server.cli(['org', 'add', '--code', 'GXZGB', '--name', name, '--kind', 'region_title_office', '--contact-phone', '0771\u202E123']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('联系电话');
    expect(bad.stderr).toContain('phone');
    // A part left out is kept.
    const rename = await server.cli(['org', 'add', '--code', 'GXZGB', '--name', name, '--kind', 'region_title_office']);
    expect(rename.code, rename.stderr).toBe(0);
    expect(contactRow('GXZGB')).toEqual({ phone: PHONE, address: ADDRESS });
  }, 240_000);
});

describe("the employer's answer", () => {
  it('a valid certificate: JSON carries the current contact, the page shows it escaped', async () => {
    const body = await answer(valid.verifyUrl);
    expect(body.status).toBe('valid');
    expect(body.certificate?.authority).toMatchObject({ code: 'GXZGB', contact: { phone: PHONE, address: ADDRESS } });
    const html = await page(valid.verifyUrl);
    expect(html).toContain(PHONE);
    expect(html).toContain('href="tel:07715856123"');
    expect(html).toContain('南宁市青秀区民族大道 1 号 &lt;script&gt;');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('对证书或核验结果有疑问的，请直接联系该机构');
  });

  it('revoked and invalid (a row edited behind the service) answers show it too', async () => {
    const revoked = await issue(issueBody({ name: '李四', idNumber: '450103198501010026', gender: 'female' }));
    const res = await fetch(`${server.baseUrl}/api/v1/certificates/${revoked.number}/revocation`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ reason: 'issued_in_error' }),
    });
    expect(res.status).toBe(200);
    const tampered = await issue();
    const db = new Database(server.dbPath);
    try {
      db.pragma('busy_timeout = 5000');
      db.prepare("UPDATE certificates SET holder_name = '王五' WHERE number = ?").run(tampered.number);
    } finally {
      db.close();
    }
    for (const [issued, status] of [[revoked, 'revoked'], [tampered, 'invalid']] as const) {
      const body = await answer(issued.verifyUrl);
      expect(body.status).toBe(status);
      expect(body.certificate?.authority.contact).toEqual({ phone: PHONE, address: ADDRESS });
      expect(await page(issued.verifyUrl)).toContain(PHONE);
    }
  });

  it('a wrong proof and a lookup that finds nothing show no contact at all', async () => {
    const wrong = valid.verifyUrl.replace(/s=[^&]+/, 's=AAAAAAAAAAAAAAAAAAAAAA');
    const body = await answer(wrong);
    expect(body.status).toBe('invalid');
    expect(JSON.stringify(body)).not.toMatch(/0771|民族大道|contact/);
    expect(await page(wrong)).not.toMatch(/0771|民族大道|联系电话/);
    const lookup = await fetch(`${server.baseUrl}/api/v1/lookup`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ number: valid.number, name: '王五' }) });
    expect(JSON.stringify(await lookup.json())).not.toMatch(/0771|民族大道|contact/);
  });
});

describe('the admin API (PUT /api/v1/organisations/{code}/contact)', () => {
  it("an admin sets their own office's contact; the answer reads it at once; the audit trail has it", async () => {
    const res = await client(server, staff.admin)('PUT', '/api/v1/organisations/GXZGB/contact', { phone: '+86 771 5856000', address: '南宁市星湖路' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ code: 'GXZGB', contact: { phone: '+86 771 5856000', address: '南宁市星湖路' } });
    expect((await answer(valid.verifyUrl)).certificate?.authority.contact).toEqual({ phone: '+86 771 5856000', address: '南宁市星湖路' });
    const audit = await json(await client(server, staff.auditor)('GET', '/api/v1/audit?subject=organisation:GXZGB&limit=500'));
    expect(audit.items.at(-1)).toMatchObject({ action: 'organisation.contact', detail: { contact: { phone: '+86 771 5856000', address: '南宁市星湖路' } } });
  });

  it('an admin of another subtree is refused (403) and changes nothing; an admin of an office above may; a wrong token is 401', async () => {
    const before = contactRow('GXZGB');
    await expectProblem(await client(server, cityAdmin)('PUT', '/api/v1/organisations/GXZGB/contact', { phone: '110' }), 403, 'forbidden');
    await expectProblem(await client(server, cityAdmin)('PUT', '/api/v1/organisations/GXJTT/contact', { phone: '110' }), 403, 'forbidden');
    await expectProblem(
      await client(server, cityAdmin)('POST', '/api/v1/organisations', { code: 'GXJT01', name: '广西交通设计院', kind: 'unit', parentCode: 'NNJTJ', contactPhone: '110' }),
      403,
      'forbidden',
    );
    await expectProblem(await client(server, { token: 'ect_not-a-real-token-000000000000000000000', id: '', name: '' })('PUT', '/api/v1/organisations/GXZGB/contact', { phone: '110' }), 401, 'unauthorized');
    await expectProblem(await client(server, null)('PUT', '/api/v1/organisations/GXZGB/contact', { phone: '110' }), 401, 'unauthorized');
    await expectProblem(await client(server, staff.handler)('PUT', '/api/v1/organisations/NNJTJ/contact', { phone: '110' }), 403, 'forbidden');
    expect(contactRow('GXZGB')).toEqual(before);
    expect(contactRow('GXJTT')).toEqual({ phone: null, address: null });

    expect((await client(server, cityAdmin)('PUT', '/api/v1/organisations/NNZGB/contact', { phone: '0771-2800000' })).status).toBe(200);
    expect((await client(server, cityAdmin)('PUT', '/api/v1/organisations/NNJTJ/contact', { address: '南宁市竹溪大道' })).status).toBe(200);
    expect(contactRow('NNJTJ')).toEqual({ phone: null, address: '南宁市竹溪大道' });
    // Through the create/update operation: with contact fields it replaces the contact, without it keeps it.
    const saved = await client(server, cityAdmin)('POST', '/api/v1/organisations', { code: 'NNLQ01', name: '南宁路桥工程有限公司', kind: 'unit', parentCode: 'NNJTJ', contactPhone: '0771-3100000', contactAddress: null });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ code: 'NNLQ01', contact: { phone: '0771-3100000' } });
    const renamed = await client(server, cityAdmin)('POST', '/api/v1/organisations', { code: 'NNLQ01', name: '南宁路桥工程有限公司', kind: 'unit', parentCode: 'NNJTJ' });
    expect(await renamed.json()).toMatchObject({ contact: { phone: '0771-3100000' } });
    expect(contactRow('NNLQ01')).toEqual({ phone: '0771-3100000', address: null });
  });

  it('hostile contact text is a 422 problem+json in zh and en, never a 500, and nothing is written', async () => {
    const before = contactRow('NNZGB');
    const hostile: [unknown, string | undefined][] = [
      [{ phone: '1'.repeat(10_240) }, undefined],
      [{ phone: '<script>alert(1)</script>' }, 'phone'],
      [{ phone: '0771\u202E4321' }, 'phone'],
      [{ phone: '0771\n1234' }, 'phone'],
      [{ phone: '1'.repeat(41) }, 'phone'],
      [{ address: '路'.repeat(121) }, 'address'],
      [{ address: '民族大道\u0000' }, 'address'],
      [{ address: '民族大道\u202Etxt.exe' }, 'address'],
      [{ phone: 12345 }, undefined],
      [{ phone: '0771', extra: 1 }, undefined],
    ];
    for (const [body, field] of hostile) {
      const res = await client(server, cityAdmin)('PUT', '/api/v1/organisations/NNZGB/contact', body);
      await expectProblem(res, 422, 'validation_failed', field);
    }
    await expectProblem(
      await client(server, cityAdmin)('POST', '/api/v1/organisations', { code: 'NNLQ01', name: '南宁路桥工程有限公司', kind: 'unit', parentCode: 'NNJTJ', contactPhone: '电话' }),
      422,
      'validation_failed',
      'contactPhone',
    );
    expect(contactRow('NNZGB')).toEqual(before);
  });

  it('dozens of concurrent updates leave one whole contact, the one of the last audit row', async () => {
    const writers = Array.from({ length: 36 }, (_, i) => ({ phone: `0771-58${String(i).padStart(5, '0')}`, address: `南宁市民族大道 ${i} 号` }));
    const answers = await Promise.all(writers.map((contact, i) => client(server, i % 2 ? cityAdmin : staff.admin)('PUT', '/api/v1/organisations/NNZGB/contact', contact)));
    expect(answers.map((r) => r.status)).toEqual(writers.map(() => 200));
    const now = contactRow('NNZGB');
    const i = writers.findIndex((w) => w.phone === now.phone);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(now.address).toBe(writers[i]!.address);
    const audit = await json(await client(server, staff.auditor)('GET', '/api/v1/audit?subject=organisation:NNZGB&limit=500'));
    const rows = (audit.items as { action: string; detail: { contact: unknown } }[]).filter((e) => e.action === 'organisation.contact');
    expect(rows.length).toBeGreaterThanOrEqual(writers.length);
    expect(rows.at(-1)!.detail.contact).toEqual(writers[i]);
  });
});

describe('the admin console (/console/admin)', () => {
  const signIn = (person: Person) => signInCookie(server.baseUrl, person.token);

  it('sets a contact below the office, shows it escaped in the table, and refuses another subtree in words', async () => {
    const cookie = await signIn(cityAdmin);
    const consolePage = await fetch(`${server.baseUrl}/console/admin`, { headers: { Cookie: cookie } });
    const text = await consolePage.text();
    expect(text).toContain('action="/console/admin/organisations/contact"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(text)![1]!;
    const post = (fields: Record<string, string>) =>
      fetch(`${server.baseUrl}/console/admin/organisations/contact`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.baseUrl, Cookie: cookie },
        body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
      });
    const saved = await post({ code: 'NNJTJ', phone: '0771-2222333', address: '竹溪大道 <img src=x onerror=alert(1)>' });
    expect(saved.status).toBe(200);
    const page = await saved.text();
    expect(page).toContain('0771-2222333 · 竹溪大道 &lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<img src=x');
    expect(contactRow('NNJTJ')).toEqual({ phone: '0771-2222333', address: '竹溪大道 <img src=x onerror=alert(1)>' });

    const refused = await post({ code: 'GXZGB', phone: '110' });
    expect(refused.status).toBeLessThan(500);
    expect(await refused.text()).toContain('不在您的管理范围内');
    const hostile = await post({ code: 'NNJTJ', phone: '0771\u202E1' });
    expect(await hostile.text()).toContain('联系电话含有控制字符');
    expect(contactRow('NNJTJ').phone).toBe('0771-2222333');
  });
});

