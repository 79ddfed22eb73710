/**
 * @module http/routes/calendar
 * The working-day calendar, public: when does a 5-working-day notice (二(二)2) that starts on a date end,
 * with the admin's overrides applied and the data version the answer rests on.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { isIsoDate } from '../../domain/chineseDate.js';
import { noticeEnd } from '../../domain/workingDays.js';
import { currentCalendar } from '../../services/applications.js';
import type { AppDeps, AppEnv } from '../env.js';
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
    provisional: z.boolean().openapi({ description: 'true when a day of the period lies in a year whose 调休 schedule is not yet announced' }),
    dataVersion: z.string().openapi({ example: 'chinese-days@1.5.7' }),
  })
  .openapi('NoticeEnd');

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

/** @example calendarRoutes(app, deps) // GET /api/v1/calendar/notice-end?start=2026-09-29&days=5 */
export function calendarRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(route, async (c) => {
    const { start, days } = c.req.valid('query');
    const { overrides, dataVersion } = await currentCalendar(deps);
    return c.json({ ...noticeEnd(start, days, overrides), dataVersion }, 200);
  });
}
