import { describe, expect, it, beforeAll } from 'vitest';
import { issueSdJwtVc, verifySdJwtVc } from '../../src/crypto/sdJwt.js';
import { generateP256KeyPair, kidOf, publicJwkOf } from '../../src/crypto/lib/keys.js';
import { parseDisclose, SD_JWT_CLAIMS } from '../../src/domain/sdJwtDisclosure.js';
import { base64UrlToBytes, bytesToBase64Url } from '../../src/lib/base64.js';
import { DomainError } from '../../src/domain/errors.js';

const ID = '450103199001011234';
let signer: { kid: string; privateKey: CryptoKey; x5c: string[] };
let jwks: { keys: Array<Record<string, unknown>> };

beforeAll(async () => {
  const pair = await generateP256KeyPair();
  const kid = await kidOf(pair.publicKey);
  signer = { kid, privateKey: pair.privateKey, x5c: [] };
  jwks = { keys: [{ ...(await publicJwkOf(pair.publicKey)), kid, alg: 'ES256', use: 'sig' }] };
});

const claims = (idNumber: boolean) => ({
  vct: 'https://example.test/vct/professional-title/v1',
  iss: 'https://example.test/authorities/GXZGB',
  iat: 1_790_000_000,
  certificate_number: '26K7Q2M9XHT',
  name: '张三',
  gender: 'male',
  id_number_masked: '450103********1234',
  ...(idNumber ? { id_number: ID } : {}),
  title: '工程师',
  level: '中级',
  specialty: '土木工程',
  issuing_authority: '广西壮族自治区职称改革工作领导小组办公室',
  issued_at: '2026-12-01T00:00:00Z',
});
const issue = (idNumber: boolean) => issueSdJwtVc(claims(idNumber), [...SD_JWT_CLAIMS, ...(idNumber ? ['id_number'] : [])], signer);
const decodeDisclosures = (sdJwt: string) => sdJwt.split('~').slice(1).filter(Boolean).map((d) => new TextDecoder().decode(base64UrlToBytes(d)));

describe('SD-JWT VC (issue 17 item 3)', () => {
  it('without idNumber neither the signed JWT nor any disclosure holds the full ID number', async () => {
    const sdJwt = await issue(false);
    const [jwt] = sdJwt.split('~');
    expect(new TextDecoder().decode(base64UrlToBytes(jwt!.split('.')[1]!))).not.toContain(ID);
    expect(decodeDisclosures(sdJwt).join('\n')).not.toContain(ID);
    expect(sdJwt).not.toContain(ID);
    const { claims: shown, header, problem } = await verifySdJwtVc(sdJwt, jwks);
    expect(problem).toBeUndefined();
    expect(header?.['typ']).toBe('dc+sd-jwt');
    expect(shown?.['id_number']).toBeUndefined();
    expect(shown?.['name']).toBe('张三');
    expect(shown?.['id_number_masked']).toBe('450103********1234');
  });

  it('with idNumber exactly one disclosure holds it, and the signed JWT only its digest', async () => {
    const sdJwt = await issue(true);
    const holding = decodeDisclosures(sdJwt).filter((d) => d.includes(ID));
    expect(holding).toHaveLength(1);
    expect(JSON.parse(holding[0]!)).toEqual([expect.any(String), 'id_number', ID]);
    expect(new TextDecoder().decode(base64UrlToBytes(sdJwt.split('~')[0]!.split('.')[1]!))).not.toContain(ID);
    expect((await verifySdJwtVc(sdJwt, jwks)).claims?.['id_number']).toBe(ID);
  });

  it('every fact is its own disclosure, so a holder may drop one and the rest still verifies', async () => {
    const sdJwt = await issue(false);
    const parts = sdJwt.split('~');
    const disclosures = decodeDisclosures(sdJwt).map((d) => JSON.parse(d)[1]);
    expect(disclosures).toEqual(expect.arrayContaining(['name', 'gender', 'title', 'level', 'specialty', 'issuing_authority', 'issued_at']));
    const withoutName = parts.filter((p, i) => i === 0 || !p || JSON.parse(new TextDecoder().decode(base64UrlToBytes(p)))[1] !== 'name').join('~');
    const { claims: shown, problem } = await verifySdJwtVc(withoutName, jwks);
    expect(problem).toBeUndefined();
    expect(shown?.['name']).toBeUndefined();
    expect(shown?.['title']).toBe('工程师');
  });

  it('a tampered disclosure or signature fails', async () => {
    const sdJwt = await issue(true);
    const parts = sdJwt.split('~');
    const i = parts.findIndex((p, k) => k > 0 && p && new TextDecoder().decode(base64UrlToBytes(p)).includes(ID));
    const forged = [...parts];
    forged[i] = bytesToBase64Url(new TextEncoder().encode(new TextDecoder().decode(base64UrlToBytes(parts[i]!)).replace(ID, '450103199001019999')));
    expect((await verifySdJwtVc(forged.join('~'), jwks)).problem).toBeTruthy();

    const [h, p, s] = parts[0]!.split('.') as [string, string, string];
    const sig = base64UrlToBytes(s)!;
    sig[5]! ^= 1;
    expect((await verifySdJwtVc([`${h}.${p}.${bytesToBase64Url(sig)}`, ...parts.slice(1)].join('~'), jwks)).problem).toBeTruthy();

    const other = await generateP256KeyPair();
    const wrong = { keys: [{ ...(await publicJwkOf(other.publicKey)), kid: signer.kid }] };
    expect((await verifySdJwtVc(sdJwt, wrong)).problem).toBeTruthy();
  });

  it('disclose reads idNumber only, none by default, and refuses anything else in words', () => {
    expect(parseDisclose(undefined)).toEqual({ idNumber: false });
    expect(parseDisclose('')).toEqual({ idNumber: false });
    expect(parseDisclose('idNumber')).toEqual({ idNumber: true });
    expect(() => parseDisclose('photo')).toThrow(DomainError);
  });
});
