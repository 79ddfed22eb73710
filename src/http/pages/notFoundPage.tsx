/**
 * @module http/pages/notFoundPage
 * What a browser sees for an address that does not exist: a page in the frame that says so in words and
 * leads back to the start, instead of a machine's error document.
 */
import type { FC } from 'hono/jsx';
import { t, type Lang } from './i18n.js';
import { Layout } from './layout.js';

const NotFoundPage: FC<{ lang: Lang; path: string }> = ({ lang, path }) => (
  <Layout lang={lang} path={path} narrow title={{ zh: '页面不存在', en: 'Page not found' }}>
    <section>
      <h1>{t(lang, { zh: '页面不存在', en: 'Page not found' })}</h1>
      <p>{t(lang, { zh: '没有这个页面，可能是地址输错了，或页面已经移走。', en: 'There is no page at this address; it may be mistyped, or the page has moved.' })}</p>
      <p>{t(lang, { zh: '核验证书请扫描证书上的二维码，或按证书编号和持证人姓名查询。', en: "To verify a certificate, scan its QR code or look it up by number and the holder's name." })}</p>
      <p>
        <a href="/verify">{t(lang, { zh: '返回首页（证书核验）', en: 'Back to the start (verify a certificate)' })}</a>
      </p>
    </section>
  </Layout>
);

/** @example app.notFound((c) => c.html(notFoundPage(langOf(c), c.req.path), 404)) */
export function notFoundPage(lang: Lang, path: string) {
  return <NotFoundPage lang={lang} path={path} />;
}
