/**
 * @module test/domain/chineseDate
 * Dates and year-months as they are written on paper: 2015年12月30日, and 1985年01月 on the approval form.
 */

import { describe, expect, it } from 'vitest';
import { formatChineseDate, formatChineseMonth } from '../../src/domain/chineseDate.js';

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
