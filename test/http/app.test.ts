/**
 * http/app in-process (createApp + app.request on an in-memory SQLite): what the app answers itself, beside
 * the resources of http/api/* (each in test/http/api/<resource>.test.ts) — liveness without I/O, the OpenAPI
 * document, and a problem for an API path nobody serves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueBody } from '../support/fixtures.js';
import { expectNoServerError, expectProblem, expectSecurityHeaders, openApi, type InProcessApi } from './api/support.js';

let api: InProcessApi;
beforeAll(async () => {
  api = await openApi();
}, 60_000);
afterAll(() => api?.stop());

describe('the app in-process (createApp + app.request)', () => {
  it('answers liveness without I/O', async () => {
    const res = await api.call(null, 'GET', '/livez');
    expect([res.status, res.text]).toEqual([200, 'ok']);
  });

  it('sets the six security headers itself, as on Workers: on a 200, a 404 page and a bearer refusal built outside the context', async () => {
    const answers = [
      await api.call(null, 'GET', '/livez'),
      await api.call(null, 'GET', '/no-such-page', { headers: { Accept: 'text/html' } }),
      await api.call(null, 'POST', '/api/v1/certificates', { json: {} }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 404, 401]);
    for (const a of answers) expectSecurityHeaders(a.headers);
  });

  it('serves the OpenAPI document with the API paths', async () => {
    const res = await api.call(null, 'GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/v1/reconfirmations/eligibility', '/api/v1/certificates', '/api/v1/verification-records']));
  });

  it('refuses an unknown API path as a problem (404)', async () => {
    expectProblem(await api.call(null, 'GET', '/api/v1/no-such-thing'), 404, 'not_found');
  });

  it('refuses JSON nested past the bound (400 json_too_deep) and a body past the limit, streamed without a length (413)', async () => {
    const deep = await api.call(null, 'POST', '/api/v1/lookup', { body: '['.repeat(200) + ']'.repeat(200), headers: { 'Content-Type': 'application/json' } });
    expectProblem(deep, 400, 'json_too_deep');
    const bytes = new TextEncoder().encode(`{"number":"${'a'.repeat(9 * 1024 * 1024)}"}`);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    });
    const res = await api.app.request('http://ecert.test/api/v1/lookup', { method: 'POST', body: stream, headers: { 'Content-Type': 'application/json' }, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe('body_too_large');
  });

  it('a method an API path does not offer is a problem, never a 500', async () => {
    for (const [method, path] of [['PATCH', '/api/v1/reconfirmations/x'], ['OPTIONS', '/api/v1/lookup'], ['GET', '/api/v1/lookup'], ['DELETE', '/api/v1/catalog/series']] as const) {
      const res = await api.call(null, method, path);
      expectNoServerError(res);
      expect(res.mediaType).toBe('application/problem+json');
    }
  });

  it('the test clock (ECERT_TEST_CLOCK=1, tests only) refuses a time that is not one (422 naming the header)', async () => {
    const res = await api.call(null, 'GET', '/api/v1/calendar/notice-end?start=2026-09-29&days=5', { now: 'garbage' });
    expectProblem(res, 422, 'validation_failed');
    expect(res.body.field).toBe('header.x-ecert-test-now');
  });

  // A year outside what the domain computes (ID-number ages, China dates) once threw a RangeError deep in it (500);
  // the header is now refused as 422 like a time that does not parse. Production never enables the clock.
  it('the test clock refuses a time out of range (year 9999 or 0001) in words, never a 500', async () => {
    const issuer = await api.token('GXZGB', 'issuer');
    for (const now of ['9999-12-31T23:59:59Z', '0001-01-01T00:00:00Z']) {
      const res = await api.call(issuer, 'POST', '/api/v1/certificates', { json: issueBody(), now });
      expectNoServerError(res);
      expectProblem(res, 422, 'validation_failed');
    }
  });
});
