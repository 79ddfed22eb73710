/**
 * @module services/holderSdJwt
 * A holder's certificate as an SD-JWT VC (issue 17 item 3, selective disclosure): each fact is its own
 * disclosure the holder may keep or drop when presenting it; the full ID number is added only when the
 * holder asks (domain/sdJwtDisclosure, notice 四(四)). Signed ES256 by the issuing authority's current key,
 * naming it by `kid` and `x5c` like the vc+jwt credential; its `status` points at the certificate's entries
 * in the authority's revocation and message lists (the same places as the credential's), so revocation and the
 * certificate's state show.
 */
import { issueSdJwtVc } from '../crypto/sdJwt.js';
import { normaliseCertificateNumber } from '../domain/certificateNumber.js';
import { DomainError } from '../domain/errors.js';
import { LEVEL_NAMES } from '../domain/levels.js';
import { SD_JWT_CLAIMS } from '../domain/sdJwtDisclosure.js';
import type { Actor, ServiceContext } from './context.js';
import { authorityId, signerOf, statusEntries, statusPlaceOf } from './credentials.js';
import { holderIdNumbers } from './holderCertificates.js';

/** The credential type (`vct`): a stable URL of ours, one per version of the claim set. */
export const sdJwtVct = (publicUrl: string) => `${publicUrl}/vct/professional-title/v1`;

/**
 * @example const sdJwt = await holderSdJwt(ctx, actor, '26K7Q2M9XHT', { idNumber: false });
 */
export async function holderSdJwt(ctx: ServiceContext, actor: Actor, rawNumber: string, disclose: { idNumber: boolean }): Promise<string> {
  const idNumbers = await holderIdNumbers(ctx, actor);
  const number = normaliseCertificateNumber(rawNumber);
  const certificate = number ? await ctx.certificates.findByNumber(number) : undefined;
  // Someone else's certificate is answered like an unknown number: the route never tells whose a number is.
  if (!certificate || !idNumbers.includes(certificate.holder.idNumber)) {
    throw new DomainError('not_found', { zh: '没有这个证书，或者它不属于您', en: 'No such certificate, or it is not yours' }, 'number');
  }
  const code = certificate.authority.code;
  const { list, index } = await statusPlaceOf(ctx, certificate);
  const claims = {
    vct: sdJwtVct(ctx.publicUrl),
    iss: authorityId(ctx.publicUrl, code),
    iat: Math.floor(ctx.now().getTime() / 1000),
    certificate_number: certificate.number,
    // The W3C Bitstring Status List entries of the vc+jwt credential — revocation, and the 2-bit state in the message
    // list (issue 19 item 3) — under the draft's open `status` object (not `status_list`, which names an IETF Token
    // Status List: ours is the Bitstring one).
    status: { bitstring_status_list_entry: statusEntries(ctx.publicUrl, code, list, index) },
    // Disclosable facts (二(二)4): the title, its level and specialty, who issued it and when.
    name: certificate.holder.name,
    gender: certificate.holder.gender,
    id_number_masked: certificate.holder.idNumberMasked,
    ...(disclose.idNumber ? { id_number: certificate.holder.idNumber } : {}),
    title: certificate.title.name,
    series: certificate.title.seriesName,
    level: LEVEL_NAMES[certificate.title.level].zh,
    specialty: certificate.title.specialty,
    issuing_authority: certificate.authority.name,
    issued_at: certificate.issuedAt,
    originally_acquired_on: certificate.original.acquiredOn,
    decision_number: certificate.decision.number,
    decided_on: certificate.decision.decidedOn,
    ...(certificate.identifier ? { licence_identifier: certificate.identifier } : {}),
  };
  const disclosable = [...SD_JWT_CLAIMS, ...(disclose.idNumber ? ['id_number'] : [])];
  return issueSdJwtVc(claims, disclosable, await signerOf(ctx, code));
}
