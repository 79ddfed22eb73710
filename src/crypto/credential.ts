/**
 * @module crypto/credential
 * W3C Verifiable Credentials 2.0 secured with JOSE (VC-JOSE-COSE): a compact JWS whose payload is the
 * credential itself, `typ` vc+jwt and `cty` vc, signed ES256 by the issuing authority's key and naming it by
 * `kid` — the key a verifier finds in the JWKS we publish (and, with `x5c`, chained to our root).
 */
import { CompactSign } from 'jose';
import type { Message } from '../domain/errors.js';
import { base64ToBytes, base64UrlToBytes } from '../lib/base64.js';
import { authorityIdentity, certificatePublicKey, parseCertificate } from './lib/certificate.js';
import { checkIssuedByRoot } from './lib/chain.js';
import { decodeJsonSegment } from './lib/jsonSegment.js';
import { ES256_SIGN, kidOf } from './lib/keys.js';
import type { AuthorityKey } from './trustStore.js';

/** The media type of a credential secured with JOSE (VC-JOSE-COSE §3.1.1). */
export const VC_JWT_MEDIA_TYPE = 'application/vc+jwt';

/** @example const jws = await signCredential({ '@context': [...], type: [...], … }, store.currentSigner('GXZGB')!); */
export async function signCredential(credential: Record<string, unknown>, signer: Pick<AuthorityKey, 'kid' | 'privateKey' | 'x5c'>): Promise<string> {
  if (!signer.privateKey) throw new Error(`key ${signer.kid} has no private key`);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(credential)))
    .setProtectedHeader({ alg: 'ES256', typ: 'vc+jwt', cty: 'vc', kid: signer.kid, x5c: signer.x5c })
    .sign(signer.privateKey);
}

export interface CredentialVerification {
  /** The signed credential, only when the signature holds and chains to the root. */
  credential?: Record<string, unknown>;
  /** The signing authority, as the root vouches for it. */
  authority?: { code: string; name: string };
  /** Why the credential does not verify; undefined when it does. */
  problem?: Message;
}

const fail = (zh: string, en: string): CredentialVerification => ({ problem: { zh, en } });

/**
 * Verifies a vc+jwt credential (a certificate's, or a status list's) offline against the pinned root: the
 * signing certificate comes from its x5c header, must chain to the root at the credential's `validFrom`
 * and carry the `kid`; ES256 only. Never throws on garbage (issue 15: the CLI follows statusListCredential).
 * @example const { credential, problem } = await verifyCredential(jws, rootPem);
 */
export async function verifyCredential(jws: string, rootPem: string): Promise<CredentialVerification> {
  const root = parseCertificate(rootPem);
  if (!root) return fail('受信任的根证书无法解析', 'the trusted root certificate cannot be parsed');
  try {
    const parts = jws.trim().split('.');
    if (jws.length > 256 * 1024 || parts.length !== 3) return fail('不是凭证（vc+jwt）', 'not a vc+jwt credential');
    const [h, p, s] = parts as [string, string, string];
    const header = decodeJsonSegment(h);
    const payload = decodeJsonSegment(p);
    const signature = base64UrlToBytes(s);
    if (!header || !payload || !signature || header['typ'] !== 'vc+jwt') return fail('不是凭证（vc+jwt）', 'not a vc+jwt credential');
    if (header['alg'] !== 'ES256' || 'crit' in header) return fail('签名算法不是 ES256', 'the algorithm is not ES256');
    const x5c = header['x5c'];
    const der = Array.isArray(x5c) && typeof x5c[0] === 'string' ? base64ToBytes(x5c[0]) : undefined;
    const cert = der && parseCertificate(der);
    const publicKey = cert && (await certificatePublicKey(cert).catch(() => undefined));
    const identity = cert && authorityIdentity(cert);
    if (!cert || !publicKey || !identity) return fail('x5c 中的签发机构证书无法解析', 'the authority certificate in x5c cannot be parsed');
    const validFrom = typeof payload['validFrom'] === 'string' ? new Date(payload['validFrom']) : new Date(NaN);
    if (Number.isNaN(validFrom.getTime())) return fail('凭证缺少有效的 validFrom', 'the credential has no valid validFrom');
    const chainProblem = await checkIssuedByRoot(cert, root, validFrom);
    if (chainProblem) return { problem: chainProblem };
    if (header['kid'] !== (await kidOf(publicKey))) return fail('kid 与 x5c 证书的公钥不符', 'kid does not match the key of the x5c certificate');
    const ok = signature.length === 64 && (await crypto.subtle.verify(ES256_SIGN, publicKey, signature, new TextEncoder().encode(`${h}.${p}`)));
    if (!ok) return fail('凭证签名无效', 'the credential signature is invalid');
    return { credential: payload, authority: identity };
  } catch {
    return fail('凭证无法解析', 'the credential cannot be processed');
  }
}
