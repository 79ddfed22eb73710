import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import {
  checkResidentIdNumber,
  ID_TYPE_NAMES,
  ID_TYPES,
  maskIdNumber,
  validateIdDocument,
} from '../../src/domain/idDocument.js';

const TODAY = '2026-03-18';
const VALID = ['450102198005120019', '450103198501010026', '45010219900101108X'];

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('checkResidentIdNumber', () => {
  it('accepts known-valid numbers and reads birth date and gender', () => {
    expect(checkResidentIdNumber('450102198005120019', TODAY)).toEqual({ birthDate: '1980-05-12', gender: 'male' });
    expect(checkResidentIdNumber('450103198501010026', TODAY)).toEqual({ birthDate: '1985-01-01', gender: 'female' });
    expect(checkResidentIdNumber('45010219900101108X', TODAY)).toEqual({ birthDate: '1990-01-01', gender: 'female' });
  });

  it('accepts a lowercase x check character and surrounding spaces', () => {
    expect(checkResidentIdNumber(' 45010219900101108x ', TODAY).birthDate).toBe('1990-01-01');
  });

  it('rejects every single-character alteration of a valid number', () => {
    const alphabet = '0123456789X';
    for (const id of VALID) {
      for (let i = 0; i < id.length; i++) {
        for (const ch of alphabet) {
          if (ch === id[i]) continue;
          const altered = id.slice(0, i) + ch + id.slice(i + 1);
          expect(() => checkResidentIdNumber(altered, TODAY), altered).toThrow(DomainError);
        }
      }
    }
  });

  it('rejects a swap of two neighbouring different digits', () => {
    for (const id of VALID) {
      for (let i = 0; i + 1 < id.length; i++) {
        if (id[i] === id[i + 1]) continue;
        const swapped = id.slice(0, i) + id[i + 1] + id[i] + id.slice(i + 2);
        expect(() => checkResidentIdNumber(swapped, TODAY), swapped).toThrow(DomainError);
      }
    }
  });

  it('says the length is wrong, with the code and field', () => {
    const e = errorOf(() => checkResidentIdNumber('45010219800512001', TODAY, 'holder.idNumber'));
    expect(e.code).toBe('invalid_id_number');
    expect(e.field).toBe('holder.idNumber');
    expect(e.zh).toContain('18位');
    expect(e.zh).toContain('17位');
    expect(e.en).toContain('18 characters');
  });

  it('says the characters are wrong', () => {
    const e = errorOf(() => checkResidentIdNumber('4501021980051200X9', TODAY));
    expect(e.zh).toContain('最后一位应为数字或X');
    expect(errorOf(() => checkResidentIdNumber('45010219800512001Y', TODAY)).en).toContain('17 digits');
  });

  it('rejects an impossible birth date, with a message about the date', () => {
    // Check digits recomputed so that only the date is wrong.
    const e = errorOf(() => checkResidentIdNumber(withCheckDigit('45010219810229001'), TODAY));
    expect(e.zh).toContain('出生日期');
    expect(e.en).toContain('19810229');
    expect(() => checkResidentIdNumber(withCheckDigit('45010218991231001'), TODAY)).toThrow(/birth date/);
    expect(() => checkResidentIdNumber(withCheckDigit('45010219801301001'), TODAY)).toThrow(/birth date/);
  });

  it('rejects a birth date in the future, and accepts one born today', () => {
    const e = errorOf(() => checkResidentIdNumber(withCheckDigit('45010220260319001'), TODAY));
    expect(e.en).toContain('in the future');
    expect(e.zh).toContain('晚于今天');
    expect(checkResidentIdNumber(withCheckDigit('45010220260318001'), TODAY).birthDate).toBe('2026-03-18');
  });

  it('says the check digit is wrong without revealing the right one', () => {
    const e = errorOf(() => checkResidentIdNumber('450102198005120018', TODAY));
    expect(e.zh).toContain('校验位错误');
    expect(e.en).toContain('check digit');
    expect(e.zh + e.en).not.toMatch(/9/);
    expect(e.details).toBeUndefined();
  });

  it('refuses a malformed today: that is a programming error, not bad input', () => {
    expect(() => checkResidentIdNumber(VALID[0] ?? '', '18/03/2026')).toThrow(RangeError);
  });
});

describe('validateIdDocument', () => {
  it('returns the normalised resident ID number', () => {
    expect(validateIdDocument('resident_id_card', ' 45010219900101108x ', 'holder.idNumber', TODAY)).toBe('45010219900101108X');
    const e = errorOf(() => validateIdDocument('resident_id_card', '450102198005120018', 'holder.idNumber', TODAY));
    expect(e.field).toBe('holder.idNumber');
  });

  it('checks the Hong Kong / Macao permit: H or M and 8 or 10 digits', () => {
    expect(validateIdDocument('hk_macao_permit', 'h12345678', 'f', TODAY)).toBe('H12345678');
    expect(validateIdDocument('hk_macao_permit', 'M1234567890', 'f', TODAY)).toBe('M1234567890');
    for (const bad of ['X12345678', 'H1234567', 'H123456789', '12345678']) {
      expect(errorOf(() => validateIdDocument('hk_macao_permit', bad, 'f', TODAY)).code, bad).toBe('invalid_id_number');
    }
  });

  it('checks the Taiwan permit: 8 digits (10 on the old booklet)', () => {
    expect(validateIdDocument('taiwan_permit', ' 12345678 ', 'f', TODAY)).toBe('12345678');
    expect(validateIdDocument('taiwan_permit', '1234567890', 'f', TODAY)).toBe('1234567890');
    expect(() => validateIdDocument('taiwan_permit', '1234567', 'f', TODAY)).toThrow(DomainError);
    expect(() => validateIdDocument('taiwan_permit', 'T1234567', 'f', TODAY)).toThrow(DomainError);
  });

  it('checks both generations of the foreign permanent residence card', () => {
    expect(validateIdDocument('foreign_permanent_residence', 'usa110085010101', 'f', TODAY)).toBe('USA110085010101');
    expect(validateIdDocument('foreign_permanent_residence', '911100198501011005', 'f', TODAY)).toBe('911100198501011005');
    expect(() => validateIdDocument('foreign_permanent_residence', '911100198501011006', 'f', TODAY)).toThrow(/check digit/);
    expect(() => validateIdDocument('foreign_permanent_residence', 'US110085010101', 'f', TODAY)).toThrow(DomainError);
  });

  it('accepts passports and other documents of 5–30 letters, digits and hyphens', () => {
    expect(validateIdDocument('passport', ' e12345678 ', 'f', TODAY)).toBe('E12345678');
    expect(validateIdDocument('passport', 'AB1234', 'f', TODAY)).toBe('AB1234');
    expect(validateIdDocument('other', 'abc-12345', 'f', TODAY)).toBe('ABC-12345');
    for (const bad of ['AB12', 'A'.repeat(31), 'E1234 5678', 'E12345678!', '护照12345']) {
      const e = errorOf(() => validateIdDocument('passport', bad, 'holder.idNumber', TODAY));
      expect(e.code, bad).toBe('invalid_id_number');
      expect(e.zh).toContain('护照');
      expect(e.field).toBe('holder.idNumber');
    }
  });

  it('refuses an unknown document type', () => {
    const e = errorOf(() => validateIdDocument('driving_licence' as never, 'AB12345', 'holder.idType', TODAY));
    expect(e.code).toBe('validation_failed');
    expect(e.field).toBe('holder.idType');
  });
});

describe('ID types', () => {
  it('names every type in Chinese and English', () => {
    expect(ID_TYPES).toHaveLength(6);
    for (const t of ID_TYPES) {
      expect(ID_TYPE_NAMES[t].zh).toMatch(/\p{Script=Han}/u);
      expect(ID_TYPE_NAMES[t].en.length).toBeGreaterThan(0);
    }
  });
});

describe('maskIdNumber', () => {
  it('keeps the first 4 and last 4 characters of a resident ID', () => {
    expect(maskIdNumber('450102198005120019')).toBe('4501**********0019');
    expect(maskIdNumber('45010219900101108x')).toBe('4501**********108x');
  });

  it('keeps 2 and 2 of other numbers, with at least 2 stars', () => {
    expect(maskIdNumber('E12345678')).toBe('E1*****78');
    expect(maskIdNumber('123456')).toBe('12**56');
    expect(maskIdNumber('911100198501011005', 'foreign_permanent_residence')).toBe(`91${'*'.repeat(14)}05`);
  });

  it('shows only the last character of very short numbers', () => {
    expect(maskIdNumber('12345')).toBe('****5');
    expect(maskIdNumber('12')).toBe('*2');
    expect(maskIdNumber('1')).toBe('*');
    expect(maskIdNumber('')).toBe('');
  });

  it('never shows more than 8 characters, nor more than a third of a long number', () => {
    for (const n of ['450102198005120019', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123', 'E12345678']) {
      const shown = [...maskIdNumber(n)].filter((c) => c !== '*').length;
      expect(shown).toBeLessThanOrEqual(Math.min(8, Math.ceil(n.length / 2)));
    }
  });
});

/** Completes 17 digits with their GB 11643 check character, so a test can isolate one kind of error. */
function withCheckDigit(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * (weights[i] ?? 0), 0);
  return first17 + '10X98765432'[sum % 11];
}
