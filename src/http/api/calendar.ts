/**
 * @module http/api/calendar
 * The working-day calendar, public: when does a 5-working-day notice (二(二)2) that starts on a date end,
 * with the admin's overrides applied and the data version the answer rests on; and what is known of a
 * year — its national schedule and its 壮族三月三 arrangement, each announced or not (issue 13 items 7, 8).
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { isIsoDate } from '../../domain/chineseDate.js';
import { calendarYears, noticeEnd, yearStatus } from '../../domain/workingDays.js';
import { currentCalendar } from '../../services/applications/calendar.js';
import { serviceContext, type AppDeps, type AppEnv } from '../env.js';
import { ProblemSchema } from '../schemas.js';

const NoticeEndQuery = z.object({
  start: z
    .string()
    .refine(isIsoDate, '日期格式应为 YYYY-MM-DD 的真实日期|Date must be a real YYYY-MM-DD date')
    .refine((d) => d >= '2004-01-01' && d <= '2099-09-30', '日期须在 2004 至 2099 年之间|Date must be between 2004 and 2099')
    .openapi({ example: '2026-09-29' }),
  days: z.coerce.number().int().min(1).max(60).openapi({ example: 5 }),
});

const NoticeEndSchema = z
  .object({
    end: z.string().openapi({ example: '2026-10-10' }),
    provisional: z.boolean().openapi({ description: 'true when a day of the period lies in a year whose national schedule is not recorded as announced, or near a 壮族三月三 whose arrangement is not' }),
    dataVersion: z.string().openapi({ example: 'chinese-days@1.5.7+guangxi-sanyuesan@2026-12-07' }),
  })
  .openapi('NoticeEnd');

const { first, last } = calendarYears();
const YearParam = z.object({
  year: z.coerce
    .number({ message: `年度须为 ${first} 至 ${last} 之间的整数|The year must be a whole number from ${first} to ${last}` })
    .int(`年度须为整数|The year must be a whole number`)
    .min(first, `年度须在 ${first} 至 ${last} 之间|The year must be between ${first} and ${last}`)
    .max(last, `年度须在 ${first} 至 ${last} 之间|The year must be between ${first} and ${last}`)
    .openapi({ param: { name: 'year', in: 'path' }, example: 2026 }),
});

const RecordedBy = z.enum(['data', 'admin']).nullable().openapi({ description: 'data: shipped with the service (cited); admin: recorded by the region title office’s admin; null: not recorded' });
export const YearStatusSchema = z
  .object({
    year: z.number().int(),
    announced: z.boolean().openapi({ description: 'both arrangements recorded as announced: notice ends in this year are final' }),
    national: z.object({ announced: z.boolean(), recordedBy: RecordedBy }),
    regional: z.object({
      observed: z.boolean().openapi({ description: '壮族三月三 is a public holiday in Guangxi from 2014 on (自治区人民政府令第98号)' }),
      announced: z.boolean(),
      recordedBy: RecordedBy,
      lunarDays: z.array(z.string()).openapi({ description: '农历三月初三、初四', example: ['2026-04-19', '2026-04-20'] }),
      holidays: z.array(z.string()).openapi({ description: 'the days off: as announced, or 初三/初四 computed' }),
      workdays: z.array(z.string()).openapi({ description: 'days worked in lieu (调休上班) as announced' }),
      announcement: z.string().nullable().openapi({ description: 'the announcement the shipped arrangement was read from' }),
    }),
  })
  .openapi('CalendarYear');

const yearRoute = createRoute({
  method: 'get',
  path: '/api/v1/calendar/years/{year}',
  summary: '年度放假安排是否已公布 / Is a year’s holiday arrangement announced',
  operationId: 'getCalendarYear',
  security: [],
  request: { params: YearParam },
  responses: {
    200: { content: { 'application/json': { schema: YearStatusSchema } }, description: 'the national schedule and the 壮族三月三 arrangement of the year, each announced or not' },
    422: { content: { 'application/problem+json': { schema: ProblemSchema } }, description: 'not a year the calendar computes (validation_failed)' },
  },
});

const route = createRoute({
  method: 'get',
  path: '/api/v1/calendar/notice-end',
  summary: '公示期截止日 / End of a notice period in working days',
  operationId: 'getNoticeEnd',
  security: [],
  request: { query: NoticeEndQuery },
  responses: {
    200: { content: { 'application/json': { schema: NoticeEndSchema } }, description: 'the last working day; the start counts when it is a working day' },
    422: { content: { 'application/problem+json': { schema: ProblemSchema } }, description: 'invalid start or days (validation_failed)' },
  },
});

/** @example calendarRoutes(app, deps) // GET /api/v1/calendar/notice-end?start=2026-09-29&days=5, GET /api/v1/calendar/years/2026 */
export function calendarRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(route, async (c) => {
    const { start, days } = c.req.valid('query');
    const { overrides, announcements, dataVersion } = await currentCalendar(serviceContext(c, deps));
    return c.json({ ...noticeEnd(start, days, overrides, announcements), dataVersion }, 200);
  });
  app.openapi(yearRoute, async (c) => {
    const { announcements } = await currentCalendar(serviceContext(c, deps));
    return c.json(yearStatus(c.req.valid('param').year, announcements), 200);
  });
}
