/** Issue 18 item 7: the arithmetic of the offices' figures (domain/statistics.ts). */
import { describe, expect, it } from 'vitest';
import { monthsBetween, percentile } from '../../src/domain/statistics.js';

describe('percentile (nearest rank)', () => {
  it('is always a value that occurred', () => {
    expect(percentile([], 50)).toBeUndefined();
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([10, 1, 4, 3], 50)).toBe(3);
    expect(percentile([10, 1, 4, 3], 90)).toBe(10);
    expect(percentile([5, 5, 5], 0)).toBe(5);
  });
});

describe('monthsBetween', () => {
  it('lists every month of the range, across a year', () => {
    expect(monthsBetween('2026-11-20', '2027-01-05')).toEqual(['2026-11', '2026-12', '2027-01']);
    expect(monthsBetween('2026-03-01', '2026-03-31')).toEqual(['2026-03']);
    expect(monthsBetween('2026-04-01', '2026-03-31')).toEqual([]);
  });
});
