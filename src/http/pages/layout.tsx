/**
 * @module http/pages/layout
 * The frame of every page: the site header (navigation for the signed-in role, the language switch, sign
 * out), a skip link, the page's main content and a footer. No inline style or script: the stylesheet and
 * the one small script come from /assets/ (see the Content-Security-Policy in http/middleware/session.ts).
 */
import type { Child, FC } from 'hono/jsx';
import { html } from 'hono/html';
import { may, ROLE_NAMES, type Role } from '../../domain/roles.js';
import { CSS_URL, JS_URL } from './assets.js';
import { t, type Lang, type Text } from './i18n.js';

export interface PageUser {
  name: string;
  role: Role;
  orgCode: string;
}

export interface LayoutProps {
  lang: Lang;
  title: Text;
  /** Where the page is, for the language switch to come back to. */
  path: string;
  user?: PageUser | undefined;
  csrf?: string | undefined;
  narrow?: boolean;
  children?: Child;
}

const NAV: { href: string; text: Text; show: (role: Role) => boolean }[] = [
  { href: '/console/cases', text: { zh: '重新确认申请', en: 'Applications' }, show: (r) => may(r, 'application.read') },
  { href: '/console/records', text: { zh: '核实记录', en: 'Verification records' }, show: (r) => may(r, 'verification_record.read') },
  { href: '/console/admin', text: { zh: '机构与人员', en: 'Administration' }, show: (r) => may(r, 'person.manage') },
];

/**
 * A page's `<head>`, written with hono/html (which escapes the title) rather than as JSX: hono/jsx renders
 * `<head>`, `<title>`, `<meta>`, `<link>` and `<script>` through a context it keeps in AsyncLocalStorage, which
 * on Node 20 slows every later request of the process (see pages/renderHtml.ts). `page: false` (the API docs)
 * leaves out what only the console's pages need: noindex and the script.
 */
export function pageHead(title: string, page = true) {
  return page
    ? html`<head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/><meta name="robots" content="noindex, nofollow"/><title>${title}</title><link rel="icon" href="data:,"/><link rel="stylesheet" href="${CSS_URL}"/><script src="${JS_URL}" defer=""></script></head>`
    : html`<head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/><title>${title}</title><link rel="stylesheet" href="${CSS_URL}"/></head>`;
}

export const Layout: FC<LayoutProps> = ({ lang, title, path, user, csrf, narrow, children }) => (
  <html lang={lang === 'en' ? 'en' : 'zh-CN'}>
    {pageHead(`${t(lang, title)} · ${t(lang, { zh: '职称电子证书', en: 'Title e-certificates' })}`)}
    <body>
      <a class="skip" href="#main">{t(lang, { zh: '跳到正文', en: 'Skip to content' })}</a>
      <header class="site">
        <a class="brand" href={user ? '/console' : '/verify'}>
          {t(lang, { zh: '职称电子证书', en: 'Title e-certificates' })}
        </a>
        <nav aria-label={t(lang, { zh: '主导航', en: 'Main' })}>
          <a href="/verify">{t(lang, { zh: '证书核验', en: 'Verify' })}</a>
          {user ? NAV.filter((n) => n.show(user.role)).map((n) => <a href={n.href}>{t(lang, n.text)}</a>) : null}
          <a href={`/lang?to=${lang === 'en' ? 'zh' : 'en'}&back=${encodeURIComponent(path)}`} lang={lang === 'en' ? 'zh-CN' : 'en'}>
            {lang === 'en' ? '中文' : 'English'}
          </a>
          {user ? (
            <form method="post" action="/logout">
              <input type="hidden" name="_csrf" value={csrf ?? ''} />
              <span>
                {user.name}（{t(lang, ROLE_NAMES[user.role])}，{user.orgCode}）
              </span>{' '}
              <button type="submit">{t(lang, { zh: '退出', en: 'Sign out' })}</button>
            </form>
          ) : (
            <a href="/login">{t(lang, { zh: '工作人员登录', en: 'Staff sign-in' })}</a>
          )}
        </nav>
      </header>
      <main id="main" class={narrow ? 'narrow' : undefined}>
        {children}
      </main>
    </body>
  </html>
);

/** A page's error list: what went wrong, in the page's language, announced to screen readers. */
export const Errors: FC<{ lang: Lang; errors: Text[] }> = ({ lang, errors }) =>
  errors.length === 0 ? null : (
    <div class="error" role="alert">
      <ul>
        {errors.map((e) => (
          <li>{t(lang, e)}</li>
        ))}
      </ul>
    </div>
  );
