/**
 * http/api/bans in-process: the five-year ban of notice 四(一) — it bars applying for a title promotion
 * (申报晋升职称), not reconfirmation — one person's status by ID number, and the register as JSON or CSV: in full
 * for auditors, names and ID numbers masked and no notes for other staff (四(四)). No public route: the ID
 * number is personal data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../../src/domain/roles.js';
import { issueBody } from '../../support/fixtures.js';
import { CONTROL, expectNoServerError, expectProblem, expectTokenRequired, HOSTILE, on, openApi, RARE, residentId, type InProcessApi } from './support.js';

const BANNED = residentId('19700101', 7, 'male');
const CLEAR = residentId('19800512', 9, 'male');
let api: InProcessApi;
const tokens: Partial<Record<(typeof ROLES)[number], string>> = {};

beforeAll(async () => {
  api = await openApi();
  for (const role of ROLES) tokens[role] = await api.token('GXZGB', role);
  const issued = await api.call(tokens.issuer!, 'POST', '/api/v1/certificates', { json: issueBody({ name: '周强', idNumber: BANNED }) });
  expect(issued.status, issued.text).toBe(201);
  const revoked = await api.call(tokens.issuer!, 'POST', `/api/v1/certificates/${issued.body.number}/revocation`, { json: { reason: 'false_materials', note: '学历证书系伪造' }, now: on('2026-12-01') });
  expect(revoked.status, revoked.text).toBe(200);
}, 60_000);
afterAll(() => api?.stop());

const READERS = ['issuer', 'handler', 'auditor', 'unit_hr', 'department_reviewer', 'title_office_staff', 'authority_approver'] as const;

describe('GET /api/v1/bans/{idNumber}', () => {
  it('a ban from a revocation for false materials runs 2026–2030 (四(一)): banned, until 2030-12-31, what it bars', async () => {
    const res = await api.call(tokens.issuer!, 'GET', `/api/v1/bans/${BANNED}`, { now: on('2026-12-07') });
    expect([res.status, res.mediaType]).toEqual([200, 'application/json']);
    expect(res.headers.get('Cache-Control')).toBe('private, no-store');
    expect(res.body).toMatchObject({ banned: true, until: '2030-12-31', clause: '四(一)', bars: { code: 'title_promotion', zh: '申报晋升职称' } });
    expect(res.body.bans).toEqual([expect.objectContaining({ startYear: 2026, endYear: 2030, source: 'revocation', inForce: true })]);
    // From 2031 on it has run its course; the record stays.
    const later = await api.call(tokens.issuer!, 'GET', `/api/v1/bans/${BANNED}`, { now: on('2031-01-02') });
    expect(later.body).toMatchObject({ banned: false, until: null, bans: [expect.objectContaining({ inForce: false })] });
  });

  it('someone never banned: not banned, no bans; the number is read trimmed and upper-cased', async () => {
    expect((await api.call(tokens.handler!, 'GET', `/api/v1/bans/${CLEAR}`)).body).toMatchObject({ banned: false, until: null, bans: [] });
    const lower = BANNED.toLowerCase();
    expect((await api.call(tokens.handler!, 'GET', `/api/v1/bans/%20${lower}%20`, { now: on('2026-12-07') })).body.banned).toBe(true);
  });

  it('every staff role of ban.read may ask; the applicant and the admin may not (403 with requiredRoles); no token 401', async () => {
    for (const role of READERS) expect((await api.call(tokens[role]!, 'GET', `/api/v1/bans/${CLEAR}`)).status, role).toBe(200);
    for (const role of ['applicant', 'admin'] as const) {
      const res = await api.call(tokens[role]!, 'GET', `/api/v1/bans/${BANNED}`);
      expectProblem(res, 403, 'forbidden');
      expect(res.body.requiredRoles).toEqual(expect.arrayContaining([...READERS]));
      expect(res.text).not.toContain('周强');
    }
    await expectTokenRequired(api, 'GET', `/api/v1/bans/${BANNED}`);
  });

  it('refuses a number too short or too long (422 naming path.idNumber); hostile numbers are answered, never a 500', async () => {
    const short = await api.call(tokens.issuer!, 'GET', '/api/v1/bans/ab');
    expectProblem(short, 422, 'validation_failed');
    expect(short.body.field).toBe('path.idNumber');
    expectProblem(await api.call(tokens.issuer!, 'GET', `/api/v1/bans/${'9'.repeat(41)}`), 422, 'validation_failed');
    for (const raw of [HOSTILE.slice(0, 40), "1' OR '1'='1", RARE, CONTROL, '𠮷𠮷𠮷𠮷𠮷', '%_%_%']) {
      const res = await api.call(tokens.issuer!, 'GET', `/api/v1/bans/${encodeURIComponent(raw)}`);
      expectNoServerError(res);
      if (res.status === 200) expect(res.body).toMatchObject({ banned: false, bans: [] }); // SQL-looking text matches nobody
    }
  });
});

describe('GET /api/v1/bans', () => {
  it('auditors read the register in full, with the note', async () => {
    const res = await api.call(tokens.auditor!, 'GET', '/api/v1/bans', { now: on('2026-12-07') });
    expect([res.status, res.mediaType]).toEqual([200, 'application/json']);
    expect(res.body).toMatchObject({ total: 1, bars: { zh: '申报晋升职称' } });
    expect(res.body.items[0]).toMatchObject({ idNumber: BANNED, holderName: '周强', note: '学历证书系伪造', inForce: true });
  });

  it('other staff see names and ID numbers masked and no notes (四(四))', async () => {
    for (const role of ['issuer', 'handler', 'unit_hr'] as const) {
      const res = await api.call(tokens[role]!, 'GET', '/api/v1/bans');
      const [item] = res.body.items;
      expect(item.idNumber).not.toBe(BANNED);
      expect(item.holderName).not.toBe('周强');
      expect(item.note).toBeUndefined();
      expect(res.text).not.toContain('学历证书系伪造');
      expect(res.text).not.toContain(BANNED);
    }
  });

  it('filters by inForce on the test clock’s date', async () => {
    expect((await api.call(tokens.auditor!, 'GET', '/api/v1/bans?inForce=true', { now: on('2026-12-07') })).body.total).toBe(1);
    expect((await api.call(tokens.auditor!, 'GET', '/api/v1/bans?inForce=false', { now: on('2026-12-07') })).body.total).toBe(0);
    expect((await api.call(tokens.auditor!, 'GET', '/api/v1/bans?inForce=true', { now: on('2031-06-01') })).body.total).toBe(0);
  });

  it('as CSV for Excel (UTF-8 with BOM): in full for the auditor, masked and without the note for others', async () => {
    const full = await api.call(tokens.auditor!, 'GET', '/api/v1/bans?format=csv');
    expect([full.status, full.mediaType]).toEqual([200, 'text/csv']);
    expect(full.text.startsWith('\uFEFF姓名,身份证号码')).toBe(true);
    expect(full.text).toContain(BANNED);
    expect(full.text).toContain('学历证书系伪造');
    const masked = await api.call(tokens.handler!, 'GET', '/api/v1/bans?format=csv');
    expect(masked.text).not.toContain(BANNED);
    expect(masked.text).not.toContain('学历证书系伪造');
  });

  it('refuses an unknown format or inForce (422 naming the query field); 401 and 403 as for one person', async () => {
    const maybe = await api.call(tokens.issuer!, 'GET', '/api/v1/bans?inForce=maybe');
    expectProblem(maybe, 422, 'validation_failed');
    expect(maybe.body.field).toBe('query.inForce');
    expectProblem(await api.call(tokens.issuer!, 'GET', `/api/v1/bans?format=${encodeURIComponent(HOSTILE)}`), 422, 'validation_failed');
    await expectTokenRequired(api, 'GET', '/api/v1/bans');
    expectProblem(await api.call(tokens.applicant!, 'GET', '/api/v1/bans?format=csv'), 403, 'forbidden');
  });

  it('30 readers at once, while a second ban is recorded, each read a whole register', async () => {
    const issued = await api.call(tokens.issuer!, 'POST', '/api/v1/certificates', { json: issueBody({ name: '吴昊', idNumber: residentId('19830303', 5, 'male') }) });
    const [reads, revoked] = await Promise.all([
      Promise.all(Array.from({ length: 30 }, () => api.call(tokens.auditor!, 'GET', '/api/v1/bans'))),
      api.call(tokens.issuer!, 'POST', `/api/v1/certificates/${issued.body.number}/revocation`, { json: { reason: 'false_materials', note: '业绩造假' } }),
    ]);
    expect(revoked.status).toBe(200);
    for (const r of reads) {
      expect(r.status).toBe(200);
      expect([1, 2]).toContain(r.body.total);
      expect(r.body.items).toHaveLength(r.body.total);
    }
    expect((await api.call(tokens.auditor!, 'GET', '/api/v1/bans')).body.total).toBe(2);
  });
});
