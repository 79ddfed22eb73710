/**
 * @module http/pages/verify/verificationPage
 * The employer's pages: the QR landing `/v/{number}` and the lookup `/verify`, for a phone. A verdict is
 * shown only when the visitor proved they hold the certificate (the QR proof, or number and name); it comes
 * first, impossible to misread (colour, icon and words), with when the check ran (for the screenshot they
 * keep), one sentence on what it means and what to do next, the certificate's facts, the issuing office, and
 * the technical checks folded away. Without a proof the page is the lookup form. One language per page;
 * the ID number is always masked; the photo appears only with the QR proof, and only if there is one.
 */
import type { Child, FC } from 'hono/jsx';
import { chinaMinute, formatChinaDate, formatChinaTime } from '../../../domain/chineseDate.js';
import { formatCertificateNumber, normaliseCertificateNumber } from '../../../domain/certificateNumber.js';
import { ACQUISITION_METHOD_LABELS, ACQUISITION_METHOD_NAMES, GENDER_LABELS, type AcquisitionMethod, type Gender } from '../../../domain/certificate.js';
import { CERTIFICATE_FIELD_LABELS as LABEL } from '../../../domain/labels.js';
import { LEVEL_NAMES } from '../../../domain/levels.js';
import type { OrganisationContact } from '../../../domain/organisationContact.js';
import { DEMO_NOTICE, STATUS_MESSAGES, type PublicCertificate, type Verification } from '../../../services/verifyCertificate.js';
import { t, type Lang, type Text } from '../i18n.js';
import { Errors, Layout, type PageUser } from '../layout.js';

const ICONS = { valid: '✓', revoked: '✗', superseded: '↻', cancelled: '✗', invalid: '⚠', not_found: '?', proof_required: '?', number_invalid: '?' } as const;

/** The number as printed (`26K7-Q2M9-XHT`), or what was typed, shortened and without control characters. */
export function shownNumber(typed: string): string {
  const canonical = normaliseCertificateNumber(typed);
  return canonical ? formatCertificateNumber(canonical) : typed.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '').slice(0, 40);
}

/** An instant in China time: `2026年3月19日 07:30（北京时间）`, or `2026-03-19 07:30 (China time, UTC+8)`. */
function chinaTime(lang: Lang, instant: Date | string): string {
  return lang === 'zh' ? `${formatChinaTime(instant, 'zh')}（北京时间）` : `${chinaMinute(instant)} (China time, UTC+8)`;
}

export interface LookupFormValues {
  number: string;
  name: string;
}

export interface VerificationPageProps {
  lang: Lang;
  /** Where the page is, for the language switch to come back to. */
  path: string;
  user?: PageUser | undefined;
  csrf: string;
  publicUrl: string;
  /** The service runs on the demo root: every page says so. */
  demo: boolean;
  /** The lookup form, with what was typed, the mistakes in words and a sentence above it. */
  form?: { values: LookupFormValues; errors: Text[]; intro?: Text | undefined } | undefined;
  /** A verdict, for someone who showed they hold the certificate (or a wrong proof, or no match). */
  result?: { verification: Verification; number: string; photoUrl?: string | undefined } | undefined;
  /** What a share link adds above the verdict (issue 17: its purpose and expiry, or that it is over), and the page's title then. */
  share?: { notice: Child; title?: Text | undefined } | undefined;
}

/** The whole page: the demo banner, the lookup form and/or the verdict. */
export const VerificationPage: FC<VerificationPageProps> = (props) => {
  const { lang, result } = props;
  const title: Text = props.share?.title
    ? props.share.title
    : result
    ? { zh: `证书核验：${STATUS_MESSAGES[result.verification.status].zh}`, en: `Verification: ${STATUS_MESSAGES[result.verification.status].en}` }
    : { zh: '证书核验', en: 'Verify a certificate' };
  return (
    <Layout lang={lang} path={props.path} user={props.user} csrf={props.csrf} narrow title={title}>
      {props.demo ? (
        <p class="demo" role="note">
          {t(lang, DEMO_NOTICE)}
        </p>
      ) : null}
      {props.share ? props.share.notice : null}
      {props.form ? <LookupForm lang={lang} csrf={props.csrf} heading={!result} {...props.form} /> : null}
      {result ? <VerificationResult lang={lang} publicUrl={props.publicUrl} {...result} /> : null}
      <footer>{t(lang, { zh: '本页面不被搜索引擎收录，亦不在共享缓存中保存。', en: 'This page is not indexed by search engines or kept in shared caches.' })}</footer>
    </Layout>
  );
};

/** The lookup by number and holder's name (posts to /verify). */
const LookupForm: FC<{ lang: Lang; csrf: string; heading: boolean; values: LookupFormValues; errors: Text[]; intro?: Text | undefined }> = ({ lang, csrf, heading, values, errors, intro }) => (
  <section aria-labelledby="lookup">
    {heading ? <h1 id="lookup">{t(lang, { zh: '职称电子证书核验', en: 'Verify a title e-certificate' })}</h1> : <h2 id="lookup">{t(lang, { zh: '按编号和姓名查询', en: 'Look up by number and name' })}</h2>}
    <p>{t(lang, intro ?? { zh: '扫描证书上的二维码即可核验；也可输入证书编号和持证人姓名查询。', en: "Scan the certificate's QR code, or enter its number and the holder's name." })}</p>
    <Errors lang={lang} errors={errors} />
    <form class="stack" method="post" action="/verify">
      <input type="hidden" name="_csrf" value={csrf} />
      <label>
        {t(lang, LABEL.number)}
        <span class="hint">{t(lang, { zh: '11 位，如 26K7-Q2M9-XHT', en: '11 characters, e.g. 26K7-Q2M9-XHT' })}</span>
        <input name="number" required maxlength={40} value={values.number} autocomplete="off" />
      </label>
      <label>
        {t(lang, { zh: '持证人姓名', en: "Holder's name" })}
        <span class="hint">{t(lang, { zh: '与证书上完全一致', en: 'Exactly as on the certificate' })}</span>
        <input name="name" required maxlength={50} value={values.name} autocomplete="off" autofocus={Boolean(values.number) && !values.name} />
      </label>
      <div class="actions">
        <button type="submit">{t(lang, { zh: '查询', en: 'Look up' })}</button>
      </div>
    </form>
  </section>
);

/** The verdict: status, when it was checked, what to do, the facts, the issuing office, the technical details. */
const VerificationResult: FC<{ lang: Lang; publicUrl: string; verification: Verification; number: string; photoUrl?: string | undefined }> = ({ lang, publicUrl, verification: v, number, photoUrl }) => {
  const c = v.certificate;
  const canonical = normaliseCertificateNumber(number);
  return (
    <div>
      <div class={`status ${v.status}`} role="status">
        <span class="icon" aria-hidden="true">
          {ICONS[v.status]}
        </span>
        <div>
          <h1>{t(lang, STATUS_MESSAGES[v.status])}</h1>
          <p>
            {t(lang, LABEL.number)} {shownNumber(number)}
          </p>
          {c?.revocation ? (
            <p>
              {t(lang, { zh: '撤销日期：', en: 'Revoked on: ' })}
              {formatChinaDate(c.revocation.at, lang)}
              {t(lang, { zh: '；原因：', en: '; reason: ' })}
              {t(lang, c.revocation.reasonName)}
              {c.revocation.sealedBy
                ? t(lang, { zh: `；撤销决定由${c.revocation.sealedBy.name}加盖电子印章`, en: `; the revocation bears the electronic seal of ${c.revocation.sealedBy.name}` })
                : null}
            </p>
          ) : null}
          {c?.cancellation ? (
            <p>
              {t(lang, { zh: '注销日期：', en: 'Cancelled on: ' })}
              {formatChinaDate(c.cancellation.at, lang)}
              {t(lang, { zh: '；原因：', en: '; reason: ' })}
              {t(lang, c.cancellation.reasonName)}
            </p>
          ) : null}
          {c?.supersession ? (
            <p>
              {t(lang, { zh: '变更日期：', en: 'Superseded on: ' })}
              {formatChinaDate(c.supersession.at, lang)}
              {t(lang, { zh: `；决定机构：${c.supersession.by.name}`, en: `; decided by ${c.supersession.by.name}` })}
              {c.supersession.current ? t(lang, { zh: '；新版本证书编号：', en: "; new version's number: " }) : null}
              {c.supersession.current ? formatCertificateNumber(c.supersession.current.number) : null}
            </p>
          ) : null}
          <p class="checked">
            {t(lang, { zh: '核验时间：', en: 'Checked: ' })}
            {chinaTime(lang, v.checkedAt)}
          </p>
        </div>
      </div>
      <section aria-labelledby="meaning">
        <h2 id="meaning">{t(lang, { zh: '核验结论', en: 'What this means' })}</h2>
        <p>{t(lang, v.message)}</p>
        {c?.supersession?.current ? (
          <p>
            <a href={`/verify?number=${c.supersession.current.number}`}>{t(lang, { zh: '按新版本证书编号和持证人姓名查询', en: "Look up the new version by its number and the holder's name" })}</a>
          </p>
        ) : null}
        {v.proof === 'wrong' ? (
          <p>
            <a href={canonical ? `/verify?number=${canonical}` : '/verify'}>{t(lang, { zh: '按证书编号和持证人姓名查询', en: "Look up by number and the holder's name" })}</a>
          </p>
        ) : null}
      </section>
      {c ? <Facts lang={lang} certificate={c} photoUrl={photoUrl} demo={v.demo} /> : null}
      {c ? (
        <section aria-labelledby="office">
          <h2 id="office">{t(lang, { zh: '发证机构', en: 'Issuing office' })}</h2>
          <p>
            <strong>{c.authority.name}</strong>
            {t(lang, { zh: `（机构代码 ${c.authority.code}）`, en: ` (code ${c.authority.code})` })}
          </p>
          {c.authority.contact ? <OfficeContact lang={lang} contact={c.authority.contact} /> : null}
          <p>{t(lang, { zh: '对证书或核验结果有疑问的，请直接联系该机构。', en: 'If you are in doubt about the certificate or this answer, contact that office directly.' })}</p>
        </section>
      ) : null}
      {c ? <TechnicalDetails lang={lang} publicUrl={publicUrl} verification={v} certificate={c} /> : null}
    </div>
  );
};

/** The office's current contact (issue 12 A4): as its admin set it, not part of the signed certificate. */
const OfficeContact: FC<{ lang: Lang; contact: OrganisationContact }> = ({ lang, contact }) => (
  <dl class="contact">
    {contact.phone ? (
      <>
        <dt>{t(lang, { zh: '联系电话', en: 'Phone' })}</dt>
        <dd>
          <a href={`tel:${contact.phone.replace(/转.*$/u, '').replace(/[^0-9+]/g, '')}`}>{contact.phone}</a>
        </dd>
      </>
    ) : null}
    {contact.address ? (
      <>
        <dt>{t(lang, { zh: '联系地址', en: 'Address' })}</dt>
        <dd>{contact.address}</dd>
      </>
    ) : null}
  </dl>
);

const Facts: FC<{ lang: Lang; certificate: PublicCertificate; photoUrl?: string | undefined; demo: boolean }> = ({ lang, certificate: c, photoUrl, demo }) => {
  const method = (Object.keys(ACQUISITION_METHOD_NAMES) as AcquisitionMethod[]).find((m) => ACQUISITION_METHOD_NAMES[m] === c.original.method);
  const gender = GENDER_LABELS[c.holder.gender as Gender];
  const rows: [Text, string][] = [
    [LABEL['holder.name'], c.holder.name],
    [LABEL['holder.gender'], gender ? t(lang, gender) : c.holder.gender],
    [LABEL['holder.idNumber'], c.holder.idNumber ?? c.holder.idNumberMasked], // full only via a share link that discloses it (issue 17 item 3)
    [LABEL['title.name'], c.title.name],
    [LABEL['title.seriesName'], c.title.seriesName],
    [LABEL['title.level'], t(lang, LEVEL_NAMES[c.title.level] ?? { zh: c.title.levelName, en: c.title.levelName })],
    [LABEL['title.specialty'], c.title.specialty],
    [LABEL['original.acquiredOn'], formatChinaDate(c.original.acquiredOn, lang)],
    [LABEL['original.method'], method ? t(lang, ACQUISITION_METHOD_LABELS[method]) : c.original.method],
    [LABEL['original.evaluatingBody'], c.original.evaluatingBody],
    [LABEL['authority.name'], c.authority.name],
    [LABEL['decision.number'], c.decision.number],
    [LABEL.issuedAt, chinaTime(lang, c.issuedAt)],
  ];
  // 电子证照标识 (issue 19 item 1); certificates issued before it have none and show no row. The demo's type code is made up.
  if (c.identifier) rows.unshift([{ zh: '电子证照标识', en: 'E-licence identifier' }, `${c.identifier}${demo ? t(lang, { zh: '（演示）', en: ' (DEMO)' }) : ''}`]);
  return (
    <section aria-labelledby="facts">
      <h2 id="facts">{t(lang, { zh: '证书信息', en: 'Certificate' })}</h2>
      {photoUrl ? <img class="photo" src={photoUrl} alt={t(lang, { zh: `${c.holder.name}的照片`, en: `Photo of ${c.holder.name}` })} /> : null}
      <dl>
        {rows.map(([label, value]) => (
          <>
            <dt>{t(lang, label)}</dt>
            <dd>{value}</dd>
          </>
        ))}
      </dl>
    </section>
  );
};

/**
 * Why the certificate was issued (issue 13 item 6), as recorded by the authority, not signed: its
 * reconfirmation case, the authority's decision outside the workflow, or 未记录 for older certificates.
 */
function basisText(lang: Lang, basis: PublicCertificate['basis']): string {
  const kind = t(lang, basis.kindName);
  if (basis.kind === 'case') {
    const sealed = basis.sealedBy;
    const seal = sealed
      ? t(lang, { zh: `；确认决定由${sealed.name}加盖电子印章（${formatChinaDate(sealed.at, lang)}）`, en: `; the approval bears the electronic seal of ${sealed.name} (${formatChinaDate(sealed.at, lang)})` })
      : '';
    return t(lang, { zh: `${kind}（案件编号 ${basis.caseId ?? ''}）`, en: `${kind} (case ${basis.caseId ?? ''})` }) + seal;
  }
  if (basis.kind === 'decision') {
    const on = basis.decidedOn ? formatChinaDate(basis.decidedOn, lang) : '';
    return t(lang, { zh: `${kind}：${basis.decisionNumber ?? ''}（${on}）`, en: `${kind}: ${basis.decisionNumber ?? ''} (${on})` });
  }
  return kind;
}

/** Each check, the issuer's public identifier and how to verify offline — folded: for whoever wants them. */
const TechnicalDetails: FC<{ lang: Lang; publicUrl: string; verification: Verification; certificate: PublicCertificate }> = ({ lang, publicUrl, verification: v, certificate: c }) => (
  <section>
    <details class="tech">
      <summary>{t(lang, { zh: '技术细节', en: 'Technical details' })}</summary>
      <h2>{t(lang, { zh: '核验步骤', en: 'Checks' })}</h2>
      <ul class="checks">
        {v.checks.map((check) => (
          <li class={check.ok === true ? 'ok' : check.ok === false ? 'fail' : 'na'}>
            <span aria-hidden="true">{check.ok === true ? '✓ ' : check.ok === false ? '✗ ' : '– '}</span>
            {t(lang, check.message)}
          </li>
        ))}
      </ul>
      <h2>{t(lang, { zh: '签发依据', en: 'Basis of issuance' })}</h2>
      <p class="basis">{basisText(lang, c.basis)}</p>
      <p>
        {t(lang, { zh: '发证机构的公开标识（名称、可确认的职称级别、公钥）：', en: "The issuing office's public identifier (name, levels it may confirm, keys): " })}
        <a href={`${publicUrl}/authorities/${c.authority.code}`}>{`${publicUrl}/authorities/${c.authority.code}`}</a>
      </p>
      <h2>{t(lang, { zh: '离线核验', en: 'Verify offline' })}</h2>
      <p>
        {t(lang, {
          zh: '证书 PDF 带有发证机构的电子签名，并内嵌签名数据。下载根证书与公钥后，可不联网核验：',
          en: "The certificate PDF carries the issuing office's electronic signature and the signed data inside it. With the root certificate and the public keys it can be checked without a network:",
        })}{' '}
        <a href={`${publicUrl}/.well-known/ecert-root.pem`}>ecert-root.pem</a> · <a href={`${publicUrl}/.well-known/jwks.json`}>jwks.json</a>
      </p>
      <p>
        <code>{`npm run cli -- verify ${t(lang, { zh: '证书', en: 'certificate' })}.pdf --trust ecert-root.pem`}</code>
      </p>
    </details>
  </section>
);
