/**
 * @module services/holderCertificates
 * The holder's own certificates and cases (issue 17 item 1). A holder is whoever's ID number is on a
 * certificate: the number an admin recorded for the person, or the one on a certificate issued from the
 * person's own case. Access goes by that number only — never by the organisation or role of the token —,
 * so an issuer of the same office reads nothing here that is not on their own certificates.
 */
import { DomainError, type Message } from '../domain/errors.js';
import { LEVEL_NAMES, type Level } from '../domain/levels.js';
import { STATUS_NAMES, type ApplicationStatus } from '../domain/workflow.js';
import { HolderRepository } from '../storage/holders.js';
import type { Actor, ServiceContext } from './context.js';

export interface HolderCertificate {
  number: string;
  status: 'valid' | 'revoked' | 'superseded' | 'cancelled';
  holderName: string;
  titleName: string;
  levelName: Message;
  authorityName: string;
  issuedAt: string;
  revokedAt?: string;
  /** The holder's own QR link, PDF and VC: they hold the certificate, so they hold its link proof. */
  verifyUrl: string;
  pdfUrl: string;
  credentialUrl: string;
}

export interface HolderCase {
  id: string;
  status: string;
  statusName: Message;
  levelName: Message;
  holderName: string;
  updatedAt: string;
  certificateNumber?: string;
}

/** Refused to anyone whose ID number is on no certificate we can tie to them (not a holder). */
export function notAHolder(): DomainError {
  return new DomainError('forbidden', {
    zh: '您的账号未登记身份证件号码，也没有经您本人申请签发的证书，无法查看持证人信息。请联系管理员登记。',
    en: 'No ID number is recorded for your account and no certificate was issued on your own application, so there is nothing of a holder to show. Ask your administrator to record it.',
  });
}

/** The ID numbers the signed-in person holds certificates by; refuses a person who holds none. */
export async function holderIdNumbers(ctx: Pick<ServiceContext, 'db'>, actor: Actor): Promise<string[]> {
  const numbers = await new HolderRepository(ctx.db).idNumbersOf(actor.personId);
  if (numbers.length === 0) throw notAHolder();
  return numbers;
}

/**
 * @example const { certificates, cases } = await holderOverview(ctx, actor);
 */
export async function holderOverview(ctx: ServiceContext, actor: Actor): Promise<{ holderName: string; certificates: HolderCertificate[]; cases: HolderCase[] }> {
  const repo = new HolderRepository(ctx.db);
  const idNumbers = await holderIdNumbers(ctx, actor);
  const [certificates, cases] = await Promise.all([repo.certificates(idNumbers), repo.cases(actor.personId, idNumbers)]);
  const base = ctx.publicUrl;
  return {
    holderName: actor.personName,
    certificates: certificates.map((c) => {
      const s = encodeURIComponent(c.linkProof);
      return {
        number: c.number,
        status: c.status,
        holderName: c.holderName,
        titleName: c.titleName,
        levelName: LEVEL_NAMES[c.level as Level] ?? { zh: c.level, en: c.level },
        authorityName: c.authorityName,
        issuedAt: c.issuedAt,
        ...(c.revokedAt ? { revokedAt: c.revokedAt } : {}),
        verifyUrl: `${base}/v/${c.number}?s=${s}`,
        pdfUrl: `${base}/api/v1/certificates/${c.number}/pdf?s=${s}`,
        credentialUrl: `${base}/api/v1/certificates/${c.number}/credential?s=${s}`,
      };
    }),
    cases: cases.map((k) => ({
      id: k.id,
      status: k.status,
      statusName: STATUS_NAMES[k.status as ApplicationStatus] ?? { zh: k.status, en: k.status },
      levelName: LEVEL_NAMES[k.level as Level] ?? { zh: k.level, en: k.level },
      holderName: k.holderName,
      updatedAt: k.updatedAt,
      ...(k.certificateNumber ? { certificateNumber: k.certificateNumber } : {}),
    })),
  };
}
