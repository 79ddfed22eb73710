/**
 * @module http/routes/bans
 * A person's ban status under notice 四(一), for staff only (issuers, handlers, auditors): the ID number is
 * personal data, so the public route does not exist.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { bansInForce } from '../../domain/ban.js';
import { chinaDate } from '../../domain/chineseDate.js';
import type { AppDeps, AppEnv } from '../env.js';
import { requirePermission } from '../middleware/auth.js';
import { BanStatusSchema, ProblemSchema } from '../schemas.js';

const route = createRoute({
  method: 'get',
  path: '/api/v1/bans/{idNumber}',
  summary: '申报禁止情况（四(一)）/ Ban status for false materials (notice 四(一))',
  operationId: 'getBanStatus',
  security: [{ bearer: [] }],
  request: { params: z.object({ idNumber: z.string().trim().min(5).max(40).openapi({ param: { name: 'idNumber', in: 'path' } }) }) },
  responses: {
    200: { content: { 'application/json': { schema: BanStatusSchema } }, description: 'whether a ban is in force, until when, and every ban on record' },
    403: { content: { 'application/problem+json': { schema: ProblemSchema } }, description: 'a role that may not read bans (forbidden, with requiredRoles)' },
  },
});

export function banRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.use('/api/v1/bans/*', requirePermission(deps.organisations, 'ban.read'));
  app.openapi(route, async (c) => {
    const bans = await deps.bans.forIdNumber(c.req.valid('param').idNumber.toUpperCase());
    const inForce = bansInForce(bans, chinaDate(deps.now()));
    return c.json(
      {
        banned: inForce.length > 0,
        until: inForce.length > 0 ? `${Math.max(...inForce.map((b) => b.endYear))}-12-31` : null,
        clause: '四(一)',
        bans: bans.map(({ idNumber: _id, ...ban }) => ban),
      },
      200,
      { 'Cache-Control': 'private, no-store' },
    ) as never;
  });
}
