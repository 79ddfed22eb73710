/**
 * @module crypto/sdJwt
 * SD-JWT VC (draft-ietf-oauth-sd-jwt-vc, media type `application/dc+sd-jwt`) issued and checked with the
 * OpenWallet Foundation's `@sd-jwt/sd-jwt-vc` library, which needs no Node API: hashing, salts and ES256
 * go through Web Crypto here, so the same code runs on Node and workerd. The issuer-signed JWT carries the
 * authority's `kid` and `x5c`, exactly like the vc+jwt credential (crypto/credential.ts), so a verifier
 * finds the key in our /.well-known/jwks.json.
 */
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { base64UrlToBytes, bytesToBase64Url } from '../lib/base64.js';
import { decodeJsonSegment } from './lib/jsonSegment.js';
import { EC_P256, ES256_SIGN } from './lib/keys.js';
import type { AuthorityKey } from './trustStore.js';

/** The media type of an SD-JWT VC (draft-ietf-oauth-sd-jwt-vc §3.1). */
export const SD_JWT_VC_MEDIA_TYPE = 'application/dc+sd-jwt';

const utf8 = (s: string) => new TextEncoder().encode(s);

/** SHA-256 only (the draft's default `_sd_alg`). */
async function hasher(data: string | ArrayBuffer, alg: string): Promise<Uint8Array> {
  if (alg.toLowerCase() !== 'sha-256') throw new Error(`unsupported hash ${alg}`);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', typeof data === 'string' ? utf8(data) : data));
}

const saltGenerator = (length: number) => bytesToBase64Url(crypto.getRandomValues(new Uint8Array(Math.max(16, length))));

/**
 * Signs `claims` with every key named in `disclosable` made a separate disclosure.
 * @example const sdJwt = await issueSdJwtVc({ vct, iss, iat, name: '张三' }, ['name'], signer);
 */
export async function issueSdJwtVc(claims: Record<string, unknown> & { vct: string; iss: string; iat: number }, disclosable: string[], signer: Pick<AuthorityKey, 'kid' | 'privateKey' | 'x5c'>): Promise<string> {
  const key = signer.privateKey;
  if (!key) throw new Error(`key ${signer.kid} has no private key`);
  const sdjwt = new SDJwtVcInstance({
    hasher,
    hashAlg: 'sha-256',
    saltGenerator,
    signAlg: 'ES256',
    signer: async (data: string) => bytesToBase64Url(new Uint8Array(await crypto.subtle.sign(ES256_SIGN, key, utf8(data)))),
  });
  const frame = { _sd: disclosable.filter((k) => k in claims) } as never;
  return sdjwt.issue(claims, frame, { header: { kid: signer.kid, x5c: signer.x5c } });
}

export interface SdJwtVerification {
  /** The disclosed claims merged with the signed ones, when everything holds. */
  claims?: Record<string, unknown>;
  header?: Record<string, unknown>;
  /** Why it does not verify. */
  problem?: string;
}

/**
 * Checks an SD-JWT VC against a JWKS: the key is the one whose `kid` the header names (ES256 on P-256);
 * the signature, and every disclosure's SHA-256 digest against the signed `_sd` lists. Never throws.
 * @example const { claims, problem } = await verifySdJwtVc(text, jwks);
 */
export async function verifySdJwtVc(text: string, jwks: { keys: Array<Record<string, unknown>> }): Promise<SdJwtVerification> {
  try {
    const compact = text.trim();
    if (compact.length > 256 * 1024) return { problem: 'too long' };
    const header = decodeJsonSegment(compact.split('.')[0]);
    if (!header || header['typ'] !== 'dc+sd-jwt') return { problem: 'not an SD-JWT VC (typ dc+sd-jwt)' };
    if (header['alg'] !== 'ES256') return { problem: 'the algorithm is not ES256' };
    const jwk = jwks.keys.find((k) => k['kid'] === header['kid']);
    if (!jwk) return { problem: `no key ${String(header['kid'])} in the JWKS` };
    const { kty, crv, x, y } = jwk as Record<string, string>;
    const publicKey = await crypto.subtle.importKey('jwk', { kty, crv, x, y }, EC_P256, false, ['verify']);
    const sdjwt = new SDJwtVcInstance({
      hasher,
      verifier: async (data: string, sig: string) => {
        const signature = base64UrlToBytes(sig);
        return !!signature && signature.length === 64 && crypto.subtle.verify(ES256_SIGN, publicKey, signature, utf8(data));
      },
    });
    const result = await sdjwt.verify(compact);
    return { claims: result.payload as Record<string, unknown>, header };
  } catch (e) {
    return { problem: e instanceof Error ? e.message : 'cannot be processed' };
  }
}
