/**
 * http/api/certificates in-process: the issuing authority issues (idempotent), reads, downloads the PDF and
 * the credential (with its token or the QR link's proof), and revokes (四(一)). Least privilege: only an issuer
 * issues; an issuer or the authority's approver reads and revokes; another authority's certificate is answered
 * as absent (404), never as forbidden — its existence is not theirs to learn.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueBody } from '../../support/fixtures.js';
import { CONTROL, expectNoServerError, expectProblem, expectTokenRequired, HOSTILE, LONG, openApi, RARE, residentId, tally, type InProcessApi } from './support.js';

let api: InProcessApi;
let issuer: string;
let approver: string;
let handler: string;
let cityIssuer: string;
const BANNED = residentId('19700101', 7, 'male');
const rows = () => (api.context.db.prepare('SELECT COUNT(*) AS n FROM certificates').get() as { n: number }).n;

beforeAll(async () => {
  api = await openApi({ ECERT_LOOKUP_BURST: '1000' }); // wrong proofs spend from the allowance: not the subject here
  issuer = await api.token('GXZGB', 'issuer');
  approver = await api.token('GXZGB', 'authority_approver');
  handler = await api.token('GXZGB', 'handler');
  cityIssuer = await api.token('NNZGB', 'issuer');
}, 60_000);
afterAll(() => api?.stop());

const issue = (token: string | null, json: unknown, key?: string) => api.call(token, 'POST', '/api/v1/certificates', { json, ...(key ? { key } : {}) });
/** A certificate of GXZGB: its number and the QR link's proof. */
async function issued(overrides: Parameters<typeof issueBody>[0] = {}): Promise<{ number: string; proof: string }> {
  const res = await issue(issuer, issueBody(overrides));
  expect(res.status, res.text).toBe(201);
  return { number: res.body.number, proof: new URL(res.body.verifyUrl).searchParams.get('s')! };
}

describe('POST /api/v1/certificates', () => {
  it('issues: 201 with Location, the verify and PDF links carrying the proof, and the signed token', async () => {
    const res = await issue(issuer, issueBody());
    expect([res.status, res.mediaType]).toEqual([201, 'application/json']);
    expect(res.headers.get('Location')).toBe(`/api/v1/certificates/${res.body.number}`);
    expect(res.body.verifyUrl).toMatch(new RegExp(`^http://ecert\\.test/v/${res.body.number}\\?s=`));
    expect(res.body.pdfUrl).toMatch(new RegExp(`^http://ecert\\.test/api/v1/certificates/${res.body.number}/pdf\\?s=`));
    expect(res.body.token.split('.')).toHaveLength(3);
    expect(JSON.stringify(decodeJwt(res.body.token))).toContain(res.body.number);
  });

  it('asks for a token (401 with WWW-Authenticate); refuses a role that may not issue (403 with requiredRoles)', async () => {
    await expectTokenRequired(api, 'POST', '/api/v1/certificates', { json: issueBody() });
    for (const token of [approver, handler]) {
      const res = await issue(token, issueBody());
      expectProblem(res, 403, 'forbidden');
      expect(res.body.requiredRoles).toEqual(['issuer']);
    }
  });

  it('refuses a level the authority’s key may not confirm (403 level_not_authorised): the city office and a senior title', async () => {
    expectProblem(await issue(cityIssuer, issueBody()), 403, 'level_not_authorised');
  });

  // An organisation with no authority certificate at all (a unit) is refused 403 not_an_issuing_authority; before, it
  // was told 503 keys_unavailable ("ask the administrator"), which reads as an outage and never changes on retry.
  it('an issuer of an organisation that is no issuing authority is refused (403), not told the service is unavailable (503)', async () => {
    expect((await api.cli(['org', 'add', '--code', 'NNLQ01', '--name', '南宁路桥工程有限公司', '--kind', 'unit', '--parent', 'NNZGB'])).code).toBe(0);
    const unitIssuer = await api.token('NNLQ01', 'issuer');
    const res = await issue(unitIssuer, issueBody());
    expectProblem(res, 403, 'not_an_issuing_authority');
  });

  it('refuses invalid bodies as problem+json in both languages: a field (422), no photo (422), no JSON (415/400)', async () => {
    const gender = await issue(issuer, { ...issueBody(), holder: { ...issueBody().holder, gender: 'x' } });
    expectProblem(gender, 422, 'validation_failed');
    expect(gender.body.field).toBe('holder.gender');
    expectProblem(await issue(issuer, { ...issueBody(), extra: 1 }), 422, 'validation_failed');
    const noPhoto = await issue(issuer, issueBody({ photo: false }));
    expectProblem(noPhoto, 422, 'validation_failed');
    expect(noPhoto.body.field).toBe('holder.photo');
    expectProblem(await issue(issuer, issueBody({ idNumber: '450102198005120018' })), 422, 'invalid_id_number');
    expectProblem(await api.call(issuer, 'POST', '/api/v1/certificates', { body: 'x', headers: { 'Content-Type': 'text/plain' } }), 415, 'unsupported_media_type');
    expectProblem(await api.call(issuer, 'POST', '/api/v1/certificates', { body: '{"holder":', headers: { 'Content-Type': 'application/json' } }), 400, 'invalid_json');
  });

  it('hostile names (SQL-looking, very long, control characters) are refused in words; a rare character 𠮷 is issued', async () => {
    for (const name of [HOSTILE, LONG, CONTROL, '张\u202e三', '\u0000']) {
      const res = await issue(issuer, issueBody({ name }));
      expectNoServerError(res);
      expect(res.mediaType).toBe('application/problem+json');
      expect([413, 422]).toContain(res.status);
    }
    const rare = await issue(issuer, issueBody({ name: '吉𠮷', idNumber: residentId('19900101', 6, 'male') }));
    expect(rare.status, rare.text).toBe(201);
    const record = await api.call(issuer, 'GET', `/api/v1/certificates/${rare.body.number}`);
    expect(record.body.holder.name).toBe('吉𠮷');
    expectNoServerError(await issue(issuer, issueBody({ name: RARE })));
  });

  it('30 concurrent requests with one Idempotency-Key make exactly one certificate: one 201, the rest 200 with its number', async () => {
    const before = rows();
    const body = issueBody({ name: '李四', idNumber: '450103198501010026', gender: 'female' });
    const answers = await Promise.all(Array.from({ length: 30 }, () => issue(issuer, body, 'api-batch-0001')));
    expect(tally(answers)).toEqual({ 201: 1, 200: 29 });
    expect(new Set(answers.map((a) => a.body.number)).size).toBe(1);
    expect(rows() - before).toBe(1);
    const other = await issue(issuer, { ...body, title: { ...body.title, specialty: '机械工程' } }, 'api-batch-0001');
    expectProblem(other, 422, 'idempotency_conflict');
  });
});

describe('GET /api/v1/certificates/{number}', () => {
  it('answers the record to the issuing authority’s issuer and approver, with status, hasPhoto and links, no photo bytes', async () => {
    const { number } = await issued({ name: '王芳', gender: 'female', idNumber: residentId('19860505', 1, 'female') });
    for (const token of [issuer, approver]) {
      const res = await api.call(token, 'GET', `/api/v1/certificates/${number}`);
      expect([res.status, res.mediaType]).toEqual([200, 'application/json']);
      expect(res.body).toMatchObject({ number, status: 'valid', hasPhoto: true, holder: { name: '王芳' } });
      expect(res.body.photo).toBeUndefined();
    }
    // The number is read as typed by a person: lower case is the same certificate.
    expect((await api.call(issuer, 'GET', `/api/v1/certificates/${number.toLowerCase()}`)).body.number).toBe(number);
  });

  it('401 without a token; 403 for a role that may not read; 404 for another authority (not 403) and for an unknown number', async () => {
    const { number } = await issued({ name: '陈静', gender: 'female', idNumber: residentId('19920303', 2, 'female') });
    await expectTokenRequired(api, 'GET', `/api/v1/certificates/${number}`);
    const denied = await api.call(handler, 'GET', `/api/v1/certificates/${number}`);
    expectProblem(denied, 403, 'forbidden');
    expect(denied.body.requiredRoles).toEqual(['issuer', 'authority_approver']);
    expectProblem(await api.call(cityIssuer, 'GET', `/api/v1/certificates/${number}`), 404, 'not_found');
    expectProblem(await api.call(issuer, 'GET', '/api/v1/certificates/26K7Q2M9XH4'), 404, 'not_found');
    expectProblem(await api.call(issuer, 'GET', `/api/v1/certificates/${'9'.repeat(41)}`), 422, 'validation_failed');
  });

  it('hostile numbers are refused in words, never a 500', async () => {
    for (const raw of [HOSTILE, RARE, CONTROL, '𠮷'.repeat(8), "26K7Q2M9XH4' OR 1=1 --"]) {
      const res = await api.call(issuer, 'GET', `/api/v1/certificates/${encodeURIComponent(raw)}`);
      expectNoServerError(res);
      expect([404, 422]).toContain(res.status);
      expect(res.mediaType).toBe('application/problem+json');
    }
  });
});

describe('GET /api/v1/certificates/{number}/pdf and /credential', () => {
  let number = '';
  let proof = '';
  beforeAll(async () => {
    ({ number, proof } = await issued({ name: '赵敏', gender: 'female', idNumber: residentId('19880707', 2, 'female') }));
  });

  it('the PDF with the link proof or the authority’s token: inline, private, noindex', async () => {
    for (const [token, query] of [[null, `?s=${proof}`], [issuer, '']] as const) {
      const res = await api.call(token, 'GET', `/api/v1/certificates/${number}/pdf${query}`);
      expect([res.status, res.mediaType]).toEqual([200, 'application/pdf']);
      expect(res.headers.get('Content-Disposition')).toBe(`inline; filename="ecert-${number}.pdf"`);
      expect(res.headers.get('Cache-Control')).toBe('private, no-store');
      expect(res.headers.get('X-Robots-Tag')).toBe('noindex, nofollow');
      expect(res.text.startsWith('%PDF-')).toBe(true);
    }
  });

  it('the credential (vc+jwt) with the proof or the token', async () => {
    for (const [token, query] of [[null, `?s=${proof}`], [approver, '']] as const) {
      const res = await api.call(token, 'GET', `/api/v1/certificates/${number}/credential${query}`);
      expect([res.status, res.mediaType]).toEqual([200, 'application/vc+jwt']);
      expect(res.text.split('.')).toHaveLength(3);
    }
  });

  it('neither proof nor token is a 401; a wrong proof, another authority or an unknown number a 404; a long proof a 422', async () => {
    for (const tail of ['pdf', 'credential']) {
      await expectTokenRequired(api, 'GET', `/api/v1/certificates/${number}/${tail}`);
      expectProblem(await api.call(null, 'GET', `/api/v1/certificates/${number}/${tail}?s=${'0'.repeat(32)}`), 404, 'not_found');
      expectProblem(await api.call(cityIssuer, 'GET', `/api/v1/certificates/${number}/${tail}`), 404, 'not_found');
      expectProblem(await api.call(handler, 'GET', `/api/v1/certificates/${number}/${tail}`), 403, 'forbidden');
      expectProblem(await api.call(null, 'GET', `/api/v1/certificates/26K7Q2M9XH4/${tail}?s=${proof}`), 404, 'not_found');
      expectProblem(await api.call(null, 'GET', `/api/v1/certificates/${number}/${tail}?s=${'0'.repeat(65)}`), 422, 'validation_failed');
    }
  });

  it('hostile proofs and numbers never a 500', async () => {
    for (const raw of [HOSTILE.slice(0, 60), RARE, CONTROL, '𠮷']) {
      for (const path of [`/api/v1/certificates/${number}/pdf?s=${encodeURIComponent(raw)}`, `/api/v1/certificates/${encodeURIComponent(raw)}/credential?s=${proof}`]) {
        expectNoServerError(await api.call(null, 'GET', path));
      }
    }
  });
});

describe('POST /api/v1/certificates/{number}/revocation', () => {
  const revoke = (token: string | null, number: string, json: unknown = { reason: 'issued_in_error', note: '信息录入错误' }) => api.call(token, 'POST', `/api/v1/certificates/${number}/revocation`, { json });

  it('revokes (200, with the revocation), then 409 already_revoked', async () => {
    const { number } = await issued({ name: '孙丽', gender: 'female', idNumber: residentId('19790909', 3, 'female') });
    const res = await revoke(approver, number);
    expect([res.status, res.mediaType]).toEqual([200, 'application/json']);
    expect(res.body).toMatchObject({ number, status: 'revoked', revocation: { reason: 'issued_in_error', note: '信息录入错误' } });
    expectProblem(await revoke(issuer, number, { reason: 'other' }), 409, 'already_revoked');
  });

  it('false materials records the five-year ban (四(一)) in the same step', async () => {
    const { number } = await issued({ name: '周强', idNumber: BANNED });
    expect((await revoke(issuer, number, { reason: 'false_materials', note: '学历造假' })).status).toBe(200);
    const ban = await api.call(issuer, 'GET', `/api/v1/bans/${BANNED}`);
    expect(ban.body).toMatchObject({ banned: true });
  });

  it('401, 403 for a role that may not revoke, 404 for another authority and an unknown number, 422 for a bad reason or note', async () => {
    const { number } = await issued({ name: '钱进', idNumber: residentId('19650606', 4, 'male') });
    await expectTokenRequired(api, 'POST', `/api/v1/certificates/${number}/revocation`, { json: { reason: 'other' } });
    expectProblem(await revoke(handler, number), 403, 'forbidden');
    expectProblem(await revoke(cityIssuer, number), 404, 'not_found');
    expectProblem(await revoke(issuer, '26K7Q2M9XH4'), 404, 'not_found');
    expectProblem(await revoke(issuer, number, { reason: 'lost' }), 422, 'validation_failed');
    expectProblem(await revoke(issuer, number, { reason: 'other', note: CONTROL }), 422, 'validation_failed');
    expectProblem(await revoke(issuer, number, { reason: 'other', note: LONG }), 422, 'validation_failed');
    expectProblem(await revoke(issuer, number, { reason: 'other', extra: 1 }), 422, 'validation_failed');
    expect((await api.call(issuer, 'GET', `/api/v1/certificates/${number}`)).body.status).toBe('valid'); // none of those touched it
    expect((await revoke(issuer, number, { reason: 'other', note: HOSTILE + RARE })).body.revocation.note).toBe(HOSTILE + RARE); // stored verbatim
  });

  it('30 revocations of one certificate at once: one wins (200), 29 are told it is already revoked (409), one audit row', async () => {
    const { number } = await issued({ name: '吴昊', idNumber: residentId('19830303', 5, 'male') });
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => revoke(i % 2 ? issuer : approver, number, { reason: 'other', note: `并发撤销 ${i}` })));
    expect(tally(answers)).toEqual({ 200: 1, 409: 29 });
    for (const a of answers.filter((x) => x.status === 409)) expectProblem(a, 409, 'already_revoked');
    const audits = api.context.db.prepare("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'certificate.revoke' AND subject = ?").get(`certificate:${number}`) as { n: number };
    expect(audits.n).toBe(1);
  });
});
