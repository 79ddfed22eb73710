/**
 * http/api/verification in-process: the employer's side — the QR landing `/v/{number}?s=…` (JSON with
 * `Accept: application/json`, HTML otherwise), the holder's photo and signed token behind the same proof, and
 * the lookup by number and name. Public by design: no token, but every request that does not prove it holds
 * the certificate spends from one allowance per client (429 with Retry-After); a right proof never does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueBody } from '../../support/fixtures.js';
import { CONTROL, expectNoServerError, expectProblem, HOSTILE, LONG, openApi, RARE, residentId, tally, type Answer, type InProcessApi } from './support.js';

const JSON_ACCEPT = { Accept: 'application/json' };
let api: InProcessApi;
let issuer: string;
let number = '';
let proof = '';
let revoked = { number: '', proof: '' };

/** A certificate of GXZGB issued through the API: its number and link proof. */
async function issue(target: InProcessApi, token: string, overrides: Parameters<typeof issueBody>[0]): Promise<{ number: string; proof: string }> {
  const res = await target.call(token, 'POST', '/api/v1/certificates', { json: issueBody(overrides) });
  expect(res.status, res.text).toBe(201);
  return { number: res.body.number, proof: new URL(res.body.verifyUrl).searchParams.get('s')! };
}

beforeAll(async () => {
  api = await openApi({ ECERT_LOOKUP_BURST: '1000', ECERT_LOOKUP_REFILL_SECONDS: '3600' });
  issuer = await api.token('GXZGB', 'issuer');
  ({ number, proof } = await issue(api, issuer, {}));
  revoked = await issue(api, issuer, { name: '王芳', gender: 'female', idNumber: residentId('19860505', 1, 'female') });
  expect((await api.call(issuer, 'POST', `/api/v1/certificates/${revoked.number}/revocation`, { json: { reason: 'issued_in_error' } })).status).toBe(200);
}, 60_000);
afterAll(() => api?.stop());

const mistype = (n: string) => n.slice(0, 10) + (n[10] === 'A' ? 'B' : 'A');

describe('GET /v/{number}', () => {
  it('with the right proof: valid, with every check, the certificate and the photo link; private and noindex', async () => {
    const res = await api.call(null, 'GET', `/v/${number}?s=${proof}`, { headers: JSON_ACCEPT });
    expect([res.status, res.mediaType]).toEqual([200, 'application/json']);
    expect(res.body).toMatchObject({ status: 'valid', certificate: { number }, statusText: { zh: expect.any(String), en: expect.any(String) } });
    expect(res.body.checks.length).toBeGreaterThan(0);
    expect(res.body.photoUrl).toBe(`/v/${number}/photo?s=${proof}`);
    expect(res.headers.get('Cache-Control')).toContain('no-store');
    expect(res.headers.get('X-Robots-Tag')).toContain('noindex');
  });

  it('a browser gets the page in words (text/html)', async () => {
    const page = await api.call(null, 'GET', `/v/${number}?s=${proof}`, { headers: { Accept: 'text/html' } });
    expect([page.status, page.mediaType]).toEqual([200, 'text/html']);
    expect(page.text).toContain(number);
  });

  it('without a proof: proof_required, no certificate; a wrong proof: invalid with no checks; a mistyped number: 422 number_invalid', async () => {
    const none = await api.call(null, 'GET', `/v/${number}`, { headers: JSON_ACCEPT });
    expect([none.status, none.body.status, none.body.certificate]).toEqual([200, 'proof_required', undefined]);
    const wrong = await api.call(null, 'GET', `/v/${number}?s=${'0'.repeat(32)}`, { headers: JSON_ACCEPT });
    expect(wrong.body).toMatchObject({ status: 'invalid', checks: [] });
    expect(wrong.body.certificate).toBeUndefined();
    for (const answer of [none, wrong]) expect(answer.text).not.toContain('张三丰'); // no proof, no personal data
    const typo = await api.call(null, 'GET', `/v/${mistype(number)}`, { headers: JSON_ACCEPT });
    expect([typo.status, typo.body.status]).toEqual([422, 'number_invalid']);
  });

  it('a revoked certificate says so, with the reason', async () => {
    const res = await api.call(null, 'GET', `/v/${revoked.number}?s=${revoked.proof}`, { headers: JSON_ACCEPT });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'revoked', certificate: { revocation: { reason: 'issued_in_error' } } });
  });

  it('hostile numbers and proofs are answered in words (JSON or page), never a 500', async () => {
    for (const raw of [HOSTILE, RARE, CONTROL, '𠮷'.repeat(20), 'x'.repeat(4000)]) {
      for (const accept of [JSON_ACCEPT, { Accept: 'text/html' }]) {
        expectNoServerError(await api.call(null, 'GET', `/v/${encodeURIComponent(raw)}`, { headers: accept }));
        expectNoServerError(await api.call(null, 'GET', `/v/${number}?s=${encodeURIComponent(raw)}`, { headers: accept }));
      }
    }
  });
});

describe('GET /v/{number}/photo and /v/{number}/token', () => {
  it('behind the right proof: the photo the authority signed, and the compact JWS', async () => {
    const photo = await api.call(null, 'GET', `/v/${number}/photo?s=${proof}`);
    expect([photo.status, photo.mediaType]).toEqual([200, 'image/jpeg']);
    expect(photo.headers.get('Cache-Control')).toContain('no-store');
    const token = await api.call(null, 'GET', `/v/${number}/token?s=${proof}`);
    expect([token.status, token.mediaType]).toEqual([200, 'application/jose']);
    expect(token.text.split('.')).toHaveLength(3);
  });

  it('a wrong proof or an unknown number is a 404 problem; no proof at all a 422 naming query.s', async () => {
    for (const tail of ['photo', 'token']) {
      expectProblem(await api.call(null, 'GET', `/v/${number}/${tail}?s=${'0'.repeat(32)}`), 404, 'not_found');
      expectProblem(await api.call(null, 'GET', `/v/26K7Q2M9XH4/${tail}?s=${proof}`), 404, 'not_found');
      const missing = await api.call(null, 'GET', `/v/${number}/${tail}`);
      expectProblem(missing, 422, 'validation_failed');
      expect(missing.body.field).toBe('query.s');
      expectProblem(await api.call(null, 'GET', `/v/${number}/${tail}?s=${'0'.repeat(65)}`), 422, 'validation_failed');
    }
  });

  it('hostile numbers and proofs never a 500', async () => {
    for (const raw of [HOSTILE.slice(0, 60), RARE, CONTROL, '𠮷']) {
      for (const tail of ['photo', 'token']) {
        expectNoServerError(await api.call(null, 'GET', `/v/${encodeURIComponent(raw)}/${tail}?s=${proof}`));
        expectNoServerError(await api.call(null, 'GET', `/v/${number}/${tail}?s=${encodeURIComponent(raw)}`));
      }
    }
  });
});

describe('POST /api/v1/lookup', () => {
  const lookup = (json: unknown) => api.call(null, 'POST', '/api/v1/lookup', { json });

  it('valid for the number and the holder’s name (200); not_found for another name (404, the same JSON shape)', async () => {
    const hit = await lookup({ number, name: '张三丰' });
    expect([hit.status, hit.mediaType, hit.body.status]).toEqual([200, 'application/json', 'valid']);
    expect(hit.body.photoUrl).toBeUndefined(); // a typed lookup proves no possession: no photo
    const miss = await lookup({ number, name: '李四' });
    expect([miss.status, miss.mediaType, miss.body.status]).toEqual([404, 'application/json', 'not_found']);
    expect(miss.body.certificate).toBeUndefined();
  });

  it('a mistyped number is 422 number_invalid (JSON); a missing or invalid field is 422 validation_failed (problem+json)', async () => {
    const typo = await lookup({ number: mistype(number), name: '张三丰' });
    expect([typo.status, typo.mediaType, typo.body.status]).toEqual([422, 'application/json', 'number_invalid']);
    expectProblem(await lookup({ number }), 422, 'validation_failed');
    expectProblem(await lookup({ number, name: CONTROL }), 422, 'validation_failed');
    expectProblem(await lookup({ number, name: '张三丰', extra: 1 }), 422, 'validation_failed');
    expectProblem(await api.call(null, 'POST', '/api/v1/lookup', { body: 'x', headers: { 'Content-Type': 'text/plain' } }), 415, 'unsupported_media_type');
    expectProblem(await api.call(null, 'POST', '/api/v1/lookup', { body: '{', headers: { 'Content-Type': 'application/json' } }), 400, 'invalid_json');
    expectProblem(await lookup({ number, name: LONG }), 413, 'body_too_large');
  });

  it('hostile names and numbers are answered, never a 500, and never match', async () => {
    for (const raw of [HOSTILE, RARE, '𠮷', "张三丰' OR '1'='1", '%', '_']) {
      const res = await lookup({ number, name: raw });
      expectNoServerError(res);
      expect(res.body.status).not.toBe('valid');
      expectNoServerError(await lookup({ number: raw, name: '张三丰' }));
    }
  });
});

describe('the allowance for unproven requests (one per client, shared by links, photo, token and lookups)', () => {
  let limited: InProcessApi;
  let n = '';
  let s = '';
  beforeAll(async () => {
    limited = await openApi({ ECERT_LOOKUP_BURST: '5', ECERT_LOOKUP_REFILL_SECONDS: '3600' });
    ({ number: n, proof: s } = await issue(limited, await limited.token('GXZGB', 'issuer'), {}));
  }, 60_000);
  afterAll(() => limited?.stop());

  it('30 lookups at once: the burst answers, the rest are 429 with Retry-After; a right proof still opens the page', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, () => limited.call(null, 'POST', '/api/v1/lookup', { json: { number: n, name: '张三丰' } })));
    expect(tally(answers)).toEqual({ 200: 5, 429: 25 });
    const refused = answers.find((a) => a.status === 429) as Answer;
    expectProblem(refused, 429, 'rate_limited');
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    for (const path of [`/v/${n}`, `/v/${n}/photo?s=${'0'.repeat(32)}`, `/v/${n}/token?s=${'0'.repeat(32)}`]) {
      expectProblem(await limited.call(null, 'GET', path, { headers: JSON_ACCEPT }), 429, 'rate_limited');
    }
    const page = await limited.call(null, 'GET', `/v/${n}`, { headers: { Accept: 'text/html' } });
    expect([page.status, page.mediaType]).toEqual([429, 'text/html']);
    expect((await limited.call(null, 'GET', `/v/${n}?s=${s}`, { headers: JSON_ACCEPT })).body.status).toBe('valid');
    expect((await limited.call(null, 'GET', `/v/${n}/token?s=${s}`)).status).toBe(200);
  });
});
