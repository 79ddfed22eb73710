/**
 * @module http/api/certificates
 * The issuing authority's API: issue (idempotent), read, download the PDF, revoke.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Certificate } from '../../domain/certificate.js';
import { DomainError } from '../../domain/errors.js';
import { normaliseCertificateNumber } from '../../domain/certificateNumber.js';
import { issueCertificate, verifyUrlOf } from '../../services/issueCertificate.js';
import { revokeCertificate } from '../../services/revokeCertificate.js';
import { certificateVersions, correctCertificate } from '../../services/correctCertificate.js';
import { certificateStatements } from '../../services/caseStatements.js';
import { CaseStatementsSchema } from '../applicationSchemas.js';
import { cancelCertificate } from '../../services/cancelCertificate.js';
import { stateOf } from '../../domain/certificateState.js';
import { timingSafeEqual } from '../../lib/bytes.js';
import { serviceContext, type AppDeps, type AppEnv, type RateLimiter } from '../env.js';
import { requirePermission } from '../middleware/auth.js';
import { rateLimitedProblem } from '../middleware/rateLimit.js';
import { certificateCredential } from '../../services/credentials.js';
import { VC_JWT_MEDIA_TYPE } from '../../crypto/credential.js';
import { CertificateRecordSchema, CertificateRevocationSchema, CompactJwsSchema, IssueRequestSchema, IssueResponseSchema, NumberParam, ProblemSchema, RevocationRequestSchema } from '../schemas.js';
import { certificateByNumber, certificatePdf } from '../../services/certificateReads.js';
import { CancellationRequestSchema, CancellationResponseSchema, CorrectionRequestSchema, CorrectionResponseSchema } from '../correctionSchemas.js';

const problem = (description: string) => ({ content: { 'application/problem+json': { schema: ProblemSchema } }, description });
const security = [{ bearer: [] }];
/** The issuing authority's token, or no token at all with the QR link's proof `?s=`. */
const tokenOrProof: Record<string, string[]>[] = [{ bearer: [] }, {}];
const limited = { $ref: '#/components/responses/RateLimited' };
const denied = problem('a role that may not do this (forbidden, with requiredRoles)');

const issue = createRoute({
  method: 'post',
  path: '/api/v1/certificates',
  summary: '颁发职称电子证书 / Issue a title e-certificate',
  operationId: 'issueCertificate',
  security,
  request: {
    headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional().openapi({ description: 'a retry with the same key and body returns the same certificate' }) }),
    body: { content: { 'application/json': { schema: IssueRequestSchema } }, required: true },
  },
  responses: {
    201: {
      content: { 'application/json': { schema: IssueResponseSchema } },
      headers: { Location: { description: 'the certificate record', required: true, schema: { type: 'string' } } },
      description: 'issued',
    },
    200: { content: { 'application/json': { schema: IssueResponseSchema } }, description: 'an earlier issuance with the same Idempotency-Key' },
    403: problem('a role that may not issue (forbidden), an organisation that is no issuing authority (not_an_issuing_authority), or an authority whose key may not confirm this level (level_not_authorised)'),
    409: problem('the issuing authority has no 统一社会信用代码 on record (uscc_missing): the 电子证照标识 names it, so an admin records it first'),
    422: problem('a missing photo (validation_failed on holder.photo, 二(三)1(4)) or basis, an invalid field (validation_failed, invalid_id_number, invalid_photo, unknown_series, unknown_title, future_date, undrawable_character), a title by national exam (not_eligible), or an Idempotency-Key used with another body (idempotency_conflict)'),
  },
});

const read = createRoute({
  method: 'get',
  path: '/api/v1/certificates/{number}',
  summary: '证书详情（颁发机构）/ Certificate record (issuing authority)',
  operationId: 'getCertificate',
  security,
  request: { params: NumberParam },
  responses: {
    200: { content: { 'application/json': { schema: CertificateRecordSchema } }, description: 'the certificate, its status and token' },
    403: denied,
    404: problem('no such certificate of your authority'),
  },
});

const statements = createRoute({
  method: 'get',
  path: '/api/v1/certificates/{number}/statements',
  summary: '证书撤销、注销或更正的签章声明 / The sealed statement that ended this certificate version',
  operationId: 'getCertificateStatements',
  description:
    '四(四) 谁确认、谁负责; issue 19 items 2–3: the issuing authority\'s revocation, cancellation (已注销) or correction (已变更, naming the new version) of this version, as a JWS sealed with its electronic seal (x5c: seal, seal CA, root) — or unsealed when it held no seal — checked here against the root and the service timestamp. Empty while the version is in force. `npm run cli -- verify statements.json` checks the same answer offline. Only the issuing authority.',
  security,
  request: { params: NumberParam },
  responses: {
    200: { content: { 'application/json': { schema: CaseStatementsSchema } }, description: 'the statement (at most one), with what the checks found' },
    403: denied,
    404: problem('no such certificate of your authority'),
  },
});

const pdf = createRoute({
  method: 'get',
  path: '/api/v1/certificates/{number}/pdf',
  summary: '证书 PDF / Certificate PDF (issuing authority token, or the QR link proof ?s=)',
  operationId: 'getCertificatePdf',
  security: tokenOrProof,
  request: { params: NumberParam, query: z.object({ s: z.string().max(64).optional().openapi({ description: 'the QR link proof; without it, the issuing authority’s token' }) }) },
  responses: {
    200: { content: { 'application/pdf': {} }, description: 'A4 PDF with the signed token attached' },
    403: denied,
    404: problem('no such certificate, a wrong proof, or another authority’s certificate'),
    429: limited,
  },
});

const credential = createRoute({
  method: 'get',
  path: '/api/v1/certificates/{number}/credential',
  summary: '可验证凭证（W3C VC 2.0, vc+jwt）/ The certificate as a Verifiable Credential (issuing authority token, or ?s=)',
  operationId: 'getCertificateCredential',
  security: tokenOrProof,
  request: { params: NumberParam, query: z.object({ s: z.string().max(64).optional().openapi({ description: 'the QR link proof; without it, the issuing authority’s token' }) }) },
  responses: {
    200: { content: { 'application/vc+jwt': { schema: CompactJwsSchema } }, description: 'compact JWS, typ vc+jwt' },
    403: denied,
    404: problem('no such certificate, a wrong proof, or another authority’s certificate'),
    429: limited,
  },
});

const revoke = createRoute({
  method: 'post',
  path: '/api/v1/certificates/{number}/revocation',
  summary: '撤销证书 / Revoke a certificate',
  operationId: 'revokeCertificate',
  security,
  request: { params: NumberParam, body: { content: { 'application/json': { schema: RevocationRequestSchema } }, required: true } },
  responses: {
    200: { content: { 'application/json': { schema: CertificateRevocationSchema } }, description: 'revoked; with reason false_materials the five-year ban on applying for a title promotion (申报晋升职称, 四(一)) is recorded in the same step' },
    403: denied,
    404: problem('no such certificate of your authority'),
    409: problem('already revoked (already_revoked)'),
  },
});

const correct = createRoute({
  method: 'post',
  path: '/api/v1/certificates/{number}/corrections',
  summary: '更正证书（签发新版本）/ Correct a certificate (issues the next version)',
  operationId: 'correctCertificate',
  description:
    'Issue 19 item 2: the corrected certificate is issued as the next version of the same 电子证照标识 serial, with a new number, token, PDF and VC; the old one becomes 已变更 / superseded (never revoked, never edited). Only the issuing authority.',
  security,
  request: {
    params: NumberParam,
    headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional().openapi({ description: 'a retry with the same key and body returns the same new version' }) }),
    body: { content: { 'application/json': { schema: CorrectionRequestSchema } }, required: true },
  },
  responses: {
    201: {
      content: { 'application/json': { schema: CorrectionResponseSchema } },
      headers: { Location: { description: 'the new version', required: true, schema: { type: 'string' } } },
      description: 'the corrected certificate, issued as the next version',
    },
    200: {
      content: { 'application/json': { schema: CorrectionResponseSchema } },
      headers: { Location: { description: 'the new version', required: true, schema: { type: 'string' } } },
      description: 'the version an earlier correction with the same Idempotency-Key made',
    },
    403: denied,
    404: problem('no such certificate of your authority'),
    409: problem('already corrected (conflict: correct the current version, named in `current`), revoked (already_revoked), or the authority has no 统一社会信用代码 (uscc_missing)'),
    422: problem('a missing reason or an invalid field, as for issuance, or an Idempotency-Key used with another body (idempotency_conflict)'),
  },
});

const cancel = createRoute({
  method: 'post',
  path: '/api/v1/certificates/{number}/cancellation',
  summary: '注销证书 / Cancel a certificate (已注销)',
  operationId: 'cancelCertificate',
  description: 'Issue 19 item 3: ends a valid certificate for good without a fault in it (the holder’s death, a duplicate issue, other); a fault is a revocation. Only the issuing authority.',
  security,
  request: { params: NumberParam, body: { content: { 'application/json': { schema: CancellationRequestSchema } }, required: true } },
  responses: {
    200: { content: { 'application/json': { schema: CancellationResponseSchema } }, description: 'cancelled' },
    403: denied,
    404: problem('no such certificate of your authority'),
    409: problem('already cancelled or superseded (conflict), or revoked (already_revoked)'),
  },
});

/** The PDF's address with the QR link's proof, so it opens as given (no token needed; the holder may pass it on). */
function pdfUrlOf(publicUrl: string, number: string, linkProof: string): string {
  return `${publicUrl}/api/v1/certificates/${number}/pdf?s=${linkProof}`;
}

export function certificateRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps, unproven: RateLimiter): void {
  const issuers = requirePermission(deps, 'certificate.issue');
  const readers = requirePermission(deps, 'certificate.read');
  app.use('/api/v1/certificates', async (c, next) => (c.req.method === 'POST' ? issuers(c, next) : next()));
  app.use('/api/v1/certificates/:number', readers);
  app.use('/api/v1/certificates/:number/statements', readers);
  app.use('/api/v1/certificates/:number/revocation', requirePermission(deps, 'certificate.revoke'));
  // A correction both ends a certificate (as a revocation does) and signs a new one (as an issuance does): both rights.
  app.use('/api/v1/certificates/:number/cancellation', requirePermission(deps, 'certificate.revoke'));
  app.use('/api/v1/certificates/:number/corrections', requirePermission(deps, 'certificate.revoke'), issuers);

  app.openapi(issue, async (c) => {
    const body = c.req.valid('json');
    const key = c.req.valid('header')['idempotency-key'];
    const { certificate, created } = await issueCertificate(serviceContext(c, deps), c.get('actor'), body, key);
    return c.json(
      {
        number: certificate.number,
        ...(certificate.identifier ? { identifier: certificate.identifier } : {}),
        verifyUrl: verifyUrlOf(deps.publicUrl, certificate.number, certificate.linkProof),
        pdfUrl: pdfUrlOf(deps.publicUrl, certificate.number, certificate.linkProof),
        token: certificate.token,
      },
      created ? 201 : 200,
      created ? { Location: `/api/v1/certificates/${certificate.number}` } : {},
    );
  });

  app.openapi(read, async (c) => {
    const certificate = await findOwn(serviceContext(c, deps), c.req.valid('param').number, c.get('actor').orgCode);
    const { photo: _photo, photoType, token, linkProof, holder, ...rest } = certificate;
    return c.json({
      ...rest,
      holder,
      versions: await certificateVersions(serviceContext(c, deps), certificate),
      state: stateOf(certificate),
      hasPhoto: Boolean(photoType),
      token,
      verifyUrl: verifyUrlOf(deps.publicUrl, certificate.number, linkProof),
      pdfUrl: pdfUrlOf(deps.publicUrl, certificate.number, linkProof),
    }, 200);
  });

  /**
   * The certificate a request may open: the holder's by the QR link's proof, else the issuing authority's by
   * its token. A wrong proof (or one for no certificate) spends from the same allowance as every other
   * unproven request (/v, /verify, lookups); a right proof never does. Over it: the 429 problem.
   */
  const openable = async (c: Context<AppEnv>, raw: string, given: string | undefined): Promise<Certificate | Response> => {
    const s = given || undefined; // `?s=` left empty is no proof at all: the token path, as without it
    if (s === undefined) await readers(c, async () => undefined); // no proof: a staff token of the authority, checked before anything is looked up
    const number = normaliseCertificateNumber(raw);
    const certificate = number ? await certificateByNumber(serviceContext(c, deps), number) : undefined;
    if (s !== undefined) {
      if (certificate && timingSafeEqual(s, certificate.linkProof)) return certificate;
      const retryAfter = await unproven.take(c);
      if (retryAfter > 0) return rateLimitedProblem(c, retryAfter);
      throw notFound(raw);
    }
    if (!certificate || c.get('actor').orgCode !== certificate.authority.code) throw notFound(raw);
    return certificate;
  };

  app.openapi(statements, async (c) => {
    const ctx = serviceContext(c, deps);
    const certificate = await findOwn(ctx, c.req.valid('param').number, c.get('actor').orgCode);
    return c.json(await certificateStatements(ctx, certificate), 200, { 'Cache-Control': 'private, no-store' });
  });

  app.openapi(pdf, async (c) => {
    const certificate = await openable(c, c.req.valid('param').number, c.req.valid('query').s);
    if (certificate instanceof Response) return certificate as never;
    const number = certificate.number;
    const bytes = await certificatePdf(serviceContext(c, deps), number);
    if (!bytes) throw notFound(number);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `inline; filename="ecert-${number}.pdf"`,
      'Cache-Control': 'private, no-store',
      'X-Robots-Tag': 'noindex, nofollow',
    });
  });

  app.openapi(credential, async (c) => {
    const certificate = await openable(c, c.req.valid('param').number, c.req.valid('query').s);
    if (certificate instanceof Response) return certificate as never;
    return c.body(await certificateCredential(serviceContext(c, deps), certificate), 200, { 'Content-Type': VC_JWT_MEDIA_TYPE, 'Cache-Control': 'private, no-store' });
  });

  app.openapi(correct, async (c) => {
    const { reason, ...sections } = c.req.valid('json');
    const key = c.req.valid('header')['idempotency-key'];
    const { certificate, predecessor, created } = await correctCertificate(serviceContext(c, deps), c.get('actor'), c.req.valid('param').number, { ...sections, reason }, key);
    return c.json(
      {
        number: certificate.number,
        ...(certificate.identifier ? { identifier: certificate.identifier } : {}),
        predecessor: predecessor.number,
        verifyUrl: verifyUrlOf(deps.publicUrl, certificate.number, certificate.linkProof),
        pdfUrl: pdfUrlOf(deps.publicUrl, certificate.number, certificate.linkProof),
        token: certificate.token,
      },
      created ? 201 : 200,
      { Location: `/api/v1/certificates/${certificate.number}` },
    );
  });

  app.openapi(cancel, async (c) => {
    const body = c.req.valid('json');
    const cancelled = await cancelCertificate(serviceContext(c, deps), c.get('actor'), c.req.valid('param').number, { reason: body.reason, note: body.note ?? '' });
    return c.json({ number: cancelled.number, state: stateOf(cancelled) }, 200);
  });

  app.openapi(revoke, async (c) => {
    const body = c.req.valid('json');
    const revoked = await revokeCertificate(serviceContext(c, deps), c.get('actor'), c.req.valid('param').number, { reason: body.reason, note: body.note ?? '' });
    return c.json({ number: revoked.number, status: revoked.status, revocation: revoked.revocation }, 200);
  });
}

function notFound(number: string): DomainError {
  return new DomainError('not_found', { zh: `证书 ${number} 不存在`, en: `Certificate ${number} does not exist` });
}

async function findOwn(ctx: AppDeps, raw: string, orgCode: string) {
  const number = normaliseCertificateNumber(raw);
  const certificate = number ? await certificateByNumber(ctx, number) : undefined;
  // Another authority's certificate is answered as absent: its existence is not theirs to learn here.
  if (!certificate || certificate.authority.code !== orgCode) throw notFound(raw);
  return certificate;
}
