/**
 * @module test/crypto/fixtures
 * A fresh trust chain per test file, and a helper to assemble tokens by hand for the forgery cases.
 */

import { CompactSign } from 'jose';
import { createRootCa, type CertificateAndKey } from '../../src/crypto/createRootCa.js';
import { createAuthorityCertificate } from '../../src/crypto/createAuthorityCertificate.js';
import { loadTrustStore, type AuthorityKey, type KeyBundle, type TrustStore } from '../../src/crypto/trustStore.js';
import { LEVELS } from '../../src/domain/levels.js';
import { bytesToBase64Url } from '../../src/lib/base64.js';

export const GXZGB_NAME = '广西壮族自治区职称改革工作领导小组办公室';
export const NNZGB_NAME = '南宁市职称改革工作领导小组办公室';

export interface Chain {
  root: CertificateAndKey;
  bundle: KeyBundle;
  store: TrustStore;
  gxzgb: AuthorityKey;
  nnzgb: AuthorityKey;
}

export async function makeChain(options: { demo?: boolean } = {}): Promise<Chain> {
  const root = await createRootCa({ commonName: '测试根证书 Test Root', validYears: 30, ...options });
  const gx = await createAuthorityCertificate({ root, code: 'GXZGB', name: GXZGB_NAME, levels: LEVELS, validYears: 10 });
  const nn = await createAuthorityCertificate({
    root,
    code: 'NNZGB',
    name: NNZGB_NAME,
    levels: ['intermediate', 'assistant', 'junior'],
    validYears: 10,
  });
  const bundle: KeyBundle = { root: { certPem: root.certPem }, authorities: [gx, nn] };
  const store = await loadTrustStore(bundle, { production: false });
  return { root, bundle, store, gxzgb: store.findByKid(gx.kid)!, nnzgb: store.findByKid(nn.kid)! };
}

/** The claims of a certificate of `level` confirmed by `authority` (who must then sign it to be valid). */
export function certificatePayload(
  level: string,
  authority: { code: string; name: string },
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    number: '26K7Q2M9XHT',
    holder: { name: '张三', idNumberMasked: '450103********0012' },
    title: { series: 'engineering', name: '工程师', level, specialty: '土木工程' },
    authority: { code: authority.code, name: authority.name },
    ...extra,
  };
}

export const text = (value: unknown): string => bytesToBase64Url(new TextEncoder().encode(JSON.stringify(value)));

/** Signs with jose directly, bypassing every check signCertificateToken makes. */
export async function signManually(
  payload: Record<string, unknown>,
  signer: AuthorityKey,
  header: Record<string, unknown> = {},
): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify({ iat: Math.floor(Date.now() / 1000), ...payload })))
    .setProtectedHeader({ alg: 'ES256', typ: 'ecert+jwt', kid: signer.kid, x5c: signer.x5c, ...header })
    .sign(signer.privateKey!);
}
