/**
 * Issue 7: the certificate as a W3C Verifiable Credential 2.0 secured with JOSE, checked with jose against
 * nothing but our published JWKS, and the authority's Bitstring Status List — decoded bit by bit before and
 * after a revocation. Runs on Node and on workerd.
 */
import { gunzipSync } from 'node:zlib';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueBody } from '../support/fixtures.js';
import { startServer, type RunningServer } from '../support/server.js';

let server: RunningServer;
let issuer: string;
const issued: { number: string; verifyUrl: string }[] = [];

beforeAll(async () => {
  server = await startServer();
  issuer = await server.token('GXZGB', 'issuer');
  for (const idNumber of ['450102198005120019', '450103198501010026']) {
    const res = await fetch(`${server.baseUrl}/api/v1/certificates`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(issueBody({ idNumber, gender: idNumber.endsWith('19') ? 'male' : 'female' })),
    });
    expect(res.status).toBe(201);
    issued.push((await res.json()) as { number: string; verifyUrl: string });
  }
});
afterAll(async () => server?.stop());

async function verified(jws: string) {
  const jwks = (await (await fetch(`${server.baseUrl}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
  const { payload, protectedHeader } = await compactVerify(jws, createLocalJWKSet(jwks));
  return { header: protectedHeader, credential: JSON.parse(new TextDecoder().decode(payload)) };
}

async function credentialOf(i: number) {
  const proof = new URL(issued[i]!.verifyUrl).searchParams.get('s')!;
  const res = await fetch(`${server.baseUrl}/api/v1/certificates/${issued[i]!.number}/credential?s=${proof}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/vc+jwt');
  return verified(await res.text());
}

async function statusBits(): Promise<{ bits: Uint8Array; cacheControl: string | null; credential: any }> {
  const res = await fetch(`${server.baseUrl}/status/GXZGB/revocation`);
  expect(res.status).toBe(200);
  const { credential, header } = await verified(await res.text());
  expect(header).toMatchObject({ typ: 'vc+jwt', cty: 'vc' });
  const encoded: string = credential.credentialSubject.encodedList;
  expect(encoded[0]).toBe('u'); // multibase base64url
  return { bits: new Uint8Array(gunzipSync(Buffer.from(encoded.slice(1), 'base64url'))), cacheControl: res.headers.get('cache-control'), credential };
}

const bit = (bits: Uint8Array, i: number) => (bits[i >> 3]! >> (7 - (i & 7))) & 1;

describe('the certificate as a Verifiable Credential (VC 2.0, vc+jwt)', () => {
  it('verifies with jose against our JWKS; the issuer is the authority; the facts include the original date and specialty', async () => {
    const { header, credential } = await credentialOf(0);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'vc+jwt', cty: 'vc' });
    expect(credential['@context'][0]).toBe('https://www.w3.org/ns/credentials/v2');
    expect(credential.type).toEqual(['VerifiableCredential', 'ProfessionalTitleCredential']);
    expect(credential.issuer.id).toBe(`${server.baseUrl}/authorities/GXZGB`);
    expect(credential.validFrom).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(credential.credentialSubject).toMatchObject({
      name: '张三丰',
      idNumberMasked: '4501**********0019',
      hasTitle: { name: '高级工程师', specialty: '电气工程', originallyAcquiredOn: '2015-12-30', decisionNumber: '桂职办〔2026〕15号' },
    });
    expect(JSON.stringify(credential)).not.toContain('450102198005120019');
    expect(credential.credentialStatus).toHaveLength(2);
    expect(credential.credentialStatus[0]).toMatchObject({ type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListCredential: `${server.baseUrl}/status/GXZGB/revocation` });
    // Issue 19 item 3: the message entry, same place, 2 bits, the four states committed to at issuance.
    expect(credential.credentialStatus[1]).toMatchObject({
      type: 'BitstringStatusListEntry',
      statusPurpose: 'message',
      statusListIndex: credential.credentialStatus[0].statusListIndex,
      statusListCredential: `${server.baseUrl}/status/GXZGB/message`,
      statusSize: 2,
    });
    expect(credential.credentialStatus[1].statusMessage.map((m: { status: string; message: string }) => `${m.status} ${m.message}`)).toEqual(['0x0 valid', '0x1 superseded', '0x2 revoked', '0x3 cancelled']);

    const issuerDoc = (await (await fetch(`${server.baseUrl}/authorities/GXZGB`)).json()) as { id: string; keys: { kid: string }[] };
    expect(issuerDoc.id).toBe(credential.issuer.id);
    expect(issuerDoc.keys.map((k) => k.kid)).toContain(header.kid);
  });

  it('needs the QR link proof or the authority’s token', async () => {
    const number = issued[0]!.number;
    expect((await fetch(`${server.baseUrl}/api/v1/certificates/${number}/credential`)).status).toBe(401);
    expect((await fetch(`${server.baseUrl}/api/v1/certificates/${number}/credential?s=AAAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404);
    const staff = await fetch(`${server.baseUrl}/api/v1/certificates/${number}/credential`, { headers: { Authorization: `Bearer ${issuer}` } });
    expect(staff.status).toBe(200);
    expect(decodeProtectedHeader(await staff.text()).typ).toBe('vc+jwt');
  });
});

describe('the Bitstring Status List (revocation)', () => {
  it('has 131,072 entries, is cacheable for minutes, and flips the certificate’s bit on revocation only', async () => {
    const a = Number((await credentialOf(0)).credential.credentialStatus[0].statusListIndex);
    const b = Number((await credentialOf(1)).credential.credentialStatus[0].statusListIndex);
    expect(Math.abs(a - b)).toBeGreaterThan(1);
    const before = await statusBits();
    expect(before.bits.length * 8).toBe(131_072);
    expect(before.cacheControl).toBe('public, max-age=300');
    expect(before.credential.type).toEqual(['VerifiableCredential', 'BitstringStatusListCredential']);
    expect([bit(before.bits, a), bit(before.bits, b)]).toEqual([0, 0]);

    const revoked = await fetch(`${server.baseUrl}/api/v1/certificates/${issued[0]!.number}/revocation`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ reason: 'issued_in_error', note: '测试撤销' }),
    });
    expect(revoked.status).toBe(200);
    const after = await statusBits();
    expect([bit(after.bits, a), bit(after.bits, b)]).toEqual([1, 0]);
    expect(after.bits.reduce((n, byte) => n + (byte.toString(2).match(/1/g)?.length ?? 0), 0)).toBe(1);
  });
});
