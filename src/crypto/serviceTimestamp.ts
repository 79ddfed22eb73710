/**
 * @module crypto/serviceTimestamp
 * The service's timestamp on a sealed statement (issue 16 item 4): when a statement is written, the service key
 * (the one that signs the logs' heads: code ECERT, no title level) signs {digest, at} as a compact JWS. A seal
 * revoked later leaves what it sealed before valid — and this is what shows "before": the statement's own time
 * is the sealing organisation's word, the timestamp is the service's.
 */
import { CompactSign } from 'jose';
import type { X509Certificate } from '@peculiar/x509';
import { canonicalJson } from '../domain/recordChain.js';
import type { Message } from '../domain/errors.js';
import { base64ToBytes, base64UrlToBytes } from '../lib/base64.js';
import type { PinnedRoot } from './jws/verify.js';
import { checkServiceCertificate, type LogSigner } from './logHead.js';
import { certificatePublicKey, parseCertificate } from './lib/certificate.js';
import { validAt } from './lib/chain.js';
import { decodeJsonSegment } from './lib/jsonSegment.js';
import { ES256_SIGN } from './lib/keys.js';

/** `typ` of a timestamp: no other verifier of ours accepts one, and it accepts nothing else. */
export const SERVICE_TIMESTAMP_TYPE = 'ecert-timestamp+jws';

/** @example const ts = await signServiceTimestamp(statementDigest, new Date().toISOString(), signer); */
export async function signServiceTimestamp(digest: string, at: string, signer: LogSigner): Promise<string> {
  return new CompactSign(new TextEncoder().encode(canonicalJson({ digest, at })))
    .setProtectedHeader({ alg: 'ES256', typ: SERVICE_TIMESTAMP_TYPE, kid: signer.kid, x5c: signer.x5c })
    .sign(signer.privateKey);
}

export type TimestampVerification = { valid: true; digest: string; at: string } | { valid: false; reason: Message };

const fail = (zh: string, en: string): TimestampVerification => ({ valid: false, reason: { zh, en } });

/**
 * Checks a timestamp against the pinned root: a service key chained to it, valid at the stamped time, its
 * signature over {digest, at}; the caller compares the digest with the statement's.
 * @example const t = await verifyServiceTimestamp(jws, { rootPem }); if (t.valid && t.digest === digest) …
 */
export async function verifyServiceTimestamp(jws: string, pinned: PinnedRoot): Promise<TimestampVerification> {
  const parts = typeof jws === 'string' ? jws.split('.') : [];
  const header = decodeJsonSegment(parts[0]);
  const payload = decodeJsonSegment(parts[1]);
  const signature = parts[2] === undefined ? undefined : base64UrlToBytes(parts[2]);
  if (parts.length !== 3 || !header || !payload || !signature) return fail('时间戳格式错误', 'the timestamp is not a compact JWS');
  if (header['alg'] !== 'ES256' || header['typ'] !== SERVICE_TIMESTAMP_TYPE || 'crit' in header) return fail('时间戳的算法或类型不符', `alg must be ES256 and typ ${SERVICE_TIMESTAMP_TYPE}`);
  const { digest, at } = payload;
  if (typeof digest !== 'string' || typeof at !== 'string' || Number.isNaN(Date.parse(at))) return fail('时间戳内容不完整', 'the timestamp lacks its digest or time');
  const x5c = header['x5c'];
  const der = Array.isArray(x5c) && typeof x5c[0] === 'string' ? base64ToBytes(x5c[0]) : undefined;
  const cert: X509Certificate | undefined = der ? parseCertificate(der) : undefined;
  const root = 'root' in pinned ? pinned.root : parseCertificate(pinned.rootPem);
  if (!cert || !root) return fail('时间戳的签名证书无法解析', 'the timestamp’s certificate cannot be parsed');
  const problem = await checkServiceCertificate(cert, root);
  if (problem) return { valid: false, reason: problem };
  if (!validAt(cert, new Date(at))) return fail('盖时间戳时服务密钥不在有效期内', 'the service key was not valid at the stamped time');
  const publicKey = await certificatePublicKey(cert).catch(() => undefined);
  const signingInput = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
  const ok = publicKey !== undefined && signature.length === 64 && (await crypto.subtle.verify(ES256_SIGN, publicKey, signature, signingInput).catch(() => false));
  return ok ? { valid: true, digest, at } : fail('时间戳签名无效', 'the timestamp signature is invalid');
}
