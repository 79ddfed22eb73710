/**
 * @module http/routes/verification
 * The employer's side: the QR landing page `/v/{number}?s=…` (HTML for a phone, JSON for
 * `Accept: application/json`), the holder's photo behind the same proof, and the typed lookup by number
 * and holder name (rate limited). Pages carry noindex and private, no-store: personal data stays out of
 * search engines and shared caches.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ACQUISITION_METHOD_NAMES, type AcquisitionMethod } from '../../domain/certificate.js';
import { normaliseCertificateNumber } from '../../domain/certificateNumber.js';
import { holderPhoto, STATUS_MESSAGES, verifyCertificate, type Verification } from '../../services/verifyCertificate.js';
import { timingSafeEqual } from '../../lib/bytes.js';
import type { AppDeps, AppEnv } from '../env.js';
import { rateLimit } from '../middleware/rateLimit.js';
import { problemOf, problemResponse } from '../problem.js';
import { LookupRequestSchema, NumberParam, ProblemSchema, VerificationSchema } from '../schemas.js';
import { VerificationPage } from '../pages/verificationPage.js';
import { langOf } from '../pages/i18n.js';
import { pageUser } from './pages.js';

const PRIVATE = { 'Cache-Control': 'private, no-store', 'X-Robots-Tag': 'noindex, nofollow', Vary: 'Accept' };
const LOOKUP_MISS = { name: 'found', ok: false, message: { zh: '没有与此编号和姓名相符的证书', en: 'No certificate matches this number and name' } };
const methodName = (m: string) => ACQUISITION_METHOD_NAMES[m as AcquisitionMethod] ?? m;

const page = createRoute({
  method: 'get',
  path: '/v/{number}',
  summary: '扫码核验 / Verify a certificate (QR landing; HTML, or JSON with Accept: application/json)',
  request: { params: NumberParam, query: z.object({ s: z.string().max(64).optional().openapi({ description: 'link proof from the QR code' }) }) },
  responses: {
    200: { content: { 'application/json': { schema: VerificationSchema }, 'text/html': { schema: z.string() } }, description: 'status valid or revoked' },
    404: { content: { 'application/json': { schema: VerificationSchema } }, description: 'status not_found' },
  },
});

const photo = createRoute({
  method: 'get',
  path: '/v/{number}/photo',
  summary: '持证人照片（需二维码凭证）/ Holder photo (QR link proof required)',
  request: { params: NumberParam, query: z.object({ s: z.string().max(64) }) },
  responses: { 200: { description: 'JPEG or PNG' }, 404: { content: { 'application/problem+json': { schema: ProblemSchema } }, description: 'no photo or wrong proof' } },
});

const token = createRoute({
  method: 'get',
  path: '/v/{number}/token',
  summary: '证书签名令牌（需二维码凭证）/ The signed token behind a QR link, for offline checking',
  request: { params: NumberParam, query: z.object({ s: z.string().max(64) }) },
  responses: { 200: { content: { 'application/jose': { schema: z.string() } }, description: 'compact JWS' }, 404: { content: { 'application/problem+json': { schema: ProblemSchema } }, description: 'wrong proof' } },
});

const lookup = createRoute({
  method: 'post',
  path: '/api/v1/lookup',
  summary: '按编号和姓名核验 / Verify by number and holder name (rate limited per client)',
  request: { body: { content: { 'application/json': { schema: LookupRequestSchema } }, required: true } },
  responses: {
    200: { content: { 'application/json': { schema: VerificationSchema } }, description: 'the same answer as the QR page' },
    404: { content: { 'application/json': { schema: VerificationSchema } }, description: 'no certificate with this number and name' },
    429: { content: { 'application/problem+json': { schema: ProblemSchema } }, description: 'too many lookups (Retry-After)' },
  },
});

/**
 * What a caller may learn. The certificate's facts go only to someone who shows they hold it: the QR link
 * proof, or (in the lookup) the holder's name. A bare or wrong link learns the status alone, so a number
 * does not tell who holds it.
 */
function disclose(v: Verification, entitled: boolean): Verification {
  if (entitled || !v.certificate) return v;
  const { certificate: _hidden, ...rest } = v;
  return rest;
}

function toJson(v: Verification, number: string | undefined, proof: string | undefined) {
  return {
    status: v.status,
    statusText: STATUS_MESSAGES[v.status],
    checks: v.checks,
    ...(v.certificate ? { certificate: v.certificate } : {}),
    ...(v.proofPresented && proof && number ? { photoUrl: `/v/${number}/photo?s=${encodeURIComponent(proof)}` } : {}),
  };
}

function wantsJson(c: Context): boolean {
  const accept = (c.req.header('Accept') ?? '').toLowerCase();
  return accept.includes('application/json') && !accept.includes('text/html');
}

export function verificationRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const limit = deps.lookupLimit ?? { burst: 10, refillSeconds: 6 };
  // Typed links (no proof) are lookups by number: limited per client like the lookup itself.
  const typedLinks = rateLimit(limit, (c) => deps.clientAddress(c));
  app.use('/v/:number', async (c, next) => (c.req.query('s') ? next() : typedLinks(c, next)));

  app.openapi(page, async (c) => {
    const { number } = c.req.valid('param');
    const { s } = c.req.valid('query');
    const full = await verifyCertificate(deps, number, s, methodName);
    const shown = disclose(full, full.proofPresented);
    const status = full.status === 'not_found' ? 404 : 200;
    const canonical = normaliseCertificateNumber(number);
    if (wantsJson(c)) return c.json(toJson(shown, canonical, s), status, PRIVATE);
    const photoUrl = shown.proofPresented && s && canonical ? `/v/${canonical}/photo?s=${encodeURIComponent(s)}` : undefined;
    const session = c.get('session');
    return c.html(
      <VerificationPage
        verification={shown}
        number={canonical ?? number.slice(0, 40)}
        photoUrl={photoUrl}
        publicUrl={deps.publicUrl}
        lang={langOf(c)}
        path={c.req.path + (s ? `?s=${encodeURIComponent(s)}` : '')}
        user={session ? pageUser(session.actor) : undefined}
        csrf={session?.csrf}
      />,
      status,
      PRIVATE,
    ) as never;
  });

  app.openapi(photo, async (c) => {
    const photo = await holderPhoto(deps, c.req.valid('param').number, c.req.valid('query').s);
    if (!photo) return problemResponse(c, problemOf('not_found', { zh: '没有可显示的照片', en: 'No photo to show' })) as never;
    return c.body(photo.bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': photo.type, ...PRIVATE });
  });

  app.openapi(token, async (c) => {
    const number = normaliseCertificateNumber(c.req.valid('param').number);
    const certificate = number ? await deps.certificates.findByNumber(number) : undefined;
    if (!certificate || !timingSafeEqual(c.req.valid('query').s, certificate.linkProof)) {
      return problemResponse(c, problemOf('not_found', { zh: '链接凭证不符或证书不存在', en: 'Wrong link proof or no such certificate' })) as never;
    }
    return c.body(certificate.token, 200, { 'Content-Type': 'application/jose', ...PRIVATE });
  });

  app.use('/api/v1/lookup', rateLimit(limit, (c) => deps.clientAddress(c)));
  app.openapi(lookup, async (c) => {
    const { number, name } = c.req.valid('json');
    const v = await verifyCertificate(deps, number, undefined, methodName);
    // A wrong name is answered exactly like an unknown number: the lookup must not confirm who holds a number.
    if (!v.certificate || v.certificate.holder.name !== name) {
      const none: Verification = { status: 'not_found', checks: [LOOKUP_MISS], proofPresented: false };
      return c.json(toJson(none, number, undefined), 404, PRIVATE);
    }
    return c.json(toJson(v, number, undefined), 200, PRIVATE);
  });
}
