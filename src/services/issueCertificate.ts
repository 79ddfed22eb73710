/**
 * @module services/issueCertificate
 * Issues a title e-certificate: checks the facts, signs them with the authority's current key, renders the
 * PDF and stores all of it in one batch. Retries with the same Idempotency-Key return the same certificate.
 */
import { ACQUISITION_METHOD_NAMES, GENDER_NAMES, type AcquisitionMethod, type Certificate, type CertificateClaims, type Gender } from '../domain/certificate.js';
import { findSeries, findTitle } from '../domain/catalog.js';
import { chinaDate } from '../domain/chineseDate.js';
import { newCertificateNumber } from '../domain/certificateNumber.js';
import { DomainError } from '../domain/errors.js';
import { ID_TYPE_NAMES, maskIdNumber, type IdType } from '../domain/idDocument.js';
import { checkAcquisitionWindow, checkHolderIdentity, refuseNationalExam } from '../domain/issuance.js';
import { LEVEL_NAMES } from '../domain/levels.js';
import { parseDataUrl } from '../domain/dataUrl.js';
import { inspectPhoto } from '../domain/photo.js';
import { checkDecisionBasis, requireHolderPhoto, type CertificateBasis } from '../domain/certificateBasis.js';
import { signCertificateToken, signerAllows } from '../crypto/jws.js';
import { ConstraintError, sql } from '../storage/driver.js';
import { base64url, canonicalJson, sha256, sha256Hex } from '../lib/bytes.js';
import { auditOf } from './audit.js';
import { renderCertificateJob } from './pdfSigning.js';
import type { Actor, CertificatePdfJob, ServiceContext } from './context.js';
import type { TrustStore } from '../crypto/trustStore.js';
import { replayed } from './idempotency.js';
import { actStatement, approvalSeal } from './caseStatements.js';
import { buildLicenceIdentifier, DEMO_LICENCE_TYPE_CODE, FIRST_VERSION, nextVersionParts, parseLicenceIdentifier, type LicenceIdentifierParts } from '../domain/licenceIdentifier.js';

export interface IssueRequest {
  holder: { name: string; gender: Gender; idType: IdType; idNumber: string; photo?: string | undefined };
  title: { series: string; name: string; specialty: string };
  original: { acquiredOn: string; method: AcquisitionMethod; evaluatingBody: string; certificateNumber?: string | undefined };
  decision: { number: string; decidedOn: string };
  /**
   * Why it is issued (issue 13 item 6): the case it comes from (services/applications/issue.ts only), or for a direct
   * issuance the authority's decision outside the workflow — checked here, whoever calls.
   */
  basis: CaseBasisRequest | DirectBasisRequest;
}

/** Issued from a reconfirmation case: set by issueFromApplication, never taken from an API body. */
export interface CaseBasisRequest {
  caseId: string;
}

/** A direct issuance's recorded decision, as the API receives it. */
export interface DirectBasisRequest {
  decisionNumber: string;
  decidedOn: string;
  reason: string;
}

export interface IssueResult {
  certificate: Certificate;
  created: boolean;
}

/** The `s` of a QR link: 128 bits of SHA-256 over the signed token, so only the certificate's holder has it. */
export async function linkProofOf(token: string): Promise<string> {
  return base64url((await sha256(token)).subarray(0, 16));
}

export function verifyUrlOf(publicUrl: string, number: string, linkProof: string): string {
  return `${publicUrl}/v/${number}?s=${linkProof}`;
}

/** @example const { certificate } = await issueCertificate(ctx, actor, request, 'retry-key-1'); */
export async function issueCertificate(ctx: ServiceContext, actor: Actor, request: IssueRequest, idempotencyKey?: string): Promise<IssueResult> {
  const requestHash = await sha256Hex(canonicalJson(request));
  if (idempotencyKey) {
    const earlier = await replay(ctx, actor.orgCode, idempotencyKey, requestHash);
    if (earlier) return { certificate: earlier, created: false };
  }
  const today = chinaDate(ctx.now());
  const basisOf = async (): Promise<CertificateBasis> =>
    'caseId' in request.basis
      ? { kind: 'case', caseId: request.basis.caseId, sealedBy: await approvalSeal(ctx, request.basis.caseId) } // issue 16: whose seal the decision bears
      : checkDecisionBasis(request.basis, today);
  return issueVersion(ctx, actor, request, basisOf, { kind: 'first', ...(idempotencyKey ? { idempotency: { key: idempotencyKey, requestHash } } : {}) });
}

/** The facts a version is issued with: the issuance request without its basis; the photo may come as bytes (a correction keeps the old one). */
export type VersionFacts = Omit<IssueRequest, 'basis'> & { photoBytes?: NonNullable<Certificate['photo']> | undefined };

/** What sets a first issue apart from a correction (issue 19 item 2): the identifier's serial and version, what else the batch writes. */
export type VersionKind = ({ kind: 'first' } | { kind: 'correction'; predecessor: Certificate; reason: string }) & { idempotency?: { key: string; requestHash: string } | undefined };

/**
 * Checks, signs, renders and stores one certificate — a first issue or a correction's next version, through the
 * same steps (issue 19 item 2: a correction is an issuance, not an edit). A correction's batch also supersedes its
 * predecessor and fails whole when that is no longer valid (storage/certificates.ts supersedeStatements).
 */
export async function issueVersion(ctx: ServiceContext, actor: Actor, request: VersionFacts, basisOf: () => Promise<CertificateBasis | undefined>, version: VersionKind): Promise<IssueResult> {
  const idempotency = version.idempotency;
  const idempotencyKey = idempotency?.key;
  const requestHash = idempotency?.requestHash ?? '';
  const now = ctx.now();
  const today = chinaDate(now);
  const { idNumber, photo, basis, series, title, signer, trust } = await checkIssueFacts(ctx, actor, request, basisOf, now);

  const issuedAt = now.toISOString();
  const photoSha256 = await sha256Hex(photo.bytes);
  // A correction takes the next version of its predecessor's serial; one without an identifier (issued before them) a fresh serial.
  const followed = version.kind === 'correction' && version.predecessor.identifier ? parseLicenceIdentifier(version.predecessor.identifier) : undefined;
  const licence = followed?.ok ? undefined : await licenceOf(ctx, actor.orgCode, trust.isDemo);
  if (followed?.ok && !nextVersionParts(followed.parts)) {
    throw new DomainError('conflict', { zh: '该证书的版本号已用到 999，不能再更正', en: 'This certificate has reached version 999 and cannot be corrected again' });
  }
  for (let attempt = 0; ; attempt++) {
    const number = newCertificateNumber(Number(today.slice(0, 4)));
    // 电子证照标识 (issue 19 item 1): a serial of this type and authority taken for this issuance alone (so no racing
    // issuance renders its PDF twice), version 001; the unique index below is the guard.
    const parts: LicenceIdentifierParts | undefined = followed?.ok
      ? nextVersionParts(followed.parts)
      : licence && { ...licence, serial: await ctx.certificates.nextLicenceSerial(licence.typeCode, licence.authorityCode), version: FIRST_VERSION };
    const identifier = parts && buildLicenceIdentifier(parts);
    const claims: CertificateClaims = {
      number,
      holder: { name: request.holder.name, gender: request.holder.gender, idType: request.holder.idType, idNumberMasked: maskIdNumber(idNumber, request.holder.idType) },
      photoSha256,
      title: { series: series.code, seriesName: series.name, name: title.name, level: title.level, specialty: request.title.specialty },
      original: {
        acquiredOn: request.original.acquiredOn,
        method: request.original.method,
        evaluatingBody: request.original.evaluatingBody,
        ...(request.original.certificateNumber ? { certificateNumber: request.original.certificateNumber } : {}),
      },
      authority: { code: signer.code, name: signer.name },
      decision: { number: request.decision.number, decidedOn: request.decision.decidedOn },
      issuedAt,
      ...(identifier ? { identifier } : {}),
    };
    const token = await signCertificateToken(claims as unknown as Record<string, unknown>, signer);
    const linkProof = await linkProofOf(token);
    const certificate: Certificate = {
      number,
      authority: claims.authority,
      kid: signer.kid,
      holder: { ...claims.holder, idNumber },
      photo,
      title: claims.title,
      original: claims.original,
      decision: claims.decision,
      issuedAt,
      token,
      linkProof,
      status: 'valid',
      basis,
      ...(identifier ? { identifier } : {}),
      ...(version.kind === 'correction' ? { predecessor: version.predecessor.number } : {}),
    };
    const document = {
      number,
      verifyUrl: verifyUrlOf(ctx.publicUrl, number, linkProof),
      token,
      holder: { name: claims.holder.name, gender: GENDER_NAMES[claims.holder.gender], idType: ID_TYPE_NAMES[claims.holder.idType].zh, idNumber: claims.holder.idNumberMasked },
      photo,
      title: { seriesName: series.name, name: title.name, level: LEVEL_NAMES[title.level].zh, specialty: claims.title.specialty },
      original: { ...claims.original, method: ACQUISITION_METHOD_NAMES[claims.original.method] },
      authority: claims.authority,
      decision: claims.decision,
      issuedAt,
      ...(identifier ? { identifier } : {}),
      // On the public demo root anyone can sign: the PDF says so on its face (演示证书 DEMO).
      demo: trust.isDemo,
    };
    // Signed by the same authority key as the token; the signature's widget lies over the drawn seal. On
    // Node a worker renders it (or refuses with `busy`, 503, when its queue is full — before anything is
    // written, so no certificate is stored without its PDF); on Workers it renders here.
    const job: CertificatePdfJob = {
      document,
      signerKid: signer.privateKey ? signer.kid : undefined,
      about: { reason: '职称电子证书 Title e-certificate', location: signer.name, signedAt: issuedAt },
    };
    const pdf = ctx.renderCertificate ? await ctx.renderCertificate(job) : await renderCertificateJob(job, ctx.fonts, ctx.template, trust);
    try {
      const correction = version.kind === 'correction' ? { of: version.predecessor.number, reason: version.reason } : undefined;
      const audit = auditOf(actor, issuedAt, 'certificate.issue', `certificate:${certificate.number}`, { level: certificate.title.level, decision: certificate.decision.number, basis, ...(correction ? { correction } : {}) });
      const alongside = [ctx.audit.statement(audit)];
      if (version.kind === 'correction') {
        // History is never overwritten: the old row is only marked 已变更, and the trail names both versions.
        const old = version.predecessor;
        const detail = { successor: number, reason: version.reason, ...(old.identifier ? { from: old.identifier } : {}), ...(identifier ? { to: identifier } : {}) };
        alongside.push(...ctx.certificates.supersedeStatements(old.number, number, issuedAt, version.reason, actor.personId));
        // 四(四) 谁确认、谁负责: the correction is the authority's sealed statement on the old version, naming the new one.
        const supersededNow = sql('SELECT 1 FROM certificates WHERE number = ? AND superseded_by = ?', old.number, number);
        const successor = { number, ...(identifier ? { identifier } : {}) };
        alongside.push(await actStatement(ctx, actor, old, { at: issuedAt, step: 'correct', opinion: version.reason, data: { successor } }, supersededNow));
        alongside.push(ctx.audit.statement(auditOf(actor, issuedAt, 'certificate.correct', `certificate:${old.number}`, detail)));
      }
      await ctx.certificates.insert(certificate, pdf, idempotencyKey ? { scope: actor.orgCode, key: idempotencyKey, requestHash } : undefined, alongside);
      return { certificate, created: true };
    } catch (error) {
      if (!(error instanceof ConstraintError)) throw error;
      // Another request with the same Idempotency-Key won the race: answer with its certificate.
      if (idempotencyKey) {
        const earlier = await replay(ctx, actor.orgCode, idempotencyKey, requestHash);
        if (earlier) return { certificate: earlier, created: false };
      }
      // A racing correction, cancellation or revocation of the predecessor landed first: this one writes nothing (409 in words).
      if (version.kind === 'correction') await refuseUncorrectable(ctx, version.predecessor.number);
      // A certificate number (or a serial) collided four times: something else is wrong.
      if (attempt >= 3) throw error;
    }
  }
}

/**
 * The key this organisation signs with now; refused in words when it is no issuing authority at all (403) or its
 * key has lapsed (503). A batch upload asks this first, before reading a row (issue 18 item 1).
 */
export function issuingSigner(trust: TrustStore, orgCode: string, now: Date): NonNullable<ReturnType<TrustStore['currentSigner']>> {
  // An organisation that holds no authority certificate at all (a unit, a department) never issues: a refusal,
  // not the outage keys_unavailable reports for an authority whose key has lapsed.
  if (!trust.authorities.some((key) => key.code === orgCode)) {
    throw new DomainError('not_an_issuing_authority', {
      zh: `机构 ${orgCode} 不是发证机构，不能签发职称电子证书`,
      en: `Organisation ${orgCode} is not an issuing authority and cannot issue certificates`,
    });
  }
  const signer = trust.currentSigner(orgCode, now);
  if (!signer) {
    throw new DomainError('keys_unavailable', {
      zh: `机构 ${orgCode} 目前没有有效的签发密钥，请联系系统管理员（npm run cli -- authority add）`,
      en: `Organisation ${orgCode} has no valid signing key at present; ask the administrator (npm run cli -- authority add)`,
    });
  }
  return signer;
}

/** What the checks of an issuance found: the facts to sign and the key to sign them with. */
export interface CheckedFacts {
  idNumber: string;
  birthDate: string | undefined;
  photo: NonNullable<Certificate['photo']>;
  basis: CertificateBasis | undefined;
  series: NonNullable<ReturnType<typeof findSeries>>;
  title: NonNullable<ReturnType<typeof findTitle>>;
  signer: NonNullable<ReturnType<TrustStore['currentSigner']>>;
  trust: TrustStore;
}

/**
 * Every rule an issuance is checked by before anything is signed — the single issuance, a correction and each row
 * of a batch (issue 18 item 2: the same rules and the same messages) go through this one function. Throws the
 * first DomainError, naming its field.
 */
export async function checkIssueFacts(ctx: ServiceContext, actor: Actor, request: VersionFacts, basisOf: () => Promise<CertificateBasis | undefined>, now: Date): Promise<CheckedFacts> {
  const today = chinaDate(now);
  refuseNationalExam(request.original.method, 'original.method'); // 一(一) (domain/issuance.ts)
  const { idNumber, birthDate } = checkHolderIdentity(request.holder, today, { idNumber: 'holder.idNumber', gender: 'holder.gender' });
  // 四(一): a ban bars applying for a promotion, not the issuance of a confirmed title — nothing to refuse here.
  // 二(三)1(4): no certificate without the holder's electronic photo (it used to print an empty 照片 box).
  const photo = request.photoBytes ?? photoOf(request.holder.photo);
  const basis = await basisOf();
  const series = findSeries(request.title.series);
  if (!series) {
    throw new DomainError('unknown_series', { zh: `未知的职称系列代码：${request.title.series}`, en: `Unknown title series code: ${request.title.series}` }, 'title.series');
  }
  const title = findTitle(series.code, request.title.name);
  if (!title) {
    throw new DomainError('unknown_title', { zh: `${series.name}系列没有名为“${request.title.name}”的职称`, en: `Series ${series.nameEn} has no title named ${request.title.name}` }, 'title.name');
  }
  // 二(二)4: the date runs from the original acquisition (domain/issuance.ts).
  checkAcquisitionWindow(request.original.acquiredOn, request.decision.decidedOn, birthDate, today, { acquiredOn: 'original.acquiredOn', decidedOn: 'decision.decidedOn' });

  const trust = await ctx.trust();
  const signer = issuingSigner(trust, actor.orgCode, now);
  if (!signerAllows(signer, title.level)) {
    throw new DomainError('level_not_authorised', {
      zh: `${signer.name}无权确认${LEVEL_NAMES[title.level].zh}职称（二(一)）`,
      en: `${signer.name} may not confirm ${LEVEL_NAMES[title.level].en} titles (notice 二(一))`,
    }, 'title.name');
  }

  const printed: [string, string][] = [
    ['holder.name', request.holder.name],
    ['title.specialty', request.title.specialty],
    ['original.evaluatingBody', request.original.evaluatingBody],
    ['original.certificateNumber', request.original.certificateNumber ?? ''],
    ['decision.number', request.decision.number],
  ];
  for (const [field, text] of printed) {
    const missing = await ctx.fonts.undrawable(text);
    if (missing.length > 0) {
      const list = missing.map((ch) => `“${ch}”(U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`).join('、');
      throw new DomainError('undrawable_character', { zh: `证书字体无法显示字符 ${list}`, en: `The certificate font cannot draw ${list}` }, field, { characters: missing });
    }
  }

  return { idNumber, birthDate, photo, basis, series, title, signer, trust };
}

/**
 * The type code and the issuing authority's USCC every identifier of this issuance shares; undefined when the
 * deployment configures no type code (nor runs on the demo root). An authority without its 统一社会信用代码 is
 * refused: the identifier names it (issue 19 item 1).
 */
async function licenceOf(ctx: ServiceContext, orgCode: string, demo: boolean): Promise<Pick<LicenceIdentifierParts, 'typeCode' | 'authorityCode'> | undefined> {
  const typeCode = ctx.licenceTypeCode ?? (demo ? DEMO_LICENCE_TYPE_CODE : undefined);
  if (!typeCode) return undefined;
  const authorityCode = await ctx.organisations.uscc(orgCode);
  if (!authorityCode) {
    throw new DomainError('uscc_missing', {
      zh: `机构 ${orgCode} 尚未登记统一社会信用代码，无法生成电子证照标识，暂不能签发证书。请管理员先在管理后台为该机构登记统一社会信用代码。`,
      en: `Organisation ${orgCode} has no unified social credit code (统一社会信用代码) on record, which the e-licence identifier names, so it cannot issue yet. An administrator records it first, in the admin console.`,
    }, undefined, { organisation: orgCode });
  }
  return { typeCode, authorityCode };
}

/** The photo of an issuance request, checked (二(三)1(4): no certificate without the holder's electronic photo). */
function photoOf(dataUrl: string | undefined): NonNullable<Certificate['photo']> {
  const { bytes } = parseDataUrl(requireHolderPhoto(dataUrl, 'holder.photo'), 'holder.photo');
  return { bytes, type: inspectPhoto(bytes, 'holder.photo').type };
}

/**
 * Refuses to correct a certificate that is no longer the current valid one (issue 19 item 2): a superseded one
 * names its current version (correct that one), a revoked one is not corrected at all.
 */
export async function refuseUncorrectable(ctx: ServiceContext, number: string): Promise<void> {
  const now = await ctx.certificates.findByNumber(number);
  if (now?.status === 'revoked') {
    throw new DomainError('already_revoked', { zh: '该证书已被撤销，不能更正', en: 'This certificate is revoked and cannot be corrected' });
  }
  if (now?.status === 'cancelled') {
    throw new DomainError('conflict', { zh: '该证书已注销，不能更正', en: 'This certificate is cancelled and cannot be corrected' });
  }
  if (now?.status === 'superseded') {
    const next = now.supersession?.successor ?? '';
    throw new DomainError('conflict', {
      zh: `该证书已有更正后的新版本（证书编号 ${next}），不能再更正；如需再次更正，请对当前版本提出。`,
      en: `This certificate has already been corrected by a new version (number ${next}); to correct it again, correct the current version.`,
    }, undefined, { current: next });
  }
}

/** The certificate an earlier request with this Idempotency-Key made (the same body), if one did; 422 for another body. */
export function replay(ctx: ServiceContext, scope: string, key: string, requestHash: string): Promise<Certificate | undefined> {
  return ctx.certificates.findIdempotent(scope, key).then((earlier) => replayed(earlier, requestHash, (e) => ctx.certificates.findByNumber(e.number)));
}
