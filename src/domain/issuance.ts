/**
 * @module domain/issuance
 * The rules an e-certificate's facts must meet before it is issued, whoever calls (the case's issuance or a
 * direct one): no certificate for a title from the national exam (一(一)), the gender agreeing with the
 * resident ID number, and the original acquisition date within its window (二(二)4).
 */
import type { AcquisitionMethod, Gender } from './certificate.js';
import { isIsoDate } from './chineseDate.js';
import { DomainError } from './errors.js';
import { checkResidentIdNumber, validateIdDocument, type IdType } from './idDocument.js';
import { CERTIFICATE_FIELD_LABELS } from './labels.js';

/** Titles in their present form (专业技术职务聘任制) date from 1986; allow the earlier 1978 system too. */
export const EARLIEST_ACQUISITION = '1978-01-01';

/** 一(一): titles from the national unified exam are valid everywhere and are not reconfirmed. */
export function refuseNationalExam(method: AcquisitionMethod, field: string): void {
  if (method === 'national_exam') {
    throw new DomainError('validation_failed', {
      zh: '通过国家统一考试取得的职称不再办理职称重新确认（桂职办〔2020〕132号 一(一)）',
      en: 'Titles obtained by national exam are not reconfirmed (notice 一(一))',
    }, field);
  }
}

/**
 * The holder's ID document, normalised, and — for a resident ID card — the birth date it carries; refused when
 * the gender disagrees with the number (GB 11643: the 17th digit is odd for men, even for women — a mismatch
 * is a typing error somewhere).
 */
export function checkHolderIdentity(
  holder: { idType: IdType; idNumber: string; gender: Gender },
  today: string,
  fields: { idNumber: string; gender: string },
): { idNumber: string; birthDate: string | undefined } {
  const idNumber = validateIdDocument(holder.idType, holder.idNumber, fields.idNumber, today);
  const born = holder.idType === 'resident_id_card' ? checkResidentIdNumber(idNumber, today) : undefined;
  if (born && born.gender !== holder.gender) {
    throw new DomainError('validation_failed', { zh: '性别与身份证号码不一致', en: 'Gender does not match the resident ID number' }, fields.gender);
  }
  return { idNumber, birthDate: born?.birthDate };
}

function notAfterToday(value: string, today: string, field: string): void {
  if (!isIsoDate(value)) {
    throw new DomainError('validation_failed', { zh: `日期无效：${value}`, en: `Not a calendar date: ${value}` }, field);
  }
  if (value > today) {
    throw new DomainError('future_date', { zh: `日期不能晚于今天（${today}）`, en: `Date cannot be after today (${today})` }, field);
  }
}

const ACQUIRED_ON = CERTIFICATE_FIELD_LABELS['original.acquiredOn'];

/**
 * 二(二)4: the certificate's date runs from the original acquisition; it cannot lie in the future, nor before the
 * holder's birth or 1978, nor after the decision (which cannot lie in the future either).
 */
export function checkAcquisitionWindow(acquiredOn: string, decidedOn: string, birthDate: string | undefined, today: string, fields: { acquiredOn: string; decidedOn: string }): void {
  notAfterToday(acquiredOn, today, fields.acquiredOn);
  notAfterToday(decidedOn, today, fields.decidedOn);
  if (birthDate && acquiredOn <= birthDate) {
    throw new DomainError('validation_failed', { zh: `${ACQUIRED_ON.zh}早于持证人出生日期（${birthDate}）`, en: `The original acquisition date is before the holder's birth date (${birthDate})` }, fields.acquiredOn);
  }
  if (acquiredOn < EARLIEST_ACQUISITION) {
    // Professional titles in their present form date from the 1986 appointment system; earlier dates are typing errors.
    throw new DomainError('validation_failed', { zh: `${ACQUIRED_ON.zh}不能早于 ${EARLIEST_ACQUISITION}`, en: `The original acquisition date cannot be before ${EARLIEST_ACQUISITION}` }, fields.acquiredOn);
  }
  if (acquiredOn > decidedOn) {
    throw new DomainError('validation_failed', { zh: `${ACQUIRED_ON.zh}不能晚于确认发文时间`, en: 'The original acquisition date cannot be after the decision date' }, fields.acquiredOn);
  }
}
