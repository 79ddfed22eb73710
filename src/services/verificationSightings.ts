/**
 * @module services/verificationSightings
 * Who verified me (issue 17 item 4): noting each verification of a holder's certificate — the QR link with
 * the right proof, a live share link, a typed lookup that matched, a 核实 record naming the holder — and the
 * holder's own list of them. Noting hands the entry to `ctx.sightings` and returns at once: the public page
 * never waits on it. A wrong proof, an unknown number or a refused lookup is not a verification of anyone's
 * certificate and is never noted. Nothing about the verifier but their organisation, and only when they
 * were signed in or handled the record (四(四)); never an IP address or user agent.
 */
import { sightingsPageSize, SIGHTING_CHANNEL_NAMES, type Sighting, type SightingChannel } from '../domain/verificationSighting.js';
import type { Message } from '../domain/errors.js';
import { SightingRepository } from '../storage/verificationSightings.js';
import type { Actor, ServiceContext } from './context.js';
import { holderIdNumbers } from './holderCertificates.js';
import type { Verification } from './verifyCertificate.js';

/** Hands one entry to the recorder; a recorder that fails never fails the verification. */
export function noteSighting(ctx: Pick<ServiceContext, 'sightings'>, sighting: Sighting): void {
  try {
    ctx.sightings?.add(sighting);
  } catch {
    /* the verifier's answer matters more than the holder's log (storage/sightingBuffer counts drops) */
  }
}

/**
 * Notes `verification` when it verified a certificate: the holder proved by QR proof, matching name or a live
 * share link. Anything else (wrong proof, unknown number, mistyped, no proof) is not noted.
 * @example noteVerification(ctx, v, 'qr', { orgCode: session?.actor.orgCode });
 */
export function noteVerification(
  ctx: Pick<ServiceContext, 'sightings'>,
  verification: Pick<Verification, 'proof' | 'certificate' | 'checkedAt'>,
  channel: Exclude<SightingChannel, 'record'>,
  by: { purpose?: string | undefined; orgCode?: string | undefined } = {},
): void {
  const proven = verification.proof === 'qr' || verification.proof === 'name' || verification.proof === 'share';
  if (!proven || !verification.certificate) return;
  noteSighting(ctx, { at: verification.checkedAt.toISOString(), channel, certificateNumber: verification.certificate.number, ...by });
}

/** One verification as the holder sees it. */
export interface HolderVerification {
  at: string;
  channel: SightingChannel;
  channelName: Message;
  purpose?: string;
  verifierOrganisation?: { code: string; name: string };
  certificateNumber?: string;
}

/**
 * The holder's own verifications, newest first, `limit` (1–100, default 20) at a time; `before` is the
 * `next` of the previous page. Refuses a person who holds no certificate (403), like the rest of the holder's side.
 * @example const { items, next } = await holderVerifications(ctx, actor, { limit: '20' });
 */
export async function holderVerifications(
  ctx: ServiceContext,
  actor: Actor,
  page: { limit?: string | number | undefined; before?: string | undefined } = {},
): Promise<{ items: HolderVerification[]; next?: string }> {
  const idNumbers = await holderIdNumbers(ctx, actor);
  const limit = sightingsPageSize(page.limit);
  const before = page.before && /^\d{1,15}$/.test(page.before) ? Number(page.before) : undefined;
  const rows = await new SightingRepository(ctx.db).ofHolder(idNumbers, limit + 1, before);
  const items = rows.slice(0, limit).map((r) => ({
    at: r.at,
    channel: r.channel,
    channelName: SIGHTING_CHANNEL_NAMES[r.channel],
    ...(r.purpose ? { purpose: r.purpose } : {}),
    ...(r.orgCode ? { verifierOrganisation: { code: r.orgCode, name: r.orgName ?? r.orgCode } } : {}),
    ...(r.certificateNumber ? { certificateNumber: r.certificateNumber } : {}),
  }));
  return rows.length > limit ? { items, next: String(rows[limit - 1]!.id) } : { items };
}
