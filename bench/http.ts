/**
 * The HTTP figures of `npm run bench`, each as a ratio to a bare Hono "hello" (bench/bareHono.ts, same
 * packages) measured in the same run, ALTERNATING bare and ours so both see the same machine load:
 * `/livez`, `GET /v/{number}?s=…` as JSON (Accept: application/json) and as HTML, 50 connections each.
 * BENCH_SECONDS per run (default 8), BENCH_ROUNDS pairs per figure (default 2); BENCH_EDGE=0 skips workerd.
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startServer, startEdgeServer, freePort, ROOT } from '../test/support/server.js';
import { issueBody } from '../test/support/fixtures.js';

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = 50;

export function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/** Starts bench/bareHono.ts on a free port (under tsx, like the service); resolves once it listens. */
export async function startBareHono(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['bench/bareHono.ts'], { cwd: ROOT, env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`bare Hono exited ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

export interface Pair {
  /** requests per second, summed over the rounds */
  bare: number;
  ours: number;
  /** the worst p99 of our runs, ms */
  p99: number;
  errors: number;
}

/** `rounds` alternating runs of the bare server and ours (bare first), each `seconds` long. */
export async function alternate(bareUrl: string, ours: autocannon.Options, rounds = ROUNDS, seconds = SECONDS): Promise<Pair> {
  let bareRequests = 0;
  let bareSeconds = 0;
  let ourRequests = 0;
  let ourSeconds = 0;
  let p99 = 0;
  let errors = 0;
  for (let i = 0; i < rounds; i++) {
    const b = await cannon({ url: bareUrl, connections: CONNECTIONS, duration: seconds });
    bareRequests += b.requests.total;
    bareSeconds += b.duration;
    const o = await cannon({ connections: CONNECTIONS, duration: seconds, ...ours });
    ourRequests += o.requests.total;
    ourSeconds += o.duration;
    p99 = Math.max(p99, o.latency.p99);
    errors += o.errors + o.non2xx;
  }
  return { bare: bareRequests / bareSeconds, ours: ourRequests / ourSeconds, p99, errors };
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const n = (x: number) => Math.round(x).toLocaleString('en');

/** `<figure>: <value> (target <target>) <PASS|MISS>` for a ratio to bare Hono, and optionally a p99 bound. */
export function ratioLine(figure: string, pair: Pair, minRatio: number, maxP99?: number): string {
  const ratio = pair.ours / pair.bare;
  const ok = ratio >= minRatio && (maxP99 === undefined || pair.p99 <= maxP99);
  const target = `≥ ${minRatio}× bare${maxP99 === undefined ? '' : `, p99 ≤ ${maxP99} ms`}`;
  return `${figure}: ${ratio.toFixed(2)}× bare Hono (${n(pair.ours)} vs ${n(pair.bare)} req/s, p99 ${pair.p99} ms, errors ${pair.errors}) (target ${target}) ${verdict(ok)}`;
}

/** The verification path of a freshly issued certificate on `baseUrl` (a path with its `?s=` proof). */
export async function issueOne(baseUrl: string, token: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/certificates`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(issueBody()) });
  if (res.status !== 201) throw new Error(`issuance answered ${res.status}: ${await res.text()}`);
  const { verifyUrl } = (await res.json()) as { verifyUrl: string };
  const url = new URL(verifyUrl);
  return url.pathname + url.search;
}

export async function httpBench(): Promise<string[]> {
  const bare = await startBareHono();
  const server = await startServer({ ECERT_LOOKUP_BURST: '1000000' });
  const lines: string[] = [];
  try {
    const path = await issueOne(server.baseUrl, await server.token('GXZGB', 'issuer'));
    const json = { Accept: 'application/json' };
    // Warm both servers so no run pays for lazy loading or the token's first signature check.
    await cannon({ url: bare.url, connections: 10, amount: 2000 });
    await cannon({ url: `${server.baseUrl}${path}`, connections: 10, amount: 2000, headers: json });
    await cannon({ url: `${server.baseUrl}${path}`, connections: 10, amount: 500, headers: { Accept: 'text/html' } });
    lines.push(`HTTP: ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${SECONDS} s (bare Hono, ours) per figure, Node server (SQLite file)`);
    lines.push(ratioLine('GET /livez', await alternate(bare.url, { url: `${server.baseUrl}/livez`, headers: json }), 0.8));
    lines.push(ratioLine('GET /v/{number}?s=… JSON', await alternate(bare.url, { url: `${server.baseUrl}${path}`, headers: json }), 0.5, 10));
    lines.push(ratioLine('GET /v/{number}?s=… HTML', await alternate(bare.url, { url: `${server.baseUrl}${path}`, headers: { Accept: 'text/html' } }), 0.3));
    if (process.env.BENCH_EDGE !== '0') lines.push(...(await edgeLines(bare.url)));
  } finally {
    await server.stop();
    await bare.stop();
  }
  return lines;
}

/** The same routes on workerd (wrangler dev --local puts a proxy in front: slower by design; no target). */
async function edgeLines(bareUrl: string): Promise<string[]> {
  const edge = await startEdgeServer({ ECERT_LOOKUP_BURST: '1000000' });
  try {
    const path = await issueOne(edge.baseUrl, await edge.token('GXZGB', 'issuer'));
    await cannon({ url: `${edge.baseUrl}${path}`, connections: 10, amount: 500, headers: { Accept: 'application/json' } });
    const info = (figure: string, pair: Pair) => `${figure}: ${(pair.ours / pair.bare).toFixed(2)}× bare Hono on Node (${n(pair.ours)} req/s, p99 ${pair.p99} ms) (target none: wrangler dev proxy) INFO`;
    return [
      info('edge GET /livez', await alternate(bareUrl, { url: `${edge.baseUrl}/livez` }, 1)),
      info('edge GET /v/{number}?s=… JSON', await alternate(bareUrl, { url: `${edge.baseUrl}${path}`, headers: { Accept: 'application/json' } }, 1)),
    ];
  } finally {
    await edge.stop();
  }
}
