/**
 * Issue 19 item 3 on the real server: every certificate says its state in the 电子证照 vocabulary — 有效, 已变更,
 * 已撤销 (with its reason), 已注销 (with its reason) — with the time and the deciding organisation, in the verification
 * JSON and page, the authority's record and the metadata; `POST …/cancellation` (the issuing authority only) ends a
 * certificate without a fault in it and sets its revocation bit; hostile requests are refused in words.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.js';
import { issueBody } from '../support/fixtures.js';

let server: RunningServer;
let issuer: string;

beforeAll(async () => {
  server = await startServer();
  issuer = await server.token('GXZGB', 'issuer');
}, 180_000);
afterAll(async () => server?.stop());

interface Issued {
  number: string;
  verifyUrl: string;
}
const post = (path: string, body: unknown, token = issuer) =>
  fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const issue = async (idNumber: string): Promise<Issued> => {
  const res = await post('/api/v1/certificates', issueBody({ idNumber }));
  expect(res.status).toBe(201);
  return (await res.json()) as Issued;
};
const verification = async (c: Issued) => (await fetch(`${c.verifyUrl}`, { headers: { Accept: 'application/json' } })).json();
const page = async (c: Issued) => (await fetch(c.verifyUrl)).text();
const GXZGB = { code: 'GXZGB' };

describe('the state of a certificate', () => {
  it('is 有效 for a valid one, with its code and names', async () => {
    const c = await issue('450102198005120019');
    const v = await verification(c);
    expect(v.certificate.state).toEqual({ code: 'valid', name: { zh: '有效', en: 'Valid' } });
  });

  it('is 已撤销 with the reason, the time and the deciding organisation', async () => {
    const c = await issue('110101199003074514');
    expect((await post(`/api/v1/certificates/${c.number}/revocation`, { reason: 'false_materials', note: '学历造假' })).status).toBe(200);
    const v = await verification(c);
    expect(v.status).toBe('revoked');
    expect(v.certificate.state).toMatchObject({ code: 'revoked', name: { zh: '已撤销' }, decidedBy: GXZGB, reason: { code: 'false_materials' } });
    expect(typeof v.certificate.state.at).toBe('string');
  });

  it('is 已变更 after a correction, decided by the issuing authority', async () => {
    const c = await issue('450102198005120019');
    expect((await post(`/api/v1/certificates/${c.number}/corrections`, { title: { series: 'engineering', name: '高级工程师', specialty: '电力系统' }, reason: '专业有误' })).status).toBe(201);
    expect((await verification(c)).certificate.state).toMatchObject({ code: 'superseded', name: { zh: '已变更', en: 'Superseded' }, decidedBy: GXZGB });
  });

  it('is 已注销 after a cancellation: never 有效, its revocation bit set, its record and metadata agree', async () => {
    const c = await issue('110101199003074514');
    const res = await post(`/api/v1/certificates/${c.number}/cancellation`, { reason: 'death', note: '持证人已去世' });
    expect(res.status).toBe(200);
    expect((await res.json()).state).toMatchObject({ code: 'cancelled', name: { zh: '已注销' }, reason: { code: 'death', name: { zh: '持证人死亡' } }, decidedBy: GXZGB });

    const v = await verification(c);
    expect(v.status).toBe('cancelled');
    expect(v.statusText).toEqual({ zh: '已注销', en: 'Cancelled' });
    expect(v.message.zh).toContain('注销');
    expect(v.certificate.state).toMatchObject({ code: 'cancelled', reason: { code: 'death' } });
    expect(JSON.stringify(v)).not.toContain('持证人已去世'); // the note stays with the authority
    const html = await page(c);
    expect(html).toContain('class="status cancelled"');
    expect(html).toContain('持证人死亡');

    const record = await (await fetch(`${server.baseUrl}/api/v1/certificates/${c.number}`, { headers: { Authorization: `Bearer ${issuer}` } })).json();
    expect(record).toMatchObject({ status: 'cancelled', state: { code: 'cancelled' }, cancellation: { reason: 'death', note: '持证人已去世' } });
    const meta = await (await fetch(`${server.baseUrl}/api/v1/certificates/${c.number}/metadata`, { headers: { Authorization: `Bearer ${issuer}` } })).json();
    expect(meta.status).toEqual({ code: 'cancelled', name: '已注销' });

    // The VC's revocation entry: its bit is 1, so an offline check stops trusting it too.
    const vc = await (await fetch(`${server.baseUrl}/api/v1/certificates/${c.number}/credential`, { headers: { Authorization: `Bearer ${issuer}` } })).text();
    const status = JSON.parse(Buffer.from(vc.split('.')[1]!, 'base64url').toString()).credentialStatus[0];
    const list = await (await fetch(status.statusListCredential)).text();
    const bits = gunzipSync(Buffer.from(JSON.parse(Buffer.from(list.split('.')[1]!, 'base64url').toString()).credentialSubject.encodedList.slice(1), 'base64url'));
    const index = Number(status.statusListIndex);
    expect(bits[index >> 3]! & (0x80 >> (index & 7))).not.toBe(0);

    // Once ended, nothing more: cancel again, revoke, correct — all 409 in words.
    const again = await post(`/api/v1/certificates/${c.number}/cancellation`, { reason: 'duplicate' });
    expect(again.status).toBe(409);
    expect((await again.json()).message.zh).toContain('已注销');
    expect((await post(`/api/v1/certificates/${c.number}/revocation`, { reason: 'other' })).status).toBe(409);
    expect((await post(`/api/v1/certificates/${c.number}/corrections`, { reason: '更正' })).status).toBe(409);
  });

  it('refuses hostile cancellations: a reason not on the list, another authority, no or a wrong credential, a role that may not', async () => {
    const c = await issue('450102198005120019');
    const path = `/api/v1/certificates/${c.number}/cancellation`;
    expect((await post(path, { reason: 'bored' })).status).toBe(422);
    expect((await post(path, {})).status).toBe(422);
    expect((await post(path, { reason: 'death', note: 'a\u0000b' })).status).toBe(422);
    expect((await post(path, { reason: 'death' }, await server.token('NNZGB', 'issuer'))).status).toBe(404);
    expect((await post('/api/v1/certificates/26K7Q2M9XHT/cancellation', { reason: 'death' })).status).toBe(404);
    expect((await post(path, { reason: 'death' }, '')).status).toBe(401);
    expect((await post(path, { reason: 'death' }, 'not-a-token')).status).toBe(401);
    expect((await post(path, { reason: 'death' }, await server.token('GXZGB', 'auditor'))).status).toBe(403);
    expect((await verification(c)).status).toBe('valid');
  });
});
