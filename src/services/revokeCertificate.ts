/**
 * @module services/revokeCertificate
 * Revokes a certificate. Only the authority that issued it may (notice 四(四): who confirms, answers);
 * revocation for false materials starts the five-year ban of notice 四(一), which the workflow enforces.
 */
import type { Certificate, RevocationReason } from '../domain/certificate.js';
import { normaliseCertificateNumber } from '../domain/certificateNumber.js';
import { DomainError } from '../domain/errors.js';
import type { Actor, ServiceContext } from './context.js';

/** @example await revokeCertificate(ctx, actor, '26K7Q2M9XH4', { reason: 'false_materials', note: '学历造假' }); */
export async function revokeCertificate(ctx: ServiceContext, actor: Actor, rawNumber: string, request: { reason: RevocationReason; note: string }): Promise<Certificate> {
  const number = normaliseCertificateNumber(rawNumber);
  const certificate = number ? await ctx.certificates.findByNumber(number) : undefined;
  // Another authority's certificate is answered as absent, as on GET: its existence is not theirs to learn.
  if (!number || !certificate || certificate.authority.code !== actor.orgCode) {
    throw new DomainError('not_found', { zh: `本机构没有编号为 ${rawNumber} 的证书`, en: `Your organisation has no certificate numbered ${rawNumber}` });
  }
  if (certificate.status === 'revoked') {
    throw new DomainError('already_revoked', { zh: '该证书已被撤销', en: 'This certificate is already revoked' });
  }
  const revocation = { at: ctx.now().toISOString(), reason: request.reason, note: request.note, by: actor.tokenId };
  if (!(await ctx.certificates.revoke(number, revocation))) {
    throw new DomainError('already_revoked', { zh: '该证书已被撤销', en: 'This certificate is already revoked' });
  }
  return { ...certificate, status: 'revoked', revocation };
}
