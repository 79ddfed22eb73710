import { beforeAll, describe, expect, it } from 'vitest';
import { createRootCa, type CertificateAndKey } from '../../src/crypto/createRootCa.js';
import { createAuthorityCertificate } from '../../src/crypto/createAuthorityCertificate.js';
import { loadTrustStore, type TrustStore } from '../../src/crypto/trustStore.js';
import { signCertificateToken, verifyCertificateToken } from '../../src/crypto/jws.js';
import { LEVELS } from '../../src/domain/levels.js';
import { certificatePayload, GXZGB_NAME, signManually } from './fixtures.js';

const DAY = 24 * 60 * 60 * 1000;
let root: CertificateAndKey;
let older: { certPem: string; keyPem: string; kid: string };
let newer: { certPem: string; keyPem: string; kid: string };
let store: TrustStore;

beforeAll(async () => {
  root = await createRootCa({ commonName: 'Rotation root', validYears: 30, notBefore: new Date(Date.now() - 400 * DAY) });
  const gxzgb = { root, code: 'GXZGB', name: GXZGB_NAME, levels: LEVELS, validYears: 10 };
  older = await createAuthorityCertificate({ ...gxzgb, notBefore: new Date(Date.now() - 300 * DAY) });
  newer = await createAuthorityCertificate({ ...gxzgb, notBefore: new Date(Date.now() - 1 * DAY) });
  store = await loadTrustStore({ root: { certPem: root.certPem }, authorities: [older, newer] }, { production: false });
});

describe('key rotation', () => {
  it('signs new certificates with the newest key', () => {
    expect(store.currentSigner('GXZGB')?.kid).toBe(newer.kid);
    expect(store.currentSigner('GXZGB', new Date(Date.now() - 30 * DAY))?.kid).toBe(older.kid);
    expect(store.currentSigner('NNZGB')).toBeUndefined();
  });

  it('does not depend on the order of the bundle', async () => {
    const reversed = await loadTrustStore({ root: { certPem: root.certPem }, authorities: [newer, older] }, { production: false });
    expect(reversed.currentSigner('GXZGB')?.kid).toBe(newer.kid);
  });

  it('keeps verifying what the older key signed', async () => {
    const oldKey = store.findByKid(older.kid)!;
    const jws = await signCertificateToken(certificatePayload('senior_full', oldKey), oldKey);
    const result = await verifyCertificateToken(jws, { rootPem: store.rootPem, knownKids: store.kids() });
    expect(result.valid).toBe(true);
    expect(result.authority).toMatchObject({ kid: older.kid, code: 'GXZGB' });
    const fresh = await signCertificateToken(certificatePayload('senior_full', store.currentSigner('GXZGB')!), store.currentSigner('GXZGB')!);
    expect((await verifyCertificateToken(fresh, { root: store.root.cert, knownKids: store.kids() })).authority?.kid).toBe(newer.kid);
  });

  it('publishes both public keys in the JWKS', () => {
    const { keys } = store.jwks();
    expect(keys.map((k) => k.kid).sort()).toEqual([older.kid, newer.kid].sort());
    for (const key of keys) {
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(key.x5c).toHaveLength(2);
      expect(Object.keys(key)).not.toContain('d');
    }
  });

  it('falls back to the older key once the newer one is retired (private key removed)', async () => {
    const retired = await loadTrustStore(
      { root: { certPem: root.certPem }, authorities: [older, { certPem: newer.certPem }] },
      { production: false },
    );
    expect(retired.currentSigner('GXZGB')?.kid).toBe(older.kid);
    expect(retired.jwks().keys).toHaveLength(2);
  });

  it('verifies a token from an expired key at its issue time, not after', async () => {
    const expired = await createAuthorityCertificate({
      root, code: 'GXZGB', name: GXZGB_NAME, levels: LEVELS, validYears: 1, notBefore: new Date(Date.now() - 390 * DAY),
    });
    const withExpired = await loadTrustStore({ root: { certPem: root.certPem }, authorities: [expired] }, { production: false });
    const key = withExpired.authorities[0]!;
    expect(withExpired.currentSigner('GXZGB')).toBeUndefined();
    await expect(signCertificateToken(certificatePayload('junior', key), key)).rejects.toMatchObject({ code: 'keys_unavailable' });
    const inTime = Math.floor((Date.now() - 200 * DAY) / 1000);
    const good = await signManually(certificatePayload('junior', key, { iat: inTime }), key);
    expect((await verifyCertificateToken(good, { rootPem: root.certPem })).valid).toBe(true);
    const late = await signManually(certificatePayload('junior', key), key);
    const result = await verifyCertificateToken(late, { rootPem: root.certPem });
    expect(result.valid).toBe(false);
    expect(result.checks.find((c) => c.name === 'chain')?.ok).toBe(false);
  });
});
