/**
 * @module http/api/trust
 * What anyone needs to verify offline: every public key ever used (JWKS with kid and x5c), the root
 * certificate at a fixed address, each issuer's identifier document, its revocation status list (a signed W3C
 * Bitstring Status List credential; list 2, 3, … once the first is full) and beside each its message list (each
 * certificate's state in 2 bits, issue 19 item 3). All public and cacheable.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { VC_JWT_MEDIA_TYPE } from '../../crypto/credential.js';
import { DomainError } from '../../domain/errors.js';
import { authorityId, statusListCount, statusListCredential, type StatusPurpose } from '../../services/credentials.js';
import { serviceContext, type AppDeps, type AppEnv } from '../env.js';
import { AuthorityDocumentSchema, CompactJwsSchema, JwkSchema, ProblemSchema } from '../schemas.js';

const AuthorityCode = z.object({ code: z.string().regex(/^[A-Z0-9]{2,20}$/).openapi({ param: { name: 'code', in: 'path' }, example: 'GXZGB' }) });
const noAuthority = { content: { 'application/problem+json': { schema: ProblemSchema } }, description: 'no issuing authority with this code (not_found)' };

const jwks = createRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  summary: '全部签名公钥 / Every signing key ever used (JWKS, with x5c)',
  operationId: 'getJwks',
  security: [],
  responses: { 200: { content: { 'application/json': { schema: z.object({ keys: z.array(JwkSchema) }) } }, description: 'JWKS' } },
});

const root = createRoute({
  method: 'get',
  path: '/.well-known/ecert-root.pem',
  summary: '根证书 / The trust root certificate (PEM)',
  operationId: 'getRootCertificate',
  security: [],
  responses: { 200: { content: { 'application/x-pem-file': { schema: z.string().regex(/^-----BEGIN CERTIFICATE-----/) } }, description: 'X.509 root, PEM' } },
});

const statusList = createRoute({
  method: 'get',
  path: '/status/{code}/revocation',
  summary: '撤销状态列表（W3C Bitstring Status List）/ An authority’s revocation list, as a signed credential',
  operationId: 'getStatusList',
  security: [],
  request: { params: AuthorityCode },
  responses: { 200: { content: { 'application/vc+jwt': { schema: CompactJwsSchema } }, description: 'BitstringStatusListCredential, vc+jwt; cacheable 5 minutes' }, 404: noAuthority },
});

// Issue 15: an authority's further lists (2, 3, …); list 1 stays at /status/{code}/revocation.
const ListParams = AuthorityCode.extend({
  list: z.string().regex(/^[1-9][0-9]{0,6}$/).openapi({ param: { name: 'list', in: 'path' }, example: '2' }),
});

const furtherStatusList = createRoute({
  method: 'get',
  path: '/status/{code}/revocation/{list}',
  summary: '第 n 个撤销状态列表（n ≥ 2）/ An authority’s further revocation list (2, 3, …), as a signed credential',
  operationId: 'getFurtherStatusList',
  security: [],
  request: { params: ListParams },
  responses: {
    200: { content: { 'application/vc+jwt': { schema: CompactJwsSchema } }, description: 'BitstringStatusListCredential, vc+jwt; cacheable 5 minutes' },
    404: { content: { 'application/problem+json': { schema: ProblemSchema } }, description: 'no such authority, or no such list yet (list 1 is /status/{code}/revocation)' },
  },
});

// Issue 19 item 3: the message lists (2 bits a certificate: its state), at the same list numbers as the revocation lists.
const messageList = createRoute({
  method: 'get',
  path: '/status/{code}/message',
  summary: '状态消息列表（每证 2 位：有效、已变更、已撤销、已注销）/ An authority’s message list: each certificate’s state in 2 bits, as a signed credential',
  operationId: 'getMessageList',
  security: [],
  request: { params: AuthorityCode },
  responses: { 200: { content: { 'application/vc+jwt': { schema: CompactJwsSchema } }, description: 'BitstringStatusListCredential (statusPurpose message, statusSize 2), vc+jwt; cacheable 5 minutes' }, 404: noAuthority },
});

const furtherMessageList = createRoute({
  method: 'get',
  path: '/status/{code}/message/{list}',
  summary: '第 n 个状态消息列表（n ≥ 2）/ An authority’s further message list (2, 3, …), as a signed credential',
  operationId: 'getFurtherMessageList',
  security: [],
  request: { params: ListParams },
  responses: {
    200: { content: { 'application/vc+jwt': { schema: CompactJwsSchema } }, description: 'BitstringStatusListCredential (statusPurpose message, statusSize 2), vc+jwt; cacheable 5 minutes' },
    404: { content: { 'application/problem+json': { schema: ProblemSchema } }, description: 'no such authority, or no such list yet (list 1 is /status/{code}/message)' },
  },
});

const authority = createRoute({
  method: 'get',
  path: '/authorities/{code}',
  summary: '发证机构标识 / An issuer’s identifier: its name, levels and where its keys are',
  operationId: 'getAuthority',
  security: [],
  request: { params: AuthorityCode },
  responses: { 200: { content: { 'application/json': { schema: AuthorityDocumentSchema } }, description: 'the issuer’s name, the levels it may confirm and its keys' }, 404: noAuthority },
});

export function trustRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const unknownAuthority = (code: string) => new DomainError('not_found', { zh: `没有代码为 ${code} 的发证机构`, en: `No issuing authority ${code}` });
  const LIST_WORDS: Record<StatusPurpose, { zh: string; en: string }> = { revocation: { zh: '撤销状态列表', en: 'revocation list' }, message: { zh: '状态消息列表', en: 'message list' } };
  const serveList = async (c: Context<AppEnv>, code: string, listText: string | undefined, purpose: StatusPurpose) => {
    if (!(await deps.trust()).authorities.some((a) => a.code === code)) throw unknownAuthority(code);
    const ctx = serviceContext(c, deps);
    const list = listText === undefined ? 1 : Number(listText);
    if (listText !== undefined && (list < 2 || list > (await statusListCount(ctx, code)))) {
      const words = LIST_WORDS[purpose];
      // List 1 exists, at its own address: say where, never that it is missing.
      throw new DomainError(
        'not_found',
        list === 1
          ? { zh: `第 1 个${words.zh}的地址是 /status/${code}/${purpose}（不带序号）`, en: `The first ${words.en} is at /status/${code}/${purpose} (without a number)` }
          : { zh: `机构 ${code} 没有第 ${list} 个${words.zh}（第 1 个列表在 /status/${code}/${purpose}）`, en: `Authority ${code} has no ${words.en} ${list} (list 1 is /status/${code}/${purpose})` },
      );
    }
    return c.body(await statusListCredential(ctx, code, list, purpose), 200, { 'Content-Type': VC_JWT_MEDIA_TYPE, 'Cache-Control': 'public, max-age=300' }) as never;
  };
  app.openapi(statusList, async (c) => serveList(c, c.req.valid('param').code, undefined, 'revocation'));
  app.openapi(furtherStatusList, async (c) => serveList(c, c.req.valid('param').code, c.req.valid('param').list, 'revocation'));
  app.openapi(messageList, async (c) => serveList(c, c.req.valid('param').code, undefined, 'message'));
  app.openapi(furtherMessageList, async (c) => serveList(c, c.req.valid('param').code, c.req.valid('param').list, 'message'));
  app.openapi(authority, async (c) => {
    const { code } = c.req.valid('param');
    const trust = await deps.trust();
    const own = trust.authorities.filter((a) => a.code === code);
    if (own.length === 0) throw unknownAuthority(code);
    const kids = new Set(own.map((a) => a.kid));
    return c.json(
      {
        id: authorityId(deps.publicUrl, code),
        name: own[0]!.name,
        levels: [...new Set(own.flatMap((a) => a.levels))],
        jwks_uri: `${deps.publicUrl}/.well-known/jwks.json`,
        keys: trust.jwks().keys.filter((k) => kids.has(k.kid)),
      },
      200,
      { 'Cache-Control': 'public, max-age=300' },
    ) as never;
  });

  app.openapi(jwks, async (c) => {
    const trust = await deps.trust();
    return c.json(trust.jwks(), 200, { 'Cache-Control': 'public, max-age=300' });
  });
  app.openapi(root, async (c) => {
    const trust = await deps.trust();
    return c.body(trust.rootPem, 200, { 'Content-Type': 'application/x-pem-file', 'Cache-Control': 'public, max-age=3600' }) as never;
  });
}
