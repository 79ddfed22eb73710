/**
 * Issue 15, on both runtimes: an authority's status lists beyond the first. The server runs with a 16-entry
 * test list (ECERT_TEST_STATUS_LIST_SIZE, refused in production), so a list is full at 4 places. Dozens of
 * credentials asked for at once land in lists 1, 2, 3, … — never sharing a place, never side by side, never
 * over 4 a list — each naming its own list's address, each list its own signed credential; revoking one in
 * list 2 flips exactly its bit there; the offline CLI follows statusListCredential to list 2.
 */
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueBody } from '../support/fixtures.js';
import { startServer, type RunningServer } from '../support/server.js';

const COUNT = 24;
let server: RunningServer;
let issuer: string;
const issued: { number: string; verifyUrl: string }[] = [];

beforeAll(async () => {
  server = await startServer({ ECERT_TEST_STATUS_LIST_SIZE: '16' });
  issuer = await server.token('GXZGB', 'issuer');
  for (let i = 0; i < COUNT; i++) {
    const res = await fetch(`${server.baseUrl}/api/v1/certificates`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(issueBody()),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    issued.push((await res.json()) as { number: string; verifyUrl: string });
  }
}, 300_000);
afterAll(async () => server?.stop());

async function verified(jws: string): Promise<any> {
  const jwks = (await (await fetch(`${server.baseUrl}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
  return JSON.parse(new TextDecoder().decode((await compactVerify(jws, createLocalJWKSet(jwks))).payload));
}

const proofOf = (i: number) => new URL(issued[i]!.verifyUrl).searchParams.get('s')!;
async function credentialJws(i: number): Promise<string> {
  const res = await fetch(`${server.baseUrl}/api/v1/certificates/${issued[i]!.number}/credential?s=${proofOf(i)}`);
  expect(res.status).toBe(200);
  return res.text();
}

async function listBits(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  expect(res.status, url).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/vc+jwt');
  expect(res.headers.get('cache-control')).toBe('public, max-age=300');
  const credential = await verified(await res.text());
  expect(credential.id).toBe(url);
  expect(credential.type).toEqual(['VerifiableCredential', 'BitstringStatusListCredential']);
  return new Uint8Array(gunzipSync(Buffer.from(credential.credentialSubject.encodedList.slice(1), 'base64url')));
}

const ones = (bits: Uint8Array) => [...bits].flatMap((byte, i) => [0, 1, 2, 3, 4, 5, 6, 7].filter((b) => byte & (0x80 >> b)).map((b) => i * 8 + b));
const listUrl = (list: number) => `${server.baseUrl}/status/GXZGB/revocation${list === 1 ? '' : `/${list}`}`;

let places: { list: number; index: number; jws: string }[] = [];

describe('status lists beyond one per authority', () => {
  it('dozens of credentials at once fill list 1, then 2, 3, …: no shared place, none adjacent, at most a quarter of a list each', async () => {
    const jwss = await Promise.all(issued.map((_, i) => credentialJws(i)));
    places = await Promise.all(
      jwss.map(async (jws) => {
        const status = (await verified(jws)).credentialStatus[0];
        const url: string = status.statusListCredential;
        const list = url === listUrl(1) ? 1 : Number(/\/revocation\/(\d+)$/.exec(url)?.[1]);
        expect(url).toBe(listUrl(list));
        expect(status.id).toBe(`${url}#${status.statusListIndex}`);
        return { list, index: Number(status.statusListIndex), jws };
      }),
    );
    const byList = new Map<number, number[]>();
    for (const p of places) byList.set(p.list, [...(byList.get(p.list) ?? []), p.index]);
    expect(Math.min(...byList.keys())).toBe(1);
    expect([...byList.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: byList.size }, (_, i) => i + 1));
    expect(byList.size).toBeGreaterThanOrEqual(COUNT / 4);
    for (const [list, indexes] of byList) {
      expect(indexes.length, `list ${list}`).toBeLessThanOrEqual(4);
      const sorted = [...indexes].sort((a, b) => a - b);
      expect(sorted.every((x, i) => x >= 0 && x < 16 && (i === 0 || x - sorted[i - 1]! > 1)), `list ${list}: ${sorted}`).toBe(true);
    }
    // Asked again, a credential keeps its place.
    expect((await verified(await credentialJws(0))).credentialStatus[0].statusListIndex).toBe(String(places[0]!.index));
  });

  it('each list is its own signed credential at its own address; lists not yet opened are 404, never a 500', async () => {
    const lists = Math.max(...places.map((p) => p.list));
    for (let list = 1; list <= lists; list++) {
      const bits = await listBits(listUrl(list));
      expect(bits.length).toBe(2);
      expect(ones(bits)).toEqual([]);
    }
    for (const path of [`/status/GXZGB/revocation/${lists + 1}`, '/status/GXZGB/revocation/1', '/status/XXXXX/revocation/2']) {
      const res = await fetch(`${server.baseUrl}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toContain('application/problem+json');
    }
    // List 1 exists at its own address: the answer says where, never that it is missing.
    const first = await (await fetch(`${server.baseUrl}/status/GXZGB/revocation/1`)).json();
    expect(first.message.zh).toBe('第 1 个撤销状态列表的地址是 /status/GXZGB/revocation（不带序号）');
    expect(first.message.zh).not.toContain('没有');
    for (const path of ['/status/GXZGB/revocation/0', '/status/GXZGB/revocation/abc', '/status/GXZGB/revocation/99999999999']) {
      const res = await fetch(`${server.baseUrl}${path}`);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
  });

  it('revoking a certificate in list 2 flips exactly its bit in list 2 and nothing in list 1; the CLI follows the credential to list 2', async () => {
    const target = places.findIndex((p) => p.list === 2);
    const keep = places.findIndex((p, i) => p.list === 2 && i !== target);
    expect(target).toBeGreaterThanOrEqual(0);
    const revoked = await fetch(`${server.baseUrl}/api/v1/certificates/${issued[target]!.number}/revocation`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ reason: 'issued_in_error', note: '测试撤销' }),
    });
    expect(revoked.status).toBe(200);
    expect(ones(await listBits(listUrl(2)))).toEqual([places[target]!.index]);
    expect(ones(await listBits(listUrl(1)))).toEqual([]);

    const trust = join(server.env.ECERT_KEYS!, 'root.pem');
    const bad = await server.cli(['verify', places[target]!.jws, '--trust', trust]);
    expect(bad.code, bad.stdout + bad.stderr).toBe(1);
    expect(bad.stdout).toContain(`✗ status_list: 已撤销（状态列表 ${listUrl(2)} #${places[target]!.index}）`);
    const good = await server.cli(['verify', places[keep]!.jws, '--trust', trust]);
    expect(good.code, good.stdout + good.stderr).toBe(0);
    expect(good.stdout).toContain(`✓ status_list: 未撤销（状态列表 ${listUrl(2)} #${places[keep]!.index}）`);
    // A QR link: the CLI fetches the link's credential and reads its list too.
    const link = await server.cli(['verify', issued[target]!.verifyUrl, '--trust', trust]);
    expect(link.code).toBe(1);
    expect(link.stdout).toContain(`✗ status_list: 已撤销（状态列表 ${listUrl(2)} #${places[target]!.index}）`);
  });
});
