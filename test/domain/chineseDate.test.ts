/**
 * @module test/domain/chineseDate
 * Dates and year-months as they are written on paper: 2015年12月30日, and 1985年01月 on the approval form;
 * dates and times of instants in China time (UTC+8), whatever the server's clock zone.
 */

import { describe, expect, it } from 'vitest';
import { chinaDate, chinaDateOf, chinaInstant, chinaMinute, formatChinaDate, formatChinaTime, formatChineseDate, formatChineseDateTime, formatChineseMonth } from '../../src/domain/chineseDate.js';

describe('formatChineseMonth', () => {
  it('writes a year-month with its two-digit month, as the approval form does', () => {
    expect(formatChineseMonth('1985-01')).toBe('1985年01月');
    expect(formatChineseMonth('2007-12')).toBe('2007年12月');
    // A full date drops the month's zero; a year-month keeps it.
    expect(formatChineseDate('1985-01-05')).toBe('1985年1月5日');
  });

  it('refuses anything but YYYY-MM', () => {
    for (const value of ['1985-1', '1985-01-05', '198501', '1985年01月', ' 1985-01', '']) {
      expect(() => formatChineseMonth(value), value).toThrow(RangeError);
    }
  });
});

// 23:30 UTC is 07:30 the next morning in China: the day a person reads is the China one (issue 12 A3).
describe('China dates of instants', () => {
  it('formatChineseDate writes an instant’s China date, not its UTC date', () => {
    expect(formatChineseDate('2026-03-18T23:30:00.000Z')).toBe('2026年3月19日');
    expect(formatChineseDate('2026-03-18T23:30:00Z')).toBe('2026年3月19日');
    expect(formatChineseDate('2026-12-31T16:00:00Z')).toBe('2027年1月1日');
    expect(formatChineseDate('2026-03-18T15:59:59.999Z')).toBe('2026年3月18日');
    // An instant already in China time keeps its date.
    expect(formatChineseDate('2026-03-19T07:30:00+08:00')).toBe('2026年3月19日');
    expect(formatChineseDate('2026-03-18T20:00:00-05:00')).toBe('2026年3月19日');
    // A plain date is a date: nothing shifts.
    expect(formatChineseDate('2026-03-18')).toBe('2026年3月18日');
  });

  it('chinaDateOf and chinaDate give the calendar day in China', () => {
    expect(chinaDateOf('2026-03-18T23:30:00.000Z')).toBe('2026-03-19');
    expect(chinaDateOf(new Date('2026-03-18T23:30:00Z'))).toBe('2026-03-19');
    expect(chinaDate(new Date('2026-03-18T23:30:00Z'))).toBe('2026-03-19');
    expect(chinaDate(new Date('2026-03-18T15:59:59Z'))).toBe('2026-03-18');
    expect(() => chinaDateOf('yesterday')).toThrow(RangeError);
  });

  it('writes times in China time, in each page language', () => {
    expect(formatChineseDateTime('2026-03-18T23:30:00.000Z')).toBe('2026年3月19日 07:30');
    expect(formatChinaTime('2026-03-18T23:30:00.000Z', 'zh')).toBe('2026年3月19日 07:30');
    expect(formatChinaTime('2026-03-18T23:30:00.000Z', 'en')).toBe('2026-03-19 07:30 (UTC+8)');
    expect(formatChinaTime(new Date('2026-11-20T02:30:00Z'), 'en')).toBe('2026-11-20 10:30 (UTC+8)');
    expect(() => formatChineseDateTime('not a time')).toThrow(RangeError);
  });
});

describe('one formatter for each spelling of a China time', () => {
  it('the stored and answered instant: China time to the second with its offset', () => {
    expect(chinaInstant(new Date('2026-11-20T17:30:00.999Z'))).toBe('2026-11-21T01:30:00+08:00');
    expect(chinaInstant('2026-03-18T23:30:00Z')).toBe('2026-03-19T07:30:00+08:00');
    expect(() => chinaInstant('not a time')).toThrow(RangeError);
  });

  it('the wall clock to the minute, and a date in the page’s language', () => {
    expect(chinaMinute('2026-03-18T23:30:00Z')).toBe('2026-03-19 07:30');
    expect(formatChinaDate('2015-12-30', 'zh')).toBe('2015年12月30日');
    expect(formatChinaDate('2015-12-30', 'en')).toBe('2015-12-30');
    expect(formatChinaDate('2026-03-18T23:30:00.000Z', 'zh')).toBe('2026年3月19日');
    expect(formatChinaDate('2026-03-18T23:30:00.000Z', 'en')).toBe('2026-03-19');
  });
});
