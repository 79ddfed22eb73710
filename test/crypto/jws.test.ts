import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CompactSign, decodeProtectedHeader } from 'jose';
import { createRootCa } from '../../src/crypto/createRootCa.js';
import { createAuthorityCertificate } from '../../src/crypto/createAuthorityCertificate.js';
import { loadTrustStore } from '../../src/crypto/trustStore.js';
import {
  MAX_TOKEN_LENGTH,
  signCertificateToken,
  signerAllows,
  verifyCertificateToken,
  type TokenVerification,
  type VerificationCheckName,
} from '../../src/crypto/jws.js';
import { base64ToBytes, bytesToBase64Url, base64UrlToBytes } from '../../src/lib/base64.js';
import { derToPem } from '../../src/crypto/lib/pem.js';
import { DomainError } from '../../src/domain/errors.js';
import { readKeyBundle } from '../../src/entry/keysDir.js';
import { certificatePayload, GXZGB_NAME, makeChain, signManually, text, type Chain } from './fixtures.js';

let chain: Chain;
let good: string;

beforeAll(async () => {
  chain = await makeChain();
  good = await signCertificateToken(certificatePayload('intermediate', chain.nnzgb), chain.nnzgb);
});

/** As the server does: pinned root and its published kids; pass `{}` to verify like an offline verifier. */
const verify = (jws: string, options: { knownKids?: ReadonlySet<string> } = { knownKids: chain.store.kids() }) =>
  verifyCertificateToken(jws, { rootPem: chain.store.rootPem, ...options });

function failed(result: TokenVerification): VerificationCheckName[] {
  return result.checks.filter((c) => !c.ok).map((c) => c.name);
}

function expectRejected(result: TokenVerification, check: VerificationCheckName): void {
  expect(result.valid).toBe(false);
  expect(result.payload).toBeUndefined();
  expect(failed(result)).toContain(check);
}

const segments = (jws: string) => jws.split('.') as [string, string, string];

describe('signing', () => {
  it('produces an ES256 token whose header carries typ, kid and the chain', async () => {
    const header = decodeProtectedHeader(good);
    expect(header).toEqual({ alg: 'ES256', typ: 'ecert+jwt', kid: chain.nnzgb.kid, x5c: chain.nnzgb.x5c });
    const result = await verify(good);
    expect(result.valid).toBe(true);
    expect(result.checks.map((c) => [c.name, c.ok])).toEqual([
      ['format', true],
      ['algorithm', true],
      ['chain', true],
      ['key_id', true],
      ['signature', true],
      ['authority', true],
      ['level_allowed', true],
    ]);
    expect(result.payload).toMatchObject({ title: { level: 'intermediate' } });
    expect(typeof result.payload?.['iat']).toBe('number');
    expect(result.authority).toEqual({
      kid: chain.nnzgb.kid,
      code: 'NNZGB',
      name: chain.nnzgb.name,
      levels: ['intermediate', 'assistant', 'junior'],
    });
  });

  it('verifies offline from the root PEM alone', async () => {
    expect((await verifyCertificateToken(good, { rootPem: chain.root.certPem })).valid).toBe(true);
  });

  it('refuses to sign a level the authority may not confirm', async () => {
    expect(signerAllows(chain.nnzgb, 'senior_associate')).toBe(false);
    expect(signerAllows(chain.gxzgb, 'senior_associate')).toBe(true);
    const error = await signCertificateToken(certificatePayload('senior_associate', chain.nnzgb), chain.nnzgb).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'level_not_authorised', field: 'title.name' });
    await expect(signCertificateToken(certificatePayload('senior', chain.gxzgb), chain.gxzgb)).rejects.toMatchObject({ field: 'title.level' });
    const { privateKey: _, ...verifyOnly } = chain.gxzgb;
    await expect(signCertificateToken(certificatePayload('junior', verifyOnly), verifyOnly)).rejects.toMatchObject({ code: 'keys_unavailable' });
  });
});

describe('forgeries and garbage are refused, never thrown', () => {
  it('alg none', async () => {
    const [, payload] = segments(good);
    const header = { alg: 'none', typ: 'ecert+jwt', kid: chain.nnzgb.kid, x5c: chain.nnzgb.x5c };
    expectRejected(await verify(`${text(header)}.${payload}.`), 'algorithm');
    expectRejected(await verify(`${text({ ...header, alg: 'None' })}.${payload}.`), 'algorithm');
  });

  it('HS256 keyed with the public key (algorithm confusion)', async () => {
    const [, payload] = segments(good);
    // Whatever form of the public key an attacker might guess we feed to HMAC: SPKI DER, its PEM, the certificate.
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', chain.nnzgb.publicKey));
    const spkiPem = new TextEncoder().encode(derToPem(spki, 'PUBLIC KEY'));
    const certificateDer = base64ToBytes(chain.nnzgb.x5c[0]!)!;
    for (const secret of [spki, spkiPem, certificateDer]) {
      for (const alg of ['HS256', 'HS384', 'RS256', 'ES384', 'EdDSA', 'PS256']) {
        const header = text({ alg, typ: 'ecert+jwt', kid: chain.nnzgb.kid, x5c: chain.nnzgb.x5c });
        const key = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
        const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${header}.${payload}`)));
        expectRejected(await verify(`${header}.${payload}.${bytesToBase64Url(mac)}`), 'algorithm');
      }
    }
  });

  it('a payload swapped in from another genuine token', async () => {
    const other = await signCertificateToken(certificatePayload('junior', chain.nnzgb, { holder: { name: '李四' } }), chain.nnzgb);
    const [header, , signature] = segments(good);
    expectRejected(await verify(`${header}.${segments(other)[1]}.${signature}`), 'signature');
    const edited = text({ ...JSON.parse(new TextDecoder().decode(base64UrlToBytes(segments(good)[1]))), number: '267ARE8S00H' });
    expectRejected(await verify(`${header}.${edited}.${signature}`), 'signature');
  });

  it('every byte of the signature altered', async () => {
    const [header, payload, signature] = segments(good);
    const bytes = base64UrlToBytes(signature)!;
    expect(bytes).toHaveLength(64);
    for (let i = 0; i < bytes.length; i++) {
      const altered = bytes.slice();
      altered[i]! ^= 0x01;
      expectRejected(await verify(`${header}.${payload}.${bytesToBase64Url(altered)}`), 'signature');
    }
    expectRejected(await verify(`${header}.${payload}.${bytesToBase64Url(bytes.slice(0, 63))}`), 'signature');
    expectRejected(await verify(`${header}.${payload}.${signature}AA`), 'signature');
  });

  it('an unknown kid', async () => {
    expectRejected(await verify(good, { knownKids: new Set(['someone-else']) }), 'key_id');
    expect((await verify(good, {})).valid).toBe(true);
  });

  it('a kid that does not match x5c', async () => {
    expectRejected(await verify(await signManually(certificatePayload('junior', chain.nnzgb), chain.nnzgb, { kid: chain.gxzgb.kid })), 'key_id');
    // x5c of GXZGB with its kid, but signed by NNZGB's key: the signature no longer fits.
    const borrowed = await signManually(certificatePayload('junior', chain.gxzgb), chain.nnzgb, { kid: chain.gxzgb.kid, x5c: chain.gxzgb.x5c });
    expectRejected(await verify(borrowed), 'signature');
  });

  it('a self-made chain not under the root, even with the same names', async () => {
    const fakeRoot = await createRootCa({ commonName: '测试根证书 Test Root', validYears: 30 });
    const fake = await createAuthorityCertificate({ root: fakeRoot, code: 'GXZGB', name: GXZGB_NAME, levels: ['senior_full'], validYears: 10 });
    const fakeStore = await loadTrustStore({ root: { certPem: fakeRoot.certPem }, authorities: [fake] }, { production: false });
    const forged = await signCertificateToken(certificatePayload('senior_full', fakeStore.authorities[0]!), fakeStore.authorities[0]!);
    const result = await verify(forged, {});
    expectRejected(result, 'chain');
    expect(failed(result)).toEqual(['chain']);
    expect(result.authority).toBeUndefined();
    // Presenting our real root as x5c[1] changes nothing: the anchor is pinned, never read from the token.
    const withRealRoot = await signManually(certificatePayload('senior_full', fakeStore.authorities[0]!), fakeStore.authorities[0]!, {
      x5c: [fakeStore.authorities[0]!.x5c[0], chain.nnzgb.x5c[1]],
    });
    expectRejected(await verify(withRealRoot, {}), 'chain');
  });

  it('NNZGB signing a senior_associate title by hand', async () => {
    const result = await verify(await signManually(certificatePayload('senior_associate', chain.nnzgb), chain.nnzgb));
    expectRejected(result, 'level_allowed');
    expect(failed(result)).toEqual(['level_allowed']);
    expect(result.authority?.code).toBe('NNZGB');
    expectRejected(await verify(await signManually(certificatePayload('grand_master', chain.gxzgb), chain.gxzgb)), 'level_allowed');
    expectRejected(await verify(await signManually({ holder: { name: '张三' } }, chain.gxzgb)), 'level_allowed');
  });

  it('a token naming another authority than the one whose key signed it', async () => {
    // NNZGB's own key, its own x5c and kid, a level it may confirm: only the claimed authority is false.
    const asGxzgb = await verify(await signManually(certificatePayload('junior', chain.gxzgb), chain.nnzgb));
    expectRejected(asGxzgb, 'authority');
    expect(failed(asGxzgb)).toEqual(['authority']);
    expect(asGxzgb.authority?.code).toBe('NNZGB');
    const claims: unknown[] = [
      { code: 'GXZGB', name: chain.nnzgb.name },
      { code: 'NNZGB', name: GXZGB_NAME },
      { code: 'NNZGB', name: `${chain.nnzgb.name} ` },
      { code: 'nnzgb', name: chain.nnzgb.name },
      { code: 'NNZGB' },
      { name: chain.nnzgb.name },
      'NNZGB',
      ['NNZGB', chain.nnzgb.name],
      null,
      undefined,
    ];
    for (const authority of claims) {
      const result = await verify(await signManually(certificatePayload('junior', chain.nnzgb, { authority }), chain.nnzgb));
      expectRejected(result, 'authority');
      expect(failed(result), JSON.stringify(authority)).toEqual(['authority']);
    }
  });

  it('the public demo GXUZP key claiming to be GXZGB', async () => {
    const demo = await loadTrustStore(await readKeyBundle(join(import.meta.dirname, '../../keys.example')), { production: false });
    const gxuzp = demo.currentSigner('GXUZP')!;
    const claim = { code: 'GXZGB', name: GXZGB_NAME };
    const forged = await signManually(certificatePayload('intermediate', claim), gxuzp);
    const result = await verifyCertificateToken(forged, { rootPem: demo.rootPem, knownKids: demo.kids() });
    expectRejected(result, 'authority');
    expect(failed(result)).toEqual(['authority']);
    // The message names the real signer, never the forger's claim.
    const message = result.checks.find((c) => c.name === 'authority')!.message;
    expect(message.zh).toContain('广西大学（GXUZP）');
    expect(message.zh).not.toContain(GXZGB_NAME);
    // Signed honestly, the same key and level verify.
    const honest = await signManually(certificatePayload('intermediate', gxuzp), gxuzp);
    expect((await verifyCertificateToken(honest, { rootPem: demo.rootPem })).valid).toBe(true);
  });

  it('a number that is not a well-formed certificate number', async () => {
    for (const number of ['26K7Q2M9XH4', '26k7q2m9xht', '26K7-Q2M9-XHT', '', 26, null, ['26K7Q2M9XHT']]) {
      const result = await verify(await signManually(certificatePayload('junior', chain.nnzgb, { number }), chain.nnzgb));
      expectRejected(result, 'format');
      expect(result.checks.map((c) => c.name), JSON.stringify(number)).toEqual(['format']);
    }
    const { number: _, ...unnumbered } = certificatePayload('junior', chain.nnzgb);
    expect((await verify(await signManually(unnumbered, chain.nnzgb))).valid).toBe(true);
  });

  it('a wrong or missing typ, a crit header, an iat in the future or missing', async () => {
    const p = certificatePayload('junior', chain.nnzgb);
    expectRejected(await verify(await signManually(p, chain.nnzgb, { typ: 'JWT' })), 'format');
    expectRejected(await verify(await signManually(p, chain.nnzgb, { typ: undefined })), 'format');
    const header = text({ alg: 'ES256', typ: 'ecert+jwt', kid: chain.nnzgb.kid, x5c: chain.nnzgb.x5c, crit: ['exp'], exp: 1 });
    const payload = text({ ...p, iat: Math.floor(Date.now() / 1000) });
    const raw = await crypto.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      chain.nnzgb.privateKey!,
      new TextEncoder().encode(`${header}.${payload}`),
    );
    expectRejected(await verify(`${header}.${payload}.${bytesToBase64Url(new Uint8Array(raw))}`), 'format');
    expectRejected(await verify(await signManually({ ...p, iat: Math.floor(Date.now() / 1000) + 3600 }, chain.nnzgb)), 'format');
    expectRejected(await verify(await signManually({ ...p, iat: '2026-01-01' }, chain.nnzgb)), 'format');
    const noIat = await new CompactSign(new TextEncoder().encode(JSON.stringify(p)))
      .setProtectedHeader({ alg: 'ES256', typ: 'ecert+jwt', kid: chain.nnzgb.kid, x5c: chain.nnzgb.x5c })
      .sign(chain.nnzgb.privateKey!);
    expectRejected(await verify(noIat), 'format');
  });

  it('garbage strings', async () => {
    const [header, payload, signature] = segments(good);
    const header64 = (value: unknown) => text(value);
    const garbage: unknown[] = [
      '',
      ' ',
      'a',
      'a.b',
      'a.b.c',
      '..',
      '...',
      'a.b.c.d.e',
      `${good}.`,
      `${good} `,
      ` ${good}`,
      `${header}.${payload}`,
      `${header}..${signature}`,
      `.${payload}.${signature}`,
      `${header}=.${payload}.${signature}`,
      `${header}.${payload}.${signature}=`,
      `${header}.${payload}.${signature.replace(/.$/, '+')}`,
      '证书.证书.证书',
      'eyJ.eyJ.eyJ',
      `${header64([1, 2])}.${payload}.${signature}`,
      `${header64('string')}.${payload}.${signature}`,
      `${header64(null)}.${payload}.${signature}`,
      `${header}.${header64([1])}.${signature}`,
      `${bytesToBase64Url(new Uint8Array([0xff, 0xfe, 0x00]))}.${payload}.${signature}`,
      `${header64({ alg: 'ES256', typ: 'ecert+jwt', kid: chain.nnzgb.kid })}.${payload}.${signature}`,
      `${header64({ alg: 'ES256', typ: 'ecert+jwt', kid: chain.nnzgb.kid, x5c: 'MIIB' })}.${payload}.${signature}`,
      `${header64({ alg: 'ES256', typ: 'ecert+jwt', kid: chain.nnzgb.kid, x5c: [] })}.${payload}.${signature}`,
      `${header64({ alg: 'ES256', typ: 'ecert+jwt', kid: chain.nnzgb.kid, x5c: ['%%%'] })}.${payload}.${signature}`,
      `${header64({ alg: 'ES256', typ: 'ecert+jwt', kid: chain.nnzgb.kid, x5c: ['AAAA'] })}.${payload}.${signature}`,
      `${header64({ alg: 'ES256', typ: 'ecert+jwt', kid: chain.nnzgb.kid, x5c: [chain.nnzgb.x5c[1]] })}.${payload}.${signature}`,
      `${header64({ alg: 'ES256', typ: 'ecert+jwt', kid: 42, x5c: chain.nnzgb.x5c })}.${payload}.${signature}`,
      `${header64({ alg: ['ES256'], typ: 'ecert+jwt', kid: chain.nnzgb.kid, x5c: chain.nnzgb.x5c })}.${payload}.${signature}`,
      `${header}.${payload}.${'A'.repeat(MAX_TOKEN_LENGTH)}`,
      'x'.repeat(1_000_000),
      undefined,
      null,
      42,
      {},
      ['a', 'b', 'c'],
    ];
    for (const input of garbage) {
      const result = await verify(input as string);
      expect(result.valid, JSON.stringify(input)?.slice(0, 80)).toBe(false);
      expect(result.payload).toBeUndefined();
      expect(result.checks.some((c) => !c.ok)).toBe(true);
      // Each is caught by a named check, not by the last-resort catch.
      expect(result.checks.map((c) => c.message.en)).not.toContain('the token cannot be processed');
    }
  });

  it('the unaltered token still passes after all that', async () => {
    expect((await verify(good)).valid).toBe(true);
  });
});
