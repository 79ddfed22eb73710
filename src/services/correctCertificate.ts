/**
 * @module services/correctCertificate
 * Corrects a certificate (issue 19 item 2): the corrected facts are issued as the next version of the same
 * 电子证照标识 serial (…002, 003…), with its own number, token, PDF and VC, through the same steps as a first issue
 * (services/issueCertificate.ts issueVersion); the old one is never edited, only marked 已变更 / superseded. Only the
 * authority that issued it may (notice 四(四) 谁确认、谁负责, as for revocation).
 */
import type { Certificate } from '../domain/certificate.js';
import { normaliseCertificateNumber } from '../domain/certificateNumber.js';
import { DomainError } from '../domain/errors.js';
import { canonicalJson, sha256Hex } from '../lib/bytes.js';
import type { Actor, ServiceContext } from './context.js';
import { activeSeal } from './seals.js';
import { issueVersion, refuseUncorrectable, replay, type IssueRequest, type IssueResult, type VersionFacts } from './issueCertificate.js';

/**
 * What a correction may change, section by section: a section given replaces the old one whole, a section left out
 * is kept. The photo, when not given, is the old version's. The basis is the old version's (a correction does not
 * change why the title was confirmed); `reason` says why it is corrected.
 */
export interface CorrectionRequest {
  holder?: IssueRequest['holder'] | undefined;
  title?: IssueRequest['title'] | undefined;
  original?: IssueRequest['original'] | undefined;
  decision?: IssueRequest['decision'] | undefined;
  reason: string;
}

/** @example const { certificate } = await correctCertificate(ctx, actor, '26K7Q2M9XHT', { holder: { ...holder, name: '张三丰' }, reason: '姓名录入错误' }); */
export async function correctCertificate(ctx: ServiceContext, actor: Actor, rawNumber: string, request: CorrectionRequest, idempotencyKey?: string): Promise<IssueResult & { predecessor: Certificate }> {
  const number = normaliseCertificateNumber(rawNumber);
  const old = number ? await ctx.certificates.findByNumber(number) : undefined;
  // Another authority's certificate is answered as absent, as for revocation: its existence is not theirs to learn.
  if (!number || !old || old.authority.code !== actor.orgCode) {
    throw new DomainError('not_found', { zh: `本机构没有编号为 ${rawNumber.slice(0, 40)} 的证书`, en: `Your organisation has no certificate numbered ${rawNumber.slice(0, 40)}` });
  }
  // A retried correction (the same Idempotency-Key and body, for the same certificate) gets the version it made,
  // not "already corrected"; the key shares the issuances' store, so the hash names the corrected certificate too.
  const requestHash = await sha256Hex(canonicalJson({ correctionOf: old.number, request }));
  const idempotency = idempotencyKey ? { key: idempotencyKey, requestHash } : undefined;
  const earlier = idempotency ? await replay(ctx, actor.orgCode, idempotency.key, requestHash) : undefined;
  if (earlier) return { certificate: earlier, created: false, predecessor: old };
  try {
    await refuseUncorrectable(ctx, old.number); // revoked, cancelled or already corrected: say so before any work
  } catch (refusal) {
    // A racer with the same key may have landed between the replay's read and this one: its answer is ours.
    const landed = idempotency ? await replay(ctx, actor.orgCode, idempotency.key, requestHash) : undefined;
    if (landed) return { certificate: landed, created: false, predecessor: old };
    throw refusal;
  }
  const facts: VersionFacts = {
    holder: request.holder ?? { name: old.holder.name, gender: old.holder.gender, idType: old.holder.idType, idNumber: old.holder.idNumber },
    title: request.title ?? { series: old.title.series, name: old.title.name, specialty: old.title.specialty },
    original: request.original ?? old.original,
    decision: request.decision ?? old.decision,
    photoBytes: request.holder?.photo ? undefined : await ctx.certificates.photo(old.number),
  };
  if (!facts.photoBytes && !facts.holder.photo) {
    throw new DomainError('validation_failed', {
      zh: '原证书没有持证人照片，更正时须提供本人电子照片（二(三)1(4)）',
      en: 'The certificate being corrected has no holder photo: the correction must give one (notice 二(三)1(4))',
    }, 'holder.photo');
  }
  await activeSeal(ctx, actor.orgCode); // a seal that can no longer sign (expired, its CA replaced) refuses before the PDF is drawn
  const result = await issueVersion(ctx, actor, facts, async () => old.basis, { kind: 'correction', predecessor: old, reason: request.reason, idempotency });
  return { ...result, predecessor: old };
}

/**
 * Every version of the chain `certificate` belongs to, oldest first (issue 19 item 2: the authority sees the whole
 * history), each with why it was corrected. Walks the links both ways; chains are short.
 * @example (await certificateVersions(ctx, certificate)).map((v) => v.number)
 */
export async function certificateVersions(
  ctx: ServiceContext,
  certificate: Certificate,
): Promise<{ number: string; identifier?: string; issuedAt: string; status: Certificate['status']; correction?: { reason: string; at: string; by: string } }[]> {
  const chain: Certificate[] = [certificate];
  for (let c = certificate; c.predecessor; ) {
    const earlier = await ctx.certificates.findByNumber(c.predecessor);
    if (!earlier) break;
    chain.unshift(earlier);
    c = earlier;
  }
  for (let c = certificate; c.supersession; ) {
    const later = await ctx.certificates.findByNumber(c.supersession.successor);
    if (!later) break;
    chain.push(later);
    c = later;
  }
  return Promise.all(
    chain.map(async (c) => {
      const correction = c.predecessor ? await ctx.certificates.correctionOf(c.number) : undefined;
      return {
        number: c.number,
        ...(c.identifier ? { identifier: c.identifier } : {}),
        issuedAt: c.issuedAt,
        status: c.status,
        ...(correction ? { correction: { reason: correction.reason, at: correction.at, by: correction.by } } : {}),
      };
    }),
  );
}
