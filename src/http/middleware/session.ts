/**
 * @module http/middleware/session
 * The web pages' security: the Content-Security-Policy and friends on every response, the session cookie
 * (HttpOnly, SameSite=Strict, Secure everywhere but localhost), and CSRF protection on every form — the
 * session's own token for a signed-in person, a double-submit cookie for the sign-in and lookup forms,
 * and the Origin header checked whenever the browser sends it.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { base64url, randomBytes, timingSafeEqual } from '../../lib/bytes.js';
import { sessionOf } from '../../services/sessions.js';
import type { SessionRepository } from '../../services/webSessions.js';
import { serviceContext, type AppDeps, type AppEnv } from '../env.js';
import { readForm } from './formBody.js';

export const SESSION_COOKIE = 'ecert_session';
export const CSRF_COOKIE = 'ecert_csrf';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'self'",
  "script-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * Security headers for every response (pages and API alike; an API answer is never framed either). On Workers
 * (and in `app.request` tests) the app sets them ({@link securityHeaders}); on Node the server sets them on the
 * socket's response before the app runs (entry/nodeServer.ts), which is cheaper — see there.
 */
export const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ['Content-Security-Policy', CONTENT_SECURITY_POLICY],
  ['Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['X-Content-Type-Options', 'nosniff'],
  // Links out carry no referrer (the QR proof stays here); form posts keep their Origin for the CSRF check.
  ['Referrer-Policy', 'same-origin'],
  ['X-Frame-Options', 'DENY'],
];

/**
 * Sets the security headers BEFORE the handler runs, so every response built with `c.body`/`c.json`/
 * `c.html`/`c.text` carries them from the start and stays on @hono/node-server's lightweight path (body and
 * headers written straight to the socket). A `c.header()` after `await next()` makes Hono rebuild the
 * finished response as a full undici Response (ReadableStream, makeTransferable): profiled under autocannon,
 * that rebuild and the stream it is written from were ~27% of the server's CPU on /livez.
 * A response built without the context (an HTTPException's own response) lacks them: only that one gets
 * them afterwards, the slow way.
 */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  for (const [name, value] of SECURITY_HEADERS) c.header(name, value);
  await next();
  if (!c.res.headers.has('X-Frame-Options')) for (const [name, value] of SECURITY_HEADERS) c.header(name, value);
};

function isLocal(c: Context): boolean {
  const host = new URL(c.req.url).hostname;
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '::1';
}

/** Cookie attributes: the session never reaches a script, another site or (outside localhost) plain HTTP. */
export function cookieOptions(c: Context, maxAgeSeconds?: number) {
  return { httpOnly: true, sameSite: 'Strict' as const, secure: !isLocal(c), path: '/', ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}) };
}

/** Reads the session cookie and, when it names a live session, sets `session` (the person and the CSRF token). */
export function loadSession(deps: AppDeps, sessions: SessionRepository) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const id = getCookie(c, SESSION_COOKIE);
    if (id && id.length <= 100) {
      const found = await sessionOf(serviceContext(c, deps), sessions, id);
      if (found) {
        const g = found.grant;
        c.set('session', { actor: { orgCode: g.orgCode, role: g.role, tokenId: g.id, personId: g.personId, personName: g.personName }, csrf: found.csrf, id });
      } else {
        deleteCookie(c, SESSION_COOKIE, { path: '/' });
      }
    }
    await next();
  });
}

/** The CSRF token a form on this page must carry: the session's, or the double-submit cookie's (set if new). */
export function csrfFor(c: Context<AppEnv>): string {
  const session = c.get('session');
  if (session) return session.csrf;
  let token = c.get('csrf') ?? getCookie(c, CSRF_COOKIE);
  if (!token || !/^[A-Za-z0-9_-]{32}$/.test(token)) {
    token = base64url(randomBytes(24));
    setCookie(c, CSRF_COOKIE, token, cookieOptions(c));
  }
  c.set('csrf', token);
  return token;
}

/**
 * Refuses a form post whose `_csrf` is not this session's (or the double-submit cookie's) token, or whose
 * Origin is another site. `onRefused` renders the page's own answer.
 */
export function checkCsrf(onRefused: (c: Context<AppEnv>) => Response | Promise<Response>) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const origin = c.req.header('Origin');
    if (origin && origin !== new URL(c.req.url).origin) return onRefused(c);
    const body = await readForm(c);
    const given = typeof body._csrf === 'string' ? body._csrf : '';
    const session = c.get('session');
    const expected = session ? session.csrf : (getCookie(c, CSRF_COOKIE) ?? '');
    if (!given || !expected || !timingSafeEqual(given, expected)) return onRefused(c);
    await next();
  });
}
