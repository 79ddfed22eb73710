/**
 * @module services/revokeCertificate
 * Revokes a certificate. Only the authority that issued it may (notice 四(四): who confirms, answers);
 * revocation for false materials records the five-year ban of notice 四(一) in the same batch.
 */
import type { Certificate, RevocationReason } from '../domain/certificate.js';
import { normaliseCertificateNumber } from '../domain/certificateNumber.js';
import { DomainError } from '../domain/errors.js';
import { ConstraintError, sql } from '../storage/driver.js';
import { auditOf } from './audit.js';
import { revocationStatement } from './caseStatements.js';
import type { Actor, ServiceContext } from './context.js';
import { BAN_CLAUSE, banYears } from '../domain/ban.js';
import { chinaDate } from '../domain/chineseDate.js';
import { base64url, randomBytes } from '../lib/bytes.js';

/** @example await revokeCertificate(ctx, actor, '26K7Q2M9XHT', { reason: 'false_materials', note: '学历造假' }); */
export async function revokeCertificate(
  ctx: ServiceContext,
  actor: Actor,
  rawNumber: string,
  request: { reason: RevocationReason; note: string },
): Promise<Certificate & { status: 'revoked'; revocation: NonNullable<Certificate['revocation']> }> {
  const number = normaliseCertificateNumber(rawNumber);
  const certificate = number ? await ctx.certificates.findByNumber(number) : undefined;
  // Another authority's certificate is answered as absent, as on GET: its existence is not theirs to learn.
  if (!number || !certificate || certificate.authority.code !== actor.orgCode) {
    throw new DomainError('not_found', { zh: `本机构没有编号为 ${rawNumber} 的证书`, en: `Your organisation has no certificate numbered ${rawNumber}` });
  }
  const refused = notRevocable(certificate);
  if (refused) throw refused;
  const now = ctx.now();
  const revocation = { at: now.toISOString(), reason: request.reason, note: request.note, by: actor.personId };
  // 四(一): false materials, once established, bar the person for five years from the year of revocation.
  const ban =
    request.reason === 'false_materials'
      ? ctx.bans.recordForRevocation(
          {
            id: `ban_${base64url(randomBytes(12))}`,
            idNumber: certificate.holder.idNumber,
            holderName: certificate.holder.name,
            ...banYears(Number(chinaDate(now).slice(0, 4))),
            clause: BAN_CLAUSE,
            source: 'revocation',
            certificateNumber: number,
            note: request.note,
            createdAt: revocation.at,
            createdBy: actor.personId,
          },
          revocation.at,
        )
      : undefined;
  // Written only with this very revocation (a racing second one writes nothing beside its refusal).
  const revokedNow = sql("SELECT 1 FROM certificates WHERE number = ? AND status = 'revoked' AND revoked_at = ?", number, revocation.at);
  const audit = ctx.audit.statement(auditOf(actor, revocation.at, 'certificate.revoke', `certificate:${number}`, { reason: request.reason, note: request.note }), revokedNow);
  // 四(四) 谁确认、谁负责: the revocation is the authority's statement, sealed with its seal (issue 16).
  const years = ban ? banYears(Number(chinaDate(now).slice(0, 4))) : undefined;
  const statement = await revocationStatement(ctx, actor, certificate, { at: revocation.at, reason: request.reason, note: request.note, ban: years }, revokedNow);
  const alreadyRevoked = () => new DomainError('already_revoked', { zh: '该证书已被撤销', en: 'This certificate is already revoked' });
  let revoked: boolean;
  try {
    revoked = await ctx.certificates.revoke(number, revocation, ban ? [ban, audit, statement] : [audit, statement]);
  } catch (error) {
    // Two revocations in the same millisecond both pass the guard: the statement's key (one per certificate)
    // lets only one batch land, and the other — its ban and audit row with it — is rolled back whole.
    // A racing cancellation or correction ends the version by its own statement the same way: say what it became.
    if (!(error instanceof ConstraintError)) throw error;
    revoked = false;
  }
  if (!revoked) {
    // The guard found it no longer valid: say what it became meanwhile (revoked, cancelled, or corrected — then
    // the current version, still valid, is the one to revoke).
    const now = await ctx.certificates.findByNumber(number);
    // Still valid: nothing ended it, this write lost a race it can retry — never say "already revoked" then.
    if (now?.status === 'valid') throw new DomainError('busy', { zh: '与同时进行的另一项操作冲突，本次未保存，请稍后重试。', en: 'This collided with another action on the certificate and was not saved; try again shortly.' });
    throw (now && notRevocable(now)) ?? alreadyRevoked();
  }
  return { ...certificate, status: 'revoked', revocation };
}

/** Why a certificate cannot be revoked now, in words; undefined while it is valid. */
function notRevocable(certificate: Certificate): DomainError | undefined {
  switch (certificate.status) {
    case 'revoked':
      return new DomainError('already_revoked', { zh: '该证书已被撤销', en: 'This certificate is already revoked' });
    case 'cancelled':
      return new DomainError('conflict', { zh: '该证书已注销，不能再撤销', en: 'This certificate is cancelled and cannot be revoked' });
    case 'superseded': {
      // Issue 19 item 2: a superseded version already proves nothing; what is revoked is the current version.
      const current = certificate.supersession?.successor ?? '';
      return new DomainError('conflict', {
        zh: `该证书已更正为新版本（证书编号 ${current}），本版本已变更；如需撤销，请撤销当前版本。`,
        en: `This certificate was corrected by a new version (number ${current}) and is superseded; to revoke, revoke the current version.`,
      }, undefined, { current });
    }
    default:
      return undefined;
  }
}
