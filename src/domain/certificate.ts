/**
 * @module domain/certificate
 * The title e-certificate (职称电子证书) as the service keeps it, and the facts it signs. The acquisition
 * date is the ORIGINAL one and the specialty the one on the original certificate (notice 二(二)4).
 */
import type { Level } from './levels.js';
import type { IdType } from './idDocument.js';
import type { CertificateBasis } from './certificateBasis.js';
import type { Label } from './labels.js';

export const GENDERS = ['male', 'female'] as const;
export type Gender = (typeof GENDERS)[number];
/** Each gender's word in Chinese and English. */
export const GENDER_LABELS: Record<Gender, Label> = { male: { zh: '男', en: 'Male' }, female: { zh: '女', en: 'Female' } };
/** The Chinese words, as the e-certificate prints them. */
export const GENDER_NAMES: Record<Gender, string> = { male: GENDER_LABELS.male.zh, female: GENDER_LABELS.female.zh };

/**
 * How the title was originally obtained (notice 一(一)): the one list, for the applicant's case
 * (domain/eligibility.ts `obtained.method`) and the e-certificate alike.
 */
export const ACQUISITION_METHODS = ['evaluation', 'national_exam', 'self_evaluation', 'appointment_in_lieu', 'recognition'] as const;
export type AcquisitionMethod = (typeof ACQUISITION_METHODS)[number];
/** Each method's name in Chinese and English, for messages, forms and PDFs. */
export const ACQUISITION_METHOD_LABELS: Record<AcquisitionMethod, Label> = {
  evaluation: { zh: '评审', en: 'Evaluation' },
  national_exam: { zh: '国家统一考试', en: 'National examination' },
  self_evaluation: { zh: '自主评审', en: 'Self-evaluation' },
  appointment_in_lieu: { zh: '以聘代评', en: 'Appointment in lieu of evaluation' },
  recognition: { zh: '认定', en: 'Recognition' },
};
/** The Chinese names, as the e-certificate and the approval form print them. */
export const ACQUISITION_METHOD_NAMES: Record<AcquisitionMethod, string> = Object.fromEntries(
  ACQUISITION_METHODS.map((m) => [m, ACQUISITION_METHOD_LABELS[m].zh]),
) as Record<AcquisitionMethod, string>;

/** Why a certificate was revoked; false materials carry the five-year ban of notice 四(一). */
export const REVOCATION_REASONS = ['false_materials', 'issued_in_error', 'other'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];
export const REVOCATION_REASON_NAMES: Record<RevocationReason, { zh: string; en: string }> = {
  false_materials: { zh: '提交虚假材料（四(一)）', en: 'False materials (notice 四(一))' },
  issued_in_error: { zh: '错误颁发', en: 'Issued in error' },
  other: { zh: '其他原因', en: 'Other' },
};

/**
 * `superseded` (已变更, issue 19 item 2): a correction issued the next version; the old one stays as it was
 * signed, is never revoked for it (its revocation bit stays 0) and is never again a green 有效. `cancelled` (已注销,
 * issue 19 item 3, domain/certificateState.ts): ended for good, e.g. at the holder's death or a duplicate.
 */
export type CertificateStatus = 'valid' | 'revoked' | 'superseded' | 'cancelled';

/**
 * Whether two versions of a certificate are of the same person (issue 19 item 2): the same kind of ID document,
 * ID number and name. A correction that changes any of them (the certificate had been made out to the wrong
 * person, or with a wrong name) makes the new version someone else's as far as a verifier of the old one can
 * tell: whoever holds the old version's proof must not be led to the new one (the holder hands it over).
 * @example sameHolder({ name: '张三丰', idType: 'resident_id_card', idNumber: '450102198005120019' }, { name: '张三峰', idType: 'resident_id_card', idNumber: '450102198005120019' }) // false
 */
export function sameHolder(a: Pick<Certificate['holder'], 'name' | 'idType' | 'idNumber'>, b: Pick<Certificate['holder'], 'name' | 'idType' | 'idNumber'>): boolean {
  return a.idType === b.idType && a.idNumber.toUpperCase() === b.idNumber.toUpperCase() && a.name.normalize('NFC') === b.name.normalize('NFC');
}

export interface Certificate {
  number: string;
  authority: { code: string; name: string };
  kid: string;
  holder: { name: string; gender: Gender; idType: IdType; idNumber: string; idNumberMasked: string };
  /** The photo itself, when the certificate is being issued; stored ones are read on their own. */
  photo?: { bytes: Uint8Array; type: 'image/jpeg' | 'image/png' } | undefined;
  /** Set when a photo is stored. */
  photoType?: 'image/jpeg' | 'image/png' | undefined;
  title: { series: string; seriesName: string; name: string; level: Level; specialty: string };
  original: { acquiredOn: string; method: AcquisitionMethod; evaluatingBody: string; certificateNumber?: string | undefined };
  decision: { number: string; decidedOn: string };
  issuedAt: string;
  token: string;
  linkProof: string;
  status: CertificateStatus;
  revocation?: { at: string; reason: RevocationReason; note: string; by: string } | undefined;
  /** Why it was issued (issue 13 item 6): its reconfirmation case or a recorded decision; absent on certificates issued before migration 0013. */
  basis?: CertificateBasis | undefined;
  /** 电子证照标识 (issue 19 item 1, domain/licenceIdentifier.ts), signed in the token; absent on certificates issued before migration 0020. */
  identifier?: string | undefined;
  /** The number of the version this one corrects (issue 19 item 2); absent on a first issue. */
  predecessor?: string | undefined;
  /** When a correction superseded this certificate, and the number of the version that did (issue 19 item 2). */
  supersession?: { at: string; successor: string } | undefined;
  /** 已注销 (issue 19 item 3): when, why (domain/certificateState.ts CANCELLATION_REASONS), a note, by whom (token id). */
  cancellation?: { at: string; reason: 'death' | 'duplicate' | 'other'; note: string; by: string } | undefined;
}

/** What the JWS carries: the certificate's facts, the ID number masked, the photo by its hash. */
export interface CertificateClaims {
  number: string;
  holder: { name: string; gender: Gender; idType: IdType; idNumberMasked: string };
  photoSha256?: string;
  title: { series: string; seriesName: string; name: string; level: Level; specialty: string };
  original: { acquiredOn: string; method: AcquisitionMethod; evaluatingBody: string; certificateNumber?: string };
  authority: { code: string; name: string };
  decision: { number: string; decidedOn: string };
  issuedAt: string;
  /** 电子证照标识 (issue 19 item 1); absent from tokens signed before it existed. */
  identifier?: string;
}
