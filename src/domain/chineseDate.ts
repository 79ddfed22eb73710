/**
 * @module domain/chineseDate
 * Calendar dates as the service speaks them: ISO `YYYY-MM-DD` in data, `2015年12月30日` on paper and pages;
 * year-months (`YYYY-MM`, e.g. a birth or graduation month) as `1985年01月`, as the approval form writes them.
 * China has one time zone (UTC+8, no daylight saving), so "today" is computed there, not on the server's clock.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `value` is a real calendar date written `YYYY-MM-DD` (rejects 2023-02-29). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * @example formatChineseDate('2015-12-30') // '2015年12月30日'
 */
export function formatChineseDate(iso: string): string {
  const m = ISO_DATE.exec(iso.slice(0, 10));
  if (!m) throw new RangeError(`not an ISO date: ${iso}`);
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

const YEAR_MONTH = /^(\d{4})-(\d{2})$/u;

/**
 * A year-month as forms write it: the month keeps its two digits, unlike {@link formatChineseDate}'s.
 * Throws a RangeError for anything but `YYYY-MM`.
 *
 * @example formatChineseMonth('1985-01') // '1985年01月'
 */
export function formatChineseMonth(yearMonth: string): string {
  const m = YEAR_MONTH.exec(yearMonth);
  if (!m) throw new RangeError(`not a year-month: ${yearMonth}`);
  return `${m[1]}年${m[2]}月`;
}

/** The calendar date in China (UTC+8) at instant `now`, as `YYYY-MM-DD`. */
export function chinaDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** `2026-03-18T09:30:00.000Z` → `2026年3月18日 17:30` (China time). */
export function formatChineseDateTime(instant: string | Date): string {
  const t = new Date(new Date(instant).getTime() + 8 * 3600_000).toISOString();
  return `${formatChineseDate(t.slice(0, 10))} ${t.slice(11, 16)}`;
}
