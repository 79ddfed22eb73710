/**
 * @module http/pages/verify/verifyPages
 * The employer's pages as the QR landing (http/api/verification) and the lookup form (http/pages/verify/routes)
 * both answer them: the verdict or the form in the frame, 429 with Retry-After, private and noindex.
 */
import type { Context } from 'hono';
import { ACQUISITION_METHOD_NAMES, type AcquisitionMethod } from '../../../domain/certificate.js';
import type { AppDeps, AppEnv } from '../../env.js';
import { csrfFor } from '../../middleware/session.js';
import { chinaInstant } from '../../../domain/chineseDate.js';
import { DEMO_NOTICE, STATUS_MESSAGES, type Verification } from '../../../services/verifyCertificate.js';
import { VerificationPage, type LookupFormValues, type VerificationPageProps } from './verificationPage.js';
import { langOf, type Text } from '../i18n.js';
import { pageUser } from '../frame.js';
import { renderHtml } from '../renderHtml.js';

export const PRIVATE = { 'Cache-Control': 'private, no-store', 'X-Robots-Tag': 'noindex, nofollow', Vary: 'Accept' };
export const methodName = (m: string) => ACQUISITION_METHOD_NAMES[m as AcquisitionMethod] ?? m;
/** What a verdict answers with: a mistyped number is the caller's mistake, no match is not found. */
export const HTTP_STATUS = { valid: 200, revoked: 200, superseded: 200, cancelled: 200, invalid: 200, proof_required: 200, not_found: 404, number_invalid: 422 } as const;

const tooMany = (retryAfter: number): Text => ({ zh: `查询过于频繁，请 ${retryAfter} 秒后再试。`, en: `Too many lookups; please try again in ${retryAfter} seconds.` });

/** The employer's page renderers for this app. */
export function verifyPages(deps: AppDeps) {
  /** The employer's page in the frame, for whoever is signed in (or nobody). */
  const render = async (c: Context<AppEnv>, content: Pick<VerificationPageProps, 'form' | 'result' | 'share'>, status: 200 | 404 | 410 | 422 | 429, path = c.req.path) => {
    const session = c.get('session');
    const demo = content.result?.verification.demo ?? (await deps.trust()).isDemo;
    const csrf = content.form ? csrfFor(c) : (session?.csrf ?? ''); // a form's token (and its cookie) only where there is a form
    return c.html(
      renderHtml(
        <VerificationPage
          lang={langOf(c)}
          path={path}
          user={session ? pageUser(session.actor) : undefined}
          csrf={csrf}
          publicUrl={deps.publicUrl}
          demo={demo}
          {...content}
        />,
      ),
      status,
      PRIVATE,
    );
  };
  const formPage = (c: Context<AppEnv>, values: LookupFormValues, errors: Text[], status: 200 | 422 | 429 = 200, intro?: Text) =>
    render(c, { form: { values, errors, intro } }, status);
  const limitedPage = async (c: Context<AppEnv>, values: LookupFormValues, retryAfter: number) => {
    const res = await formPage(c, values, [tooMany(retryAfter)], 429);
    res.headers.set('Retry-After', String(retryAfter));
    return res;
  };
  return { render, formPage, limitedPage };
}

/** A verdict as JSON (the QR landing, the lookup, a share link). */
export function verificationJson(v: Verification, photoUrl: string | undefined) {
  return {
    status: v.status,
    statusText: STATUS_MESSAGES[v.status],
    message: v.message,
    checkedAt: chinaInstant(v.checkedAt),
    demo: v.demo,
    ...(v.demo ? { demoNotice: DEMO_NOTICE } : {}),
    checks: v.checks,
    ...(v.certificate ? { certificate: v.certificate } : {}),
    ...(photoUrl ? { photoUrl } : {}),
  };
}

/** JSON only for a client that asks for it and not for HTML: a browser always gets the page. */
/**
 * The verifier's organisation for the holder's list (issue 17 item 4): a signed-in staff member's, from the
 * console session on this page; nobody's for an anonymous verifier or a holder. Never an address or agent.
 */
export function verifierOrgCode(c: Context<AppEnv>): string | undefined {
  const actor = c.get('session')?.actor;
  return actor && actor.role !== 'holder' ? actor.orgCode : undefined;
}

export function wantsJson(c: Context): boolean {
  const accept = (c.req.header('Accept') ?? '').toLowerCase();
  return accept.includes('application/json') && !accept.includes('text/html');
}
