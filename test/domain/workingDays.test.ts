import { describe, expect, it } from 'vitest';
import upstream from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import upstreamPackage from 'chinese-days/package.json' with { type: 'json' };
import vendored from '../../src/domain/holidays.data.json' with { type: 'json' };
import regional from '../../src/domain/regionalHolidays.data.json' with { type: 'json' };
import { CALENDAR_DATA_VERSION, classifyDay, coveredYears, noticeEnd, statutoryHolidays, yearStatus } from '../../src/domain/workingDays.js';

describe('noticeEnd — 二(二)2: 公示5个工作日', () => {
  it('Tue 2026-09-29 + 5 working days ends Sat 2026-10-10, the 调休 day after National Day', () => {
    expect(noticeEnd('2026-09-29', 5)).toEqual({ end: '2026-10-10', provisional: false, dataVersion: CALENDAR_DATA_VERSION });
    expect(CALENDAR_DATA_VERSION).toBe('chinese-days@1.5.7+guangxi-sanyuesan@2026-12-07');
  });

  it('crosses the Spring Festival 2026 (2-15 … 2-23 off, Sat 2-14 and Sat 2-28 worked)', () => {
    expect(classifyDay('2026-02-14')).toMatchObject({ working: true, reason: 'makeup_workday' });
    expect(classifyDay('2026-02-23')).toMatchObject({ working: false, reason: 'holiday' });
    // Thu 2-12, Fri 2-13, Sat 2-14 (调休), then Tue 2-24, Wed 2-25
    expect(noticeEnd('2026-02-12', 5)).toMatchObject({ end: '2026-02-25', provisional: false });
    // Thu 2-26, Fri 2-27, Sat 2-28 (调休), Mon 3-2, Tue 3-3
    expect(noticeEnd('2026-02-26', 5).end).toBe('2026-03-03');
  });

  it('a start on a holiday or a weekend does not count', () => {
    expect(noticeEnd('2026-10-01', 1).end).toBe('2026-10-08'); // 10-01…10-07 off
    expect(noticeEnd('2026-10-03', 5).end).toBe('2026-10-13'); // 10-08, 10-09, 10-10 (Sat, 调休), 10-12, 10-13
    expect(noticeEnd('2026-03-07', 1).end).toBe('2026-03-09'); // Saturday → Monday
    expect(noticeEnd('2026-03-09', 1).end).toBe('2026-03-09'); // a working start counts
  });

  it('a 2027 date is provisional (schedule not announced) and keeps the fixed-date holidays', () => {
    expect(coveredYears()).not.toContain(2027);
    const result = noticeEnd('2027-09-29', 5);
    expect(result.provisional).toBe(true);
    // Wed 9-29, Thu 9-30, then 10-01…10-03 statutory (Fri–Sun), Mon 10-4, Tue 10-5, Wed 10-6
    expect(result.end).toBe('2027-10-06');
    expect(classifyDay('2027-01-01')).toEqual({ date: '2027-01-01', working: false, provisional: true, reason: 'statutory_holiday' });
    // 春节 2027: 除夕 Feb 5, 初一 Feb 6
    expect([...statutoryHolidays(2027)]).toEqual(expect.arrayContaining(['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-04-05', '2027-05-01', '2027-05-02', '2027-06-09', '2027-09-15', '2027-10-03']));
    // a period ending in 2026 but touching nothing of 2027 stays final
    expect(noticeEnd('2026-12-24', 5)).toMatchObject({ end: '2026-12-30', provisional: false });
    expect(noticeEnd('2026-12-29', 5)).toMatchObject({ end: '2027-01-05', provisional: true });
  });

  it('admin overrides win over the dataset', () => {
    expect(noticeEnd('2026-09-29', 5, [{ date: '2026-10-10', kind: 'holiday' }]).end).toBe('2026-10-12');
    // 9-29, 9-30, 10-01 (overridden to a workday), 10-08, 10-09
    expect(noticeEnd('2026-09-29', 5, [{ date: '2026-10-01', kind: 'workday' }]).end).toBe('2026-10-09');
    expect(classifyDay('2027-01-01', [{ date: '2027-01-01', kind: 'workday' }])).toMatchObject({ working: true, provisional: false, reason: 'override' });
  });

  it('an override does not by itself make its year announced (issue 13 item 8): only the explicit record of both arrangements does', () => {
    const schedule = [
      { date: '2027-02-05', kind: 'holiday' as const },
      { date: '2027-02-11', kind: 'holiday' as const },
      { date: '2027-02-07', kind: 'workday' as const },
    ];
    // the overridden day is fixed; the rest of 2027 is still a guess
    expect(classifyDay('2027-02-07', schedule)).toMatchObject({ working: true, provisional: false, reason: 'override' });
    expect(classifyDay('2027-02-08', schedule)).toMatchObject({ working: false, provisional: true, reason: 'statutory_holiday' });
    expect(classifyDay('2027-03-02', schedule)).toMatchObject({ working: true, provisional: true, reason: 'weekday' });
    expect(noticeEnd('2027-02-03', 5, schedule)).toMatchObject({ provisional: true });
    expect(yearStatus(2027).announced).toBe(false);

    // the national schedule recorded as announced: the year is final away from 三月三 …
    const national = [{ year: 2027, national: true, regional: false }];
    expect(classifyDay('2027-02-08', schedule, national)).toMatchObject({ working: false, provisional: false, reason: 'statutory_holiday' });
    expect(noticeEnd('2027-02-03', 5, schedule, national)).toMatchObject({ provisional: false });
    expect(yearStatus(2027, national)).toMatchObject({ announced: false, national: { announced: true, recordedBy: 'admin' }, regional: { announced: false, recordedBy: null } });
    // … but not around 初三/初四 (2027-04-09, 04-10), whose arrangement is not recorded
    expect(classifyDay('2027-04-09', schedule, national)).toMatchObject({ working: false, provisional: true, reason: 'regional_holiday' });
    expect(noticeEnd('2027-04-07', 5, schedule, national)).toMatchObject({ provisional: true });

    // both recorded: announced, 初三/初四 still rest unless an override says otherwise
    const both = [{ year: 2027, national: true, regional: true }];
    expect(yearStatus(2027, both)).toMatchObject({ announced: true, regional: { announced: true, recordedBy: 'admin', holidays: ['2027-04-09', '2027-04-10'] } });
    expect(classifyDay('2027-04-09', schedule, both)).toMatchObject({ working: false, provisional: false, reason: 'regional_holiday' });
    expect(classifyDay('2028-03-02', schedule, both)).toMatchObject({ provisional: true });
  });

  it('refuses what it cannot compute instead of guessing', () => {
    expect(() => noticeEnd('2026-02-30', 5)).toThrow(RangeError);
    expect(() => noticeEnd('2026-09-29', 0)).toThrow(RangeError);
    expect(() => statutoryHolidays(2100)).toThrow(RangeError);
    expect(() => noticeEnd('2099-12-30', 5)).toThrow(RangeError);
  });
});

describe('壮族三月三 — the region’s public holiday counts for the notice (自治区人民政府令第98号)', () => {
  it('a notice spanning 三月三 in a year whose announcement is shipped (2024: Thu 4-11, Fri 4-12 off) is final', () => {
    // Tue 4-09, Wed 4-10, then 4-11 … 4-14 off, Mon 4-15, Tue 4-16, Wed 4-17
    expect(noticeEnd('2024-04-09', 5)).toEqual({ end: '2024-04-17', provisional: false, dataVersion: CALENDAR_DATA_VERSION });
    expect(classifyDay('2024-04-11')).toEqual({ date: '2024-04-11', working: false, provisional: false, reason: 'regional_holiday' });
    expect(yearStatus(2024)).toMatchObject({ announced: true, national: { recordedBy: 'data' }, regional: { recordedBy: 'data', lunarDays: ['2024-04-11', '2024-04-12'] } });
  });

  it('a shipped arrangement with days worked in lieu and a national 调休 day rested (2017)', () => {
    // 3-30, 3-31 off; Sat 4-01 (a national workday) rested; 4-02 … 4-04 清明; Sat 4-08 worked
    expect(classifyDay('2017-04-01')).toMatchObject({ working: false, reason: 'regional_holiday' });
    expect(classifyDay('2017-04-08')).toMatchObject({ working: true, reason: 'regional_workday' });
    // Wed 3-29, then Wed 4-05, Thu 4-06, Fri 4-07, Sat 4-08
    expect(noticeEnd('2017-03-29', 5)).toMatchObject({ end: '2017-04-08', provisional: false });
    // 2020: cancelled (疫情), 3-26 and 3-27 worked
    expect(noticeEnd('2020-03-25', 5)).toMatchObject({ end: '2020-03-31', provisional: false });
  });

  it('a year whose arrangement is not recorded (2026) rests 初三/初四 from the lunar calendar and is provisional around them only', () => {
    expect(yearStatus(2026)).toMatchObject({ announced: false, national: { announced: true }, regional: { announced: false, recordedBy: null, holidays: ['2026-04-19', '2026-04-20'] } });
    expect(classifyDay('2026-04-20')).toEqual({ date: '2026-04-20', working: false, provisional: true, reason: 'regional_holiday' });
    // Thu 4-16, Fri 4-17, (Sat, Sun 初三, Mon 初四 off) Tue 4-21, Wed 4-22, Thu 4-23
    expect(noticeEnd('2026-04-16', 5)).toMatchObject({ end: '2026-04-23', provisional: true });
    // months away from 三月三 the national schedule alone decides: final
    expect(noticeEnd('2026-09-29', 5)).toMatchObject({ end: '2026-10-10', provisional: false });
    // the admin records the region's 2026 arrangement: final, with its overrides
    const recorded = [{ year: 2026, national: true, regional: true }];
    expect(noticeEnd('2026-04-16', 5, [], recorded)).toMatchObject({ end: '2026-04-23', provisional: false });
    expect(noticeEnd('2026-04-16', 5, [{ date: '2026-04-17', kind: 'holiday' }], recorded)).toMatchObject({ end: '2026-04-24', provisional: false });
  });

  it('is not a holiday before 2014', () => {
    expect(yearStatus(2013)).toMatchObject({ announced: true, regional: { observed: false, holidays: [] } });
    expect(classifyDay('2013-04-12')).toMatchObject({ working: true, reason: 'weekday' }); // 2013's 初三
  });

  it('every shipped year cites its announcement and rests or works days near its 初三', () => {
    for (const [year, arrangement] of Object.entries(regional.years)) {
      expect(arrangement.announcement, year).toMatch(/壮族三月三/);
      expect(arrangement.seenIn, year).not.toBe('');
      const [third] = yearStatus(Number(year)).regional.lunarDays as [string];
      for (const day of [...arrangement.holidays, ...arrangement.workdays]) {
        expect(day.slice(0, 4), `${year} ${day}`).toBe(year);
        expect(Math.abs(Date.parse(day) - Date.parse(third)) / 86_400_000, `${year} ${day}`).toBeLessThanOrEqual(10);
      }
    }
  });
});

describe('the provisional rules agree with every announced year', () => {
  // Each day the rules compute must be a rest day (holiday or weekend) in the announced schedule; before
  // 国务院令第798号 (2025) 除夕 and 5-02 were not statutory, so they are checked from 2025 on only.
  it('春节, 清明, 端午, 中秋, 元旦, 劳动节, 国庆', () => {
    for (const year of coveredYears().filter((y) => y >= 2008)) { // 清明, 端午, 中秋 statutory since 2008
      const [, eve, ...rest] = [...statutoryHolidays(year)];
      const days = year >= 2025 ? [...statutoryHolidays(year)] : [`${year}-01-01`, ...rest].filter((d) => !d.endsWith('-05-02'));
      expect(eve).toBeDefined();
      for (const day of days) expect(classifyDay(day), `${day}`).toMatchObject({ working: false, provisional: false });
    }
  });
});

describe('the vendored dataset', () => {
  it('is the installed chinese-days, so updating the package means re-vendoring it', () => {
    expect(vendored.version).toBe(`chinese-days@${upstreamPackage.version}`);
    expect(vendored.holidays).toEqual(upstream.holidays);
    expect(vendored.workdays).toEqual(upstream.workdays);
  });
});

describe('workingDaysSince and endOfWeek (issue 18 item 6: the desk)', () => {
  it('counts the working days after a day up to today, holidays and make-up days as the calendar says', async () => {
    const { workingDaysSince } = await import('../../src/domain/workingDays.js');
    expect(workingDaysSince('2026-09-01', '2026-09-01')).toBe(0);
    expect(workingDaysSince('2026-09-01', '2026-08-30')).toBe(0);
    expect(workingDaysSince('2026-09-01', '2026-09-15')).toBe(10); // Tue 1st to Tue 15th: two weeks
    // 中秋 25–27 September, 国庆 1–7 October; Saturday 10 October is a make-up working day.
    expect(workingDaysSince('2026-09-25', '2026-10-09')).toBe(5);
    expect(workingDaysSince('2026-09-25', '2026-10-10')).toBe(6);
    expect(workingDaysSince('2026-09-01', '2026-09-02', [{ date: '2026-09-02', kind: 'holiday' }] as never)).toBe(0);
  });

  it('ends a week on its Sunday', async () => {
    const { endOfWeek } = await import('../../src/domain/workingDays.js');
    expect(endOfWeek('2026-10-05')).toBe('2026-10-11'); // Monday
    expect(endOfWeek('2026-10-10')).toBe('2026-10-11'); // Saturday
    expect(endOfWeek('2026-10-11')).toBe('2026-10-11'); // Sunday
    expect(endOfWeek('2026-12-31')).toBe('2027-01-03'); // across the year
  });
});
