/**
 * @module domain/statistics
 * The figures of an office's work (issue 18 item 7) as plain arithmetic: the median and 90th percentile of how
 * long cases took (nearest rank, so every figure is a case that happened), and the China months of a range.
 */

/**
 * The value at percentile `p` (0–100) of `values` by the nearest-rank method; undefined for none.
 * @example percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) // 9
 * @example percentile([4, 1, 3], 50) // 3
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/**
 * Every month `YYYY-MM` from the month of `from` to the month of `to` (China dates), in order.
 * @example monthsBetween('2026-11-20', '2027-01-05') // ['2026-11', '2026-12', '2027-01']
 */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const last = to.slice(0, 7);
  for (let guard = 0; guard < 1200; guard++) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > last) break;
    months.push(month);
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
  return months;
}
