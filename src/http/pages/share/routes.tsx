/**
 * @module http/pages/share/routes
 * A holder's share link as the verifier opens it, `/s/{secret}` (issue 17 item 2): HTML for a phone, JSON
 * for `Accept: application/json`, like the QR landing. A live link shows the certificate as the QR link
 * does (without the photo), plus the purpose and until when the link may be opened; an ended or expired
 * link answers 410 in words with no facts; an unknown one 404. Every answer but a live link spends from
 * the app's one allowance for unproven requests.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { chinaInstant } from '../../../domain/chineseDate.js';
import { SHARE_STATE_NAMES } from '../../../domain/shareLink.js';
import { openShare } from '../../../services/holderShares.js';
import { serviceContext, type AppDeps, type AppEnv, type RateLimiter } from '../../env.js';
import { rateLimitedProblem } from '../../middleware/rateLimit.js';
import { problemOf, problemResponse } from '../../problem.js';
import { ProblemSchema, VerificationSchema } from '../../schemas.js';
import { langOf, t } from '../i18n.js';
import { HTTP_STATUS, methodName, PRIVATE, verificationJson, verifierOrgCode, verifyPages, wantsJson } from '../verify/verifyPages.js';
import { ShareNotice, ShareOver, shareOverMessage, shareOverTitle } from './sharePage.js';

const ShareSchema = z
  .object({
    purpose: z.string().openapi({ description: 'what the holder shared it for' }),
    expiresAt: z.string().openapi({ description: 'until when the LINK may be opened (China time, +08:00) — not the certificate’s validity' }),
    state: z.literal('active'),
    stateText: z.object({ zh: z.string(), en: z.string() }),
  })
  .openapi('ShareLink');
// One flat object (not allOf over the verdict's schema): the verdict's fields and the link's.
const SharedVerificationSchema = z.object({ ...VerificationSchema.shape, share: ShareSchema }).openapi('SharedVerification');

const html = { 'text/html': { schema: z.string() } };
const route = createRoute({
  method: 'get',
  path: '/s/{secret}',
  summary: '持证人分享链接 / A holder’s share link (HTML, or JSON with Accept: application/json)',
  operationId: 'openShareLink',
  security: [],
  request: { params: z.object({ secret: z.string().min(1).max(200).openapi({ param: { name: 'secret', in: 'path' }, description: 'the link’s secret, as the holder handed it out' }) }) },
  responses: {
    200: { content: { 'application/json': { schema: SharedVerificationSchema }, ...html }, description: 'a live link: the verdict and facts as for the QR link (no photo), with the purpose and the link’s expiry' },
    404: { content: { 'application/problem+json': { schema: ProblemSchema }, ...html }, description: 'no such link (not_found)' },
    410: { content: { 'application/problem+json': { schema: ProblemSchema }, ...html }, description: 'the holder ended the link, or it expired (gone, with state): no facts' },
    429: { content: { 'application/problem+json': { schema: ProblemSchema }, ...html }, description: 'too many requests without a live link from this client (rate_limited)' },
  },
});

export function sharePageRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps, unproven: RateLimiter): void {
  const { render } = verifyPages(deps);
  app.openapi(route, async (c) => {
    const lang = langOf(c);
    const json = wantsJson(c);
    const opened = await openShare(serviceContext(c, deps), c.req.valid('param').secret, methodName, { orgCode: verifierOrgCode(c) });
    if (opened.state === 'active') {
      const v = opened.verification;
      if (json) {
        const share = { purpose: opened.purpose, expiresAt: chinaInstant(opened.expiresAt), state: 'active' as const, stateText: SHARE_STATE_NAMES.active };
        return c.json({ ...verificationJson(v, undefined), share }, HTTP_STATUS[v.status as 'valid'], PRIVATE) as never;
      }
      const notice = <ShareNotice lang={lang} purpose={opened.purpose} expiresAt={opened.expiresAt} />;
      return (await render(c, { result: { verification: v, number: v.certificate?.number ?? '' }, share: { notice } }, 200)) as never;
    }
    const retryAfter = await unproven.take(c);
    if (retryAfter > 0) {
      if (json) return rateLimitedProblem(c, retryAfter) as never;
      const limited = { zh: `请求过于频繁，请 ${retryAfter} 秒后再试。`, en: `Too many requests; please try again in ${retryAfter} seconds.` };
      const res = await render(c, { share: { notice: <section class="share over" role="alert"><h1>{t(lang, limited)}</h1></section>, title: limited } }, 429);
      res.headers.set('Retry-After', String(retryAfter));
      return res as never;
    }
    const status = opened.state === 'unknown' ? 404 : 410;
    if (json) {
      const problem = problemOf(opened.state === 'unknown' ? 'not_found' : 'gone', shareOverMessage(opened.state), undefined, opened.state === 'unknown' ? undefined : { state: opened.state, stateText: SHARE_STATE_NAMES[opened.state] });
      return problemResponse(c, problem, PRIVATE) as never;
    }
    const notice = <ShareOver lang={lang} state={opened.state} expiresAt={'expiresAt' in opened ? opened.expiresAt : undefined} endedAt={'endedAt' in opened ? opened.endedAt : undefined} />;
    return (await render(c, { share: { notice, title: shareOverTitle(opened.state) } }, status)) as never;
  });
}
