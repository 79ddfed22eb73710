/**
 * http/api/administration in-process: organisations and people (admins, within their own office and below it,
 * placing only kinds ranked below their own office — domain/ranks.ts), an office's contact, the region
 * calendar's overrides and announced years (the root office's admin only, 二(二)2), and the audit trail
 * (auditors, of their organisation and those below it, 四(四)).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPerson, setUpWorkflow, type Person, type Staff } from '../../support/workflow.js';
import { CONTROL, expectNoServerError, expectProblem, expectTokenRequired, HOSTILE, LONG, openApi, RARE, tally, type InProcessApi } from './support.js';

let api: InProcessApi;
let staff: Staff;
let cityAdmin: Person;
let cityAuditor: Person;

beforeAll(async () => {
  api = await openApi();
  staff = await setUpWorkflow(api);
  cityAdmin = await addPerson(api, staff.admin, 'NNZGB', 'admin', '南宁管理员');
  cityAuditor = await addPerson(api, staff.admin, 'NNZGB', 'auditor', '南宁审计');
}, 60_000);
afterAll(() => api?.stop());

const saveOrg = (who: Person | string | null, json: unknown) => api.call(who, 'POST', '/api/v1/organisations', { json });

describe('GET /api/v1/organisations', () => {
  it('every signed-in role reads the tree (200, private); no token 401', async () => {
    for (const person of [staff.applicant, staff.handler, staff.auditor, staff.admin]) {
      const res = await api.call(person, 'GET', '/api/v1/organisations');
      expect([res.status, res.mediaType, res.headers.get('Cache-Control')]).toEqual([200, 'application/json', 'private, no-store']);
      expect(res.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'NNLQ01', kind: 'unit', parentCode: 'NNJTJ' })]));
    }
    await expectTokenRequired(api, 'GET', '/api/v1/organisations');
  });
});

describe('POST /api/v1/organisations', () => {
  it('the region admin places a unit (200) and moves it; a contact given with it is kept', async () => {
    const saved = await saveOrg(staff.admin, { code: 'NNGA01', name: '南宁某设计院', kind: 'unit', parentCode: 'NNJTJ', contactPhone: '0771-1234567', contactAddress: null });
    expect([saved.status, saved.mediaType]).toEqual([200, 'application/json']);
    expect(saved.body).toMatchObject({ code: 'NNGA01', parentCode: 'NNJTJ', contact: { phone: '0771-1234567' } });
    expect((await saveOrg(staff.admin, { code: 'NNGA01', name: '南宁某设计院', kind: 'unit', parentCode: 'GXJTT' })).body).toMatchObject({ parentCode: 'GXJTT', contact: { phone: '0771-1234567' } });
  });

  it('a city admin may not reach outside its subtree, nor place a kind not below its office (403, naming the field)', async () => {
    const outside = await saveOrg(cityAdmin, { code: 'GXGA01', name: '区直某院', kind: 'unit', parentCode: 'GXJTT' });
    expectProblem(outside, 403, 'forbidden');
    const tooHigh = await saveOrg(cityAdmin, { code: 'NNXX01', name: '某市职改办', kind: 'city_title_office', parentCode: 'NNZGB' });
    expectProblem(tooHigh, 403, 'forbidden');
    expect(tooHigh.body.field).toBe('kind');
    const own = await saveOrg(cityAdmin, { code: 'NNZGB', name: '改名', kind: 'city_title_office', parentCode: 'GXZGB' });
    expectProblem(own, 403, 'forbidden');
    expect((await saveOrg(cityAdmin, { code: 'NNGA02', name: '南宁某院', kind: 'unit', parentCode: 'NNJTJ' })).status).toBe(200);
  });

  it('a cycle is a 409; a tree out of rank order a 422 rank_order; roles other than admin 403; no token 401', async () => {
    expectProblem(await saveOrg(staff.admin, { code: 'NNZGB', name: '南宁市职称改革工作领导小组办公室', kind: 'city_title_office', parentCode: 'NNLQ01' }), 409, 'conflict');
    expectProblem(await saveOrg(staff.admin, { code: 'NNGA03', name: '某部门', kind: 'competent_department', parentCode: 'NNLQ01' }), 422, 'rank_order');
    for (const person of [staff.handler, staff.auditor, staff.approver]) {
      const res = await saveOrg(person, { code: 'NNGA04', name: '南宁某院', kind: 'unit', parentCode: 'NNJTJ' });
      expectProblem(res, 403, 'forbidden');
      expect(res.body.requiredRoles).toEqual(['admin']);
    }
    await expectTokenRequired(api, 'POST', '/api/v1/organisations', { json: { code: 'NNGA04', name: '南宁某院', kind: 'unit', parentCode: 'NNJTJ' } });
  });

  it('refuses invalid bodies in both languages (422/415/400), and hostile names never reach a 500', async () => {
    const bad = await saveOrg(staff.admin, { code: 'nn', name: '', kind: 'unit', parentCode: 'NNJTJ' });
    expectProblem(bad, 422, 'validation_failed');
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['code', 'name']));
    expectProblem(await saveOrg(staff.admin, { code: 'NNGA05', name: '某院', kind: 'castle', parentCode: 'NNJTJ' }), 422, 'validation_failed');
    expectProblem(await saveOrg(staff.admin, { code: 'NNGA05', name: '某院', kind: 'unit', parentCode: 'NNJTJ', extra: 1 }), 422, 'validation_failed');
    expectProblem(await api.call(staff.admin, 'POST', '/api/v1/organisations', { body: 'x', headers: { 'Content-Type': 'text/plain' } }), 415, 'unsupported_media_type');
    expectProblem(await api.call(staff.admin, 'POST', '/api/v1/organisations', { body: '{"code"', headers: { 'Content-Type': 'application/json' } }), 400, 'invalid_json');
    for (const name of [HOSTILE, RARE, CONTROL, LONG, '𠮷'.repeat(100)]) {
      const res = await saveOrg(staff.admin, { code: 'NNGA06', name, kind: 'unit', parentCode: 'NNJTJ' });
      expectNoServerError(res);
      if (res.status === 200) expect(res.body.name).toBe(name);
      else expectProblem(res, 422, 'validation_failed');
    }
    expectNoServerError(await saveOrg(staff.admin, { code: 'NNGA07', name: '某院', kind: 'unit', parentCode: 'NNJTJ', contactAddress: CONTROL }));
  });

  it('30 admins’ saves of one organisation at once: every one answered in words, one row, the tree whole', async () => {
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => saveOrg(i % 2 ? staff.admin : cityAdmin, { code: 'NNGA08', name: `并发机构${i}`, kind: 'unit', parentCode: i % 3 ? 'NNJTJ' : 'NNZGB' })),
    );
    for (const a of answers) expectNoServerError(a);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(0);
    for (const a of answers.filter((x) => x.status !== 200)) expect([409, 503]).toContain(a.status);
    const rows = api.context.db.prepare("SELECT COUNT(*) AS n FROM organisations WHERE code = 'NNGA08'").get() as { n: number };
    expect(rows.n).toBe(1);
  });
});

describe('PUT /api/v1/organisations/{code}/contact', () => {
  it('sets (200) and clears a part left blank; the city admin may set its own office’s', async () => {
    const res = await api.call(staff.admin, 'PUT', '/api/v1/organisations/GXZGB/contact', { json: { phone: '0771-5856123转801', address: '南宁市青秀区民族大道 1 号' } });
    expect([res.status, res.mediaType]).toEqual([200, 'application/json']);
    expect(res.body).toEqual({ code: 'GXZGB', contact: { phone: '0771-5856123转801', address: '南宁市青秀区民族大道 1 号' } });
    expect((await api.call(staff.admin, 'PUT', '/api/v1/organisations/GXZGB/contact', { json: { phone: '' } })).body).toEqual({ code: 'GXZGB', contact: {} });
    expect((await api.call(cityAdmin, 'PUT', '/api/v1/organisations/NNZGB/contact', { json: { phone: '0771-2222222' } })).status).toBe(200);
  });

  it('403 above or beside the admin’s office and for other roles; 404 for an unknown code; 422 for a bad phone, code or control characters', async () => {
    expectProblem(await api.call(cityAdmin, 'PUT', '/api/v1/organisations/GXZGB/contact', { json: { phone: '0771-1' } }), 403, 'forbidden');
    expectProblem(await api.call(cityAdmin, 'PUT', '/api/v1/organisations/GXJTT/contact', { json: {} }), 403, 'forbidden');
    expectProblem(await api.call(staff.handler, 'PUT', '/api/v1/organisations/GXZGB/contact', { json: {} }), 403, 'forbidden');
    await expectTokenRequired(api, 'PUT', '/api/v1/organisations/GXZGB/contact', { json: {} });
    const unknown = await api.call(staff.admin, 'PUT', '/api/v1/organisations/NOPE99/contact', { json: {} });
    expectNoServerError(unknown);
    expect([403, 404]).toContain(unknown.status);
    expectProblem(await api.call(staff.admin, 'PUT', '/api/v1/organisations/NNJTJ/contact', { json: { phone: '<b>1</b>' } }), 422);
    expectProblem(await api.call(staff.admin, 'PUT', '/api/v1/organisations/NNJTJ/contact', { json: { address: CONTROL } }), 422);
    expectProblem(await api.call(staff.admin, 'PUT', '/api/v1/organisations/gx/contact', { json: {} }), 422, 'validation_failed');
    expectNoServerError(await api.call(staff.admin, 'PUT', `/api/v1/organisations/${encodeURIComponent(HOSTILE)}/contact`, { json: {} }));
    expectNoServerError(await api.call(staff.admin, 'PUT', '/api/v1/organisations/NNJTJ/contact', { json: { phone: RARE, address: LONG } }));
  });
});

describe('POST /api/v1/people and /api/v1/people/{id}/revocation', () => {
  const add = (who: Person, json: unknown) => api.call(who, 'POST', '/api/v1/people', { json });

  it('adds a person with a token shown once (201, private); the token works; revoking it ends every token (200, then 401)', async () => {
    const res = await add(staff.admin, { orgCode: 'NNLQ01', role: 'unit_hr', name: '陈静' });
    expect([res.status, res.mediaType, res.headers.get('Cache-Control')]).toEqual([201, 'application/json', 'private, no-store']);
    expect(res.body.person).toMatchObject({ orgCode: 'NNLQ01', role: 'unit_hr', name: '陈静' });
    expect(res.body.token).toMatch(/^ect_/);
    expect((await api.call(res.body.token, 'GET', '/api/v1/organisations')).status).toBe(200);
    const revoked = await api.call(staff.admin, 'POST', `/api/v1/people/${res.body.person.id}/revocation`, { json: {} });
    expect([revoked.status, revoked.body.revoked]).toEqual([200, 1]);
    expectProblem(await api.call(res.body.token, 'GET', '/api/v1/organisations'), 401, 'unauthorized');
  });

  it('least privilege: a city admin adds people only in its subtree, an admin only at its own office or below; other roles 403', async () => {
    expect((await add(cityAdmin, { orgCode: 'NNLQ01', role: 'applicant', name: '刘洋' })).status).toBe(201);
    expectProblem(await add(cityAdmin, { orgCode: 'GXJT01', role: 'applicant', name: '刘洋' }), 403, 'forbidden');
    // services/administration.ts addPerson: "another admin only at the admin's own office or one ranked below it".
    expect((await add(cityAdmin, { orgCode: 'NNZGB', role: 'admin', name: '第二管理员' })).status).toBe(201);
    const above = await add(cityAdmin, { orgCode: 'GXZGB', role: 'admin', name: '越级管理员' });
    expectProblem(above, 403, 'forbidden');
    expect(above.body.field).toBe('orgCode');
    expectProblem(await add(staff.auditor, { orgCode: 'NNLQ01', role: 'unit_hr', name: '陈静' }), 403, 'forbidden');
    await expectTokenRequired(api, 'POST', '/api/v1/people', { json: { orgCode: 'NNLQ01', role: 'unit_hr', name: '陈静' } });
    const beside = await api.call(cityAdmin, 'POST', `/api/v1/people/${staff.approver.id}/revocation`, { json: {} });
    expectProblem(beside, 404, 'not_found'); // a person outside the city's reach is answered as absent
    expect((await api.call(staff.approver.token, 'GET', '/api/v1/organisations')).status).toBe(200);
  });

  it('refuses an unknown role or organisation, a bad name, an unknown person (422/404), hostile names never a 500', async () => {
    expectProblem(await add(staff.admin, { orgCode: 'NNLQ01', role: 'king', name: '陈静' }), 422, 'validation_failed');
    const unknownOrg = await add(staff.admin, { orgCode: 'NOPE99', role: 'applicant', name: '陈静' });
    expectNoServerError(unknownOrg);
    expect([403, 404]).toContain(unknownOrg.status);
    expectProblem(await add(staff.admin, { orgCode: 'NNLQ01', role: 'applicant', name: CONTROL }), 422, 'validation_failed');
    expectProblem(await api.call(staff.admin, 'POST', '/api/v1/people/p_nope/revocation', { json: {} }), 404, 'not_found');
    expectProblem(await api.call(staff.admin, 'POST', `/api/v1/people/${'x'.repeat(65)}/revocation`, { json: {} }), 422, 'validation_failed');
    expectProblem(await api.call(staff.admin, 'POST', '/api/v1/people/p_nope/revocation', { json: { all: true } }), 422, 'validation_failed');
    for (const name of [HOSTILE, RARE, '吉𠮷', LONG]) expectNoServerError(await add(staff.admin, { orgCode: 'NNLQ01', role: 'applicant', name }));
    expectNoServerError(await api.call(staff.admin, 'POST', `/api/v1/people/${encodeURIComponent(HOSTILE.slice(0, 60))}/revocation`, { json: {} }));
  });

  it('30 revocations of one person at once: every one 200, exactly one finds the live token', async () => {
    const person = await add(staff.admin, { orgCode: 'NNLQ01', role: 'applicant', name: '并发撤销' });
    const answers = await Promise.all(Array.from({ length: 30 }, () => api.call(staff.admin, 'POST', `/api/v1/people/${person.body.person.id}/revocation`, { json: {} })));
    expect(tally(answers)).toEqual({ 200: 30 });
    expect(answers.reduce((n, a) => n + a.body.revoked, 0)).toBe(1);
  });
});

describe('the calendar’s overrides and years (the root office’s admin)', () => {
  it('anyone reads the overrides; the region admin sets (204) and removes (204) one', async () => {
    const path = '/api/v1/calendar/overrides/2031-05-06';
    expect((await api.call(staff.admin, 'PUT', path, { json: { kind: 'holiday', note: '五一调休测试' } })).status).toBe(204);
    const list = await api.call(null, 'GET', '/api/v1/calendar/overrides');
    expect([list.status, list.mediaType]).toEqual([200, 'application/json']);
    expect(list.body.items).toEqual([expect.objectContaining({ date: '2031-05-06', kind: 'holiday', note: '五一调休测试' })]);
    expect(list.body.items[0].setBy).toBeUndefined(); // who set it is not public
    expect((await api.call(staff.admin, 'DELETE', path)).status).toBe(204);
    expect((await api.call(null, 'GET', '/api/v1/calendar/overrides')).body.items).toEqual([]);
  });

  it('a city admin may not change the region’s calendar (403); other roles 403; no token 401', async () => {
    const path = '/api/v1/calendar/overrides/2031-05-07';
    expectProblem(await api.call(cityAdmin, 'PUT', path, { json: { kind: 'holiday', note: '测试' } }), 403, 'forbidden');
    expectProblem(await api.call(cityAdmin, 'PUT', '/api/v1/calendar/years/2032', { json: { national: true, regional: true, note: '测试' } }), 403, 'forbidden');
    expectProblem(await api.call(staff.handler, 'PUT', path, { json: { kind: 'holiday', note: '测试' } }), 403, 'forbidden');
    expectProblem(await api.call(staff.applicant, 'DELETE', path), 403, 'forbidden');
    await expectTokenRequired(api, 'PUT', path, { json: { kind: 'holiday', note: '测试' } });
    await expectTokenRequired(api, 'DELETE', path);
  });

  it('refuses a bad kind, date, year or body (422 naming the field); hostile notes never a 500', async () => {
    expectProblem(await api.call(staff.admin, 'PUT', '/api/v1/calendar/overrides/2031-05-06', { json: { kind: 'feast', note: '测试' } }), 422, 'validation_failed');
    const date = await api.call(staff.admin, 'PUT', '/api/v1/calendar/overrides/2031-02-30', { json: { kind: 'holiday', note: '测试' } });
    expectProblem(date, 422, 'validation_failed');
    expect(date.body.field).toBe('path.date');
    expectProblem(await api.call(staff.admin, 'DELETE', '/api/v1/calendar/overrides/31-5-6'), 422, 'validation_failed');
    expectProblem(await api.call(staff.admin, 'PUT', '/api/v1/calendar/years/2032', { json: { national: 'yes', regional: true, note: '测试' } }), 422, 'validation_failed');
    expectProblem(await api.call(staff.admin, 'PUT', '/api/v1/calendar/years/1999', { json: { national: true, regional: true, note: '测试' } }), 422, 'validation_failed');
    for (const note of [HOSTILE, RARE, CONTROL, LONG]) expectNoServerError(await api.call(staff.admin, 'PUT', '/api/v1/calendar/overrides/2031-05-08', { json: { kind: 'workday', note } }));
  });

  it('records a year as announced (204): the year reads as announced', async () => {
    const res = await api.call(staff.admin, 'PUT', '/api/v1/calendar/years/2032', { json: { national: true, regional: true, note: '国务院办公厅及自治区人民政府办公厅2032年放假通知（测试）' } });
    expect(res.status).toBe(204);
    expect((await api.call(null, 'GET', '/api/v1/calendar/years/2032')).body).toMatchObject({ year: 2032, announced: true, national: { recordedBy: 'admin' } });
  });

  it('30 writes of one date at once: each 204, one override left', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => api.call(staff.admin, 'PUT', '/api/v1/calendar/overrides/2031-10-09', { json: { kind: i % 2 ? 'holiday' : 'workday', note: `并发 ${i}` } })));
    expect(tally(answers)).toEqual({ 204: 30 });
    expect((await api.call(null, 'GET', '/api/v1/calendar/overrides')).body.items.filter((o: { date: string }) => o.date === '2031-10-09')).toHaveLength(1);
  });
});

describe('GET /api/v1/audit', () => {
  it('the region auditor reads every change, oldest first, paged with next', async () => {
    const page = await api.call(staff.auditor, 'GET', '/api/v1/audit?limit=5');
    expect([page.status, page.mediaType, page.headers.get('Cache-Control')]).toEqual([200, 'application/json', 'private, no-store']);
    expect(page.body.items).toHaveLength(5);
    expect(page.body.next).toBe(page.body.items[4].seq);
    const after = await api.call(staff.auditor, 'GET', `/api/v1/audit?limit=5&after=${page.body.next}`);
    expect(after.body.items[0].seq).toBeGreaterThan(page.body.next);
    const subject = await api.call(staff.auditor, 'GET', '/api/v1/audit?subject=calendar:2031-05-06');
    expect(subject.body.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining([expect.stringContaining('calendar')]));
  });

  it('the city auditor sees its subtree only: the city admin’s changes, none of the region office’s', async () => {
    const res = await api.call(cityAuditor, 'GET', '/api/v1/audit?limit=500');
    expect(res.status).toBe(200);
    const orgs = new Set(res.body.items.map((e: { orgCode: string }) => e.orgCode));
    expect(orgs.has('NNZGB')).toBe(true);
    expect(orgs.has('GXZGB')).toBe(false);
    expect(res.text).not.toContain('五一调休测试'); // the region admin's calendar note
  });

  it('403 for every other role, 401 without a token, 422 for a bad limit or cursor; hostile subjects never a 500', async () => {
    for (const person of [staff.admin, staff.handler, staff.applicant]) {
      const res = await api.call(person, 'GET', '/api/v1/audit');
      expectProblem(res, 403, 'forbidden');
      expect(res.body.requiredRoles).toEqual(['auditor']);
    }
    await expectTokenRequired(api, 'GET', '/api/v1/audit');
    const limit = await api.call(staff.auditor, 'GET', '/api/v1/audit?limit=0');
    expectProblem(limit, 422, 'validation_failed');
    expect(limit.body.field).toBe('query.limit');
    expectProblem(await api.call(staff.auditor, 'GET', '/api/v1/audit?after=-1'), 422, 'validation_failed');
    expectProblem(await api.call(staff.auditor, 'GET', '/api/v1/audit?limit=501'), 422, 'validation_failed');
    for (const raw of [HOSTILE, RARE, CONTROL, '%', '_']) {
      const res = await api.call(staff.auditor, 'GET', `/api/v1/audit?subject=${encodeURIComponent(raw)}`);
      expectNoServerError(res);
      if (res.status === 200) expect(res.body.items).toEqual([]);
    }
  });
});
