/**
 * @module http/env
 * The Hono environment of the app: what the entry hands in (AppDeps) and what middleware sets per request.
 */
import type { Context } from 'hono';
import type { Actor, ServiceContext } from '../services/context.js';
import type { SqlDriver } from '../storage/driver.js';
import type { VerificationRecordTemplate } from '../render/verificationRecordPdf.js';

export interface AppDeps extends ServiceContext {
  db: SqlDriver;
  /** Layout of attachment 2, the verification record sheet. */
  recordTemplate: VerificationRecordTemplate;
  /** The caller's address for rate limiting (socket address on Node, CF-Connecting-IP on Workers). */
  clientAddress(c: Context): string;
  /** Lookups allowed per client: a burst, then one more every `refillSeconds`. */
  lookupLimit?: { burst: number; refillSeconds: number };
}

export interface AppEnv {
  Variables: { actor: Actor };
}
