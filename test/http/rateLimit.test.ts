/**
 * The per-client token bucket behind every unproven request: a burst, then one request per refill period;
 * a limited request spends nothing; IPv6 clients are grouped by /64; the middleware answers 429 with
 * Retry-After, or the page's own answer.
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../src/http/env.js';
import { clientKey, createRateLimiter, createSharedRateLimiter, fullAt, fullBucket, ODD_CLIENT, spendToken, type Bucket } from '../../src/http/middleware/rateLimit.js';
import type { Limit } from '../../src/http/env.js';

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
    // Nonsense never throws and is never a key of its own: every odd or huge address is the one ODD_CLIENT bucket
    // (on Workers one Durable Object per key, so a caller typing addresses must not make objects).
    for (const odd of [':', ':::', '::ffff:999.1.1.1', '::ffff:', 'ffff:'.repeat(20), 'unknown', 'a::b::c', '1.2.3.999', '1.2.3', 'x'.repeat(5000), '2001:db8::' + 'f'.repeat(70), 'g::1', '1:2:3:4:5:6:7:8:9', '']) {
      expect(clientKey(odd), odd.slice(0, 40)).toBe(ODD_CLIENT);
    }
    // One spelling of an IPv4 address too.
    expect(clientKey('203.000.113.007')).toBe('203.0.113.7');
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

  it('the in-process take answers at once, with no promise (Node keeps its fast path)', () => {
    const limiter = createRateLimiter({ burst: 1, refillSeconds: 60 }, () => '198.51.100.2', () => 0);
    expect(limiter.take(fakeContext('x'))).toBe(0);
    expect(limiter.take(fakeContext('x'))).toBe(60);
  });
});

describe('spendToken: the one bucket rule of the in-process and the Durable Object buckets', () => {
  const limit: Limit = { burst: 2, refillSeconds: 10 };

  it('spends, refills by elapsed time, and says when the bucket is full again', () => {
    const bucket: Bucket = fullBucket(limit, 0);
    expect(fullAt(bucket, limit)).toBe(0);
    expect([spendToken(bucket, limit, 0), spendToken(bucket, limit, 0), spendToken(bucket, limit, 0)]).toEqual([0, 0, 10]);
    expect(fullAt(bucket, limit)).toBe(20_000);
    expect(spendToken(bucket, limit, 5_000)).toBe(5);
    expect(spendToken(bucket, limit, 10_000)).toBe(0);
    expect(fullAt(bucket, limit)).toBe(30_000);
    // A clock that steps back refills nothing (the object's clock and a stored bucket's may disagree).
    expect(spendToken(bucket, limit, 1_000)).toBe(10);
    expect(bucket.at).toBe(10_000);
  });
});

describe('createSharedRateLimiter (Workers: the buckets in a Durable Object per client key)', () => {
  /** A stand-in for the RATE_LIMITER namespace: one bucket per key, as the objects keep them. */
  function sharedStore(now: () => number) {
    const objects = new Map<string, Bucket>();
    const keys: string[] = [];
    const spend = async (key: string, limit: Limit) => {
      keys.push(key);
      const bucket = objects.get(key) ?? fullBucket(limit, now());
      objects.set(key, bucket);
      return spendToken(bucket, limit, now());
    };
    return { objects, keys, spend };
  }
  const ctxOf = (address: string) => ({ address }) as never;
  const keyOf = (c: unknown) => (c as { address: string }).address;

  it('two isolates (two limiters) spending through one store share the client’s bucket', async () => {
    const store = sharedStore(() => 0);
    const limit = { burst: 3, refillSeconds: 60 };
    const isolateA = createSharedRateLimiter(limit, keyOf, store.spend);
    const isolateB = createSharedRateLimiter(limit, keyOf, store.spend);
    const answers = [await isolateA.take(ctxOf('203.0.113.7')), await isolateB.take(ctxOf('::ffff:203.0.113.7')), await isolateA.take(ctxOf('203.0.113.7'))];
    expect(answers).toEqual([0, 0, 0]);
    expect(await isolateB.take(ctxOf('203.0.113.7'))).toBe(60);
    expect(store.keys).toEqual(Array(4).fill('203.0.113.7')); // the normalised key names the object
  });

  it('odd and huge addresses reach one object, never one each', async () => {
    const store = sharedStore(() => 0);
    const limiter = createSharedRateLimiter({ burst: 2, refillSeconds: 60 }, keyOf, store.spend);
    const answers = [];
    for (let i = 0; i < 30; i++) answers.push(await limiter.take(ctxOf(i % 2 ? `odd-${i}` : 'z'.repeat(1000 + i))));
    expect(answers.filter((a) => a === 0)).toHaveLength(2);
    expect([...store.objects.keys()]).toEqual([ODD_CLIENT]);
  });

  it('an unreachable or nonsense-answering object falls back to this isolate’s buckets: still limited, never an error', async () => {
    const errors: unknown[] = [];
    const limit = { burst: 2, refillSeconds: 60 };
    const down = createSharedRateLimiter(limit, keyOf, async () => Promise.reject(new Error('Durable Object overloaded')), createRateLimiter(limit, keyOf, () => 0), (e) => errors.push(e));
    expect([await down.take(ctxOf('198.51.100.3')), await down.take(ctxOf('198.51.100.3')), await down.take(ctxOf('198.51.100.3'))]).toEqual([0, 0, 60]);
    expect(errors).toHaveLength(3);
    const odd = createSharedRateLimiter(limit, keyOf, async () => Number.NaN, createRateLimiter(limit, keyOf, () => 0), (e) => errors.push(e));
    expect(await odd.take(ctxOf('198.51.100.3'))).toBe(0);
    expect(errors).toHaveLength(4);
  });

  it('the guard awaits the shared bucket: 429 problem, or the page’s own answer, with Retry-After', async () => {
    const store = sharedStore(() => 0);
    const limiter = createSharedRateLimiter({ burst: 1, refillSeconds: 30 }, () => '198.51.100.4', store.spend);
    const app = new Hono<AppEnv>();
    app.get('/a', limiter.guard(), (c) => c.text('a'));
    app.get('/b', limiter.guard((c, retryAfter) => c.text(`wait ${retryAfter}`, 429)), (c) => c.text('b'));
    expect((await app.request('/a')).status).toBe(200);
    const problem = await app.request('/a');
    expect(problem.status).toBe(429);
    expect(problem.headers.get('retry-after')).toBe('30');
    expect(((await problem.json()) as { code: string }).code).toBe('rate_limited');
    const page = await app.request('/b');
    expect(await page.text()).toBe('wait 30');
    expect(page.headers.get('retry-after')).toBe('30');
  });
});
