/**
 * @module http/api/holder
 * The holder's side of the API (issue 17 items 1, 2 and 5): their own certificates and cases, and their
 * share links — make one, list them, end one, end all at once. Any signed-in person may call these; what
 * they see is decided by the ID number on the certificate (services/holderCertificates), never by the
 * token's organisation or role, so a person who holds no certificate gets 403 and nobody reads another's.
 * Item 4: who verified me — the holder's own verifications, newest first, paged.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { MAX_SHARE_DAYS, MIN_SHARE_DAYS } from '../../domain/shareLink.js';
import { ROLES } from '../../domain/roles.js';
import { holderOverview } from '../../services/holderCertificates.js';
import { createShare, endAllShares, endShare, listShares } from '../../services/holderShares.js';
import { holderSdJwt } from '../../services/holderSdJwt.js';
import { parseDisclose } from '../../domain/sdJwtDisclosure.js';
import { SD_JWT_VC_MEDIA_TYPE } from '../../crypto/sdJwt.js';
import { holderVerifications } from '../../services/verificationSightings.js';
import { MAX_SIGHTINGS_PAGE, SIGHTING_CHANNELS } from '../../domain/verificationSighting.js';
import { serviceContext, type AppDeps, type AppEnv } from '../env.js';
import { requireRole } from '../middleware/auth.js';
import { ProblemSchema } from '../schemas.js';

const problem = (description: string) => ({ content: { 'application/problem+json': { schema: ProblemSchema } }, description });
const answer = (schema: z.ZodType, description: string) => ({ content: { 'application/json': { schema } }, description });
const security = [{ bearer: [] }];
const PRIVATE = { 'Cache-Control': 'private, no-store' };
const denied = { 401: problem('no or unknown token'), 403: problem('the person holds no certificate: no ID number recorded and none issued on their own case') };
const Text = z.object({ zh: z.string(), en: z.string() });

const HolderCertificateSchema = z
  .object({
    number: z.string(),
    status: z.enum(['valid', 'revoked', 'superseded', 'cancelled']),
    holderName: z.string(),
    titleName: z.string(),
    levelName: Text,
    authorityName: z.string(),
    issuedAt: z.string().openapi({ format: 'date-time' }),
    revokedAt: z.string().optional(),
    verifyUrl: z.string().openapi({ description: 'the QR link, with its proof' }),
    pdfUrl: z.string(),
    credentialUrl: z.string(),
  })
  .openapi('HolderCertificate');
const HolderCaseSchema = z
  .object({ id: z.string(), status: z.string(), statusName: Text, levelName: Text, holderName: z.string(), updatedAt: z.string(), certificateNumber: z.string().optional() })
  .openapi('HolderCase');
const HolderShareSchema = z
  .object({
    id: z.string(),
    certificateNumber: z.string(),
    purpose: z.string(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    expiresAt: z.string().openapi({ format: 'date-time', description: 'when the link stops opening (server clock + days)' }),
    endedAt: z.string().optional(),
    state: z.enum(['active', 'ended', 'expired']),
    disclose: z.object({ idNumber: z.boolean() }).openapi({ description: 'whether the link shows the full ID number (issue 17 item 3)' }),
  })
  .openapi('HolderShare');
const CreateShareSchema = z
  .object({
    certificateNumber: z.string().min(1).max(40),
    // Bounded against abuse only: domain/shareLink.ts says what a purpose may hold (1–100 characters).
    purpose: z.string().max(2000),
    days: z.number().int().min(MIN_SHARE_DAYS).max(MAX_SHARE_DAYS).openapi({ description: `${MIN_SHARE_DAYS}–${MAX_SHARE_DAYS}` }),
    // Issue 17 item 3: the full ID number is shown only when the holder ticks it (四(四)); masked by default.
    disclose: z.object({ idNumber: z.boolean().optional() }).strict().optional().openapi({ description: 'idNumber: show the full ID number through this link (default false: masked)' }),
  })
  .strict();
const HolderVerificationSchema = z
  .object({
    at: z.string().openapi({ format: 'date-time' }),
    channel: z.enum(SIGHTING_CHANNELS).openapi({ description: 'qr: the QR link with its proof; share: your share link; lookup: number and name typed; record: a title verification record (核实) naming you' }),
    channelName: Text,
    purpose: z.string().optional().openapi({ description: 'the share link’s purpose' }),
    verifierOrganisation: z.object({ code: z.string(), name: z.string() }).optional().openapi({ description: 'only when a signed-in staff member or a record’s handler verified' }),
    certificateNumber: z.string().optional().openapi({ description: 'absent for a record, which names you by ID number' }),
  })
  .openapi('HolderVerification');
const VerificationsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_SIGHTINGS_PAGE).optional().openapi({ description: `1–${MAX_SIGHTINGS_PAGE}, default 20` }),
  before: z.string().regex(/^\d{1,15}$/).optional().openapi({ description: 'the `next` of the previous page' }),
});
const SdJwtParams = z.object({ number: z.string().min(1).max(40).openapi({ param: { name: 'number', in: 'path' } }) });
const SdJwtQuery = z.object({ disclose: z.string().max(200).optional().openapi({ description: 'comma-separated extras to put in: `idNumber` (the full ID number); none by default' }) });
const ShareIdParam = z.object({ id: z.string().min(1).max(60).openapi({ param: { name: 'id', in: 'path' } }) });

export function holderRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  // Any valid token: the holder's ID number, not the role, decides (issue 17 item 1).
  const signedIn = requireRole(deps, ...ROLES) as MiddlewareHandler<AppEnv>;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/holder/certificates',
      summary: '我的证书与申请（持证人）/ My certificates and cases (holder)',
      operationId: 'listHolderCertificates',
      security,
      middleware: [signedIn],
      responses: { 200: answer(z.object({ holderName: z.string(), certificates: z.array(HolderCertificateSchema), cases: z.array(HolderCaseSchema) }), 'every certificate bearing the caller’s own ID number, and their cases'), ...denied },
    }),
    async (c) => c.json(await holderOverview(serviceContext(c, deps), c.get('actor')), 200, PRIVATE) as never,
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/holder/verifications',
      summary: '谁核验了我的证书 / Who verified me (holder)',
      operationId: 'listHolderVerifications',
      security,
      middleware: [signedIn],
      request: { query: VerificationsQuery },
      responses: {
        200: answer(z.object({ items: z.array(HolderVerificationSchema), next: z.string().optional().openapi({ description: 'pass as `before` for the older ones' }) }), 'every verification of a certificate bearing the caller’s ID number, newest first; never the verifier’s IP address'),
        ...denied,
        422: problem('limit or before malformed (validation_failed)'),
      },
    }),
    async (c) => c.json(await holderVerifications(serviceContext(c, deps), c.get('actor'), c.req.valid('query')), 200, PRIVATE) as never,
  );

  // Issue 17 item 3 (selective disclosure): the holder's certificate as an SD-JWT VC, the full ID number only when asked (四(四)).
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/holder/certificates/{number}/sd-jwt',
      summary: '下载可选择披露的凭证（SD-JWT VC）/ Download my certificate as an SD-JWT VC',
      operationId: 'downloadHolderSdJwt',
      security,
      middleware: [signedIn],
      request: { params: SdJwtParams, query: SdJwtQuery },
      responses: {
        200: { content: { [SD_JWT_VC_MEDIA_TYPE]: { schema: z.string() } }, description: 'the SD-JWT VC (issuer-signed JWT~disclosures~), signed ES256 by the issuing authority (kid in /.well-known/jwks.json)' },
        ...denied,
        404: problem('no such certificate, or not one bearing your ID number (not_found)'),
        422: problem('disclose names something other than idNumber (validation_failed)'),
      },
    }),
    async (c) => {
      const disclose = parseDisclose(c.req.valid('query').disclose);
      const sdJwt = await holderSdJwt(serviceContext(c, deps), c.get('actor'), c.req.valid('param').number, disclose);
      return c.body(sdJwt, 200, { ...PRIVATE, 'Content-Type': SD_JWT_VC_MEDIA_TYPE }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/holder/shares',
      summary: '新建分享链接（加注）/ Make a share link for one of my certificates',
      operationId: 'createShareLink',
      security,
      middleware: [signedIn],
      request: { body: { required: true, content: { 'application/json': { schema: CreateShareSchema } } } },
      responses: {
        201: answer(z.object({ id: z.string(), url: z.string(), expiresAt: z.string().openapi({ format: 'date-time' }) }), 'the link: its URL is shown only this once'),
        ...denied,
        404: problem('no such certificate, or not one bearing your ID number (not_found)'),
        409: problem(`the certificate already has its live share links (conflict, maxActive)`),
        422: problem('days not a whole number within range, a purpose empty, too long or with control characters (validation_failed)'),
      },
    }),
    async (c) => c.json(await createShare(serviceContext(c, deps), c.get('actor'), c.req.valid('json')), 201, PRIVATE) as never,
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/holder/shares',
      summary: '我的分享链接 / My share links',
      operationId: 'listShareLinks',
      security,
      middleware: [signedIn],
      responses: { 200: answer(z.object({ items: z.array(HolderShareSchema) }), 'the caller’s links, newest first, each with its state'), ...denied },
    }),
    async (c) => c.json({ items: await listShares(serviceContext(c, deps), c.get('actor')) }, 200, PRIVATE) as never,
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/holder/shares',
      summary: '一键终止我的全部分享链接 / End all my share links at once',
      operationId: 'endAllShareLinks',
      security,
      middleware: [signedIn],
      responses: { 200: answer(z.object({ ended: z.number().int() }), 'how many live links were ended'), ...denied },
    }),
    async (c) => c.json({ ended: await endAllShares(serviceContext(c, deps), c.get('actor')) }, 200, PRIVATE) as never,
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/holder/shares/{id}',
      summary: '终止一个分享链接 / End one share link at once',
      operationId: 'endShareLink',
      security,
      middleware: [signedIn],
      request: { params: ShareIdParam },
      responses: { 200: answer(HolderShareSchema, 'the link, now ended (ending an ended or expired link changes nothing)'), ...denied, 404: problem('no such link of yours (not_found)') },
    }),
    async (c) => c.json(await endShare(serviceContext(c, deps), c.get('actor'), c.req.valid('param').id), 200, PRIVATE) as never,
  );
}
