/**
 * @module services/cancelCertificate
 * Cancels a certificate (已注销, issue 19 item 3): the holder died, it was issued twice, or another reason that ends it
 * without a fault in it (a fault is a revocation). Only the authority that issued it may (notice 四(四) 谁确认、谁负责,
 * as for revocation). It ends for good: its revocation bit is set, so offline checks stop trusting it too.
 */
import type { Certificate } from '../domain/certificate.js';
import type { CancellationReason } from '../domain/certificateState.js';
import { normaliseCertificateNumber } from '../domain/certificateNumber.js';
import { DomainError } from '../domain/errors.js';
import { ConstraintError, sql } from '../storage/driver.js';
import { auditOf } from './audit.js';
import { actStatement } from './caseStatements.js';
import type { Actor, ServiceContext } from './context.js';

/** @example await cancelCertificate(ctx, actor, '26K7Q2M9XHT', { reason: 'death', note: '持证人于2026年5月去世' }); */
export async function cancelCertificate(ctx: ServiceContext, actor: Actor, rawNumber: string, request: { reason: CancellationReason; note: string }): Promise<Certificate> {
  const number = normaliseCertificateNumber(rawNumber);
  const certificate = number ? await ctx.certificates.findByNumber(number) : undefined;
  // Another authority's certificate is answered as absent, as for revocation.
  if (!number || !certificate || certificate.authority.code !== actor.orgCode) {
    throw new DomainError('not_found', { zh: `本机构没有编号为 ${rawNumber.slice(0, 40)} 的证书`, en: `Your organisation has no certificate numbered ${rawNumber.slice(0, 40)}` });
  }
  const refusal = () => {
    const words: Record<Exclude<Certificate['status'], 'valid'>, { zh: string; en: string }> = {
      revoked: { zh: '该证书已被撤销，不能注销', en: 'This certificate is revoked and cannot be cancelled' },
      cancelled: { zh: '该证书已注销', en: 'This certificate is already cancelled' },
      superseded: { zh: '该证书已更正为新版本，本版本已变更；如需注销，请注销当前版本', en: 'This certificate was corrected by a new version; to cancel, cancel the current version' },
    };
    return (status: Certificate['status']) => new DomainError(status === 'revoked' ? 'already_revoked' : 'conflict', status === 'valid' ? words.cancelled : words[status]);
  };
  if (certificate.status !== 'valid') throw refusal()(certificate.status);
  const cancellation = { at: ctx.now().toISOString(), reason: request.reason, note: request.note, by: actor.personId };
  // Written only with this very cancellation (a racing second one writes nothing beside its refusal).
  const cancelledNow = sql('SELECT 1 FROM certificates WHERE number = ? AND cancelled_at = ? AND cancelled_by = ?', number, cancellation.at, cancellation.by);
  const audit = ctx.audit.statement(auditOf(actor, cancellation.at, 'certificate.cancel', `certificate:${number}`, { reason: request.reason, note: request.note }), cancelledNow);
  // 四(四) 谁确认、谁负责: the cancellation is the authority's statement, sealed with its seal, like a revocation.
  const statement = await actStatement(ctx, actor, certificate, { at: cancellation.at, step: 'cancel', opinion: request.note, data: { reason: request.reason } }, cancelledNow);
  let cancelled: boolean;
  try {
    cancelled = await ctx.certificates.cancel(number, cancellation, [audit, statement]);
  } catch (error) {
    // A racing act on the same version (a revocation, another cancellation in the same millisecond) landed its
    // statement first: the store's key refuses this batch whole — say what the certificate became.
    if (!(error instanceof ConstraintError)) throw error;
    cancelled = false;
  }
  if (!cancelled) {
    const now = await ctx.certificates.findByNumber(number);
    // Still valid: nothing ended it, this write lost a race it can retry — never say "already cancelled" then.
    if (now?.status === 'valid') throw new DomainError('busy', { zh: '与同时进行的另一项操作冲突，本次未保存，请稍后重试。', en: 'This collided with another action on the certificate and was not saved; try again shortly.' });
    throw refusal()(now?.status ?? 'cancelled');
  }
  return { ...certificate, status: 'cancelled', cancellation };
}
