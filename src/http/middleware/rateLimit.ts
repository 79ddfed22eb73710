/**
 * @module http/middleware/rateLimit
 * A token bucket per client address, in memory: enough for one Node process; on Workers each isolate
 * keeps its own buckets (documented in the README). Over the limit: 429 with Retry-After.
 *
 * One limiter guards every request that does not prove it holds a certificate (typed links, wrong link
 * proofs, lookups by number and name): the app makes it once and hands it to the routes, so a client cannot
 * double its allowance by mixing them.
 */
import { createMiddleware } from 'hono/factory';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { problemOf, problemResponse } from '../problem.js';

const MAX_CLIENTS = 50_000;

/**
 * The bucket a client address spends from. IPv6 clients get a /64 each (one subscriber's prefix), so rotating
 * addresses inside it does not help; an IPv4-mapped address (`::ffff:1.2.3.4`, as a dual-stack socket reports
 * an IPv4 client) is that IPv4 address, so the same client never has two buckets.
 * @example clientKey('::ffff:203.0.113.7') // '203.0.113.7'
 */
export function clientKey(address: string): string {
  if (!address.includes(':')) return address;
  const [head = ''] = address.split('%');
  const groups = expandIpv6(head).map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16).toString(16) : g.toLowerCase()));
  if (groups.length === 8 && groups.slice(0, 5).every((g) => g === '0') && groups[5] === 'ffff') {
    const [high, low] = [parseInt(groups[6]!, 16), parseInt(groups[7]!, 16)];
    if (Number.isInteger(high) && Number.isInteger(low)) return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  }
  return `${groups.slice(0, 4).join(':')}::/64`;
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

interface Bucket {
  tokens: number;
  at: number;
}

export interface RateLimiter {
  /**
   * Spends one of the client's requests. Returns 0 when it was allowed, otherwise the whole seconds until
   * the next one is (nothing is spent then).
   */
  take(c: Context): number;
  /** Middleware that spends one request per call; over the limit, `onLimited`'s answer or a 429 problem. */
  guard(onLimited?: (c: Context<AppEnv>, retryAfter: number) => Response | Promise<Response>): MiddlewareHandler<AppEnv>;
}

/** The 429 problem with its Retry-After header. */
export function rateLimitedProblem(c: Context, retryAfter: number): Response {
  return problemResponse(
    c,
    problemOf('rate_limited', { zh: `查询过于频繁，请 ${retryAfter} 秒后再试`, en: `Too many lookups; try again in ${retryAfter} seconds` }, undefined, { retryAfter }),
    { 'Retry-After': String(retryAfter) },
  );
}

/**
 * @example
 * const unproven = createRateLimiter({ burst: 10, refillSeconds: 6 }, (c) => deps.clientAddress(c));
 * app.post('/api/v1/lookup', unproven.guard(), handler);
 * if (unproven.take(c) > 0) return rateLimitedProblem(c, retryAfter);
 */
export function createRateLimiter(limit: { burst: number; refillSeconds: number }, keyOf: (c: Context) => string, now: () => number = Date.now): RateLimiter {
  if (!(limit.burst >= 1) || !(limit.refillSeconds > 0)) throw new Error('rateLimit: burst ≥ 1 and refillSeconds > 0');
  const buckets = new Map<string, Bucket>();

  const take = (c: Context): number => {
    const key = clientKey(keyOf(c));
    const t = now();
    const bucket = buckets.get(key) ?? { tokens: limit.burst, at: t };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + Math.max(0, t - bucket.at) / 1000 / limit.refillSeconds);
    bucket.at = t;
    buckets.delete(key); // re-insert: the Map's order is then least recently seen first
    buckets.set(key, bucket);
    // Bounded memory under a flood of addresses: forget the least recently seen, never everyone at once.
    for (const oldest of buckets.keys()) {
      if (buckets.size <= MAX_CLIENTS) break;
      buckets.delete(oldest);
    }
    if (bucket.tokens < 1) return Math.max(1, Math.ceil((1 - bucket.tokens) * limit.refillSeconds));
    bucket.tokens -= 1;
    return 0;
  };

  return {
    take,
    guard: (onLimited) =>
      createMiddleware<AppEnv>(async (c, next) => {
        const retryAfter = take(c);
        if (retryAfter === 0) return next();
        if (!onLimited) return rateLimitedProblem(c, retryAfter);
        const res = await onLimited(c, retryAfter);
        res.headers.set('Retry-After', String(retryAfter));
        return res;
      }),
  };
}
