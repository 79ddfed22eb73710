/**
 * The service key (ECERT, no title level) and the signed heads of the verification log: it signs heads
 * only, they verify against the root alone, and nothing else passes for one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompactSign } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthorityCertificate, createServiceCertificate, SERVICE_CODE, SERVICE_NAME } from '../../src/crypto/createAuthorityCertificate.js';
import { verifyCertificateToken } from '../../src/crypto/jws.js';
import { levelsOf, parseCertificate, authorityIdentity } from '../../src/crypto/lib/certificate.js';
import { createLogHeadVerifier, loadLogSigner, LOG_HEAD_TYPE, signLogHead, type LogSigner } from '../../src/crypto/logHead.js';
import { loadTrustStore } from '../../src/crypto/trustStore.js';
import { loadServiceSigner } from '../../src/entry/serviceKey.js';
import { certificatePayload, makeChain, type Chain } from './fixtures.js';

const head = { seq: 100, hash: 'ab'.repeat(32), count: 100, signedAt: new Date().toISOString() };
let chain: Chain;
let service: { certPem: string; keyPem: string; kid: string };
let signer: LogSigner;

beforeAll(async () => {
  chain = await makeChain();
  service = await createServiceCertificate({ root: chain.root, validYears: 10 });
  signer = await loadLogSigner(service, { rootPem: chain.root.certPem });
});

describe('the service certificate', () => {
  it('is ECERT under the root and allows no title level', () => {
    const cert = parseCertificate(service.certPem)!;
    expect(authorityIdentity(cert)).toEqual({ code: SERVICE_CODE, name: SERVICE_NAME });
    expect(levelsOf(cert)).toEqual([]);
    expect(signer.kid).toBe(service.kid);
  });

  it('keeps its code to itself', async () => {
    await expect(createAuthorityCertificate({ root: chain.root, code: SERVICE_CODE, name: 'x', levels: ['junior'], validYears: 1 })).rejects.toMatchObject({ field: 'code' });
  });

  it('can never pass as a certificate signer', async () => {
    // The trust store refuses it as an authority…
    await expect(loadTrustStore({ root: { certPem: chain.root.certPem }, authorities: [service] }, { production: false })).rejects.toMatchObject({ code: 'keys_unavailable' });
    // …and a certificate token it signed fails the level check of every verifier.
    const forged = await new CompactSign(new TextEncoder().encode(JSON.stringify({ iat: Math.floor(Date.now() / 1000), ...certificatePayload('junior', { code: SERVICE_CODE, name: SERVICE_NAME }) })))
      .setProtectedHeader({ alg: 'ES256', typ: 'ecert+jwt', kid: signer.kid, x5c: signer.x5c })
      .sign(signer.privateKey);
    const verdict = await verifyCertificateToken(forged, { rootPem: chain.root.certPem });
    expect(verdict.valid).toBe(false);
    expect(verdict.checks.find((c) => c.name === 'level_allowed')?.ok).toBe(false);
  });

  it('is refused by loadLogSigner when it is an authority’s, under another root, or with the wrong key', async () => {
    const authority = chain.bundle.authorities[0]!;
    await expect(loadLogSigner({ certPem: authority.certPem, keyPem: authority.keyPem! }, { rootPem: chain.root.certPem })).rejects.toMatchObject({ code: 'keys_unavailable' });
    const other = await makeChain();
    await expect(loadLogSigner(service, { rootPem: other.root.certPem })).rejects.toMatchObject({ code: 'keys_unavailable' });
    const second = await createServiceCertificate({ root: chain.root, validYears: 10 });
    await expect(loadLogSigner({ certPem: service.certPem, keyPem: second.keyPem }, { rootPem: chain.root.certPem })).rejects.toMatchObject({ code: 'keys_unavailable' });
  });

  it('is in keys.example, signed by the demo root', async () => {
    const keys = join(import.meta.dirname, '../../keys.example');
    expect(readdirSync(join(keys, 'service')).filter((f) => f.endsWith('.key.pem'))).toHaveLength(1);
    const demo = await loadServiceSigner(keys);
    expect(demo).toMatchObject({ code: SERVICE_CODE, name: SERVICE_NAME });
    // The demo authorities are untouched and still load.
    await expect(loadTrustStore({ root: { certPem: readFileSync(join(keys, 'root.pem'), 'utf8') }, authorities: [] }, { production: false })).resolves.toBeDefined();
  });
});

describe('signed heads', () => {
  it('verify against the root alone', async () => {
    const jws = await signLogHead(head, signer);
    const verify = createLogHeadVerifier({ rootPem: chain.root.certPem });
    expect(await verify(jws)).toEqual({ valid: true, head, kid: signer.kid });
    // A second head reuses the checked certificate.
    expect((await verify(await signLogHead({ ...head, seq: 200, count: 200 }, signer))).valid).toBe(true);
  });

  it('fail under another root, when altered, or when signed by an authority', async () => {
    const jws = await signLogHead(head, signer);
    const other = await makeChain();
    expect(await createLogHeadVerifier({ rootPem: other.root.certPem })(jws)).toMatchObject({ valid: false });
    const verify = createLogHeadVerifier({ rootPem: chain.root.certPem });
    const [h, , s] = jws.split('.');
    const altered = `${h}.${Buffer.from(JSON.stringify({ ...head, seq: 101 })).toString('base64url')}.${s}`;
    expect(await verify(altered)).toMatchObject({ valid: false, reason: { en: 'the signature is invalid' } });
    const byAuthority = await new CompactSign(new TextEncoder().encode(JSON.stringify(head)))
      .setProtectedHeader({ alg: 'ES256', typ: LOG_HEAD_TYPE, kid: chain.gxzgb.kid, x5c: chain.gxzgb.x5c })
      .sign(chain.gxzgb.privateKey!);
    expect(await verify(byAuthority)).toMatchObject({ valid: false, reason: { en: expect.stringContaining('not the service key') } });
    const wrongType = await new CompactSign(new TextEncoder().encode(JSON.stringify(head)))
      .setProtectedHeader({ alg: 'ES256', typ: 'ecert+jwt', kid: signer.kid, x5c: signer.x5c })
      .sign(signer.privateKey);
    expect((await verify(wrongType)).valid).toBe(false);
    expect((await verify('not.a.jws')).valid).toBe(false);
    expect((await verify(await signLogHead({ ...head, signedAt: '2001-01-01T00:00:00.000Z' }, signer))).valid).toBe(false);
  });
});
