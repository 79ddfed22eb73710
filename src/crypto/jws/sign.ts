/**
 * @module crypto/jws/sign
 * Signs an e-certificate as a compact JWS (ES256) by one authority key. The protected header carries the
 * authority's certificate chain (x5c), so anyone holding only our root certificate can verify it offline.
 */

import { SignJWT } from 'jose';
import { DomainError } from '../../domain/errors.js';
import { isLevel, LEVEL_NAMES, type Level } from '../../domain/levels.js';
import type { AuthorityKey } from '../trustStore.js';

/**
 * `typ` of our tokens (RFC 8725 §3.11 explicit typing; `application/` omitted as RFC 7515 §4.1.9 allows):
 * the verifier requires it, so no other JWT signed by the same key can pass for an e-certificate.
 */
export const CERTIFICATE_TOKEN_TYPE = 'ecert+jwt';

/**
 * May this authority confirm titles of this level? Its certificate says (notice 二(一)).
 * @example signerAllows({ levels: ['intermediate', 'assistant', 'junior'] }, 'senior_associate') // false
 */
export function signerAllows(authority: { levels: readonly Level[] }, level: Level): boolean {
  return authority.levels.includes(level);
}

/**
 * `payload.title.level`, when it is one of the five levels.
 * @example titleLevelOf({ title: { level: 'junior' } }) // 'junior'; titleLevelOf({}) // undefined
 */
export function titleLevelOf(payload: Record<string, unknown>): Level | undefined {
  const title = payload['title'];
  const level = typeof title === 'object' && title !== null ? (title as Record<string, unknown>)['level'] : undefined;
  return isLevel(level) ? level : undefined;
}

/**
 * Sets `iat` to now, so verifiers check the chain as it stood when the certificate was issued.
 * @example
 * const jws = await signCertificateToken({ title: { level: 'intermediate', name: '工程师' }, … }, store.currentSigner('NNZGB')!);
 * // 'eyJhbGciOiJFUzI1NiIsInR5cCI6ImVjZXJ0K2p3dCIs…'
 */
export async function signCertificateToken(payload: Record<string, unknown>, signer: AuthorityKey): Promise<string> {
  const level = titleLevelOf(payload);
  if (!level) {
    throw new DomainError('validation_failed', { zh: '缺少职称级别', en: 'title.level is missing or unknown' }, 'title.level');
  }
  if (!signerAllows(signer, level)) {
    throw new DomainError(
      'level_not_authorised',
      {
        zh: `${signer.name}无权确认${LEVEL_NAMES[level].zh}职称`,
        en: `${signer.code} may not confirm ${LEVEL_NAMES[level].en} titles`,
      },
      'title.name',
      { code: signer.code, level, allowed: signer.levels },
    );
  }
  const now = new Date();
  if (!signer.privateKey || now < signer.notBefore || now > signer.notAfter) {
    throw new DomainError(
      'keys_unavailable',
      { zh: `${signer.name}的签名密钥当前不可用`, en: `no usable signing key for ${signer.code} at this time` },
      undefined,
      { code: signer.code, kid: signer.kid },
    );
  }
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', typ: CERTIFICATE_TOKEN_TYPE, kid: signer.kid, x5c: signer.x5c })
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .sign(signer.privateKey);
}
