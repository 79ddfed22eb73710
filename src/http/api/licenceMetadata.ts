/**
 * @module http/api/licenceMetadata
 * The 电子证照 metadata of certificates (issue 19 item 4): `GET /api/v1/certificates/{number}/metadata` for the
 * issuing authority (the permission that reads the certificate), and `GET /api/v1/certificates/metadata.csv` —
 * a period's certificates of the caller's organisation and those below it, for a provincial library. Registered
 * before the certificate routes, so `metadata.csv` is never taken for a certificate number.
 */
import { CERTIFICATE_STATES } from '../../domain/certificateState.js';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { certificateMetadata, metadataExport } from '../../services/licenceMetadata.js';
import { licenceMetadataCsv, metadataCsvHeaders } from '../downloads/licenceMetadataCsv.js';
import { serviceContext, type AppDeps, type AppEnv } from '../env.js';
import { requirePermission } from '../middleware/auth.js';
import { isoDate, NumberParam, ProblemSchema } from '../schemas.js';

const problem = (description: string) => ({ content: { 'application/problem+json': { schema: ProblemSchema } }, description });
const security = [{ bearer: [] }];
const PRIVATE = { 'Cache-Control': 'private, no-store', 'X-Robots-Tag': 'noindex, nofollow' };

/** The JSON mapping of the metadata set: each member names the 电子证照 element it carries. */
export const LicenceMetadataSchema = z
  .object({
    identifier: z.string().nullable().openapi({ description: '证照标识 (电子证照标识, 1.2.156.3005.2.…); null for a certificate issued before identifiers' }),
    licenceType: z
      .object({ code: z.string().nullable().openapi({ description: '证照类型代码 (from the identifier)' }), name: z.string().openapi({ description: '证照类型', example: '职称电子证书' }) })
      .openapi({ description: '证照类型' }),
    name: z.string().openapi({ description: '证照名称: the title confirmed', example: '高级工程师' }),
    certificateNumber: z.string().openapi({ description: '证照编号: the number printed on the certificate', example: '26K7Q2M9XHT' }),
    holder: z
      .object({
        name: z.string().openapi({ description: '持证主体' }),
        code: z.string().openapi({ description: '持证主体代码: the ID number, whole' }),
        codeType: z.string().openapi({ description: '持证主体代码类型', example: '居民身份证' }),
      })
      .openapi({ description: '持证主体 and its 代码' }),
    issuer: z
      .object({
        name: z.string().openapi({ description: '颁发机构' }),
        code: z.string().nullable().openapi({ description: '颁发机构代码: its 统一社会信用代码 (the identifier’s; for an older certificate the organisation’s now, null when none is recorded)' }),
      })
      .openapi({ description: '颁发机构 and its 代码' }),
    issuedOn: z.string().openapi({ description: '颁发日期: the day of issue in China (YYYY-MM-DD)', example: '2026-03-18' }),
    validity: z
      .object({ from: z.string(), until: z.null(), text: z.string().openapi({ example: '长期' }) })
      .openapi({ description: '有效期限: from the day of issue, without end (长期) unless revoked' }),
    status: z.object({ code: z.enum(CERTIFICATE_STATES), name: z.string().openapi({ example: '有效' }) }).openapi({ description: '状态: 有效 valid / 已变更 superseded / 已撤销 revoked / 已注销 cancelled (issue 19 item 3)' }),
    version: z.string().nullable().openapi({ description: '版本: the identifier’s three digits, 001 for a first issue', example: '001' }),
    relatedIdentifiers: z.array(z.string()).openapi({ description: '关联证照标识: the versions this one corrects (issue 19 item 2); empty for a first issue' }),
  })
  .openapi('LicenceMetadata');

const one = createRoute({
  method: 'get',
  path: '/api/v1/certificates/{number}/metadata',
  summary: '电子证照元数据 / The certificate’s 电子证照 metadata set (issuing authority)',
  operationId: 'getCertificateMetadata',
  security,
  request: { params: NumberParam },
  responses: {
    200: { content: { 'application/json': { schema: LicenceMetadataSchema } }, description: 'the metadata set (mapping in the README, “电子证照 metadata”)' },
    401: problem('no or a wrong token (unauthorized)'),
    403: problem('a role that may not read certificates (forbidden, with requiredRoles)'),
    404: problem('no such certificate of your authority'),
    422: problem('a number longer than 40 characters (validation_failed, field path.number)'),
  },
});

const PeriodQuery = z.object({
  from: isoDate.openapi({ description: 'first day of issue (China date), included', example: '2026-01-01' }),
  to: isoDate.openapi({ description: 'last day of issue (China date), included; at most 366 days after from', example: '2026-03-31' }),
});

const csv = createRoute({
  method: 'get',
  path: '/api/v1/certificates/metadata.csv',
  summary: '电子证照元数据导出（CSV）/ A period’s 电子证照 metadata as CSV, for a provincial library',
  operationId: 'exportCertificateMetadata',
  security,
  request: { query: PeriodQuery },
  responses: {
    200: { content: { 'text/csv': { schema: z.string() } }, description: 'UTF-8 with BOM, one row per certificate issued by your organisation or one below it, oldest first; formula-like cells defused' },
    401: problem('no or a wrong token (unauthorized)'),
    403: problem('a role that may not read certificates (forbidden, with requiredRoles)'),
    422: problem('from/to missing, not real dates, from after to, a period over 366 days, or over 50,000 certificates (validation_failed, field query.from or query.to)'),
  },
});

export function licenceMetadataRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const readers = requirePermission(deps, 'certificate.read');
  app.use('/api/v1/certificates/metadata.csv', readers);
  app.use('/api/v1/certificates/:number/metadata', readers);

  app.openapi(csv, async (c) => {
    const { from, to } = c.req.valid('query');
    const rows = await metadataExport(serviceContext(c, deps), c.get('actor'), from, to);
    return c.body(licenceMetadataCsv(rows), 200, metadataCsvHeaders(from, to)) as never;
  });

  app.openapi(one, async (c) => c.json(await certificateMetadata(serviceContext(c, deps), c.get('actor'), c.req.valid('param').number), 200, PRIVATE));
}
