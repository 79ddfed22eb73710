/**
 * http/api/trust in-process: what anyone needs to verify offline — the JWKS with every key ever used, the root
 * at a fixed address, each issuer's identifier document and its signed revocation status list(s). Public,
 * cacheable, read-only; a code that is not an authority's is a 404, one that is not a code a 422.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueBody } from '../../support/fixtures.js';
import { CONTROL, expectNoServerError, expectProblem, HOSTILE, openApi, RARE, residentId, tally, type InProcessApi } from './support.js';

let api: InProcessApi;
beforeAll(async () => {
  api = await openApi();
}, 60_000);
afterAll(() => api?.stop());

describe('GET /.well-known/jwks.json and /.well-known/ecert-root.pem', () => {
  it('every signing key with its kid and x5c chain, cacheable five minutes', async () => {
    const res = await api.call(null, 'GET', '/.well-known/jwks.json');
    expect([res.status, res.mediaType, res.headers.get('Cache-Control')]).toEqual([200, 'application/json', 'public, max-age=300']);
    expect(res.body.keys.length).toBeGreaterThan(0);
    for (const key of res.body.keys) expect(key).toMatchObject({ kid: expect.any(String), x5c: expect.any(Array) });
    expect(res.body.keys.some((k: { d?: string }) => 'd' in k)).toBe(false); // never a private part
  });

  it('the root as PEM, cacheable an hour', async () => {
    const res = await api.call(null, 'GET', '/.well-known/ecert-root.pem');
    expect([res.status, res.mediaType, res.headers.get('Cache-Control')]).toEqual([200, 'application/x-pem-file', 'public, max-age=3600']);
    expect(res.text).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(res.text).not.toContain('PRIVATE KEY');
  });
});

describe('GET /authorities/{code}', () => {
  it('names the issuer, its levels and its keys (a subset of the JWKS)', async () => {
    const res = await api.call(null, 'GET', '/authorities/GXZGB');
    expect([res.status, res.mediaType, res.headers.get('Cache-Control')]).toEqual([200, 'application/json', 'public, max-age=300']);
    expect(res.body).toMatchObject({ id: expect.stringContaining('GXZGB'), name: expect.stringContaining('广西'), jwks_uri: 'http://ecert.test/.well-known/jwks.json' });
    expect(res.body.levels).toContain('senior_full');
    const all = new Set((await api.call(null, 'GET', '/.well-known/jwks.json')).body.keys.map((k: { kid: string }) => k.kid));
    for (const key of res.body.keys) expect(all.has(key.kid)).toBe(true);
    expect((await api.call(null, 'GET', '/authorities/NNZGB')).body.levels).not.toContain('senior_full');
  });

  it('404 in words for a code no authority holds; 422 naming path.code for one that is not a code', async () => {
    const none = await api.call(null, 'GET', '/authorities/NOPE99');
    expectProblem(none, 404, 'not_found');
    expect(none.body.message.zh).toContain('NOPE99');
    const bad = await api.call(null, 'GET', '/authorities/gx%20zgb');
    expectProblem(bad, 422, 'validation_failed');
    expect(bad.body.field).toBe('path.code');
  });
});

describe('GET /status/{code}/revocation and /status/{code}/revocation/{list}', () => {
  it('list 1 is a signed BitstringStatusListCredential (vc+jwt), cacheable five minutes', async () => {
    const res = await api.call(null, 'GET', '/status/GXZGB/revocation');
    expect([res.status, res.mediaType, res.headers.get('Cache-Control')]).toEqual([200, 'application/vc+jwt', 'public, max-age=300']);
    expect(decodeProtectedHeader(res.text)).toMatchObject({ alg: 'ES256', typ: 'vc+jwt' });
    const payload = decodeJwt(res.text) as { type?: string[]; credentialSubject?: { type?: string } };
    expect(payload.type).toContain('BitstringStatusListCredential');
  });

  it('a list not opened yet is a 404 that points at list 1; list 0, 1 by number, or a word is a 404 or 422', async () => {
    const two = await api.call(null, 'GET', '/status/GXZGB/revocation/2');
    expectProblem(two, 404, 'not_found');
    expect(two.body.message.en).toContain('/status/GXZGB/revocation');
    expectProblem(await api.call(null, 'GET', '/status/GXZGB/revocation/1'), 404, 'not_found');
    expectProblem(await api.call(null, 'GET', '/status/GXZGB/revocation/0'), 422, 'validation_failed');
    expectProblem(await api.call(null, 'GET', '/status/GXZGB/revocation/two'), 422, 'validation_failed');
    expectProblem(await api.call(null, 'GET', '/status/GXZGB/revocation/99999999'), 422, 'validation_failed');
  });

  it('404 for an unknown authority, 422 for a code that is not one', async () => {
    expectProblem(await api.call(null, 'GET', '/status/NOPE99/revocation'), 404, 'not_found');
    expectProblem(await api.call(null, 'GET', '/status/NOPE99/revocation/2'), 404, 'not_found');
    expectProblem(await api.call(null, 'GET', '/status/x/revocation'), 422, 'validation_failed');
  });

  it('hostile codes are refused in words, never a 500', async () => {
    for (const hostile of [HOSTILE, RARE, CONTROL, '𠮷', 'A'.repeat(10_000), "GXZGB' OR '1'='1"]) {
      for (const path of [`/status/${encodeURIComponent(hostile)}/revocation`, `/authorities/${encodeURIComponent(hostile)}`, `/status/GXZGB/revocation/${encodeURIComponent(hostile)}`]) {
        const res = await api.call(null, 'GET', path);
        expectNoServerError(res);
        expect([404, 422]).toContain(res.status);
        expect(res.mediaType).toBe('application/problem+json');
      }
    }
  });

  it('30 readers at once get the same signed list', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, () => api.call(null, 'GET', '/status/GXZGB/revocation')));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(new Set(answers.map((a) => JSON.stringify(decodeJwt(a.text).credentialSubject))).size).toBe(1);
  });
});

describe('further lists (issue 15), filled by credentials asked for at once', () => {
  it('12 credentials at once on 16-entry lists: each a distinct place, a quarter per list, so lists 2 and 3 open', async () => {
    const small = await openApi({ ECERT_TEST_STATUS_LIST_SIZE: '16' });
    try {
      const issuer = await small.token('GXZGB', 'issuer');
      const issued = await Promise.all(Array.from({ length: 12 }, (_, i) => small.call(issuer, 'POST', '/api/v1/certificates', { json: issueBody({ idNumber: residentId('19800512', i, 'male') }) })));
      expect(tally(issued)).toEqual({ 201: 12 });
      expectProblem(await small.call(null, 'GET', '/status/GXZGB/revocation/2'), 404, 'not_found'); // a place is taken when a credential is made
      const credentials = await Promise.all(issued.map((c) => small.call(issuer, 'GET', `/api/v1/certificates/${c.body.number}/credential`)));
      expect(tally(credentials)).toEqual({ 200: 12 });
      const places = small.context.db.prepare('SELECT status_list AS list, status_index AS place FROM certificates').all() as { list: number; place: number }[];
      expect(new Set(places.map((p) => `${p.list}:${p.place}`)).size).toBe(12);
      expect(tally(places.map((p) => ({ status: p.list })) as never)).toEqual({ 1: 4, 2: 4, 3: 4 });
      for (const list of ['2', '3']) expect((await small.call(null, 'GET', `/status/GXZGB/revocation/${list}`)).mediaType).toBe('application/vc+jwt');
      expectProblem(await small.call(null, 'GET', '/status/GXZGB/revocation/4'), 404, 'not_found');
    } finally {
      await small.stop();
    }
  });
});
