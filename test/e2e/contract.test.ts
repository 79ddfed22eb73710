/**
 * The API contract on the real server (Node and workerd): the document served at /openapi.json lints clean
 * under Redocly's recommended rules, the bodies in examples/ validate against it, and every documented
 * operation is driven — its successes and its problems (401 without or with a wrong token, 403 for a wrong
 * role, 404, 409, 422, 429, and the app-wide 400/413/415) — with each answer checked against the document by
 * a JSON Schema 2020-12 validator (test/support/contract.ts). An answer the document does not declare (a
 * status, a media type, a field) fails; so does a documented operation that no test exercised.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract, lint, METHODS } from '../support/contract.js';
import { issueBody, phoneRecordBody } from '../support/fixtures.js';
import { ROOT, startServer, type RunningServer } from '../support/server.js';
import { applicationForm, platformAcceptance, PNG_PHOTO, pdfDataUrl, setUpWorkflow, socialInsuranceCheck, type Staff } from '../support/workflow.js';

/** Unproven requests (typed links, wrong proofs, lookups) this file makes before it exhausts the allowance. */
const BURST = 40;

let server: RunningServer;
let staff: Staff;
let issuer: string;
let contract: Contract;

beforeAll(async () => {
  // 16-entry status lists (issue 15): a few credentials open list 2, whose route the contract then exercises.
  server = await startServer({ ECERT_TEST_CLOCK: '1', ECERT_LOOKUP_BURST: String(BURST), ECERT_LOOKUP_REFILL_SECONDS: '3600', ECERT_TEST_STATUS_LIST_SIZE: '16' });
  staff = await setUpWorkflow(server);
  issuer = await server.token('GXZGB', 'issuer');
  contract = await Contract.load(server.baseUrl);
}, 240_000);
afterAll(async () => server?.stop());

const api = (method: string, path: string, options?: Parameters<Contract['call']>[2]) => contract.call(method, path, options);
/** China time on a date of the reconfirmation journey. */
const on = (date: string) => `${date}T10:00:00+08:00`;
const UNKNOWN_TOKEN = 'x'.repeat(43);

/**
 * Warnings of the recommended rules that stay, each for a reason: these operations take no input and need no
 * credential, so no client error is possible and declaring one would be untrue.
 */
const KEPT_WARNINGS = new Set([
  'operation-4xx-response #/paths/~1api~1v1~1catalog~1series/get/responses',
  'operation-4xx-response #/paths/~1api~1v1~1catalog~1source/get/responses',
  'operation-4xx-response #/paths/~1.well-known~1jwks.json/get/responses',
  'operation-4xx-response #/paths/~1.well-known~1ecert-root.pem/get/responses',
  'operation-4xx-response #/paths/~1api~1v1~1calendar~1overrides/get/responses',
  'operation-4xx-response #/paths/~1healthz/get/responses',
  'operation-4xx-response #/paths/~1livez/get/responses',
]);
/**
 * On a developer's machine the document names http://localhost:8787, the default public address its links
 * use too; a deployment sets ECERT_PUBLIC_URL to its real address, and the document follows it.
 */
const KEPT_ON_LOCALHOST = 'no-server-example.com #/servers/0/url';

describe('the served document', () => {
  it('lints with no error under Redocly’s recommended rules, and no warning but the justified ones', async () => {
    const problems = await lint(contract.source);
    const described = problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`);
    expect(problems.filter((p) => p.severity === 'error'), described.join('\n')).toEqual([]);
    const warnings = problems.filter((p) => p.severity === 'warn').map((p) => `${p.ruleId} ${p.location[0]?.pointer ?? ''}`);
    expect(warnings.filter((w) => !KEPT_WARNINGS.has(w)), described.join('\n')).toEqual([]);
  });

  it('names the public address as its server, and lints the same as the default development address', async () => {
    expect(JSON.parse(contract.source).servers).toEqual([expect.objectContaining({ url: server.baseUrl })]);
    const onLocalhost = contract.source.replaceAll(JSON.stringify(server.baseUrl), JSON.stringify('http://localhost:8787'));
    const problems = await lint(onLocalhost);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    const warnings = problems.map((p) => `${p.ruleId} ${p.location[0]?.pointer ?? ''}`).filter((w) => !KEPT_WARNINGS.has(w));
    expect(warnings).toEqual([KEPT_ON_LOCALHOST]);
  });

  it('names every operation, says who may call it, and writes patterns a JSON Schema validator reads as given', () => {
    const ids = contract.operations.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const op of contract.operations) {
      expect(op.definition.operationId, `${op.method} ${op.path}`).toMatch(/^[a-z][A-Za-z]+$/);
      expect(Array.isArray(op.definition.security), `${op.operationId} says whether it needs a token`).toBe(true);
    }
    const patterns = [...contract.source.matchAll(/"pattern":("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]!) as string);
    expect(patterns.length).toBeGreaterThan(10);
    for (const pattern of patterns) {
      expect(pattern, 'a regular expression flag leaked into the pattern').not.toMatch(/(?<!\\)(?:\\\\)*\/[dgimsuvy]+$/);
      expect(() => new RegExp(pattern, 'u')).not.toThrow();
    }
  });

  it('the bodies in examples/ are valid requests under the document', () => {
    const operationOf: Record<string, string> = { 'issue.json': 'issueCertificate' };
    const files = readdirSync(join(ROOT, 'examples'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect(operationOf[file], `examples/${file} belongs to an operation`).toBeDefined();
      const body = JSON.parse(readFileSync(join(ROOT, 'examples', file), 'utf8'));
      expect(contract.validate(contract.requestSchemaPointer(operationOf[file]!), body), file).toEqual([]);
    }
  });

  it('dozens of clients at once get the same document; /docs lists every operation', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, () => fetch(`${server.baseUrl}/openapi.json`)));
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));
    expect(answers.every((r) => r.headers.get('content-type')?.startsWith('application/json'))).toBe(true);
    const texts = await Promise.all(answers.map((r) => r.text()));
    expect(new Set(texts).size).toBe(1);
    expect(texts[0]).toBe(contract.source);
    const docs = await fetch(`${server.baseUrl}/docs`);
    expect(docs.status).toBe(200);
    const html = await docs.text();
    for (const op of contract.operations) expect(html, op.operationId).toContain(op.path);
  });

  it('the harness refuses an answer the document does not declare', async () => {
    // A status the operation does not declare (a 200 checked as if it came from a path with no such status).
    const teapot = new Response('{}', { status: 418, headers: { 'Content-Type': 'application/json' } });
    await expect(contract.check('GET', '/api/v1/catalog/series', teapot)).rejects.toThrow(/status 418 is not declared/);
    const wrongType = new Response('<p>hi</p>', { status: 200, headers: { 'Content-Type': 'text/html' } });
    await expect(contract.check('GET', '/api/v1/catalog/series', wrongType)).rejects.toThrow(/media type "text\/html" is not declared/);
    const extraField = new Response(JSON.stringify({ end: '2026-10-10', provisional: false, dataVersion: 'x', secret: 1 }), { status: 200, headers: { 'Content-Type': 'application/json' } });
    await expect(contract.check('GET', '/api/v1/calendar/notice-end', extraField)).rejects.toThrow(/must NOT have additional properties/);
    await expect(contract.check('GET', '/api/v1/nowhere', new Response(null, { status: 204 }))).rejects.toThrow(/no documented operation/);
    // An operation the document says needs a token must not answer a request without one.
    const open = new Response(JSON.stringify({ items: [], next: null }), { status: 200, headers: { 'Content-Type': 'application/json' } });
    await expect(contract.check('GET', '/api/v1/audit', open)).rejects.toThrow(/answered without a token/);
  });
});

describe('app-wide answers: tokens, bodies, media types', () => {
  it('401 without a token and with an unknown one, 403 for a role the operation does not admit', async () => {
    const none = await api('GET', '/api/v1/audit');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect((await api('GET', '/api/v1/audit', { token: UNKNOWN_TOKEN })).body.code).toBe('unauthorized');
    const wrongRole = await api('GET', '/api/v1/audit', { token: staff.handler.token });
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.body.requiredRoles).toEqual(['auditor']);
  });

  it('400 for a body that is not JSON, 415 for one that is not application/json, 413 past the size limit', async () => {
    expect((await api('POST', '/api/v1/certificates', { token: issuer, raw: '{"holder":', headers: { 'Content-Type': 'application/json' } })).body.code).toBe('invalid_json');
    expect((await api('POST', '/api/v1/lookup', { raw: '{"number":', headers: { 'Content-Type': 'application/json' } })).status).toBe(400);
    expect((await api('POST', '/api/v1/certificates', { token: issuer, raw: 'holder=张三', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
    expect((await api('PUT', '/api/v1/calendar/overrides/2027-02-06', { token: staff.admin.token, raw: 'x', headers: { 'Content-Type': 'text/plain' } })).status).toBe(415);
    const big = await api('POST', '/api/v1/certificates', { token: issuer, raw: JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024 + 10) }), headers: { 'Content-Type': 'application/json' }, ownConnection: true });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('body_too_large');
    const lookup = { 'Content-Type': 'application/json' };
    const tooBig = await api('POST', '/api/v1/lookup', { raw: JSON.stringify({ number: '26K7Q2M9XH4', name: '张'.repeat(2000) }), headers: lookup, ownConnection: true });
    expect([tooBig.status, tooBig.body.maxBytes]).toEqual([413, 4096]);
    const deep = await api('POST', '/api/v1/lookup', { raw: `${'['.repeat(40)}${']'.repeat(40)}`, headers: lookup, ownConnection: true });
    expect([deep.status, deep.body.code]).toEqual([400, 'json_too_deep']);
  });
});

describe('the probes', () => {
  it('readiness and liveness', async () => {
    expect((await api('GET', '/healthz')).body).toMatchObject({ status: 'ok' });
    expect((await api('GET', '/livez')).text).toBe('ok');
  });
});

describe('the catalogue, the calendar and the trust documents (public)', () => {
  it('catalogue and source', async () => {
    expect((await api('GET', '/api/v1/catalog/series')).body.length).toBeGreaterThan(10);
    expect((await api('GET', '/api/v1/catalog/source')).status).toBe(200);
  });

  it('notice end; overrides read by anyone and changed only by the region office’s admin', async () => {
    expect((await api('GET', '/api/v1/calendar/notice-end?start=2026-09-29&days=5')).body.end).toBe('2026-10-10');
    expect((await api('GET', '/api/v1/calendar/notice-end?start=2026-02-30&days=5')).status).toBe(422);
    expect((await api('GET', '/api/v1/calendar/notice-end?start=2026-09-29&days=x')).status).toBe(422);

    const path = '/api/v1/calendar/overrides/2031-05-06';
    expect((await api('PUT', path, { json: { kind: 'holiday', note: '测试' } })).status).toBe(401);
    expect((await api('PUT', path, { token: staff.handler.token, json: { kind: 'holiday', note: '测试' } })).status).toBe(403);
    expect((await api('PUT', path, { token: staff.admin.token, json: { kind: 'feast', note: '测试' } })).status).toBe(422);
    expect((await api('PUT', '/api/v1/calendar/overrides/2031-02-30', { token: staff.admin.token, json: { kind: 'holiday', note: '测试' } })).status).toBe(422);
    expect((await api('PUT', path, { token: staff.admin.token, json: { kind: 'holiday', note: '五一调休测试' } })).status).toBe(204);
    expect((await api('GET', '/api/v1/calendar/overrides')).body.items).toEqual([expect.objectContaining({ date: '2031-05-06', kind: 'holiday' })]);
    expect((await api('DELETE', path)).status).toBe(401);
    expect((await api('DELETE', path, { token: staff.applicant.token })).status).toBe(403);
    expect((await api('DELETE', '/api/v1/calendar/overrides/31-5-6', { token: staff.admin.token })).status).toBe(422);
    expect((await api('DELETE', path, { token: staff.admin.token })).status).toBe(204);
  });

  it('a year’s arrangements: read by anyone, recorded as announced only by the region office’s admin (issue 13 item 8)', async () => {
    expect((await api('GET', '/api/v1/calendar/years/2024')).body).toMatchObject({ year: 2024, announced: true, regional: { observed: true, recordedBy: 'data' } });
    expect((await api('GET', '/api/v1/calendar/years/20x4')).status).toBe(422);
    const path = '/api/v1/calendar/years/2032';
    expect((await api('GET', path)).body).toMatchObject({ year: 2032, announced: false });
    expect((await api('PUT', path, { json: { national: true, regional: true, note: '测试' } })).status).toBe(401);
    expect((await api('PUT', path, { token: staff.handler.token, json: { national: true, regional: true, note: '测试' } })).status).toBe(403);
    expect((await api('PUT', path, { token: staff.admin.token, json: { national: 'yes', regional: true, note: '测试' } })).status).toBe(422);
    expect((await api('PUT', path, { token: staff.admin.token, json: { national: true, regional: true, note: '国务院办公厅及自治区人民政府办公厅2032年放假通知（测试）' } })).status).toBe(204);
    expect((await api('GET', path)).body).toMatchObject({ year: 2032, announced: true });
  });

  it('keys, root, status list and authority document', async () => {
    expect((await api('GET', '/.well-known/jwks.json')).body.keys.length).toBeGreaterThan(0);
    expect((await api('GET', '/.well-known/ecert-root.pem')).text).toContain('BEGIN CERTIFICATE');
    expect((await api('GET', '/status/GXZGB/revocation')).text.split('.')).toHaveLength(3);
    expect((await api('GET', '/status/NOPE99/revocation')).status).toBe(404);
    expect((await api('GET', '/status/x/revocation')).status).toBe(422);
    expect((await api('GET', '/status/GXZGB/message')).text.split('.')).toHaveLength(3);
    expect((await api('GET', '/status/NOPE99/message')).status).toBe(404);
    expect((await api('GET', '/status/x/message')).status).toBe(422);
    const authority = await api('GET', '/authorities/GXZGB');
    expect(authority.body.keys.length).toBeGreaterThan(0);
    expect((await api('GET', '/authorities/NOPE99')).status).toBe(404);
    expect((await api('GET', '/authorities/gx%20zgb')).status).toBe(422);
  });
});

describe('certificates: issue, read, PDF, credential, the QR link, lookups, revocation', () => {
  let number = '';
  let proof = '';
  let revokedNumber = '';

  it('issues (201, then 200 for a retry with the same key) and refuses what it must', async () => {
    // The office's contact (issue 12 A4): every verification answer below carries it and is checked against the schema.
    const contact = await api('PUT', '/api/v1/organisations/GXZGB/contact', { token: staff.admin.token, json: { phone: '0771-5856123转801', address: '南宁市青秀区民族大道 1 号' } });
    expect(contact.body).toEqual({ code: 'GXZGB', contact: { phone: '0771-5856123转801', address: '南宁市青秀区民族大道 1 号' } });
    const created = await api('POST', '/api/v1/certificates', { token: issuer, json: issueBody(), headers: { 'Idempotency-Key': 'contract-1' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/v1/certificates/${created.body.number}`);
    number = created.body.number;
    proof = new URL(created.body.verifyUrl).searchParams.get('s')!;
    const retry = await api('POST', '/api/v1/certificates', { token: issuer, json: issueBody(), headers: { 'Idempotency-Key': 'contract-1' } });
    expect([retry.status, retry.body.number]).toEqual([200, number]);
    const replay = await api('POST', '/api/v1/certificates', { token: issuer, json: issueBody({ name: '李四' }), headers: { 'Idempotency-Key': 'contract-1' } });
    expect([replay.status, replay.body.code]).toEqual([422, 'idempotency_conflict']);

    expect((await api('POST', '/api/v1/certificates', { json: issueBody() })).status).toBe(401);
    expect((await api('POST', '/api/v1/certificates', { token: UNKNOWN_TOKEN, json: issueBody() })).status).toBe(401);
    expect((await api('POST', '/api/v1/certificates', { token: staff.handler.token, json: issueBody() })).status).toBe(403);
    const hostile = { ...issueBody(), holder: { ...issueBody().holder, name: '张\u202e三', gender: 'x' } };
    expect((await api('POST', '/api/v1/certificates', { token: issuer, json: hostile })).body.code).toBe('validation_failed');
    expect((await api('POST', '/api/v1/certificates', { token: issuer, json: { ...issueBody(), extra: 1 } })).status).toBe(422);
    const cityIssuer = await server.token('NNZGB', 'issuer');
    const notAllowed = await api('POST', '/api/v1/certificates', { token: cityIssuer, json: issueBody() });
    expect(notAllowed.status).toBe(403);

    const second = await api('POST', '/api/v1/certificates', { token: issuer, json: issueBody({ name: '王芳', gender: 'female', idNumber: '450103198605050022' }) });
    expect(second.status).toBe(201);
    revokedNumber = second.body.number;
  });

  it('reads the record, the PDF and the credential — with the token or the link proof', async () => {
    const record = await api('GET', `/api/v1/certificates/${number}`, { token: issuer });
    expect(record.body).toMatchObject({ number, status: 'valid', hasPhoto: true });
    expect((await api('GET', '/api/v1/certificates/26K7Q2M9XH4', { token: issuer })).status).toBe(404);
    expect((await api('GET', `/api/v1/certificates/${'9'.repeat(41)}`, { token: issuer })).status).toBe(422);
    expect((await api('GET', `/api/v1/certificates/${number}`)).status).toBe(401);
    expect((await api('GET', `/api/v1/certificates/${number}`, { token: staff.handler.token })).status).toBe(403);

    expect((await api('GET', `/api/v1/certificates/${number}/pdf?s=${proof}`)).mediaType).toBe('application/pdf');
    expect((await api('GET', `/api/v1/certificates/${number}/pdf`, { token: issuer })).status).toBe(200);
    expect((await api('GET', `/api/v1/certificates/${number}/pdf`)).status).toBe(401);
    expect((await api('GET', `/api/v1/certificates/${number}/pdf?s=${'0'.repeat(32)}`)).status).toBe(404);
    expect((await api('GET', `/api/v1/certificates/${number}/pdf?s=${'0'.repeat(65)}`)).status).toBe(422);

    expect((await api('GET', `/api/v1/certificates/${number}/credential?s=${proof}`)).text.split('.')).toHaveLength(3);
    expect((await api('GET', `/api/v1/certificates/${number}/credential`, { token: issuer })).status).toBe(200);
    expect((await api('GET', `/api/v1/certificates/${number}/credential`)).status).toBe(401);
    expect((await api('GET', `/api/v1/certificates/${number}/credential?s=${'0'.repeat(32)}`)).status).toBe(404);
  });

  it('the QR link: a verdict with the proof, none without, one sentence for a wrong one; photo and token behind the proof', async () => {
    const json = { Accept: 'application/json' };
    expect((await api('GET', `/v/${number}?s=${proof}`, { headers: json })).body).toMatchObject({ status: 'valid', certificate: { number } });
    expect((await api('GET', `/v/${number}`, { headers: json })).body.status).toBe('proof_required');
    expect((await api('GET', `/v/${number}?s=${'0'.repeat(32)}`, { headers: json })).body).toMatchObject({ status: 'invalid', checks: [] });
    const mistyped = number.slice(0, 10) + (number[10] === 'A' ? 'B' : 'A');
    expect((await api('GET', `/v/${mistyped}`, { headers: json })).body.status).toBe('number_invalid');
    const page = await api('GET', `/v/${number}?s=${proof}`, { headers: { Accept: 'text/html' } });
    expect([page.status, page.mediaType]).toEqual([200, 'text/html']);
    expect((await api('GET', `/v/${mistyped}`, { headers: { Accept: 'text/html' } })).status).toBe(422);

    expect((await api('GET', `/v/${number}/photo?s=${proof}`)).mediaType).toBe('image/jpeg');
    expect((await api('GET', `/v/${number}/photo?s=${'0'.repeat(32)}`)).status).toBe(404);
    expect((await api('GET', `/v/${number}/photo`)).status).toBe(422);
    expect((await api('GET', `/v/${number}/token?s=${proof}`)).text.split('.')).toHaveLength(3);
    expect((await api('GET', `/v/${number}/token?s=${'0'.repeat(32)}`)).status).toBe(404);
    expect((await api('GET', `/v/${number}/token`)).status).toBe(422);
  });

  it('issue 19: /v/{identifier} like the number, a mistyped identifier 422; the 电子证照 metadata and its CSV export', async () => {
    const json = { Accept: 'application/json' };
    const { identifier } = (await api('GET', `/api/v1/certificates/${number}`, { token: issuer })).body;
    expect((await api('GET', `/v/${identifier}?s=${proof}`, { headers: json })).body).toMatchObject({ status: 'valid', certificate: { number, identifier } });
    const mistyped = await api('GET', `/v/${identifier.slice(0, -1)}${identifier.endsWith('0') ? '1' : '0'}`, { headers: json });
    expect([mistyped.status, mistyped.body.code, mistyped.body.field]).toEqual([422, 'validation_failed', 'identifier']);

    const metadata = await api('GET', `/api/v1/certificates/${number}/metadata`, { token: issuer });
    expect(metadata.body).toMatchObject({ identifier, certificateNumber: number, version: '001', status: { code: 'valid' } });
    expect((await api('GET', `/api/v1/certificates/${number}/metadata`)).status).toBe(401);
    expect((await api('GET', `/api/v1/certificates/${number}/metadata`, { token: staff.handler.token })).status).toBe(403);
    expect((await api('GET', '/api/v1/certificates/26K7Q2M9XH4/metadata', { token: issuer })).status).toBe(404);
    expect((await api('GET', `/api/v1/certificates/${'9'.repeat(41)}/metadata`, { token: issuer })).status).toBe(422);

    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    expect((await api('GET', `/api/v1/certificates/metadata.csv?from=2026-01-01&to=${today}`, { token: issuer })).mediaType).toBe('text/csv');
    expect((await api('GET', '/api/v1/certificates/metadata.csv?from=2026-01-01&to=2026-01-31')).status).toBe(401);
    expect((await api('GET', '/api/v1/certificates/metadata.csv?from=2026-01-01&to=2026-01-31', { token: staff.handler.token })).status).toBe(403);
    expect((await api('GET', '/api/v1/certificates/metadata.csv?from=2026-02-30&to=2026-03-31', { token: issuer })).status).toBe(422);
  });

  it('a lookup by number and name', async () => {
    expect((await api('POST', '/api/v1/lookup', { json: { number, name: '张三丰' } })).body.status).toBe('valid');
    expect((await api('POST', '/api/v1/lookup', { json: { number, name: '李四' } })).body.status).toBe('not_found');
    expect((await api('POST', '/api/v1/lookup', { json: { number: number.slice(0, 10) + (number[10] === 'A' ? 'B' : 'A'), name: '张三丰' } })).body.status).toBe('number_invalid');
    expect((await api('POST', '/api/v1/lookup', { json: { number } })).body.code).toBe('validation_failed');
  });

  it('revokes (200), then 409; 404 for a number it does not know; 403 for a role that may not', async () => {
    const path = `/api/v1/certificates/${revokedNumber}/revocation`;
    expect((await api('POST', path, { token: staff.handler.token, json: { reason: 'issued_in_error' } })).status).toBe(403);
    expect((await api('POST', path, { token: issuer, json: { reason: 'lost' } })).status).toBe(422);
    const revoked = await api('POST', path, { token: issuer, json: { reason: 'issued_in_error', note: '信息录入错误' } });
    expect(revoked.body).toMatchObject({ number: revokedNumber, status: 'revoked', revocation: { reason: 'issued_in_error' } });
    expect((await api('POST', path, { token: issuer, json: { reason: 'other' } })).status).toBe(409);
    expect((await api('POST', '/api/v1/certificates/26K7Q2M9XH4/revocation', { token: issuer, json: { reason: 'other' } })).status).toBe(404);
    expect((await api('POST', path, { json: { reason: 'other' } })).status).toBe(401);
    const lookup = await api('POST', '/api/v1/lookup', { json: { number: revokedNumber, name: '王芳' } });
    expect(lookup.body).toMatchObject({ status: 'revoked', certificate: { revocation: { reason: 'issued_in_error' } } });
  });

  it('corrects (201, the next version), then 409 for the superseded one; 422 without a reason; 404, 403, 401', async () => {
    const created = await api('POST', '/api/v1/certificates', { token: issuer, json: issueBody({ idNumber: '110101199003074514' }) });
    const path = `/api/v1/certificates/${created.body.number}/corrections`;
    const body = { title: { series: 'engineering', name: '高级工程师', specialty: '电力系统' }, reason: '专业名称录入错误' };
    expect((await api('POST', path, { token: issuer, json: { title: body.title } })).status).toBe(422);
    expect((await api('POST', path, { token: staff.handler.token, json: body })).status).toBe(403);
    expect((await api('POST', path, { json: body })).status).toBe(401);
    expect((await api('POST', '/api/v1/certificates/26K7Q2M9XH4/corrections', { token: issuer, json: body })).status).toBe(404);
    const corrected = await api('POST', path, { token: issuer, json: body });
    expect(corrected.status).toBe(201);
    expect(corrected.body).toMatchObject({ predecessor: created.body.number });
    expect((await api('POST', path, { token: issuer, json: body })).status).toBe(409);
    const record = await api('GET', `/api/v1/certificates/${created.body.number}`, { token: issuer });
    expect(record.body).toMatchObject({ status: 'superseded', supersession: { successor: corrected.body.number } });
    // A retry with its Idempotency-Key gets the version it made (200); the key with another body is 422.
    const again = await api('POST', '/api/v1/certificates', { token: issuer, json: issueBody({ idNumber: '110101199003074514' }) });
    const retried = `/api/v1/certificates/${again.body.number}/corrections`;
    const keyed = { 'Idempotency-Key': `contract-${again.body.number}` };
    expect((await api('POST', retried, { token: issuer, json: body, headers: keyed })).status).toBe(201);
    expect((await api('POST', retried, { token: issuer, json: body, headers: keyed })).status).toBe(200);
    expect((await api('POST', retried, { token: issuer, json: { ...body, reason: '另一理由' }, headers: keyed })).status).toBe(422);
    // The correction is the authority's statement on the old version; only the authority reads it.
    const said = await api('GET', `/api/v1/certificates/${created.body.number}/statements`, { token: issuer });
    expect(said.body).toMatchObject({ intact: true, statements: [{ step: 'correct', org: { code: 'GXZGB' } }] });
    expect((await api('GET', `/api/v1/certificates/${created.body.number}/statements`)).status).toBe(401);
    expect((await api('GET', `/api/v1/certificates/${created.body.number}/statements`, { token: staff.handler.token })).status).toBe(403);
    expect((await api('GET', '/api/v1/certificates/26K7Q2M9XH4/statements', { token: issuer })).status).toBe(404);
  });

  it('cancels (200, 已注销), then 409; 422 for a reason not on the list; 404, 403, 401', async () => {
    const created = await api('POST', '/api/v1/certificates', { token: issuer, json: issueBody({ idNumber: '110101199003074514' }) });
    const path = `/api/v1/certificates/${created.body.number}/cancellation`;
    expect((await api('POST', path, { token: issuer, json: { reason: 'bored' } })).status).toBe(422);
    expect((await api('POST', path, { token: staff.handler.token, json: { reason: 'death' } })).status).toBe(403);
    expect((await api('POST', path, { json: { reason: 'death' } })).status).toBe(401);
    expect((await api('POST', '/api/v1/certificates/26K7Q2M9XH4/cancellation', { token: issuer, json: { reason: 'death' } })).status).toBe(404);
    const cancelled = await api('POST', path, { token: issuer, json: { reason: 'duplicate', note: '重复发证' } });
    expect(cancelled.body).toMatchObject({ number: created.body.number, state: { code: 'cancelled', reason: { code: 'duplicate' } } });
    expect((await api('POST', path, { token: issuer, json: { reason: 'death' } })).status).toBe(409);
  });

  it('bans are read by staff only', async () => {
    expect((await api('GET', '/api/v1/bans/450102198005120019', { token: issuer })).body.banned).toBe(false);
    expect((await api('GET', '/api/v1/bans/450102198005120019')).status).toBe(401);
    expect((await api('GET', '/api/v1/bans/450102198005120019', { token: staff.applicant.token })).status).toBe(403);
    expect((await api('GET', '/api/v1/bans/ab', { token: issuer })).status).toBe(422);
    expect((await api('GET', '/api/v1/bans', { token: issuer })).body).toMatchObject({ bars: { zh: '申报晋升职称' } });
    expect((await api('GET', '/api/v1/bans?format=csv', { token: staff.auditor.token })).mediaType).toBe('text/csv');
    expect((await api('GET', '/api/v1/bans?inForce=maybe', { token: issuer })).status).toBe(422);
  });
});

describe('the 核实 log', () => {
  let phoneId = '';
  let systemId = '';

  it('records (201, 200 for a retry), names what is missing, refuses a second correction', async () => {
    const token = staff.handler.token;
    expect((await api('GET', '/api/v1/verification-log/head', { token })).status).toBe(404); // nothing recorded, nothing signed yet
    const first = await api('POST', '/api/v1/verification-records', { token, json: phoneRecordBody(), headers: { 'Idempotency-Key': 'record-1' } });
    expect(first.status).toBe(201);
    phoneId = first.body.id;
    expect((await api('POST', '/api/v1/verification-records', { token, json: phoneRecordBody(), headers: { 'Idempotency-Key': 'record-1' } })).status).toBe(200);
    const system = await api('POST', '/api/v1/verification-records', {
      token,
      json: { ...phoneRecordBody(), method: 'information_system', phone: undefined, informationSystem: { name: '湖南省职称信息系统', url: 'https://rst.hunan.gov.cn/zcgl/cx', evidence: PNG_PHOTO } },
    });
    expect(system.status).toBe(201);
    systemId = system.body.id;
    const missing = await api('POST', '/api/v1/verification-records', { token, json: { ...phoneRecordBody(), phone: { organisation: '湖南省人力资源和社会保障厅' } } });
    expect([missing.status, missing.body.missing]).toEqual([422, ['phone.position', 'phone.name', 'phone.number', 'phone.calledAt']]);
    const correction = { supersedes: { id: phoneId, reason: '通话时间记错' } };
    expect((await api('POST', '/api/v1/verification-records', { token, json: phoneRecordBody(correction) })).status).toBe(201);
    expect((await api('POST', '/api/v1/verification-records', { token, json: phoneRecordBody(correction) })).status).toBe(409);
    expect((await api('POST', '/api/v1/verification-records', { token, json: phoneRecordBody({ applicationId: 'RC20260101-NOPE' }) })).status).toBe(404);
    expect((await api('POST', '/api/v1/verification-records', { token, json: phoneRecordBody({ supersedes: { id: 'vr_nope', reason: '更正' } }) })).status).toBe(422);
    expect((await api('POST', '/api/v1/verification-records', { json: phoneRecordBody() })).status).toBe(401);
    expect((await api('POST', '/api/v1/verification-records', { token: staff.auditor.token, json: phoneRecordBody() })).status).toBe(403);
  });

  it('reads records as JSON, CSV, PDF and evidence', async () => {
    const token = staff.handler.token;
    const list = await api('GET', '/api/v1/verification-records?result=genuine&pageSize=2', { token });
    expect(list.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect((await api('GET', '/api/v1/verification-records?format=csv', { token })).mediaType).toBe('text/csv');
    expect((await api('GET', '/api/v1/verification-records?page=0', { token })).status).toBe(422);
    expect((await api('GET', '/api/v1/verification-records')).status).toBe(401);
    expect((await api('GET', '/api/v1/verification-records', { token: staff.applicant.token })).status).toBe(403);

    expect((await api('GET', `/api/v1/verification-records/${phoneId}`, { token })).body.supersededBy).toMatch(/^vr_/);
    expect((await api('GET', '/api/v1/verification-records/vr_nope', { token })).status).toBe(404);
    expect((await api('GET', `/api/v1/verification-records/${phoneId}/pdf`, { token })).mediaType).toBe('application/pdf');
    expect((await api('GET', '/api/v1/verification-records/vr_nope/pdf', { token })).status).toBe(404);
    expect((await api('GET', `/api/v1/verification-records/${systemId}/evidence`, { token })).mediaType).toBe('image/png');
    expect((await api('GET', `/api/v1/verification-records/${phoneId}/evidence`, { token })).status).toBe(404);
    expect((await api('GET', `/api/v1/verification-records/${systemId}/evidence`, { token: staff.admin.token })).status).toBe(403);
  });

  it('the newest signed heads, to keep elsewhere', async () => {
    const head = await api('GET', '/api/v1/verification-log/head', { token: staff.handler.token });
    expect(head.body).toMatchObject({ log: 'verification', seq: 1 });
    expect(head.body.jws.split('.')).toHaveLength(3);
    expect((await api('GET', '/api/v1/verification-log/head?log=audit', { token: staff.auditor.token })).body.log).toBe('audit');
    expect((await api('GET', '/api/v1/verification-log/head?log=audit', { token: staff.handler.token })).status).toBe(403);
    expect((await api('GET', '/api/v1/verification-log/head', { token: staff.applicant.token })).status).toBe(403);
    expect((await api('GET', '/api/v1/verification-log/head')).status).toBe(401);
    expect((await api('GET', '/api/v1/verification-log/head?log=nope', { token: staff.auditor.token })).status).toBe(422);
  });
});

describe('administration and the audit trail', () => {
  it('organisations, people and their tokens', async () => {
    const admin = staff.admin.token;
    expect((await api('GET', '/api/v1/organisations', { token: staff.handler.token })).body.items.length).toBeGreaterThan(5);
    expect((await api('GET', '/api/v1/organisations')).status).toBe(401);
    const saved = await api('POST', '/api/v1/organisations', { token: admin, json: { code: 'NNGA01', name: '南宁某设计院', kind: 'unit', parentCode: 'NNJTJ' } });
    expect(saved.body).toMatchObject({ code: 'NNGA01', parentCode: 'NNJTJ' });
    expect((await api('POST', '/api/v1/organisations', { token: admin, json: { code: 'NNZGB', name: '南宁市职称改革工作领导小组办公室', kind: 'city_title_office', parentCode: 'NNGA01' } })).status).toBe(409);
    expect((await api('POST', '/api/v1/organisations', { token: admin, json: { code: 'nn', name: '', kind: 'unit', parentCode: 'NNJTJ' } })).status).toBe(422);
    expect((await api('POST', '/api/v1/organisations', { token: staff.handler.token, json: { code: 'NNGA02', name: '南宁某院', kind: 'unit', parentCode: 'NNJTJ' } })).status).toBe(403);
    const withContact = await api('POST', '/api/v1/organisations', { token: admin, json: { code: 'NNGA01', name: '南宁某设计院', kind: 'unit', parentCode: 'NNJTJ', contactPhone: '0771-1234567', contactAddress: null } });
    expect(withContact.body).toMatchObject({ code: 'NNGA01', contact: { phone: '0771-1234567' } });
    expect((await api('PUT', '/api/v1/organisations/NNGA01/contact', { token: admin, json: { phone: '' } })).body).toEqual({ code: 'NNGA01', contact: {} });
    expect((await api('PUT', '/api/v1/organisations/NNGA01/contact', { token: admin, json: { phone: '<b>1</b>' } })).status).toBe(422);
    expect((await api('PUT', '/api/v1/organisations/gx/contact', { token: admin, json: {} })).status).toBe(422);
    expect((await api('PUT', '/api/v1/organisations/GXZGB/contact', { token: staff.handler.token, json: {} })).status).toBe(403);
    expect((await api('PUT', '/api/v1/organisations/GXZGB/contact', { json: {} })).status).toBe(401);

    const person = await api('POST', '/api/v1/people', { token: admin, json: { orgCode: 'NNGA01', role: 'unit_hr', name: '陈静' } });
    expect(person.status).toBe(201);
    expect((await api('POST', '/api/v1/people', { token: admin, json: { orgCode: 'NNGA01', role: 'king', name: '陈静' } })).status).toBe(422);
    expect((await api('POST', '/api/v1/people', { token: staff.auditor.token, json: { orgCode: 'NNGA01', role: 'unit_hr', name: '陈静' } })).status).toBe(403);
    const revoked = await api('POST', `/api/v1/people/${person.body.person.id}/revocation`, { token: admin, json: {} });
    expect(revoked.body.revoked).toBe(1);
    expect((await api('POST', '/api/v1/people/p_nope/revocation', { token: admin, json: {} })).status).toBe(404);
    expect((await api('POST', `/api/v1/people/${person.body.person.id}/revocation`, { json: {} })).status).toBe(401);
  });

  it('electronic seals (issue 16): the USCC, then create, list, rotate and revoke', async () => {
    const admin = staff.admin.token;
    expect((await api('PUT', '/api/v1/organisations/NNGA01/uscc', { token: admin, json: { uscc: '91350100M000100Y44' } })).status).toBe(422); // wrong check character
    expect((await api('PUT', '/api/v1/organisations/NNGA01/uscc', { token: admin, json: { uscc: '91350100M000100Y43' } })).body).toMatchObject({ code: 'NNGA01', uscc: '91350100M000100Y43' });
    expect((await api('POST', '/api/v1/organisations/NNGA01/seals', { token: staff.handler.token, json: {} })).status).toBe(403);
    const created = await api('POST', '/api/v1/organisations/NNGA01/seals', { token: admin, json: {} });
    expect([created.status, created.body.status]).toEqual([201, 'active']);
    expect((await api('POST', '/api/v1/organisations/NNGA01/seals', { token: admin, json: {} })).status).toBe(409);
    expect((await api('GET', '/api/v1/organisations/NNGA01/seals', { token: admin })).body.items).toHaveLength(1);
    expect((await api('GET', '/api/v1/organisations/NNGA01/seals', { token: staff.handler.token })).status).toBe(403);
    const rotated = await api('POST', '/api/v1/organisations/NNGA01/seals/rotation', { token: admin, json: {} });
    expect([rotated.status, rotated.body.seal.status, rotated.body.retired]).toEqual([201, 'active', created.body.id]);
    expect((await api('POST', '/api/v1/organisations/NNGA01/seals/rotation', { token: staff.handler.token, json: {} })).status).toBe(403);
    const revoked = await api('POST', `/api/v1/organisations/NNGA01/seals/${rotated.body.seal.id}/revocation`, { token: admin, json: { reason: '印章停用' } });
    expect(revoked.body.status).toBe('revoked');
    expect((await api('POST', `/api/v1/organisations/NNGA01/seals/${rotated.body.seal.id}/revocation`, { token: admin, json: { reason: '印章停用' } })).status).toBe(409);
    expect((await api('POST', '/api/v1/organisations/NNGA01/seals/rotation', { token: admin, json: {} })).status).toBe(409); // none active to rotate
  });

  it('the audit trail', async () => {
    const trail = await api('GET', '/api/v1/audit?limit=5', { token: staff.auditor.token });
    expect(trail.body.items.length).toBe(5);
    expect((await api('GET', '/api/v1/audit?limit=0', { token: staff.auditor.token })).status).toBe(422);
  });
});

describe('reconfirmation: eligibility and every step of the workflow', () => {
  const base = '/api/v1/reconfirmations';
  let id = '';
  let materialId = '';

  it('eligibility is public', async () => {
    const { employerChoice: _e, ...eligibility } = applicationForm().eligibility;
    expect((await api('POST', `${base}/eligibility`, { json: { ...eligibility, asOf: '2026-11-28' } })).body.decision).toBe('eligible');
    expect((await api('POST', `${base}/eligibility`, { json: { ...eligibility, asOf: '2026-02-30' } })).status).toBe(422);
  });

  it('apply, edit, upload, submit', async () => {
    const token = staff.applicant.token;
    const created = await api('POST', base, { token, json: applicationForm(), headers: { 'Idempotency-Key': 'case-1' }, now: on('2026-09-25') });
    expect(created.status).toBe(201);
    id = created.body.id;
    expect((await api('POST', base, { token, json: applicationForm(), headers: { 'Idempotency-Key': 'case-1' }, now: on('2026-09-25') })).status).toBe(200);
    expect((await api('POST', base, { token: staff.handler.token, json: applicationForm() })).status).toBe(403);
    expect((await api('POST', base, { json: applicationForm() })).status).toBe(401);
    const misplaced = await server.cli(['token', 'create', '--org', 'NNJTJ', '--role', 'applicant']);
    expect((await api('POST', base, { token: misplaced.stdout.trim(), json: applicationForm(), now: on('2026-09-25') })).status).toBe(409); // not at an employer
    const exam = applicationForm();
    exam.eligibility.obtained.method = 'national_exam';
    expect((await api('POST', base, { token, json: exam, now: on('2026-09-25') })).body.code).toBe('not_eligible');

    expect((await api('PUT', `${base}/${id}`, { token, json: { ...applicationForm(), specialty: '电气工程及其自动化' }, now: on('2026-09-25') })).body.form.specialty).toBe('电气工程及其自动化');
    expect((await api('GET', `${base}?limit=10`, { token })).body.total).toBe(1);
    expect((await api('GET', `${base}?limit=0`, { token })).status).toBe(422);
    expect((await api('GET', `${base}/${id}`, { token })).body.id).toBe(id);
    expect((await api('GET', `${base}/RC-NOPE`, { token })).status).toBe(404);

    expect((await api('POST', `${base}/${id}/submit`, { token, json: { integrityPledge: true }, now: on('2026-09-25') })).body.code).toBe('materials_missing');
    const upload = (item: string, filename: string, content: string) => api('POST', `${base}/${id}/materials`, { token, json: { item, filename, content }, now: on('2026-09-25') });
    expect((await upload('photo', '照片.png', 'data:image/png;base64,AAAA')).status).toBe(422);
    await upload('original_title_proof', '原职称证书.pdf', pdfDataUrl('certificate'));
    await upload('employment_proof', '劳动合同.pdf', pdfDataUrl('contract'));
    const withPhoto = await upload('photo', '照片.png', PNG_PHOTO);
    materialId = withPhoto.body.materials[0].id;
    expect((await api('POST', `${base}/${id}/submit`, { token, json: { integrityPledge: 'yes' }, now: on('2026-09-25') })).status).toBe(422);
    expect((await api('POST', `${base}/${id}/submit`, { token, json: { integrityPledge: true }, now: on('2026-09-25') })).body.status).toBe('submitted');
    expect((await api('PUT', `${base}/${id}`, { token, json: applicationForm(), now: on('2026-09-25') })).status).toBe(409);
    expect((await api('GET', `${base}/${id}/materials/${materialId}`, { token })).mediaType).toBe('application/pdf');
    expect((await api('GET', `${base}/${id}/materials/m_nope`, { token })).status).toBe(404);
  });

  it('the unit receives, publishes, hears an objection, endorses and forwards', async () => {
    const token = staff.unitHr.token;
    const step = (path: string, json: unknown, date: string) => api('POST', `${base}/${id}/${path}`, { token, json, now: on(date) });
    expect((await api('POST', `${base}/${id}/receive`, { token: staff.applicant.token, json: {} })).status).toBe(403);
    expect((await step('receive', {}, '2026-09-28')).body.status).toBe('unit_review');
    expect((await step('receive', {}, '2026-09-28')).status).toBe(409);
    for (const start of ['2026-13-01', '2026-02-30', '2200-01-01']) expect((await step('start-notice', { start }, '2026-09-28')).body.field, start).toBe('start');
    expect((await step('start-notice', { start: '2026-09-29' }, '2026-09-28')).body.notice.end).toBe('2026-10-10');
    expect((await api('POST', `${base}/${id}/objections`, { json: { text: '匿名' } })).status).toBe(401);
    const objection = await step('objections', { receivedOn: '2026-09-30', text: '有同事反映其原单位职务与申报不符。' }, '2026-09-30');
    const resolution = { objectionId: objection.body.objections[0].id, text: '经核查档案，原单位职务属实，异议不成立。', upheld: false };
    expect((await step('objection-resolutions', resolution, '2026-10-09')).status).toBe(200);
    expect((await step('objection-resolutions', resolution, '2026-10-09')).body.code).toBe('conflict');
    expect((await step('endorse', { authenticityPledge: true, originalsChecked: true, opinion: '同意上报。' }, '2026-10-10')).status).toBe(409);
    expect((await step('endorse', { authenticityPledge: true, originalsChecked: true, opinion: '经考核，材料真实，公示无异议，同意上报。' }, '2026-10-12')).body.status).toBe('unit_endorsed');
    expect((await step('forward', { opinion: '请主管部门审核。' }, '2026-10-12')).body.status).toBe('department_review');
  });

  it('the department, the city title office and the region title office take it to a certificate', async () => {
    const department = staff.departmentReviewer.token;
    expect((await api('POST', `${base}/${id}/forward`, { token: department, json: { opinion: '同意。' }, now: on('2026-10-13') })).status).toBe(409);
    await api('POST', `${base}/${id}/materials`, { token: department, json: { item: 'request_document', filename: '请示.pdf', content: pdfDataUrl('request') }, now: on('2026-10-13') });
    const record = await api('POST', '/api/v1/verification-records', { token: staff.handler.token, json: phoneRecordBody({ applicationId: id }, '2026-10-13T10:30:00+08:00') });
    expect(record.status).toBe(201);
    expect((await api('POST', `${base}/${id}/forward`, { token: department, json: { opinion: '同意报送。', socialInsuranceCheck: socialInsuranceCheck('2026-10-13') }, now: on('2026-10-13') })).body.status).toBe('forwarding');
    expect((await api('POST', `${base}/${id}/forward`, { token: staff.cityStaff.token, json: { opinion: '同意报自治区职改办确认。', platformAcceptance: platformAcceptance('2026-10-14') }, now: on('2026-10-14') })).body.status).toBe('authority_review');
    const approver = staff.approver.token;
    expect((await api('POST', `${base}/${id}/approve`, { token: staff.unitHr.token, json: { decisionNumber: '桂职办〔2026〕88号', opinion: '同意。' } })).status).toBe(403);
    expect((await api('POST', `${base}/${id}/approve`, { token: approver, json: { decisionNumber: '桂职办〔2026〕88号', decidedOn: '2026-10-20', opinion: '同意。' }, now: on('2026-10-20') })).body.status).toBe('approved');
    expect((await api('POST', `${base}/${id}/issue`, { token: approver, json: {}, now: on('2026-10-20') })).body.certificateNumber).toMatch(/^[0-9A-Z]{11}$/);
    expect((await api('POST', `${base}/${id}/issue`, { token: approver, json: {}, now: on('2026-10-20') })).status).toBe(409);
    expect((await api('POST', `${base}/${id}/issue`, { token: approver, json: { now: true } })).status).toBe(422);
    expect((await api('GET', `${base}/${id}/form.pdf`, { token: approver })).mediaType).toBe('application/pdf');
    expect((await api('GET', `${base}/RC-NOPE/form.pdf`, { token: approver })).status).toBe(404);
    const statements = await api('GET', `${base}/${id}/statements`, { token: approver });
    expect(statements.status).toBe(200);
    expect(statements.body.statements.map((s: { step: string }) => s.step)).toContain('approve');
    expect((await api('GET', `${base}/RC-NOPE/statements`, { token: approver })).status).toBe(404);
  });

  it('another case is returned and withdrawn; a third is rejected', async () => {
    const applicant = staff.applicant.token;
    const unit = staff.unitHr.token;
    const prepared = async (idNumber: string, date: string) => {
      const created = await api('POST', base, { token: applicant, json: applicationForm({ idNumber, name: '李四' }), now: on(date) });
      expect(created.status).toBe(201);
      const caseId = created.body.id as string;
      for (const [item, filename, content] of [['original_title_proof', 'a.pdf', pdfDataUrl('a')], ['employment_proof', 'b.pdf', pdfDataUrl('b')], ['photo', 'p.png', PNG_PHOTO]] as const) {
        await api('POST', `${base}/${caseId}/materials`, { token: applicant, json: { item, filename, content }, now: on(date) });
      }
      await api('POST', `${base}/${caseId}/submit`, { token: applicant, json: { integrityPledge: true }, now: on(date) });
      await api('POST', `${base}/${caseId}/receive`, { token: unit, json: {}, now: on(date) });
      return caseId;
    };
    const second = await prepared('450103198807120041', '2026-11-02');
    expect((await api('POST', `${base}/${second}/return`, { token: unit, json: { to: 'nowhere', reason: '材料不全' } })).status).toBe(422);
    expect((await api('POST', `${base}/${second}/return`, { token: unit, json: { to: 'draft', reason: '请补充工作总结。' }, now: on('2026-11-03') })).body.status).toBe('draft');
    expect((await api('POST', `${base}/${second}/withdraw`, { token: applicant, json: { reason: '另行申报' }, now: on('2026-11-03') })).body.status).toBe('withdrawn');
    expect((await api('POST', `${base}/${second}/withdraw`, { token: applicant, json: {}, now: on('2026-11-03') })).status).toBe(409);

    const third = await prepared('450103198903040025', '2026-11-02');
    expect((await api('POST', `${base}/${third}/reject`, { token: unit, json: { reason: '经核查，原职称证书不实。', falseMaterials: false }, now: on('2026-11-04') })).body.status).toBe('rejected');
    expect((await api('POST', `${base}/${third}/reject`, { token: unit, json: { reason: '再次' }, now: on('2026-11-04') })).status).toBe(409);
  });
});

describe('further status lists (issue 15)', () => {
  it('list 2 once list 1 holds its quarter of the 16-entry test list; lists not opened are 404', async () => {
    for (let i = 0; i < 5; i++) {
      const more = await api('POST', '/api/v1/certificates', { token: issuer, json: issueBody() });
      expect((await api('GET', `/api/v1/certificates/${more.body.number}/credential`, { token: issuer })).status).toBe(200);
    }
    expect((await api('GET', '/status/GXZGB/revocation/2')).text.split('.')).toHaveLength(3);
    expect((await api('GET', '/status/GXZGB/revocation/99')).status).toBe(404);
    expect((await api('GET', '/status/GXZGB/revocation/x')).status).toBe(422);
    expect((await api('GET', '/status/GXZGB/message/2')).text.split('.')).toHaveLength(3);
    expect((await api('GET', '/status/GXZGB/message/99')).status).toBe(404);
    expect((await api('GET', '/status/GXZGB/message/x')).status).toBe(422);
  });
});

describe('batch issuance (issue 18 items 1–2)', () => {
  it('upload, read, template, errors sheet and photos, with their problems', async () => {
    const csv = (rows: string[][]) => rows.map((r) => r.join(',')).join('\r\n');
    const header = ['holder.name', 'holder.gender', 'holder.idType', 'holder.idNumber', 'title.series', 'title.name', 'title.specialty'];
    const sheet = csv([header, ['张三丰', 'male', 'resident_id_card', '450102198005120019', 'engineering', '高级工程师', '电气工程']]);
    const csvType = { 'Content-Type': 'text/csv' };
    const created = await api('POST', '/api/v1/batches', { token: issuer, raw: sheet, headers: csvType });
    expect(created.status).toBe(202);
    const id = created.body.id as string;
    expect((await api('POST', '/api/v1/batches', { raw: sheet, headers: csvType })).status).toBe(401);
    expect((await api('POST', '/api/v1/batches', { token: staff.handler.token, raw: sheet, headers: csvType })).status).toBe(403);
    expect((await api('POST', '/api/v1/batches', { token: issuer, raw: csv([['姓名', 'nonsense']]), headers: csvType })).status).toBe(422);
    expect((await api('POST', '/api/v1/batches', { token: issuer, raw: sheet, headers: { 'Content-Type': 'text/plain' } })).status).toBe(415);
    const read = await api('GET', `/api/v1/batches/${id}`, { token: issuer });
    expect(read.body).toMatchObject({ status: 'validated', total: 1, valid: 0, failed: 1 });
    expect((await api('GET', '/api/v1/batches/BT20260101-0000000000000000', { token: issuer })).status).toBe(404);
    expect((await api('GET', `/api/v1/batches/${id}`, { token: staff.handler.token })).status).toBe(403);
    expect((await api('GET', '/api/v1/batches/template.xlsx', { token: issuer })).status).toBe(200);
    expect((await api('GET', '/api/v1/batches/template.xlsx', { token: staff.handler.token })).status).toBe(403);
    expect((await api('GET', `/api/v1/batches/${id}/errors.xlsx`, { token: issuer })).status).toBe(200);
    expect((await api('GET', '/api/v1/batches/BT20260101-0000000000000000/errors.xlsx', { token: issuer })).status).toBe(404);
    const zip = zipSync({ '450102198005120019.png': new Uint8Array(readFileSync(join(ROOT, 'test/fixtures/photo.png'))) });
    const photos = await api('POST', `/api/v1/batches/${id}/photos`, { token: issuer, raw: zip, headers: { 'Content-Type': 'application/zip' } });
    expect(photos.body).toMatchObject({ attached: 1 });
    expect((await api('POST', `/api/v1/batches/${id}/photos`, { token: issuer, raw: 'no zip', headers: { 'Content-Type': 'application/zip' } })).status).toBe(422);
    expect((await api('POST', '/api/v1/batches/BT20260101-0000000000000000/photos', { token: issuer, raw: zip, headers: { 'Content-Type': 'application/zip' } })).status).toBe(404);
  });
});

describe('the holder’s side (issue 17)', () => {
  it('a holder’s certificates and share links: make, list, open, end one, end all', async () => {
    const added = await api('POST', '/api/v1/people', { token: staff.admin.token, json: { orgCode: 'GXZGB', role: 'holder', name: '陈持证', idNumber: '450103199001010016' } });
    expect(added.status).toBe(201);
    const holder = added.body.token as string;
    const number = (await api('POST', '/api/v1/certificates', { token: issuer, json: issueBody({ name: '陈持证', idNumber: '450103199001010016' }) })).body.number as string;
    expect((await api('GET', '/api/v1/holder/certificates', { token: holder })).body.certificates).toHaveLength(1);
    expect((await api('GET', '/api/v1/holder/certificates', { token: issuer })).status).toBe(403);
    // Issue 17 item 3: the certificate as an SD-JWT VC, the full ID number only when asked for.
    const sdJwt = await api('GET', `/api/v1/holder/certificates/${number}/sd-jwt`, { token: holder });
    expect(sdJwt.status).toBe(200);
    expect(sdJwt.text.split('~').length).toBeGreaterThan(3);
    expect((await api('GET', `/api/v1/holder/certificates/${number}/sd-jwt?disclose=password`, { token: holder })).status).toBe(422);
    expect((await api('GET', `/api/v1/holder/certificates/${number}/sd-jwt`, { token: issuer })).status).toBe(403);
    const made = await api('POST', '/api/v1/holder/shares', { token: holder, json: { certificateNumber: number, purpose: '应聘', days: 30 } });
    expect(made.status).toBe(201);
    expect((await api('POST', '/api/v1/holder/shares', { token: holder, json: { certificateNumber: number, purpose: '应聘', days: 91 } })).status).toBe(422);
    expect((await api('POST', '/api/v1/holder/shares', { token: holder, json: { certificateNumber: '26K7Q2M9XH4', purpose: '应聘', days: 3 } })).status).toBe(404);
    expect((await api('POST', '/api/v1/holder/shares', { json: { certificateNumber: number, purpose: '应聘', days: 3 } })).status).toBe(401);
    for (let i = 0; i < 2; i++) expect((await api('POST', '/api/v1/holder/shares', { token: holder, json: { certificateNumber: number, purpose: `用途${i}`, days: 3 } })).status).toBe(201);
    expect((await api('POST', '/api/v1/holder/shares', { token: holder, json: { certificateNumber: number, purpose: '第四个', days: 3 } })).status).toBe(409);
    expect((await api('GET', '/api/v1/holder/shares', { token: holder })).body.items).toHaveLength(3);
    expect((await api('GET', '/api/v1/holder/shares', { token: staff.handler.token })).status).toBe(403);
    const path = new URL(made.body.url).pathname;
    expect((await api('GET', path, { headers: { Accept: 'application/json' } })).body.share).toMatchObject({ purpose: '应聘', state: 'active' });
    expect((await api('GET', path, { headers: { Accept: 'text/html' } })).mediaType).toBe('text/html');
    expect((await api('GET', `/s/${'A'.repeat(43)}`, { headers: { Accept: 'application/json' } })).status).toBe(404);
    expect((await api('DELETE', `/api/v1/holder/shares/${made.body.id}`, { token: holder })).body.state).toBe('ended');
    expect((await api('DELETE', '/api/v1/holder/shares/SHnone', { token: holder })).status).toBe(404);
    expect((await api('GET', path, { headers: { Accept: 'application/json' } })).status).toBe(410);
    expect((await api('GET', path, { headers: { Accept: 'text/html' } })).status).toBe(410);
    expect((await api('DELETE', '/api/v1/holder/shares', { token: holder })).body.ended).toBe(2);
    expect((await api('DELETE', '/api/v1/holder/shares')).status).toBe(401);
    // Item 4: who verified me — the share link opened above is noted after the answer; the page is the contract's to check.
    expect((await api('GET', '/api/v1/holder/verifications?limit=5', { token: holder })).status).toBe(200);
    expect((await api('GET', '/api/v1/holder/verifications?limit=0', { token: holder })).status).toBe(422);
    expect((await api('GET', '/api/v1/holder/verifications', { token: issuer })).status).toBe(403);
  });
});

describe('too many requests without a proof', () => {
  it('dozens of lookups at once exhaust the allowance; then every unproven request answers 429 as documented', async () => {
    const answers = await Promise.all(Array.from({ length: BURST + 10 }, () => api('POST', '/api/v1/lookup', { json: { number: '26K7Q2M9XH4', name: '张三' } })));
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(10);
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
    const json = { Accept: 'application/json' };
    expect((await api('GET', '/v/26K7Q2M9XH4', { headers: json })).status).toBe(429);
    expect((await api('GET', '/v/26K7Q2M9XH4', { headers: { Accept: 'text/html' } })).mediaType).toBe('text/html');
    expect((await api('GET', `/v/26K7Q2M9XH4/photo?s=${'0'.repeat(32)}`)).status).toBe(429);
    expect((await api('GET', `/v/26K7Q2M9XH4/token?s=${'0'.repeat(32)}`)).status).toBe(429);
  });
});

describe('coverage', () => {
  it('every documented operation was exercised, each with a success and (where it declares one) a client error', () => {
    expect(contract.operations.length).toBeGreaterThanOrEqual(53);
    expect(contract.operations.every((o) => METHODS.includes(o.method as (typeof METHODS)[number]))).toBe(true);
    expect(contract.coverage()).toEqual({ unexercised: [], noSuccess: [], noProblem: [] });
  });
});
