/**
 * @module http/pages/stats/routes
 * `/console/statistics` and its CSV downloads (issue 18 item 7), for whoever may read the statistics
 * (domain/roles statistics.read): a range of China dates in the address, the current year by default.
 */
import type { Context, Hono } from 'hono';
import { isIsoDate, chinaDate } from '../../../domain/chineseDate.js';
import type { Message } from '../../../domain/errors.js';
import { MAX_STATISTICS_DAYS, officeStatistics } from '../../../services/statistics.js';
import { toCsv } from '../../csv.js';
import { serviceContext, type AppDeps, type AppEnv } from '../../env.js';
import { PRIVATE } from '../cases/caseRouteHelpers.js';
import { guard, messagePage, render } from '../frame.js';
import { langOf } from '../i18n.js';
import { FIGURES, figureTable, StatisticsPage, type Figure } from './statisticsPage.js';

/** The range asked for, or this year so far; what cannot be read is said and replaced. */
function rangeOf(c: Context<AppEnv>, today: string): { from: string; to: string; problems: Message[] } {
  const problems: Message[] = [];
  let from = c.req.query('from') ?? '';
  let to = c.req.query('to') ?? '';
  if (from && !isIsoDate(from)) (problems.push({ zh: `起始日期“${from.slice(0, 20)}”不是有效日期，已改用今年 1 月 1 日。`, en: `The start date "${from.slice(0, 20)}" is not a date; 1 January this year was used.` }), (from = ''));
  if (to && !isIsoDate(to)) (problems.push({ zh: `截止日期“${to.slice(0, 20)}”不是有效日期，已改用今天。`, en: `The end date "${to.slice(0, 20)}" is not a date; today was used.` }), (to = ''));
  from ||= `${today.slice(0, 4)}-01-01`;
  to ||= today;
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  if (days < 0 || days > MAX_STATISTICS_DAYS) {
    problems.push({ zh: `日期范围应在 0 至 ${MAX_STATISTICS_DAYS} 天之间，已改用今年至今。`, en: `The range must be 0 to ${MAX_STATISTICS_DAYS} days; this year so far was used.` });
    from = `${today.slice(0, 4)}-01-01`;
    to = today;
  }
  return { from, to, problems };
}

export function statisticsPageRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const TITLE = { zh: '业务统计', en: 'Statistics' };

  app.get('/console/statistics', async (c) => {
    const actor = await guard(c, 'statistics.read');
    if (actor instanceof Response) return actor;
    const ctx = serviceContext(c, deps);
    const { from, to, problems } = rangeOf(c, chinaDate(ctx.now()));
    const stats = await officeStatistics(ctx, actor, from, to);
    return render(c, TITLE, <StatisticsPage lang={langOf(c)} stats={stats} problems={problems} />);
  });

  app.get('/console/statistics/:file', async (c) => {
    const actor = await guard(c, 'statistics.read');
    if (actor instanceof Response) return actor;
    const figure = /^([a-z]+)\.csv$/.exec(c.req.param('file'))?.[1] as Figure | undefined;
    if (!figure || !FIGURES.includes(figure)) return messagePage(c, 404, { zh: '未找到', en: 'Not found' }, { zh: '没有这项统计。', en: 'No such figure.' });
    const ctx = serviceContext(c, deps);
    const { from, to } = rangeOf(c, chinaDate(ctx.now()));
    const lang = langOf(c);
    const table = figureTable(lang, await officeStatistics(ctx, actor, from, to), figure);
    const filename = `statistics-${figure}-${from}-${to}.csv`;
    return c.body(toCsv(table.header, table.rows), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${filename}"`, ...PRIVATE });
  });
}
