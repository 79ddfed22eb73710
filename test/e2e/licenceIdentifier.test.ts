/**
 * Issue 19 item 1 on the real server, Node and workerd alike: the 电子证照标识 of each certificate — in the issue
 * answer, the signed token, the VC (its signature still verifying), the PDF (pdftotext), the verification JSON
 * and page — `/v/{identifier}` under the number's proof rules, a wrong check character answered in words and
 * rate limited, serials without gaps or duplicates under 20 concurrent issuances, the same identifier for the
 * same Idempotency-Key, and issuance refused while the authority has no 统一社会信用代码.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startServer, type RunningServer } from '../support/server.js';
import { issueBody } from '../support/fixtures.js';
import { DEMO_AUTHORITY_USCCS, DEMO_LICENCE_TYPE_CODE, parseLicenceIdentifier } from '../../src/domain/licenceIdentifier.js';
import { verifyCredential } from '../../src/crypto/credential.js';

let server: RunningServer;
let issuer: string;
let admin: string;

beforeAll(async () => {
  // A small allowance for unproven requests, never refilled: the last test spends it.
  server = await startServer({ ECERT_LOOKUP_BURST: '8', ECERT_LOOKUP_REFILL_SECONDS: '3600' });
  issuer = await server.token('GXZGB', 'issuer');
  admin = await server.token('GXZGB', 'admin');
}, 180_000);
afterAll(async () => server?.stop());

interface Issued {
  number: string;
  identifier: string;
  verifyUrl: string;
  pdfUrl: string;
  token: string;
}

async function issue(headers: Record<string, string> = {}, idNumber?: string): Promise<Response> {
  return fetch(`${server.baseUrl}/api/v1/certificates`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(issueBody(idNumber ? { idNumber } : {})),
  });
}

const payloadOf = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8'));
const getJson = (path: string) => fetch(`${server.baseUrl}${path}`, { headers: { Accept: 'application/json' } });
/** The same identifier with another check character. */
const mistyped = (identifier: string) => identifier.slice(0, -1) + (identifier.endsWith('0') ? '1' : '0');

let first: Issued;

describe('the 电子证照标识 of a certificate', () => {
  it('is in the answer, the token, the VC, the PDF, the verification JSON and page', async () => {
    const res = await issue();
    expect(res.status).toBe(201);
    first = (await res.json()) as Issued;
    const parsed = parseLicenceIdentifier(first.identifier);
    expect(parsed).toEqual({
      ok: true,
      identifier: first.identifier,
      parts: { typeCode: DEMO_LICENCE_TYPE_CODE, authorityCode: DEMO_AUTHORITY_USCCS.GXZGB, serial: 1, version: '001' },
    });
    expect(payloadOf(first.token).identifier).toBe(first.identifier);

    const vc = await fetch(`${server.baseUrl}/api/v1/certificates/${first.number}/credential`, { headers: { Authorization: `Bearer ${issuer}` } });
    const jws = await vc.text();
    expect(payloadOf(jws).credentialSubject.hasTitle.licenceIdentifier).toBe(first.identifier);
    const checked = await verifyCredential(jws, readFileSync(join(ROOT, 'keys.example/root.pem'), 'utf8'));
    expect(checked.problem).toBeUndefined();

    const dir = mkdtempSync(join(tmpdir(), 'ecert-id-'));
    writeFileSync(join(dir, 'c.pdf'), new Uint8Array(await (await fetch(first.pdfUrl)).arrayBuffer()));
    const text = execFileSync('pdftotext', [join(dir, 'c.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain(`电子证照标识：${first.identifier}`);

    const s = new URL(first.verifyUrl).searchParams.get('s')!;
    const byNumber = await (await getJson(`/v/${first.number}?s=${s}`)).json();
    expect([byNumber.status, byNumber.certificate.identifier]).toEqual(['valid', first.identifier]);
    const page = await (await fetch(`${server.baseUrl}/v/${first.number}?s=${s}`)).text();
    expect(page).toContain('电子证照标识');
    expect(page).toContain(first.identifier);
    const record = await (await fetch(`${server.baseUrl}/api/v1/certificates/${first.number}`, { headers: { Authorization: `Bearer ${issuer}` } })).json();
    expect(record.identifier).toBe(first.identifier);
  });

  it('/v/{identifier} resolves like the number: a verdict with the proof, nothing without it or with a wrong one', async () => {
    const s = new URL(first.verifyUrl).searchParams.get('s')!;
    const proven = await getJson(`/v/${first.identifier}?s=${s}`);
    const verdict = await proven.json();
    expect([proven.status, verdict.status, verdict.certificate.number, verdict.certificate.identifier]).toEqual([200, 'valid', first.number, first.identifier]);
    expect(verdict.photoUrl).toBe(`/v/${first.number}/photo?s=${s}`);
    const html = await fetch(`${server.baseUrl}/v/${first.identifier}?s=${s}`);
    expect(html.status).toBe(200);
    expect(await html.text()).toContain('张三丰');

    const bare = await (await getJson(`/v/${first.identifier}`)).json();
    expect([bare.status, bare.certificate]).toEqual(['proof_required', undefined]);
    const wrong = await (await getJson(`/v/${first.identifier}?s=AAAAAAAAAAAAAAAAAAAAAA`)).json();
    expect([wrong.status, wrong.certificate]).toEqual(['invalid', undefined]);
  });

  it('a typed identifier with a wrong check character is answered in words (problem+json or the page), never a 500', async () => {
    const res = await getJson(`/v/${mistyped(first.identifier)}`);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = await res.json();
    expect(problem.code).toBe('validation_failed');
    expect(problem.message.zh).toContain('校验位错误');
    expect(problem.message.en).toContain('check character is wrong');
    const page = await fetch(`${server.baseUrl}/v/${mistyped(first.identifier)}`);
    expect(page.status).toBe(422);
    expect(await page.text()).toContain('电子证照标识校验位错误');
    const malformed = await getJson(`/v/${encodeURIComponent('1.2.156.3005.2.%00<script>')}`);
    expect(malformed.status).toBe(422);
    expect((await malformed.json()).message.zh).toContain('格式错误');
  });

  it('the same Idempotency-Key gives the same identifier; 20 concurrent issuances take 20 serials without gap or duplicate', async () => {
    const once = (await (await issue({ 'Idempotency-Key': 'id-19-a' })).json()) as Issued;
    const again = await issue({ 'Idempotency-Key': 'id-19-a' });
    expect(again.status).toBe(200);
    expect(((await again.json()) as Issued).identifier).toBe(once.identifier);

    const answers = await Promise.all(Array.from({ length: 20 }, () => issue()));
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(201));
    const serials = await Promise.all(answers.map(async (r) => (parseLicenceIdentifier(((await r.json()) as Issued).identifier) as { parts: { serial: number } }).parts.serial));
    // 1 was the first certificate, 2 the idempotent one: these are 3..22, each once.
    expect([...serials].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 3));
  }, 180_000);

  it('an authority without its 统一社会信用代码 cannot issue (409 uscc_missing, naming it), and can again once it is recorded', async () => {
    const put = (uscc: string | null) =>
      fetch(`${server.baseUrl}/api/v1/organisations/GXZGB/uscc`, { method: 'PUT', headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ uscc }) });
    expect((await put(null)).status).toBe(200);
    const refused = await issue();
    expect(refused.status).toBe(409);
    const problem = await refused.json();
    expect(problem.code).toBe('uscc_missing');
    expect(problem.message.zh).toContain('统一社会信用代码');
    expect((await put(DEMO_AUTHORITY_USCCS.GXZGB!)).status).toBe(200);
    expect((await issue()).status).toBe(201);
  });

  it('mistyped identifiers spend the allowance of unproven requests like any lookup (429 past it)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await getJson(`/v/${mistyped(first.identifier)}`)).status);
    expect(statuses).toContain(429);
    expect(statuses.every((s) => s === 422 || s === 429)).toBe(true);
    // The right proof is never limited.
    const s = new URL(first.verifyUrl).searchParams.get('s')!;
    expect((await getJson(`/v/${first.identifier}?s=${s}`)).status).toBe(200);
  });
});
