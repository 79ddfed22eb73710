import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { checkAcquisitionWindow, checkHolderIdentity, EARLIEST_ACQUISITION, refuseNationalExam } from '../../src/domain/issuance.js';

const TODAY = '2026-03-18';
const FIELDS = { acquiredOn: 'original.acquiredOn', decidedOn: 'decision.decidedOn' };
const ID_FIELDS = { idNumber: 'holder.idNumber', gender: 'holder.gender' };

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('refuseNationalExam (一(一))', () => {
  it('refuses a title from the national unified exam and lets the other methods through', () => {
    const e = errorOf(() => refuseNationalExam('national_exam', 'original.method'));
    expect(e.code).toBe('validation_failed');
    expect(e.field).toBe('original.method');
    expect(e.en).toBe('Titles obtained by national exam are not reconfirmed (notice 一(一))');
    expect(() => refuseNationalExam('evaluation', 'original.method')).not.toThrow();
  });
});

describe('checkHolderIdentity', () => {
  it('normalises the number and reads the birth date of a resident ID card', () => {
    expect(checkHolderIdentity({ idType: 'resident_id_card', idNumber: ' 45010219900101108x ', gender: 'female' }, TODAY, ID_FIELDS)).toEqual({ idNumber: '45010219900101108X', birthDate: '1990-01-01' });
  });

  it('refuses a gender that disagrees with the resident ID number', () => {
    const e = errorOf(() => checkHolderIdentity({ idType: 'resident_id_card', idNumber: '450102198005120019', gender: 'female' }, TODAY, ID_FIELDS));
    expect(e.code).toBe('validation_failed');
    expect(e.field).toBe('holder.gender');
    expect(e.en).toBe('Gender does not match the resident ID number');
  });

  it('has no birth date to go by for other documents', () => {
    expect(checkHolderIdentity({ idType: 'passport', idNumber: 'E12345678', gender: 'male' }, TODAY, ID_FIELDS)).toEqual({ idNumber: 'E12345678', birthDate: undefined });
  });
});

describe('checkAcquisitionWindow (二(二)4)', () => {
  it('accepts a date after birth and 1978, on or before the decision, not in the future', () => {
    expect(() => checkAcquisitionWindow('2010-06-01', '2026-03-01', '1980-05-12', TODAY, FIELDS)).not.toThrow();
    expect(() => checkAcquisitionWindow('2026-03-01', '2026-03-01', undefined, TODAY, FIELDS)).not.toThrow();
  });

  it('refuses a date that is not a calendar date or lies in the future', () => {
    expect(errorOf(() => checkAcquisitionWindow('2010-02-30', '2026-03-01', undefined, TODAY, FIELDS))).toMatchObject({ code: 'validation_failed', field: 'original.acquiredOn' });
    expect(errorOf(() => checkAcquisitionWindow('2010-06-01', '2026-03-19', undefined, TODAY, FIELDS))).toMatchObject({ code: 'future_date', field: 'decision.decidedOn' });
  });

  it('refuses a date on or before the birth date, before 1978, or after the decision', () => {
    expect(errorOf(() => checkAcquisitionWindow('1980-05-12', '2026-03-01', '1980-05-12', TODAY, FIELDS)).en).toBe("The original acquisition date is before the holder's birth date (1980-05-12)");
    expect(errorOf(() => checkAcquisitionWindow('1977-12-31', '2026-03-01', undefined, TODAY, FIELDS)).en).toBe(`The original acquisition date cannot be before ${EARLIEST_ACQUISITION}`);
    expect(errorOf(() => checkAcquisitionWindow('2026-03-02', '2026-03-01', undefined, TODAY, FIELDS)).en).toBe('The original acquisition date cannot be after the decision date');
  });
});
