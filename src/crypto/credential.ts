/**
 * @module crypto/credential
 * W3C Verifiable Credentials 2.0 secured with JOSE (VC-JOSE-COSE): a compact JWS whose payload is the
 * credential itself, `typ` vc+jwt and `cty` vc, signed ES256 by the issuing authority's key and naming it by
 * `kid` — the key a verifier finds in the JWKS we publish (and, with `x5c`, chained to our root).
 */
import { CompactSign } from 'jose';
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
