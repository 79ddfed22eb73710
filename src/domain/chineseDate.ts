/**
 * @module domain/chineseDate
 * Calendar dates as the service speaks them: ISO `YYYY-MM-DD` in data, `2015年12月30日` on paper and pages;
 * year-months (`YYYY-MM`, e.g. a birth or graduation month) as `1985年01月`, as the approval form writes them.
 * China has one time zone (UTC+8, no daylight saving), so "today" is computed there, not on the server's clock,
 * and every date or time a person reads that comes from an instant (`2026-03-18T23:30:00.000Z`) is the China
 * one: 23:30 UTC is already 07:30 the next morning in China. Machine fields keep the ISO 8601 instant.
 */

/** China Standard Time: UTC+8 all year. */
const CHINA_OFFSET_MS = 8 * 3600_000;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** An ISO 8601 instant: a date and a time with its zone (`Z` or `±hh:mm`). */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** True when `value` is a real calendar date written `YYYY-MM-DD` (rejects 2023-02-29). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * A calendar date as paper writes it. Given an instant with its zone instead (`…T23:30:00Z`), it writes that
 * instant's date in China — never the first ten characters, which are the UTC date.
 *
 * @example formatChineseDate('2015-12-30') // '2015年12月30日'
 * @example formatChineseDate('2026-03-18T23:30:00.000Z') // '2026年3月19日'
 */
export function formatChineseDate(iso: string): string {
  const m = ISO_DATE.exec(INSTANT.test(iso) ? chinaDateOf(iso) : iso.slice(0, 10));
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
  return chinaClock(now).slice(0, 10);
}

/**
 * The calendar date in China of an instant given as ISO 8601 text or a Date, as `YYYY-MM-DD`.
 * Throws a RangeError for text that is not a time.
 *
 * @example chinaDateOf('2026-03-18T23:30:00.000Z') // '2026-03-19'
 */
export function chinaDateOf(instant: string | Date): string {
  return chinaClock(instant).slice(0, 10);
}

/** `2026-03-18T09:30:00.000Z` → `2026年3月18日 17:30` (China time). */
export function formatChineseDateTime(instant: string | Date): string {
  const t = chinaClock(instant);
  return `${formatChineseDate(t.slice(0, 10))} ${t.slice(11, 16)}`;
}

/**
 * An instant as a person reads it, in China time: `2026年3月19日 07:30` on a Chinese page, and
 * `2026-03-19 07:30 (UTC+8)` on the English one, where the zone is not obvious to the reader.
 *
 * @example formatChinaTime('2026-03-18T23:30:00Z', 'en') // '2026-03-19 07:30 (UTC+8)'
 */
export function formatChinaTime(instant: string | Date, lang: 'zh' | 'en'): string {
  return lang === 'zh' ? formatChineseDateTime(instant) : `${chinaMinute(instant)} (UTC+8)`;
}

/**
 * The wall clock in China at an instant, to the minute, for English text that adds its own zone words.
 * @example chinaMinute('2026-03-18T23:30:00Z') // '2026-03-19 07:30'
 */
export function chinaMinute(instant: string | Date): string {
  const t = chinaClock(instant);
  return `${t.slice(0, 10)} ${t.slice(11, 16)}`;
}

/**
 * A calendar date in a page's language: `2015年12月30日`, or `2015-12-30` in English. An instant with its
 * zone is written as its date in China.
 * @example formatChinaDate('2026-03-18T23:30:00Z', 'en') // '2026-03-19'
 */
export function formatChinaDate(iso: string, lang: 'zh' | 'en'): string {
  if (lang === 'zh') return formatChineseDate(iso);
  return iso.includes('T') ? chinaDateOf(iso) : iso.slice(0, 10);
}

/**
 * An instant as machines exchange it, in China time to the second with its offset — the one spelling the
 * service stores and answers a moment in (one spelling keeps hashes stable and lets times compare as text).
 * @example chinaInstant(new Date('2026-11-20T02:30:00Z')) // '2026-11-20T10:30:00+08:00'
 */
export function chinaInstant(at: string | Date): string {
  return `${chinaClock(at).slice(0, 19)}+08:00`;
}

/** The wall clock in China at `instant`, as `YYYY-MM-DDTHH:MM:SS.sss` (no zone). */
function chinaClock(instant: string | Date): string {
  const t = new Date(instant).getTime();
  if (Number.isNaN(t)) throw new RangeError(`not an instant: ${String(instant)}`);
  return new Date(t + CHINA_OFFSET_MS).toISOString().slice(0, 23);
}
