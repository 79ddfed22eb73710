/**
 * @module http/api/seals
 * Organisations' electronic seals (电子印章, issue 16): list, create, rotate and revoke, by an admin of the
 * organisation's own office or one above it. Answers never carry a private key, in clear or encrypted.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { createSeal, listSeals, revokeSeal, rotateSeal } from '../../services/seals.js';
import { serviceContext, type AppDeps, type AppEnv } from '../env.js';
import { requirePermission } from '../middleware/auth.js';
import { ProblemSchema, text } from '../schemas.js';

const problem = (description: string) => ({ content: { 'application/problem+json': { schema: ProblemSchema } }, description });
const answer = (schema: z.ZodType, description: string) => ({ content: { 'application/json': { schema } }, description });
const security = [{ bearer: [] }];
const PRIVATE = { 'Cache-Control': 'private, no-store' };
const denied = {
  401: problem('no or unknown token'),
  403: problem('not an admin, or the organisation is neither your own office nor one below it'),
};
const CodeParam = z.object({ code: z.string().regex(/^[A-Z0-9]{2,20}$/, '机构代码须为 2–20 位大写字母或数字|2–20 upper-case letters or digits').openapi({ param: { name: 'code', in: 'path' }, example: 'NNZGB' }) });
const SealIdParam = CodeParam.extend({ id: z.string().regex(/^SEAL[A-Za-z0-9_-]{16}$/, '印章编号格式错误|not a seal id').openapi({ param: { name: 'id', in: 'path' } }) });
const SealSchema = z
  .object({
    id: z.string(),
    orgCode: z.string(),
    kid: z.string().openapi({ description: 'RFC 7638 thumbprint of the seal key' }),
    certificatePem: z.string().openapi({ description: 'the seal certificate, issued by the seal CA under the root' }),
    uscc: z.string(),
    notBefore: z.string().openapi({ format: 'date-time' }),
    notAfter: z.string().openapi({ format: 'date-time' }),
    status: z.enum(['active', 'retired', 'revoked']),
    createdAt: z.string().openapi({ format: 'date-time' }),
    createdBy: z.string(),
    retiredAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    revokedBy: z.string().nullable(),
    revocationReason: z.string().nullable(),
  })
  .openapi('Seal');
const empty = { required: true, content: { 'application/json': { schema: z.object({}).strict() } } };

export function sealRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const allow = requirePermission(deps, 'seal.manage') as MiddlewareHandler<AppEnv>;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/organisations/{code}/seals',
      summary: '单位电子印章（管理员）/ An organisation’s seals (admin)',
      operationId: 'listSeals',
      security,
      middleware: [allow],
      request: { params: CodeParam },
      responses: { 200: answer(z.object({ items: z.array(SealSchema) }), 'newest first; never a key'), ...denied },
    }),
    async (c) => c.json({ items: await listSeals(serviceContext(c, deps), c.get('actor'), c.req.valid('param').code) }, 200, PRIVATE) as never,
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/organisations/{code}/seals',
      summary: '创建单位电子印章（管理员）/ Create an organisation’s seal (admin)',
      description: 'A P-256 key and a certificate from the seal CA naming the organisation, its code and its USCC; the private key is stored only encrypted under the master key. Notice 四(二)、四(四): 出具审核意见，加盖单位公章.',
      operationId: 'createSeal',
      security,
      middleware: [allow],
      request: { params: CodeParam, body: empty },
      responses: {
        201: answer(SealSchema, 'the new active seal'),
        ...denied,
        409: problem('the organisation already has an active seal (rotate it instead)'),
        422: problem('the organisation has no unified social credit code yet (field uscc)'),
        503: problem('no seal CA or no seal master key is configured (keys_unavailable)'),
      },
    }),
    async (c) => c.json(await createSeal(serviceContext(c, deps), c.get('actor'), c.req.valid('param').code), 201, PRIVATE) as never,
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/organisations/{code}/seals/rotation',
      summary: '更换单位电子印章（管理员）/ Rotate an organisation’s seal (admin)',
      description: 'A new key and certificate become active; the old seal is retired, kept so what it signed still verifies.',
      operationId: 'rotateSeal',
      security,
      middleware: [allow],
      request: { params: CodeParam, body: empty },
      responses: {
        201: answer(z.object({ seal: SealSchema, retired: z.string() }), 'the new active seal, and the id of the one retired'),
        ...denied,
        409: problem('no active seal to rotate (该单位尚未设置电子印章), or it changed meanwhile'),
        503: problem('no seal CA or no seal master key is configured (keys_unavailable)'),
      },
    }),
    async (c) => c.json(await rotateSeal(serviceContext(c, deps), c.get('actor'), c.req.valid('param').code), 201, PRIVATE) as never,
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/organisations/{code}/seals/{id}/revocation',
      summary: '注销单位电子印章（管理员）/ Revoke a seal (admin)',
      description: 'From this moment the seal signs nothing; what it signed before stays on record.',
      operationId: 'revokeSeal',
      security,
      middleware: [allow],
      request: { params: SealIdParam, body: { required: true, content: { 'application/json': { schema: z.object({ reason: text(200) }).strict() } } } },
      responses: { 200: answer(SealSchema, 'the seal, now revoked'), ...denied, 404: problem('no such seal of this organisation'), 409: problem('already revoked') },
    }),
    async (c) => {
      const { code, id } = c.req.valid('param');
      return c.json(await revokeSeal(serviceContext(c, deps), c.get('actor'), code, id, c.req.valid('json').reason), 200, PRIVATE) as never;
    },
  );
}
