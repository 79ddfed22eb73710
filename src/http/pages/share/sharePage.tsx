/**
 * @module http/pages/share/sharePage
 * What a share link adds to the verification page (issue 17 item 2): the holder's purpose and until when
 * the link may be opened — in a box of its own, worded as the link's validity and never as the
 * certificate's, so an expired link is not read as an expired certificate. An ended or expired link shows
 * only that, and what to do.
 */
import type { FC } from 'hono/jsx';
import { chinaMinute, formatChinaTime } from '../../../domain/chineseDate.js';
import { t, type Lang, type Text } from '../i18n.js';

/** `2026年12月8日 08:00（北京时间）`, or `2026-12-08 08:00 (China time, UTC+8)`. */
export function linkTime(lang: Lang, instant: string): string {
  return lang === 'zh' ? `${formatChinaTime(instant, 'zh')}（北京时间）` : `${chinaMinute(instant)} (China time, UTC+8)`;
}

/** The live link: whose, for what, until when — and that this is the link's validity, not the certificate's. */
export const ShareNotice: FC<{ lang: Lang; purpose: string; expiresAt: string }> = ({ lang, purpose, expiresAt }) => (
  <section class="share" aria-labelledby="share">
    <h2 id="share">{t(lang, { zh: '持证人分享的链接', en: 'A link shared by the holder' })}</h2>
    <dl>
      <dt>{t(lang, { zh: '分享用途', en: 'Shared for' })}</dt>
      <dd class="purpose">{purpose}</dd>
      <dt>{t(lang, { zh: '链接有效期至', en: 'Link valid until' })}</dt>
      <dd class="link-expiry">{linkTime(lang, expiresAt)}</dd>
    </dl>
    <p class="share-note">
      {t(lang, {
        zh: '链接有效期只说明持证人允许您查看到何时，与证书本身是否有效无关；证书是否有效，以下方核验结果为准。',
        en: 'The link’s validity only says until when the holder lets you look; it says nothing about the certificate itself, whose status is the verdict below.',
      })}
    </p>
  </section>
);

const OVER: Record<'ended' | 'expired' | 'unknown', { title: Text; sentence: Text }> = {
  ended: {
    title: { zh: '此分享链接已被持证人终止', en: 'The holder has ended this share link' },
    sentence: {
      zh: '持证人已终止此链接，因此这里不再显示证书信息。这只说明链接不能再用，不说明证书本身无效或已撤销。如仍需核验，请向持证人索取新的链接，或扫描证书上的二维码。',
      en: 'The holder has ended this link, so it no longer shows the certificate. That says nothing about the certificate itself: it is neither invalid nor revoked because of this. To check it, ask the holder for a new link or scan the QR code on the certificate.',
    },
  },
  expired: {
    title: { zh: '此分享链接已过期', en: 'This share link has expired' },
    sentence: {
      zh: '此链接的有效期已过，因此这里不再显示证书信息。过期的是链接，不是证书：这不说明证书本身无效或已撤销。如仍需核验，请向持证人索取新的链接，或扫描证书上的二维码。',
      en: 'This link’s time is over, so it no longer shows the certificate. It is the link that expired, not the certificate: this says nothing about whether the certificate is valid. To check it, ask the holder for a new link or scan the QR code on the certificate.',
    },
  },
  unknown: {
    title: { zh: '没有这个分享链接', en: 'No such share link' },
    sentence: {
      zh: '此链接不是有效的分享链接，可能复制不完整。请向持证人核对链接，或扫描证书上的二维码核验。',
      en: 'This is not a share link we know; it may have been copied incompletely. Check the link with the holder, or scan the QR code on the certificate.',
    },
  },
};

export const shareOverTitle = (state: keyof typeof OVER): Text => OVER[state].title;
export const shareOverMessage = (state: keyof typeof OVER): Text => OVER[state].sentence;

/** An ended, expired or unknown link: the words and what to do, no facts. */
export const ShareOver: FC<{ lang: Lang; state: keyof typeof OVER; expiresAt?: string | undefined; endedAt?: string | undefined }> = ({ lang, state, expiresAt, endedAt }) => (
  <section class="share over" role="status" aria-labelledby="share-over">
    <h1 id="share-over">{t(lang, OVER[state].title)}</h1>
    <p>{t(lang, OVER[state].sentence)}</p>
    {endedAt ? (
      <p>
        {t(lang, { zh: '终止时间：', en: 'Ended: ' })}
        {linkTime(lang, endedAt)}
      </p>
    ) : expiresAt ? (
      <p>
        {t(lang, { zh: '链接有效期至：', en: 'Link was valid until: ' })}
        {linkTime(lang, expiresAt)}
      </p>
    ) : null}
    <p>
      <a href="/verify">{t(lang, { zh: '按证书编号和持证人姓名查询', en: "Look up by number and the holder's name" })}</a>
    </p>
  </section>
);
