/**
 * @module http/pages/cases/caseRevoke
 * Revoking the certificate of an issued case (四(一)) so that it is never a slip: the form sits folded
 * under the case's steps (the "去办理" button does not lead to it), names no reason until one is chosen,
 * asks for a note, and leads to a second page that states the consequence — the public check says
 * 已撤销, and a false-materials revocation records the five-year ban on promotion with its years — where
 * a ticked confirmation revokes. No script: the page's CSP allows none inline.
 */
import type { FC } from 'hono/jsx';
import { BAN_CLAUSE } from '../../../domain/ban.js';
import { REVOCATION_REASONS, REVOCATION_REASON_NAMES, type RevocationReason } from '../../../domain/certificate.js';
import { formatCertificateNumber } from '../../../domain/certificateNumber.js';
import type { Values } from './caseCommon.js';
import { Errors } from '../layout.js';
import { t, type Lang, type Text } from '../i18n.js';

/** The consequences a revocation has, stated before it is confirmed (四(一)). */
export function revocationConsequences(reason: RevocationReason, ban: { startYear: number; endYear: number }): Text[] {
  const always: Text = { zh: '撤销后不能恢复；证书二维码和公开核验页面将显示“已撤销”。', en: 'A revocation cannot be undone; the QR code and the public check will say "revoked".' };
  if (reason !== 'false_materials') return [always];
  return [
    always,
    {
      zh: `因提交虚假材料撤销的，将同时记录持证人自${ban.startYear}年至${ban.endYear}年五年内不得申报晋升职称（${BAN_CLAUSE}），各审核单位和职称申报系统均可查到。`,
      en: `Revoking for false materials also records that the holder may not apply for promotion to a higher title from ${ban.startYear} to ${ban.endYear}, five years (notice ${BAN_CLAUSE}); every reviewer and the promotion systems see it.`,
    },
  ];
}

/** The revoke form, folded under the case's steps; open when it was just refused. */
export const RevokeSection: FC<{ lang: Lang; caseId: string; csrf: string; retryKey: string; failed: Values | undefined }> = ({ lang, caseId, csrf, retryKey, failed }) => (
  <section aria-labelledby="revoke-heading">
    <h2 id="revoke-heading">{t(lang, { zh: '证书撤销', en: 'Revocation' })}</h2>
    <details class="card step" id="step-revoke" open={failed !== undefined}>
      <summary>{t(lang, { zh: '撤销证书（四(一)）', en: 'Revoke the certificate (四(一))' })}</summary>
      <p>
        {t(lang, {
          zh: '撤销须写明原因和说明，并在下一页确认后果后才生效。因提交虚假材料撤销的，持证人五年内不得申报晋升职称。',
          en: 'A revocation needs its reason and a note, and takes effect only once its consequence is confirmed on the next page. For false materials the holder may not apply for promotion for five years.',
        })}
      </p>
      <form class="stack" method="post" action={`/console/cases/${caseId}/revoke`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <input type="hidden" name="_key" value={retryKey} />
        <div>
          <label for="revoke-reason">
            {t(lang, { zh: '撤销原因', en: 'Reason' })}
            <span aria-hidden="true"> *</span>
          </label>
          <select id="revoke-reason" name="reason" required>
            <option value="" selected={!failed?.reason}>
              {t(lang, { zh: '请选择撤销原因', en: 'Choose the reason' })}
            </option>
            {REVOCATION_REASONS.map((r) => (
              <option value={r} selected={failed?.reason === r}>
                {t(lang, REVOCATION_REASON_NAMES[r])}
              </option>
            ))}
          </select>
        </div>
        <label>
          {t(lang, { zh: '撤销说明', en: 'Note' })}
          <span aria-hidden="true"> *</span>
          <span class="hint">{t(lang, { zh: '查实的事实和依据，如：原职称证书系伪造（经发证机关函复）', en: 'The facts established and how, e.g. the original certificate is forged (the issuer replied in writing)' })}</span>
          <textarea name="note" rows={2} maxlength={500} required>
            {failed?.note ?? ''}
          </textarea>
        </label>
        <div class="actions">
          <button type="submit" class="secondary">
            {t(lang, { zh: '下一步：确认撤销的后果', en: 'Next: confirm the consequence' })}
          </button>
        </div>
      </form>
    </details>
  </section>
);

export interface RevokeConfirmationProps {
  lang: Lang;
  caseId: string;
  csrf: string;
  retryKey: string;
  certificateNumber: string;
  holderName: string;
  titleName: string;
  reason: RevocationReason;
  note: string;
  consequences: Text[];
  errors: Text[];
}

/** The second page: what is revoked, why, and what follows; a ticked box and the button revoke. */
export const RevokeConfirmation: FC<RevokeConfirmationProps> = (p) => {
  const { lang } = p;
  return (
    <section>
      <h1>{t(lang, { zh: '确认撤销证书', en: 'Confirm the revocation' })}</h1>
      <Errors lang={lang} errors={p.errors} />
      <dl class="facts">
        <dt>{t(lang, { zh: '证书编号', en: 'Certificate number' })}</dt>
        <dd>{formatCertificateNumber(p.certificateNumber)}</dd>
        <dt>{t(lang, { zh: '持证人', en: 'Holder' })}</dt>
        <dd>{p.holderName}</dd>
        <dt>{t(lang, { zh: '职称', en: 'Title' })}</dt>
        <dd>{p.titleName}</dd>
        <dt>{t(lang, { zh: '撤销原因', en: 'Reason' })}</dt>
        <dd>{t(lang, REVOCATION_REASON_NAMES[p.reason])}</dd>
        <dt>{t(lang, { zh: '撤销说明', en: 'Note' })}</dt>
        <dd class="prewrap">{p.note}</dd>
      </dl>
      <div class="error" id="revoke-consequences">
        <p>
          <strong>{t(lang, { zh: '撤销的后果', en: 'What the revocation does' })}</strong>
        </p>
        <ul>
          {p.consequences.map((c) => (
            <li>{t(lang, c)}</li>
          ))}
        </ul>
      </div>
      <form class="stack" method="post" action={`/console/cases/${p.caseId}/revoke`}>
        <input type="hidden" name="_csrf" value={p.csrf} />
        <input type="hidden" name="_key" value={p.retryKey} />
        <input type="hidden" name="stage" value="confirm" />
        <input type="hidden" name="reason" value={p.reason} />
        <input type="hidden" name="note" value={p.note} />
        <label>
          <input type="checkbox" name="confirmed" required />
          {t(lang, { zh: '我已知悉以上后果，确认撤销该证书', en: 'I understand the consequences above and revoke the certificate' })}
        </label>
        <div class="actions">
          <button type="submit" class="danger">
            {t(lang, { zh: '确认撤销证书', en: 'Revoke the certificate' })}
          </button>
          <a class="button secondary" href={`/console/cases/${p.caseId}`}>
            {t(lang, { zh: '返回，不撤销', en: 'Go back without revoking' })}
          </a>
        </div>
      </form>
    </section>
  );
};
