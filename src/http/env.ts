/**
 * @module http/env
 * The Hono environment of the app: what the entry hands in (AppDeps) and what middleware sets per request.
 */
import type { Context } from 'hono';
import type { Actor, ServiceContext } from '../services/context.js';
import type { VerificationRecordTemplate } from '../render/verificationRecord/pdf.js';
import type { ApprovalFormTemplate } from '../render/approvalForm/pdf.js';
import type { RateLimiterFactory } from './middleware/rateLimit.js';

export interface AppDeps extends ServiceContext {
  /** Layout of attachment 2, the verification record sheet. */
  recordTemplate: VerificationRecordTemplate;
  /** Layout of attachment 1, the approval form. */
  formTemplate: ApprovalFormTemplate;
  /** The caller's address for rate limiting (socket address on Node, CF-Connecting-IP on Workers). */
  clientAddress(c: Context): string;
  /**
   * Tests only (ECERT_TEST_CLOCK=1, refused in production): a request may say what time it is with
   * `X-Ecert-Test-Now`, so a 5-working-day notice can run its course in a test.
   */
  testClock?: boolean;
  /** Lookups allowed per client: a burst, then one more every `refillSeconds`. */
  lookupLimit?: { burst: number; refillSeconds: number };
  /**
   * Where the buckets of that limit live: this process's memory unless the entry says otherwise (Workers: one
   * Durable Object per client key, shared by every isolate — entry/worker.ts).
   */
  rateLimiter?: RateLimiterFactory;
}

export interface AppEnv {
  Variables: {
    actor: Actor;
    now?: Date;
    /** A signed-in browser: the person, their CSRF token and the session id (web pages only). */
    session?: { actor: Actor; csrf: string; id: string };
    /** The double-submit CSRF token of an anonymous form, once made for this response. */
    csrf?: string;
  };
}

/** The services' context for this request: the deps, with the test clock's time when one was given. */
export function serviceContext(c: Context<AppEnv>, deps: AppDeps): AppDeps {
  const now = c.get('now');
  return now ? { ...deps, now: () => now } : deps;
}
