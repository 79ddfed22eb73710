/**
 * @module crypto/logHead
 * Signed heads of the chained logs. Every so often (domain/verificationRecord.ts headDue) the service signs
 * {seq, hash, count, signedAt} of the newest record — and `log` for the audit trail and the case history
 * (a head without it is the 核实 log's) — with its own key — a certificate under our root with
 * organisation code ECERT and no title level — as a compact JWS (ES256, kid, x5c). Anyone holding only the
 * root certificate can check a head; whoever alters a record before it must also forge that signature.
 */

import { decodeJsonSegment } from './lib/jsonSegment.js';
import { CompactSign } from 'jose';
import type { X509Certificate } from '@peculiar/x509';
import { DomainError, type Message } from '../domain/errors.js';
import { canonicalJson, LOGS, type LogHead, type LogName } from '../domain/recordChain.js';
import { base64ToBytes, base64UrlToBytes, bytesToBase64 } from '../lib/base64.js';
import { SERVICE_CODE } from './createAuthorityCertificate.js';
import type { PinnedRoot } from './jws/verify.js';
import { authorityIdentity, certificateDer, certificatePublicKey, levelsOf, parseCertificate } from './lib/certificate.js';
import { checkIssuedByRoot, validAt } from './lib/chain.js';
import { ES256_SIGN, importPrivateKeyPem, keyPairMatches, kidOf } from './lib/keys.js';

/** `typ` of a head (RFC 8725 §3.11): no e-certificate verifier accepts it, and no e-certificate passes here. */
export const LOG_HEAD_TYPE = 'ecert-log-head+jws';

/** The service key, loaded: it signs heads and nothing else. */
export interface LogSigner {
  kid: string;
  code: string;
  name: string;
  notBefore: Date;
  notAfter: Date;
  privateKey: CryptoKey;
  /** [service certificate, root certificate], base64 DER. */
  x5c: string[];
}

export type LogHeadVerification = { valid: true; head: LogHead; kid: string } | { valid: false; reason: Message };

function rootOf(pinned: PinnedRoot): X509Certificate | undefined {
  return 'root' in pinned ? pinned.root : parseCertificate(pinned.rootPem);
}

/** The static checks of a service certificate: chained to the root, code ECERT, no title levels. */
export async function checkServiceCertificate(cert: X509Certificate, root: X509Certificate): Promise<Message | undefined> {
  // Validity is checked per use (at the head's signedAt); here the signature, usage and identity.
  const problem = await checkIssuedByRoot(cert, root, cert.notBefore);
  if (problem) return problem;
  if (authorityIdentity(cert)?.code !== SERVICE_CODE) {
    return { zh: `签名证书不是本服务的密钥（机构代码应为 ${SERVICE_CODE}）`, en: `the signing certificate is not the service key (code ${SERVICE_CODE})` };
  }
  if (levelsOf(cert).length > 0) {
    return { zh: '服务密钥证书不应允许任何职称级别', en: 'the service certificate must allow no title level' };
  }
  return undefined;
}

/**
 * Loads the service key and checks it against the root before anything is signed with it.
 * @example const signer = await loadLogSigner({ certPem, keyPem }, { rootPem: store.rootPem });
 */
export async function loadLogSigner(pair: { certPem: string; keyPem: string }, pinned: PinnedRoot, now = new Date()): Promise<LogSigner> {
  const unavailable = (problem: Message) => new DomainError('keys_unavailable', { zh: `服务密钥不可用：${problem.zh}`, en: `service key unavailable: ${problem.en}` });
  const cert = parseCertificate(pair.certPem);
  const root = rootOf(pinned);
  if (!cert || !root) throw unavailable({ zh: '证书或根证书无法解析', en: 'the certificate or the root cannot be parsed' });
  const problem = await checkServiceCertificate(cert, root);
  if (problem) throw unavailable(problem);
  if (!validAt(cert, now)) throw unavailable({ zh: `证书在 ${now.toISOString()} 不在有效期内`, en: `the certificate is not valid at ${now.toISOString()}` });
  const publicKey = await certificatePublicKey(cert);
  const privateKey = await importPrivateKeyPem(pair.keyPem).catch(() => undefined);
  if (!privateKey || !(await keyPairMatches(privateKey, publicKey))) {
    throw unavailable({ zh: '私钥与证书不匹配', en: 'the private key does not match its certificate' });
  }
  const identity = authorityIdentity(cert)!;
  return {
    kid: await kidOf(publicKey),
    ...identity,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    privateKey,
    x5c: [bytesToBase64(certificateDer(cert)), bytesToBase64(certificateDer(root))],
  };
}

/**
 * The newest usable service key among `pairs` (key rotation keeps several): each is checked as
 * {@link loadLogSigner} does, and one that is not usable is skipped — `skip` says which and why — so a bad
 * file never stops a good key from signing. Undefined when none is usable.
 * @example const signer = await loadNewestLogSigner(bundle.service ?? [], { rootPem }, new Date(), (i, why) => console.warn(`service key ${i} skipped: ${why.message}`));
 */
export async function loadNewestLogSigner(
  pairs: readonly { certPem: string; keyPem: string }[],
  pinned: PinnedRoot,
  now: Date,
  skip: (index: number, problem: Error) => void,
): Promise<LogSigner | undefined> {
  const loaded = await Promise.allSettled(pairs.map((pair) => loadLogSigner(pair, pinned, now)));
  const usable: LogSigner[] = [];
  for (const [i, outcome] of loaded.entries()) {
    if (outcome.status === 'fulfilled') usable.push(outcome.value);
    else skip(i, outcome.reason instanceof Error ? outcome.reason : new Error(String(outcome.reason)));
  }
  return usable.sort((a, b) => b.notBefore.getTime() - a.notBefore.getTime())[0];
}

/**
 * @example const jws = await signLogHead({ seq: 100, hash: 'ab…', count: 100, signedAt: new Date().toISOString() }, signer);
 */
export async function signLogHead(head: LogHead, signer: LogSigner): Promise<string> {
  const payload = new TextEncoder().encode(canonicalJson({ seq: head.seq, hash: head.hash, count: head.count, signedAt: head.signedAt, log: head.log }));
  return new CompactSign(payload).setProtectedHeader({ alg: 'ES256', typ: LOG_HEAD_TYPE, kid: signer.kid, x5c: signer.x5c }).sign(signer.privateKey);
}

function headOf(payload: Record<string, unknown>): LogHead | undefined {
  const { seq, hash, count, signedAt, log } = payload;
  if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(count) || typeof hash !== 'string' || typeof signedAt !== 'string') return undefined;
  if (Number.isNaN(Date.parse(signedAt))) return undefined;
  if (log !== undefined && !(LOGS as readonly unknown[]).includes(log)) return undefined;
  return { seq: seq as number, hash, count: count as number, signedAt, ...(log === undefined ? {} : { log: log as LogName }) };
}

/** Checks an ES256 signature (raw r‖s) over `signingInput`: WebCrypto by default; `log check` passes node:crypto's, which is synchronous and several times faster. */
export type Es256Verify = (publicKey: CryptoKey, signature: Uint8Array<ArrayBuffer>, signingInput: Uint8Array<ArrayBuffer>) => boolean | Promise<boolean>;

const webCryptoVerify: Es256Verify = (publicKey, signature, signingInput) => crypto.subtle.verify(ES256_SIGN, publicKey, signature, signingInput);

/**
 * A verifier of heads against the pinned root. It remembers each signing certificate it has checked, so a
 * log with thousands of heads checks the chain once per key and one ECDSA signature per head.
 * @example const verify = createLogHeadVerifier({ rootPem }); const result = await verify(jws);
 */
export function createLogHeadVerifier(pinned: PinnedRoot, verifySignature: Es256Verify = webCryptoVerify): (jws: string) => Promise<LogHeadVerification> {
  const root = rootOf(pinned);
  const keys = new Map<string, Promise<{ cert: X509Certificate; publicKey: CryptoKey; kid: string } | Message>>();
  const fail = (zh: string, en: string): LogHeadVerification => ({ valid: false, reason: { zh, en } });

  const keyOf = (x5c0: string) => {
    let entry = keys.get(x5c0);
    if (!entry) {
      entry = (async () => {
        const der = base64ToBytes(x5c0);
        const cert = der ? parseCertificate(der) : undefined;
        if (!cert || !root) return { zh: '签名证书无法解析', en: 'the signing certificate cannot be parsed' };
        const problem = await checkServiceCertificate(cert, root);
        if (problem) return problem;
        const publicKey = await certificatePublicKey(cert).catch(() => undefined);
        if (!publicKey) return { zh: '签名证书的公钥不是 P-256', en: 'the signing key is not P-256' };
        return { cert, publicKey, kid: await kidOf(publicKey) };
      })();
      keys.set(x5c0, entry);
    }
    return entry;
  };

  // Every head signed by one key has the same protected header (its x5c is most of it): decode it once.
  const headers = new Map<string, Record<string, unknown> | undefined>();
  const headerOf = (segment: string | undefined) => {
    if (segment === undefined) return undefined;
    if (!headers.has(segment)) headers.set(segment, decodeJsonSegment(segment));
    return headers.get(segment);
  };

  return async (jws) => {
    const parts = typeof jws === 'string' ? jws.split('.') : [];
    const header = headerOf(parts[0]);
    const payload = decodeJsonSegment(parts[1]);
    const signature = parts[2] === undefined ? undefined : base64UrlToBytes(parts[2]);
    if (parts.length !== 3 || !header || !payload || !signature) return fail('签名链头格式错误', 'the signed head is not a compact JWS');
    if (header['alg'] !== 'ES256' || header['typ'] !== LOG_HEAD_TYPE || 'crit' in header) return fail('签名链头的算法或类型不符', `alg must be ES256 and typ ${LOG_HEAD_TYPE}`);
    const x5c = header['x5c'];
    if (!Array.isArray(x5c) || typeof x5c[0] !== 'string') return fail('签名链头缺少证书链 x5c', 'the signed head has no x5c');
    const head = headOf(payload);
    if (!head) return fail('签名链头内容不完整', 'the signed head lacks seq, hash, count or signedAt, or names no known log');
    const key = await keyOf(x5c[0]);
    if ('zh' in key) return { valid: false, reason: key };
    if (header['kid'] !== key.kid) return fail('kid 与签名证书不符', 'kid does not match the signing certificate');
    const at = new Date(head.signedAt);
    if (!validAt(key.cert, at) || !root || !validAt(root, at)) return fail(`签名时（${head.signedAt}）证书不在有效期内`, `the certificate was not valid when the head was signed (${head.signedAt})`);
    const signingInput = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
    const ok = signature.length === 64 && (await Promise.resolve(verifySignature(key.publicKey, signature, signingInput)).catch(() => false));
    return ok ? { valid: true, head, kid: key.kid } : fail('签名无效', 'the signature is invalid');
  };
}
