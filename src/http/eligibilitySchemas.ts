/**
 * @module http/eligibilitySchemas
 * The eligibility question and answer (POST /api/v1/reconfirmations/eligibility), shared by the API's
 * reconfirmation and application routes and the case pages' form.
 */
import { z } from '@hono/zod-openapi';
import { isIsoDate } from '../domain/chineseDate.js';
import { ACQUISITION_METHODS as OBTAINING_METHODS } from '../domain/certificate.js';
import { DECISIONS, EMPLOYER_CHOICES, EMPLOYER_KINDS, OBTAINED_REGIONS } from '../domain/eligibility.js';
import { LEVELS } from '../domain/levels.js';
const isoDate = z.string().refine(isIsoDate, '日期格式应为 YYYY-MM-DD 的真实日期|Date must be a real YYYY-MM-DD date');
const code = z.string().min(1).max(64);
const shortText = (max: number) => z.string().trim().min(1).max(max);
// zod's own enum message lists values joined by '|', which zodProblem would read as a 中文|English pair.
const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `取值必须是：${values.join('、')}|Must be one of: ${values.join(', ')}` });
const message = z.object({ zh: z.string(), en: z.string() });

export const EligibilityRequestSchema = z
  .object({
    title: z
      .object({
        series: code.openapi({ description: 'code from GET /api/v1/catalog/series', example: 'engineering' }),
        name: shortText(50).openapi({ example: '高级工程师' }),
      })
      .strict(),
    obtained: z
      .object({
        region: oneOf(OBTAINED_REGIONS).openapi({ description: 'outside Guangxi, a central-government unit, the military, or Guangxi (notice 一(一))' }),
        place: shortText(100).optional().openapi({ example: '湖南省' }),
        method: oneOf(OBTAINING_METHODS),
        on: isoDate.openapi({ example: '2015-12-30' }),
        committee: z
          .object({
            name: shortText(100).openapi({ example: '湖南省工程技术高级职务评审委员会' }),
            filed: z.boolean(),
            onlineQueryUrl: z
              .url({ protocol: /^https?$/ })
              .max(2000)
              .nullable()
              .optional()
              .openapi({ description: 'where the committee’s filing can be checked online: for a central-unit (中直) intermediate/junior title it replaces the filing proof (notice 二(三)1(5) “或在线查询途径”)' }),
          })
          .strict()
          .nullable()
          .optional(),
      })
      .strict(),
    employment: z
      .object({
        since: isoDate.openapi({ description: 'start of the labour (personnel) relationship in Guangxi (notice 一(二)2)', example: '2022-01-01' }),
        personnelTransferred: z.boolean(),
        socialInsurance: z.boolean(),
        employerKind: oneOf(EMPLOYER_KINDS),
        currentSeries: code.openapi({ description: 'series of the current work (notice 一(二)3)', example: 'engineering' }),
      })
      .strict(),
    employerChoice: oneOf(EMPLOYER_CHOICES)
      .nullable()
      .default(null)
      .openapi({
        description:
          "only null: for a self-evaluation / appointment-in-lieu title the new employer's choice is the unit's to record at its step (notice 一(一) sentence 2), so an applicant's value is refused (validation_failed) and such a title answers employer_decides",
      }),
    onlineVerification: z.boolean().default(false).openapi({ description: 'an online verification route and screenshot replace the original proof (notice 二(三)1(2))' }),
    asOf: isoDate.optional().openapi({ description: 'the date the case is judged on; today in China when absent', example: '2026-11-28' }),
  })
  .strict()
  .openapi('EligibilityRequest');

export const EligibilityResponseSchema = z
  .object({
    decision: z.enum(DECISIONS),
    level: z.enum(LEVELS).nullable(),
    asOf: z.string(),
    reasons: z.array(z.object({ clause: z.string(), code: z.string(), message })),
    authority: z.object({ level: z.string(), zh: z.string(), en: z.string(), clause: z.string(), name: z.string().optional() }).nullable(),
    submitters: z.array(z.object({ kind: z.string(), zh: z.string(), en: z.string(), clause: z.string() })),
    materials: z.array(z.object({ item: z.string(), required: z.boolean(), waived: z.boolean(), clause: z.string(), note: message.optional() })),
  })
  .openapi('EligibilityAssessment');

