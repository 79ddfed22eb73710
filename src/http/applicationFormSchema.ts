/**
 * @module http/applicationFormSchema
 * The application form (附件1) as the API and the case pages read it.
 */
import { z } from '@hono/zod-openapi';
import { GENDERS } from '../domain/certificate.js';
import { ID_TYPES } from '../domain/idDocument.js';
import { EligibilityRequestSchema } from './eligibilitySchemas.js';
import { longText, personName, text } from './schemas.js';

export const yearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '年月格式应为 YYYY-MM|Must be YYYY-MM');

export const ApplicationFormSchema = z
  .object({
    eligibility: EligibilityRequestSchema.omit({ asOf: true }),
    applicant: z
      .object({
        name: personName.openapi({ example: '李四' }),
        gender: z.enum(GENDERS),
        idType: z.enum(ID_TYPES).default('resident_id_card'),
        idNumber: z.string().trim().min(1).max(40).openapi({ example: '450103198501010026' }),
        birthMonth: yearMonth.nullable().default(null).openapi({ description: '出生年月 (attachment 1): required for a passport or another non-resident document; with a resident ID card it may be left out and must agree with the number', example: '1985-01' }),
        education: text(50).openapi({ description: '最高学历（学位）', example: '大学本科（工学学士）' }),
        graduation: z.object({ on: yearMonth.openapi({ example: '2007-07' }), school: text(100), major: text(100) }).strict(),
        workStartedOn: yearMonth.openapi({ example: '2007-07' }),
        originalEmployer: text(100).openapi({ description: '原区外工作单位' }),
        originalWork: text(100).openapi({ description: '原从事专业技术工作' }),
        currentWork: text(100).openapi({ description: '现从事专业技术工作' }),
        personnelFileHolder: text(100).openapi({ description: '人事档案存放单位' }),
      })
      .strict(),
    specialty: text(50).openapi({ description: 'the specialty on the original certificate (二(二)4)', example: '电气工程' }),
    originalCertificateNumber: text(64).nullable().default(null),
    workHistory: z
      .array(z.object({ from: yearMonth, to: yearMonth.nullable(), place: text(100), work: text(100), post: text(50) }).strict())
      .max(40),
    workSummary: longText(5000).openapi({ description: '进入现单位以来的工作总结' }),
    onlineVerificationUrl: z.url({ protocol: /^https?$/ }).max(2000).nullable().default(null).openapi({ description: '原职称网上核验地址 (二(三)1(2))' }),
    originalProofUnavailable: text(500).nullable().default(null).openapi({ description: 'why the original proof truly cannot be supplied (四(三))' }),
  })
  .strict()
  .openapi('ApplicationForm');

