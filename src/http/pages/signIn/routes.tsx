/**
 * @module http/pages/signIn/routes
 * The language switch, sign-in and sign-out with the tokens the service already issues, and the console's
 * home. The frame (guard, render, the signed-in user) is http/pages/frame.
 */
import type { Context, Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { may } from '../../../domain/roles.js';
import { SESSION_HOURS, signIn, signOut } from '../../../services/sessions.js';
import { sessionStore } from '../../../services/webSessions.js';
import { serviceContext, type AppDeps, type AppEnv } from '../../env.js';
import { cookieOptions, csrfFor, SESSION_COOKIE } from '../../middleware/session.js';
import { LANG_COOKIE, langOf, t, type Text } from '../i18n.js';
import { Errors } from '../layout.js';
import { readForm } from '../../middleware/formBody.js';
import { guard, render, safeNext } from '../frame.js';
import { deskOf, type Desk } from '../../../services/desk.js';
import { actorAtOf, allows } from '../cases/caseRouteHelpers.js';
import { STEP_SLUGS } from '../cases/caseSteps.js';
import { DeskPage } from '../desk/deskPage.js';

export function signInPageRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const sessions = sessionStore(deps);
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
    const session = await signIn(serviceContext(c, deps), sessions, typeof form.token === 'string' ? form.token.trim() : '');
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
    if (c.get('session')?.actor.role === 'holder') return c.redirect('/console/my', 303); // a holder has only their own page (issue 17)
    const actor = await guard(c, 'application.read', 'verification_record.read', 'certificate.issue', 'person.manage', 'audit.read', 'statistics.read');
    if (actor instanceof Response) return actor;
    const lang = langOf(c);
    const links: { href: string; text: Text; show: boolean }[] = [
      { href: '/console/cases/new', text: { zh: '填报重新确认申请', en: 'Apply for reconfirmation' }, show: may(actor.role, 'application.create') },
      { href: '/console/cases', text: { zh: '申请与办理', en: 'Applications' }, show: may(actor.role, 'application.read') },
      { href: '/console/my', text: { zh: '我的证书与分享链接', en: 'My certificates and share links' }, show: actor.role === 'applicant' },
      { href: '/console/records/new', text: { zh: '登记核实情况', en: 'Record a verification' }, show: may(actor.role, 'verification_record.create') },
      { href: '/console/records', text: { zh: '核实记录', en: 'Verification records' }, show: may(actor.role, 'verification_record.read') },
      { href: '/console/admin', text: { zh: '机构、人员与工作日历', en: 'Organisations, people and calendar' }, show: may(actor.role, 'person.manage') },
      { href: '/console/statistics', text: { zh: '业务统计', en: 'Statistics' }, show: may(actor.role, 'statistics.read') },
    ];
    // What needs this person now (issue 18 item 6): for those who handle cases, with the case pages' own rule
    // for whether they may take a step.
    let desk: Desk | null = null;
    if (may(actor.role, 'application.read')) {
      const at = await actorAtOf(deps, actor);
      desk = await deskOf(serviceContext(c, deps), actor, (a) => Object.values(STEP_SLUGS).some((action) => allows(a, action, at)));
    }
    return render(
      c,
      { zh: '工作台', en: 'Console' },
      <section>
        <DeskPage lang={lang} personName={actor.personName} desk={desk} links={links.filter((l) => l.show)} />
      </section>,
    );
  });
}
