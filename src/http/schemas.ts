/**
 * @module http/schemas
 * The request and response shapes of the API, in zod: they validate every body and produce /openapi.json.
 * Field names are part of the contract with clients; do not rename them.
 */
import { z } from '@hono/zod-openapi';
import { ACQUISITION_METHODS, GENDERS, REVOCATION_REASONS } from '../domain/certificate.js';
import { isIsoDate } from '../domain/chineseDate.js';
import { ID_TYPES } from '../domain/idDocument.js';
import { BASIS_DECISION_NUMBER_MAX, BASIS_REASON_MAX } from '../domain/certificateBasis.js';
import { LEVELS } from '../domain/levels.js';
import { CERTIFICATE_STATES } from '../domain/certificateState.js';
import { CancellationSchema, StateSchema, SupersessionSchema, VersionSchema } from './stateSchemas.js';
import { VERIFICATION_METHODS, VERIFICATION_RESULTS } from '../domain/verificationRecord.js';

// A real calendar date: 2026-13-01 or 2026-02-30 never reaches a service (which would store or compute with it).
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: '日期格式应为 YYYY-MM-DD|Date must be YYYY-MM-DD', abort: true })
  .refine(isIsoDate, '日期格式应为 YYYY-MM-DD 的真实日期|Date must be a real YYYY-MM-DD date');
// Printable text in NFC: no control, format (zero-width, bidi) or line-separator characters, spaces folded.
const PRINTABLE = /^[^\p{Cc}\p{Cs}\p{Cf}\p{Zl}\p{Zp}]*$/u;
const folded = (v: string) => v.normalize('NFC').replace(/\s+/gu, ' ').trim();
export const text = (max: number) =>
  z
    .string()
    .regex(PRINTABLE, '不能含控制字符、零宽或换行字符|No control, zero-width or line-break characters')
    .transform(folded)
    .pipe(z.string().min(1).max(max));
/** Free text that may run over lines (opinions, a work summary): printable, line breaks kept. */
export const longText = (max: number) =>
  z
    .string()
    .transform((v) => v.normalize('NFC').replace(/\r\n?/g, '\n').replace(/[ \t]+/g, ' ').trim())
    .pipe(z.string().min(1).max(max).regex(/^[^\p{Cs}\p{Cf}\u0000-\u0009\u000B-\u001F\u007F]*$/u, '不能含控制字符或零宽字符|No control or zero-width characters'));
// A person's name: letters (any script) and marks, with the middle dot of minority names (阿依古丽·买买提),
// hyphens, apostrophes and single spaces between parts. NFC makes look-alike spellings one spelling.
export const personName = z
  .string()
  .regex(PRINTABLE, '不能含控制字符、零宽或换行字符|No control, zero-width or line-break characters')
  .transform(folded)
  .pipe(
    z
      .string()
      .min(1)
      .max(50)
      .regex(/^[\p{L}\p{M}](?:[\p{L}\p{M}·•'\- ]*[\p{L}\p{M}])?$/u, '姓名只能由文字、间隔号（·）、连字符、撇号和空格组成|A name may hold letters, middle dots, hyphens, apostrophes and spaces only'),
  );

export const IssueRequestSchema = z
  .object({
    holder: z
      .object({
        name: personName.openapi({ example: '张三丰' }),
        gender: z.enum(GENDERS),
        idType: z.enum(ID_TYPES),
        idNumber: z.string().trim().min(1).max(40).openapi({ example: '450102198005120019' }),
        // 二(三)1(4): every e-certificate carries the holder's photo (issue 13 item 6: no more empty 照片 box).
        photo: z
          .string({ error: (issue) => (issue.input === undefined ? '缺少持证人照片：职称电子证书须有本人电子照片（二(三)1(4)）|The holder’s photo is missing: every e-certificate carries it (notice 二(三)1(4))' : undefined) })
          .max(1_500_000)
          .openapi({ description: 'data: URL of a JPEG or PNG, at most 1 MiB; required (notice 二(三)1(4))', example: 'data:image/jpeg;base64,…' }),
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
    // Issue 13 item 6: a direct issuance bypasses 一(二) and 二(二) by design, so it names the authority's own decision.
    basis: z
      .object({
        decisionNumber: text(BASIS_DECISION_NUMBER_MAX).openapi({ description: "the authority's decision to issue this certificate outside the reconfirmation workflow", example: '桂职办〔2026〕15号' }),
        decidedOn: isoDate.openapi({ description: 'the date of that decision, not after today', example: '2026-03-18' }),
        reason: text(BASIS_REASON_MAX).openapi({ description: 'why it is issued directly (a title confirmed before this service, an import…)', example: '2019年已确认的职称，补发电子证书' }),
      })
      .strict()
      .openapi({ description: 'why this certificate is issued without a reconfirmation case (required); shown in the audit trail, the authority’s record and, without the reason, to a verifier holding the proof' }),
  })
  .strict()
  .openapi('IssueRequest');

export const IssueResponseSchema = z
  .object({
    number: z.string(),
    identifier: z.string().optional().openapi({ description: '电子证照标识 (issue 19): 1.2.156.3005.2.{证照类型代码}.{颁发机构代码}.{流水号}.{版本号}.{校验位}, signed in the token; absent on certificates issued before identifiers (they verify by number)', example: '1.2.156.3005.2.11100000DEM0000018001.11450000DEM0000011.00000001.001.F' }),
    verifyUrl: z.string(),
    pdfUrl: z.string(),
    token: z.string().openapi({ description: 'compact JWS (ES256) signed by the authority; header carries kid and x5c' }),
  })
  .openapi('IssueResponse');

export const RevocationRequestSchema = z
  .object({
    reason: z.enum(REVOCATION_REASONS),
    note: z.string().regex(/^(?:[^\p{Cc}\p{Cs}\p{Cf}]|[\n\t])*$/u, '不能含控制字符|No control characters').max(500).default(''), // line breaks allowed
  })
  .strict()
  .openapi('RevocationRequest');

export const LookupRequestSchema = z
  .object({
    number: z.string().trim().min(1).max(40),
    name: personName,
  })
  .strict()
  .openapi('LookupRequest');

export const Message = z.object({ zh: z.string(), en: z.string() });

export const OrganisationContactSchema = z
  .object({ phone: z.string().optional().openapi({ example: '0771-1234567转801' }), address: z.string().optional() })
  .openapi('OrganisationContact', { description: "how to reach the office (issue 12 A4): its current contact, as set by its admin; absent parts are not set" });

export const VerificationSchema = z
  .object({
    status: z.enum(['valid', 'revoked', 'superseded', 'cancelled', 'invalid', 'not_found', 'proof_required', 'number_invalid']).openapi({
      description:
        'valid, revoked, superseded (已变更: corrected by a new version, named in certificate.supersession), invalid: a verdict (with the right QR proof, or number and name); invalid alone with a wrong proof; not_found: no certificate with this number and name; proof_required: a link without its proof says nothing; number_invalid: the check character does not match (mistyped)',
    }),
    statusText: Message,
    message: Message.openapi({ description: 'one sentence for a person: what the answer means and what to do next' }),
    checkedAt: z.string().openapi({ description: 'when this check ran, China time with its offset', example: '2026-03-19T07:30:00+08:00' }),
    demo: z.boolean().openapi({ description: 'the service runs on the public demo keys: nothing it says has legal effect' }),
    demoNotice: Message.optional(),
    checks: z.array(z.object({ name: z.string(), ok: z.boolean().nullable(), message: Message })).openapi({ description: 'each technical check; empty when nothing about a certificate may be said' }),
    certificate: z
      .object({
        number: z.string(),
        identifier: z.string().optional().openapi({ description: '电子证照标识 (issue 19): 1.2.156.3005.2.{证照类型代码}.{颁发机构代码}.{流水号}.{版本号}.{校验位}, signed in the token; absent on certificates issued before identifiers (they verify by number)' }),
        holder: z.object({ name: z.string(), idNumberMasked: z.string(), gender: z.string(), idNumber: z.string().optional().openapi({ description: 'the full ID number: only through a share link whose holder chose to show it' }) }),
        supersession: SupersessionSchema.optional(),
        cancellation: CancellationSchema.optional(),
        state: StateSchema,
        title: z.object({ series: z.string(), seriesName: z.string(), name: z.string(), level: z.enum(LEVELS), levelName: z.string(), specialty: z.string() }),
        original: z.object({ acquiredOn: z.string(), method: z.string(), evaluatingBody: z.string() }),
        authority: z.object({
          code: z.string(),
          name: z.string(),
          contact: OrganisationContactSchema.optional().openapi({
            description: "the issuing office's CURRENT contact, read from the service at verification time — not part of the signed certificate data (code and name are); absent when the office has none",
          }),
        }),
        decision: z.object({ number: z.string(), decidedOn: z.string() }),
        basis: z
          .object({
            kind: z.enum(['case', 'decision', 'unrecorded']),
            kindName: Message,
            caseId: z.string().optional(),
            decisionNumber: z.string().optional(),
            decidedOn: z.string().optional(),
            sealedBy: z
              .object({ name: z.string(), uscc: z.string().optional(), at: z.string() })
              .optional()
              .openapi({ description: "for a case: the confirming authority whose electronic seal (电子印章) its approval bears, and when it was sealed (issue 16)" }),
          })
          .openapi({
            description:
              "why it was issued (issue 13 item 6): 'case' the reconfirmation case (its id), 'decision' the authority's decision outside the workflow (number and date; its reason stays with the authority), 'unrecorded' issued before the basis was recorded. Not part of the signed data.",
          }),
        issuedAt: z.string(),
        revocation: z
          .object({
            at: z.string(),
            reason: z.enum(REVOCATION_REASONS),
            reasonName: Message,
            sealedBy: z.object({ name: z.string(), uscc: z.string().optional(), at: z.string() }).optional().openapi({ description: 'issue 16: the issuing authority whose electronic seal the revocation bears' }),
          })
          .optional(),
      })
      .optional(),
    photoUrl: z.string().optional(),
  })
  .openapi('Verification');

const Reason = z.object({ clause: z.string(), code: z.string(), message: Message });

// RFC 9457: a problem may carry members of its own, so the object stays open; those the service sends are named.
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'urn:ecert:problem:validation_failed' }),
    title: z.string().openapi({ description: 'the message in English' }),
    status: z.number().int(),
    detail: z.string().openapi({ description: 'the message in Chinese' }),
    code: z.string().openapi({ description: 'stable: switch on it', example: 'validation_failed' }),
    field: z.string().optional().openapi({ description: 'the failing field as a JSON path (query. / path. / header. for parameters)', example: 'holder.idNumber' }),
    message: Message,
    errors: z.array(z.object({ field: z.string(), message: Message })).optional().openapi({ description: 'validation_failed: every failing field' }),
    requiredRoles: z.array(z.string()).optional().openapi({ description: 'forbidden: the roles that may take this action' }),
    retryAfter: z.number().int().optional().openapi({ description: 'rate_limited: seconds to wait (also the Retry-After header)' }),
    clause: z.string().optional().openapi({ description: 'the clause of the notice the refusal rests on', example: '二(二)2' }),
    reasons: z.array(Reason).optional().openapi({ description: 'not_eligible, materials_missing: every reason with its clause' }),
    decision: z.string().optional().openapi({ description: 'not_eligible: the eligibility decision' }),
    characters: z.array(z.string()).optional().openapi({ description: 'undrawable_character: the characters the certificate fonts cannot draw' }),
    supersededBy: z.string().optional().openapi({ description: 'conflict on a correction: the record that already corrects it' }),
    maxBytes: z.number().int().optional().openapi({ description: 'body_too_large: the largest body this endpoint accepts' }),
    maxDepth: z.number().int().optional().openapi({ description: 'json_too_deep: the deepest nesting accepted' }),
    missing: z.array(z.string()).optional().openapi({ description: 'an incomplete verification record: every missing field' }),
    problems: z.array(z.object({ field: z.string(), message: Message })).optional().openapi({ description: 'an incomplete verification record: what each missing field needs' }),
  })
  .loose()
  .openapi('Problem');

export const NumberParam = z.object({ number: z.string().min(1).max(40).openapi({ param: { name: 'number', in: 'path' }, example: '26K7Q2M9XHT' }) });

// ——— 核实 log (verification records, attachment 2) ———

const dataUrl = z.string().max(7_200_000).openapi({ description: 'data: URL of a PDF, JPEG or PNG, at most 5 MiB' });
const instant = z.iso.datetime({ offset: true, message: '时间格式应为 ISO 8601，带时区，如 2026-11-20T10:30:00+08:00|Must be an ISO 8601 time with offset, e.g. 2026-11-20T10:30:00+08:00' });
// Inside each method's details every field is optional to zod: the domain names all that are missing at once.
export const VerificationRecordRequestSchema = z
  .object({
    subject: z
      .object({
        holderName: personName.openapi({ example: '李四' }),
        idNumber: z.string().trim().min(1).max(40).openapi({ example: '450103198501010026' }),
        titleName: text(50).openapi({ example: '高级工程师' }),
        evaluatingBody: text(100).openapi({ example: '湖南省工程技术高级职务评审委员会' }),
        acquiredOn: isoDate.openapi({ example: '2015-12-30' }),
        certificateNumber: text(64).optional(),
      })
      .strict(),
    method: z.enum(VERIFICATION_METHODS),
    informationSystem: z.object({ name: text(100).optional(), url: z.string().max(2000).optional(), evidence: dataUrl.optional() }).strict().optional(),
    letter: z.object({ number: text(64).optional(), sentTo: text(100).optional(), sentOn: isoDate.optional(), repliedOn: isoDate.optional(), evidence: dataUrl.optional() }).strict().optional(),
    phone: z
      .object({
        organisation: text(100).optional(),
        position: text(50).optional(),
        name: personName.optional(),
        number: z.string().trim().regex(/^[0-9+()\- ]{5,30}$/, '电话号码只能含数字、+、-、括号和空格|A phone number may hold digits, +, -, brackets and spaces').optional(),
        calledAt: instant.optional(),
      })
      .strict()
      .optional(),
    other: z.object({ description: text(1000).optional() }).strict().optional(),
    checkedAt: instant,
    result: z.enum(VERIFICATION_RESULTS),
    record: text(2000).openapi({ example: '电话核实，对方确认该同志于2015年12月取得高级工程师资格。' }),
    handler: z.object({ name: personName.openapi({ example: '赵六' }) }).strict(),
    recordedOn: isoDate.optional().openapi({ description: 'the date the handler signs; today (China time) when absent' }),
    supersedes: z.object({ id: z.string().min(1).max(64), reason: text(500) }).strict().optional().openapi({ description: 'a correction: the earlier record it replaces and why' }),
    applicationId: z.string().min(1).max(64).optional(),
  })
  .strict()
  .openapi('VerificationRecordRequest');

export const VerificationRecordCreatedSchema = z.object({ id: z.string(), hash: z.string(), pdfUrl: z.string() }).openapi('VerificationRecordCreated');

export const VerificationRecordQuerySchema = z.object({
  holder: z.string().max(50).optional(),
  idNumber: z.string().max(40).optional(),
  result: z.enum(VERIFICATION_RESULTS).optional(),
  method: z.enum(VERIFICATION_METHODS).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  format: z.enum(['json', 'csv']).default('json').openapi({ description: 'csv: every matching record, UTF-8 with BOM for Excel' }),
});

export const IdParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' }, example: 'vr_2bq4w9…' }) });

// ——— answers: what the API sends back (objects may gain fields over time; clients ignore unknown ones) ———

/** A compact JWS (header.payload.signature, base64url): signed tokens, credentials and status lists. */
export const CompactJwsSchema = z.string().regex(/^[\w-]+\.[\w-]+\.[\w-]+$/);
export const instantOut = z.string().openapi({ format: 'date-time', description: 'an instant, ISO 8601', example: '2026-03-18T02:30:00.000Z' });
export const dateOut = z.string().openapi({ format: 'date', example: '2026-03-18' });
const urlOut = z.string().openapi({ format: 'uri' });
const orgRef = z.object({ code: z.string(), name: z.string() });
const revocationOut = z.object({
  at: instantOut,
  reason: z.enum(REVOCATION_REASONS),
  note: z.string(),
  by: z.string().openapi({ description: 'the id of the token that revoked it' }),
});

export const CertificateRecordSchema = z
  .object({
    number: z.string().openapi({ example: '26K7Q2M9XHT' }),
    identifier: z.string().optional().openapi({ description: '电子证照标识 (issue 19): 1.2.156.3005.2.{证照类型代码}.{颁发机构代码}.{流水号}.{版本号}.{校验位}, signed in the token; absent on certificates issued before identifiers (they verify by number)' }),
    authority: orgRef,
    kid: z.string().openapi({ description: 'the signing key (see /.well-known/jwks.json)' }),
    holder: z.object({ name: z.string(), gender: z.enum(GENDERS), idType: z.enum(ID_TYPES), idNumber: z.string(), idNumberMasked: z.string() }),
    title: z.object({ series: z.string(), seriesName: z.string(), name: z.string(), level: z.enum(LEVELS), specialty: z.string() }),
    original: z.object({ acquiredOn: dateOut, method: z.enum(ACQUISITION_METHODS), evaluatingBody: z.string(), certificateNumber: z.string().optional() }),
    decision: z.object({ number: z.string(), decidedOn: dateOut }),
    basis: z
      .discriminatedUnion('kind', [
        z.object({
          kind: z.literal('case'),
          caseId: z.string(),
          sealedBy: z
            .object({ code: z.string(), name: z.string(), uscc: z.string().optional(), at: instantOut })
            .optional()
            .openapi({ description: 'issue 16: the confirming authority whose electronic seal the case’s approval bears, and when' }),
        }),
        z.object({ kind: z.literal('decision'), decisionNumber: z.string(), decidedOn: dateOut, reason: z.string() }),
      ])
      .optional()
      .openapi({ description: 'why it was issued (issue 13 item 6): its reconfirmation case, or the recorded decision of a direct issuance; absent on certificates issued before it was recorded' }),
    issuedAt: instantOut,
    status: z.enum(CERTIFICATE_STATES).openapi({ description: 'superseded (已变更): a correction issued the next version (issue 19 item 2); cancelled (已注销, item 3)' }),
    revocation: revocationOut.optional(),
    predecessor: z.string().optional().openapi({ description: 'the number of the version this one corrects' }),
    supersession: z.object({ at: instantOut, successor: z.string() }).optional().openapi({ description: 'when a correction superseded it, and by which version' }),
    state: StateSchema,
    cancellation: z.object({ at: instantOut, reason: z.string(), note: z.string(), by: z.string() }).optional().openapi({ description: '已注销 (issue 19 item 3)' }),
    versions: z.array(VersionSchema).openapi({ description: 'every version of this certificate, oldest first (issue 19 item 2); one entry when never corrected' }),
    hasPhoto: z.boolean(),
    token: z.string().openapi({ description: 'compact JWS (ES256) signed by the authority' }),
    verifyUrl: urlOut.openapi({ description: 'what the QR code says' }),
    pdfUrl: urlOut.openapi({ description: 'opens as given (it carries the QR proof)' }),
  })
  .openapi('CertificateRecord');

export const CertificateRevocationSchema = z
  .object({ number: z.string(), status: z.literal('revoked'), revocation: revocationOut })
  .openapi('CertificateRevocation');

export const JwkSchema = z
  .object({
    kty: z.literal('EC'),
    crv: z.literal('P-256'),
    x: z.string(),
    y: z.string(),
    kid: z.string(),
    alg: z.literal('ES256'),
    use: z.literal('sig'),
    x5c: z.array(z.string()).openapi({ description: 'base64 DER: the authority certificate, then the root' }),
  })
  .openapi('Jwk');

export const AuthorityDocumentSchema = z
  .object({
    id: urlOut.openapi({ description: 'the issuer identifier the credentials name' }),
    name: z.string(),
    levels: z.array(z.enum(LEVELS)).openapi({ description: 'the title levels its keys may confirm' }),
    jwks_uri: urlOut,
    keys: z.array(JwkSchema),
  })
  .openapi('AuthorityDocument');

const methodDetails = z.union([
  z.object({ method: z.literal('information_system'), informationSystem: z.object({ name: z.string(), url: z.string(), evidence: z.object({ sha256: z.string(), mediaType: z.string(), bytes: z.number().int() }) }) }),
  z.object({ method: z.literal('letter'), letter: z.object({ number: z.string(), sentTo: z.string(), sentOn: dateOut, repliedOn: dateOut, evidence: z.object({ sha256: z.string(), mediaType: z.string(), bytes: z.number().int() }) }) }),
  z.object({ method: z.literal('phone'), phone: z.object({ organisation: z.string(), position: z.string(), name: z.string(), number: z.string(), calledAt: z.string() }) }),
  z.object({ method: z.literal('other'), other: z.object({ description: z.string() }) }),
]);

export const VerificationRecordSchema = z
  .object({
    seq: z.number().int(),
    id: z.string(),
    orgCode: z.string(),
    subject: z.object({ holderName: z.string(), idNumber: z.string(), titleName: z.string(), evaluatingBody: z.string(), acquiredOn: dateOut, certificateNumber: z.string().optional() }),
    details: methodDetails,
    checkedAt: z.string().openapi({ format: 'date-time' }),
    result: z.enum(VERIFICATION_RESULTS),
    resultSentence: Message.openapi({ description: 'the result as attachment 2 words it' }),
    record: z.string(),
    handler: z.object({ name: z.string() }),
    recordedOn: dateOut,
    createdAt: instantOut,
    writtenBy: z.string().openapi({ description: 'the id of the token that wrote it' }),
    supersedes: z.object({ id: z.string(), reason: z.string() }).optional(),
    supersededBy: z.string().nullable().openapi({ description: 'the record correcting this one, if any' }),
    applicationId: z.string().optional(),
    prevHash: z.string().openapi({ description: 'SHA-256 of the record before it (hex)' }),
    hash: z.string().openapi({ description: 'SHA-256 over prevHash and this record (hex)' }),
    pdfUrl: urlOut,
  })
  .openapi('VerificationRecord');

export const VerificationRecordPageSchema = z
  .object({ items: z.array(VerificationRecordSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() })
  .openapi('VerificationRecordPage');
