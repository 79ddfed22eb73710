/**
 * Issue 17 item 4 on the real server (Node and workerd): every verification of a holder's certificate is
 * noted for the holder — the QR link with its proof (JSON and page), a live share link with its purpose,
 * a typed lookup that matched (API and the /verify form), a 核实 record naming the holder — and the holder
 * reads them newest first at GET /api/v1/holder/verifications and on /console/my, with the verifier's
 * organisation only for a signed-in staff member or the record's handler, and never an IP address. A wrong
 * proof, an unknown number or a wrong name adds nothing; 40 concurrent QR verifications give 40 entries once
 * flushed; nobody else reads a holder's list.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueBody, phoneRecordBody } from '../support/fixtures.js';
import { openLookupForm } from '../support/lookupForm.js';
import { addHolder as addHolderOf, issueAs } from '../support/holders.js';
import { startServer, type RunningServer } from '../support/server.js';
import { signInCookie } from '../support/session.js';
import { client, json, setUpWorkflow, type Person, type Staff } from '../support/workflow.js';

const ID_A = '450102198005120019';
const ID_B = '11010519491231002X';

let server: RunningServer;
let staff: Staff;
let issuer: string;
let holderA: Person;
let holderB: Person;
let certA: string;
let verifyUrlA: string;

interface Seen {
  at: string;
  channel: 'qr' | 'share' | 'lookup' | 'record';
  channelName: { zh: string; en: string };
  purpose?: string;
  verifierOrganisation?: { code: string; name: string };
  certificateNumber?: string;
}

const issue = (body: ReturnType<typeof issueBody>) => issueAs(server, issuer, body);

const addHolder = (name: string, idNumber: string) => addHolderOf(server, staff.admin, name, idNumber);

const get = (token: string | null, path: string) => fetch(`${server.baseUrl}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

async function seenBy(person: Person, query = ''): Promise<{ items: Seen[]; next?: string }> {
  const res = await get(person.token, `/api/v1/holder/verifications${query}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toContain('no-store');
  return (await res.json()) as { items: Seen[]; next?: string };
}

/** Polls the holder's list until `count` entries are there (the recording is written after the answer). */
async function waitFor(person: Person, count: number, timeoutMs = 15_000): Promise<Seen[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { items } = await seenBy(person, '?limit=100');
    if (items.length >= count || Date.now() > until) return items;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits a while and returns the count: for "nothing was added" (nothing to poll for). */
async function settledCount(person: Person): Promise<number> {
  await new Promise((r) => setTimeout(r, 800));
  return (await seenBy(person, '?limit=100')).items.length;
}

beforeAll(async () => {
  server = await startServer({ ECERT_LOOKUP_BURST: '200', ECERT_LOOKUP_REFILL_SECONDS: '1' });
  staff = await setUpWorkflow(server);
  issuer = await server.token('GXZGB', 'issuer');
  holderA = await addHolder('张三丰', ID_A);
  holderB = await addHolder('李秀英', ID_B);
  certA = await issue(issueBody({ name: '张三丰', idNumber: ID_A }));
  await issue(issueBody({ name: '李秀英', idNumber: ID_B, gender: 'female' }));
  const mine = await json(await get(holderA.token, '/api/v1/holder/certificates'));
  verifyUrlA = mine.certificates[0].verifyUrl;
}, 240_000);
afterAll(async () => server?.stop());

describe('item 4: who verified me', () => {
  it('a wrong proof, an unknown number, a wrong name and a proofless link add nothing', async () => {
    const before = await settledCount(holderA);
    const wrong = new URL(verifyUrlA);
    wrong.searchParams.set('s', 'x'.repeat(22));
    expect((await fetch(wrong, { headers: { Accept: 'application/json' } })).status).toBe(200); // invalid, in words
    expect((await fetch(`${server.baseUrl}/v/${certA}`, { headers: { Accept: 'application/json' } })).status).toBe(200); // proof_required
    const lookup = (number: string, name: string) => fetch(`${server.baseUrl}/api/v1/lookup`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ number, name }) });
    expect((await lookup(certA, '张三')).status).toBe(404);
    expect((await lookup('26K7Q2M9XHT', '张三丰')).status).toBeGreaterThanOrEqual(404);
    expect((await fetch(`${server.baseUrl}/s/${'A'.repeat(43)}`, { headers: { Accept: 'application/json' } })).status).toBe(404);
    expect(await settledCount(holderA)).toBe(before);
  });

  it('QR JSON and page, a share link, lookups (API and form) and a 核实 record each appear with their channel, purpose and organisation — and no IP', async () => {
    const before = (await seenBy(holderA, '?limit=100')).items.length;
    // QR link, JSON then page (the photo and token fetches are not verifications of their own).
    expect((await fetch(verifyUrlA, { headers: { Accept: 'application/json' } })).status).toBe(200);
    expect((await fetch(verifyUrlA, { headers: { Accept: 'text/html' } })).status).toBe(200);
    const proof = new URL(verifyUrlA).searchParams.get('s')!;
    await fetch(`${server.baseUrl}/v/${certA}/token?s=${encodeURIComponent(proof)}`);
    // A signed-in staff member of 南宁市交通局 (the handler) opens the QR page: named by organisation.
    const staffCookie = await signInCookie(server.baseUrl, staff.handler.token);
    expect((await fetch(verifyUrlA, { headers: { Cookie: staffCookie } })).status).toBe(200);
    // A share link with its purpose.
    const made = await json(await client(server, holderA)('POST', '/api/v1/holder/shares', { certificateNumber: certA, purpose: '应聘南宁某公司电气工程师岗位', days: 30 }));
    expect((await fetch(made.url, { headers: { Accept: 'application/json' } })).status).toBe(200);
    // Typed lookups that match: the API and the /verify form.
    const looked = await fetch(`${server.baseUrl}/api/v1/lookup`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ number: certA, name: '张三丰' }) });
    expect(looked.status).toBe(200);
    const form = await openLookupForm(server.baseUrl);
    expect((await form.post(certA, '张三丰', { Origin: server.baseUrl })).status).toBe(200);
    // A 核实 record naming the holder by ID number, by the handler's office.
    const record = await client(server, staff.handler)('POST', '/api/v1/verification-records', phoneRecordBody({ subject: { holderName: '张三丰', idNumber: ID_A, titleName: '高级工程师', evaluatingBody: '广西壮族自治区工程技术高级职务评审委员会', acquiredOn: '2015-12-30' } }, `${new Date(Date.now() + 8 * 3600_000 - 60_000).toISOString().slice(0, 19)}+08:00`));
    expect(record.status, await record.clone().text()).toBe(201);

    const items = await waitFor(holderA, before + 7);
    expect(items.length).toBe(before + 7);
    const fresh = items.slice(0, 7);
    const count = (channel: Seen['channel']) => fresh.filter((s) => s.channel === channel).length;
    expect({ qr: count('qr'), share: count('share'), lookup: count('lookup'), record: count('record') }).toEqual({ qr: 3, share: 1, lookup: 2, record: 1 });
    expect(fresh.find((s) => s.channel === 'share')).toMatchObject({ purpose: '应聘南宁某公司电气工程师岗位', certificateNumber: certA });
    expect(fresh.find((s) => s.channel === 'record')).toMatchObject({ verifierOrganisation: { code: 'NNJTJ', name: expect.any(String) } });
    expect(fresh.find((s) => s.channel === 'record')!.certificateNumber).toBeUndefined();
    const named = fresh.filter((s) => s.channel === 'qr' && s.verifierOrganisation);
    expect(named.map((s) => s.verifierOrganisation!.code)).toEqual(['NNJTJ']);
    // Anonymous verifiers stay anonymous; newest first; nothing about where they sat.
    expect(fresh.filter((s) => s.channel === 'lookup').every((s) => !s.verifierOrganisation)).toBe(true);
    const times = items.map((s) => s.at);
    expect([...times].sort().reverse()).toEqual(times);
    const text = JSON.stringify(items);
    expect(text).not.toMatch(/127\.0\.0\.1|::1|localhost|userAgent|user_agent|\bip\b/i);
    expect(text).not.toContain(ID_A);
    if (server.target === 'node') {
      const db = new Database(server.dbPath, { readonly: true });
      const columns = (db.prepare('PRAGMA table_info(verification_sightings)').all() as { name: string }[]).map((c) => c.name);
      db.close();
      expect(columns.join(' ')).not.toMatch(/ip|agent|address/i);
    }

    // The page shows the same, in Chinese, with China times; and in English with the switch.
    const holderCookie = await signInCookie(server.baseUrl, holderA.token);
    const page = await (await fetch(`${server.baseUrl}/console/my`, { headers: { Cookie: holderCookie } })).text();
    expect(page).toContain('谁核验了我的证书');
    expect(page).toContain('打开您的分享链接');
    expect(page).toContain('应聘南宁某公司电气工程师岗位');
    expect(page).toContain('北京时间');
    expect(page).not.toContain('verifierOrganisation');
    const english = await (await fetch(`${server.baseUrl}/console/my`, { headers: { Cookie: `${holderCookie}; ecert_lang=en` } })).text();
    expect(english).toContain('Who verified my certificates');
  });

  it('40 concurrent QR verifications give 40 entries once flushed; the list pages with limit and before', async () => {
    const before = (await seenBy(holderA, '?limit=100')).items.length;
    const answers = await Promise.all(Array.from({ length: 40 }, () => fetch(verifyUrlA, { headers: { Accept: 'application/json' } })));
    expect(answers.map((r) => r.status)).toEqual(Array(40).fill(200));
    const items = await waitFor(holderA, before + 40);
    expect(items.length).toBe(before + 40);
    // Pages of 10 walk the whole list once, newest first, without repeats.
    const walked: Seen[] = [];
    let cursor: string | undefined;
    do {
      const page = await seenBy(holderA, `?limit=10${cursor ? `&before=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(10);
      walked.push(...page.items);
      cursor = page.next;
    } while (cursor);
    expect(walked.length).toBe(before + 40);
    expect((await get(holderA.token, '/api/v1/holder/verifications?limit=0')).status).toBe(422);
    expect((await get(holderA.token, '/api/v1/holder/verifications?before=x')).status).toBe(422);
  });

  it('nobody else reads a holder’s list: another holder, the issuing office, no or a wrong token', async () => {
    const b = await seenBy(holderB);
    expect(b.items).toEqual([]);
    expect(JSON.stringify(b)).not.toContain(certA);
    for (const token of [issuer, staff.admin.token, staff.handler.token]) expect((await get(token, '/api/v1/holder/verifications')).status).toBe(403);
    expect((await get(null, '/api/v1/holder/verifications')).status).toBe(401);
    expect((await get('ect_' + 'x'.repeat(43), '/api/v1/holder/verifications')).status).toBe(401);
    const cookieB = await signInCookie(server.baseUrl, holderB.token);
    const pageB = await (await fetch(`${server.baseUrl}/console/my`, { headers: { Cookie: cookieB } })).text();
    expect(pageB).toContain('还没有人核验过您的证书');
    expect(pageB).not.toContain(certA.slice(0, 4) + '-' + certA.slice(4, 8));
  });
});

describe('item 4 on Node: what waits is written on stop', () => {
  it('a QR verification just before SIGTERM is in the database after the server stopped', async () => {
    if (server.target !== 'node') return;
    // The database outside the server's own directory, which stop() removes.
    const kept = mkdtempSync(join(tmpdir(), 'ecert-seen-'));
    const other = await startServer({ ECERT_DB: join(kept, 'ecert.db') });
    try {
      await setUpWorkflow(other);
      const token = await other.token('GXZGB', 'issuer');
      const res = await fetch(`${other.baseUrl}/api/v1/certificates`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(issueBody({ name: '张三丰', idNumber: ID_A })) });
      expect(res.status).toBe(201);
      const issued = (await res.json()) as { number: string };
      const db0 = new Database(other.dbPath, { readonly: true });
      const proof = (db0.prepare('SELECT link_proof FROM certificates WHERE number = ?').get(issued.number) as { link_proof: string }).link_proof;
      db0.close();
      expect((await fetch(`${other.baseUrl}/v/${issued.number}?s=${encodeURIComponent(proof)}`, { headers: { Accept: 'application/json' } })).status).toBe(200);
    } finally {
      await other.stop();
    }
    const db = new Database(join(kept, 'ecert.db'), { readonly: true });
    const { n } = db.prepare('SELECT COUNT(*) AS n FROM verification_sightings').get() as { n: number };
    db.close();
    rmSync(kept, { recursive: true, force: true });
    expect(n).toBe(1);
  }, 120_000);
});
