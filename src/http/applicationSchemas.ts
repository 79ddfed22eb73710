/**
 * @module http/applicationSchemas
 * The reconfirmation API's answers: a case as the list shows it (ApplicationList) and in full (Application),
 * with the social-insurance check and the platform's acceptance. The routes are http/api/applications.
 */
import { z } from '@hono/zod-openapi';
import { SOCIAL_INSURANCE_CHECK_METHODS, SOCIAL_INSURANCE_CHECK_RESULTS } from '../domain/checks.js';
import { EMPLOYER_CHOICES } from '../domain/eligibility.js';
import { LEVELS } from '../domain/levels.js';
import { MATERIAL_ITEMS } from '../domain/materials.js';
import { APPLICATION_STATUSES, RETURN_TARGETS } from '../domain/workflow.js';
import { BanSchema } from './banSchemas.js';
import { isoDate, personName, text } from './schemas.js';
import { EligibilityResponseSchema } from './eligibilitySchemas.js';
import { ApplicationFormSchema } from './applicationFormSchema.js';

// ——— the answers: a case as the list shows it, and in full ———
const message = z.object({ zh: z.string(), en: z.string() });
const org = z.object({ code: z.string(), name: z.string() });
const instant = z.string().openapi({ format: 'date-time' });
const recordedBy = z.object({ personName: z.string(), orgName: z.string(), at: instant });
const socialInsuranceCheckShape = {
  method: z.enum(SOCIAL_INSURANCE_CHECK_METHODS).openapi({ description: 'system: the social-insurance system; other: say how in methodNote' }),
  methodNote: text(200).nullable().optional(),
  result: z.enum(SOCIAL_INSURANCE_CHECK_RESULTS).openapi({ description: 'not_confirmed refuses the forward (一(二)2)' }),
  note: text(500).nullable().optional(),
  checkedOn: isoDate,
};
const platformAcceptanceShape = { number: text(64).openapi({ description: '受理编号', example: 'GXZC2026-001234' }), acceptedOn: isoDate };
export const SocialInsuranceCheckSchema = z
  .object(socialInsuranceCheckShape)
  .strict()
  .openapi('SocialInsuranceCheck', { description: '二(三)1(3): how the submitting department verified an enterprise employee’s social-insurance payments' });
export const PlatformAcceptanceSchema = z
  .object(platformAcceptanceShape)
  .strict()
  .openapi('PlatformAcceptance', { description: '二(四): the region title platform’s acceptance of a senior case (桂职办〔2018〕72号)' });
const caseShape = {
  id: z.string().openapi({ example: 'RC20261128-7KQ2M9XH' }),
  applicantId: z.string(),
  unitCode: z.string().openapi({ description: 'the applicant’s unit' }),
  holderCode: z.string().openapi({ description: 'the organisation the case is with now' }),
  authorityCode: z.string().openapi({ description: 'the confirming authority (二(一))' }),
  status: z.enum(APPLICATION_STATUSES),
  version: z.number().int(),
  idNumber: z.string(),
  holderName: z.string(),
  level: z.enum(LEVELS),
  employerChoice: z.enum(EMPLOYER_CHOICES).nullable(),
  notice: z.object({ start: z.string(), end: z.string(), provisional: z.boolean(), dataVersion: z.string() }).nullable().openapi({ description: 'the public notice (二(二)2) once published' }),
  returned: z.object({ to: z.enum(RETURN_TARGETS), reason: z.string() }).nullable(),
  decision: z.object({ number: z.string(), decidedOn: z.string() }).nullable(),
  certificateNumber: z.string().nullable(),
  createdAt: instant,
  updatedAt: instant,
};
export const ApplicationListSchema = z.object({ total: z.number().int(), items: z.array(z.object(caseShape)) }).openapi('ApplicationList');
export const ApplicationSchema = z
  .object({
    ...caseShape,
    form: ApplicationFormSchema,
    eligibility: EligibilityResponseSchema.omit({ asOf: true }),
    unit: org,
    holder: org,
    authority: org,
    noticeDaysLeft: z.number().int().nullable().openapi({ description: 'working days of the notice still to run, today included' }),
    events: z.array(
      z.object({
        seq: z.number().int(),
        action: z.string(),
        fromStatus: z.enum(APPLICATION_STATUSES).nullable(),
        toStatus: z.enum(APPLICATION_STATUSES),
        person: z.object({ id: z.string(), name: z.string() }),
        org,
        role: z.string(),
        at: instant,
        opinion: z.string().nullable(),
        data: z.record(z.string(), z.unknown()),
      }),
    ),
    materials: z.array(
      z.object({
        id: z.string(),
        item: z.enum(MATERIAL_ITEMS),
        filename: z.string(),
        sha256: z.string(),
        mediaType: z.enum(['application/pdf', 'image/jpeg', 'image/png']),
        size: z.number().int(),
        uploadedBy: z.string(),
        orgCode: z.string(),
        uploadedAt: instant,
        url: z.string().openapi({ format: 'uri' }),
      }),
    ),
    objections: z.array(
      z.object({
        id: z.string(),
        receivedOn: z.string(),
        text: z.string(),
        lodgedBy: z.string(),
        lodgedAt: instant,
        resolution: z.object({ text: z.string(), upheld: z.boolean(), by: z.string(), at: instant }).nullable(),
      }),
    ),
    checklist: z.array(
      z.object({
        item: z.string(),
        required: z.boolean(),
        waived: z.boolean(),
        clause: z.string(),
        note: message.optional(),
        satisfied: z.boolean(),
        checkedAgainstOriginal: recordedBy.nullable().optional().openapi({ description: 'original_title_proof: the unit checked the copies against the originals (二(三)1(2))' }),
      }),
    ),
    genuineVerificationRecords: z.number().int().openapi({ description: '四(三): linked records that stand, found the title genuine and agree with the case on title, evaluating body and acquisition date' }),
    verificationRecords: z.array(
      z.object({
        id: z.string(),
        orgCode: z.string(),
        method: z.string(),
        result: z.string(),
        checkedAt: z.string(),
        handlerName: z.string(),
        supersededBy: z.string().nullable(),
        titleName: z.string(),
        evaluatingBody: z.string(),
        acquiredOn: z.string(),
        disagreements: z
          .array(z.object({ field: z.enum(['titleName', 'evaluatingBody', 'acquiredOn']), recorded: z.string(), claimed: z.string(), message }))
          .openapi({ description: '四(三): where the record disagrees with the case; a record with any does not count for the case' }),
      }),
    ),
    employerChoiceRecord: z
      .object({ choice: z.enum(EMPLOYER_CHOICES), person: z.object({ id: z.string(), name: z.string() }), org, at: instant })
      .nullable()
      .openapi({ description: "一(一) sentence 2: the new employer's choice as the unit recorded it, by whom and when" }),
    inPrincipleException: z
      .object({ clause: z.literal('二(三)1(5)'), reason: z.string(), person: z.object({ id: z.string(), name: z.string() }), org, at: instant })
      .nullable()
      .openapi({ description: '二(三)1(5): the confirming authority’s recorded exception accepting a case refused in principle, by whom and when' }),
    checks: z
      .object({
        originals: recordedBy.nullable(),
        socialInsurance: z.object({ ...socialInsuranceCheckShape, ...recordedBy.shape }).nullable(),
        platformAcceptance: z.object({ ...platformAcceptanceShape, ...recordedBy.shape }).nullable(),
      })
      .openapi({ description: 'what the unit and the forwarding offices recorded they checked: originals (二(三)1(2)), social insurance (二(三)1(3)), platform acceptance (二(四))' }),
    bans: z.array(BanSchema).openapi({
      description: '四(一): the applicant’s five-year bans on record. A ban bars applying for a title promotion (申报晋升职称), not this reconfirmation: every reviewer sees it here and decides. The note, the revoked certificate’s number and the name are for staff only: the applicant is told what it bars, its clause, its years and whether it runs (四(四))',
    }),
    formUrl: z.string().openapi({ format: 'uri', description: 'the approval form (attachment 1) as PDF' }),
    certificateUrl: z.string().openapi({ format: 'uri' }).nullable(),
  })
  .openapi('Application');

// ——— the organisations' sealed statements (issue 16; 四(二), 四(四)) ———
const SealSchema = z.object({
  code: z.string(),
  name: z.string(),
  uscc: z.string().optional().openapi({ description: '统一社会信用代码, as the seal certificate carries it' }),
  serial: z.string().openapi({ description: 'the seal certificate’s serial number (hex)' }),
  notBefore: instant,
  notAfter: instant,
});
export const CaseStatementsSchema = z
  .object({
    caseId: z.string(),
    statements: z.array(
      z.object({
        seq: z.number().int(),
        step: z.string(),
        stepName: message,
        org,
        person: z.object({ name: z.string() }),
        at: instant,
        opinion: z.string().nullable(),
        sealed: z.boolean().openapi({ description: 'signed by the organisation’s electronic seal; false: given without a seal' }),
        seal: SealSchema.optional().openapi({ description: 'who sealed it, for a seal that checks out' }),
        sealValid: z.boolean().nullable(),
        sealProblem: message.optional(),
        stampedAt: instant.optional().openapi({ description: 'when the service stamped the statement (its timestamp JWS over the digest, checked against the root); a revoked seal’s statements count only if stamped before the revocation' }),
        digest: z.string().openapi({ description: 'SHA-256 (hex) of the statement’s canonical JSON; the next statement names it as prev' }),
        jws: z.string().nullable().openapi({ description: 'compact JWS, typ ecert-statement+jws, x5c = [seal, seal CA, root]' }),
        data: z.record(z.string(), z.unknown()).optional().openapi({ description: 'a certificate’s statement only: what the act recorded — the reason, a revocation’s ban years, a correction’s new version {number, identifier}' }),
        facts: z.string().optional().openapi({ description: 'a certificate’s statement only: SHA-256 (hex) of the ended version’s signed token' }),
      }),
    ),
    problems: z.array(z.object({ seq: z.number().int(), message })),
    intact: z.boolean(),
  })
  .openapi('CaseStatements');
