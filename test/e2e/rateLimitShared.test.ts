/**
 * The rate limit on unproven requests, the same on both runtimes (issue 15, "Rate limits that hold on the
 * edge"): typed links, wrong proofs and lookups (API and page) spend from one bucket per client; past it, 429
 * with Retry-After — problem+json in Chinese and English, the page's own answer for a page.
 *
 * On Workers the bucket lives in a Durable Object per client key, not in an isolate: it survives a whole new
 * workerd on the same state (nothing in any isolate's memory does), one object per client key — the same
 * client spelled differently is one object, and odd or huge addresses never make new ones.
 */
import { readdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLookupForm } from '../support/lookupForm.js';
import { currentTarget, startServer, type RunningServer } from '../support/server.js';

const BURST = 5;
const REFILL = 3600;
const NEVER_ISSUED = '26AAAAAAAAB';
const edge = currentTarget() === 'edge';
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ ECERT_LOOKUP_BURST: String(BURST), ECERT_LOOKUP_REFILL_SECONDS: String(REFILL) });
});
afterAll(async () => server?.stop());

/** Requests as one client: on Workers the address is CF-Connecting-IP (wrangler dev passes it through); Node ignores it. */
const as = (ip: string) => {
  const headers = (accept: string, more: Record<string, string> = {}) => ({ Accept: accept, 'CF-Connecting-IP': ip, ...more });
  return {
    typedJson: () => fetch(`${server.baseUrl}/v/${NEVER_ISSUED}`, { headers: headers('application/json') }),
    typedPage: () => fetch(`${server.baseUrl}/v/${NEVER_ISSUED}`, { headers: headers('text/html') }),
    wrongProof: () => fetch(`${server.baseUrl}/v/${NEVER_ISSUED}?s=AAAAAAAAAAAAAAAAAAAAAA`, { headers: headers('application/json') }),
    wrongPdfProof: () => fetch(`${server.baseUrl}/api/v1/certificates/${NEVER_ISSUED}/pdf?s=AAAAAAAAAAAAAAAAAAAAAA`, { headers: headers('application/json') }),
    lookup: () =>
      fetch(`${server.baseUrl}/api/v1/lookup`, {
        method: 'POST',
        headers: headers('application/json', { 'Content-Type': 'application/json' }),
        body: JSON.stringify({ number: NEVER_ISSUED, name: '张三' }),
      }),
    lookupPage: async () => (await openLookupForm(server.baseUrl, { 'CF-Connecting-IP': ip })).post(NEVER_ISSUED, '张三', { 'CF-Connecting-IP': ip }),
  };
};

async function expectLimited(res: Response, kind: string, page = false): Promise<number> {
  expect(res.status, kind).toBe(429);
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter, kind).toBeGreaterThan(0);
  expect(retryAfter, kind).toBeLessThanOrEqual(REFILL);
  if (page) {
    expect(res.headers.get('content-type'), kind).toContain('text/html');
    expect(await res.text(), kind).toMatch(/查询过于频繁，请 \d+ 秒后再试/);
  } else {
    expect(res.headers.get('content-type'), kind).toContain('application/problem+json');
    const body = (await res.json()) as { code: string; message: { zh: string; en: string } };
    expect(body.code, kind).toBe('rate_limited');
    expect(body.message.zh, kind).toContain('查询过于频繁');
    expect(body.message.en, kind).toContain('Too many lookups');
  }
  return retryAfter;
}

/** The Durable Objects the rate limiter has made (their SQLite files in wrangler dev's state). */
function bucketObjects(target: RunningServer): string[] {
  const dir = join(target.dir, 'state/v3/do/ecert-RateLimitBucket');
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
  } catch {
    return [];
  }
}

describe('one bucket for every unproven request, on both runtimes', () => {
  it('typed links, wrong proofs and lookups spend from the same burst; past it every kind is 429 with Retry-After', async () => {
    const client = as('198.51.100.20');
    // The burst, spent one request of each kind (none of them proves anything, none is limited yet).
    const spent = [await client.typedJson(), await client.wrongProof(), await client.lookup(), await client.lookupPage(), await client.wrongPdfProof()];
    expect(spent.map((r) => r.status)).toEqual([200, 200, 404, 404, 404]); // proof_required, wrong proof, not_found ×3
    for (const res of spent) expect(res.headers.get('retry-after')).toBeNull();

    await expectLimited(await client.typedJson(), 'typed link, JSON');
    await expectLimited(await client.typedPage(), 'typed link, page', true);
    await expectLimited(await client.wrongProof(), 'wrong proof');
    await expectLimited(await client.wrongPdfProof(), 'wrong proof on the PDF');
    await expectLimited(await client.lookup(), 'lookup API');
    await expectLimited(await client.lookupPage(), 'lookup page', true);
  });
});

describe.runIf(edge)('on Workers the buckets live in Durable Objects, not in isolates', () => {
  it('one object per client key: the same client spelled differently is one bucket, another client has its own', async () => {
    const before = bucketObjects(server).length;
    expect(before).toBeGreaterThan(0); // the client above spent through an object
    const spelled = ['2001:db8:5:6::1', '2001:DB8:5:6:ffff::2', '2001:0db8:0005:0006:1:2:3:4', '2001:db8:5:6::9', '2001:db8:5:6::a'];
    const answers = [];
    for (const ip of spelled) answers.push(await as(ip).typedJson());
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await expectLimited(await as('2001:db8:5:6:dead:beef::1').typedJson(), 'same /64');
    expect((await as('2001:db8:5:7::1').typedJson()).status).toBe(200); // the next /64 is another client
    expect(bucketObjects(server).length).toBe(before + 2);
  });

  it('odd or huge addresses share one bucket and one object, however many are sent', async () => {
    const before = bucketObjects(server).length;
    const odd = [
      'x'.repeat(4000),
      '1.2.3.999',
      '01.2.3.4.5',
      '::ffff:',
      'a::b::c',
      'ffff:'.repeat(20),
      'not an address',
      'été',
      ...Array.from({ length: 24 }, (_, i) => `garbage-${i}-${'z'.repeat(i * 50)}`),
    ];
    const answers = await Promise.all(odd.map((ip) => as(ip).typedJson()));
    expect(answers.some((r) => r.status >= 500)).toBe(false);
    expect(answers.filter((r) => r.status === 200).length).toBeLessThanOrEqual(BURST);
    expect(answers.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(odd.length - BURST);
    expect(bucketObjects(server).length).toBeLessThanOrEqual(before + 1);
  });

  it('a spent bucket survives a whole new workerd on the same state, and the time to wait keeps counting down', async () => {
    const client = () => as('198.51.100.20');
    const waitBefore = await expectLimited(await client().typedJson(), 'before the restart');
    server = await server.restart!();
    const waitAfter = await expectLimited(await client().typedJson(), 'after the restart');
    expect(waitAfter).toBeLessThanOrEqual(waitBefore);
    expect(waitAfter).toBeGreaterThan(REFILL - 600);
    await expectLimited(await client().lookup(), 'lookup after the restart');
    // Another client's bucket is untouched by the restart too: it still has its burst.
    expect((await as('198.51.100.77').typedJson()).status).toBe(200);
  });
});

describe.runIf(edge)('on Workers an object forgets its bucket once it is full again', () => {
  let quick: RunningServer;
  beforeAll(async () => {
    quick = await startServer({ ECERT_LOOKUP_BURST: '1', ECERT_LOOKUP_REFILL_SECONDS: '3' });
  });
  afterAll(async () => quick?.stop());

  /** The buckets stored in every rate-limit object of a server (the key-value table workerd keeps, `_cf_KV`). */
  const storedBuckets = (target: RunningServer) =>
    bucketObjects(target).flatMap((file) => {
      const db = new Database(join(target.dir, 'state/v3/do/ecert-RateLimitBucket', file), { readonly: true, fileMustExist: true });
      try {
        const hasKv = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_cf_KV'").all().length > 0;
        return hasKv ? (db.prepare('SELECT key FROM _cf_KV').all() as { key: string }[]) : [];
      } finally {
        db.close();
      }
    });

  it('a spent bucket is stored in its object, and an alarm deletes it when the bucket has refilled', async () => {
    const get = () => fetch(`${quick.baseUrl}/v/${NEVER_ISSUED}`, { headers: { Accept: 'application/json', 'CF-Connecting-IP': '192.0.2.44' } });
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(429);
    expect(storedBuckets(quick).length).toBe(1);
    const deadline = Date.now() + 20_000;
    while (storedBuckets(quick).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(storedBuckets(quick)).toEqual([]);
    expect((await get()).status).toBe(200); // a forgotten bucket is a full one
  });
});
