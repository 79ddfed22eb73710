/**
 * @module domain/certificateState
 * Every state of a certificate in the 电子证照 vocabulary (issue 19 item 3), each with a stable code and its name in
 * Chinese and English: 有效 valid, 已变更 superseded (a correction issued the next version, item 2), 已撤销 revoked
 * (with its reason: false materials 四(一), issued in error, other), 已注销 cancelled (the holder's death, a
 * duplicate issue, other) — with when, and which organisation decided.
 */
import { REVOCATION_REASON_NAMES, type Certificate, type RevocationReason } from './certificate.js';
import type { Label } from './labels.js';

export const CERTIFICATE_STATES = ['valid', 'superseded', 'revoked', 'cancelled'] as const;
export type CertificateState = (typeof CERTIFICATE_STATES)[number];
export const CERTIFICATE_STATE_NAMES: Record<CertificateState, Label> = {
  valid: { zh: '有效', en: 'Valid' },
  superseded: { zh: '已变更', en: 'Superseded' },
  revoked: { zh: '已撤销', en: 'Revoked' },
  cancelled: { zh: '已注销', en: 'Cancelled' },
};

/** Why a certificate was cancelled (已注销): not a fault in it, an end of it. */
export const CANCELLATION_REASONS = ['death', 'duplicate', 'other'] as const;
export type CancellationReason = (typeof CANCELLATION_REASONS)[number];
export const CANCELLATION_REASON_NAMES: Record<CancellationReason, Label> = {
  death: { zh: '持证人死亡', en: "The holder's death" },
  duplicate: { zh: '重复发证', en: 'Issued twice (duplicate)' },
  other: { zh: '其他原因', en: 'Other' },
};

/** A certificate's state as it is told: code and name, and for an ended one when, who decided and (revoked, cancelled) why. */
export interface StateOf {
  code: CertificateState;
  name: Label;
  at?: string;
  decidedBy?: { code: string; name: string };
  reason?: { code: RevocationReason | CancellationReason; name: Label };
}

/**
 * The state of `certificate`; the deciding organisation is its issuing authority (only it revokes, corrects or
 * cancels — notice 四(四) 谁确认、谁负责).
 * @example stateOf(certificate).name.zh // '已撤销'
 */
export function stateOf(certificate: Certificate): StateOf {
  const code = certificate.status;
  const by = { code: certificate.authority.code, name: certificate.authority.name };
  const base = { code, name: CERTIFICATE_STATE_NAMES[code] };
  if (code === 'revoked' && certificate.revocation) {
    const r = certificate.revocation.reason;
    return { ...base, at: certificate.revocation.at, decidedBy: by, reason: { code: r, name: REVOCATION_REASON_NAMES[r] } };
  }
  if (code === 'cancelled' && certificate.cancellation) {
    const r = certificate.cancellation.reason;
    return { ...base, at: certificate.cancellation.at, decidedBy: by, reason: { code: r, name: CANCELLATION_REASON_NAMES[r] } };
  }
  if (code === 'superseded' && certificate.supersession) return { ...base, at: certificate.supersession.at, decidedBy: by };
  return base;
}
