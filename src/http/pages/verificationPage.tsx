/**
 * @module http/pages/verificationPage
 * The QR landing page for a phone: the status first, impossible to misread (colour, icon and words), then
 * the certificate's facts, each check in plain words, and how to verify offline. The ID number is always
 * masked; the photo appears only when the QR link proof was presented.
 */
import type { FC } from 'hono/jsx';
import { formatChineseDate, formatChineseDateTime } from '../../domain/chineseDate.js';
import { formatCertificateNumber, isValidCertificateNumber } from '../../domain/certificateNumber.js';
import { STATUS_MESSAGES, type Verification } from '../../services/verifyCertificate.js';
import { GENDER_NAMES, type Gender } from '../../domain/certificate.js';
import type { Lang } from './i18n.js';
import { Layout, type PageUser } from './layout.js';

const ICONS = { valid: '✓', revoked: '✗', invalid: '⚠', not_found: '?' } as const;

export interface VerificationPageProps {
  verification: Verification;
  number: string;
  photoUrl: string | undefined;
  publicUrl: string;
  lang: Lang;
  path: string;
  user?: PageUser | undefined;
  csrf?: string | undefined;
}

/** The whole QR landing page. */
export const VerificationPage: FC<VerificationPageProps> = (props) => {
  const text = STATUS_MESSAGES[props.verification.status];
  return (
    <Layout lang={props.lang} path={props.path} user={props.user} csrf={props.csrf} narrow title={{ zh: `证书核验：${text.zh}`, en: `Verification: ${text.en}` }}>
      <VerificationResult verification={props.verification} number={props.number} photoUrl={props.photoUrl} publicUrl={props.publicUrl} />
    </Layout>
  );
};

/** The answer itself — status, facts, checks, how to verify offline — also shown under the lookup form. */
export const VerificationResult: FC<Pick<VerificationPageProps, 'verification' | 'number' | 'photoUrl' | 'publicUrl'>> = ({ verification: v, number, photoUrl, publicUrl }) => {
  const text = STATUS_MESSAGES[v.status];
  const c = v.certificate;
  return (
        <div>
          <div class={`status ${v.status}`} role="status">
            <span class="icon" aria-hidden="true">{ICONS[v.status]}</span>
            <div>
              <h1>
                {text.zh} <small>{text.en}</small>
              </h1>
              <p>证书编号 {isValidCertificateNumber(number) ? formatCertificateNumber(number) : number}</p>
              {c?.revocation ? (
                <p>
                  撤销日期：{formatChineseDate(c.revocation.at.slice(0, 10))}；原因：{c.revocation.reasonName.zh}
                </p>
              ) : null}
            </div>
          </div>
          {!c && v.status !== 'not_found' ? (
            <section>
              <p>未出示二维码凭证，仅显示证书状态。查看证书信息请扫描证书上的二维码，或用证书编号和持证人姓名查询。</p>
              <p lang="en">Without the QR code's link proof only the status is shown. Scan the certificate's QR code, or look it up by number and holder name.</p>
            </section>
          ) : null}
          {c ? (
            <section aria-labelledby="facts">
              <h2 id="facts">证书信息 Certificate</h2>
              {photoUrl ? <img class="photo" src={photoUrl} alt={`${c.holder.name}的照片`} /> : null}
              <dl>
                <dt>姓名</dt><dd>{c.holder.name}</dd>
                <dt>性别</dt><dd>{GENDER_NAMES[c.holder.gender as Gender] ?? c.holder.gender}</dd>
                <dt>证件号码</dt><dd>{c.holder.idNumberMasked}</dd>
                <dt>职称名称</dt><dd>{c.title.name}</dd>
                <dt>职称系列</dt><dd>{c.title.seriesName}</dd>
                <dt>级别</dt><dd>{c.title.levelName}</dd>
                <dt>专业</dt><dd>{c.title.specialty}</dd>
                <dt>原取得时间</dt><dd>{formatChineseDate(c.original.acquiredOn)}</dd>
                <dt>原取得方式</dt><dd>{c.original.method}</dd>
                <dt>原评审机构</dt><dd>{c.original.evaluatingBody}</dd>
                <dt>确认机构</dt><dd>{c.authority.name}</dd>
                <dt>确认文号</dt><dd>{c.decision.number}</dd>
                <dt>发证时间</dt><dd>{formatChineseDateTime(c.issuedAt)}</dd>
              </dl>
            </section>
          ) : null}
          <section aria-labelledby="checks">
            <h2 id="checks">核验步骤 Checks</h2>
            <ul class="checks">
              {v.checks.map((check) => (
                <li class={check.ok === true ? 'ok' : check.ok === false ? 'fail' : 'na'}>
                  <span aria-hidden="true">{check.ok === true ? '✓ ' : check.ok === false ? '✗ ' : '– '}</span>
                  {check.message.zh} <small>{check.message.en}</small>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="offline">
            <h2 id="offline">离线核验 Verify offline</h2>
            <p>
              证书 PDF 内附有颁发机构签名的令牌（certificate.jws）。下载根证书 <a href={`${publicUrl}/.well-known/ecert-root.pem`}>ecert-root.pem</a> 与公钥{' '}
              <a href={`${publicUrl}/.well-known/jwks.json`}>jwks.json</a> 后，可不联网核验：
            </p>
            <p>
              <code>npm run cli -- verify 证书.pdf --trust ecert-root.pem</code>
            </p>
          </section>
          <footer>本页面不被搜索引擎收录，亦不在共享缓存中保存。This page is not indexed or cached.</footer>
        </div>
  );
};
