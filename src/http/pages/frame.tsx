/**
 * @module http/pages/frame
 * The web pages' frame, shared by every area's page routes (verify, cases, records, admin, signIn): the
 * assets and the pages' middleware (`pageFrame`), `guard` for who may open a page, `render` for the frame
 * with the signed-in user, `messagePage`; `checkCsrf` (applied to every page POST) guards the forms.
 */
import type { Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { isRole, may, ROLE_NAMES, type Action, type Role } from '../../domain/roles.js';
import type { Actor } from '../../services/context.js';
import { sessionStore } from '../../services/webSessions.js';
import type { AppDeps, AppEnv } from '../env.js';
import { sameOriginPath } from '../redirectTarget.js';
import { checkCsrf, csrfFor, loadSession } from '../middleware/session.js';
import { APP_CSS, APP_JS } from './assets.js';
import { langOf, t, type Text } from './i18n.js';
import { Layout, type PageUser } from './layout.js';
import { limitBody } from '../middleware/bodyLimit.js';
import { renderHtml } from './renderHtml.js';

const PRIVATE = { 'Cache-Control': 'private, no-store', 'X-Robots-Tag': 'noindex, nofollow' };
/** The largest form a page accepts: a 5 MiB material or evidence file with its fields. */
export const MAX_PAGE_BODY_BYTES = 6 * 1024 * 1024;

export function pageUser(actor: Actor): PageUser {
  return { name: actor.personName, role: (isRole(actor.role) ? actor.role : 'applicant') as Role, orgCode: actor.orgCode };
}

/** Renders a page in the frame, for whoever is signed in (or nobody). */
export function render(c: Context<AppEnv>, title: Text, body: Child, options: { status?: number; narrow?: boolean } = {}) {
  const session = c.get('session');
  const html = (
    <Layout lang={langOf(c)} title={title} path={c.req.path} user={session ? pageUser(session.actor) : undefined} csrf={csrfFor(c)} narrow={options.narrow ?? false}>
      {body}
    </Layout>
  );
  return c.html(renderHtml(html), (options.status ?? 200) as 200, PRIVATE);
}

/** A message page (refused, not found …) in the frame. */
export function messagePage(c: Context<AppEnv>, status: number, title: Text, message: Text) {
  const lang = langOf(c);
  return render(
    c,
    title,
    <section>
      <h1>{t(lang, title)}</h1>
      <p>{t(lang, message)}</p>
      <p>
        <a href="/console">{t(lang, { zh: '返回工作台', en: 'Back to the console' })}</a>
      </p>
    </section>,
    { status, narrow: true },
  );
}

/**
 * The page's actor, or a redirect to sign in / a 403 page. `actions` are those of domain/roles.ts: the page
 * opens for a role given any of them.
 */
export async function guard(c: Context<AppEnv>, ...actions: Action[]): Promise<Actor | Response> {
  const session = c.get('session');
  if (!session) return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303);
  if (!actions.some((a) => may(session.actor.role, a))) {
    return await messagePage(c, 403, { zh: '无权访问', en: 'Not allowed' }, { zh: `您的角色（${ROLE_NAMES[session.actor.role as Role]?.zh ?? session.actor.role}）不能使用此页面。`, en: 'Your role may not use this page.' });
  }
  return session.actor;
}

/** A redirect target from the request: a plain same-origin path, else the console (http/redirectTarget.ts). */
export const safeNext = (next: unknown) => sameOriginPath(next) ?? '/console';

/** The pages' shared middleware (session, CSRF, body limit) and assets; app.ts mounts it before any page route. */
export function pageFrame(app: Hono<AppEnv>, deps: AppDeps): void {
  const sessions = sessionStore(deps);
  const refused = (c: Context<AppEnv>) =>
    messagePage(c, 403, { zh: '表单已失效', en: 'The form has expired' }, { zh: '表单校验失败（可能已过期或来自其他网站），请返回刷新页面后重新提交。', en: 'The form check failed (expired, or sent from another site); go back, reload the page and try again.' });

  app.get('/assets/app.css', (c) => c.body(APP_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=86400, immutable' }));
  app.get('/assets/app.js', (c) => c.body(APP_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=86400, immutable' }));

  // '/s/*': a staff member opening a share link is named to the holder by organisation (issue 17 item 4).
  for (const prefix of ['/login', '/logout', '/verify', '/lang', '/console', '/console/*', '/v/*', '/s/*']) app.use(prefix, loadSession(deps, sessions));
  // The console's forms are for signed-in people only: anyone else goes to sign in before a byte of the body is read.
  for (const prefix of ['/console', '/console/*']) {
    app.use(prefix, async (c, next) => (c.req.method === 'POST' && !c.get('session') ? c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303) : next()));
  }
  const pageLimit = limitBody(MAX_PAGE_BODY_BYTES, (c) => messagePage(c as Context<AppEnv>, 413, { zh: '文件过大', en: 'Too large' }, { zh: '提交的内容超过 6 MiB，文件不能超过 5 MiB。', en: 'The form is over 6 MiB; a file may be 5 MiB at most.' }));
  for (const prefix of ['/login', '/logout', '/verify', '/console', '/console/*']) {
    app.use(prefix, pageLimit);
    app.use(prefix, checkCsrf(refused));
  }
}
