/**
 * Bad input gets a clear error and nothing is written: each field wrong in turn, wrong types, broken
 * JSON, a 10 MB body, a photo that is not an image, a wrong ID check digit, a future date — every answer a
 * 4xx problem+json naming the field, and the database unchanged.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.js';
import { issueBody } from '../support/fixtures.js';

let server: RunningServer;
let issuer: string;
let db: Database.Database;

beforeAll(async () => {
  server = await startServer();
  issuer = await server.token('GXZGB', 'issuer');
  db = new Database(server.dbPath, { readonly: true });
});
afterAll(async () => {
  db?.close();
  await server?.stop();
});

const count = () => (db.prepare('SELECT (SELECT COUNT(*) FROM certificates) + (SELECT COUNT(*) FROM certificate_pdfs) + (SELECT COUNT(*) FROM idempotency_keys) AS n').get() as { n: number }).n;

type Body = ReturnType<typeof issueBody>;
function edit(change: (b: Body & Record<string, any>) => void): Body {
  const body = structuredClone(issueBody()) as Body & Record<string, any>;
  change(body);
  return body;
}

const cases: [string, string, unknown][] = [
  ['holder.name missing', 'holder.name', edit((b) => delete (b.holder as any).name)],
  ['holder.name empty', 'holder.name', edit((b) => (b.holder.name = ''))],
  ['holder.name a number', 'holder.name', edit((b) => ((b.holder as any).name = 42))],
  ['holder.name control char', 'holder.name', edit((b) => (b.holder.name = '张\u0000三'))],
  ['holder.name too long', 'holder.name', edit((b) => (b.holder.name = '张'.repeat(51)))],
  ['holder.gender unknown', 'holder.gender', edit((b) => ((b.holder as any).gender = 'x'))],
  ['holder.idType unknown', 'holder.idType', edit((b) => (b.holder.idType = 'library_card'))],
  ['holder.idNumber wrong check digit', 'holder.idNumber', edit((b) => (b.holder.idNumber = '450102198005120018'))],
  ['holder.idNumber too short', 'holder.idNumber', edit((b) => (b.holder.idNumber = '4501021980'))],
  ['holder.idNumber a number', 'holder.idNumber', edit((b) => ((b.holder as any).idNumber = 450102198005120019))],
  ['holder.photo not an image', 'holder.photo', edit((b) => (b.holder.photo = `data:image/jpeg;base64,${Buffer.from('这不是图片 not an image at all, just text').toString('base64')}`))],
  ['holder.photo not a data URL', 'holder.photo', edit((b) => (b.holder.photo = 'https://example.com/a.jpg'))],
  ['holder extra field', 'holder.nickname', edit((b) => ((b.holder as any).nickname = '三丰'))],
  ['title.series unknown', 'title.series', edit((b) => (b.title.series = 'alchemy'))],
  ['title.name not in series', 'title.name', edit((b) => (b.title.name = '主任医师'))],
  ['title.specialty missing', 'title.specialty', edit((b) => delete (b.title as any).specialty)],
  ['title an array', 'title', edit((b) => ((b as any).title = []))],
  ['original.acquiredOn future', 'original.acquiredOn', edit((b) => (b.original.acquiredOn = '2099-01-01'))],
  ['original.acquiredOn impossible', 'original.acquiredOn', edit((b) => (b.original.acquiredOn = '2015-02-30'))],
  ['original.acquiredOn wrong format', 'original.acquiredOn', edit((b) => (b.original.acquiredOn = '2015/12/30'))],
  ['original.method unknown', 'original.method', edit((b) => (b.original.method = 'purchase'))],
  ['original.evaluatingBody empty', 'original.evaluatingBody', edit((b) => (b.original.evaluatingBody = ' '))],
  ['decision.number missing', 'decision.number', edit((b) => delete (b.decision as any).number)],
  ['decision.decidedOn future', 'decision.decidedOn', edit((b) => (b.decision.decidedOn = '2099-03-18'))],
  ['decision.decidedOn before acquisition', 'original.acquiredOn', edit((b) => (b.decision.decidedOn = '2014-01-01'))],
  ['decision missing', 'decision', edit((b) => delete (b as any).decision)],
  ['unknown top-level field', 'extra', edit((b) => ((b as any).extra = true))],
];

describe('bad input', () => {
  it.each(cases)('%s → 4xx naming %s, nothing written', async (_label, field, body) => {
    const before = count();
    const res = await fetch(`${server.baseUrl}/api/v1/certificates`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { field: string; code: string; message: { zh: string; en: string }; status: number };
    expect(problem.field).toBe(field);
    expect(problem.status).toBe(res.status);
    expect(problem.message.zh).toMatch(/\p{Script=Han}/u);
    expect(problem.message.en).toMatch(/[a-z]/);
    expect(count()).toBe(before);
  });

  it('broken JSON → 400 invalid_json', async () => {
    const res = await fetch(`${server.baseUrl}/api/v1/certificates`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json' },
      body: '{"holder": {"name": "张三"',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('invalid_json');
  });

  it('a 10 MB body → 413, nothing written', async () => {
    const before = count();
    const res = await fetch(`${server.baseUrl}/api/v1/certificates`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...issueBody(), padding: 'x'.repeat(10 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe('body_too_large');
    expect(count()).toBe(before);
  });

  it('not JSON → 415; no token → 401; wrong role → 403', async () => {
    const form = await fetch(`${server.baseUrl}/api/v1/certificates`, { method: 'POST', headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': 'text/plain' }, body: 'hello' });
    expect(form.status).toBe(415);
    const anonymous = await fetch(`${server.baseUrl}/api/v1/certificates`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(issueBody()) });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
    const handler = await server.token('GXZGB', 'handler');
    const wrongRole = await fetch(`${server.baseUrl}/api/v1/certificates`, { method: 'POST', headers: { Authorization: `Bearer ${handler}`, 'Content-Type': 'application/json' }, body: JSON.stringify(issueBody()) });
    expect(wrongRole.status).toBe(403);
  });

  it('revocation with a bad reason names the field', async () => {
    const res = await fetch(`${server.baseUrl}/api/v1/certificates/26AAAAAAAAA/revocation`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ reason: 'bored' }),
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { field: string }).field).toBe('reason');
  });
});

describe('rules of the notice and plain-word errors', () => {
  const post = (body: unknown, contentType = 'application/json') =>
    fetch(`${server.baseUrl}/api/v1/certificates`, { method: 'POST', headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': contentType }, body: JSON.stringify(body) });

  it('refuses a national-exam title, citing 一(一)', async () => {
    const res = await post(edit((b) => (b.original.method = 'national_exam')));
    const problem = (await res.json()) as { field: string; message: { zh: string } };
    expect(res.status).toBe(422);
    expect(problem.field).toBe('original.method');
    expect(problem.message.zh).toContain('一(一)');
  });

  it('refuses an acquisition before the holder was born', async () => {
    const res = await post(edit((b) => (b.original.acquiredOn = '1979-01-01')));
    expect(res.status).toBe(422);
    expect(((await res.json()) as { field: string }).field).toBe('original.acquiredOn');
  });

  it('says "wrong type" for a wrong type, in Chinese without English type names', async () => {
    const res = await post(edit((b) => ((b.holder as any).name = 42)));
    const problem = (await res.json()) as { message: { zh: string } };
    expect(problem.message.zh).toContain('类型错误，应为文本');
  });

  it('a near-JSON media type is 415, not a validation error', async () => {
    const res = await post(issueBody(), 'application/jsonx');
    expect(res.status).toBe(415);
  });
});
