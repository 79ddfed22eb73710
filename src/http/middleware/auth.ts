/**
 * @module http/middleware/auth
 * Bearer tokens: opaque strings, looked up by their SHA-256, each scoped to one organisation and one role.
 * A route names the roles it admits; anything else is 401 (no or unknown token) or 403 (wrong role).
 */
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import { rolesFor, type Action } from '../../domain/roles.js';
import type { ServiceContext } from '../../services/context.js';
import { grantOfToken } from '../../services/organisationReads.js';
import type { AppEnv } from '../env.js';
import { problemOf } from '../problem.js';

function reject(status: 401 | 403, problem: ReturnType<typeof problemOf>, headers: Record<string, string> = {}): never {
  const res = new Response(JSON.stringify(problem), {
    status,
    headers: { 'Content-Type': 'application/problem+json; charset=utf-8', ...headers },
  });
  throw new HTTPException(status, { res });
}

/** The roles domain/roles.ts grants `action`: the one place an endpoint's audience is decided. */
export function requirePermission(ctx: Pick<ServiceContext, 'organisations'>, action: Action) {
  return requireRole(ctx, ...rolesFor(action));
}

/** @example app.post('/api/v1/certificates', requireRole(orgs, 'issuer'), handler) */
export function requireRole(ctx: Pick<ServiceContext, 'organisations'>, ...roles: string[]) {
  if (roles.length === 0) throw new Error('requireRole needs at least one role');
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('Authorization') ?? '';
    const match = /^Bearer\s+([A-Za-z0-9_\-.~+/]{20,200})=*$/i.exec(header); // the scheme is case-insensitive (RFC 7235)
    if (!match?.[1]) {
      reject(401, problemOf('unauthorized', { zh: '需要有效的访问令牌（Authorization: Bearer …）', en: 'A valid bearer token is required' }), {
        'WWW-Authenticate': 'Bearer realm="ecert"',
      });
    }
    const grant = await grantOfToken(ctx, match[1]);
    if (!grant) {
      reject(401, problemOf('unauthorized', { zh: '访问令牌无效或已撤销', en: 'The bearer token is unknown or revoked' }), {
        'WWW-Authenticate': 'Bearer realm="ecert", error="invalid_token"',
      });
    }
    if (!roles.includes(grant.role)) {
      reject(403, problemOf('forbidden', { zh: `此操作需要角色：${roles.join('、')}`, en: `This action needs the role: ${roles.join(', ')}` }, undefined, { requiredRoles: roles }));
    }
    c.set('actor', { orgCode: grant.orgCode, role: grant.role, tokenId: grant.id, personId: grant.personId, personName: grant.personName });
    await next();
  });
}
