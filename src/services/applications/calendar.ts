/**
 * @module services/applications/calendar
 * The working-day calendar as the workflow uses it: the public notice at the unit (二(二)2) and the
 * calendar data a computed notice rests on.
 */
import type { PublicNotice } from '../../domain/application.js';
import { noticeEnd, CALENDAR_DATA_VERSION, type CalendarOverride, type YearAnnouncement } from '../../domain/workingDays.js';
import { canonicalJson, sha256Hex } from '../../lib/bytes.js';
import type { ServiceContext } from '../context.js';

/** Public-notice length at the unit (二(二)2). */
export const NOTICE_WORKING_DAYS = 5;

/**
 * The calendar as it stands: the admin's overrides, the years the admin recorded as announced (issue 13
 * item 8), and the version a computed date rests on — it changes with either, so stored notices are recomputed.
 */
export async function currentCalendar(ctx: ServiceContext): Promise<{ overrides: CalendarOverride[]; announcements: YearAnnouncement[]; dataVersion: string }> {
  const [overrides, announcements] = await Promise.all([ctx.calendar.overrides(), ctx.calendar.announcements()]);
  if (overrides.length === 0 && announcements.length === 0) return { overrides, announcements, dataVersion: CALENDAR_DATA_VERSION };
  const records = [...overrides.map((o) => [o.date, o.kind]), ...announcements.map((a) => [a.year, a.national, a.regional])];
  const fingerprint = (await sha256Hex(canonicalJson(records))).slice(0, 12);
  return { overrides, announcements, dataVersion: `${CALENDAR_DATA_VERSION}+admin:${fingerprint}` };
}

/** The end of a public notice starting on `start`, with the data it rests on (二(二)2). */
export async function publicNotice(ctx: ServiceContext, start: string): Promise<PublicNotice> {
  const { overrides, announcements, dataVersion } = await currentCalendar(ctx);
  const end = noticeEnd(start, NOTICE_WORKING_DAYS, overrides, announcements);
  return { start, end: end.end, provisional: end.provisional, dataVersion };
}
