/**
 * Issue 15: an authority's status lists beyond the first. With a small injected list size (16 entries, so a
 * list is full at 4 places) certificates fill list 1, then land in list 2 and 3 with their list's address;
 * every list keeps the privacy rule (random, never adjacent); revoking a certificate in list 2 flips exactly
 * its bit in list 2's signed credential and nothing in list 1; dozens of allocations at once never share a
 * place nor overfill a list. Real SQLite file, real signatures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { compactVerify, createLocalJWKSet } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Certificate } from '../../src/domain/certificate.js';
import { loadConfig } from '../../src/entry/config.js';
import { isStatusListSize, listForNewPlace, STATUS_LIST_SIZE, statusListCapacity } from '../../src/domain/statusList.js';
import { certificateCredential, statusListCredential } from '../../src/services/credentials.js';
import { issueCertificate } from '../../src/services/issueCertificate.js';
import type { Actor } from '../../src/services/context.js';
import { issueBody } from '../support/fixtures.js';
import { makeContext, type TestContext } from './support.js';

const issuer: Actor = { orgCode: 'GXZGB', role: 'issuer', tokenId: 't', personId: 'P', personName: '签发员' };
const SIZE = 16;

let dir: string;
let t: TestContext;
let base: Certificate;
let pdf: Uint8Array;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ecert-lists-'));
  t = await makeContext({ path: join(dir, 'ecert.db') });
  t.ctx.statusListSize = SIZE;
  const issued = await issueCertificate(t.ctx, issuer, issueBody() as never);
  base = issued.certificate;
  pdf = (await t.ctx.certificates.pdf(base.number))!;
});
afterEach(() => {
  t.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `n` more certificates of the same authority (rows only: the PDF is not what this is about). */
async function more(n: number): Promise<Certificate[]> {
  const out: Certificate[] = [];
  for (let i = 0; i < n; i++) {
    // Without the identifier (issue 19): it is unique per certificate, and these rows copy one.
    const certificate = { ...base, identifier: undefined, number: `${base.number}-${out.length}-${Math.random().toString(36).slice(2, 8)}`, token: `${base.token}.${i}` };
    await t.ctx.certificates.insert(certificate, pdf);
    out.push(certificate);
  }
  return out;
}

async function verified(jws: string): Promise<any> {
  const jwks = (await t.ctx.trust()).jwks();
  return JSON.parse(new TextDecoder().decode((await compactVerify(jws, createLocalJWKSet(jwks as never))).payload));
}

async function statusOf(certificate: Certificate): Promise<{ list: number; index: number; url: string; id: string }> {
  const status = (await verified(await certificateCredential(t.ctx, certificate))).credentialStatus[0];
  const place = (await t.ctx.certificates.statusPlace(certificate.number))!;
  expect(Number(status.statusListIndex)).toBe(place.index);
  return { ...place, url: status.statusListCredential, id: status.id };
}

async function bitsOf(list: number): Promise<{ bits: Uint8Array; id: string }> {
  const credential = await verified(await statusListCredential(t.ctx, 'GXZGB', list));
  const encoded: string = credential.credentialSubject.encodedList;
  return { bits: new Uint8Array(gunzipSync(Buffer.from(encoded.slice(1), 'base64url'))), id: credential.id };
}

const ones = (bits: Uint8Array) => [...bits].flatMap((byte, i) => [0, 1, 2, 3, 4, 5, 6, 7].filter((b) => byte & (0x80 >> b)).map((b) => i * 8 + b));
const neverAdjacent = (indexes: number[]) => [...indexes].sort((a, b) => a - b).every((x, i, all) => i === 0 || x - all[i - 1]! > 1);

describe('status lists beyond one per authority', () => {
  it('a list is full at a quarter of its size; the production size stays 131,072', () => {
    expect(STATUS_LIST_SIZE).toBe(131_072);
    expect(statusListCapacity()).toBe(32_768);
    expect(statusListCapacity(SIZE)).toBe(4);
    expect(listForNewPlace(undefined, 4)).toBe(1);
    expect(listForNewPlace({ list: 1, used: 3 }, 4)).toBe(1);
    expect(listForNewPlace({ list: 1, used: 4 }, 4)).toBe(2);
    expect([16, 1024, 131_072].every(isStatusListSize)).toBe(true);
    expect([0, 8, 24, 100, 2 ** 25, 1.5].some(isStatusListSize)).toBe(false);
    // The test size is a test setting only: refused in production, and only sizes the draw keeps uniform.
    expect(loadConfig({}).statusListSize).toBeUndefined();
    expect(loadConfig({ ECERT_TEST_STATUS_LIST_SIZE: '16' }).statusListSize).toBe(16);
    expect(() => loadConfig({ ECERT_TEST_STATUS_LIST_SIZE: '16', NODE_ENV: 'production' })).toThrow(/ECERT_TEST_STATUS_LIST_SIZE/);
    expect(() => loadConfig({ ECERT_TEST_STATUS_LIST_SIZE: '100' })).toThrow(/ECERT_TEST_STATUS_LIST_SIZE/);
  });

  it('fills list 1, then certificates land in list 2 and 3 with their list’s address; random and never adjacent in each', async () => {
    const all = [base, ...(await more(9))];
    const places = [];
    for (const certificate of all) places.push(await statusOf(certificate));
    expect(places.map((p) => p.list)).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 3, 3]);
    for (const p of places) {
      const url = p.list === 1 ? 'http://localhost:8787/status/GXZGB/revocation' : `http://localhost:8787/status/GXZGB/revocation/${p.list}`;
      expect(p.url).toBe(url);
      expect(p.id).toBe(`${url}#${p.index}`);
      expect(p.index).toBeGreaterThanOrEqual(0);
      expect(p.index).toBeLessThan(SIZE);
    }
    for (const list of [1, 2, 3]) expect(neverAdjacent(places.filter((p) => p.list === list).map((p) => p.index)), `list ${list}`).toBe(true);
    // Asking again gives the same place.
    expect(await statusOf(all[5]!)).toEqual(places[5]);
    // Each list is its own signed credential, named by its address, of the list's size.
    for (const list of [1, 2, 3]) {
      const { bits, id } = await bitsOf(list);
      expect(bits.length * 8).toBe(SIZE);
      expect(id).toBe(places.find((p) => p.list === list)!.url);
    }
  });

  it('revoking a certificate in list 2 flips exactly its bit in list 2 and nothing in list 1', async () => {
    const all = [base, ...(await more(5))];
    const places = [];
    for (const certificate of all) places.push(await statusOf(certificate));
    const target = places.findIndex((p) => p.list === 2);
    expect(target).toBe(4);
    expect(ones((await bitsOf(1)).bits)).toEqual([]);
    expect(ones((await bitsOf(2)).bits)).toEqual([]);
    expect(await t.ctx.certificates.revoke(all[target]!.number, { at: '2026-11-28T04:00:00Z', reason: 'issued_in_error', note: '测试', by: 'P' })).toBe(true);
    expect(ones((await bitsOf(2)).bits)).toEqual([places[target]!.index]);
    expect(ones((await bitsOf(1)).bits)).toEqual([]);
  });

  it('dozens of allocations at once never share a place, never sit side by side and never overfill a list', async () => {
    const all = [base, ...(await more(47))];
    // Two connections to the same file, as two processes would be: each runs its share at once.
    const second = await makeContext({ path: join(dir, 'ecert.db') });
    second.ctx.statusListSize = SIZE;
    try {
      const places = await Promise.all(all.map((c, i) => (i % 2 ? certificateCredential(second.ctx, c) : certificateCredential(t.ctx, c))));
      expect(places).toHaveLength(48);
      const rows = t.db.prepare("SELECT status_list AS list, status_index AS idx FROM certificates WHERE authority_code = 'GXZGB'").all() as { list: number; idx: number }[];
      expect(rows.every((r) => r.idx !== null)).toBe(true);
      const byList = new Map<number, number[]>();
      for (const r of rows) byList.set(r.list, [...(byList.get(r.list) ?? []), r.idx]);
      expect(new Set(rows.map((r) => `${r.list}:${r.idx}`)).size).toBe(48);
      for (const [list, indexes] of byList) {
        expect(indexes.length, `list ${list}`).toBeLessThanOrEqual(4);
        expect(neverAdjacent(indexes), `list ${list}`).toBe(true);
      }
      expect(Math.max(...byList.keys())).toBeGreaterThanOrEqual(12);
    } finally {
      second.close();
    }
  });
});
