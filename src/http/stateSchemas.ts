/**
 * @module http/stateSchemas
 * A certificate's state as answers tell it (issue 19 items 2 and 3): its code and name in the 电子证照 vocabulary,
 * when and by whom it ended, the version that superseded it, and the chain of versions.
 */
import { z } from '@hono/zod-openapi';
import { CANCELLATION_REASONS, CERTIFICATE_STATES } from '../domain/certificateState.js';
import { REVOCATION_REASONS } from '../domain/certificate.js';

const Label = z.object({ zh: z.string(), en: z.string() });

export const StateSchema = z
  .object({
    code: z.enum(CERTIFICATE_STATES),
    name: Label,
    at: z.string().optional(),
    decidedBy: z.object({ code: z.string(), name: z.string() }).optional(),
    reason: z.object({ code: z.enum([...REVOCATION_REASONS, ...CANCELLATION_REASONS]), name: Label }).optional(),
  })
  .openapi('CertificateState', { description: 'issue 19 item 3: 有效 valid, 已变更 superseded, 已撤销 revoked (with its reason), 已注销 cancelled (with its reason); when, and the deciding organisation' });

export const SupersessionSchema = z
  .object({
    at: z.string(),
    by: z.object({ code: z.string(), name: z.string() }),
    holderChanged: z.boolean().openapi({ description: 'the correction changed the holder’s name or ID number: the new version is then not named (ask the holder for it)' }),
    current: z.object({ number: z.string(), identifier: z.string().optional() }).optional().openapi({ description: 'the current version, only when it is of the same holder' }),
  })
  .openapi({ description: '已变更 (issue 19 item 2): when a correction replaced it, the deciding organisation, and — when the holder is unchanged — the current version (its number and identifier; its QR link is the holder’s to give)' });

export const CancellationSchema = z
  .object({ at: z.string(), reason: z.enum(CANCELLATION_REASONS), reasonName: Label })
  .openapi({ description: '已注销 (issue 19 item 3): when and why' });

/** One version of a certificate's chain (issue 19 item 2), with why it replaced the one before it (the token id in `by`). */
export const VersionSchema = z.object({
  number: z.string(),
  identifier: z.string().optional(),
  issuedAt: z.string(),
  status: z.enum(CERTIFICATE_STATES),
  correction: z.object({ reason: z.string(), at: z.string(), by: z.string() }).optional(),
});
