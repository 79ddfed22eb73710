/**
 * Issue 19 item 2 on the real server, Node and workerd alike: a correction issues the corrected certificate as the
 * next version of the same 电子证照标识 serial (new number, token, PDF), the old one says 已变更 — never a green
 * 有效 — in its verification JSON and page with the time and the deciding office; the current version's number
 * (never its QR proof) only when the holder stayed the same, for whoever holds the old proof must not be led to
 * another person's certificate; 20 concurrent corrections land once; a superseded or revoked certificate is not corrected;
 * the chain is on the authority's record, in the audit trail and in the metadata; hostile bodies are refused in words.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.js';
import { issueBody } from '../support/fixtures.js';
import { parseLicenceIdentifier } from '../../src/domain/licenceIdentifier.js';
import { formatCertificateNumber } from '../../src/domain/certificateNumber.js';

let server: RunningServer;
let issuer: string;

beforeAll(async () => {
  server = await startServer();
  issuer = await server.token('GXZGB', 'issuer');
}, 180_000);
afterAll(async () => server?.stop());

interface Issued {
  number: string;
  identifier: string;
  verifyUrl: string;
  pdfUrl: string;
  token: string;
  predecessor?: string;
}

const json = (token: string | undefined, body: unknown) => ({
  method: 'POST',
  headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});
const issue = async (idNumber?: string): Promise<Issued> => {
  const res = await fetch(`${server.baseUrl}/api/v1/certificates`, json(issuer, issueBody(idNumber ? { idNumber } : {})));
  expect(res.status).toBe(201);
  return (await res.json()) as Issued;
};
const correct = (number: string, body: unknown, token: string | undefined = issuer) => fetch(`${server.baseUrl}/api/v1/certificates/${number}/corrections`, json(token, body));
const proofOf = (verifyUrl: string) => new URL(verifyUrl).searchParams.get('s')!;
const renamed = { holder: { name: '张三峰', gender: 'male', idType: 'resident_id_card', idNumber: '450102198005120019' }, reason: '持证人姓名录入错误' };

describe('a correction', () => {
  let old: Issued;
  let next: Issued;

  it('issues the next version of the same serial, with a new number, token and PDF', async () => {
    old = await issue();
    const res = await correct(old.number, renamed);
    expect(res.status).toBe(201);
    next = (await res.json()) as Issued;
    expect(res.headers.get('location')).toBe(`/api/v1/certificates/${next.number}`);
    expect(next.predecessor).toBe(old.number);
    expect(next.number).not.toBe(old.number);
    const [a, b] = [parseLicenceIdentifier(old.identifier), parseLicenceIdentifier(next.identifier)];
    if (!a.ok || !b.ok) throw new Error('identifiers must parse');
    expect(b.parts).toEqual({ ...a.parts, version: '002' });
    expect(JSON.parse(Buffer.from(next.token.split('.')[1]!, 'base64url').toString()).holder.name).toBe('张三峰');

    const dir = mkdtempSync(join(tmpdir(), 'ecert-corr-'));
    writeFileSync(join(dir, 'c.pdf'), new Uint8Array(await (await fetch(next.pdfUrl)).arrayBuffer()));
    const text = execFileSync('pdftotext', [join(dir, 'c.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain(`电子证照标识：${next.identifier}`);
    expect(text).toContain('张三峰');

    const current = await (await fetch(`${server.baseUrl}/v/${next.number}?s=${proofOf(next.verifyUrl)}`, { headers: { Accept: 'application/json' } })).json();
    expect(current.status).toBe('valid');
  });

  it('makes the old version say 已变更 with when and who — never 有效, and, the holder\'s name having changed, never which version replaced it', async () => {
    const res = await fetch(`${server.baseUrl}/v/${old.number}?s=${proofOf(old.verifyUrl)}`, { headers: { Accept: 'application/json' } });
    const v = await res.json();
    expect(v.status).toBe('superseded');
    expect(v.statusText).toEqual({ zh: '已变更', en: 'Superseded' });
    expect(v.certificate.supersession).toEqual({ at: expect.any(String), by: { code: 'GXZGB', name: expect.any(String) }, holderChanged: true });
    expect(v.message.zh).toContain('签发了新版本');
    expect(v.message.zh).toContain('请其出示新版证书或新版核验链接');
    expect(v.message.en).toContain('If the person showing it is the rightful holder, ask them for the new certificate');
    expect(v.checks.find((c: { name: string }) => c.name === 'current_version')).toMatchObject({ ok: false });
    // Whoever holds the old proof learns nothing of the new version: not its number, identifier, proof or the corrected name.
    for (const secret of [next.number, next.identifier, proofOf(next.verifyUrl), '张三峰']) expect(JSON.stringify(v)).not.toContain(secret);

    const page = await (await fetch(`${server.baseUrl}/v/${old.number}?s=${proofOf(old.verifyUrl)}`)).text();
    expect(page).toContain('已变更');
    expect(page).toContain('class="status superseded"');
    expect(page).not.toContain('class="status valid"');
    expect(page).toContain('请其出示新版证书或新版核验链接');
    expect(page).not.toContain('/verify?number=');
    for (const secret of [next.number, formatCertificateNumber(next.number), next.identifier, proofOf(next.verifyUrl), '张三峰']) expect(page).not.toContain(secret);
    const english = await (await fetch(`${server.baseUrl}/v/${old.number}?s=${proofOf(old.verifyUrl)}&lang=en`)).text();
    expect(english).not.toContain(formatCertificateNumber(next.number));
  });

  it('hides the new version from dozens of readers at once of an old one whose ID number was corrected; a wrong proof learns nothing', async () => {
    const before = await issue();
    const res = await correct(before.number, { holder: { ...renamed.holder, name: '张三丰', idNumber: '110101199003074514' }, reason: '身份证号码录入错误' });
    expect(res.status).toBe(201);
    const after = (await res.json()) as Issued;
    const answers = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const r = await fetch(`${server.baseUrl}/v/${before.number}?s=${proofOf(before.verifyUrl)}`, { headers: i % 2 ? { Accept: 'application/json' } : {} });
        return { status: r.status, text: await r.text() };
      }),
    );
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.text).toContain('已变更');
      for (const secret of [after.number, formatCertificateNumber(after.number), after.identifier, '110101199003074514']) expect(a.text).not.toContain(secret);
    }
    // A wrong or missing proof of the old version: no facts at all, let alone the new version's.
    for (const s of ['', 'x', proofOf(after.verifyUrl), `${proofOf(before.verifyUrl)}A`]) {
      const r = await fetch(`${server.baseUrl}/v/${before.number}?s=${encodeURIComponent(s)}`, { headers: { Accept: 'application/json' } });
      expect(r.status).toBeLessThan(500);
      const text = await r.text();
      expect(text).not.toContain('supersession');
      expect(text).not.toContain(after.number);
    }
    // The new version, with its own proof, is valid and names its holder.
    const current = await (await fetch(`${server.baseUrl}/v/${after.number}?s=${proofOf(after.verifyUrl)}`, { headers: { Accept: 'application/json' } })).json();
    expect(current.status).toBe('valid');
  });

  it('names the current version when the correction kept the holder (a specialty corrected): the same person\'s employer may look it up', async () => {
    const before = await issue();
    const res = await correct(before.number, { title: { series: 'engineering', name: '高级工程师', specialty: '电力系统及其自动化' }, reason: '专业名称录入错误' });
    expect(res.status).toBe(201);
    const after = (await res.json()) as Issued;
    const v = await (await fetch(`${server.baseUrl}/v/${before.number}?s=${proofOf(before.verifyUrl)}`, { headers: { Accept: 'application/json' } })).json();
    expect(v.status).toBe('superseded');
    expect(v.certificate.supersession).toMatchObject({ by: { code: 'GXZGB' }, holderChanged: false, current: { number: after.number, identifier: after.identifier } });
    expect(v.message.zh).toContain('请向持证人索取新版证书');
    expect(v.message.zh).toContain(after.number);
    expect(JSON.stringify(v)).not.toContain(proofOf(after.verifyUrl));
    const page = await (await fetch(`${server.baseUrl}/v/${before.number}?s=${proofOf(before.verifyUrl)}`)).text();
    expect(page).toContain(`/verify?number=${after.number}`);
    expect(page).not.toContain(proofOf(after.verifyUrl));
  });

  it('sets the status-list bit of the old version, so an offline check stops trusting it; the bit of the new one stays clear', async () => {
    const bitOf = async (number: string) => {
      const vc = await (await fetch(`${server.baseUrl}/api/v1/certificates/${number}/credential`, { headers: { Authorization: `Bearer ${issuer}` } })).text();
      const status = JSON.parse(Buffer.from(vc.split('.')[1]!, 'base64url').toString()).credentialStatus[0];
      const list = await (await fetch(status.statusListCredential)).text();
      const bits = gunzipSync(Buffer.from(JSON.parse(Buffer.from(list.split('.')[1]!, 'base64url').toString()).credentialSubject.encodedList.slice(1), 'base64url'));
      const index = Number(status.statusListIndex);
      return (bits[index >> 3]! & (0x80 >> (index & 7))) !== 0;
    };
    expect(await bitOf(old.number)).toBe(true);
    expect(await bitOf(next.number)).toBe(false);
  });

  it('shows the chain of versions on the authority record, in the audit trail and the metadata', async () => {
    const record = await (await fetch(`${server.baseUrl}/api/v1/certificates/${old.number}`, { headers: { Authorization: `Bearer ${issuer}` } })).json();
    expect(record.status).toBe('superseded');
    expect(record.supersession.successor).toBe(next.number);
    expect(record.holder.name).toBe('张三丰'); // never overwritten
    expect(record.versions.map((v: { number: string; status: string }) => [v.number, v.status])).toEqual([
      [old.number, 'superseded'],
      [next.number, 'valid'],
    ]);
    expect(record.versions[1].correction.reason).toBe('持证人姓名录入错误');

    const auditor = await server.token('GXZGB', 'auditor');
    const trail = await (await fetch(`${server.baseUrl}/api/v1/audit?subject=certificate:${old.number}`, { headers: { Authorization: `Bearer ${auditor}` } })).json();
    expect(trail.items.find((e: { action: string }) => e.action === 'certificate.correct')).toMatchObject({ detail: { successor: next.number, reason: '持证人姓名录入错误', from: old.identifier, to: next.identifier } });

    const meta = await (await fetch(`${server.baseUrl}/api/v1/certificates/${next.number}/metadata`, { headers: { Authorization: `Bearer ${issuer}` } })).json();
    expect(meta).toMatchObject({ version: '002', relatedIdentifiers: [old.identifier], status: { code: 'valid' } });
    const oldMeta = await (await fetch(`${server.baseUrl}/api/v1/certificates/${old.number}/metadata`, { headers: { Authorization: `Bearer ${issuer}` } })).json();
    expect(oldMeta.status).toEqual({ code: 'superseded', name: '已变更' });
  });

  it('of a superseded version is refused in words naming the current one; so is its revocation', async () => {
    const res = await correct(old.number, renamed);
    expect(res.status).toBe(409);
    const problem = await res.json();
    expect(problem.detail ?? problem.title).toBeDefined();
    expect(JSON.stringify(problem)).toContain(next.number);
    const revoke = await fetch(`${server.baseUrl}/api/v1/certificates/${old.number}/revocation`, json(issuer, { reason: 'other', note: '' }));
    expect(revoke.status).toBe(409);
  });

  it('lands once under 20 concurrent corrections; the rest are 409 in words', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => correct(next.number, { ...renamed, reason: `并发更正 ${i}` })));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const refusals = await Promise.all(answers.filter((r) => r.status === 409).map((r) => r.json()));
    for (const p of refusals) expect(JSON.stringify(p)).toMatch(/更正/);
    const record = await (await fetch(`${server.baseUrl}/api/v1/certificates/${old.number}`, { headers: { Authorization: `Bearer ${issuer}` } })).json();
    expect(record.versions).toHaveLength(3);
    expect(record.versions.map((v: { identifier: string }) => v.identifier.split('.').at(-2))).toEqual(['001', '002', '003']);
  });

  it('of a revoked certificate is refused', async () => {
    const c = await issue('110101199003074514');
    expect((await fetch(`${server.baseUrl}/api/v1/certificates/${c.number}/revocation`, json(issuer, { reason: 'issued_in_error', note: '' }))).status).toBe(200);
    const res = await correct(c.number, renamed);
    expect(res.status).toBe(409);
    expect((await res.json()).code).toBe('already_revoked');
  });

  it('refuses hostile requests: no reason, an unknown number, another authority, no or a wrong credential, a role that may not', async () => {
    const c = await issue('110101199003074514');
    const noReason = await correct(c.number, { holder: renamed.holder });
    expect(noReason.status).toBe(422);
    expect(JSON.stringify(await noReason.json())).toContain('更正原因');
    expect((await correct(c.number, { ...renamed, reason: '   ' })).status).toBe(422);
    expect((await correct(c.number, { ...renamed, extra: 1 })).status).toBe(422);
    expect((await correct(c.number, { ...renamed, holder: { ...renamed.holder, idNumber: '450102198005120018' } })).status).toBe(422);
    expect((await correct('26K7Q2M9XHT', renamed)).status).toBe(404);
    expect((await correct('not-a-number', renamed)).status).toBe(404);
    const city = await server.token('NNZGB', 'issuer');
    expect((await correct(c.number, renamed, city)).status).toBe(404);
    expect((await correct(c.number, renamed, '')).status).toBe(401); // no Authorization header at all
    expect((await correct(c.number, renamed, 'not-a-token')).status).toBe(401);
    expect((await correct(c.number, renamed, await server.token('GXZGB', 'auditor'))).status).toBe(403);
    const broken = await fetch(`${server.baseUrl}/api/v1/certificates/${c.number}/corrections`, { method: 'POST', headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json' }, body: '{"reason":' });
    expect(broken.status).toBeLessThan(500);
    // Nothing was written by any of them: the certificate is still its only version.
    const record = await (await fetch(`${server.baseUrl}/api/v1/certificates/${c.number}`, { headers: { Authorization: `Bearer ${issuer}` } })).json();
    expect(record.versions).toHaveLength(1);
  });
});
