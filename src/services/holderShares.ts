/**
 * @module services/holderShares
 * A holder's share links (issue 17 items 2 and 5): make one for a certificate bearing their own ID number,
 * list theirs, end one or all at once, and open one as a verifier. The link's secret is 256 random bits,
 * handed out once and kept only as its SHA-256; the expiry is the server's clock plus whole days.
 */
import { normaliseCertificateNumber } from '../domain/certificateNumber.js';
import { DomainError } from '../domain/errors.js';
import { checkPurpose, MAX_ACTIVE_SHARES, shareExpiry, shareState, tooManyShares, type ShareState } from '../domain/shareLink.js';
import { base64url, randomBytes, sha256Hex } from '../lib/bytes.js';
import { ShareLinkRepository, type ShareLink } from '../storage/shareLinks.js';
import type { Actor, ServiceContext } from './context.js';
import { holderIdNumbers } from './holderCertificates.js';
import { verifyByShare, type Verification } from './verifyCertificate.js';
import { noteVerification } from './verificationSightings.js';

/** A share link as its holder sees it. */
export interface HolderShare {
  id: string;
  certificateNumber: string;
  purpose: string;
  createdAt: string;
  expiresAt: string;
  endedAt?: string;
  state: ShareState;
  /** Issue 17 item 3: what the link shows beyond the usual facts; the full ID number only when ticked (四(四)). */
  disclose: { idNumber: boolean };
}

/** The secret in a share URL: 43 base64url characters (32 bytes). */
const SECRET = /^[A-Za-z0-9_-]{43}$/;

const notYours = (field: string) =>
  new DomainError('not_found', { zh: '没有这个证书或分享链接，或者它不属于您', en: 'No such certificate or share link, or it is not yours' }, field);

function shown(link: ShareLink, now: Date): HolderShare {
  return { id: link.id, certificateNumber: link.certificateNumber, purpose: link.purpose, createdAt: link.createdAt, expiresAt: link.expiresAt, ...(link.endedAt ? { endedAt: link.endedAt } : {}), state: shareState(link, now), disclose: { idNumber: link.discloseIdNumber } };
}

export const shareUrl = (ctx: Pick<ServiceContext, 'publicUrl'>, secret: string) => `${ctx.publicUrl}/s/${secret}`;

/**
 * A new link for one of the holder's own certificates. Someone else's certificate is answered exactly like
 * an unknown number (404), so the route never tells whose a number is.
 * @example const { url } = await createShare(ctx, actor, { certificateNumber: '26K7Q2M9XHT', purpose: '应聘', days: 30 });
 */
export async function createShare(ctx: ServiceContext, actor: Actor, request: { certificateNumber: string; purpose: string; days: number; disclose?: { idNumber?: boolean | undefined } | undefined }): Promise<{ id: string; url: string; expiresAt: string }> {
  const now = ctx.now();
  const purpose = checkPurpose(request.purpose);
  const expiresAt = shareExpiry(now, request.days).toISOString();
  const number = normaliseCertificateNumber(request.certificateNumber);
  const idNumbers = await holderIdNumbers(ctx, actor);
  const certificate = number ? await ctx.certificates.findByNumber(number) : undefined;
  if (!certificate || !idNumbers.includes(certificate.holder.idNumber)) throw notYours('certificateNumber');
  const secret = base64url(randomBytes(32));
  const id = `SH${base64url(randomBytes(12))}`;
  const link = { id, certificateNumber: certificate.number, personId: actor.personId, purpose, createdAt: now.toISOString(), expiresAt, discloseIdNumber: request.disclose?.idNumber === true };
  if (!(await new ShareLinkRepository(ctx.db).insertIfUnder(link, await sha256Hex(secret), MAX_ACTIVE_SHARES))) throw tooManyShares();
  return { id, url: shareUrl(ctx, secret), expiresAt };
}

/** The holder's own links, newest first, each with its state now. */
export async function listShares(ctx: ServiceContext, actor: Actor): Promise<HolderShare[]> {
  await holderIdNumbers(ctx, actor);
  const now = ctx.now();
  return (await new ShareLinkRepository(ctx.db).ofPerson(actor.personId)).map((l) => shown(l, now));
}

/** Ends one of the holder's links at once; ending one already ended or expired changes nothing. Someone else's id: 404. */
export async function endShare(ctx: ServiceContext, actor: Actor, id: string): Promise<HolderShare> {
  await holderIdNumbers(ctx, actor);
  const repo = new ShareLinkRepository(ctx.db);
  await repo.end(actor.personId, ctx.now().toISOString(), id);
  const link = await repo.find(id, actor.personId);
  if (!link) throw notYours('id');
  return shown(link, ctx.now());
}

/** Ends every live link of the holder's at once (issue 17 item 5); returns how many were live. */
export async function endAllShares(ctx: ServiceContext, actor: Actor): Promise<number> {
  await holderIdNumbers(ctx, actor);
  return new ShareLinkRepository(ctx.db).end(actor.personId, ctx.now().toISOString());
}

export type OpenedShare =
  | { state: 'unknown' }
  | { state: 'ended' | 'expired'; expiresAt: string; endedAt?: string }
  | { state: 'active'; purpose: string; expiresAt: string; verification: Verification };

/**
 * What a verifier opening a share URL learns: for a live link the certificate as the QR link shows it (no
 * photo), with the purpose and the link's expiry; for an ended or expired link only that; for anything
 * else that there is no such link. The caller rate limits every answer but `active`, and names the verifier's
 * organisation in `by` when a signed-in staff member opened it (issue 17 item 4).
 * @example const opened = await openShare(ctx, secret); // opened.state === 'active'
 */
export async function openShare(ctx: ServiceContext, secret: string, methodName?: (m: string) => string, by: { orgCode?: string | undefined } = {}): Promise<OpenedShare> {
  if (!SECRET.test(secret)) return { state: 'unknown' };
  const link = await new ShareLinkRepository(ctx.db).bySecretHash(await sha256Hex(secret));
  if (!link) return { state: 'unknown' };
  const state = shareState(link, ctx.now());
  if (state !== 'active') return { state, expiresAt: link.expiresAt, ...(link.endedAt ? { endedAt: link.endedAt } : {}) };
  const verification = await verifyByShare(ctx, link.certificateNumber, methodName);
  if (!verification) return { state: 'unknown' };
  // Issue 17 item 4 (who verified me): a live link only, with its purpose — never the verifier's IP address.
  noteVerification(ctx, verification, 'share', { purpose: link.purpose, orgCode: by.orgCode });
  // Issue 17 item 3 (selective disclosure): the full ID number only through a link its holder ticked it on;
  // otherwise the masked one, as on every page a stranger reads (四(四)).
  if (link.discloseIdNumber && verification.certificate) {
    const full = await ctx.certificates.findByNumber(link.certificateNumber);
    if (full) verification.certificate.holder = { ...verification.certificate.holder, idNumber: full.holder.idNumber };
  }
  return { state: 'active', purpose: link.purpose, expiresAt: link.expiresAt, verification };
}
