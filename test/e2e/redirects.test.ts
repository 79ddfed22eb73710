/**
 * Issue 12 B8 on the real server: redirect targets taken from the request — `/lang?back=`, `/login?next=`
 * and the `next` field of the sign-in form — fuzzed with hundreds of hostile strings (control characters raw
 * and percent-encoded, other sites, stripped whitespace, Unicode separators, dot segments, very long ones),
 * dozens at a time. Never a 500 (`/lang?back=/%00` used to be one); every Location is a path on this site,
 * and a hostile target falls back to the console.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.js';
import { CLASSIC_TARGETS, generatedTargets, isSameOriginPath, mustBeRefused } from '../support/hostileTargets.js';

let server: RunningServer;
let token: string;

beforeAll(async () => {
  server = await startServer();
  token = await server.token('GXZGB', 'auditor');
});
afterAll(async () => server?.stop());

/** A target holding half an emoji is sent with U+FFFD instead, as browsers do. */
const wellFormed = (target: string) => target.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
/** A query value as a client sends it. */
const q = (target: string) => encodeURIComponent(wellFormed(target));
/** Percent-escapes no client would make from text: invalid UTF-8, overlong forms, half escapes. */
const RAW_ESCAPES = ['/%00', '/%7f', '/%7F%00', '%2F%2Fevil.example', '/%ED%A0%80', '/%C0%AF', '/%FF%FE', '/%E6%B5', '/%', '/%%30', '/%0', '%00/', '/%E2%80%A8', '/%C2%85'];

async function inBatches<T, R>(items: readonly T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let at = 0; at < items.length; at += size) out.push(...(await Promise.all(items.slice(at, at + size).map(run))));
  return out;
}

interface Answer {
  target: string;
  status: number;
  location: string | null;
}

/** Every answer a redirect to a path on this site, and the console for a target that must be refused. */
function problemsWith(answers: Answer[]): string[] {
  const wrong: string[] = [];
  for (const a of answers) {
    if (a.status !== 303) wrong.push(`${JSON.stringify(a.target).slice(0, 80)}: ${a.status}`);
    else if (!isSameOriginPath(a.location, server.baseUrl)) wrong.push(`${JSON.stringify(a.target).slice(0, 80)}: Location ${JSON.stringify(a.location)}`);
    else if (mustBeRefused(a.target) && a.location !== '/console') wrong.push(`${JSON.stringify(a.target).slice(0, 80)}: kept as ${JSON.stringify(a.location)}`);
  }
  return wrong;
}

describe('GET /lang?back=…', () => {
  it('the issue’s /%00 and /%7f: a redirect to the console, not a 500', async () => {
    for (const raw of ['/%00', '/%7f']) {
      const res = await fetch(`${server.baseUrl}/lang?to=en&back=${raw}`, { redirect: 'manual' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/console');
      expect(res.headers.get('set-cookie')).toContain('en');
    }
  });

  it(`${CLASSIC_TARGETS.length} classics, ${RAW_ESCAPES.length} raw escapes and 480 generated targets, 32 at a time`, async () => {
    const targets = [...CLASSIC_TARGETS, ...generatedTargets(480)];
    const answers = await inBatches([...targets.map((t) => ({ target: t, query: q(t) })), ...RAW_ESCAPES.map((r) => ({ target: decodeLoosely(r), query: r }))], 32, async ({ target, query }) => {
      const res = await fetch(`${server.baseUrl}/lang?to=zh&back=${query}`, { redirect: 'manual' });
      await res.arrayBuffer();
      return { target, status: res.status, location: res.headers.get('location') };
    });
    expect(problemsWith(answers)).toEqual([]);
    // The fuzz is not all refusals: ordinary targets come back as they were.
    expect(answers.filter((a) => a.location !== '/console').length).toBeGreaterThan(10);
  });

  it('an ordinary page comes back as given, with its query', async () => {
    const res = await fetch(`${server.baseUrl}/lang?to=en&back=${q('/verify?number=26K7Q2M9XH4')}`, { redirect: 'manual' });
    expect(res.headers.get('location')).toBe('/verify?number=26K7Q2M9XH4');
  });
});

describe('sign-in: /login?next=… and the form’s next', () => {
  it('the sign-in page carries only a same-origin path in its form, for 240 hostile next values', async () => {
    const targets = [...CLASSIC_TARGETS, ...generatedTargets(200, 7)];
    const wrong: string[] = [];
    await inBatches(targets, 32, async (target) => {
      const res = await fetch(`${server.baseUrl}/login?next=${q(target)}`);
      const html = await res.text();
      const value = unescapeHtml(/name="next" value="([^"]*)"/.exec(html)?.[1] ?? '(none)');
      if (res.status !== 200 || !isSameOriginPath(value, server.baseUrl) || (mustBeRefused(target) && value !== '/console')) wrong.push(`${JSON.stringify(target).slice(0, 80)}: ${res.status} ${value.slice(0, 80)}`);
    });
    expect(wrong).toEqual([]);
  });

  it('signing in with a hostile next lands on a same-origin path, 16 at a time; a wrong token is refused in words', async () => {
    const csrf = 'A'.repeat(32);
    const signIn = (next: string, withToken = token) =>
      fetch(`${server.baseUrl}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `ecert_csrf=${csrf}` },
        body: new URLSearchParams({ _csrf: csrf, token: withToken, next: wellFormed(next) }).toString(),
      });
    const targets = [...CLASSIC_TARGETS.filter((t) => t.length < 1000), ...generatedTargets(100, 99)];
    const answers = await inBatches(targets, 16, async (target) => {
      const res = await signIn(target);
      await res.arrayBuffer();
      return { target, status: res.status, location: res.headers.get('location') };
    });
    expect(problemsWith(answers)).toEqual([]);

    const wrongToken = await signIn('//evil.example', 'ect_not-a-real-token-000000000000000');
    expect(wrongToken.status).toBe(200);
    expect(wrongToken.headers.get('location')).toBeNull();
    expect(await wrongToken.text()).toContain('令牌无效或已撤销');
  });
});

/** What the server's query parser makes of a raw escape (malformed escapes stay as they are). */
function decodeLoosely(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[e]!);
}
