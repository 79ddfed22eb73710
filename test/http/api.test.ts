/**
 * The JSON API answered in-process: createApp + app.request() on an in-memory SQLite, no server, no port.
 * A few answers of http/api/* (catalog, eligibility, bearer refusals, not found, media type) checked fast;
 * the full contract runs over real HTTP in test/e2e/contract.test.ts.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { loadConfig } from '../../src/entry/config.js';
import { openNodeContext, type NodeContext } from '../../src/entry/nodeContext.js';

const ROOT = join(import.meta.dirname, '../..');
let context: NodeContext;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  context = await openNodeContext(loadConfig({ ECERT_DB: ':memory:', ECERT_KEYS: join(ROOT, 'keys.example') }));
  app = createApp(context.deps);
}, 60_000);
afterAll(() => context?.close());

describe('the JSON API in-process (createApp + app.request)', () => {
  it('answers liveness without I/O', async () => {
    const res = await app.request('/livez');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
  });

  it('answers the public catalog (200, JSON)', async () => {
    const res = await app.request('/api/v1/catalog/series');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
  });

  it('serves the OpenAPI document with the API paths', async () => {
    const res = await app.request('/openapi.json');
    expect(res.status).toBe(200);
    const document = (await res.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/v1/reconfirmations/eligibility', '/api/v1/certificates', '/api/v1/verification-records']));
  });

  it('refuses a bad eligibility question as problem+json in both languages (422)', async () => {
    const res = await app.request('/api/v1/reconfirmations/eligibility', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(422);
    expect(res.headers.get('Content-Type')).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as { code: string; detail?: string; zh?: string; en?: string };
    expect(problem.code).toBe('validation_failed');
  });

  it('refuses a body that is not JSON (415) and an unknown API path (404)', async () => {
    const notJson = await app.request('/api/v1/reconfirmations/eligibility', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' });
    expect(notJson.status).toBe(415);
    expect(((await notJson.json()) as { code: string }).code).toBe('unsupported_media_type');
    const missing = await app.request('/api/v1/no-such-thing');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('not_found');
  });

  it('asks for a bearer token on a staff route (401 with WWW-Authenticate), and refuses an unknown one', async () => {
    const none = await app.request('/api/v1/verification-records');
    expect(none.status).toBe(401);
    expect(none.headers.get('WWW-Authenticate')).toBe('Bearer realm="ecert"');
    const unknown = await app.request('/api/v1/verification-records', { headers: { Authorization: `Bearer ect_${'x'.repeat(40)}` } });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('WWW-Authenticate')).toContain('invalid_token');
  });
});
