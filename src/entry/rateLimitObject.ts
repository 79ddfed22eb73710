/**
 * @module entry/rateLimitObject
 * The rate limit on Workers: one Durable Object per client key (`idFromName(clientKey(address))`) holds that
 * client's token bucket, so every isolate, everywhere, spends from the same bucket — isolates' own memory
 * would limit nothing (issue 15). The bucket is the in-process limiter's (`spendToken`), kept in the object's
 * SQLite storage so it outlives the object's eviction and a redeploy; an alarm forgets it once it is full again,
 * so the stored objects are the clients seen in the last burst × refill seconds, not every client ever seen.
 *
 * Bound in wrangler.toml as RATE_LIMITER ([[durable_objects.bindings]], migration `new_sqlite_classes`).
 */
import { DurableObject } from 'cloudflare:workers';
import type { Limit } from '../http/env.js';
import { checkLimit, fullAt, fullBucket, spendToken, type Bucket } from '../http/middleware/rateLimit.js';

const BUCKET = 'bucket';

interface Stored extends Bucket {
  /** When the bucket is full again (ms): the alarm's time. */
  fullAt: number;
}

export class RateLimitBucket extends DurableObject {
  /**
   * Spends one request of this object's client (RPC from the worker). 0 when allowed, otherwise the whole
   * seconds until the next one is. A Durable Object runs one call at a time, and this one never awaits between
   * reading and writing the bucket, so concurrent requests of one client never spend the same token twice.
   */
  async take(limit: Limit): Promise<number> {
    checkLimit(limit);
    const t = Date.now();
    const bucket: Bucket = this.ctx.storage.kv.get<Stored>(BUCKET) ?? fullBucket(limit, t);
    const retryAfter = spendToken(bucket, limit, t);
    // Refused: nothing was spent, and the stored bucket refills to the same tokens from its own time, so a flood
    // of refused requests costs reads only (no write, no alarm).
    if (retryAfter > 0) return retryAfter;
    const full = fullAt(bucket, limit);
    this.ctx.storage.kv.put(BUCKET, { tokens: bucket.tokens, at: bucket.at, fullAt: full } satisfies Stored);
    await this.ctx.storage.setAlarm(full);
    return retryAfter;
  }

  /** The bucket is full again: nothing to remember (a later call starts a full one), so the object's storage goes. */
  async alarm(): Promise<void> {
    const stored = this.ctx.storage.kv.get<Stored>(BUCKET);
    if (stored && stored.fullAt > Date.now()) return this.ctx.storage.setAlarm(stored.fullAt);
    await this.ctx.storage.deleteAll();
  }
}

/** What the worker's RATE_LIMITER binding offers (the part used here). */
export interface RateLimitNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): { take(limit: Limit): Promise<number> };
}

/** The shared limiter's `spend`: the client key's object spends from its bucket. */
export function durableBuckets(namespace: RateLimitNamespace): (key: string, limit: Limit) => Promise<number> {
  return (key, limit) => namespace.get(namespace.idFromName(key)).take(limit);
}
