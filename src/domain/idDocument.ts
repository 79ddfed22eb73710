/**
 * @module domain/idDocument
 * The identity document of a title holder: the approval form (attachment 1) and the verification record
 * (attachment 2) both carry the holder's ID number. Mainland resident ID numbers are checked in full
 * (GB 11643-1999: format, birth date, ISO 7064 MOD 11-2 check digit); other documents are checked for a
 * plausible shape only, because their formats vary by issuing country and card generation.
 */

import { isIsoDate } from './chineseDate.js';
import { DomainError } from './errors.js';
import type { Message } from './errors.js';

export const ID_TYPES = [
  'resident_id_card',
  'passport',
  'hk_macao_permit',
  'taiwan_permit',
  'foreign_permanent_residence',
  'other',
] as const;
export type IdType = (typeof ID_TYPES)[number];

export const ID_TYPE_NAMES: Readonly<Record<IdType, Message>> = Object.freeze({
  resident_id_card: { zh: '居民身份证', en: 'Resident identity card' },
  passport: { zh: '护照', en: 'Passport' },
  hk_macao_permit: { zh: '港澳居民来往内地通行证', en: 'Mainland travel permit for Hong Kong and Macao residents' },
  taiwan_permit: { zh: '台湾居民来往大陆通行证', en: 'Mainland travel permit for Taiwan residents' },
  foreign_permanent_residence: { zh: '外国人永久居留身份证', en: 'Foreign permanent resident ID card' },
  other: { zh: '其他证件', en: 'Other document' },
});

export interface ResidentIdFacts {
  /** `YYYY-MM-DD`, from digits 7–14. */
  birthDate: string;
  /** From digit 17: odd is male, even is female. */
  gender: 'male' | 'female';
}

const RESIDENT_ID = /^\d{17}[\dX]$/;
// GB 11643-1999: weight of position i is 2^(17-i) mod 11; the remainder of the weighted sum picks the check character.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';
// Nobody born before this date still holds a working title; earlier dates are typing errors.
const EARLIEST_BIRTH_DATE = '1900-01-01';

const GENERIC_DOCUMENT = /^[A-Z0-9-]{5,30}$/;
const HK_MACAO_PERMIT = /^[HM](\d{8}|\d{10})$/; // H/M + 8 digits; older cards and some records add 2 more digits
const TAIWAN_PERMIT = /^(\d{8}|\d{10})$/; // 8 digits since the 2015 card; the older booklet had 10
const FOREIGN_PR_OLD = /^[A-Z]{3}\d{12}$/; // 2004 card: ISO country code + 12 digits
const FOREIGN_PR_NEW = /^9\d{16}[\dX]$/; // 2023 card: 18 characters starting with 9, same check digit as resident IDs

function residentIdCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARACTERS[sum % 11] ?? '';
}

function invalid(field: string | undefined, zh: string, en: string, details?: Record<string, unknown>): DomainError {
  return new DomainError('invalid_id_number', { zh, en }, field, details);
}

/**
 * Checks a mainland resident ID number (18 characters; a lowercase `x` is accepted as `X`) and reads the
 * holder's birth date and gender from it. `today` is the China date (`chinaDate(now)`), `YYYY-MM-DD`.
 * Throws `DomainError('invalid_id_number')` naming `field`; the message never reveals the right check digit,
 * so the check cannot be used to "repair" a number typed wrong.
 * @example
 * checkResidentIdNumber('450102198005120019', '2026-03-18') // { birthDate: '1980-05-12', gender: 'male' }
 */
export function checkResidentIdNumber(id: string, today: string, field?: string): ResidentIdFacts {
  if (!isIsoDate(today)) throw new RangeError(`today must be YYYY-MM-DD, got ${today}`);
  const number = id.trim().toUpperCase();
  if (number.length !== 18) {
    throw invalid(
      field,
      `居民身份证号码应为18位，现为${number.length}位`,
      `A resident ID number has 18 characters; this one has ${number.length}`,
      { length: number.length },
    );
  }
  if (!RESIDENT_ID.test(number)) {
    throw invalid(
      field,
      '居民身份证号码前17位应为数字，最后一位应为数字或X',
      'A resident ID number has 17 digits followed by a digit or X',
    );
  }
  const birthDate = `${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}`;
  if (!isIsoDate(birthDate) || birthDate < EARLIEST_BIRTH_DATE) {
    throw invalid(
      field,
      `居民身份证号码中的出生日期（第7至14位）${number.slice(6, 14)}不是有效日期`,
      `The birth date in the resident ID number (digits 7–14), ${number.slice(6, 14)}, is not a valid date`,
    );
  }
  if (birthDate > today) {
    throw invalid(
      field,
      `居民身份证号码中的出生日期${birthDate}晚于今天`,
      `The birth date in the resident ID number, ${birthDate}, is in the future`,
    );
  }
  if (residentIdCheckCharacter(number) !== number[17]) {
    throw invalid(
      field,
      '居民身份证号码校验位错误，请核对号码是否输入有误',
      'The check digit of the resident ID number is wrong; please check the number for a typing error',
    );
  }
  return { birthDate, gender: Number(number[16]) % 2 === 1 ? 'male' : 'female' };
}

/**
 * Validates an ID number for its document type and returns it normalised (trimmed, upper-cased).
 * Resident IDs get the full check; other types a per-type shape where it is well known, else 5–30
 * characters of A–Z, 0–9 and hyphen.
 * @example
 * validateIdDocument('resident_id_card', ' 45010219900101108x ', 'holder.idNumber', '2026-03-18') // '45010219900101108X'
 * validateIdDocument('hk_macao_permit', 'h12345678', 'holder.idNumber', '2026-03-18') // 'H12345678'
 */
export function validateIdDocument(type: IdType, number: string, field: string, today: string): string {
  const normalised = number.trim().toUpperCase();
  switch (type) {
    case 'resident_id_card':
      checkResidentIdNumber(normalised, today, field);
      return normalised;
    case 'hk_macao_permit':
      if (!HK_MACAO_PERMIT.test(normalised)) {
        throw invalid(
          field,
          '港澳居民来往内地通行证号码应为H或M加8位（或10位）数字',
          'A Hong Kong/Macao travel permit number is H or M followed by 8 (or 10) digits',
        );
      }
      return normalised;
    case 'taiwan_permit':
      if (!TAIWAN_PERMIT.test(normalised)) {
        throw invalid(
          field,
          '台湾居民来往大陆通行证号码应为8位（旧版10位）数字',
          'A Taiwan travel permit number is 8 digits (10 on the older booklet)',
        );
      }
      return normalised;
    case 'foreign_permanent_residence':
      if (FOREIGN_PR_NEW.test(normalised)) {
        if (residentIdCheckCharacter(normalised) !== normalised[17]) {
          throw invalid(
            field,
            '外国人永久居留身份证号码校验位错误，请核对号码是否输入有误',
            'The check digit of the permanent residence ID number is wrong; please check the number for a typing error',
          );
        }
        return normalised;
      }
      if (!FOREIGN_PR_OLD.test(normalised)) {
        throw invalid(
          field,
          '外国人永久居留身份证号码应为18位（以9开头）或3个字母加12位数字',
          'A permanent residence ID number is 18 characters starting with 9, or 3 letters followed by 12 digits',
        );
      }
      return normalised;
    case 'passport':
    case 'other':
      if (!GENERIC_DOCUMENT.test(normalised)) {
        throw invalid(
          field,
          `${ID_TYPE_NAMES[type].zh}号码应为5至30位字母、数字或连字符`,
          `A ${type === 'passport' ? 'passport' : 'document'} number is 5 to 30 letters, digits or hyphens`,
        );
      }
      return normalised;
    default:
      throw new DomainError(
        'validation_failed',
        { zh: '不支持的证件类型', en: `Unsupported ID document type: ${String(type)}` },
        field,
      );
  }
}

/**
 * Masks an ID number for display and logs. An 18-character resident ID keeps its first 4 and last 4
 * characters (the region and the end of the sequence, enough to tell records apart); any other number
 * keeps 2 and 2 with at least 2 stars between; a number too short for that shows only its last character.
 * @example
 * maskIdNumber('450102198005120019') // '4501**********0019'
 * maskIdNumber('E12345678') // 'E1*****78'
 * maskIdNumber('H1234') // '****4'
 */
export function maskIdNumber(number: string, type?: IdType): string {
  const n = number.trim();
  const residentShape = type === undefined || type === 'resident_id_card';
  if (residentShape && n.length === 18 && RESIDENT_ID.test(n.toUpperCase())) {
    return `${n.slice(0, 4)}${'*'.repeat(10)}${n.slice(14)}`;
  }
  if (n.length >= 6) return `${n.slice(0, 2)}${'*'.repeat(n.length - 4)}${n.slice(-2)}`;
  if (n.length <= 1) return '*'.repeat(n.length);
  return `${'*'.repeat(n.length - 1)}${n.slice(-1)}`;
}
