/**
 * @module http/banSchemas
 * The ban API's shapes (四(一)): a ban, a person's ban status and the ban register, in zod for /openapi.json.
 * Field names are part of the contract with clients; do not rename them.
 */
import { z } from '@hono/zod-openapi';
import { dateOut, instantOut, Message } from './schemas.js';

/** What a five-year ban bars (四(一)): applying for a title promotion — not reconfirmation. */
export const BanBarsSchema = z
  .object({ code: z.literal('title_promotion'), zh: z.literal('申报晋升职称'), en: z.string() })
  .openapi('BanBars', { description: '四(一): a ban bars applying for a title promotion (申报晋升职称) only; a reconfirmation is not refused for it' });

export const BanSchema = z
  .object({
    id: z.string(),
    holderName: z.string().optional().openapi({ description: 'staff only (ban.read); masked in the register for all but auditors (四(四))' }),
    startYear: z.number().int().openapi({ description: 'the year of the application or revocation (四(一)), included' }),
    endYear: z.number().int().openapi({ description: 'the last year barred: startYear + 4' }),
    clause: z.string().openapi({ example: '四(一)' }),
    source: z.enum(['revocation', 'application']),
    certificateNumber: z.string().optional().openapi({ description: 'staff only (ban.read): the revoked certificate' }),
    note: z.string().optional().openapi({ description: 'the revocation’s facts and basis: staff only, and in the register auditors only (四(四))' }),
    createdAt: instantOut.optional().openapi({ description: 'staff only (ban.read)' }),
    inForce: z.boolean().openapi({ description: 'whether the ban runs today (China time)' }),
    bars: BanBarsSchema,
    message: Message.openapi({ description: 'the ban in words: what it bars, its years and clause' }),
  })
  .openapi('Ban');

export const BanStatusSchema = z
  .object({
    banned: z.boolean().openapi({ description: 'whether a ban runs today: the person may not apply for a title promotion (申报晋升职称)' }),
    until: dateOut.nullable().openapi({ description: 'the last day of the latest ban in force' }),
    clause: z.literal('四(一)'),
    bars: BanBarsSchema,
    bans: z.array(BanSchema),
  })
  .openapi('BanStatus');

export const BanRegisterQuerySchema = z.object({
  format: z.enum(['json', 'csv']).default('json').openapi({ description: 'csv: every matching ban, UTF-8 with BOM for Excel' }),
  inForce: z.enum(['true', 'false']).optional().openapi({ description: 'true: only bans running today; false: only those ended or not yet begun' }),
});

export const BanRegisterSchema = z
  .object({
    items: z.array(BanSchema.extend({ idNumber: z.string().openapi({ description: 'in full for auditors, masked for other staff' }), holderName: z.string().openapi({ description: 'in full for auditors, masked for other staff (张*丰)' }) })),
    total: z.number().int(),
    bars: BanBarsSchema,
  })
  .openapi('BanRegister');
