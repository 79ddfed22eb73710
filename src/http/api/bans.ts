/**
 * @module http/api/bans
 * The five-year ban of notice 四(一) for staff and promotion systems (issuers, handlers, reviewers, auditors):
 * a ban bars applying for a title promotion (申报晋升职称) — not reconfirmation — for five years from the year
 * of the application or revocation. One person's status by ID number, and the register as JSON or CSV (ID
 * numbers, names and notes in full for auditors; names and ID numbers masked and no notes for other staff). The ID number is personal data, so there is no
 * public route.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { BAN_BARS } from '../../domain/ban.js';
import { banRegister, banStatus } from '../../services/bans.js';
import { BAN_CSV_DOWNLOAD_HEADERS, banRegisterCsv } from '../downloads/banRegisterCsv.js';
import { serviceContext, type AppDeps, type AppEnv } from '../env.js';
import { requirePermission } from '../middleware/auth.js';
import { BanRegisterQuerySchema, BanRegisterSchema, BanStatusSchema } from '../banSchemas.js';
import { ProblemSchema } from '../schemas.js';

const PRIVATE = { 'Cache-Control': 'private, no-store', 'X-Robots-Tag': 'noindex, nofollow' };
const denied = { content: { 'application/problem+json': { schema: ProblemSchema } }, description: 'a role that may not read bans (forbidden, with requiredRoles)' };

const status = createRoute({
  method: 'get',
  path: '/api/v1/bans/{idNumber}',
  summary: '申报晋升职称禁止情况（四(一)）/ Whether a person is barred from applying for a title promotion (notice 四(一))',
  description: '四(一): false materials bar the person from applying for a title promotion (申报晋升职称) for five years from the year of the application or revocation, that year included. A ban does not bar reconfirmation: reviewers see it on the case and decide.',
  operationId: 'getBanStatus',
  security: [{ bearer: [] }],
  request: { params: z.object({ idNumber: z.string().trim().min(5).max(40).openapi({ param: { name: 'idNumber', in: 'path' } }) }) },
  responses: {
    200: { content: { 'application/json': { schema: BanStatusSchema } }, description: 'whether a ban runs today, until when, what it bars (申报晋升职称), and every ban on record with its years and clause' },
    403: denied,
  },
});

const register = createRoute({
  method: 'get',
  path: '/api/v1/bans',
  summary: '申报晋升职称禁止名单（四(一)；format=csv 供审计导出）/ The ban register: who may not apply for a title promotion (notice 四(一); format=csv for the auditor)',
  description: 'Every five-year ban on record: what it bars (申报晋升职称, not reconfirmation), its years and clause. In full for auditors; for other staff names and ID numbers masked and no notes.',
  operationId: 'listBans',
  security: [{ bearer: [] }],
  request: { query: BanRegisterQuerySchema },
  responses: {
    200: {
      content: { 'application/json': { schema: BanRegisterSchema }, 'text/csv': { schema: z.string() } },
      description: 'every matching ban (format=json), or the same as CSV, UTF-8 with BOM, China dates (format=csv)',
    },
    403: denied,
  },
});

export function banRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const readers = requirePermission(deps, 'ban.read');
  app.use('/api/v1/bans', readers);
  app.use('/api/v1/bans/*', readers);
  app.openapi(status, async (c) => c.json(await banStatus(serviceContext(c, deps), c.req.valid('param').idNumber), 200, PRIVATE) as never);
  app.openapi(register, async (c) => {
    const query = c.req.valid('query');
    const filter = { inForce: query.inForce === undefined ? undefined : query.inForce === 'true' };
    if (query.format === 'csv') return c.body(await banRegisterCsv(serviceContext(c, deps), c.get('actor'), filter), 200, BAN_CSV_DOWNLOAD_HEADERS) as never;
    const items = await banRegister(serviceContext(c, deps), c.get('actor'), filter);
    return c.json({ items, total: items.length, bars: BAN_BARS }, 200, PRIVATE) as never;
  });
}
