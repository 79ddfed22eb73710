/**
 * @module services/sessions
 * Signing in to the web pages with the API token a person already has: the token is checked once and
 * exchanged for a random session id (kept as SHA-256) with its own CSRF token, valid for eight hours.
 */
import { base64url, randomBytes, sha256Hex } from '../lib/bytes.js';
import type { TokenGrant } from '../storage/organisations.js';
import type { SessionRepository } from '../storage/sessions.js';
import { auditOf } from './audit.js';
import type { ServiceContext } from './context.js';

export const SESSION_HOURS = 8;

/** @example const session = await signIn(ctx, sessions, 'ect_…'); // undefined for an unknown token */
export async function signIn(ctx: ServiceContext, sessions: SessionRepository, token: string): Promise<{ id: string; csrf: string; grant: TokenGrant } | undefined> {
  const grant = /^[A-Za-z0-9_\-.~+/]{20,200}$/.test(token) ? await ctx.organisations.findToken(await sha256Hex(token)) : undefined;
  if (!grant) return undefined;
  const now = ctx.now();
  const id = base64url(randomBytes(32));
  const csrf = base64url(randomBytes(24));
  await sessions.open(await sha256Hex(id), grant.id, csrf, now.toISOString(), new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString());
  const actor = { orgCode: grant.orgCode, role: grant.role, tokenId: grant.id, personId: grant.personId, personName: grant.personName };
  await ctx.audit.record(auditOf(actor, now.toISOString(), 'session.sign_in', `person:${grant.personId}`, {}));
  return { id, csrf, grant };
}

export async function sessionOf(ctx: ServiceContext, sessions: SessionRepository, id: string): Promise<{ grant: TokenGrant; csrf: string } | undefined> {
  return sessions.find(await sha256Hex(id), ctx.now().toISOString());
}

export async function signOut(sessions: SessionRepository, id: string): Promise<void> {
  await sessions.close(await sha256Hex(id));
}
