/**
 * @module services/tokens
 * API tokens: 256 random bits shown once, stored as SHA-256, scoped to an organisation and one role.
 */
import { DomainError } from '../domain/errors.js';
import { base64url, randomBytes, sha256Hex } from '../lib/bytes.js';
import type { ServiceContext } from './context.js';

/** Roles that exist today; the workflow issue adds the rest of notice 二(二)'s actors. */
export const ROLES = ['issuer', 'handler', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** @example const token = await createToken(ctx, { orgCode: 'GXZGB', role: 'issuer', label: null }); */
export async function createToken(ctx: Pick<ServiceContext, 'organisations' | 'now'>, request: { orgCode: string; role: Role; label: string | null }): Promise<string> {
  const org = await ctx.organisations.find(request.orgCode);
  if (!org) {
    throw new DomainError('not_found', { zh: `机构 ${request.orgCode} 不存在`, en: `Organisation ${request.orgCode} does not exist` }, 'org');
  }
  const token = `ect_${base64url(randomBytes(32))}`;
  const id = base64url(randomBytes(9));
  await ctx.organisations.addToken({ id, orgCode: org.code, role: request.role }, await sha256Hex(token), request.label, ctx.now().toISOString());
  return token;
}
