/**
 * @module crypto/jws/verify
 * Verifies an e-certificate token offline, trusting nothing but the pinned root certificate: the signing
 * certificate comes from the token's own x5c header and must chain to that root. Garbage never throws —
 * the answer is `valid: false` with the check that failed, for the verification page to show.
 */

import { decodeJsonSegment } from '../lib/jsonSegment.js';
import type { X509Certificate } from '@peculiar/x509';
import { isValidCertificateNumber } from '../../domain/certificateNumber.js';
import { DomainError, type Message } from '../../domain/errors.js';
import { LEVEL_NAMES, type Level } from '../../domain/levels.js';
import { base64ToBytes, base64UrlToBytes } from '../../lib/base64.js';
import { authorityIdentity, certificatePublicKey, isSealCertificate, levelsOf, parseCertificate } from '../lib/certificate.js';
import { checkIssuedByRoot } from '../lib/chain.js';
import { ES256_SIGN, kidOf } from '../lib/keys.js';
import { CERTIFICATE_TOKEN_TYPE, titleLevelOf } from './sign.js';

/** Ours are about 2 KB; the cap keeps hostile input from costing parse time. */
export const MAX_TOKEN_LENGTH = 16 * 1024;
/** How far in the future `iat` may be, for clocks that disagree a little. */
export const IAT_FUTURE_SKEW_MS = 5 * 60 * 1000;

export type VerificationCheckName = 'format' | 'algorithm' | 'chain' | 'key_id' | 'signature' | 'authority' | 'level_allowed';

export interface VerificationCheck {
  name: VerificationCheckName;
  ok: boolean;
  message: Message;
}

export interface VerifiedAuthority {
  kid: string;
  code: string;
  name: string;
  levels: Level[];
}

export interface TokenVerification {
  valid: boolean;
  /** In order: format, algorithm, chain, key_id, signature, authority, level_allowed — up to the first that stops us. */
  checks: VerificationCheck[];
  /** Only when valid: an unverified payload is never handed out as if it were true. */
  payload?: Record<string, unknown>;
  /** Whenever the signing certificate chains to the root, so a page can say who signed what they may not. */
  authority?: VerifiedAuthority;
}

/** The pinned root: its PEM (TrustStore.rootPem, or a file a verifier keeps), or the parsed certificate. */
export type PinnedRoot = { rootPem: string } | { root: X509Certificate };

export type VerifyCertificateTokenOptions = PinnedRoot & {
  /** When given (the server passes its published kids), the token's kid must be one of them. */
  knownKids?: ReadonlySet<string> | undefined;
  /** The moment of verification; `iat` may not be later. Defaults to now. */
  at?: Date;
};

interface ParsedToken {
  kid: string;
  alg: unknown;
  x5c0: string;
  payload: Record<string, unknown>;
  issuedAt: Date;
  signingInput: Uint8Array<ArrayBuffer>;
  signature: Uint8Array<ArrayBuffer>;
}

const msg = (zh: string, en: string): Message => ({ zh, en });

/** The format check: a parsed token, or why it is not one. */
function parseToken(jws: unknown, at: Date): ParsedToken | Message {
  if (typeof jws !== 'string' || jws.length === 0) return msg('不是令牌', 'not a token');
  if (jws.length > MAX_TOKEN_LENGTH) return msg('令牌过大', `token longer than ${MAX_TOKEN_LENGTH} characters`);
  const parts = jws.split('.');
  const [h, p, s] = parts;
  if (parts.length !== 3 || h === undefined || p === undefined || s === undefined) {
    return msg('令牌应由三段组成', 'a compact JWS has exactly three segments');
  }
  const header = decodeJsonSegment(h);
  if (!header) return msg('令牌头不是有效的 base64url JSON', 'the header is not base64url-encoded JSON');
  const payload = decodeJsonSegment(p);
  if (!payload) return msg('令牌内容不是有效的 base64url JSON', 'the payload is not base64url-encoded JSON');
  // An empty signature is well-formed (alg `none` has one); the algorithm and signature checks refuse it.
  const signature = base64UrlToBytes(s);
  if (!signature) return msg('签名不是有效的 base64url', 'the signature is not base64url');
  if (header['typ'] !== CERTIFICATE_TOKEN_TYPE) return msg('令牌类型不是电子证书', `typ is not ${CERTIFICATE_TOKEN_TYPE}`);
  // We understand no critical extensions, so a token that demands one must be refused (RFC 7515 §4.1.11).
  if ('crit' in header) return msg('令牌含有无法处理的关键扩展', 'the header has critical extensions (crit)');
  const { kid, x5c } = header;
  if (typeof kid !== 'string' || kid.length === 0) return msg('令牌头缺少 kid', 'the header has no kid');
  if (!Array.isArray(x5c) || typeof x5c[0] !== 'string' || !x5c.every((c) => typeof c === 'string')) {
    return msg('令牌头缺少证书链 x5c', 'the header has no x5c certificate chain');
  }
  const iat = payload['iat'];
  if (typeof iat !== 'number' || !Number.isSafeInteger(iat) || iat < 0) return msg('缺少签发时间 iat', 'iat is missing');
  const issuedAt = new Date(iat * 1000);
  if (issuedAt.getTime() > at.getTime() + IAT_FUTURE_SKEW_MS) return msg('签发时间晚于当前时间', 'iat is in the future');
  const number = payload['number'];
  if (number !== undefined && (typeof number !== 'string' || !isValidCertificateNumber(number))) {
    return msg('证书编号格式不正确', 'number is not a well-formed certificate number');
  }
  return {
    kid,
    alg: header['alg'],
    x5c0: x5c[0],
    payload,
    issuedAt,
    signingInput: new TextEncoder().encode(`${h}.${p}`),
    signature,
  };
}

/** `payload.authority` when it is `{ code, name }` of strings. */
function claimedAuthority(payload: Record<string, unknown>): { code: string; name: string } | undefined {
  const authority = payload['authority'];
  if (typeof authority !== 'object' || authority === null) return undefined;
  const { code, name } = authority as Record<string, unknown>;
  return typeof code === 'string' && typeof name === 'string' ? { code, name } : undefined;
}

/**
 * @example
 * const result = await verifyCertificateToken(jws, { rootPem: store.rootPem, knownKids: store.kids() });
 * if (!result.valid) console.log(result.checks.filter((c) => !c.ok).map((c) => c.message.zh));
 */
export async function verifyCertificateToken(jws: string, options: VerifyCertificateTokenOptions): Promise<TokenVerification> {
  const root = 'root' in options ? options.root : parseCertificate(options.rootPem);
  // A bad pinned root is our misconfiguration, not the token's fault: that one does throw.
  if (!root) throw new DomainError('keys_unavailable', msg('受信任的根证书无法解析', 'the trusted root certificate cannot be parsed'));
  const checks: VerificationCheck[] = [];
  try {
    return await runChecks(jws, root, options, checks);
  } catch {
    // Belt and braces: anything unforeseen in hostile input is a failed check, never an exception.
    checks.push({ name: 'format', ok: false, message: msg('令牌无法解析', 'the token cannot be processed') });
    return { valid: false, checks };
  }
}

async function runChecks(
  jws: string,
  root: X509Certificate,
  options: VerifyCertificateTokenOptions,
  checks: VerificationCheck[],
): Promise<TokenVerification> {
  const record = (name: VerificationCheckName, ok: boolean, message: Message): boolean => {
    checks.push({ name, ok, message });
    return ok;
  };
  const stop = (name: VerificationCheckName, message: Message): TokenVerification => {
    record(name, false, message);
    return { valid: false, checks };
  };

  const token = parseToken(jws, options.at ?? new Date());
  if (!('signature' in token)) return stop('format', token);
  record('format', true, msg('令牌格式正确', 'well-formed token'));

  // Only ES256: this shuts out `none`, and HMAC keyed with the public key (algorithm confusion).
  if (token.alg !== 'ES256') return stop('algorithm', msg('签名算法不是 ES256', 'the algorithm is not ES256'));
  record('algorithm', true, msg('签名算法为 ES256', 'algorithm ES256'));

  const der = base64ToBytes(token.x5c0);
  const cert = der && parseCertificate(der);
  const publicKey = cert && (await certificatePublicKey(cert).catch(() => undefined));
  if (!cert || !publicKey) {
    return stop('chain', msg('x5c 中的签发机构证书无法解析', 'the authority certificate in x5c cannot be parsed'));
  }
  const identity = authorityIdentity(cert);
  const levels = levelsOf(cert);
  const problem =
    // Issue 16: a seal signs an organisation's opinions, never a title — whatever else its certificate says.
    (isSealCertificate(cert) ? msg('签名证书是单位电子印章，不能签发职称证书', 'the signing certificate is an organisation seal, which cannot sign a title certificate') : undefined) ??
    (await checkIssuedByRoot(cert, root, token.issuedAt)) ??
    (identity && levels.length > 0 ? undefined : msg('签发机构证书缺少机构代码或级别', 'the authority certificate lacks a code or levels'));
  const chainOk = record(
    'chain',
    !problem,
    problem ?? msg(`由受信任的根证书签发给${identity?.name}（${identity?.code}）`, `issued by the trusted root to ${identity?.code}`),
  );

  const thumbprint = await kidOf(publicKey);
  if (token.kid !== thumbprint) {
    record('key_id', false, msg('kid 与 x5c 证书的公钥不符', 'kid does not match the key of the x5c certificate'));
  } else if (options.knownKids && !options.knownKids.has(token.kid)) {
    record('key_id', false, msg('kid 不在已公布的密钥之列', 'kid is not among the published keys'));
  } else {
    record('key_id', true, msg('kid 与签发机构证书一致', 'kid matches the authority certificate'));
  }

  // ES256 signatures are the raw 64-byte r‖s that WebCrypto verifies directly (RFC 7518 §3.4).
  const signatureOk =
    token.signature.length === 64 &&
    (await crypto.subtle.verify(ES256_SIGN, publicKey, token.signature, token.signingInput));
  record('signature', signatureOk, signatureOk ? msg('签名有效', 'signature valid') : msg('签名无效', 'signature invalid'));

  // The signature says who signed; the payload must not name anyone else as the confirming authority.
  // Only names the root vouches for are echoed: messages reach terminals and pages, a forger's text must not.
  const claimed = claimedAuthority(token.payload);
  const authorityOk = claimed !== undefined && identity !== undefined && claimed.code === identity.code && claimed.name === identity.name;
  const signer = chainOk && identity ? `${identity.name}（${identity.code}）` : '';
  const signerCode = chainOk && identity ? `, ${identity.code}` : '';
  record(
    'authority',
    authorityOk,
    authorityOk
      ? msg(`确认机构即签名证书持有者${signer}`, `the confirming authority holds the signing certificate${signerCode}`)
      : !claimed
        ? msg('令牌未注明确认机构', 'the token names no confirming authority')
        : msg(`令牌所称确认机构不是签名证书持有者${signer}`, `the confirming authority named in the token does not hold the signing certificate${signerCode}`),
  );

  const level = titleLevelOf(token.payload);
  const allowed = level !== undefined && levels.includes(level);
  record(
    'level_allowed',
    allowed,
    !level
      ? msg('令牌未注明有效的职称级别', 'the token has no valid title.level')
      : allowed
        ? msg(`签发机构有权确认${LEVEL_NAMES[level].zh}职称`, `the authority may confirm ${LEVEL_NAMES[level].en} titles`)
        : msg(`签发机构无权确认${LEVEL_NAMES[level].zh}职称`, `the authority may not confirm ${LEVEL_NAMES[level].en} titles`),
  );

  const valid = checks.every((check) => check.ok);
  return {
    valid,
    checks,
    ...(valid ? { payload: token.payload } : {}),
    ...(chainOk && identity ? { authority: { kid: thumbprint, ...identity, levels } } : {}),
  };
}
