/**
 * @module domain/workingDays
 * China's working-day calendar, as it stands in Guangxi, and the end of a public notice. 二(二)2 of
 * 桂职办〔2020〕132号: the unit publishes the approval form "在本单位公示5个工作日" — five working days, where
 * statutory holidays and the 调休 schedule of 国务院办公厅's yearly notice decide what a working day is, and
 * so does the region's own public holiday: 壮族三月三 (《广西壮族自治区少数民族习惯节日放假办法》,
 * 自治区人民政府令第98号: since 2014 农历三月初三、初四, two days, the arrangement announced each year by
 * 自治区人民政府办公厅, sometimes with days worked in lieu).
 *
 * Data: `holidays.data.json`, vendored from the npm package `chinese-days` (pinned exactly as a dev
 * dependency; a test fails when the package and the copy differ) because the domain imports nothing
 * outside itself; this module knows which years the copy covers. `regionalHolidays.data.json`: the
 * region's announced 三月三 arrangements, each year with the announcement it was read from. For a year the
 * national copy does not cover (not yet announced) the answer is never a silent guess: weekends rest, the
 * statutory days of 《全国年节及纪念日放假办法》 (国务院令第798号, in force since 2025-01-01) are holidays —
 * fixed dates directly, 春节/端午/中秋 from `lunarHolidays.data.json` (generated from the same package's
 * lunar table; ICU's `Intl` Chinese calendar was tried and puts 春节 2027 on 02-07, a day late), 清明 from
 * the solar-term formula — no 调休 is assumed, and the result is marked `provisional`. Likewise for a year
 * whose 三月三 arrangement is not recorded: 初三 and 初四 (same lunar table) rest, and the days around them
 * are `provisional`. Admin overrides win over all of it; a year stops being provisional only when the region
 * title office's admin records, as an act of its own, that its national and its regional arrangements are
 * announced (`YearAnnouncement`) — entering an override alone does not do it.
 */
import dataset from './holidays.data.json' with { type: 'json' };
import lunarHolidays from './lunarHolidays.data.json' with { type: 'json' };
import regionalHolidays from './regionalHolidays.data.json' with { type: 'json' };
import { isIsoDate } from './chineseDate.js';

/** The dataset a computed date rests on; store it with the date so it can be recomputed when data changes. */
export const CALENDAR_DATA_VERSION: string = `${dataset.version}+${regionalHolidays.version}`;

export type DayKind = 'holiday' | 'workday';

/** An admin's correction for one date (a local holiday, a late change to the schedule). */
export interface CalendarOverride {
  date: string;
  kind: DayKind;
}

/**
 * The region title office admin's record that a year's arrangements are announced: the national one
 * (国务院办公厅) and the region's 三月三 one (自治区人民政府办公厅), each recorded on purpose (issue 13 item 8).
 */
export interface YearAnnouncement {
  year: number;
  national: boolean;
  regional: boolean;
}

export type DayReason = 'override' | 'holiday' | 'makeup_workday' | 'weekend' | 'weekday' | 'statutory_holiday' | 'regional_holiday' | 'regional_workday';

export interface DayClass {
  date: string;
  working: boolean;
  /** True when an arrangement that decides this day (the year's national schedule, or the region's 三月三 around it) is not recorded, and no override fixed the day. */
  provisional: boolean;
  reason: DayReason;
}

/** Where a year's arrangement comes from: the shipped data, an admin's record, or nowhere yet. */
export type RecordedBy = 'data' | 'admin' | null;

/** What is known of a year: announced only when both arrangements are (issue 13 item 8). */
export interface YearStatus {
  year: number;
  announced: boolean;
  national: { announced: boolean; recordedBy: RecordedBy };
  regional: {
    /** 壮族三月三 is a public holiday from 2014 on (自治区人民政府令第98号). */
    observed: boolean;
    announced: boolean;
    recordedBy: RecordedBy;
    /** 农历三月初三、初四 of the year. */
    lunarDays: string[];
    /** The arrangement's days off and days worked in lieu: the recorded ones, or 初三/初四 computed. */
    holidays: string[];
    workdays: string[];
    /** The announcement the shipped data was read from. */
    announcement: string | null;
  };
}

export interface NoticeEnd {
  end: string;
  provisional: boolean;
  dataVersion: string;
}

const HOLIDAYS: Readonly<Record<string, string>> = dataset.holidays;
const MAKEUP_WORKDAYS: Readonly<Record<string, string>> = dataset.workdays;
const COVERED_YEARS: ReadonlySet<number> = new Set(Object.keys(HOLIDAYS).map((d) => Number(d.slice(0, 4))));

/** The years the calendar computes (the lunar table's). */
export function calendarYears(): { first: number; last: number } {
  const years = Object.keys(LUNAR).map(Number);
  return { first: Math.min(...years), last: Math.max(...years) };
}

/** Years whose announced schedule is in the dataset, ascending. */
export function coveredYears(): number[] {
  return [...COVERED_YEARS].sort((a, b) => a - b);
}

/**
 * What kind of day `date` is.
 * @example classifyDay('2026-10-10') // {date: '2026-10-10', working: true, provisional: false, reason: 'makeup_workday'}
 */
export function classifyDay(date: string, overrides: readonly CalendarOverride[] = [], announcements: readonly YearAnnouncement[] = []): DayClass {
  return classifier(overrides, announcements)(date);
}

/**
 * The last day of a period of `days` working days beginning on `start`; `start` counts when it is a
 * working day. `provisional` when any day of the period lies in a year whose national schedule is not
 * recorded as announced, or near a 三月三 whose arrangement is not.
 * @example noticeEnd('2026-09-29', 5) // {end: '2026-10-10', provisional: false, dataVersion: 'chinese-days@1.5.7+guangxi-sanyuesan@2026-12-07'}
 */
export function noticeEnd(start: string, days: number, overrides: readonly CalendarOverride[] = [], announcements: readonly YearAnnouncement[] = []): NoticeEnd {
  if (!isIsoDate(start)) throw new RangeError(`not an ISO date: ${start}`);
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`days must be a positive integer: ${days}`);
  const classify = classifier(overrides, announcements);
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
export function workingDaysLeft(today: string, start: string, end: string, overrides: readonly CalendarOverride[] = [], announcements: readonly YearAnnouncement[] = []): number {
  const classify = classifier(overrides, announcements);
  let left = 0;
  for (let date = today > start ? today : start; date <= end; date = addDays(date, 1)) if (classify(date).working) left++;
  return left;
}

/**
 * Working days that have passed since `since` up to `today`: `since` itself does not count, `today` does (a case
 * that arrived on Friday has waited 1 working day on Monday). 0 when `today` is not after `since`.
 * @example workingDaysSince('2026-09-25', '2026-10-09') // 5: 28–30 September, 8 and 9 October (中秋 and 国庆 fall between)
 */
export function workingDaysSince(since: string, today: string, overrides: readonly CalendarOverride[] = [], announcements: readonly YearAnnouncement[] = []): number {
  const classify = classifier(overrides, announcements);
  let passed = 0;
  for (let date = addDays(since, 1); date <= today; date = addDays(date, 1)) if (classify(date).working) passed++;
  return passed;
}

/**
 * The Sunday that ends the week (Monday to Sunday) of `date`: "this week" as an office reads it.
 * @example endOfWeek('2026-10-07') // '2026-10-11'
 */
export function endOfWeek(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday
  return addDays(date, weekday === 0 ? 0 : 7 - weekday);
}

function classifier(overrides: readonly CalendarOverride[], announcements: readonly YearAnnouncement[]): (date: string) => DayClass {
  const byDate = new Map<string, DayKind>();
  for (const o of overrides) {
    if (!isIsoDate(o.date)) throw new RangeError(`override date is not an ISO date: ${o.date}`);
    byDate.set(o.date, o.kind);
  }
  // Item 8: a year is announced by an explicit record, never because an override fell in it.
  const announced = announcementsByYear(announcements);
  const arrangements = new Map<number, Arrangement>();
  const arrangementOf = (year: number) => {
    let arrangement = arrangements.get(year);
    if (!arrangement) arrangements.set(year, (arrangement = regionalArrangement(year, announced.get(year)?.regional === true)));
    return arrangement;
  };
  return (date) => {
    if (!isIsoDate(date)) throw new RangeError(`not an ISO date: ${date}`);
    const override = byDate.get(date);
    if (override) return { date, working: override === 'workday', provisional: false, reason: 'override' };
    const year = Number(date.slice(0, 4));
    const record = announced.get(year);
    const nationalKnown = COVERED_YEARS.has(year) || record?.national === true;
    const regional = arrangementOf(year);
    const provisional = !nationalKnown || (!regional.announced && withinReachOfSanyuesan(date, year));
    // 壮族三月三 (自治区人民政府令第98号) first: the region's arrangement may rest a national 调休 workday (2017-04-01, 2023-04-23).
    if (regional.holidays.includes(date)) return { date, working: false, provisional, reason: 'regional_holiday' };
    if (regional.workdays.includes(date)) return { date, working: true, provisional, reason: 'regional_workday' };
    const weekend = isWeekend(date);
    if (COVERED_YEARS.has(year)) {
      if (date in HOLIDAYS) return { date, working: false, provisional, reason: 'holiday' };
      if (date in MAKEUP_WORKDAYS) return { date, working: true, provisional, reason: 'makeup_workday' };
      return { date, working: !weekend, provisional, reason: weekend ? 'weekend' : 'weekday' };
    }
    if (statutoryHolidays(year).has(date)) return { date, working: false, provisional, reason: 'statutory_holiday' };
    return { date, working: !weekend, provisional, reason: weekend ? 'weekend' : 'weekday' };
  };
}

/**
 * What is known of `year`: its national schedule (shipped data or an admin's record), its 壮族三月三
 * arrangement (shipped data, an admin's record, or 初三/初四 computed), and whether both are announced.
 * @example yearStatus(2024).announced // true: the national schedule and 桂政办 2024 三月三 (4-11, 4-12) are shipped
 * @example yearStatus(2027, [{year: 2027, national: true, regional: false}]).announced // false
 */
export function yearStatus(year: number, announcements: readonly YearAnnouncement[] = []): YearStatus {
  if (!Number.isInteger(year) || !LUNAR[String(year)]) throw new RangeError(`no calendar for ${year}: only ${LUNAR_RANGE} are computed`);
  const record = announcementsByYear(announcements).get(year);
  const nationalRecordedBy: RecordedBy = COVERED_YEARS.has(year) ? 'data' : record?.national ? 'admin' : null;
  const regional = regionalArrangement(year, record?.regional === true);
  return {
    year,
    announced: nationalRecordedBy !== null && regional.announced,
    national: { announced: nationalRecordedBy !== null, recordedBy: nationalRecordedBy },
    regional: {
      observed: year >= SANYUESAN_SINCE,
      announced: regional.announced,
      recordedBy: regional.recordedBy,
      lunarDays: year >= SANYUESAN_SINCE ? sanyuesan(year) : [],
      holidays: [...regional.holidays],
      workdays: [...regional.workdays],
      announcement: regional.announcement,
    },
  };
}

function announcementsByYear(announcements: readonly YearAnnouncement[]): Map<number, YearAnnouncement> {
  const byYear = new Map<number, YearAnnouncement>();
  for (const a of announcements) {
    if (!Number.isInteger(a.year)) throw new RangeError(`announcement year is not a year: ${a.year}`);
    byYear.set(a.year, a);
  }
  return byYear;
}

/** 自治区人民政府令第98号: 壮族三月三 is a public holiday in Guangxi from 2014 on. */
const SANYUESAN_SINCE = 2014;
/**
 * How far from 初三/初四 an unrecorded arrangement can move a day: the recorded ones rested or worked days
 * at most 8 days away (2017: Sat 4-08 worked after 3-30/31 off); 10 leaves room and keeps the rest of the
 * year — 清明 and 劳动节 included — final.
 */
const SANYUESAN_REACH_DAYS = 10;

interface Arrangement {
  announced: boolean;
  recordedBy: RecordedBy;
  holidays: readonly string[];
  workdays: readonly string[];
  announcement: string | null;
}

const REGIONAL_YEARS: Readonly<Record<string, { holidays: string[]; workdays: string[]; announcement: string }>> = regionalHolidays.years;
const NOT_OBSERVED: Arrangement = { announced: true, recordedBy: null, holidays: [], workdays: [], announcement: null };

/** The year's 三月三 arrangement: the shipped one, else 初三/初四 computed — recorded when an admin said so. */
function regionalArrangement(year: number, adminRecorded: boolean): Arrangement {
  if (year < SANYUESAN_SINCE) return NOT_OBSERVED;
  const shipped = REGIONAL_YEARS[String(year)];
  if (shipped) return { announced: true, recordedBy: 'data', holidays: shipped.holidays, workdays: shipped.workdays, announcement: shipped.announcement };
  return { announced: adminRecorded, recordedBy: adminRecorded ? 'admin' : null, holidays: sanyuesan(year), workdays: [], announcement: null };
}

/** 农历三月初三 and 初四 of `year`. */
function sanyuesan(year: number): string[] {
  const lunar = LUNAR[String(year)];
  if (!lunar) throw new RangeError(`no lunar calendar for ${year}: only ${LUNAR_RANGE} are computed`);
  return [lunar.shangsi, addDays(lunar.shangsi, 1)];
}

function withinReachOfSanyuesan(date: string, year: number): boolean {
  if (year < SANYUESAN_SINCE) return false;
  const [third, fourth] = sanyuesan(year) as [string, string];
  return date >= addDays(third, -SANYUESAN_REACH_DAYS) && date <= addDays(fourth, SANYUESAN_REACH_DAYS);
}

const LUNAR: Readonly<Record<string, { springFestival: string; dragonBoat: string; midAutumn: string; shangsi: string }>> = lunarHolidays.years;
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
