import { describe, expect, it } from 'vitest';
import { BAN_BARS, BAN_CASE_NOTE, banMessage, banYears, bansInForce, describeBan, maskPersonName, registerEntry, registerShowsFullIdNumber, seesBanDetails, type Ban } from '../../src/domain/ban.js';

const ban: Ban = {
  id: 'BN1', idNumber: '450102198005120019', holderName: '张三', ...banYears(2026), clause: '四(一)', source: 'revocation', certificateNumber: 'ABC', note: '经查实', createdAt: '2026-03-18T02:30:00.000Z',
};

describe('the five-year ban (四(一))', () => {
  it('runs from the year of the application or revocation, that year and the four after it', () => {
    expect(banYears(2026)).toEqual({ startYear: 2026, endYear: 2030 });
    expect(bansInForce([ban], '2030-12-31')).toHaveLength(1);
    expect(bansInForce([ban], '2031-01-01')).toHaveLength(0);
  });

  it('says what it bars — applying for a title promotion — with its years and clause', () => {
    expect(BAN_BARS.zh).toBe('申报晋升职称');
    expect(banMessage(ban).zh).toBe('因提交虚假材料被撤销职称确认，2026年至2030年不得申报晋升职称（桂职办〔2020〕132号 四(一)）');
    expect(banMessage({ ...ban, source: 'application' }).zh).toBe('因申报时提交虚假材料不予确认，2026年至2030年不得申报晋升职称（桂职办〔2020〕132号 四(一)）');
    expect(banMessage(ban).en).toBe('Title confirmation revoked for false materials: barred from applying for a title promotion from 2026 to 2030 (notice 四(一))');
    expect(BAN_CASE_NOTE.zh).toContain('不限制职称重新确认');
  });

  it('is described without the ID number, saying whether it runs on the day asked', () => {
    const described = describeBan(ban, '2027-05-01', { forStaff: true });
    expect(described).not.toHaveProperty('idNumber');
    expect(described).toMatchObject({ inForce: true, bars: { zh: '申报晋升职称' }, startYear: 2026, endYear: 2030 });
    expect(describeBan(ban, '2031-01-01', { forStaff: true }).inForce).toBe(false);
  });

  it('tells staff its facts, and the applicant only what it bars, its clause, its years and whether it runs (四(四))', () => {
    expect(describeBan(ban, '2027-05-01', { forStaff: true })).toMatchObject({ note: '经查实', certificateNumber: 'ABC', holderName: '张三', createdAt: ban.createdAt });
    const told = describeBan(ban, '2027-05-01', { forStaff: false });
    expect(told).toEqual({ id: 'BN1', startYear: 2026, endYear: 2030, clause: '四(一)', source: 'revocation', inForce: true, bars: BAN_BARS, message: banMessage(ban) });
    expect(JSON.stringify(told)).not.toMatch(/经查实|ABC|张三|450102/);
    expect(seesBanDetails('applicant')).toBe(false);
    for (const role of ['unit_hr', 'department_reviewer', 'title_office_staff', 'authority_approver', 'handler', 'auditor', 'issuer']) expect(seesBanDetails(role)).toBe(true);
  });

  it('masks names in the register for staff other than auditors, and leaves out the note', () => {
    expect(maskPersonName('张三丰')).toBe('张*丰');
    expect(maskPersonName('李四')).toBe('李*');
    expect(maskPersonName('欧阳娜娜')).toBe('欧**娜');
    expect(maskPersonName('王')).toBe('*');
    expect(registerEntry(ban, '2027-05-01', 'auditor')).toMatchObject({ holderName: '张三', idNumber: '450102198005120019', note: '经查实', certificateNumber: 'ABC' });
    const masked = registerEntry(ban, '2027-05-01', 'handler');
    expect(masked).toMatchObject({ holderName: '张*', idNumber: '4501**********0019', inForce: true, certificateNumber: 'ABC' });
    expect(masked).not.toHaveProperty('note');
  });

  it('shows full ID numbers in the register to auditors only', () => {
    expect(registerShowsFullIdNumber('auditor')).toBe(true);
    expect(registerShowsFullIdNumber('issuer')).toBe(false);
    expect(registerShowsFullIdNumber('authority_approver')).toBe(false);
  });
});
