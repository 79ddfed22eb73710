/**
 * @module http/api/administration
 * Organisations and people (admin), the working-day calendar's overrides and the record of which years'
 * arrangements are announced (admin of the region title office; anyone may read them), and the audit
 * trail (auditor).
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { calendarYears } from '../../domain/workingDays.js';
import type { MiddlewareHandler } from 'hono';
import { isIsoDate } from '../../domain/chineseDate.js';
import { ROLES, type Action } from '../../domain/roles.js';
import { ID_TYPES } from '../../domain/idDocument.js';
import { ORGANISATION_KINDS } from '../../domain/routing.js';
import { addPerson, auditTrail, recordYearAnnouncement, removeCalendarOverride, revokePerson, saveOrganisation, setCalendarOverride, setOrganisationContact, setOrganisationUscc } from '../../services/administration.js';
import { serviceContext, type AppDeps, type AppEnv } from '../env.js';
import { requirePermission, requireRole } from '../middleware/auth.js';
import { OrganisationContactSchema, personName, ProblemSchema, text } from '../schemas.js';
import { organisationTree, organisationUsccs } from '../../services/organisationReads.js';
import { calendarOverrides } from '../../services/calendarReads.js';

const problem = (description: string) => ({ content: { 'application/problem+json': { schema: ProblemSchema } }, description });
const security = [{ bearer: [] }];
const PRIVATE = { 'Cache-Control': 'private, no-store' };
const orgCode = z.string().regex(/^[A-Z0-9]{2,20}$/, '机构代码须为 2–20 位大写字母或数字|2–20 upper-case letters or digits');
const DateParam = z.object({
  date: z.string().refine(isIsoDate, '日期格式应为 YYYY-MM-DD 的真实日期|Date must be a real YYYY-MM-DD date').openapi({ param: { name: 'date', in: 'path' }, example: '2027-02-06' }),
});
const denied = { 401: problem('no or unknown token'), 403: problem('not your role, or outside what you administer') };
const answer = (schema: z.ZodType, description: string) => ({ content: { 'application/json': { schema } }, description });
const OrganisationSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    kind: z.enum(ORGANISATION_KINDS),
    parentCode: z.string().nullable(),
    contact: OrganisationContactSchema.optional(),
    uscc: z.string().optional().openapi({ description: '统一社会信用代码 (GB 32100-2015), when set', example: '91350100M000100Y43' }),
  })
  .openapi('Organisation');
// Raw text, bounded only against abuse: domain/organisationContact.ts says what a phone and an address may hold.
const contactText = z.string().max(2000).nullable().optional();
const OrgCodeParam = z.object({ code: orgCode.openapi({ param: { name: 'code', in: 'path' }, example: 'NNZGB' }) });
const PersonSchema = z.object({ id: z.string(), orgCode: z.string(), name: z.string(), role: z.enum(ROLES), createdAt: z.string().openapi({ format: 'date-time' }) }).openapi('Person');
const CalendarOverrideSchema = z
  .object({ date: z.string().openapi({ format: 'date' }), kind: z.enum(['holiday', 'workday']), note: z.string(), setAt: z.string().openapi({ format: 'date-time' }) })
  .openapi('CalendarOverride');
const AuditEventSchema = z
  .object({
    seq: z.number().int(),
    at: z.string().openapi({ format: 'date-time' }),
    orgCode: z.string(),
    personId: z.string().nullable(),
    role: z.string(),
    action: z.string().openapi({ example: 'application.submit' }),
    subject: z.string().openapi({ example: 'application:RC20261128-7KQ2M9XH' }),
    detail: z.record(z.string(), z.unknown()),
  })
  .openapi('AuditEvent');

export function administrationRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const allow = (action: Action): MiddlewareHandler<AppEnv> => requirePermission(deps, action) as MiddlewareHandler<AppEnv>;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/organisations',
      summary: '机构与报送层级 / Organisations and their parents',
      operationId: 'listOrganisations',
      security,
      middleware: [requireRole(deps, ...ROLES) as MiddlewareHandler<AppEnv>],
      responses: { 200: answer(z.object({ items: z.array(OrganisationSchema) }), 'every organisation'), 401: denied[401] },
    }),
    async (c) => {
      const ctx = serviceContext(c, deps);
      const usccs = await organisationUsccs(ctx); // issue 16: each organisation's 统一社会信用代码 where set
      const items = [...(await organisationTree(ctx)).values()].map((o) => (usccs.has(o.code) ? { ...o, uscc: usccs.get(o.code) } : o));
      return c.json({ items }, 200, PRIVATE) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/organisations',
      summary: '登记或修改机构（管理员）/ Add or change an organisation (admin)',
      operationId: 'saveOrganisation',
      security,
      middleware: [allow('organisation.manage')],
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z
                .object({
                  code: orgCode,
                  name: text(100),
                  kind: z.enum(ORGANISATION_KINDS),
                  parentCode: orgCode,
                  contactPhone: contactText.openapi({ description: 'contact phone shown to employers (digits, spaces, -, (), leading +, extension 转123; ≤ 40); with contactAddress it replaces the contact, both left out keep it', example: '0771-1234567转801' }),
                  contactAddress: contactText.openapi({ description: 'contact address shown to employers (≤ 120 characters, no control characters)' }),
                  uscc: z.string().max(64).nullable().optional().openapi({ description: '统一社会信用代码: 18 characters with the GB 32100-2015 check character (a wrong one is refused naming the right one); blank or null clears it, left out keeps it', example: '91350100M000100Y43' }),
                })
                .strict(),
            },
          },
        },
      },
      responses: {
        200: answer(OrganisationSchema, 'the organisation'),
        ...denied,
        403: problem('not your role, outside what you administer, or a kind not below your own office (field kind)'),
        409: problem('the parent would make a cycle, or another admin changed this part of the tree meanwhile (reload and try again)'),
        422: problem('invalid body (a USCC with a wrong check character: field uscc), or a tree out of rank order (rank_order, field kind or parentCode): an organisation must rank strictly below its parent and above its children'),
      },
    }),
    async (c) => {
      const { contactPhone, contactAddress, uscc, ...org } = c.req.valid('json');
      const contact = contactPhone !== undefined || contactAddress !== undefined ? { phone: contactPhone, address: contactAddress } : undefined;
      return c.json(await saveOrganisation(serviceContext(c, deps), c.get('actor'), org, contact, uscc), 200) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/organisations/{code}/contact',
      summary: '设定机构联系方式（管理员：本机构或下级机构）/ Set an organisation\'s contact (admin: own office or below)',
      description: 'The contact employers see on the verification page of certificates this office issued, read at verification time. A part left out or blank is cleared.',
      operationId: 'setOrganisationContact',
      security,
      middleware: [allow('organisation.manage')],
      request: {
        params: OrgCodeParam,
        body: { required: true, content: { 'application/json': { schema: z.object({ phone: contactText, address: contactText }).strict() } } },
      },
      responses: {
        200: answer(z.object({ code: z.string(), contact: OrganisationContactSchema }), 'the organisation and its contact now'),
        ...denied,
        403: problem('not your role, or not your own office nor one below it'),
        409: problem('the organisation was moved meanwhile (reload and try again)'),
        422: problem('invalid body: a phone that is not a telephone number, or an address too long or with control characters'),
      },
    }),
    async (c) => c.json(await setOrganisationContact(serviceContext(c, deps), c.get('actor'), c.req.valid('param').code, c.req.valid('json')), 200, PRIVATE) as never,
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/organisations/{code}/uscc',
      summary: '设定统一社会信用代码（管理员：本机构或下级机构）/ Set an organisation\'s USCC (admin: own office or below)',
      description: 'Issue 16: the 统一社会信用代码 an electronic seal certificate names, checked by its GB 32100-2015 check character. Blank or null clears it.',
      operationId: 'setOrganisationUscc',
      security,
      middleware: [allow('organisation.manage')],
      request: { params: OrgCodeParam, body: { required: true, content: { 'application/json': { schema: z.object({ uscc: z.string().max(64).nullable() }).strict() } } } },
      responses: {
        200: answer(z.object({ code: z.string(), uscc: z.string().nullable() }), 'the organisation and its USCC now'),
        ...denied,
        403: problem('not your role, or not your own office nor one below it'),
        409: problem('the organisation was moved meanwhile (reload and try again)'),
        422: problem('not 18 characters, a character GB 32100 never uses, or a wrong check character (named in the message; field uscc)'),
      },
    }),
    async (c) => c.json(await setOrganisationUscc(serviceContext(c, deps), c.get('actor'), c.req.valid('param').code, c.req.valid('json').uscc), 200, PRIVATE) as never,
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/people',
      summary: '登记人员并发放令牌（管理员）/ Add a person with a token (admin)',
      operationId: 'addPerson',
      security,
      middleware: [allow('person.manage')],
      request: { body: { required: true, content: { 'application/json': { schema: z
                .object({
                  orgCode,
                  role: z.enum(ROLES),
                  name: personName,
                  // Issue 17 item 1: required for a holder; makes any person the holder of certificates bearing it.
                  idType: z.enum(ID_TYPES).optional(),
                  idNumber: z.string().trim().min(5).max(30).optional().openapi({ description: "the person's ID number (required for role holder): they then see, as holder, every certificate bearing it" }),
                })
                .strict() } } } },
      responses: {
        201: answer(z.object({ person: PersonSchema, token: z.string().openapi({ description: 'the bearer token, shown only this once' }) }), 'the person and their token'),
        ...denied,
        403: problem('not your role, outside what you administer, or an admin at an office not ranked below yours (field orgCode)'),
        422: problem('invalid body'),
      },
    }),
    async (c) => c.json(await addPerson(serviceContext(c, deps), c.get('actor'), c.req.valid('json')), 201, PRIVATE) as never,
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/people/{id}/revocation',
      summary: '撤销人员的全部令牌（管理员）/ Revoke every token of a person (admin)',
      operationId: 'revokePerson',
      security,
      middleware: [allow('person.manage')],
      request: { params: z.object({ id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' } }) }), body: { required: true, content: { 'application/json': { schema: z.object({}).strict() } } } },
      responses: {
        200: answer(z.object({ person: PersonSchema, revoked: z.number().int().openapi({ description: 'how many tokens were live' }) }), 'the person, now without a live token'),
        ...denied,
        404: problem('no such person in what you administer'),
      },
    }),
    async (c) => c.json(await revokePerson(serviceContext(c, deps), c.get('actor'), c.req.valid('param').id), 200, PRIVATE) as never,
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/calendar/overrides',
      summary: '工作日历调整 / Calendar overrides',
      operationId: 'listCalendarOverrides',
      security: [],
      responses: { 200: answer(z.object({ items: z.array(CalendarOverrideSchema) }), 'every override, by date') },
    }),
    async (c) => c.json({ items: (await calendarOverrides(serviceContext(c, deps))).map(({ setBy: _by, ...o }) => o) }, 200) as never,
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/calendar/overrides/{date}',
      summary: '设定某日为假日或工作日（自治区管理员）/ Mark a date a holiday or a working day',
      operationId: 'setCalendarOverride',
      security,
      middleware: [allow('calendar.override')],
      request: { params: DateParam, body: { required: true, content: { 'application/json': { schema: z.object({ kind: z.enum(['holiday', 'workday']), note: text(200) }).strict() } } } },
      responses: { 204: { description: 'saved' }, ...denied, 422: problem('invalid body') },
    }),
    async (c) => {
      await setCalendarOverride(serviceContext(c, deps), c.get('actor'), { date: c.req.valid('param').date, ...c.req.valid('json') });
      return c.body(null, 204) as never;
    },
  );

  const years = calendarYears();
  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/calendar/years/{year}',
      summary: '记录年度放假安排已公布（自治区管理员）/ Record a year’s arrangements as announced',
      description:
        'Issue 13 item 8: a year’s notice ends become final only when both its national schedule (国务院办公厅) and its 壮族三月三 arrangement (自治区人民政府办公厅) are recorded as announced — this call, audited; entering overrides does not do it. Enter the year’s 放假/调休 days as overrides first.',
      operationId: 'recordCalendarYear',
      security,
      middleware: [allow('calendar.override')],
      request: {
        params: z.object({ year: z.coerce.number().int().min(years.first).max(years.last).openapi({ param: { name: 'year', in: 'path' }, example: 2027 }) }),
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z
                .object({
                  national: z.boolean().openapi({ description: 'the State Council’s schedule for the year is announced and entered' }),
                  regional: z.boolean().openapi({ description: 'the region’s 壮族三月三 arrangement for the year is announced and entered' }),
                  note: text(200).openapi({ example: '国办发明电〔2026〕号；桂政办 2027年“壮族三月三”放假的通知' }),
                })
                .strict(),
            },
          },
        },
      },
      responses: { 204: { description: 'recorded' }, ...denied, 422: problem('invalid year or body') },
    }),
    async (c) => {
      await recordYearAnnouncement(serviceContext(c, deps), c.get('actor'), { year: c.req.valid('param').year, ...c.req.valid('json') });
      return c.body(null, 204) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/calendar/overrides/{date}',
      summary: '取消某日的调整 / Remove an override',
      operationId: 'removeCalendarOverride',
      security,
      middleware: [allow('calendar.override')],
      request: { params: DateParam },
      responses: { 204: { description: 'removed' }, ...denied },
    }),
    async (c) => {
      await removeCalendarOverride(serviceContext(c, deps), c.get('actor'), c.req.valid('param').date);
      return c.body(null, 204) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/audit',
      summary: '审计记录（审计员）/ The audit trail (auditor)',
      operationId: 'getAuditTrail',
      security,
      middleware: [allow('audit.read')],
      request: {
        query: z.object({
          subject: z.string().max(120).optional().openapi({ example: 'application:RC20261128-7KQ2M9XH' }),
          after: z.coerce.number().int().min(0).default(0).openapi({ description: 'the last seq seen (paging cursor)' }),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
      responses: {
        200: answer(z.object({ items: z.array(AuditEventSchema), next: z.number().int().nullable().openapi({ description: 'pass as after= for the next page' }) }), 'the events, oldest first'),
        ...denied,
      },
    }),
    async (c) => {
      const items = await auditTrail(serviceContext(c, deps), c.get('actor'), c.req.valid('query'));
      return c.json({ items, next: items.at(-1)?.seq ?? null }, 200, PRIVATE) as never;
    },
  );
}
