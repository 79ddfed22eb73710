/**
 * @module domain/workingDays
 * China's working-day calendar and the end of a public notice. 二(二)2 of 桂职办〔2020〕132号: the unit
 * publishes the approval form "在本单位公示5个工作日" — five working days, where statutory holidays and the
 * 调休 schedule of 国务院办公厅's yearly notice decide what a working day is.
 *
 * Data: `holidays.data.json`, vendored from the npm package `chinese-days` (pinned exactly as a dev
 * dependency; a test fails when the package and the copy differ) because the domain imports nothing
 * outside itself; this module knows which years the copy covers. For a year it does not cover (not yet
 * announced) the answer is never a silent guess: weekends rest, the statutory days of 《全国年节及纪念日放假办法》
 * (国务院令第798号, in force since 2025-01-01) are holidays — fixed dates directly, 春节/端午/中秋 from
 * `lunarHolidays.data.json` (generated from the same package's lunar table; ICU's `Intl` Chinese calendar
 * was tried and puts 春节 2027 on 02-07, a day late), 清明 from the solar-term formula — no 调休 is assumed,
 * and the result is marked `provisional`. Admin overrides win over both; once an admin has entered
 * overrides for a year (its announced 放假 and 调休 days), that year is no longer provisional.
 */
import dataset from './holidays.data.json' with { type: 'json' };
import lunarHolidays from './lunarHolidays.data.json' with { type: 'json' };
import { isIsoDate } from './chineseDate.js';

/** The dataset a computed date rests on; store it with the date so it can be recomputed when data changes. */
export const CALENDAR_DATA_VERSION: string = dataset.version;

export type DayKind = 'holiday' | 'workday';

/** An admin's correction for one date (a local holiday, a late change to the schedule). */
export interface CalendarOverride {
  date: string;
  kind: DayKind;
}

export type DayReason = 'override' | 'holiday' | 'makeup_workday' | 'weekend' | 'weekday' | 'statutory_holiday';

export interface DayClass {
  date: string;
  working: boolean;
  /** True when the year's schedule is not announced and the day was not fixed by an override. */
  provisional: boolean;
  reason: DayReason;
}

export interface NoticeEnd {
  end: string;
  provisional: boolean;
  dataVersion: string;
}

const HOLIDAYS: Readonly<Record<string, string>> = dataset.holidays;
const MAKEUP_WORKDAYS: Readonly<Record<string, string>> = dataset.workdays;
const COVERED_YEARS: ReadonlySet<number> = new Set(Object.keys(HOLIDAYS).map((d) => Number(d.slice(0, 4))));

/** Years whose announced schedule is in the dataset, ascending. */
export function coveredYears(): number[] {
  return [...COVERED_YEARS].sort((a, b) => a - b);
}

/**
 * What kind of day `date` is.
 * @example classifyDay('2026-10-10') // {date: '2026-10-10', working: true, provisional: false, reason: 'makeup_workday'}
 */
export function classifyDay(date: string, overrides: readonly CalendarOverride[] = []): DayClass {
  return classifier(overrides)(date);
}

/**
 * The last day of a period of `days` working days beginning on `start`; `start` counts when it is a
 * working day. `provisional` when any day of the period lies in a year not yet announced.
 * @example noticeEnd('2026-09-29', 5) // {end: '2026-10-10', provisional: false, dataVersion: 'chinese-days@1.5.7'}
 */
export function noticeEnd(start: string, days: number, overrides: readonly CalendarOverride[] = []): NoticeEnd {
  if (!isIsoDate(start)) throw new RangeError(`not an ISO date: ${start}`);
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`days must be a positive integer: ${days}`);
  const classify = classifier(overrides);
  let provisional = false;
  let counted = 0;
  for (let date = start; ; date = addDays(date, 1)) {
    const day = classify(date);
    provisional ||= day.provisional;
    if (day.working && ++counted === days) return { end: date, provisional, dataVersion: CALENDAR_DATA_VERSION };
  }
}

/**
 * Working days of a notice from `start` to `end` still to run on `today`, today included.
 * @example workingDaysLeft('2026-10-09', '2026-09-29', '2026-10-10') // 2
 */
export function workingDaysLeft(today: string, start: string, end: string, overrides: readonly CalendarOverride[] = []): number {
  const classify = classifier(overrides);
  let left = 0;
  for (let date = today > start ? today : start; date <= end; date = addDays(date, 1)) if (classify(date).working) left++;
  return left;
}

function classifier(overrides: readonly CalendarOverride[]): (date: string) => DayClass {
  const byDate = new Map<string, DayKind>();
  // A year for which an admin entered overrides is announced by the admin: its schedule is theirs, not a guess.
  const adminYears = new Set<number>();
  for (const o of overrides) {
    if (!isIsoDate(o.date)) throw new RangeError(`override date is not an ISO date: ${o.date}`);
    byDate.set(o.date, o.kind);
    adminYears.add(Number(o.date.slice(0, 4)));
  }
  return (date) => {
    if (!isIsoDate(date)) throw new RangeError(`not an ISO date: ${date}`);
    const override = byDate.get(date);
    if (override) return { date, working: override === 'workday', provisional: false, reason: 'override' };
    const weekend = isWeekend(date);
    if (COVERED_YEARS.has(Number(date.slice(0, 4)))) {
      if (date in HOLIDAYS) return { date, working: false, provisional: false, reason: 'holiday' };
      if (date in MAKEUP_WORKDAYS) return { date, working: true, provisional: false, reason: 'makeup_workday' };
      return { date, working: !weekend, provisional: false, reason: weekend ? 'weekend' : 'weekday' };
    }
    const provisional = !adminYears.has(Number(date.slice(0, 4)));
    if (statutoryHolidays(Number(date.slice(0, 4))).has(date)) return { date, working: false, provisional, reason: 'statutory_holiday' };
    return { date, working: !weekend, provisional, reason: weekend ? 'weekend' : 'weekday' };
  };
}

const LUNAR: Readonly<Record<string, { springFestival: string; dragonBoat: string; midAutumn: string }>> = lunarHolidays.years;
const LUNAR_RANGE = `${Object.keys(LUNAR)[0]}–${Object.keys(LUNAR).at(-1)}`;
const statutoryCache = new Map<number, ReadonlySet<string>>();

/**
 * The statutory rest days of 国务院令第798号 第二条 for a year with no announced schedule: 元旦 1 day,
 * 春节 4 (除夕 to 初三), 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3. Only the years of the lunar table (2004–2099).
 */
export function statutoryHolidays(year: number): ReadonlySet<string> {
  const cached = statutoryCache.get(year);
  if (cached) return cached;
  const lunar = LUNAR[String(year)];
  if (!lunar) throw new RangeError(`no holiday rules for ${year}: only ${LUNAR_RANGE} are computed`);
  const y = String(year);
  const newYear = lunar.springFestival;
  const days = new Set<string>([
    `${y}-01-01`,
    addDays(newYear, -1), addDays(newYear, 0), addDays(newYear, 1), addDays(newYear, 2),
    qingming(year),
    `${y}-05-01`, `${y}-05-02`,
    lunar.dragonBoat,
    lunar.midAutumn,
    `${y}-10-01`, `${y}-10-02`, `${y}-10-03`,
  ]);
  statutoryCache.set(year, days);
  return days;
}

/** 清明: the day the sun reaches 15°, by the 21st-century solar-term formula ⌊Y·0.2422 + 4.81⌋ − ⌊Y/4⌋. */
function qingming(year: number): string {
  const y = year % 100;
  return `${year}-04-${String(Math.floor(y * 0.2422 + 4.81) - Math.floor(y / 4)).padStart(2, '0')}`;
}

function addDays(date: string, n: number): string {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)) + n);
  return new Date(t).toISOString().slice(0, 10);
}

function isWeekend(date: string): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
}
