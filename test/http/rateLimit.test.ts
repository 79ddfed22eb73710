/**
 * The per-client token bucket behind every unproven request: a burst, then one request per refill period;
 * a limited request spends nothing; IPv6 clients are grouped by /64; the middleware answers 429 with
 * Retry-After, or the page's own answer.
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../src/http/env.js';
import { clientKey, createRateLimiter } from '../../src/http/middleware/rateLimit.js';

const fakeContext = (address: string) => ({ address }) as never;

describe('createRateLimiter', () => {
  it('allows a burst, then one request per refill period, and spends nothing while limited', () => {
    let now = 1_000_000;
    const limiter = createRateLimiter({ burst: 3, refillSeconds: 10 }, (c) => (c as unknown as { address: string }).address, () => now);
    const a = fakeContext('203.0.113.7');
    expect([limiter.take(a), limiter.take(a), limiter.take(a)]).toEqual([0, 0, 0]);
    expect(limiter.take(a)).toBe(10);
    now += 4_000;
    expect(limiter.take(a)).toBe(6); // 0.4 of a request refilled; the refused take spent nothing
    now += 6_000;
    expect(limiter.take(a)).toBe(0);
    expect(limiter.take(a)).toBe(10);
    expect(limiter.take(fakeContext('203.0.113.8'))).toBe(0); // another client has its own bucket
  });

  it('groups IPv6 clients by their /64', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    const limiter = createRateLimiter({ burst: 1, refillSeconds: 60 }, (c) => (c as unknown as { address: string }).address, () => 0);
    expect(limiter.take(fakeContext('2001:db8:1:2::1'))).toBe(0);
    expect(limiter.take(fakeContext('2001:db8:1:2::ffff'))).toBe(60);
  });

  it('an IPv4-mapped IPv6 address is its IPv4 address: one bucket for one client', () => {
    for (const mapped of ['::ffff:203.0.113.7', '::FFFF:203.0.113.7', '0:0:0:0:0:ffff:203.0.113.7', '0000:0000:0000:0000:0000:ffff:203.0.113.7', '::ffff:cb00:7107', '::ffff:203.0.113.7%eth0']) {
      expect(clientKey(mapped), mapped).toBe('203.0.113.7');
    }
    const limiter = createRateLimiter({ burst: 2, refillSeconds: 60 }, (c) => (c as unknown as { address: string }).address, () => 0);
    expect(limiter.take(fakeContext('203.0.113.7'))).toBe(0);
    expect(limiter.take(fakeContext('::ffff:203.0.113.7'))).toBe(0);
    expect(limiter.take(fakeContext('::ffff:203.0.113.7'))).toBe(60);
    expect(limiter.take(fakeContext('203.0.113.7'))).toBe(60);
    expect(limiter.take(fakeContext('::ffff:203.0.113.8'))).toBe(0); // its neighbour is another client
    // Not mapped: an IPv4-compatible or NAT64 address is an IPv6 client, grouped by its /64.
    expect(clientKey('64:ff9b::203.0.113.7')).toBe('64:ff9b:0:0::/64');
    expect(clientKey('::203.0.113.7')).toBe('0:0:0:0::/64');
    // One spelling of an address, one bucket: case and leading zeros do not make a new client.
    expect(clientKey('2001:0DB8:0001:0002::1')).toBe(clientKey('2001:db8:1:2::2'));
    // Nonsense stays a key of its own and never throws.
    for (const odd of [':', ':::', '::ffff:999.1.1.1', '::ffff:', 'ffff:'.repeat(20), 'unknown']) expect(typeof clientKey(odd)).toBe('string');
  });

  it('refuses a nonsense limit when it is built', () => {
    expect(() => createRateLimiter({ burst: 0, refillSeconds: 1 }, () => 'x')).toThrow();
    expect(() => createRateLimiter({ burst: 1, refillSeconds: 0 }, () => 'x')).toThrow();
    expect(() => createRateLimiter({ burst: Number.NaN, refillSeconds: 1 }, () => 'x')).toThrow();
  });

  it('one limiter shared by two routes gives a client one allowance, not two', async () => {
    const limiter = createRateLimiter({ burst: 2, refillSeconds: 60 }, () => '198.51.100.1', () => 0);
    const app = new Hono<AppEnv>();
    app.get('/a', limiter.guard(), (c) => c.text('a'));
    app.get('/b', limiter.guard((c, retryAfter) => c.text(`wait ${retryAfter}`, 429)), (c) => c.text('b'));
    expect((await app.request('/a')).status).toBe(200);
    expect((await app.request('/b')).status).toBe(200);
    const problem = await app.request('/a');
    expect(problem.status).toBe(429);
    expect(problem.headers.get('retry-after')).toBe('60');
    expect(problem.headers.get('content-type')).toContain('application/problem+json');
    expect(((await problem.json()) as { code: string }).code).toBe('rate_limited');
    const page = await app.request('/b');
    expect(page.status).toBe(429);
    expect(await page.text()).toBe('wait 60');
    expect(page.headers.get('retry-after')).toBe('60');
  });
});
