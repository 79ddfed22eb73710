/**
 * The certificate's PDF and credential behind the QR link's proof `?s=`, on the real server: a wrong proof
 * spends from the one allowance every unproven request shares (so guessing proofs on /pdf is no cheaper than
 * on /v), a right proof is never limited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.js';
import { issueBody } from '../support/fixtures.js';

const BURST = 6;
let server: RunningServer;
let issuer: string;
let other: string;
let cert: { number: string; proof: string };

beforeAll(async () => {
  server = await startServer({ ECERT_LOOKUP_BURST: String(BURST), ECERT_LOOKUP_REFILL_SECONDS: '3600' });
  issuer = await server.token('GXZGB', 'issuer');
  other = await server.token('NNZGB', 'issuer');
  const res = await fetch(`${server.baseUrl}/api/v1/certificates`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(issueBody()),
  });
  const created = (await res.json()) as { number: string; verifyUrl: string };
  cert = { number: created.number, proof: new URL(created.verifyUrl).searchParams.get('s')! };
});
afterAll(async () => server?.stop());

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.baseUrl}${path}`, { headers });
const WRONG = 'AAAAAAAAAAAAAAAAAAAAAA';

describe('an empty ?s= is no proof: the token decides', () => {
  it('with the issuing authority’s token: the PDF and the credential; without a token: 401; another authority: 404', async () => {
    for (const what of ['pdf', 'credential']) {
      for (const query of ['?s=', '?s']) {
        const path = `/api/v1/certificates/${cert.number}/${what}${query}`;
        expect((await get(path, { Authorization: `Bearer ${issuer}` })).status, path).toBe(200);
        const anonymous = await get(path);
        expect(anonymous.status, path).toBe(401);
        expect(anonymous.headers.get('www-authenticate'), path).toContain('Bearer');
        expect((await get(path, { Authorization: `Bearer ${other}` })).status, path).toBe(404);
      }
    }
  });
});

describe('wrong link proofs on /pdf and /credential share the unproven allowance', () => {
  it('a burst of wrong proofs on /pdf hits 429; then lookups are limited too; a right proof still opens the PDF and credential', async () => {
    const wrong = await Promise.all(Array.from({ length: BURST + 10 }, (_, i) => get(`/api/v1/certificates/${cert.number}/${i % 2 ? 'pdf' : 'credential'}?s=${WRONG}`)));
    const limited = wrong.filter((r) => r.status === 429);
    expect(wrong.filter((r) => r.status === 404).length).toBeLessThanOrEqual(BURST);
    expect(limited.length).toBeGreaterThanOrEqual(10);
    for (const res of limited) {
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const body = (await res.json()) as { code: string; title: string; detail?: string };
      expect(body.code).toBe('rate_limited');
    }
    expect(wrong.some((r) => r.status >= 500)).toBe(false);

    // One bucket: the same client's lookups and wrong proofs elsewhere are now refused as well.
    const lookup = await fetch(`${server.baseUrl}/api/v1/lookup`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ number: cert.number, name: '张三丰' }) });
    expect(lookup.status).toBe(429);
    expect((await get(`/v/${cert.number}/token?s=${WRONG}`)).status).toBe(429);
    // A proof for a certificate that does not exist is just as unproven.
    expect((await get(`/api/v1/certificates/26K7Q2M9XH4/pdf?s=${WRONG}`)).status).toBe(429);

    // The holder's proof is never limited, nor the authority's token.
    const pdfs = await Promise.all(Array.from({ length: 5 }, () => get(`/api/v1/certificates/${cert.number}/pdf?s=${cert.proof}`)));
    for (const res of pdfs) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
    }
    expect((await get(`/api/v1/certificates/${cert.number}/credential?s=${cert.proof}`)).status).toBe(200);
    expect((await get(`/api/v1/certificates/${cert.number}/pdf`, { Authorization: `Bearer ${issuer}` })).status).toBe(200);
  });
});
