/**
 * @module test/domain/application
 * 出生年月 of attachment 1 (基本情况): given by holders of a passport or another non-resident document,
 * taken from a resident ID number, and refused when it disagrees with that number.
 */
import { describe, expect, it } from 'vitest';
import { applicantBirthMonth, checkBirthMonth } from '../../src/domain/application.js';

const TODAY = '2026-12-07';
const resident = { idType: 'resident_id_card' as const, idNumber: '450103198501010026' };
const passport = { idType: 'passport' as const, idNumber: 'E12345678' };

describe('checkBirthMonth', () => {
  it('asks a passport holder for it, and takes a real month', () => {
    expect(() => checkBirthMonth({ ...passport, birthMonth: null }, TODAY)).toThrow(expect.objectContaining({ code: 'validation_failed', field: 'applicant.birthMonth' }));
    expect(() => checkBirthMonth({ ...passport }, TODAY)).toThrow(expect.objectContaining({ zh: expect.stringContaining('请填写出生年月') }));
    expect(() => checkBirthMonth({ ...passport, birthMonth: '1979-06' }, TODAY)).not.toThrow();
    for (const wrong of ['2027-01', '1899-12', '1979-13', '1979-6']) expect(() => checkBirthMonth({ ...passport, birthMonth: wrong }, TODAY), wrong).toThrow(expect.objectContaining({ zh: expect.stringContaining('出生年月须为') }));
  });

  it('takes a resident ID number without it, and refuses one that disagrees with the number', () => {
    expect(() => checkBirthMonth({ ...resident, birthMonth: null }, TODAY)).not.toThrow();
    expect(() => checkBirthMonth({ ...resident, birthMonth: '1985-01' }, TODAY)).not.toThrow();
    expect(() => checkBirthMonth({ ...resident, birthMonth: '1985-02' }, TODAY)).toThrow(expect.objectContaining({ field: 'applicant.birthMonth', zh: '出生年月与身份证号码不一致（号码中为1985年01月）' }));
  });
});

describe('applicantBirthMonth', () => {
  it('reads the resident ID number, else what the applicant gave, else nothing', () => {
    expect(applicantBirthMonth({ ...resident, birthMonth: null })).toBe('1985-01');
    expect(applicantBirthMonth({ ...passport, birthMonth: '1979-06' })).toBe('1979-06');
    expect(applicantBirthMonth({ ...passport })).toBeNull();
  });
});
