/**
 * @module domain/certificateBasis
 * Why a certificate exists (issue 13 item 6). The notice's way is a reconfirmation case: the holder applies
 * (一(二)), the authority reviews, publicly notices and decides (二(二)), then issues. Direct issuance
 * (`POST /api/v1/certificates`) bypasses that by design — titles confirmed before this service existed,
 * imports — so it must name the authority's own decision that stands in for the case: its number, its date
 * and why it is issued outside the workflow. Every certificate issued since migration 0013 records one of
 * the two; older ones have none and say so (未记录) rather than guess.
 */
import { isIsoDate } from './chineseDate.js';
import { DomainError, type Message } from './errors.js';

/** Longest decision number, as the certificate's own 确认文号 (`text(50)` in the API). */
export const BASIS_DECISION_NUMBER_MAX = 50;
/** Longest reason: a sentence or two, not a file. */
export const BASIS_REASON_MAX = 500;

/** The authority's decision recorded outside the workflow (一(二), 二(二) bypassed by design). */
export interface DecisionBasis {
  kind: 'decision';
  decisionNumber: string;
  decidedOn: string;
  reason: string;
}

/** The reconfirmation case the certificate was issued from (二(二)4); the case names the certificate too. */
export interface CaseBasis {
  kind: 'case';
  caseId: string;
  /** The confirming authority's approval, as its electronic seal signed it (issue 16; 四(二), 四(四)); absent when unsealed. */
  sealedBy?: SealedBy | undefined;
}

/** Who sealed a decision and when: the organisation as its seal certificate names it. */
export interface SealedBy {
  code: string;
  name: string;
  uscc?: string | undefined;
  /** When the sealed statement was made (ISO instant). */
  at: string;
}

export type CertificateBasis = CaseBasis | DecisionBasis;

export const BASIS_KIND_NAMES: Record<CertificateBasis['kind'] | 'unrecorded', Message> = {
  case: { zh: '职称重新确认案件', en: 'Reconfirmation case' },
  decision: { zh: '确认机构决定直接颁发（不经重新确认程序）', en: "Issued directly by the confirming authority's decision (no reconfirmation case)" },
  unrecorded: { zh: '未记录', en: 'Not recorded' },
};

// The same printable-text rule as the API's text fields: no control, zero-width, bidi or line-break characters.
const PRINTABLE = /^[^\p{Cc}\p{Cs}\p{Cf}\p{Zl}\p{Zp}]*$/u;

function checkText(value: unknown, max: number, field: string, label: Message): string {
  const text = typeof value === 'string' ? value.normalize('NFC').replace(/\s+/gu, ' ').trim() : '';
  if (!text) throw new DomainError('validation_failed', { zh: `请填写${label.zh}`, en: `${label.en} is required` }, field, { clause: '二(二)' });
  if (!PRINTABLE.test(text)) throw new DomainError('validation_failed', { zh: `${label.zh}不能含控制字符、零宽或换行字符`, en: `${label.en}: no control, zero-width or line-break characters` }, field);
  if ([...text].length > max) throw new DomainError('validation_failed', { zh: `${label.zh}最多 ${max} 个字`, en: `${label.en}: at most ${max} characters` }, field);
  return text;
}

/**
 * The basis a direct issuance must give: a decision number, its date (a real date, not after `today`) and a
 * reason, each non-empty and bounded. Throws `DomainError('validation_failed' | 'future_date')` naming
 * `basis.<field>`; answers the basis with its texts folded as stored.
 * @example
 * checkDecisionBasis({ decisionNumber: '桂职办〔2026〕15号', decidedOn: '2026-03-18', reason: '2019年已确认，补发电子证书' }, '2026-12-07')
 */
export function checkDecisionBasis(basis: { decisionNumber?: unknown; decidedOn?: unknown; reason?: unknown } | undefined, today: string): DecisionBasis {
  if (!basis) {
    throw new DomainError(
      'validation_failed',
      {
        zh: '直接颁发须写明依据：确认机构的决定文号、日期和不经重新确认程序颁发的理由（一(二)、二(二)）',
        en: "A direct issuance must state its basis: the authority's decision number, its date and why it is issued outside the reconfirmation procedure (notice 一(二), 二(二))",
      },
      'basis',
      { clause: '二(二)' },
    );
  }
  const decisionNumber = checkText(basis.decisionNumber, BASIS_DECISION_NUMBER_MAX, 'basis.decisionNumber', { zh: '决定文号', en: 'The decision number' });
  const decidedOn = typeof basis.decidedOn === 'string' ? basis.decidedOn : '';
  if (!isIsoDate(decidedOn)) {
    throw new DomainError('validation_failed', { zh: `决定日期无效：${decidedOn.slice(0, 20)}`, en: `The decision date is not a calendar date: ${decidedOn.slice(0, 20)}` }, 'basis.decidedOn');
  }
  if (decidedOn > today) {
    throw new DomainError('future_date', { zh: `决定日期不能晚于今天（${today}）`, en: `The decision date cannot be after today (${today})` }, 'basis.decidedOn');
  }
  const reason = checkText(basis.reason, BASIS_REASON_MAX, 'basis.reason', { zh: '颁发理由', en: 'The reason' });
  return { kind: 'decision', decisionNumber, decidedOn, reason };
}

/**
 * 二(三)1(4): the applicant supplies an electronic photo for the e-certificate — no certificate without it
 * (an empty 照片 box is not a certificate). Throws `DomainError('validation_failed')` on `field`.
 * @example requireHolderPhoto(request.holder.photo, 'holder.photo')
 */
export function requireHolderPhoto<T>(photo: T | undefined | null | '', field: string): T {
  if (photo === undefined || photo === null || photo === '') {
    throw new DomainError(
      'validation_failed',
      { zh: '缺少持证人照片：职称电子证书须有本人电子照片（桂职办〔2020〕132号 二(三)1(4)）', en: "The holder's photo is missing: every e-certificate carries the holder's electronic photo (notice 二(三)1(4))" },
      field,
      { clause: '二(三)1(4)' },
    );
  }
  return photo;
}
