import { describe, expect, it } from 'vitest';
import upstream from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import upstreamPackage from 'chinese-days/package.json' with { type: 'json' };
import vendored from '../../src/domain/holidays.data.json' with { type: 'json' };
import { CALENDAR_DATA_VERSION, classifyDay, coveredYears, noticeEnd, statutoryHolidays } from '../../src/domain/workingDays.js';

describe('noticeEnd — 二(二)2: 公示5个工作日', () => {
  it('Tue 2026-09-29 + 5 working days ends Sat 2026-10-10, the 调休 day after National Day', () => {
    expect(noticeEnd('2026-09-29', 5)).toEqual({ end: '2026-10-10', provisional: false, dataVersion: CALENDAR_DATA_VERSION });
    expect(CALENDAR_DATA_VERSION).toBe('chinese-days@1.5.7');
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

  it('a year an admin entered overrides for is announced: no longer provisional, statutory days still rest', () => {
    const schedule = [
      { date: '2027-02-05', kind: 'holiday' as const },
      { date: '2027-02-11', kind: 'holiday' as const },
      { date: '2027-02-07', kind: 'workday' as const },
    ];
    expect(classifyDay('2027-02-08', schedule)).toMatchObject({ working: false, provisional: false, reason: 'statutory_holiday' });
    expect(classifyDay('2027-03-02', schedule)).toMatchObject({ working: true, provisional: false, reason: 'weekday' });
    expect(classifyDay('2028-03-02', schedule)).toMatchObject({ provisional: true });
    expect(noticeEnd('2027-02-03', 5, schedule)).toMatchObject({ provisional: false });
    expect(noticeEnd('2027-02-03', 5)).toMatchObject({ provisional: true });
  });

  it('refuses what it cannot compute instead of guessing', () => {
    expect(() => noticeEnd('2026-02-30', 5)).toThrow(RangeError);
    expect(() => noticeEnd('2026-09-29', 0)).toThrow(RangeError);
    expect(() => statutoryHolidays(2100)).toThrow(RangeError);
    expect(() => noticeEnd('2099-12-30', 5)).toThrow(RangeError);
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
