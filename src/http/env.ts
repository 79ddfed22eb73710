/**
 * @module http/env
 * The Hono environment of the app: what the entry hands in (AppDeps) and what middleware sets per request.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Actor, ServiceContext } from '../services/context.js';
import type { VerificationRecordTemplate } from '../render/verificationRecord/pdf.js';
import type { ApprovalFormTemplate } from '../render/approvalForm/pdf.js';

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
  lookupLimit?: Limit;
  /**
   * Where the buckets of that limit live: this process's memory unless the entry says otherwise (Workers: one
   * Durable Object per client key, shared by every isolate — entry/worker.ts).
   */
  rateLimiter?: RateLimiterFactory;
}

/** A client's allowance: a burst, then one more request every `refillSeconds`. */
export interface Limit {
  burst: number;
  refillSeconds: number;
}

/** The limit on unproven requests (http/middleware/rateLimit.ts makes the in-process one). */
export interface RateLimiter {
  /**
   * Spends one of the client's requests. Returns 0 when it was allowed, otherwise the whole seconds until
   * the next one is (nothing is spent then). A number at once from the in-process buckets (Node: no promise
   * per request), a promise from shared ones (Workers); callers `await` either.
   */
  take(c: Context): number | Promise<number>;
  /** Middleware that spends one request per call; over the limit, `onLimited`'s answer or a 429 problem. */
  guard(onLimited?: (c: Context<AppEnv>, retryAfter: number) => Response | Promise<Response>): MiddlewareHandler<AppEnv>;
}

/** How an entry makes the app's limiter (deps.rateLimiter); `createRateLimiter` unless the runtime shares buckets. */
export type RateLimiterFactory = (limit: Limit, keyOf: (c: Context) => string) => RateLimiter;

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
