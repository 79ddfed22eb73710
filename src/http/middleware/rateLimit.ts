/**
 * @module http/middleware/rateLimit
 * A token bucket per client address, in memory: enough for one Node process; on Workers each isolate
 * keeps its own buckets (documented in the README). Over the limit: 429 with Retry-After.
 */
import { createMiddleware } from 'hono/factory';
import type { Context } from 'hono';
import type { AppEnv } from '../env.js';
import { problemOf, problemResponse } from '../problem.js';

interface Bucket {
  tokens: number;
  at: number;
}

/** @example app.use('/api/v1/lookup', rateLimit({ burst: 10, refillSeconds: 6 }, (c) => ip(c))) */
export function rateLimit(limit: { burst: number; refillSeconds: number }, keyOf: (c: Context) => string, now: () => number = Date.now) {
  if (limit.burst < 1 || limit.refillSeconds <= 0) throw new Error('rateLimit: burst ≥ 1 and refillSeconds > 0');
  const buckets = new Map<string, Bucket>();
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = keyOf(c);
    const t = now();
    const bucket = buckets.get(key) ?? { tokens: limit.burst, at: t };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + (t - bucket.at) / 1000 / limit.refillSeconds);
    bucket.at = t;
    if (bucket.tokens < 1) {
      buckets.set(key, bucket);
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) * limit.refillSeconds));
      return problemResponse(
        c,
        problemOf('rate_limited', {
          zh: `查询过于频繁，请 ${retryAfter} 秒后再试`,
          en: `Too many lookups; try again in ${retryAfter} seconds`,
        }, undefined, { retryAfter }),
        { 'Retry-After': String(retryAfter) },
      );
    }
    bucket.tokens -= 1;
    if (buckets.size > 50_000) buckets.clear(); // bounded memory under a flood of addresses
    buckets.set(key, bucket);
    await next();
  });
}
