/**
 * @module http/pages/holder/holderPage
 * The holder's console page `/console/my` (issue 17 items 1, 2, 5): their certificates with status, PDF,
 * VC and QR link; a form to share one (purpose and days); their share links with until when each opens,
 * ending one or all at once; and their cases; and who verified them (item 4), newest first, a page at a time.
 * Phone first: tables turn into cards.
 */
import type { FC } from 'hono/jsx';
import { chinaDate } from '../../../domain/chineseDate.js';
import { formatCertificateNumber } from '../../../domain/certificateNumber.js';
import { MAX_ACTIVE_SHARES, MAX_PURPOSE_CHARS, MAX_SHARE_DAYS, MIN_SHARE_DAYS, SHARE_STATE_NAMES } from '../../../domain/shareLink.js';
import type { ApplicationStatus } from '../../../domain/workflow.js';
import type { HolderCase, HolderCertificate } from '../../../services/holderCertificates.js';
import type { HolderShare } from '../../../services/holderShares.js';
import type { HolderVerification } from '../../../services/verificationSightings.js';
import { CardTable, day, DoneNotice, StatusBadge } from '../cases/caseCommon.js';
import { t, type Lang, type Text } from '../i18n.js';
import { Errors } from '../layout.js';
import { linkTime } from '../share/sharePage.js';

const CERTIFICATE_STATUS: Record<'valid' | 'revoked' | 'superseded' | 'cancelled', Text> = {
  valid: { zh: '有效', en: 'Valid' },
  revoked: { zh: '已撤销', en: 'Revoked' },
  superseded: { zh: '已变更（已更正为新版本）', en: 'Superseded (corrected by a new version)' }, // issue 19 item 2
  cancelled: { zh: '已注销', en: 'Cancelled' }, // issue 19 item 3
};

export interface HolderPageProps {
  lang: Lang;
  csrf: string;
  holderName: string;
  certificates: HolderCertificate[];
  cases: HolderCase[];
  shares: HolderShare[];
  /** Who verified me (issue 17 item 4): this page of them, and the cursor of the older ones. */
  verifications: { items: HolderVerification[]; next?: string | undefined; older: boolean };
  /** May the person open their cases' pages (an applicant may). */
  caseLinks: boolean;
  errors: Text[];
  notice?: Text | undefined;
  /** A link just made: its URL is shown this once. */
  created?: { url: string; expiresAt: string } | undefined;
  /** What was typed into the share form, kept after a refusal. */
  typed?: { certificateNumber: string; purpose: string; days: string; idNumber?: boolean } | undefined;
}

export const HolderPage: FC<HolderPageProps> = (p) => {
  const { lang } = p;
  const live = p.shares.filter((s) => s.state === 'active');
  return (
    <>
      <h1>
        {t(lang, { zh: '我的证书', en: 'My certificates' })} · {p.holderName}
      </h1>
      <Errors lang={lang} errors={p.errors} />
      <DoneNotice lang={lang} text={p.notice} />
      {p.created ? (
        <section class="share" aria-labelledby="created">
          <h2 id="created">{t(lang, { zh: '分享链接已生成', en: 'Share link made' })}</h2>
          <p>{t(lang, { zh: '请现在复制此链接发给查验方；离开本页后无法再次查看。', en: 'Copy this link for the verifier now: it cannot be shown again once you leave this page.' })}</p>
          <p>
            <input class="share-url" readonly value={p.created.url} aria-label={t(lang, { zh: '分享链接', en: 'Share link' })} />
          </p>
          <p>
            {t(lang, { zh: '链接有效期至：', en: 'Link valid until: ' })}
            {linkTime(lang, p.created.expiresAt)}
          </p>
        </section>
      ) : null}
      <section aria-labelledby="certs">
        <h2 id="certs">{t(lang, { zh: '证书', en: 'Certificates' })}</h2>
        {p.certificates.length === 0 ? (
          <p>{t(lang, { zh: '暂无以您的身份证件号码签发的证书。', en: 'No certificate bears your ID number yet.' })}</p>
        ) : (
          <CardTable
            lang={lang}
            caption={{ zh: '我的证书', en: 'My certificates' }}
            columns={[
              { zh: '证书编号', en: 'Number' },
              { zh: '职称', en: 'Title' },
              { zh: '发证机构', en: 'Issued by' },
              { zh: '签发日期', en: 'Issued' },
              { zh: '证书状态', en: 'Status' },
              { zh: '下载与核验', en: 'Files' },
            ]}
            rows={p.certificates.map((c) => [
              formatCertificateNumber(c.number),
              `${c.titleName}（${t(lang, c.levelName)}）`,
              c.authorityName,
              day(lang, chinaDate(new Date(c.issuedAt))),
              <span class={`badge cert-${c.status}`}>{t(lang, CERTIFICATE_STATUS[c.status])}</span>,
              <span class="links">
                <a href={c.pdfUrl}>PDF</a> · <a href={c.credentialUrl}>{t(lang, { zh: '可验证凭证（VC）', en: 'Verifiable credential (VC)' })}</a> ·{' '}
                <a href={c.verifyUrl}>{t(lang, { zh: '核验页', en: 'Verification page' })}</a> ·{' '}
                {/* Issue 17 item 3: the SD-JWT VC, the full ID number only in the second (四(四)). */}
                <a href={`/console/my/sd-jwt/${encodeURIComponent(c.number)}`}>{t(lang, { zh: '可选择披露的凭证', en: 'Selective-disclosure credential' })}</a>
                {' '}(<a href={`/console/my/sd-jwt/${encodeURIComponent(c.number)}?idNumber=yes`}>{t(lang, { zh: '含完整证件号码', en: 'with the full ID number' })}</a>)
              </span>,
            ])}
          />
        )}
      </section>
      {p.certificates.length > 0 ? <ShareForm {...p} /> : null}
      <section aria-labelledby="shares">
        <h2 id="shares">{t(lang, { zh: '我的分享链接', en: 'My share links' })}</h2>
        {p.shares.length === 0 ? (
          <p>{t(lang, { zh: '还没有分享链接。', en: 'No share links yet.' })}</p>
        ) : (
          <CardTable
            lang={lang}
            caption={{ zh: '我的分享链接', en: 'My share links' }}
            columns={[
              { zh: '证书编号', en: 'Certificate' },
              { zh: '用途', en: 'Purpose' },
              { zh: '链接有效期至', en: 'Link valid until' },
              { zh: '链接状态', en: 'Link state' },
              { zh: '操作', en: 'Action' },
            ]}
            rows={p.shares.map((s) => [
              formatCertificateNumber(s.certificateNumber),
              s.disclose.idNumber ? `${s.purpose}（${t(lang, { zh: '显示完整证件号码', en: 'shows the full ID number' })}）` : s.purpose,
              linkTime(lang, s.expiresAt),
              t(lang, SHARE_STATE_NAMES[s.state]),
              s.state === 'active' ? (
                <form method="post" action={`/console/my/shares/${encodeURIComponent(s.id)}/end`}>
                  <input type="hidden" name="_csrf" value={p.csrf} />
                  <button type="submit">{t(lang, { zh: '立即终止', en: 'End now' })}</button>
                </form>
              ) : (
                '—'
              ),
            ])}
          />
        )}
        {live.length > 0 ? (
          <form method="post" action="/console/my/shares/end-all" class="actions">
            <input type="hidden" name="_csrf" value={p.csrf} />
            <button type="submit" class="danger">
              {t(lang, { zh: `一键终止全部分享链接（${live.length} 个）`, en: `End all my share links (${live.length})` })}
            </button>
          </form>
        ) : null}
      </section>
      <Verifications {...p} />
      <section aria-labelledby="cases">
        <h2 id="cases">{t(lang, { zh: '我的申请', en: 'My applications' })}</h2>
        {p.cases.length === 0 ? (
          <p>{t(lang, { zh: '没有职称重新确认申请。', en: 'No reconfirmation applications.' })}</p>
        ) : (
          <CardTable
            lang={lang}
            caption={{ zh: '我的申请', en: 'My applications' }}
            columns={[
              { zh: '申请编号', en: 'Application' },
              { zh: '级别', en: 'Level' },
              { zh: '状态', en: 'Status' },
              { zh: '更新日期', en: 'Updated' },
            ]}
            rows={p.cases.map((k) => [
              p.caseLinks ? <a href={`/console/cases/${k.id}`}>{k.id}</a> : k.id,
              t(lang, k.levelName),
              <StatusBadge lang={lang} status={k.status as ApplicationStatus} />,
              day(lang, chinaDate(new Date(k.updatedAt))),
            ])}
          />
        )}
      </section>
    </>
  );
};

/** Share one certificate: which, for what, how many days. */
const ShareForm: FC<HolderPageProps> = ({ lang, csrf, certificates, typed }) => (
  <section aria-labelledby="share-new">
    <h2 id="share-new">{t(lang, { zh: '分享证书（加注用途和有效期）', en: 'Share a certificate (with a purpose and an expiry)' })}</h2>
    <p class="hint">
      {t(lang, {
        zh: `查验方打开链接即可看到证书信息、用途和链接有效期，身份证号码隐去部分数字。每个证书最多同时有 ${MAX_ACTIVE_SHARES} 个有效链接，每个最长 ${MAX_SHARE_DAYS} 天。`,
        en: `Whoever opens the link sees the certificate, the purpose and until when the link opens; the ID number is partly hidden. At most ${MAX_ACTIVE_SHARES} live links per certificate, each for up to ${MAX_SHARE_DAYS} days.`,
      })}
    </p>
    <form class="stack" method="post" action="/console/my/shares">
      <input type="hidden" name="_csrf" value={csrf} />
      <label>
        {t(lang, { zh: '证书', en: 'Certificate' })}
        <select name="certificateNumber" required>
          {certificates.map((c) => (
            <option value={c.number} selected={typed?.certificateNumber === c.number}>
              {`${formatCertificateNumber(c.number)} ${c.titleName}`}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t(lang, { zh: '用途', en: 'Purpose' })}
        <span class="hint">{t(lang, { zh: '如：应聘某单位工程师岗位', en: 'e.g. applying for an engineer post' })}</span>
        <input name="purpose" required maxlength={MAX_PURPOSE_CHARS} value={typed?.purpose ?? ''} />
      </label>
      <label>
        {t(lang, { zh: '有效天数', en: 'Days valid' })}
        <span class="hint">{t(lang, { zh: `${MIN_SHARE_DAYS}—${MAX_SHARE_DAYS} 天`, en: `${MIN_SHARE_DAYS}–${MAX_SHARE_DAYS} days` })}</span>
        <input name="days" type="number" inputmode="numeric" required min={MIN_SHARE_DAYS} max={MAX_SHARE_DAYS} value={typed?.days ?? '30'} />
      </label>
      {/* Issue 17 item 3 (selective disclosure): the full ID number only when ticked; masked by default (四(四)). */}
      <label>
        <input type="checkbox" name="discloseIdNumber" value="yes" checked={typed?.idNumber === true} />
        {t(lang, { zh: '向查验方显示完整的身份证件号码（不勾选则隐去部分数字）', en: 'Show the full ID number to whoever opens the link (otherwise partly hidden)' })}
      </label>
      <div class="actions">
        <button type="submit">{t(lang, { zh: '生成分享链接', en: 'Make the link' })}</button>
      </div>
    </form>
  </section>
);

/** Who verified me (issue 17 item 4): when, how, for what, by which office — never where from. */
const Verifications: FC<HolderPageProps> = ({ lang, verifications }) => (
  <section aria-labelledby="seen">
    <h2 id="seen">{t(lang, { zh: '谁核验了我的证书', en: 'Who verified my certificates' })}</h2>
    <p class="hint">
      {t(lang, {
        zh: '每次有人扫描证书二维码、打开您的分享链接、按编号和姓名查到您的证书，或单位为您填写核实记录，都会列在这里（最新的在前，北京时间）。只有已登录的单位工作人员才显示单位名称；不记录查验人的网络地址。',
        en: 'Each time someone scans your QR code, opens your share link, finds your certificate by number and name, or an office records a title verification of you, it is listed here (newest first, China time). An organisation is named only when a signed-in staff member checked; no one’s network address is kept.',
      })}
    </p>
    {verifications.items.length === 0 ? (
      <p>{t(lang, verifications.older ? { zh: '没有更早的核验了。', en: 'No earlier verifications.' } : { zh: '还没有人核验过您的证书。', en: 'Nobody has verified your certificates yet.' })}</p>
    ) : (
      <CardTable
        lang={lang}
        caption={{ zh: '核验记录', en: 'Verifications' }}
        columns={[
          { zh: '时间', en: 'When' },
          { zh: '方式', en: 'How' },
          { zh: '用途', en: 'Purpose' },
          { zh: '核验单位', en: 'Organisation' },
          { zh: '证书编号', en: 'Certificate' },
        ]}
        rows={verifications.items.map((v) => [
          linkTime(lang, v.at),
          t(lang, v.channelName),
          v.purpose ?? '—',
          v.verifierOrganisation?.name ?? t(lang, { zh: '未登录的查验人', en: 'Not signed in' }),
          v.certificateNumber ? formatCertificateNumber(v.certificateNumber) : t(lang, { zh: '（按身份证件号码核实）', en: '(by your ID number)' }),
        ])}
      />
    )}
    <p class="actions">
      {verifications.older ? <a href="/console/my#seen">{t(lang, { zh: '最新的核验', en: 'Newest verifications' })}</a> : null}
      {verifications.older && verifications.next ? ' · ' : null}
      {verifications.next ? <a href={`/console/my?before=${encodeURIComponent(verifications.next)}#seen`}>{t(lang, { zh: '更早的核验', en: 'Earlier verifications' })}</a> : null}
    </p>
  </section>
);
