/**
 * @module http/routes/pages
 * The web pages' frame: assets, the language switch, sign-in and sign-out with the tokens the service
 * already issues, and the console's home (the employer's lookup form /verify is in routes/verification).
 * The consoles themselves (cases, 核实 records) add their pages through `pageRoutes`' helpers: `guard` for
 * who may open a page, `render` for the frame, `checkCsrf` (applied to every page POST) for the forms.
 */
import type { Context, Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { Child } from 'hono/jsx';
import { isRole, may, ROLE_NAMES, type Action, type Role } from '../../domain/roles.js';
import { SESSION_HOURS, signIn, signOut } from '../../services/sessions.js';
import type { Actor } from '../../services/context.js';
import { SessionRepository } from '../../storage/sessions.js';
import type { AppDeps, AppEnv } from '../env.js';
import { sameOriginPath } from '../redirectTarget.js';
import { checkCsrf, cookieOptions, csrfFor, loadSession, SESSION_COOKIE } from '../middleware/session.js';
import { APP_CSS, APP_JS } from '../pages/assets.js';
import { LANG_COOKIE, langOf, t, type Text } from '../pages/i18n.js';
import { Errors, Layout, type PageUser } from '../pages/layout.js';
import { readForm } from '../middleware/formBody.js';
import { limitBody } from '../middleware/bodyLimit.js';

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
  return c.html(html, (options.status ?? 200) as 200, PRIVATE);
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
const safeNext = (next: unknown) => sameOriginPath(next) ?? '/console';

export function pageRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const sessions = new SessionRepository(deps.db);
  const refused = (c: Context<AppEnv>) =>
    messagePage(c, 403, { zh: '表单已失效', en: 'The form has expired' }, { zh: '表单校验失败（可能已过期或来自其他网站），请返回刷新页面后重新提交。', en: 'The form check failed (expired, or sent from another site); go back, reload the page and try again.' });

  app.get('/assets/app.css', (c) => c.body(APP_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=86400, immutable' }));
  app.get('/assets/app.js', (c) => c.body(APP_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=86400, immutable' }));

  for (const prefix of ['/login', '/logout', '/verify', '/lang', '/console', '/console/*', '/v/*']) app.use(prefix, loadSession(deps, sessions));
  // The console's forms are for signed-in people only: anyone else goes to sign in before a byte of the body is read.
  for (const prefix of ['/console', '/console/*']) {
    app.use(prefix, async (c, next) => (c.req.method === 'POST' && !c.get('session') ? c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303) : next()));
  }
  const pageLimit = limitBody(MAX_PAGE_BODY_BYTES, (c) => messagePage(c as Context<AppEnv>, 413, { zh: '文件过大', en: 'Too large' }, { zh: '提交的内容超过 6 MiB，文件不能超过 5 MiB。', en: 'The form is over 6 MiB; a file may be 5 MiB at most.' }));
  for (const prefix of ['/login', '/logout', '/verify', '/console', '/console/*']) {
    app.use(prefix, pageLimit);
    app.use(prefix, checkCsrf(refused));
  }

  app.get('/lang', (c) => {
    setCookie(c, LANG_COOKIE, c.req.query('to') === 'en' ? 'en' : 'zh', { ...cookieOptions(c, 365 * 86400), httpOnly: false });
    return c.redirect(safeNext(c.req.query('back')), 303);
  });

  const loginPage = (c: Context<AppEnv>, errors: Text[], status = 200) => {
    const lang = langOf(c);
    return render(
      c,
      { zh: '工作人员登录', en: 'Staff sign-in' },
      <section>
        <h1>{t(lang, { zh: '工作人员登录', en: 'Staff sign-in' })}</h1>
        <Errors lang={lang} errors={errors} />
        <form class="stack" method="post" action="/login">
          <input type="hidden" name="_csrf" value={csrfFor(c)} />
          <input type="hidden" name="next" value={safeNext(c.req.query('next'))} />
          <label>
            {t(lang, { zh: '访问令牌', en: 'Access token' })}
            <span class="hint">{t(lang, { zh: '由管理员发放，以 ect_ 开头', en: 'Issued by your administrator; starts with ect_' })}</span>
            <input type="password" name="token" autocomplete="current-password" required minlength={20} maxlength={200} />
          </label>
          <div class="actions">
            <button type="submit">{t(lang, { zh: '登录', en: 'Sign in' })}</button>
          </div>
        </form>
      </section>,
      { status, narrow: true },
    );
  };

  app.get('/login', (c) => (c.get('session') ? c.redirect('/console', 303) : loginPage(c, [])));
  app.post('/login', async (c) => {
    const form = await readForm(c);
    const session = await signIn(deps, sessions, typeof form.token === 'string' ? form.token.trim() : '');
    if (!session) return loginPage(c, [{ zh: '令牌无效或已撤销', en: 'The token is unknown or revoked' }]);
    setCookie(c, SESSION_COOKIE, session.id, cookieOptions(c, SESSION_HOURS * 3600));
    return c.redirect(safeNext(form.next), 303);
  });
  app.post('/logout', async (c) => {
    const session = c.get('session');
    if (session) await signOut(sessions, session.id);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/login', 303);
  });

  app.get('/console', async (c) => {
    const actor = await guard(c, 'application.read', 'verification_record.read', 'certificate.issue', 'person.manage', 'audit.read');
    if (actor instanceof Response) return actor;
    const lang = langOf(c);
    const links: { href: string; text: Text; show: boolean }[] = [
      { href: '/console/cases/new', text: { zh: '填报重新确认申请', en: 'Apply for reconfirmation' }, show: may(actor.role, 'application.create') },
      { href: '/console/cases', text: { zh: '申请与办理', en: 'Applications' }, show: may(actor.role, 'application.read') },
      { href: '/console/records/new', text: { zh: '登记核实情况', en: 'Record a verification' }, show: may(actor.role, 'verification_record.create') },
      { href: '/console/records', text: { zh: '核实记录', en: 'Verification records' }, show: may(actor.role, 'verification_record.read') },
      { href: '/console/admin', text: { zh: '机构、人员与工作日历', en: 'Organisations, people and calendar' }, show: may(actor.role, 'person.manage') },
    ];
    return render(
      c,
      { zh: '工作台', en: 'Console' },
      <section>
        <h1>
          {t(lang, { zh: '工作台', en: 'Console' })} · {actor.personName}
        </h1>
        <ul>
          {links.filter((l) => l.show).map((l) => (
            <li>
              <a href={l.href}>{t(lang, l.text)}</a>
            </li>
          ))}
        </ul>
      </section>,
    );
  });
}
