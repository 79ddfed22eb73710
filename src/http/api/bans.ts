/**
 * @module http/api/bans
 * The five-year ban of notice 四(一) for staff and promotion systems (issuers, handlers, reviewers, auditors):
 * a ban bars applying for a title promotion (申报晋升职称) — not reconfirmation — for five years from the year
 * of the application or revocation. One person's status by ID number, and the register as JSON or CSV (ID
 * numbers, names and notes in full for auditors; names and ID numbers masked and no notes for other staff). The ID number is personal data, so there is no
 * public route.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { formatChineseDate, formatChineseDateTime } from '../../domain/chineseDate.js';
import { BAN_BARS, registerShowsFullIdNumber } from '../../domain/ban.js';
import { banRegister, banStatus, type RegisterEntry } from '../../services/bans.js';
import { toCsv } from '../csv.js';
import type { Actor, ServiceContext } from '../../services/context.js';
import { serviceContext, type AppDeps, type AppEnv } from '../env.js';
import { requirePermission } from '../middleware/auth.js';
import { BanRegisterQuerySchema, BanRegisterSchema, BanStatusSchema, ProblemSchema } from '../schemas.js';

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

const SOURCE_NAMES = { revocation: '撤销已确认的职称', application: '申报时不予确认' } as const;
const CSV_HEADER = ['姓名', '身份证号码', '禁止事项', '起始年度', '截止年度', '截止日期', '今日是否在禁止期内', '依据', '缘由', '撤销的证书编号', '说明', '记录时间'];
const NOTE_COLUMN = CSV_HEADER.indexOf('说明');

function csvRow(b: RegisterEntry): string[] {
  return [
    b.holderName, b.idNumber, b.bars.zh, `${b.startYear}年`, `${b.endYear}年`, formatChineseDate(`${b.endYear}-12-31`), b.inForce ? '是' : '否',
    `桂职办〔2020〕132号 ${b.clause}`, SOURCE_NAMES[b.source], b.certificateNumber ?? '', b.note ?? '', formatChineseDateTime(b.createdAt),
  ];
}

/**
 * The register as CSV for Excel — the API's `format=csv` and the console's download alike. For staff other
 * than auditors the names and ID numbers come masked and the 说明 column (the revocation's note) is left out
 * (domain/ban.ts registerEntry, 四(四)).
 * @example const csv = await banRegisterCsv(ctx, auditor, {}); // '\uFEFF姓名,身份证号码,禁止事项,…'
 */
export async function banRegisterCsv(ctx: ServiceContext, actor: Actor, query: { inForce?: boolean | undefined }): Promise<string> {
  const rows = (await banRegister(ctx, actor, query)).map(csvRow);
  if (registerShowsFullIdNumber(actor.role)) return toCsv(CSV_HEADER, rows);
  const withoutNote = (row: readonly string[]) => row.filter((_, i) => i !== NOTE_COLUMN);
  return toCsv(withoutNote(CSV_HEADER), rows.map(withoutNote));
}

export const BAN_CSV_DOWNLOAD_HEADERS = {
  'Content-Type': 'text/csv; charset=utf-8',
  'Content-Disposition': `attachment; filename="bans.csv"; filename*=UTF-8''${encodeURIComponent('申报晋升职称禁止名单.csv')}`,
  ...PRIVATE,
};

export function banRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const readers = requirePermission(deps.organisations, 'ban.read');
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
