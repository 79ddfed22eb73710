/**
 * @module http/api/verificationRecords
 * The 核实 log over HTTP: handlers (经办人) write records; handlers and auditors of the same organisation
 * read them, as JSON, as attachment 2 in PDF, and as CSV for Excel; the public sees nothing. The newest
 * signed head of the log (and, for auditors, of the audit trail and the case history) is there to be kept
 * elsewhere, for `log check --head`.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { resultSentence } from '../../domain/verificationRecord.js';
import { recordSheetPdf } from '../../services/recordSheet.js';
import { recordVerification } from '../../services/recordVerification.js';
import { getVerificationRecord, latestSignedHead, listVerificationRecords, verificationEvidence, type VerificationRecordView } from '../../services/verificationLog.js';
import { LOGS } from '../../domain/recordChain.js';
import { CSV_DOWNLOAD_HEADERS, verificationRecordsCsv } from '../downloads/verificationRecordsCsv.js';
import { serviceContext, type AppDeps, type AppEnv } from '../env.js';
import { requirePermission } from '../middleware/auth.js';
import { IdParam, ProblemSchema, VerificationRecordCreatedSchema, VerificationRecordPageSchema, VerificationRecordQuerySchema, VerificationRecordRequestSchema, VerificationRecordSchema } from '../schemas.js';

const problem = (description: string) => ({ content: { 'application/problem+json': { schema: ProblemSchema } }, description });
const security = [{ bearer: [] }];
const denied = problem('a role that may not do this (forbidden, with requiredRoles)');
const PRIVATE = { 'Cache-Control': 'private, no-store', 'X-Robots-Tag': 'noindex, nofollow' };

const create = createRoute({
  method: 'post',
  path: '/api/v1/verification-records',
  summary: '登记核实情况（经办人）/ Record a verification (handler)',
  operationId: 'createVerificationRecord',
  security,
  request: {
    headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }),
    body: { content: { 'application/json': { schema: VerificationRecordRequestSchema } }, required: true },
  },
  responses: {
    201: {
      content: { 'application/json': { schema: VerificationRecordCreatedSchema } },
      headers: { Location: { description: 'the new record', required: true, schema: { type: 'string' } } },
      description: 'appended to the 核实 log',
    },
    200: { content: { 'application/json': { schema: VerificationRecordCreatedSchema } }, description: 'an earlier record with the same Idempotency-Key' },
    403: denied,
    404: problem('the linked application does not exist or does not pass through your organisation (not_found)'),
    409: problem('the record to supersede is already superseded (conflict, with supersededBy)'),
    422: problem('missing details for the chosen method (every one named in missing), an invalid field or evidence file (a PDF that acts on its own: active_content), or an Idempotency-Key used with another body'),
  },
});

const list = createRoute({
  method: 'get',
  path: '/api/v1/verification-records',
  summary: '核实记录列表 / List verification records (paged; format=csv for Excel)',
  operationId: 'listVerificationRecords',
  security,
  request: { query: VerificationRecordQuerySchema },
  responses: {
    200: {
      content: { 'application/json': { schema: VerificationRecordPageSchema }, 'text/csv': { schema: z.string() } },
      description: 'a page of records (format=json), or every matching record as CSV, UTF-8 with BOM (format=csv)',
    },
    403: denied,
  },
});

const read = createRoute({
  method: 'get',
  path: '/api/v1/verification-records/{id}',
  summary: '核实记录 / One verification record',
  operationId: 'getVerificationRecord',
  security,
  request: { params: IdParam },
  responses: {
    200: { content: { 'application/json': { schema: VerificationRecordSchema } }, description: 'the record, its chain hash, and the record correcting it if any' },
    403: denied,
    404: problem('no such record in your organisation'),
  },
});

const pdf = createRoute({
  method: 'get',
  path: '/api/v1/verification-records/{id}/pdf',
  summary: '核实情况记录单（附件2）PDF / Attachment 2 as PDF',
  operationId: 'getVerificationRecordPdf',
  security,
  request: { params: IdParam },
  responses: { 200: { content: { 'application/pdf': {} }, description: 'A4 PDF, signed' }, 403: denied, 404: problem('no such record in your organisation') },
});

const evidence = createRoute({
  method: 'get',
  path: '/api/v1/verification-records/{id}/evidence',
  summary: '证明材料（截图或复函扫描件）/ The evidence file',
  operationId: 'getVerificationEvidence',
  security,
  request: { params: IdParam },
  responses: {
    200: { content: { 'application/pdf': {}, 'image/jpeg': {}, 'image/png': {} }, description: 'the evidence file as it was recorded' },
    403: denied,
    404: problem('no such record in your organisation, or a record without evidence'),
  },
});

const head = createRoute({
  method: 'get',
  path: '/api/v1/verification-log/head',
  operationId: 'getVerificationLogHead',
  summary: '最新签名链头 / The newest signed head of the 核实 log (log=audit|history: of the audit trail or the case history, auditors only)',
  description:
    'Keep the answer outside the service: `npm run cli -- log check --head FILE` later proves the log still holds, at `seq`, the record with `hash` — it catches a truncated or rewritten log.',
  security,
  request: { query: z.object({ log: z.enum(LOGS).optional() }) },
  responses: {
    200: {
      content: {
        'application/json': {
          schema: z.object({ log: z.enum(LOGS), seq: z.number().int(), hash: z.string(), count: z.number().int(), signedAt: z.string(), kid: z.string(), jws: z.string() }),
        },
      },
      description: 'the newest signed head: its fields and its compact JWS (ES256, typ ecert-log-head+jws) by the service key',
    },
    401: problem('no token, or an unknown or revoked one'),
    403: problem('not a handler or an auditor (log=audit|history: not an auditor)'),
    404: problem('no head has been signed yet'),
    422: problem('log is not verification, audit or history'),
  },
});

function recordJson(view: VerificationRecordView, publicUrl: string) {
  const { record } = view;
  return {
    ...record,
    resultSentence: resultSentence(record.result, record.subject),
    supersededBy: view.supersededBy ?? null,
    pdfUrl: `${publicUrl}/api/v1/verification-records/${record.id}/pdf`,
  };
}

export function verificationRecordRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const writers = requirePermission(deps, 'verification_record.create');
  const readers = requirePermission(deps, 'verification_record.read');
  app.use('/api/v1/verification-records', async (c, next) => (c.req.method === 'POST' ? writers(c, next) : readers(c, next)));
  app.use('/api/v1/verification-records/*', readers);
  // The 核实 log's head: its readers; the audit trail's and the case history's: auditors.
  const auditReaders = requirePermission(deps, 'audit.read');
  app.use('/api/v1/verification-log/head', async (c, next) => (['audit', 'history'].includes(c.req.query('log') ?? '') ? auditReaders(c, next) : readers(c, next)));

  app.openapi(head, async (c) => c.json(await latestSignedHead(serviceContext(c, deps), c.req.valid('query').log ?? 'verification'), 200, PRIVATE));

  app.openapi(create, async (c) => {
    const key = c.req.valid('header')['idempotency-key'];
    const { record, created } = await recordVerification(serviceContext(c, deps), c.get('actor'), c.req.valid('json'), key);
    return c.json(
      { id: record.id, hash: record.hash, pdfUrl: `${deps.publicUrl}/api/v1/verification-records/${record.id}/pdf` },
      created ? 201 : 200,
      created ? { Location: `/api/v1/verification-records/${record.id}` } : {},
    );
  });

  app.openapi(list, async (c) => {
    const query = c.req.valid('query');
    const actor = c.get('actor');
    if (query.format === 'csv') return c.body(await verificationRecordsCsv(serviceContext(c, deps), actor, query), 200, CSV_DOWNLOAD_HEADERS) as never;
    const result = await listVerificationRecords(serviceContext(c, deps), actor, query);
    return c.json({ ...result, items: result.items.map((v) => recordJson(v, deps.publicUrl)) }, 200, PRIVATE) as never;
  });

  app.openapi(read, async (c) => {
    const view = await getVerificationRecord(serviceContext(c, deps), c.get('actor'), c.req.valid('param').id);
    return c.json(recordJson(view, deps.publicUrl), 200, PRIVATE) as never;
  });

  app.openapi(pdf, async (c) => {
    const sheet = await recordSheetPdf(serviceContext(c, deps), c.get('actor'), c.req.valid('param').id, deps.recordTemplate);
    return c.body(sheet.pdf as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `inline; filename="verification-record-${sheet.id}.pdf"`,
      ...PRIVATE,
    }) as never;
  });

  app.openapi(evidence, async (c) => {
    const file = await verificationEvidence(serviceContext(c, deps), c.get('actor'), c.req.valid('param').id);
    return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': file.mediaType, 'Content-Disposition': 'attachment', ...PRIVATE }) as never;
  });
}
