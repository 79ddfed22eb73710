/**
 * @module http/middleware/rateLimit
 * A token bucket per client address. Where the buckets live is the entry's choice: in this process
 * (`createRateLimiter`, Node: one process sees every request), or shared by every isolate
 * (`createSharedRateLimiter`, Workers: one Durable Object per client key, entry/rateLimitObject.ts) — both spend
 * with the same `spendToken`, so the limit means the same on both runtimes. Over the limit: 429 with Retry-After.
 *
 * One limiter guards every request that does not prove it holds a certificate (typed links, wrong link
 * proofs, lookups by number and name): the app makes it once and hands it to the routes, so a client cannot
 * double its allowance by mixing them.
 */
import { createMiddleware } from 'hono/factory';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv, Limit, RateLimiter, RateLimiterFactory } from '../env.js';
import { problemOf, problemResponse } from '../problem.js';

const MAX_CLIENTS = 50_000;

/** Every address that is not one: one bucket for all of them, so odd input never makes a new client. */
export const ODD_CLIENT = 'unknown';

/**
 * The bucket a client address spends from. IPv6 clients get a /64 each (one subscriber's prefix), so rotating
 * addresses inside it does not help; an IPv4-mapped address (`::ffff:1.2.3.4`, as a dual-stack socket reports
 * an IPv4 client) is that IPv4 address, so the same client never has two buckets. Anything that is not an
 * address (a huge or garbled header on the edge) is `ODD_CLIENT`: a key is at most an address long and the
 * number of keys is the number of real clients, never what a caller can type (one bucket, one Durable Object each).
 * @example clientKey('::ffff:203.0.113.7') // '203.0.113.7'
 */
export function clientKey(address: string): string {
  if (address.length > 64) return ODD_CLIENT;
  if (!address.includes(':')) return ipv4(address) ?? ODD_CLIENT;
  const [head = ''] = address.split('%');
  if (head.split('::').length > 2) return ODD_CLIENT;
  const expanded = expandIpv6(head);
  if (expanded.length !== 8 || !expanded.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return ODD_CLIENT;
  const groups = expanded.map((g) => parseInt(g, 16).toString(16));
  if (groups.slice(0, 5).every((g) => g === '0') && groups[5] === 'ffff') {
    const [high, low] = [parseInt(groups[6]!, 16), parseInt(groups[7]!, 16)];
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  }
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/** A dotted IPv4 address in one spelling (no leading zeros), or undefined. */
function ipv4(address: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  const octets = m?.slice(1).map(Number);
  return octets?.every((n) => n <= 255) ? octets.join('.') : undefined;
}

/** The eight groups of an IPv6 address: `::` filled with zeros, a dotted IPv4 tail as two groups. */
function expandIpv6(address: string): string[] {
  const dotted = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(2).map(Number) as [number, number, number, number];
    if ([a, b, c, d].every((n) => n <= 255)) address = `${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  if (!address.includes('::')) return address.split(':');
  const [left = '', right = ''] = address.split('::');
  const l = left ? left.split(':') : [];
  const r = right ? right.split(':') : [];
  return [...l, ...Array<string>(Math.max(0, 8 - l.length - r.length)).fill('0'), ...r];
}

/** One client's bucket: the requests it has left (fractions refill) as of `at` (ms since the epoch). */
export interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Spends one request from `bucket` at time `t` (ms), refilling it first; changes the bucket in place. Returns 0
 * when the request was allowed, otherwise the whole seconds until the next one is (nothing is spent then).
 * The one rule for the in-process buckets and the Durable Object's.
 * @example const bucket = fullBucket(limit, Date.now()); spendToken(bucket, limit, Date.now()) // 0
 */
export function spendToken(bucket: Bucket, limit: Limit, t: number): number {
  bucket.tokens = Math.min(limit.burst, bucket.tokens + Math.max(0, t - bucket.at) / 1000 / limit.refillSeconds);
  bucket.at = Math.max(bucket.at, t);
  if (bucket.tokens < 1) return Math.max(1, Math.ceil((1 - bucket.tokens) * limit.refillSeconds));
  bucket.tokens -= 1;
  return 0;
}

/** A bucket nobody has spent from. */
export function fullBucket(limit: Limit, t: number): Bucket {
  return { tokens: limit.burst, at: t };
}

/** When (ms) the bucket is full again: from then on it is the same as no bucket, and can be forgotten. */
export function fullAt(bucket: Bucket, limit: Limit): number {
  return bucket.at + Math.ceil(Math.max(0, limit.burst - bucket.tokens) * limit.refillSeconds * 1000);
}

/** A limit the buckets can work with (burst ≥ 1, refill > 0); anything else is a configuration error. */
export function checkLimit(limit: Limit): Limit {
  if (!(limit.burst >= 1) || !(limit.refillSeconds > 0) || !Number.isFinite(limit.burst) || !Number.isFinite(limit.refillSeconds)) {
    throw new Error('rateLimit: burst ≥ 1 and refillSeconds > 0');
  }
  return limit;
}

/** The 429 problem with its Retry-After header. */
export function rateLimitedProblem(c: Context, retryAfter: number): Response {
  return problemResponse(
    c,
    problemOf('rate_limited', { zh: `查询过于频繁，请 ${retryAfter} 秒后再试`, en: `Too many lookups; try again in ${retryAfter} seconds` }, undefined, { retryAfter }),
    { 'Retry-After': String(retryAfter) },
  );
}

function guardOf(take: RateLimiter['take']): RateLimiter['guard'] {
  return (onLimited) =>
    createMiddleware<AppEnv>(async (c, next) => {
      const retryAfter = await take(c);
      if (retryAfter === 0) return next();
      if (!onLimited) return rateLimitedProblem(c, retryAfter);
      const res = await onLimited(c, retryAfter);
      res.headers.set('Retry-After', String(retryAfter));
      return res;
    });
}

/**
 * The buckets in this process's memory (Node; on Workers only as the fallback of the shared ones).
 * @example
 * const unproven = createRateLimiter({ burst: 10, refillSeconds: 6 }, (c) => deps.clientAddress(c));
 * app.post('/api/v1/lookup', unproven.guard(), handler);
 * const retryAfter = await unproven.take(c); if (retryAfter > 0) return rateLimitedProblem(c, retryAfter);
 */
export function createRateLimiter(limit: Limit, keyOf: (c: Context) => string, now: () => number = Date.now): RateLimiter {
  checkLimit(limit);
  const buckets = new Map<string, Bucket>();

  const take = (c: Context): number => {
    const key = clientKey(keyOf(c));
    const t = now();
    const bucket = buckets.get(key) ?? fullBucket(limit, t);
    buckets.delete(key); // re-insert: the Map's order is then least recently seen first
    buckets.set(key, bucket);
    // Bounded memory under a flood of addresses: forget the least recently seen, never everyone at once.
    for (const oldest of buckets.keys()) {
      if (buckets.size <= MAX_CLIENTS) break;
      buckets.delete(oldest);
    }
    return spendToken(bucket, limit, t);
  };

  return { take, guard: guardOf(take) };
}

/**
 * Buckets shared by every isolate: `spend(key, limit)` spends from the client key's one bucket wherever it lives
 * (on Workers a Durable Object per key, entry/rateLimitObject.ts) and answers like `take`. Should it fail (the
 * object unreachable or overloaded), the request spends from `fallback` (this isolate's own buckets) and
 * `onError` hears of it: still a limit, and never a 500 for the caller.
 */
export function createSharedRateLimiter(
  limit: Limit,
  keyOf: (c: Context) => string,
  spend: (key: string, limit: Limit) => Promise<number>,
  fallback: RateLimiter = createRateLimiter(limit, keyOf),
  onError: (error: unknown) => void = () => undefined,
): RateLimiter {
  checkLimit(limit);
  const take = async (c: Context): Promise<number> => {
    try {
      const retryAfter = await spend(clientKey(keyOf(c)), limit);
      if (Number.isInteger(retryAfter) && retryAfter >= 0) return retryAfter;
      throw new Error(`rateLimit: the shared bucket answered ${String(retryAfter)}`);
    } catch (error) {
      onError(error);
      return fallback.take(c);
    }
  };
  return { take, guard: guardOf(take) };
}
