/**
 * @module http/correctionSchemas
 * The shapes of a correction (issue 19 item 2): its request (the issuance sections that change, and why)
 * and its answer; and of a cancellation (已注销, item 3).
 */
import { z } from '@hono/zod-openapi';
import { IssueRequestSchema, text } from './schemas.js';
import { CANCELLATION_REASONS } from '../domain/certificateState.js';
import { StateSchema } from './stateSchemas.js';

/**
 * A correction (issue 19 item 2): the sections of the issuance request that change, each whole (a section left out
 * is kept, the photo too when not given), and why. Same validation as issuance, field by field.
 */
export const CorrectionRequestSchema = z
  .object({
    holder: IssueRequestSchema.shape.holder
      .extend({ photo: IssueRequestSchema.shape.holder.shape.photo.optional().openapi({ description: 'a new photo (data: URL); without it the old version’s photo is kept' }) })
      .strict()
      .optional(),
    title: IssueRequestSchema.shape.title.optional(),
    original: IssueRequestSchema.shape.original.optional(),
    decision: IssueRequestSchema.shape.decision.optional(),
    reason: z
      .string({ error: (issue) => (issue.input === undefined ? '请填写更正原因|The reason for the correction is required' : undefined) })
      .pipe(text(500))
      .openapi({ description: 'why it is corrected; kept in the audit trail and the version history', example: '持证人姓名录入错误' }),
  })
  .strict()
  .openapi('CorrectionRequest');

export const CorrectionResponseSchema = z
  .object({
    number: z.string(),
    identifier: z.string().optional(),
    predecessor: z.string().openapi({ description: 'the number of the version it corrects, now 已变更 / superseded' }),
    verifyUrl: z.string(),
    pdfUrl: z.string(),
    token: z.string(),
  })
  .openapi('CorrectionResponse');

export const CancellationRequestSchema = z
  .object({
    reason: z.enum(CANCELLATION_REASONS).openapi({ description: 'death 持证人死亡, duplicate 重复发证, other 其他原因' }),
    note: z.string().regex(/^(?:[^\p{Cc}\p{Cs}\p{Cf}]|[\n\t])*$/u, '不能含控制字符|No control characters').max(500).default(''),
  })
  .strict()
  .openapi('CancellationRequest');

export const CancellationResponseSchema = z.object({ number: z.string(), state: StateSchema }).openapi('CancellationResponse');
