/**
 * @module services/verifyCertificate
 * What an employer learns from a QR scan or a typed lookup. Only someone who shows they hold the certificate
 * learns anything about it: the QR link's proof, or (in a lookup) the number together with the holder's
 * name. Then the answer is valid, revoked or invalid, with each check and its result. Without a proof the
 * answer is "proof required", a proof that matches nothing is "invalid" with one sentence and no facts, and
 * a number whose check character is wrong is "mistyped" — none of them tells whether a number exists.
 * The signature of a stored token is checked once per process and remembered (the token never changes);
 * revocation is read from the database on every request.
 */
import { CANCELLATION_REASON_NAMES, stateOf, type CancellationReason, type StateOf } from '../domain/certificateState.js';
import { REVOCATION_REASON_NAMES, sameHolder, type Certificate, type CertificateClaims, type RevocationReason } from '../domain/certificate.js';
import { normaliseCertificateNumber } from '../domain/certificateNumber.js';
import { BASIS_KIND_NAMES, type CertificateBasis } from '../domain/certificateBasis.js';
import { chinaDate, formatChineseDate } from '../domain/chineseDate.js';
import type { Message } from '../domain/errors.js';
import type { OrganisationContact } from '../domain/organisationContact.js';
import { LEVEL_NAMES, type Level } from '../domain/levels.js';
import { verifyCertificateToken, type TokenVerification } from '../crypto/jws.js';
import { timingSafeEqual } from '../lib/bytes.js';
import { deepEqual } from '../lib/equal.js';
import type { ServiceContext } from './context.js';
import { revocationSeal } from './caseStatements.js';
import { chinaDay, DEMO_NOTICE, SENTENCES, STATUS_MESSAGES, verdictSentence, type VerificationStatus } from './verificationWords.js';
import { licenceIdentifierFaultMessage, parseLicenceIdentifier } from '../domain/licenceIdentifier.js';

export type { VerificationStatus } from './verificationWords.js';

/**
 * How the caller showed they hold the certificate: `qr` the link proof matched, `name` the number and the
 * holder's name matched, `share` the holder's own live share link (issue 17 item 2), `wrong` a link proof
 * that matches no certificate, `none` nothing shown.
 */
export type HolderProof = 'qr' | 'name' | 'share' | 'wrong' | 'none';

export interface VerificationCheck {
  name: string;
  /** true passed, false failed, null not applicable (e.g. no link proof on a typed lookup). */
  ok: boolean | null;
  message: Message;
}

export interface PublicCertificate {
  number: string;
  /** 电子证照标识 (issue 19 item 1), as signed; absent on certificates issued before it existed. */
  identifier?: string;
  /** `idNumber` only through a share link whose holder chose to show it (issue 17 item 3, 四(四)). */
  holder: { name: string; idNumberMasked: string; gender: string; idNumber?: string };
  title: { series: string; seriesName: string; name: string; level: Level; levelName: string; specialty: string };
  original: { acquiredOn: string; method: string; evaluatingBody: string };
  /** Code and name as signed; `contact` is the office's current one, read at verification time and not signed. */
  authority: { code: string; name: string; contact?: OrganisationContact };
  decision: { number: string; decidedOn: string };
  /** Why it was issued (issue 13 item 6); read from the row, not signed. */
  basis: PublicBasis;
  issuedAt: string;
  /** `sealedBy`: the authority whose electronic seal the revocation bears (issue 16), when sealed. */
  revocation?: { at: string; reason: RevocationReason; reasonName: Message; sealedBy?: { name: string; uscc?: string; at: string } };
  /**
   * 已变更 (issue 19 item 2): when a correction replaced it and the deciding organisation. When the new version is of
   * the same person (domain/certificate.ts sameHolder), also its number and identifier — never its QR link proof,
   * which is the holder's to hand over (the employer asks the holder for the new certificate, or looks the new
   * number up with the holder's name). When the correction changed the holder's name or ID number, `holderChanged`
   * and no `current`: whoever holds the old proof learns that a newer version exists and to ask the holder for its
   * link, never which certificate it is (its number would lead, with a guessed name, to another person's facts).
   */
  supersession?: { at: string; by: { code: string; name: string }; holderChanged: boolean; current?: { number: string; identifier?: string } };
  /** 已注销 (issue 19 item 3): when and why (the note stays with the authority). */
  cancellation?: { at: string; reason: CancellationReason; reasonName: Message };
  /** The state in the 电子证照 vocabulary (issue 19 item 3): code and name, when, the deciding organisation, why. */
  state: StateOf;
}

/**
 * The basis as a verifier sees it. Only someone who showed they hold the certificate gets any answer with
 * facts (see the module comment), and to them the case id and the decision number and date are fair: they
 * say where the certificate comes from. The reason of a direct issuance is the authority's working note
 * and may name other files or people: it stays in the audit trail and the authority's record.
 */
export interface PublicBasis {
  kind: CertificateBasis['kind'] | 'unrecorded';
  kindName: Message;
  caseId?: string;
  decisionNumber?: string;
  decidedOn?: string;
  /** For a case: the confirming authority whose electronic seal its approval bears, and when (issue 16). */
  sealedBy?: { name: string; uscc?: string; at: string };
}

function publicBasis(basis: CertificateBasis | undefined): PublicBasis {
  if (!basis) return { kind: 'unrecorded', kindName: BASIS_KIND_NAMES.unrecorded };
  if (basis.kind === 'case') {
    const sealed = basis.sealedBy;
    return { kind: 'case', kindName: BASIS_KIND_NAMES.case, caseId: basis.caseId, ...(sealed ? { sealedBy: { name: sealed.name, ...(sealed.uscc ? { uscc: sealed.uscc } : {}), at: sealed.at } } : {}) };
  }
  return { kind: 'decision', kindName: BASIS_KIND_NAMES.decision, decisionNumber: basis.decisionNumber, decidedOn: basis.decidedOn };
}

export interface Verification {
  status: VerificationStatus;
  /** One sentence for a person: what the answer means and what to do next. */
  message: Message;
  /** Each technical check and its result; empty when nothing about a certificate may be said. */
  checks: VerificationCheck[];
  certificate?: PublicCertificate;
  proof: HolderProof;
  /** The QR proof matched, the certificate is not invalid and its signed token names a photo: it may be shown. */
  photo: boolean;
  /** When this check ran (核验时间). */
  checkedAt: Date;
  /** The service runs on the public demo root: anyone can sign with its keys, nothing it says is binding. */
  demo: boolean;
}

export { DEMO_NOTICE, STATUS_MESSAGES };

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
    ...(c.identifier ? { identifier: c.identifier } : {}),
  } as CertificateClaims & { hasPhoto: boolean };
}

function publicView(c: Certificate, methodName: (m: string) => string, contact: OrganisationContact): PublicCertificate {
  return {
    number: c.number,
    ...(c.identifier ? { identifier: c.identifier } : {}),
    holder: { name: c.holder.name, idNumberMasked: c.holder.idNumberMasked, gender: c.holder.gender },
    title: { ...c.title, levelName: LEVEL_NAMES[c.title.level].zh },
    original: { acquiredOn: c.original.acquiredOn, method: methodName(c.original.method), evaluatingBody: c.original.evaluatingBody },
    authority: { code: c.authority.code, name: c.authority.name, ...(contact.phone || contact.address ? { contact } : {}) },
    decision: c.decision,
    basis: publicBasis(c.basis),
    issuedAt: c.issuedAt,
    ...(c.revocation ? { revocation: { at: c.revocation.at, reason: c.revocation.reason, reasonName: REVOCATION_REASON_NAMES[c.revocation.reason] } } : {}),
    ...(c.cancellation ? { cancellation: { at: c.cancellation.at, reason: c.cancellation.reason, reasonName: CANCELLATION_REASON_NAMES[c.cancellation.reason] } } : {}),
    state: stateOf(c),
  };
}

/** An answer that says nothing about any certificate. */
async function bare(ctx: ServiceContext, status: VerificationStatus, message: Message, proof: HolderProof, checks: VerificationCheck[] = []): Promise<Verification> {
  return { status, message, checks, proof, photo: false, checkedAt: ctx.now(), demo: (await ctx.trust()).isDemo };
}

const mistyped = (ctx: ServiceContext, proof: HolderProof) =>
  bare(ctx, 'number_invalid', SENTENCES.numberInvalid, proof, [
    { name: 'number', ok: false, message: { zh: '证书编号格式或校验位错误', en: 'Malformed certificate number or wrong check character' } },
  ]);

/** The certificate a QR link names, when its proof is right; undefined for a wrong proof or an unknown number alike. */
async function certificateByLink(ctx: ServiceContext, number: string, proof: string): Promise<Certificate | undefined> {
  const certificate = await ctx.certificates.findByNumber(number);
  return certificate && timingSafeEqual(proof, certificate.linkProof) ? certificate : undefined;
}

/**
 * A QR link: the number and its proof `s`. A proof that matches no certificate is `invalid` with one
 * sentence and nothing else, whether or not the number exists.
 * @example const v = await verifyByLink(ctx, '26K7Q2M9XHT', 'proof-from-qr'); // v.status === 'valid'
 */
export async function verifyByLink(ctx: ServiceContext, rawNumber: string, proof: string, methodName: (m: string) => string = (m) => m): Promise<Verification> {
  const number = normaliseCertificateNumber(rawNumber);
  if (!number) return mistyped(ctx, 'wrong');
  const found = await ctx.certificates.findForVerification(number);
  if (!found || !timingSafeEqual(proof, found.certificate.linkProof)) return bare(ctx, 'invalid', SENTENCES.wrongProof, 'wrong');
  return examine(ctx, found, 'qr', methodName);
}

/**
 * A typed lookup: the number and the holder's name. A wrong name is answered exactly like an unknown number,
 * so the lookup never confirms who holds a number; the photo is never shown.
 * @example const v = await verifyByName(ctx, '26K7-Q2M9-XHT', '张三丰');
 */
export async function verifyByName(ctx: ServiceContext, rawNumber: string, name: string, methodName: (m: string) => string = (m) => m): Promise<Verification> {
  const number = normaliseCertificateNumber(rawNumber);
  if (!number) return mistyped(ctx, 'none');
  const found = await ctx.certificates.findForVerification(number);
  if (!found || found.certificate.holder.name !== name.normalize('NFC')) {
    return bare(ctx, 'not_found', SENTENCES.notFound, 'none', [{ name: 'found', ok: false, message: { zh: '没有与此编号和姓名相符的证书', en: 'No certificate matches this number and name' } }]);
  }
  return examine(ctx, found, 'name', methodName);
}

/**
 * A number without any proof (a typed `/v/{number}` link): no verdict, only whether the number is well formed.
 * @example (await proofRequired(ctx, '26K7Q2M9XHT')).status // 'proof_required'
 */
export async function proofRequired(ctx: ServiceContext, rawNumber: string): Promise<Verification> {
  return normaliseCertificateNumber(rawNumber) ? bare(ctx, 'proof_required', SENTENCES.proofRequired, 'none') : mistyped(ctx, 'none');
}

/**
 * A certificate its holder shares through a live share link (issue 17 item 2; the link itself is checked by
 * services/holderShares): every check and fact as for the QR link, but never the photo — the photo's URL
 * would carry the QR proof, which the holder did not hand over. Undefined when there is no such certificate.
 * @example const v = await verifyByShare(ctx, link.certificateNumber);
 */
export async function verifyByShare(ctx: ServiceContext, number: string, methodName: (m: string) => string = (m) => m): Promise<Verification | undefined> {
  const found = await ctx.certificates.findForVerification(number);
  return found ? examine(ctx, found, 'share', methodName) : undefined;
}

/**
 * A `/v/{identifier}` link (issue 19 item 1): the 电子证照标识 stands for the number, under the same proof rules —
 * a verdict only with the certificate's own link proof; without a proof, nothing (not even whether it exists);
 * a proof that matches nothing, `invalid`. A malformed identifier or a wrong check character is a `fault` in
 * words (never "not found"). `number` is given only with the right proof. Certificates issued before identifiers
 * have none and are found by number only.
 * @example const answer = await verifyIdentifierLink(ctx, '1.2.156.3005.2.….001.F', proof);
 */
export async function verifyIdentifierLink(
  ctx: ServiceContext,
  raw: string,
  proof: string | undefined,
  methodName: (m: string) => string = (m) => m,
): Promise<{ verification: Verification; number?: string } | { fault: Message }> {
  const parsed = parseLicenceIdentifier(raw);
  if (!parsed.ok) return { fault: licenceIdentifierFaultMessage(parsed.fault) };
  if (proof === undefined) return { verification: await bare(ctx, 'proof_required', SENTENCES.proofRequired, 'none') };
  const number = await ctx.certificates.numberByIdentifier(parsed.identifier);
  const verification = number ? await verifyByLink(ctx, number, proof, methodName) : await bare(ctx, 'invalid', SENTENCES.wrongProof, 'wrong');
  return verification.proof === 'qr' && number ? { verification, number } : { verification };
}

/** Every check of a certificate whose holder has shown themselves. */
async function examine(
  ctx: ServiceContext,
  { certificate, authorityContact }: { certificate: Certificate; authorityContact: OrganisationContact },
  proof: 'qr' | 'name' | 'share',
  methodName: (m: string) => string,
): Promise<Verification> {
  const checks: VerificationCheck[] = [{ name: 'found', ok: true, message: { zh: '证书存在', en: 'Certificate exists' } }];
  checks.push(
    proof === 'qr'
      ? { name: 'link_proof', ok: true, message: { zh: '二维码链接凭证与证书一致', en: 'QR link proof matches the certificate' } }
      : proof === 'share'
        ? { name: 'link_proof', ok: true, message: { zh: '持证人的分享链接有效', en: "The holder's share link is live" } }
        : { name: 'link_proof', ok: null, message: { zh: '未出示二维码凭证（按编号和姓名查询）', en: 'No QR link proof presented (lookup by number and name)' } },
  );
  const token = await verifyToken(ctx, certificate.token);
  checks.push(...token.result.checks.map((c) => ({ name: c.name, ok: c.ok, message: c.message })));
  const matches = token.result.valid && deepEqual(token.claims, claimsOf(certificate));
  checks.push(
    matches
      ? { name: 'record_matches', ok: true, message: { zh: '登记信息与签名内容一致', en: 'Stored record matches the signed content' } }
      : { name: 'record_matches', ok: false, message: { zh: '登记信息与签名内容不一致', en: 'Stored record differs from the signed content' } },
  );
  const revokedAt = certificate.status === 'revoked' ? (certificate.revocation?.at ?? '') : undefined;
  checks.push(
    revokedAt !== undefined
      ? {
          name: 'not_revoked',
          ok: false,
          message: revokedAt
            ? { zh: `证书已于${chinaDay(revokedAt)}撤销`, en: `Revoked on ${chinaDate(new Date(revokedAt))} (China time)` }
            : { zh: '证书已撤销', en: 'Revoked' },
        }
      : { name: 'not_revoked', ok: true, message: { zh: '未被撤销', en: 'Not revoked' } },
  );

  // Issue 19 item 2: a corrected certificate is never again a green 有效 — it says 已变更 and names its current version.
  const supersededAt = certificate.status === 'superseded' ? certificate.supersession?.at ?? '' : undefined;
  if (supersededAt !== undefined) {
    checks.push({
      name: 'current_version',
      ok: false,
      message: supersededAt
        ? { zh: `证书已于${chinaDay(supersededAt)}更正为新版本，本版本已变更`, en: `Corrected by a new version on ${chinaDate(new Date(supersededAt))} (China time); this version is superseded` }
        : { zh: '证书已更正为新版本，本版本已变更', en: 'Corrected by a new version; this version is superseded' },
    });
  }

  const cancelledAt = certificate.cancellation?.at;
  if (cancelledAt !== undefined) {
    checks.push({ name: 'not_cancelled', ok: false, message: { zh: `证书已于${chinaDay(cancelledAt)}注销`, en: `Cancelled on ${chinaDate(new Date(cancelledAt))} (China time)` } });
  }

  const verdicts = ['not_revoked', 'current_version', 'not_cancelled'];
  const failed = checks.some((c) => c.ok === false && !verdicts.includes(c.name));
  const status = failed ? 'invalid' : revokedAt !== undefined ? 'revoked' : cancelledAt !== undefined ? 'cancelled' : supersededAt !== undefined ? 'superseded' : 'valid';
  // The office's contact as it is now (issue 12 A4), so an employer can ask it; never from the signed token.
  const view = publicView(certificate, methodName, authorityContact);
  if (view.revocation) {
    const sealed = await revocationSeal(ctx, certificate.number); // read only for a revoked certificate
    if (sealed) view.revocation.sealedBy = { name: sealed.name, ...(sealed.uscc ? { uscc: sealed.uscc } : {}), at: sealed.at };
  }
  if (certificate.supersession) {
    const current = await ctx.certificates.findByNumber(certificate.supersession.successor); // read only for a superseded certificate
    // A successor that cannot be read is treated as another person's: nothing of it is said.
    const holderChanged = !current || !sameHolder(certificate.holder, current.holder);
    view.supersession = {
      at: certificate.supersession.at,
      by: current?.authority ?? certificate.authority,
      holderChanged,
      ...(holderChanged ? {} : { current: { number: certificate.supersession.successor, ...(current?.identifier ? { identifier: current.identifier } : {}) } }),
    };
  }
  const signedPhoto = token.result.valid && typeof token.result.payload?.['photoSha256'] === 'string';
  return {
    status,
    message: status === 'invalid' ? SENTENCES.tampered : verdictSentence(status, view),
    checks,
    certificate: view,
    proof,
    photo: proof === 'qr' && !failed && signedPhoto && Boolean(certificate.photoType),
    checkedAt: ctx.now(),
    demo: (await ctx.trust()).isDemo,
  };
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
 * `proof: false` when the proof matches no certificate (the caller counts it against the limit).
 * @example const { photo } = await holderPhoto(ctx, '26K7Q2M9XHT', proof);
 */
export async function holderPhoto(ctx: ServiceContext, rawNumber: string, proof: string): Promise<{ proof: boolean; photo?: { bytes: Uint8Array; type: string } }> {
  const number = normaliseCertificateNumber(rawNumber);
  const certificate = number ? await certificateByLink(ctx, number, proof) : undefined;
  if (!certificate) return { proof: false };
  const token = await verifyToken(ctx, certificate.token);
  const signedHash = token.result.valid ? token.result.payload?.photoSha256 : undefined;
  if (typeof signedHash !== 'string') return { proof: true };
  const photo = await ctx.certificates.photo(certificate.number, signedHash); // checked once, against the signed hash
  return photo ? { proof: true, photo } : { proof: true };
}

/**
 * The signed token behind a QR link, for checking it offline; undefined when the proof matches no certificate.
 * @example const token = await linkedToken(ctx, '26K7Q2M9XHT', proof);
 */
export async function linkedToken(ctx: ServiceContext, rawNumber: string, proof: string): Promise<string | undefined> {
  const number = normaliseCertificateNumber(rawNumber);
  return number ? (await certificateByLink(ctx, number, proof))?.token : undefined;
}
