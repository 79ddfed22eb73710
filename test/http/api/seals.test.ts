/**
 * http/api/seals in-process (issue 16 items 1 and 5): an organisation's USCC on the organisation API, and its
 * electronic seal — created, rotated and revoked by an admin of its own office or one above it, never by
 * anyone else; twenty concurrent creates leave exactly one active seal; each change audited; sealSigner
 * finds the active seal and refuses in words once it is revoked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usccCheckCharacter } from '../../../src/domain/uscc.js';
import { sealSigner } from '../../../src/services/seals.js';
import { parseCertificate, isSealCertificate } from '../../../src/crypto/lib/certificate.js';
import { ORGANISATIONS, addPerson, setUpWorkflow, type Person, type Staff } from '../../support/workflow.js';
import { expectNoServerError, expectProblem, expectTokenRequired, openApi, tally, type InProcessApi } from './support.js';

let api: InProcessApi;
let staff: Staff;
let cityAdmin: Person;

/** A code with the right GB 32100 check character, from 17 characters. */
const uscc = (first17: string) => `${first17}${usccCheckCharacter(first17)}`;
const org = (code: string) => ORGANISATIONS.find((o) => o.code === code)!;

beforeAll(async () => {
  api = await openApi();
  staff = await setUpWorkflow(api);
  cityAdmin = await addPerson(api, staff.admin, 'NNZGB', 'admin', '南宁管理员');
}, 60_000);
afterAll(() => api?.stop());

const setUscc = (who: Person, code: string, value: string | null) => api.call(who, 'POST', '/api/v1/organisations', { json: { ...org(code), uscc: value } });
const seals = (code: string) => `/api/v1/organisations/${code}/seals`;

describe('an organisation’s USCC (统一社会信用代码)', () => {
  it('is saved with the organisation and given back; a wrong check character is a 422 naming the right one', async () => {
    const good = uscc('11450100MB0000001');
    const saved = await setUscc(staff.admin, 'NNZGB', good.toLowerCase());
    expect([saved.status, saved.body.uscc]).toEqual([200, good]);
    const wrong = `${good.slice(0, 17)}${good[17] === '0' ? '1' : '0'}`;
    const refused = await setUscc(staff.admin, 'NNZGB', wrong);
    expectProblem(refused, 422, 'validation_failed');
    expect(refused.body.field).toBe('uscc');
    expect(refused.body.message.zh).toContain(`应为“${good[17]}”`);
    expect(refused.body.message.en).toContain(`calls for “${good[17]}”`);
    // Left out, it is kept; the list shows it.
    expect((await api.call(staff.admin, 'POST', '/api/v1/organisations', { json: org('NNZGB') })).body.uscc).toBe(good);
    const listed = (await api.call(staff.handler, 'GET', '/api/v1/organisations')).body.items;
    expect(listed.find((o: { code: string }) => o.code === 'NNZGB').uscc).toBe(good);
    expect(listed.find((o: { code: string }) => o.code === 'NNLQ01')).not.toHaveProperty('uscc');
  });
});

describe('PUT /api/v1/organisations/{code}/uscc (own office or below)', () => {
  it('the region admin records its own office’s USCC; a city admin may not touch the region office’s; a bad one 422; blank clears', async () => {
    const put = (who: Person, code: string, value: string | null) => api.call(who, 'PUT', `/api/v1/organisations/${code}/uscc`, { json: { uscc: value } });
    const own = await put(staff.admin, 'GXZGB', uscc('12450000MB0000003'));
    expect([own.status, own.body.code]).toEqual([200, 'GXZGB']);
    expectProblem(await put(cityAdmin, 'GXZGB', null), 403, 'forbidden');
    const bad = await put(staff.admin, 'GXZGB', '91350100M000100Y4Z');
    expectProblem(bad, 422, 'validation_failed');
    expect(bad.body.message.zh).toContain('第 18 位“Z”');
    expect((await put(cityAdmin, 'NNLQ01', '  ')).body).toEqual({ code: 'NNLQ01', uscc: null });
    await expectTokenRequired(api, 'PUT', '/api/v1/organisations/GXZGB/uscc', { json: { uscc: null } });
    const audit = await api.context.deps.audit.list({ orgCodes: ['GXZGB'], subject: 'organisation:GXZGB', afterSeq: 0, limit: 50 });
    expect(audit.map((e) => e.action)).toContain('organisation.uscc');
  });
});

describe('seals: who may', () => {
  it('no token or an unknown one 401; a non-admin 403; a city admin on the region office 403', async () => {
    await expectTokenRequired(api, 'POST', seals('NNZGB'), { json: {} });
    await expectTokenRequired(api, 'GET', seals('NNZGB'));
    expectProblem(await api.call(staff.handler, 'POST', seals('NNJTJ'), { json: {} }), 403, 'forbidden');
    expectProblem(await api.call(staff.auditor, 'GET', seals('GXZGB')), 403, 'forbidden');
    expectProblem(await api.call(cityAdmin, 'POST', seals('GXZGB'), { json: {} }), 403, 'forbidden');
    expectProblem(await api.call(cityAdmin, 'GET', seals('GXJTT')), 403, 'forbidden');
    expectProblem(await api.call(cityAdmin, 'POST', `${seals('GXZGB')}/rotation`, { json: {} }), 403, 'forbidden');
  });

  it('an organisation without a USCC cannot have a seal yet (422, field uscc)', async () => {
    const res = await api.call(cityAdmin, 'POST', seals('NNLQ01'), { json: {} });
    expectProblem(res, 422, 'validation_failed');
    expect(res.body.field).toBe('uscc');
  });
});

describe('seals: create, rotate, revoke', () => {
  it('twenty concurrent creates for one organisation: exactly one 201, the rest 409, one active seal', async () => {
    expect((await setUscc(staff.admin, 'NNJTJ', uscc('11450100MB0000002'))).status).toBe(200);
    const answers = await Promise.all(Array.from({ length: 20 }, () => api.call(staff.admin, 'POST', seals('NNJTJ'), { json: {} })));
    answers.forEach(expectNoServerError);
    expect(tally(answers)).toEqual({ 201: 1, 409: 19 });
    for (const refused of answers.filter((a) => a.status === 409)) expectProblem(refused, 409, 'conflict');
    const list = await api.call(staff.admin, 'GET', seals('NNJTJ'));
    expect(list.body.items.map((s: { status: string }) => s.status)).toEqual(['active']);
  });

  it('the city admin creates its own office’s seal: a certificate naming it, never a key in the answer; a second create 409', async () => {
    const created = await api.call(cityAdmin, 'POST', seals('NNZGB'), { json: {} });
    expect([created.status, created.headers.get('Cache-Control')]).toEqual([201, 'private, no-store']);
    expect(created.body).toMatchObject({ orgCode: 'NNZGB', status: 'active', uscc: expect.stringMatching(/^11450100MB0000001/) });
    expect(created.text).not.toMatch(/PRIVATE KEY|ciphertext|sealedKey|key_iv/i);
    const cert = parseCertificate(created.body.certificatePem)!;
    expect(isSealCertificate(cert)).toBe(true);
    expect(cert.subjectName.getField('O')).toEqual(['南宁市职称改革工作领导小组办公室']);
    expect(cert.subjectName.getField('2.5.4.5')).toEqual([created.body.uscc]);
    expectProblem(await api.call(cityAdmin, 'POST', seals('NNZGB'), { json: {} }), 409, 'conflict');

    const signer = await sealSigner(api.context.deps, 'NNZGB');
    expect([signer.sealId, signer.kid, signer.x5c.length]).toEqual([created.body.id, created.body.kid, 3]);
    expect(signer.privateKey.extractable).toBe(false);
  });

  it('rotation retires the old seal (kept) and makes a new active one; revocation stops signing at once; each audited', async () => {
    const before = (await api.call(cityAdmin, 'GET', seals('NNZGB'))).body.items[0];
    const rotated = await api.call(cityAdmin, 'POST', `${seals('NNZGB')}/rotation`, { json: {} });
    expect(rotated.status).toBe(201);
    expect(rotated.body.retired).toBe(before.id);
    expect(rotated.body.seal.kid).not.toBe(before.kid);
    const listed = (await api.call(cityAdmin, 'GET', seals('NNZGB'))).body.items as { id: string; status: string }[];
    expect(listed.map((s) => [s.id, s.status])).toEqual(expect.arrayContaining([[before.id, 'retired'], [rotated.body.seal.id, 'active']]));
    expect((await sealSigner(api.context.deps, 'NNZGB')).sealId).toBe(rotated.body.seal.id);

    const revoked = await api.call(cityAdmin, 'POST', `${seals('NNZGB')}/${rotated.body.seal.id}/revocation`, { json: { reason: '私钥可能泄露' } });
    expect(revoked.body).toMatchObject({ status: 'revoked', revocationReason: '私钥可能泄露' });
    await expect(sealSigner(api.context.deps, 'NNZGB')).rejects.toMatchObject({ code: 'conflict', zh: expect.stringContaining('该单位尚未设置电子印章') });
    expectProblem(await api.call(cityAdmin, 'POST', `${seals('NNZGB')}/${rotated.body.seal.id}/revocation`, { json: { reason: '再次' } }), 409, 'already_revoked');
    expectProblem(await api.call(cityAdmin, 'POST', `${seals('NNZGB')}/rotation`, { json: {} }), 409, 'conflict');

    const audit = await api.context.deps.audit.list({ orgCodes: ['NNZGB'], afterSeq: 0, limit: 500 });
    const actions = audit.filter((e) => e.action.startsWith('seal.')).map((e) => [e.action, e.subject]);
    expect(actions).toEqual([
      ['seal.create', `seal:${before.id}`],
      ['seal.rotate', `seal:${rotated.body.seal.id}`],
      ['seal.revoke', `seal:${rotated.body.seal.id}`],
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/PRIVATE KEY|ciphertext/);
  });

  it('a seal id of another organisation is a 404; a malformed one a 422', async () => {
    const nnjtj = (await api.call(staff.admin, 'GET', seals('NNJTJ'))).body.items[0];
    expectProblem(await api.call(staff.admin, 'POST', `${seals('NNZGB')}/${nnjtj.id}/revocation`, { json: { reason: 'x' } }), 404, 'not_found');
    expectProblem(await api.call(staff.admin, 'POST', `${seals('NNZGB')}/..%2F/revocation`, { json: { reason: 'x' } }), 422);
  });
});

describe('the admin console (/console/admin): seals listed with their buttons', () => {
  /** test/support/session.ts's sign-in, through app.request. */
  async function signIn(person: Person): Promise<{ cookie: string; csrf: string; page: string }> {
    const base = api.baseUrl;
    const form = await api.fetch!(`${base}/login`, {});
    const csrfCookie = /ecert_csrf=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')![1];
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const res = await api.fetch!(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: base, Cookie: `ecert_csrf=${csrfCookie}` },
      body: new URLSearchParams({ _csrf: csrf, token: person.token }).toString(),
    });
    const cookie = `ecert_session=${/ecert_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]}`;
    const page = await (await api.fetch!(`${base}/console/admin`, { headers: { Cookie: cookie } })).text();
    return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page)![1]!, page };
  }
  const post = async (session: { cookie: string; csrf: string }, path: string, fields: Record<string, string>) => {
    const res = await api.fetch!(`${api.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: api.baseUrl, Cookie: session.cookie },
      body: new URLSearchParams({ _csrf: session.csrf, ...fields }).toString(),
    });
    return { status: res.status, text: await res.text() };
  };

  it('shows each organisation’s USCC and seals; replace, revoke and create work from the page; refusals in words', async () => {
    const session = await signIn(cityAdmin);
    expect(session.page).toContain('电子印章');
    expect(session.page).toContain('已注销');
    expect(session.page).toContain('已更换（保留以核验既往意见）');
    expect(session.page).toContain('action="/console/admin/seals/rotate"');
    expect(session.page).not.toMatch(/PRIVATE KEY|ciphertext/);

    const rotated = await post(session, '/console/admin/seals/rotate', { code: 'NNJTJ' });
    expect([rotated.status, rotated.text.includes('已更换 NNJTJ 的电子印章')]).toEqual([200, true]);
    const active = (await api.call(cityAdmin, 'GET', seals('NNJTJ'))).body.items.find((s: { status: string }) => s.status === 'active');
    const revoked = await post(session, '/console/admin/seals/revoke', { code: 'NNJTJ', id: active.id, reason: '单位合并' });
    expect(revoked.text).toContain('已注销 NNJTJ 的电子印章');
    const created = await post(session, '/console/admin/seals/create', { code: 'NNJTJ' });
    expect(created.text).toContain('已为 NNJTJ 创建电子印章');

    const outside = await post(session, '/console/admin/seals/create', { code: 'GXZGB' });
    expect([outside.status, outside.text.includes('不在您的管理范围内')]).toEqual([200, true]);
    const noCode = await post(session, '/console/admin/seals/create', { code: 'NNLQ01' });
    expect(noCode.text).toContain('请先为 南宁路桥工程有限公司 填写统一社会信用代码');
    const badCode = await post(session, '/console/admin/organisations', { code: 'NNLQ01', name: '南宁路桥工程有限公司', kind: 'unit', parentCode: 'NNJTJ', uscc: '91350100M000100Y44' });
    expect(badCode.text).toContain('统一社会信用代码校验位错误');
    const goodCode = await post(session, '/console/admin/organisations', { code: 'NNLQ01', name: '南宁路桥工程有限公司', kind: 'unit', parentCode: 'NNJTJ', uscc: '91350100M000100Y43' });
    expect(goodCode.text).toContain('91350100M000100Y43');
    const own = await post(session, '/console/admin/organisations/uscc', { code: 'NNZGB', uscc: '9144030071526726XG' });
    expect(own.text).toContain('已保存 NNZGB 的统一社会信用代码 9144030071526726XG');
    const refused = await post(session, '/console/admin/organisations/uscc', { code: 'NNZGB', uscc: '9144030071526726X0' });
    expect(refused.text).toContain('按 GB 32100-2015 应为“G”');
  });
});
