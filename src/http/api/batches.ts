/**
 * @module http/api/batches
 * Batch issuance (issue 18 items 1–2): upload a sheet (CSV or .xlsx) → 202 {id}; read its checks; the template;
 * errors.xlsx; a ZIP of photos named by ID number. Only the issuers of the batch's authority (二(二)4,
 * permission certificate.issue); another authority's batch is answered as absent, as its certificates are.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { DomainError } from '../../domain/errors.js';
import { BATCH_MAX_ROWS } from '../../domain/batchSheet.js';
import { attachBatchPhotos, BATCH_ERRORS_LISTED, batchErrorsSheet, batchStatus, batchTemplate, uploadBatch, ZIP_MAX_ENTRIES, type ShapeCheck } from '../../services/batches.js';
import type { IssueRequest } from '../../services/issueCertificate.js';
import { serviceContext, type AppDeps, type AppEnv } from '../env.js';
import { requirePermission } from '../middleware/auth.js';
import { IssueRequestSchema, ProblemSchema } from '../schemas.js';
import { problemFromZod } from '../zodProblem.js';

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The media types each batch path takes (http/app.ts lets them past the JSON-only rule). */
export const BATCH_SHEET_TYPES = ['text/csv', XLSX_MEDIA_TYPE] as const;
export const BATCH_ZIP_TYPES = ['application/zip', 'application/x-zip-compressed'] as const;
/** Largest sheet: 20,000 rows of a certificate's text. */
export const MAX_BATCH_SHEET_BYTES = 16 * 1024 * 1024;
/** Largest ZIP of photos per request (each photo at most 1 MiB; several ZIPs may follow). */
export const MAX_BATCH_ZIP_BYTES = 32 * 1024 * 1024;

const PRIVATE = { 'Cache-Control': 'private, no-store', 'X-Robots-Tag': 'noindex, nofollow' };
const problem = (description: string) => ({ content: { 'application/problem+json': { schema: ProblemSchema } }, description });
const security = [{ bearer: [] }];
const IdParam = z.object({ id: z.string().max(64).openapi({ param: { name: 'id', in: 'path' }, example: 'BT20261208-0123456789abcdef' }) });
const binary = z.string().openapi({ format: 'binary' });
const Message = z.object({ zh: z.string(), en: z.string() });

const BatchSchema = z
  .object({
    id: z.string(),
    status: z.enum(['validated']).openapi({ description: 'validated: every row checked; nothing issued yet' }),
    source: z.enum(['csv', 'xlsx']),
    createdAt: z.string(),
    total: z.number().int().openapi({ description: 'data rows (blank rows and the template’s field-path row not counted)' }),
    valid: z.number().int().openapi({ description: 'rows that pass every check of a single issuance (photo included)' }),
    issued: z.number().int(),
    failed: z.number().int().openapi({ description: 'rows with at least one error' }),
    errors: z.array(z.object({ row: z.number().int().openapi({ description: 'the sheet’s row number (the header is row 1)' }), field: z.string(), message: Message })).openapi({ description: `each error of the first ${BATCH_ERRORS_LISTED} failing rows, with the single issuance's field and words` }),
    errorsTruncated: z.boolean().openapi({ description: 'more rows failed than listed: errors.xlsx has them all' }),
  })
  .openapi('Batch');

const upload = createRoute({
  method: 'post',
  path: '/api/v1/batches',
  summary: '批量发证：上传表格 / Batch issuance: upload a sheet',
  operationId: 'uploadBatch',
  description: `Header row = the issuance request's field paths (holder.name, title.specialty, original.acquiredOn, decision.number…) or the Chinese labels of template.xlsx; at most ${BATCH_MAX_ROWS} rows, 16 MiB. Every row is checked as POST /api/v1/certificates checks its body; photos follow as a ZIP.`,
  security,
  request: { body: { content: { 'text/csv': { schema: z.string().openapi({ description: 'UTF-8, with or without BOM' }) }, [XLSX_MEDIA_TYPE]: { schema: binary } }, required: true } },
  responses: {
    202: { content: { 'application/json': { schema: z.object({ id: z.string() }).openapi('BatchCreated') } }, headers: { Location: { description: 'the batch', required: true, schema: { type: 'string' } } }, description: 'stored and checked; GET the batch for its errors' },
    401: problem('no or a wrong token (unauthorized)'),
    403: problem('a role that may not issue (forbidden), or an organisation that is no issuing authority (not_an_issuing_authority)'),
    413: problem(`a body over 16 MiB, more than ${BATCH_MAX_ROWS} rows, or an .xlsx that unpacks too far (body_too_large)`),
    415: problem('neither text/csv nor .xlsx (unsupported_media_type)'),
    422: problem('an unknown or repeated column, no data rows, a CSV not in UTF-8, a damaged .xlsx (validation_failed)'),
  },
});

const read = createRoute({
  method: 'get',
  path: '/api/v1/batches/{id}',
  summary: '批次进度与错误 / A batch: counts and errors',
  operationId: 'getBatch',
  security,
  request: { params: IdParam },
  responses: {
    200: { content: { 'application/json': { schema: BatchSchema } }, description: 'the batch' },
    401: problem('no or a wrong token (unauthorized)'),
    403: problem('a role that may not issue (forbidden)'),
    404: problem('no such batch of your authority'),
  },
});

const template = createRoute({
  method: 'get',
  path: '/api/v1/batches/template.xlsx',
  summary: '批量发证模板 / The batch sheet template',
  operationId: 'getBatchTemplate',
  description: 'Row 1: the Chinese labels (accepted as column names); row 2: each column’s field path (skipped on upload). Every cell is text, so an 18-digit ID number stays as typed.',
  security,
  responses: {
    200: { content: { [XLSX_MEDIA_TYPE]: { schema: binary } }, description: 'the template' },
    401: problem('no or a wrong token (unauthorized)'),
    403: problem('a role that may not issue (forbidden)'),
  },
});

const errorsSheet = createRoute({
  method: 'get',
  path: '/api/v1/batches/{id}/errors.xlsx',
  summary: '待修改的行（含错误说明）/ The failing rows with an error column',
  operationId: 'getBatchErrors',
  description: 'The failing rows as uploaded, the error column first; fix them and upload the sheet again as a new batch (the error column is ignored).',
  security,
  request: { params: IdParam },
  responses: {
    200: { content: { [XLSX_MEDIA_TYPE]: { schema: binary } }, description: 'the failing rows' },
    401: problem('no or a wrong token (unauthorized)'),
    403: problem('a role that may not issue (forbidden)'),
    404: problem('no such batch of your authority'),
  },
});

const photos = createRoute({
  method: 'post',
  path: '/api/v1/batches/{id}/photos',
  summary: '批量上传照片（ZIP，按证件号码命名）/ Photos as a ZIP named by ID number',
  operationId: 'attachBatchPhotos',
  description: `Files named by the holder's ID number (450102198005120019.jpg, .png), each checked as a single issuance's photo (二(三)1(4)); the rows bearing that number are checked again. At most ${ZIP_MAX_ENTRIES} files, 32 MiB per request.`,
  security,
  request: { params: IdParam, body: { content: { 'application/zip': { schema: binary } }, required: true } },
  responses: {
    200: {
      content: {
        'application/json': {
          schema: z
            .object({
              attached: z.number().int(),
              unmatched: z.array(z.string()).openapi({ description: 'files named by an ID number no row bears' }),
              rejected: z.array(z.object({ file: z.string(), message: Message })).openapi({ description: 'photos refused, in the single issuance’s words' }),
              valid: z.number().int(),
              failed: z.number().int(),
            })
            .openapi('BatchPhotos'),
        },
      },
      description: 'what was attached; the batch’s counts after checking again',
    },
    401: problem('no or a wrong token (unauthorized)'),
    403: problem('a role that may not issue (forbidden)'),
    404: problem('no such batch of your authority'),
    413: problem('a body over 32 MiB, too many files, or a ZIP that unpacks too far (body_too_large)'),
    415: problem('not application/zip (unsupported_media_type)'),
    422: problem('not a ZIP, or a damaged one (validation_failed)'),
  },
});

/** The single issuance's own schema and words (http/zodProblem.ts), applied to a row. */
const checkShape: ShapeCheck = (body) => {
  const parsed = IssueRequestSchema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data as IssueRequest };
  return { ok: false, errors: (problemFromZod(parsed.error).errors ?? []).map((e) => ({ field: e.field, message: e.message })) };
};

async function bodyBytes(c: Context): Promise<Uint8Array> {
  try {
    return new Uint8Array(await c.req.arrayBuffer());
  } catch {
    // limitBody's counted stream fails past the limit (http/middleware/bodyLimit.ts answers it).
    throw new DomainError('body_too_large', { zh: '请求体过大', en: 'The request body is too large' }, '(body)');
  }
}

const mediaOf = (c: Context) => (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();

export function batchRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const issuers = requirePermission(deps, 'certificate.issue');
  app.use('/api/v1/batches', issuers);
  app.use('/api/v1/batches/*', issuers);

  app.openapi(upload, async (c) => {
    const kind = mediaOf(c) === XLSX_MEDIA_TYPE ? 'xlsx' : 'csv';
    const { id } = await uploadBatch(serviceContext(c, deps), c.get('actor'), { kind, bytes: await bodyBytes(c) }, checkShape);
    return c.json({ id }, 202, { Location: `/api/v1/batches/${id}`, ...PRIVATE });
  });

  app.openapi(template, async (c) =>
    c.body(await batchTemplate(), 200, { 'Content-Type': XLSX_MEDIA_TYPE, 'Content-Disposition': "attachment; filename=\"batch-template.xlsx\"; filename*=UTF-8''%E6%89%B9%E9%87%8F%E5%8F%91%E8%AF%81%E6%A8%A1%E6%9D%BF.xlsx", ...PRIVATE }) as never,
  );

  app.openapi(read, async (c) => c.json(await batchStatus(serviceContext(c, deps), c.get('actor'), c.req.valid('param').id), 200, PRIVATE));

  app.openapi(errorsSheet, async (c) => {
    const { id } = c.req.valid('param');
    const sheet = await batchErrorsSheet(serviceContext(c, deps), c.get('actor'), id);
    return c.body(sheet, 200, { 'Content-Type': XLSX_MEDIA_TYPE, 'Content-Disposition': `attachment; filename="${id}-errors.xlsx"`, ...PRIVATE }) as never;
  });

  app.openapi(photos, async (c) => c.json(await attachBatchPhotos(serviceContext(c, deps), c.get('actor'), c.req.valid('param').id, await bodyBytes(c), checkShape), 200, PRIVATE));
}
