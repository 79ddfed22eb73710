/**
 * @module http/api/applications
 * The reconfirmation workflow over HTTP (notice 二(二)): an applicant applies and uploads materials; the unit,
 * the departments and the confirming authority each take their step with
 * `POST /api/v1/reconfirmations/{id}/<step>`. Who may call each endpoint is decided by domain/roles.ts (403
 * otherwise); whether the case is at a step that allows it by domain/workflow.ts (409 otherwise).
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { CASE_SORTS, MAX_CASE_OFFSET, MAX_CASE_PAGE, MAX_SEARCH_TEXT, readCaseSearch, readCaseWindow, type CaseSearchProblem } from '../../domain/caseSearch.js';
import { EMPLOYER_CHOICES } from '../../domain/eligibility.js';
import { MATERIAL_ITEMS } from '../../domain/materials.js';
import type { Action } from '../../domain/roles.js';
import { APPLICATION_STATUSES, RETURN_TARGETS } from '../../domain/workflow.js';
import { renderApprovalForm } from '../../services/approvalForm.js';
import { caseStatements } from '../../services/caseStatements.js';
import { createApplication } from '../../services/applications/create.js';
import { issueFromApplication } from '../../services/applications/issue.js';
import { materialFile, uploadMaterial } from '../../services/applications/materials.js';
import { takeStep } from '../../services/applications/steps.js';
import { type StepAction } from '../../services/applications/transition.js';
import { updateApplication } from '../../services/applications/update.js';
import { getApplication, listApplications, type ApplicationView } from '../../services/applications/view.js';
import { serviceContext, type AppDeps, type AppEnv } from '../env.js';
import { problemOf, problemResponse } from '../problem.js';
import { problemFromZod } from '../zodProblem.js';
import { requirePermission } from '../middleware/auth.js';
import { isoDate, longText, ProblemSchema, text } from '../schemas.js';
import { ApplicationFormSchema } from '../applicationFormSchema.js';
import { SocialInsuranceCheckSchema, PlatformAcceptanceSchema, ApplicationListSchema, ApplicationSchema, CaseStatementsSchema } from '../applicationSchemas.js';

const problem = (description: string) => ({ content: { 'application/problem+json': { schema: ProblemSchema } }, description });
const security = [{ bearer: [] }];
const PRIVATE = { 'Cache-Control': 'private, no-store', 'X-Robots-Tag': 'noindex, nofollow' };
const idempotencyHeader = z.object({ 'idempotency-key': z.string().min(1).max(200).optional() });

/** A search refused: the first bad parameter named (`query.to`, `query.limit`, …), every one in `errors`. */
function searchRefusal(c: Parameters<typeof problemResponse>[0], problems: CaseSearchProblem[]): Response {
  const errors = problems.map(({ field, zh, en }) => ({ field: `query.${field}`, message: { zh, en } }));
  return problemResponse(c, problemOf('validation_failed', errors[0]!.message, errors[0]!.field, { errors }));
}

const anApplication = (description: string) => ({ content: { 'application/json': { schema: ApplicationSchema } }, description });

const IdParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' }, example: 'RC20261128-7KQ2M9XH' }) });
const opinion = longText(2000);

/** Each step's body; every field the step does not use is refused (strict). */
const STEP_BODIES = {
  submit: z.object({ integrityPledge: z.boolean().openapi({ description: '诚信承诺书 (二(二)1)' }) }).strict(),
  withdraw: z.object({ reason: text(500).optional() }).strict(),
  receive: z.object({ opinion: opinion.optional() }).strict(),
  start_notice: z
    .object({
      start: isoDate.optional().openapi({ description: 'first day of the notice; today when absent' }),
      employerChoice: z.enum(EMPLOYER_CHOICES).optional().openapi({
        description: "一(一) sentence 2: the unit records the new employer's choice for a self-evaluation / appointment-in-lieu title (who and when: this step). Only reconfirm publishes the notice; to require a fresh evaluation, reject the case with employerChoice re_evaluate",
      }),
      opinion: opinion.optional(),
    })
    .strict(),
  lodge_objection: z.object({ receivedOn: isoDate.optional(), text: longText(2000) }).strict(),
  resolve_objection: z.object({ objectionId: z.string().min(1).max(64), text: longText(2000), upheld: z.boolean() }).strict(),
  endorse: z
    .object({
      authenticityPledge: z.boolean().openapi({ description: '呈报材料真实性承诺书' }),
      originalsChecked: z.boolean().optional().openapi({ description: '二(三)1(2): the unit checked the copies against the originals (与原件相符); required when a copy of the original-title proof is on file' }),
      opinion,
    })
    .strict(),
  forward: z
    .object({
      opinion,
      socialInsuranceCheck: SocialInsuranceCheckSchema.optional().openapi({ description: '二(三)1(3): required for an enterprise employee’s case when a department forwards it (or the unit sends it to the authority), unless already on record' }),
      platformAcceptance: PlatformAcceptanceSchema.optional().openapi({ description: '二(四): required when a senior case goes to the confirming authority' }),
    })
    .strict(),
  approve: z
    .object({
      decisionNumber: text(64).openapi({ example: '桂职办〔2026〕15号' }),
      decidedOn: isoDate.optional(),
      opinion,
      exceptionReason: longText(2000).optional().openapi({
        description: '二(三)1(5) "原则上不予": for a case refused in principle (a committee set up without filing) the authority approves only by recording why it accepts it as an exception (409 without it); refused for any other case',
      }),
    })
    .strict(),
  return: z.object({ to: z.enum(RETURN_TARGETS), reason: longText(2000) }).strict(),
  reject: z
    .object({
      reason: longText(2000),
      falseMaterials: z.boolean().default(false).openapi({ description: '四(一): false materials — records the five-year ban on applying for a title promotion (申报晋升职称)' }),
      employerChoice: z.enum(EMPLOYER_CHOICES).optional().openapi({ description: '一(一) sentence 2: the unit records re_evaluate — it requires a fresh local evaluation of a self-evaluation / appointment-in-lieu title instead of reconfirmation' }),
    })
    .strict(),
} satisfies Record<StepAction, z.ZodType>;

const STEP_PATHS: Record<StepAction, { path: string; zh: string; operationId: string }> = {
  submit: { path: 'submit', zh: '提交（签署诚信承诺书）', operationId: 'submitReconfirmation' },
  withdraw: { path: 'withdraw', zh: '撤回', operationId: 'withdrawReconfirmation' },
  receive: { path: 'receive', zh: '单位受理', operationId: 'receiveReconfirmation' },
  start_notice: { path: 'start-notice', zh: '开始公示（5个工作日）', operationId: 'startReconfirmationNotice' },
  lodge_objection: { path: 'objections', zh: '登记公示异议', operationId: 'lodgeObjection' },
  resolve_objection: { path: 'objection-resolutions', zh: '处理公示异议', operationId: 'resolveObjection' },
  endorse: { path: 'endorse', zh: '单位签署意见（真实性承诺）', operationId: 'endorseReconfirmation' },
  forward: { path: 'forward', zh: '逐级报送', operationId: 'forwardReconfirmation' },
  approve: { path: 'approve', zh: '批准（确认文号）', operationId: 'approveReconfirmation' },
  return: { path: 'return', zh: '退回', operationId: 'returnReconfirmation' },
  reject: { path: 'reject', zh: '不予确认', operationId: 'rejectReconfirmation' },
};

function viewJson(view: ApplicationView, publicUrl: string) {
  const base = `${publicUrl}/api/v1/reconfirmations/${view.id}`;
  return {
    ...view,
    formUrl: `${base}/form.pdf`,
    materials: view.materials.map((m) => ({ ...m, url: `${base}/materials/${m.id}` })),
    certificateUrl: view.certificateNumber ? `${publicUrl}/api/v1/certificates/${view.certificateNumber}` : null,
  };
}

export function applicationRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const allow = (action: Action): MiddlewareHandler<AppEnv> => requirePermission(deps, action) as MiddlewareHandler<AppEnv>;
  const denied = problem('your role may not do this (forbidden, with requiredRoles), or the case is not with you');
  const absent = problem('no such application visible to you');
  const ok = (description: string) => ({
    200: anApplication(description),
    403: denied,
    404: absent,
    409: problem('the case is not at a step that allows this, or what the step needs is missing (conflict, materials_missing; clause names the notice)'),
    422: problem('an invalid field, a date in the future, or an Idempotency-Key used with another body'),
  });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/reconfirmations',
      summary: '填报职称重新确认申请（申报人）/ Apply (applicant)',
      operationId: 'createReconfirmation',
      security,
      middleware: [allow('application.create')],
      request: { headers: idempotencyHeader, body: { required: true, content: { 'application/json': { schema: ApplicationFormSchema } } } },
      responses: {
        201: { ...anApplication('the new draft'), headers: { Location: { description: 'the new application', required: true, schema: { type: 'string' } } } },
        200: anApplication('an earlier draft with the same Idempotency-Key'),
        403: denied,
        409: problem('the applicant does not belong to an employer, or no authority above the unit may confirm this level (conflict)'),
        422: problem('an invalid field, not eligible (not_eligible, 一), or an Idempotency-Key used with another body'),
      },
    }),
    async (c) => {
      const { view, created } = await createApplication(serviceContext(c, deps), c.get('actor'), c.req.valid('json'), c.req.valid('header')['idempotency-key']);
      return c.json(viewJson(view, deps.publicUrl), created ? 201 : 200, { ...PRIVATE, ...(created ? { Location: `/api/v1/reconfirmations/${view.id}` } : {}) }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/reconfirmations',
      summary: '申请列表与检索 / Applications: search, filter, sort (queue=true: those waiting for your organisation)',
      operationId: 'listReconfirmations',
      security,
      middleware: [allow('application.read')],
      request: {
        query: z.object({
          status: z.enum(APPLICATION_STATUSES).optional(),
          queue: z.enum(['true', 'false']).default('false'),
          q: text(MAX_SEARCH_TEXT).optional().openapi({ description: 'a case number (or its start, e.g. RC202609), a whole ID number, or part of the holder’s name' }),
          org: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional().openapi({ description: 'cases of this organisation’s units and those below it (within your own)' }),
          from: isoDate.optional().openapi({ description: 'opened on or after this China date' }),
          to: isoDate.optional().openapi({ description: 'opened on or before this China date' }),
          sort: z.enum(CASE_SORTS).default('updated'),
          order: z.enum(['asc', 'desc']).default('desc'),
          limit: z.coerce.number().int().min(1).max(MAX_CASE_PAGE).default(50),
          offset: z.coerce.number().int().min(0).max(MAX_CASE_OFFSET).default(0),
        }),
      },
      responses: {
        200: { content: { 'application/json': { schema: ApplicationListSchema } }, description: 'the applications, newest first unless sorted otherwise' },
        403: denied,
        422: { content: { 'application/problem+json': { schema: ProblemSchema } }, description: 'a query parameter that cannot be read, or a start date after the end date (validation_failed)' },
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { search, problems } = readCaseSearch({ q: q.q, status: q.status, org: q.org, from: q.from, to: q.to, sort: q.sort, order: q.order });
      if (problems.length > 0) return searchRefusal(c, problems) as never;
      const result = await listApplications(serviceContext(c, deps), c.get('actor'), { status: q.status, queue: q.queue === 'true', search, limit: q.limit, offset: q.offset });
      return c.json({ total: result.total, items: result.items.map(({ form: _form, eligibility: _e, ...rest }) => rest) }, 200, PRIVATE) as never;
    },
    // A query the schema refuses is read again in the search's own words, so the problem names the parameter that
    // was wrong (not the first of the schema's, nor always `from`); what only the schema sees (a NUL in `q`, `queue`) falls back to it.
    (result, c) => {
      if (result.success) return undefined;
      const raw = c.req.query();
      const problems = [...readCaseSearch(raw).problems, ...readCaseWindow(raw).problems];
      return (problems.length > 0 ? searchRefusal(c, problems) : problemResponse(c, problemFromZod(result.error, 'query'))) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/reconfirmations/{id}',
      summary: '申请详情、材料与办理记录 / An application with its history',
      operationId: 'getReconfirmation',
      security,
      middleware: [allow('application.read')],
      request: { params: IdParam },
      responses: { 200: anApplication('the application'), 403: denied, 404: absent },
    }),
    async (c) => c.json(viewJson(await getApplication(serviceContext(c, deps), c.get('actor'), c.req.valid('param').id), deps.publicUrl), 200, PRIVATE) as never,
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/reconfirmations/{id}',
      summary: '修改申请（填报中）/ Edit a draft',
      operationId: 'updateReconfirmation',
      security,
      middleware: [allow('application.update')],
      request: { params: IdParam, headers: idempotencyHeader, body: { required: true, content: { 'application/json': { schema: ApplicationFormSchema } } } },
      responses: ok('the edited draft'),
    }),
    async (c) => {
      const view = await updateApplication(serviceContext(c, deps), c.get('actor'), c.req.valid('param').id, c.req.valid('json'), c.req.valid('header')['idempotency-key']);
      return c.json(viewJson(view, deps.publicUrl), 200, PRIVATE) as never;
    },
  );

  for (const action of Object.keys(STEP_PATHS) as StepAction[]) {
    const { path, zh, operationId } = STEP_PATHS[action];
    app.openapi(
      createRoute({
        method: 'post',
        path: `/api/v1/reconfirmations/{id}/${path}`,
        summary: `${zh} / ${action}`,
        operationId,
        security,
        middleware: [allow(`application.${action}`)],
        request: { params: IdParam, headers: idempotencyHeader, body: { required: true, content: { 'application/json': { schema: STEP_BODIES[action] } } } },
        responses: ok('the application after the step'),
      }),
      async (c) => {
        const body = c.req.valid('json') as Record<string, unknown>;
        const view = await takeStep(serviceContext(c, deps), c.get('actor'), c.req.valid('param').id, action, body, c.req.valid('header')['idempotency-key']);
        return c.json(viewJson(view, deps.publicUrl), 200, PRIVATE) as never;
      },
    );
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/reconfirmations/{id}/issue',
      summary: '发放职称电子证书（确认部门）/ Issue the e-certificate',
      operationId: 'issueReconfirmationCertificate',
      security,
      middleware: [allow('application.issue')],
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: z.object({}).strict() } } } },
      responses: ok('the application, now with its certificate number'),
    }),
    async (c) => c.json(viewJson(await issueFromApplication(serviceContext(c, deps), c.get('actor'), c.req.valid('param').id), deps.publicUrl), 200, PRIVATE) as never,
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/reconfirmations/{id}/materials',
      summary: '上传材料 / Upload a material (PDF, JPEG or PNG, ≤ 5 MiB)',
      operationId: 'uploadMaterial',
      security,
      middleware: [allow('application.upload_material')],
      request: {
        params: IdParam,
        headers: idempotencyHeader,
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({ item: z.enum(MATERIAL_ITEMS), filename: text(200), content: z.string().max(7_200_000).openapi({ description: 'data: URL' }) }).strict(),
            },
          },
        },
      },
      responses: {
        ...ok('the application with the new material'),
        422: problem('not a PDF, JPEG or PNG by its content, over 5 MiB, a photo that fails the photo’s checks (invalid_photo), a PDF that acts on its own (active_content), or an invalid field'),
      },
    }),
    async (c) => {
      const view = await uploadMaterial(serviceContext(c, deps), c.get('actor'), c.req.valid('param').id, c.req.valid('json'), c.req.valid('header')['idempotency-key']);
      return c.json(viewJson(view, deps.publicUrl), 200, PRIVATE) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/reconfirmations/{id}/materials/{materialId}',
      summary: '下载材料 / A material file',
      operationId: 'getMaterial',
      security,
      middleware: [allow('application.read')],
      request: { params: IdParam.extend({ materialId: z.string().min(1).max(64).openapi({ param: { name: 'materialId', in: 'path' } }) }) },
      responses: {
        200: { content: { 'application/pdf': {}, 'image/jpeg': {}, 'image/png': {} }, description: 'the file as uploaded' },
        403: denied,
        404: problem('no such application visible to you, or no such material'),
      },
    }),
    async (c) => {
      const { id, materialId } = c.req.valid('param');
      const { material, bytes } = await materialFile(serviceContext(c, deps), c.get('actor'), id, materialId);
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': material.mediaType,
        'Content-Disposition': `attachment; filename="${material.id}"; filename*=UTF-8''${encodeURIComponent(material.filename)}`,
        ...PRIVATE,
      }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/reconfirmations/{id}/statements',
      summary: '各单位签章的审核意见 / The organisations\' sealed statements on the case',
      description:
        '四(二), 四(四): each opinion or decision an organisation gave on the case, as a JWS sealed with its electronic seal (x5c: seal, seal CA, root) or unsealed when it held no seal; checked here against the root, as a chain of digests and against the history. `npm run cli -- verify statements.json` checks the same answer offline.',
      operationId: 'getReconfirmationStatements',
      security,
      middleware: [allow('application.read')],
      request: { params: IdParam },
      responses: { 200: { content: { 'application/json': { schema: CaseStatementsSchema } }, description: 'the statements, oldest first, with what the checks found' }, 403: denied, 404: absent },
    }),
    async (c) => c.json(await caseStatements(serviceContext(c, deps), c.get('actor'), c.req.valid('param').id), 200, PRIVATE) as never,
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/reconfirmations/{id}/form.pdf',
      summary: '职称重新确认审批表（附件1）PDF / The approval form',
      description:
        '四(二), 四(四): signed by the service, then sealed by each organisation whose opinion it prints and which holds an electronic seal — one PAdES signature each, an incremental update in the order of the steps, visible over its 公章 box; the authority’s seal, last, locks the form. A finished case’s form (issued or rejected) is made once and kept. `npm run cli -- verify form.pdf` lists every signature offline.',
      operationId: 'getApprovalForm',
      security,
      middleware: [allow('application.read')],
      request: { params: IdParam },
      responses: { 200: { content: { 'application/pdf': {} }, description: 'A4 PDF, signed and sealed' }, 403: denied, 404: absent },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const bytes = await renderApprovalForm(serviceContext(c, deps), c.get('actor'), id, deps.formTemplate);
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="approval-form-${id}.pdf"`, ...PRIVATE }) as never;
    },
  );
}
