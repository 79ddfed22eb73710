/**
 * @module services/webSessions
 * The web pages' session store, built from the context's database, so HTTP never reaches into storage.
 */
import { SessionRepository } from '../storage/sessions.js';
import type { ServiceContext } from './context.js';

export type { SessionRepository };

/** @example const sessions = sessionStore(ctx); await signIn(ctx, sessions, token); */
export function sessionStore(ctx: Pick<ServiceContext, 'db'>): SessionRepository {
  return new SessionRepository(ctx.db);
}
