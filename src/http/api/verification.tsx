/**
 * @module http/api/verification
 * The employer's side: the QR landing page `/v/{number}?s=…` (HTML for a phone, JSON for
 * `Accept: application/json`), the holder's photo and signed token behind the same proof, and the lookup by
 * number and holder's name (`POST /api/v1/lookup`; the `/verify` form is http/pages/verify/routes, and both
 * render their pages with http/pages/verify/verifyPages). Every request that does not prove
 * it holds the certificate — a link without or with a wrong proof, a lookup — spends from one rate limiter
 * the app hands in; a right proof never does. Pages carry noindex and private, no-store: personal data stays
 * out of search engines and shared caches.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { normaliseCertificateNumber } from '../../domain/certificateNumber.js';
import { holderPhoto, linkedToken, proofRequired, verifyByLink, verifyByName, verifyIdentifierLink } from '../../services/verifyCertificate.js';
import { looksLikeLicenceIdentifier } from '../../domain/licenceIdentifier.js';
import { serviceContext, type AppDeps, type AppEnv, type RateLimiter } from '../env.js';
import { rateLimitedProblem } from '../middleware/rateLimit.js';
import { problemOf, problemResponse } from '../problem.js';
import { CompactJwsSchema, LookupRequestSchema, NumberParam, ProblemSchema, VerificationSchema } from '../schemas.js';
import { shownNumber } from '../pages/verify/verificationPage.js';
import { HTTP_STATUS, methodName, PRIVATE, verificationJson, verifierOrgCode, verifyPages, wantsJson } from '../pages/verify/verifyPages.js';
import { noteVerification } from '../../services/verificationSightings.js';


// The landing takes any number and proof as typed: a wrong one is an answer in words, never a bare 422.
const LinkParams = z.object({
  number: z.string().min(1).openapi({ param: { name: 'number', in: 'path', description: 'the certificate number, or its 电子证照标识 (1.2.156.3005.2.…)' }, example: '26K7Q2M9XHT' }),
});
const verdicts = { content: { 'application/json': { schema: VerificationSchema }, 'text/html': { schema: z.string() } } };
const limited = { $ref: '#/components/responses/RateLimited' };
const retryAfter = { 'Retry-After': { description: 'seconds until the next request without a proof is allowed', required: true, schema: { type: 'integer' as const, minimum: 1 } } };
const proof = z.string().max(64).openapi({ description: 'the link proof from the QR code' });

const page = createRoute({
  method: 'get',
  path: '/v/{number}',
  summary: '扫码核验 / Verify a certificate (QR landing; HTML, or JSON with Accept: application/json); {number} may also be its 电子证照标识',
  operationId: 'verifyCertificateLink',
  security: [],
  request: { params: LinkParams, query: z.object({ s: z.string().optional().openapi({ description: 'link proof from the QR code' }) }) },
  responses: {
    200: { ...verdicts, description: 'with the right proof: valid, revoked or invalid with every check; with a wrong proof: invalid, one sentence, nothing else; without a proof: proof_required (the lookup form)' },
    422: {
      content: { ...verdicts.content, 'application/problem+json': { schema: ProblemSchema } },
      description: 'number_invalid: the check character does not match (mistyped); for a 电子证照标识 (issue 19) with a wrong check character or malformed, validation_failed (problem+json, field identifier) saying which',
    },
    429: {
      content: { 'application/problem+json': { schema: ProblemSchema }, 'text/html': { schema: z.string() } },
      headers: retryAfter,
      description: 'too many requests without the right proof from this client (rate_limited; a page in words for a browser): wait Retry-After seconds',
    },
  },
});

const photo = createRoute({
  method: 'get',
  path: '/v/{number}/photo',
  summary: '持证人照片（需二维码凭证）/ Holder photo (QR link proof required)',
  operationId: 'getHolderPhoto',
  security: [],
  request: { params: NumberParam, query: z.object({ s: proof }) },
  responses: {
    200: { content: { 'image/jpeg': {}, 'image/png': {} }, description: 'the photo the authority signed' },
    404: { content: { 'application/problem+json': { schema: ProblemSchema } }, description: 'no photo, a wrong proof or no such certificate (not_found)' },
    429: limited,
  },
});

const token = createRoute({
  method: 'get',
  path: '/v/{number}/token',
  summary: '证书签名令牌（需二维码凭证）/ The signed token behind a QR link, for offline checking',
  operationId: 'getSignedToken',
  security: [],
  request: { params: NumberParam, query: z.object({ s: proof }) },
  responses: {
    200: { content: { 'application/jose': { schema: CompactJwsSchema } }, description: 'compact JWS' },
    404: { content: { 'application/problem+json': { schema: ProblemSchema } }, description: 'a wrong proof or no such certificate (not_found)' },
    429: limited,
  },
});

const lookup = createRoute({
  method: 'post',
  path: '/api/v1/lookup',
  summary: '按编号和姓名核验 / Verify by number and holder name (rate limited per client)',
  operationId: 'lookupCertificate',
  security: [],
  request: { body: { content: { 'application/json': { schema: LookupRequestSchema } }, required: true } },
  responses: {
    200: { content: { 'application/json': { schema: VerificationSchema } }, description: 'the same answer as the QR page' },
    404: { content: { 'application/json': { schema: VerificationSchema } }, description: 'no certificate with this number and name' },
    422: {
      content: { 'application/json': { schema: VerificationSchema }, 'application/problem+json': { schema: ProblemSchema } },
      description: 'number_invalid (application/json): the check character does not match (mistyped); validation_failed (problem+json): a field missing or invalid',
    },
    429: limited,
  },
});

export function verificationRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps, unproven: RateLimiter): void {
  const { render, formPage, limitedPage } = verifyPages(deps);

  app.openapi(page, async (c) => {
    const { number: typedNumber } = c.req.valid('param');
    const { s } = c.req.valid('query');
    const ctx = serviceContext(c, deps);
    const json = wantsJson(c);
    // Issue 19 item 1: `/v/{电子证照标识}` resolves like the number, under the same proof rules and the same limit.
    const byIdentifier = looksLikeLicenceIdentifier(typedNumber) ? await verifyIdentifierLink(ctx, typedNumber, s || undefined, methodName) : undefined;
    const number = byIdentifier && 'number' in byIdentifier && byIdentifier.number ? byIdentifier.number : typedNumber;
    const typed = { number: byIdentifier ? '' : shownNumber(number), name: '' };
    // A right proof is never limited; anything else spends from the client's allowance first.
    const v = byIdentifier ? ('verification' in byIdentifier ? byIdentifier.verification : undefined) : s ? await verifyByLink(ctx, number, s, methodName) : undefined;
    if (v) noteVerification(ctx, v, 'qr', { orgCode: verifierOrgCode(c) }); // issue 17 item 4: a right proof only; never waits
    if (v?.proof !== 'qr') {
      const retryAfter = await unproven.take(c);
      if (retryAfter > 0) return (json ? rateLimitedProblem(c, retryAfter) : await limitedPage(c, typed, retryAfter)) as never;
    }
    if (byIdentifier && 'fault' in byIdentifier) {
      // A mistyped identifier (its check character, most often) is told in words, as a mistyped number is.
      return (json ? problemResponse(c, problemOf('validation_failed', byIdentifier.fault, 'identifier'), PRIVATE) : await formPage(c, typed, [byIdentifier.fault], 422)) as never;
    }
    const answer = v ?? (await proofRequired(ctx, number));
    const canonical = normaliseCertificateNumber(number);
    const photoUrl = answer.photo && s && canonical ? `/v/${canonical}/photo?s=${encodeURIComponent(s)}` : undefined;
    if (json) return c.json(verificationJson(answer, photoUrl), HTTP_STATUS[answer.status], PRIVATE) as never;
    if (answer.status === 'number_invalid') return (await formPage(c, typed, [answer.message], 422)) as never;
    if (answer.status === 'proof_required') return (await formPage(c, typed, [], 200, answer.message)) as never;
    const path = c.req.path + (s ? `?s=${encodeURIComponent(s)}` : '');
    return (await render(c, { result: { verification: answer, number, photoUrl } }, HTTP_STATUS[answer.status], path)) as never;
  });

  app.openapi(photo, async (c) => {
    const { proof, photo } = await holderPhoto(serviceContext(c, deps), c.req.valid('param').number, c.req.valid('query').s);
    if (!proof) {
      const retryAfter = await unproven.take(c);
      if (retryAfter > 0) return rateLimitedProblem(c, retryAfter) as never;
    }
    if (!photo) return problemResponse(c, problemOf('not_found', { zh: '没有可显示的照片', en: 'No photo to show' })) as never;
    return c.body(photo.bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': photo.type, ...PRIVATE });
  });

  app.openapi(token, async (c) => {
    const signed = await linkedToken(serviceContext(c, deps), c.req.valid('param').number, c.req.valid('query').s);
    if (!signed) {
      const retryAfter = await unproven.take(c);
      if (retryAfter > 0) return rateLimitedProblem(c, retryAfter) as never;
      return problemResponse(c, problemOf('not_found', { zh: '链接凭证不符或证书不存在', en: 'Wrong link proof or no such certificate' })) as never;
    }
    return c.body(signed, 200, { 'Content-Type': 'application/jose', ...PRIVATE });
  });

  app.use('/api/v1/lookup', unproven.guard());
  app.openapi(lookup, async (c) => {
    const { number, name } = c.req.valid('json');
    const ctx = serviceContext(c, deps);
    const v = await verifyByName(ctx, number, name, methodName);
    noteVerification(ctx, v, 'lookup'); // issue 17 item 4: a matching lookup only; never waits
    return c.json(verificationJson(v, undefined), HTTP_STATUS[v.status], PRIVATE);
  });
}
