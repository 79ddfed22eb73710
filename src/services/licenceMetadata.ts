/**
 * @module services/licenceMetadata
 * The 电子证照 metadata of certificates (issue 19 item 4): one certificate's, for the authority that may read it,
 * and a period's, for upload to a provincial 电子证照 library — the certificates of the caller's organisation and
 * the organisations below it, never another branch's.
 */
import type { Certificate } from '../domain/certificate.js';
import { licenceMetadataOf, metadataPeriod, type LicenceMetadata } from '../domain/licenceMetadata.js';
import { normaliseCertificateNumber } from '../domain/certificateNumber.js';
import { DomainError } from '../domain/errors.js';
import { subtreeOf } from '../domain/routing.js';
import type { Actor, ServiceContext } from './context.js';

const PAGE = 500;
/** The most rows one export holds; a period with more is refused, to be split into shorter ones. */
export const METADATA_EXPORT_MAX_ROWS = 50_000;

/**
 * One certificate's metadata, for its own issuing authority only (as reading the certificate is): another
 * authority's, or an unknown number, is not_found.
 * @example const metadata = await certificateMetadata(ctx, actor, '26K7Q2M9XHT');
 */
export async function certificateMetadata(ctx: ServiceContext, actor: Actor, rawNumber: string): Promise<LicenceMetadata> {
  const number = normaliseCertificateNumber(rawNumber);
  const certificate = number ? await ctx.certificates.findByNumber(number) : undefined;
  if (!certificate || certificate.authority.code !== actor.orgCode) {
    throw new DomainError('not_found', { zh: `证书 ${rawNumber.slice(0, 40)} 不存在`, en: `Certificate ${rawNumber.slice(0, 40)} does not exist` });
  }
  const related = certificate.predecessor ? ((await ctx.certificates.earlierIdentifiers([certificate.number])).get(certificate.number) ?? []) : [];
  return licenceMetadataOf(certificate, certificate.identifier ? undefined : await ctx.organisations.uscc(certificate.authority.code), related);
}

/**
 * The metadata of every certificate issued from `from` to `to` (China dates, both included) by the caller's
 * organisation or one below it, oldest first.
 * @example const rows = await metadataExport(ctx, actor, '2026-01-01', '2026-03-31');
 */
export async function metadataExport(ctx: ServiceContext, actor: Actor, from: string, to: string): Promise<LicenceMetadata[]> {
  const { fromInstant, toInstant } = metadataPeriod(from, to);
  const codes = subtreeOf(await ctx.organisations.tree(), actor.orgCode);
  const usccs = await ctx.organisations.usccs();
  const out: LicenceMetadata[] = [];
  for (let after: { issuedAt: string; number: string } | undefined; ; ) {
    const page = await ctx.certificates.issuedBetween(codes, fromInstant, toInstant, PAGE, after);
    const related = await ctx.certificates.earlierIdentifiers(page.filter((c) => c.predecessor).map((c) => c.number));
    for (const certificate of page) out.push(licenceMetadataOf(certificate, usccs.get(certificate.authority.code), related.get(certificate.number) ?? []));
    if (out.length > METADATA_EXPORT_MAX_ROWS) {
      throw new DomainError('validation_failed', {
        zh: `此期间的证书超过 ${METADATA_EXPORT_MAX_ROWS} 份，请分成较短的期间导出`,
        en: `More than ${METADATA_EXPORT_MAX_ROWS} certificates in this period: export shorter periods`,
      }, 'query.to');
    }
    if (page.length < PAGE) return out;
    const last = page[page.length - 1]!;
    after = { issuedAt: last.issuedAt, number: last.number };
  }
}
