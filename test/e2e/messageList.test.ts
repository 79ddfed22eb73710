/**
 * Issue 19 item 3, on both runtimes: beside each revocation list an authority publishes a `message` list (W3C
 * Bitstring Status List v1.0, statusPurpose message, statusSize 2) giving every certificate's state in two bits —
 * 0x0 有效, 0x1 已变更, 0x2 已撤销, 0x3 已注销 — at the same (list, index) as its revocation bit. The server runs with
 * 16-entry test lists (ECERT_TEST_STATUS_LIST_SIZE), so the certificates spread over several lists. Dozens of
 * corrections, revocations and cancellations at once (some racing for the same certificate) leave both lists in
 * agreement with every certificate's recorded state; the offline CLI says each state in words; a hostile list
 * number or path is a problem+json 4xx, never a 500.
 */
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueBody } from '../support/fixtures.js';
import { startServer, type RunningServer } from '../support/server.js';

const COUNT = 24;
const VALUE: Record<string, number> = { valid: 0, superseded: 1, revoked: 2, cancelled: 3 };
const WORDS: Record<string, string> = { valid: '有效', superseded: '已变更', revoked: '已撤销', cancelled: '已注销' };

let server: RunningServer;
let issuer: string;
let jwks: JSONWebKeySet;
const issued: { number: string; verifyUrl: string }[] = [];

const post = (path: string, body: unknown, token: string | undefined = issuer) =>
  fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  server = await startServer({ ECERT_TEST_STATUS_LIST_SIZE: '16' });
  issuer = await server.token('GXZGB', 'issuer');
  for (let i = 0; i < COUNT; i++) {
    const res = await post('/api/v1/certificates', issueBody());
    expect(res.status, await res.clone().text()).toBe(201);
    issued.push((await res.json()) as { number: string; verifyUrl: string });
  }
  jwks = (await (await fetch(`${server.baseUrl}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
}, 300_000);
afterAll(async () => server?.stop());

async function verified(jws: string): Promise<any> {
  return JSON.parse(new TextDecoder().decode((await compactVerify(jws, createLocalJWKSet(jwks))).payload));
}

const credentialJws = async (number: string) => {
  const res = await fetch(`${server.baseUrl}/api/v1/certificates/${number}/credential`, { headers: { Authorization: `Bearer ${issuer}` } });
  expect(res.status).toBe(200);
  return res.text();
};

interface Place {
  number: string;
  jws: string;
  index: number;
  revocationUrl: string;
  messageUrl: string;
}

async function placeOf(number: string): Promise<Place> {
  const jws = await credentialJws(number);
  const [revocation, message] = (await verified(jws)).credentialStatus;
  return { number, jws, index: Number(revocation.statusListIndex), revocationUrl: revocation.statusListCredential, messageUrl: message.statusListCredential };
}

/** The decoded bits of the signed list at `url`, checked to be the list it says it is. */
async function listBits(url: string, purpose: 'revocation' | 'message'): Promise<Uint8Array> {
  const res = await fetch(url);
  expect(res.status, url).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/vc+jwt');
  expect(res.headers.get('cache-control')).toBe('public, max-age=300');
  const credential = await verified(await res.text());
  expect(credential.id).toBe(url);
  expect(credential.type).toEqual(['VerifiableCredential', 'BitstringStatusListCredential']);
  expect(credential.credentialSubject.statusPurpose).toBe(purpose);
  if (purpose === 'message') {
    expect(credential.credentialSubject.statusSize).toBe(2);
    expect(credential.credentialSubject.statusMessages.map((m: { status: string; message: string }) => `${m.status} ${m.message}`)).toEqual(['0x0 valid', '0x1 superseded', '0x2 revoked', '0x3 cancelled']);
  }
  return new Uint8Array(gunzipSync(Buffer.from(credential.credentialSubject.encodedList.slice(1), 'base64url')));
}

const bitAt = (bits: Uint8Array, i: number) => (bits[i >> 3]! >> (7 - (i & 7))) & 1;
const valueAt = (bits: Uint8Array, i: number) => (bitAt(bits, 2 * i) << 1) | bitAt(bits, 2 * i + 1);

let places: Place[] = [];

describe('the message list beside the revocation list', () => {
  it('each credential names both lists at the same place; each message list is 2 bits an entry, all 有效 at first', async () => {
    places = await Promise.all(issued.map((c) => placeOf(c.number)));
    for (const p of places) {
      expect(p.messageUrl).toBe(p.revocationUrl.replace('/revocation', '/message'));
      expect(p.messageUrl).toMatch(new RegExp(`^${server.baseUrl}/status/GXZGB/message(/[2-9][0-9]*)?$`));
    }
    const urls = [...new Set(places.map((p) => p.messageUrl))];
    expect(urls.length).toBeGreaterThanOrEqual(COUNT / 4); // 4 places a 16-entry list
    for (const url of urls) {
      const bits = await listBits(url, 'message');
      expect(bits.length).toBe(4); // 16 entries × 2 bits
      expect([...bits].every((b) => b === 0)).toBe(true);
    }
  });

  it('dozens of corrections, revocations and cancellations at once — some racing for one certificate — leave both lists agreeing with every state', async () => {
    const wrong = await post(`/api/v1/certificates/${issued[1]!.number}/revocation`, { reason: 'other', note: '无权' }, 'not-a-token');
    expect(wrong.status).toBe(401);
    expect((await post(`/api/v1/certificates/${issued[1]!.number}/cancellation`, { reason: 'death' }, '')).status).toBe(401); // no credential at all

    const correct = (number: string) => post(`/api/v1/certificates/${number}/corrections`, { title: { series: 'engineering', name: '高级工程师', specialty: '电力系统' }, reason: '专业有误' });
    const revoke = (number: string) => post(`/api/v1/certificates/${number}/revocation`, { reason: 'issued_in_error', note: '测试撤销' });
    const cancel = (number: string) => post(`/api/v1/certificates/${number}/cancellation`, { reason: 'duplicate', note: '重复发证' });
    const actions = [correct, revoke, cancel];
    const requests: Promise<Response>[] = [];
    issued.forEach((c, i) => {
      if (i % 4 === 0) return; // stays 有效
      requests.push(actions[i % 3]!(c.number));
      if (i % 2 === 1) requests.push(actions[(i + 1) % 3]!(c.number)); // a rival change of the same certificate
    });
    expect(requests.length).toBeGreaterThanOrEqual(24);
    const answers = await Promise.all(requests);
    for (const res of answers) expect([200, 201, 409], await res.clone().text()).toContain(res.status);
    expect(answers.filter((r) => r.status === 409).length).toBeGreaterThan(0);

    const states = await Promise.all(
      issued.map(async (c) => ((await (await fetch(`${server.baseUrl}/api/v1/certificates/${c.number}`, { headers: { Authorization: `Bearer ${issuer}` } })).json()) as { status: string }).status),
    );
    expect(new Set(states)).toEqual(new Set(['valid', 'superseded', 'revoked', 'cancelled']));
    // Dozens of readers at once: every list read agrees with every certificate's recorded state.
    const urls = [...new Set(places.flatMap((p) => [p.revocationUrl, p.messageUrl]))];
    const reads = await Promise.all(urls.map(async (url) => [url, await listBits(url, url.includes('/message') ? 'message' : 'revocation')] as const));
    const bits = new Map(reads);
    places.forEach((p, i) => {
      expect(valueAt(bits.get(p.messageUrl)!, p.index), `${p.number} ${states[i]}`).toBe(VALUE[states[i]!]);
      expect(bitAt(bits.get(p.revocationUrl)!, p.index), `${p.number} ${states[i]}`).toBe(states[i] === 'valid' ? 0 : 1);
    });
    // Nothing else is set: each list's set entries are exactly its ended certificates.
    for (const url of urls.filter((u) => u.includes('/message'))) {
      const mine = places.map((p, i) => [p, states[i]!] as const).filter(([p]) => p.messageUrl === url);
      const set = Array.from({ length: 16 }, (_, i) => i).filter((i) => valueAt(bits.get(url)!, i) !== 0);
      expect(set.sort((a, b) => a - b)).toEqual(mine.filter(([, s]) => s !== 'valid').map(([p]) => p.index).sort((a, b) => a - b));
    }
  });

  it('the offline CLI reads each state from the message list and says it in words; only 有效 passes', async () => {
    const trust = join(server.env.ECERT_KEYS!, 'root.pem');
    const states = await Promise.all(
      places.map(async (p) => ((await (await fetch(`${server.baseUrl}/api/v1/certificates/${p.number}`, { headers: { Authorization: `Bearer ${issuer}` } })).json()) as { status: string }).status),
    );
    for (const state of ['valid', 'superseded', 'revoked', 'cancelled']) {
      const p = places[states.indexOf(state)]!;
      const out = await server.cli(['verify', p.jws, '--trust', trust]);
      expect(out.stdout, state).toContain(`${state === 'valid' ? '✓' : '✗'} message_list: 状态：${WORDS[state]}（状态消息列表 ${p.messageUrl} #${p.index}）`);
      expect(out.stdout).not.toContain('两者不一致');
      expect(out.code, out.stdout + out.stderr).toBe(state === 'valid' ? 0 : 1);
    }
    // A corrected certificate's new version is a valid one in its own place.
    const successor = (await (await fetch(`${server.baseUrl}/api/v1/certificates/${places[states.indexOf('superseded')]!.number}`, { headers: { Authorization: `Bearer ${issuer}` } })).json()) as { supersession: { successor: string } };
    const next = await placeOf(successor.supersession.successor);
    expect(valueAt(await listBits(next.messageUrl, 'message'), next.index)).toBe(0);
    const out = await server.cli(['verify', next.jws, '--trust', trust]);
    expect(out.stdout).toContain('✓ message_list: 状态：有效');
    expect(out.code, out.stdout).toBe(0);
  });

  it('a hostile list number or path is a 4xx problem+json, never a 500', async () => {
    const paths = [
      '/status/GXZGB/message/9999999', // a list never opened

      '/status/GXZGB/message/1',
      '/status/XXXXX/message',
      '/status/XXXXX/message/2',
      '/status/GXZGB/message/0',
      '/status/GXZGB/message/abc',
      '/status/GXZGB/message/99999999999',
      '/status/GXZGB/message/-1',
      '/status/GXZGB/message/2%00',
      '/status/GXZGB/message/1e3',
      '/status/x/message',
      '/status/GXZGB/message/2/extra',
      '/status/GXZGB/message/..%2Frevocation',
      `/status/GXZGB/message/${'9'.repeat(5000)}`,
    ];
    const answers = await Promise.all(paths.map((path) => fetch(`${server.baseUrl}${path}`)));
    answers.forEach((res, i) => {
      expect(res.status, paths[i]).toBeGreaterThanOrEqual(400);
      expect(res.status, paths[i]).toBeLessThan(500);
    });
    for (const [i, res] of answers.slice(0, 4).entries()) {
      expect(res.status, paths[i]).toBe(404);
      expect(res.headers.get('content-type'), paths[i]).toContain('application/problem+json');
      const problem = (await res.json()) as { message?: { zh?: string; en?: string } };
      expect(problem.message?.zh, paths[i]).toBeTruthy();
      expect(problem.message?.en, paths[i]).toBeTruthy();
    }
    for (const [i, res] of answers.slice(4).entries()) {
      if (res.status !== 404 || res.headers.get('content-type')?.includes('problem+json')) continue;
      throw new Error(`${paths[i + 4]}: a 404 that is not problem+json`);
    }
  });
});
