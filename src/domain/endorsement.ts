/**
 * @module domain/endorsement
 * When the unit may sign its opinion on a case (二(二)2: "公示5个工作日，公示无异议的，签署意见"): after the
 * notice's last working day, once that day is not provisional, with every objection resolved and none upheld.
 * The case page uses it to say when the step opens instead of offering a form that would be refused, and
 * the endorse step itself (services/applications/endorse.ts) refuses with its words: one rule, one place.
 */
import { formatChineseDate } from './chineseDate.js';
import type { Message } from './errors.js';

/** Why the unit cannot endorse yet, and from which day it can when only time stands in the way. */
export interface EndorsementWait {
  clause: '二(二)2';
  /** The first day the unit may endorse (the day after the notice ends); null when time alone will not open it. */
  opensOn: string | null;
  message: Message;
}

/** The calendar day after `date` (YYYY-MM-DD). */
function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/**
 * Undefined when the unit may endorse on `today`; else why not and, when waiting is all it takes, from when.
 * @example endorsementWait({ start: '2026-09-29', end: '2026-10-10', provisional: false }, [], '2026-10-09')?.opensOn // '2026-10-11'
 */
export function endorsementWait(
  notice: { end: string; provisional: boolean } | null,
  objections: readonly { resolution: { upheld: boolean } | null }[],
  today: string,
): EndorsementWait | undefined {
  const wait = (opensOn: string | null, zh: string, en: string): EndorsementWait => ({ clause: '二(二)2', opensOn, message: { zh, en } });
  if (!notice) return wait(null, '尚未公示，公示5个工作日期满后方可签署意见', 'The notice has not been published; the unit endorses after its 5 working days');
  if (notice.provisional) {
    return wait(
      null,
      `公示截止日${formatChineseDate(notice.end)}只是推算：公示期所涉年度的放假安排尚未公布（全国节假日或“壮族三月三”）；请自治区职改办的系统管理员录入该年度放假调休安排并确认已公布后再签署`,
      `The notice end ${notice.end} is only provisional: a holiday arrangement of the period (the national schedule or 壮族三月三) is not announced; the region title office's admin must enter that year's schedule and record it as announced first`,
    );
  }
  if (objections.some((o) => o.resolution?.upheld)) return wait(null, '公示异议经核查属实，不能签署同意意见，请作“不予确认”处理', 'An objection was upheld; the unit cannot endorse — reject the case');
  if (today <= notice.end) {
    const opensOn = nextDay(notice.end);
    return wait(opensOn, `公示期至${formatChineseDate(notice.end)}止，${formatChineseDate(opensOn)}起可签署单位意见`, `The notice runs until ${notice.end}; the unit may endorse from ${opensOn}`);
  }
  if (objections.some((o) => !o.resolution)) return wait(null, '公示期间收到的异议处理完毕后方可签署意见', 'Resolve every objection lodged during the notice first');
  return undefined;
}
