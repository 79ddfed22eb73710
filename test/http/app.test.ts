/**
 * http/app in-process (createApp + app.request on an in-memory SQLite): what the app answers itself, beside
 * the resources of http/api/* (each in test/http/api/<resource>.test.ts) — liveness without I/O, the OpenAPI
 * document, and a problem for an API path nobody serves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, openApi, type InProcessApi } from './api/support.js';

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

  it('serves the OpenAPI document with the API paths', async () => {
    const res = await api.call(null, 'GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/v1/reconfirmations/eligibility', '/api/v1/certificates', '/api/v1/verification-records']));
  });

  it('refuses an unknown API path as a problem (404)', async () => {
    expectProblem(await api.call(null, 'GET', '/api/v1/no-such-thing'), 404, 'not_found');
  });
});
