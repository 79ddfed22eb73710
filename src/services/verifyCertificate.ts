/**
 * @module services/verifyCertificate
 * What an employer learns from a QR scan or a typed lookup: valid, revoked, invalid or not found, with each
 * check and its result. The signature of a stored token is checked once per process and remembered (the
 * token never changes); revocation is read from the database on every request.
 */
import { REVOCATION_REASON_NAMES, type Certificate, type CertificateClaims, type RevocationReason } from '../domain/certificate.js';
import { normaliseCertificateNumber } from '../domain/certificateNumber.js';
import type { Message } from '../domain/errors.js';
import { LEVEL_NAMES, type Level } from '../domain/levels.js';
import { verifyCertificateToken, type TokenVerification } from '../crypto/jws.js';
import { sha256Hex, timingSafeEqual } from '../lib/bytes.js';
import { deepEqual } from '../lib/equal.js';
import type { ServiceContext } from './context.js';

export type VerificationStatus = 'valid' | 'revoked' | 'invalid' | 'not_found';

export interface VerificationCheck {
  name: string;
  /** true passed, false failed, null not applicable (e.g. no link proof on a typed lookup). */
  ok: boolean | null;
  message: Message;
}

export interface PublicCertificate {
  number: string;
  holder: { name: string; idNumberMasked: string; gender: string };
  title: { series: string; seriesName: string; name: string; level: Level; levelName: string; specialty: string };
  original: { acquiredOn: string; method: string; evaluatingBody: string };
  authority: { code: string; name: string };
  decision: { number: string; decidedOn: string };
  issuedAt: string;
  revocation?: { at: string; reason: RevocationReason; reasonName: Message };
}

export interface Verification {
  status: VerificationStatus;
  checks: VerificationCheck[];
  certificate?: PublicCertificate;
  /** True only when the QR link proof was presented and matched: the page may then show the photo. */
  proofPresented: boolean;
}

const STATUS_MESSAGES: Record<VerificationStatus, Message> = {
  valid: { zh: '有效', en: 'Valid' },
  revoked: { zh: '已撤销', en: 'Revoked' },
  invalid: { zh: '无效', en: 'Invalid' },
  not_found: { zh: '不存在', en: 'Not found' },
};
export { STATUS_MESSAGES };

interface VerifiedToken {
  result: TokenVerification;
  /** The signed claims without the fields the row does not keep (iat, photo hash). */
  claims: unknown;
}
const verifiedTokens = new Map<string, VerifiedToken>();
const CACHE_LIMIT = 20_000;

async function verifyToken(ctx: ServiceContext, token: string): Promise<VerifiedToken> {
  const cached = verifiedTokens.get(token);
  if (cached) return cached;
  const trust = await ctx.trust();
  const result = await verifyCertificateToken(token, { rootPem: trust.rootPem, knownKids: trust.kids() });
  const verified = { result, claims: stripUnkept(result.payload) };
  if (verifiedTokens.size >= CACHE_LIMIT) verifiedTokens.clear();
  verifiedTokens.set(token, verified);
  return verified;
}

/** The signed claims rebuilt from the stored row: a row edited behind our back no longer matches its token. */
function claimsOf(c: Certificate): CertificateClaims & { hasPhoto: boolean } {
  return {
    hasPhoto: Boolean(c.photoType),
    number: c.number,
    holder: { name: c.holder.name, gender: c.holder.gender, idType: c.holder.idType, idNumberMasked: c.holder.idNumberMasked },
    title: c.title,
    original: c.original,
    authority: c.authority,
    decision: c.decision,
    issuedAt: c.issuedAt,
  } as CertificateClaims & { hasPhoto: boolean };
}

function publicView(c: Certificate, methodName: (m: string) => string): PublicCertificate {
  return {
    number: c.number,
    holder: { name: c.holder.name, idNumberMasked: c.holder.idNumberMasked, gender: c.holder.gender },
    title: { ...c.title, levelName: LEVEL_NAMES[c.title.level].zh },
    original: { acquiredOn: c.original.acquiredOn, method: methodName(c.original.method), evaluatingBody: c.original.evaluatingBody },
    authority: c.authority,
    decision: c.decision,
    issuedAt: c.issuedAt,
    ...(c.revocation ? { revocation: { at: c.revocation.at, reason: c.revocation.reason, reasonName: REVOCATION_REASON_NAMES[c.revocation.reason] } } : {}),
  };
}

/**
 * @example const result = await verifyCertificate(ctx, '26K7Q2M9XH4', 'proof-from-qr'); // result.status === 'valid'
 */
export async function verifyCertificate(ctx: ServiceContext, rawNumber: string, proof: string | undefined, methodName: (m: string) => string = (m) => m): Promise<Verification> {
  const checks: VerificationCheck[] = [];
  const number = normaliseCertificateNumber(rawNumber);
  if (!number) {
    checks.push({ name: 'number', ok: false, message: { zh: '证书编号格式或校验位错误', en: 'Malformed certificate number or wrong check character' } });
    return { status: 'not_found', checks, proofPresented: false };
  }
  const certificate = await ctx.certificates.findByNumber(number);
  if (!certificate) {
    checks.push({ name: 'found', ok: false, message: { zh: '没有此编号的证书', en: 'No certificate has this number' } });
    return { status: 'not_found', checks, proofPresented: false };
  }
  checks.push({ name: 'found', ok: true, message: { zh: '证书存在', en: 'Certificate exists' } });

  let proofPresented = false;
  if (proof === undefined || proof === '') {
    checks.push({ name: 'link_proof', ok: null, message: { zh: '未出示二维码链接凭证（手工查询）', en: 'No QR link proof presented (typed lookup)' } });
  } else if (timingSafeEqual(proof, certificate.linkProof)) {
    proofPresented = true;
    checks.push({ name: 'link_proof', ok: true, message: { zh: '二维码链接凭证与证书一致', en: 'QR link proof matches the certificate' } });
  } else {
    checks.push({ name: 'link_proof', ok: false, message: { zh: '二维码链接凭证与证书不符', en: 'QR link proof does not match the certificate' } });
  }

  const token = await verifyToken(ctx, certificate.token);
  checks.push(...token.result.checks.map((c) => ({ name: c.name, ok: c.ok, message: c.message })));
  const matches = token.result.valid && deepEqual(token.claims, claimsOf(certificate));
  checks.push(
    matches
      ? { name: 'record_matches', ok: true, message: { zh: '登记信息与签名内容一致', en: 'Stored record matches the signed content' } }
      : { name: 'record_matches', ok: false, message: { zh: '登记信息与签名内容不一致', en: 'Stored record differs from the signed content' } },
  );
  const revoked = certificate.status === 'revoked';
  checks.push(
    revoked
      ? { name: 'not_revoked', ok: false, message: { zh: `证书已于${certificate.revocation?.at.slice(0, 10) ?? ''}撤销`, en: `Revoked on ${certificate.revocation?.at.slice(0, 10) ?? ''}` } }
      : { name: 'not_revoked', ok: true, message: { zh: '未被撤销', en: 'Not revoked' } },
  );

  const failed = checks.some((c) => c.ok === false && c.name !== 'not_revoked');
  const status: VerificationStatus = failed ? 'invalid' : revoked ? 'revoked' : 'valid';
  return { status, checks, certificate: publicView(certificate, methodName), proofPresented: proofPresented && !failed };
}

/** The signed claims in the row's terms: the row keeps whether there is a photo, not its hash or `iat`. */
function stripUnkept(payload: unknown): unknown {
  if (!payload || typeof payload !== 'object') return payload;
  const { photoSha256, iat: _iat, ...rest } = payload as Record<string, unknown>;
  return { ...rest, hasPhoto: typeof photoSha256 === 'string' };
}

/**
 * The holder's photo, only for someone holding the QR link proof, and only if it is the very photo the
 * authority signed (its SHA-256 is in the token): a photo swapped in the database is never shown.
 * @example const photo = await holderPhoto(ctx, '26K7Q2M9XH4', proof);
 */
export async function holderPhoto(ctx: ServiceContext, rawNumber: string, proof: string): Promise<{ bytes: Uint8Array; type: string } | undefined> {
  const number = normaliseCertificateNumber(rawNumber);
  const certificate = number ? await ctx.certificates.findByNumber(number) : undefined;
  if (!certificate || !timingSafeEqual(proof, certificate.linkProof)) return undefined;
  const token = await verifyToken(ctx, certificate.token);
  const signedHash = token.result.valid ? token.result.payload?.photoSha256 : undefined;
  const photo = await ctx.certificates.photo(certificate.number);
  if (!photo || typeof signedHash !== 'string' || (await sha256Hex(photo.bytes)) !== signedHash) return undefined;
  return photo;
}
