/**
 * @module http/schemas
 * The request and response shapes of the API, in zod: they validate every body and produce /openapi.json.
 * Field names are part of the contract with clients; do not rename them.
 */
import { z } from '@hono/zod-openapi';
import { ACQUISITION_METHODS, GENDERS, REVOCATION_REASONS } from '../domain/certificate.js';
import { ID_TYPES } from '../domain/idDocument.js';
import { LEVELS } from '../domain/levels.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
// Printable text: no control characters, no leading/trailing space.
const text = (max: number) => z.string().trim().min(1).max(max).regex(/^[^\p{Cc}\p{Cs}]*$/u, 'no control characters');

export const IssueRequestSchema = z
  .object({
    holder: z
      .object({
        name: text(50).openapi({ example: '张三丰' }),
        gender: z.enum(GENDERS),
        idType: z.enum(ID_TYPES),
        idNumber: z.string().trim().min(1).max(40).openapi({ example: '450102198005120019' }),
        photo: z.string().max(1_500_000).optional().openapi({ description: 'data: URL of a JPEG or PNG, at most 1 MiB', example: 'data:image/jpeg;base64,…' }),
      })
      .strict(),
    title: z
      .object({
        series: z.string().min(1).max(64).openapi({ description: 'code from GET /api/v1/catalog/series', example: 'engineering' }),
        name: text(50).openapi({ example: '高级工程师' }),
        specialty: text(50).openapi({ description: 'the specialty on the original certificate (notice 二(二)4)', example: '电气工程' }),
      })
      .strict(),
    original: z
      .object({
        acquiredOn: isoDate.openapi({ description: 'original acquisition date (notice 二(二)4)', example: '2015-12-30' }),
        method: z.enum(ACQUISITION_METHODS),
        evaluatingBody: text(100).openapi({ example: '湖南省工程技术高级职务评审委员会' }),
        certificateNumber: text(64).optional().openapi({ example: 'HN2015-00123' }),
      })
      .strict(),
    decision: z
      .object({
        number: text(50).openapi({ example: '桂职办〔2026〕15号' }),
        decidedOn: isoDate.openapi({ example: '2026-03-18' }),
      })
      .strict(),
  })
  .strict()
  .openapi('IssueRequest');

export const IssueResponseSchema = z
  .object({
    number: z.string(),
    verifyUrl: z.string(),
    pdfUrl: z.string(),
    token: z.string().openapi({ description: 'compact JWS (ES256) signed by the authority; header carries kid and x5c' }),
  })
  .openapi('IssueResponse');

export const RevocationRequestSchema = z
  .object({
    reason: z.enum(REVOCATION_REASONS),
    note: z.string().trim().max(500).default(''),
  })
  .strict()
  .openapi('RevocationRequest');

export const LookupRequestSchema = z
  .object({
    number: z.string().trim().min(1).max(40),
    name: text(50),
  })
  .strict()
  .openapi('LookupRequest');

const Message = z.object({ zh: z.string(), en: z.string() });

export const VerificationSchema = z
  .object({
    status: z.enum(['valid', 'revoked', 'invalid', 'not_found']),
    statusText: Message,
    checks: z.array(z.object({ name: z.string(), ok: z.boolean().nullable(), message: Message })),
    certificate: z
      .object({
        number: z.string(),
        holder: z.object({ name: z.string(), idNumberMasked: z.string(), gender: z.string() }),
        title: z.object({ series: z.string(), seriesName: z.string(), name: z.string(), level: z.enum(LEVELS), levelName: z.string(), specialty: z.string() }),
        original: z.object({ acquiredOn: z.string(), method: z.string(), evaluatingBody: z.string() }),
        authority: z.object({ code: z.string(), name: z.string() }),
        decision: z.object({ number: z.string(), decidedOn: z.string() }),
        issuedAt: z.string(),
        revocation: z.object({ at: z.string(), reason: z.enum(REVOCATION_REASONS), reasonName: Message }).optional(),
      })
      .optional(),
    photoUrl: z.string().optional(),
  })
  .openapi('Verification');

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string(),
    code: z.string(),
    field: z.string().optional(),
    message: Message,
    errors: z.array(z.object({ field: z.string(), message: Message })).optional(),
  })
  .openapi('Problem');

export const NumberParam = z.object({ number: z.string().min(1).max(40).openapi({ param: { name: 'number', in: 'path' }, example: '26K7Q2M9XH4' }) });
