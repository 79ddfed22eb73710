/**
 * @module services/statistics
 * An office's work in figures (issue 18 item 7), over its own organisation and those below it, for a range of
 * China dates: certificates issued per month by series and level, working days from submission to issue (median
 * and 90th percentile, by the Chinese and Guangxi calendar), objections raised and upheld, 核实 records by method
 * and result, revocations by reason. Only for those who answer for that work (domain/roles statistics.read).
 */
import { chinaDayRange } from '../domain/caseSearch.js';
import { DomainError } from '../domain/errors.js';
import { may } from '../domain/roles.js';
import { subtreeOf } from '../domain/routing.js';
import { monthsBetween, percentile } from '../domain/statistics.js';
import { workingDaysSince } from '../domain/workingDays.js';
import { chinaDateOf } from '../domain/chineseDate.js';
import { StatisticsRepository } from '../storage/statistics.js';
import { currentCalendar } from './applications/calendar.js';
import type { Actor, ServiceContext } from './context.js';

export interface OfficeStatistics {
  from: string;
  to: string;
  months: string[];
  issuedByMonth: { month: string; series: string; level: string; n: number }[];
  issueTime: { cases: number; medianWorkingDays?: number; p90WorkingDays?: number };
  objections: { raised: number; upheld: number };
  records: { method: string; result: string; n: number }[];
  revocations: { reason: string; n: number }[];
}

/** The longest range read at once: a statistics page, not an archive. */
export const MAX_STATISTICS_DAYS = 731;

/**
 * @example const figures = await officeStatistics(ctx, actor, '2026-01-01', '2026-12-31');
 */
export async function officeStatistics(ctx: ServiceContext, actor: Actor, from: string, to: string): Promise<OfficeStatistics> {
  if (!may(actor.role, 'statistics.read')) throw new DomainError('forbidden', { zh: '您的角色不能查看统计', en: 'Your role cannot see the statistics' });
  const codes = subtreeOf(await ctx.organisations.tree(), actor.orgCode);
  const { since, before } = chinaDayRange(from, to) as { since: string; before: string };
  const repo = new StatisticsRepository(ctx.db);
  const dayAfter = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const [issuedByMonth, durations, objections, records, revocations, calendar] = await Promise.all([
    repo.issuedByMonth(codes, since, before),
    repo.submittedAndIssued(codes, since, before),
    repo.objections(codes, since, before),
    repo.recordsByMethodAndResult(codes, `${from}T00:00:00+08:00`, `${dayAfter}T00:00:00+08:00`),
    repo.revocationsByReason(codes, since, before),
    currentCalendar(ctx),
  ]);
  const days = durations.map((d) => workingDaysSince(chinaDateOf(d.submitted), chinaDateOf(d.issued), calendar.overrides, calendar.announcements));
  const median = percentile(days, 50);
  const p90 = percentile(days, 90);
  return {
    from,
    to,
    months: monthsBetween(from, to),
    issuedByMonth,
    issueTime: { cases: days.length, ...(median !== undefined ? { medianWorkingDays: median } : {}), ...(p90 !== undefined ? { p90WorkingDays: p90 } : {}) },
    objections,
    records,
    revocations,
  };
}
