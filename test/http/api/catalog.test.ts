/**
 * http/api/catalog in-process: the title catalog and the documents it follows, public and cacheable; the
 * routes take no input, so only a method they do not offer and a path beside them can be refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoServerError, expectProblem, HOSTILE, openApi, RARE, type InProcessApi } from './support.js';

let api: InProcessApi;
beforeAll(async () => {
  api = await openApi();
}, 60_000);
afterAll(() => api?.stop());

describe('GET /api/v1/catalog/series', () => {
  it('answers every series with its titles, as JSON for an hour of public caches', async () => {
    const res = await api.call(null, 'GET', '/api/v1/catalog/series');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=3600');
    const engineering = (res.body as { code: string; name: string; titles: { name: string; level: string }[] }[]).find((s) => s.code === 'engineering');
    expect(engineering).toMatchObject({ name: '工程技术' });
    expect(engineering!.titles).toEqual(expect.arrayContaining([expect.objectContaining({ name: '高级工程师', level: 'senior_associate' })]));
  });

  it('answers the same bytes to 30 clients at once', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, () => api.call(null, 'GET', '/api/v1/catalog/series')));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(answers.every((a) => a.status === 200)).toBe(true);
  });
});

describe('GET /api/v1/catalog/source', () => {
  it('answers the basis documents as JSON', async () => {
    const res = await api.call(null, 'GET', '/api/v1/catalog/source');
    expect([res.status, res.mediaType]).toEqual([200, 'application/json']);
    expect(Array.isArray(res.body.basis)).toBe(true);
    expect(res.body.basis.length).toBeGreaterThan(0);
  });
});

describe('what the catalog does not offer', () => {
  it('a write is refused as problem+json (415 without JSON, 404 with it: there is no such operation)', async () => {
    expectProblem(await api.call(null, 'POST', '/api/v1/catalog/series', { body: 'x', headers: { 'Content-Type': 'text/plain' } }), 415, 'unsupported_media_type');
    expectProblem(await api.call(null, 'POST', '/api/v1/catalog/series', { json: {} }), 404, 'not_found');
  });

  it('a hostile path beside it is a 404 in words, never a 500', async () => {
    for (const tail of [encodeURIComponent(HOSTILE), encodeURIComponent(RARE), '%00%07', 'x'.repeat(5000)]) {
      const res = await api.call(null, 'GET', `/api/v1/catalog/${tail}`);
      expectNoServerError(res);
      expectProblem(res, 404, 'not_found');
    }
  });
});
