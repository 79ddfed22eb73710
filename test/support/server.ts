/**
 * Starts the service under test on a free port with a fresh database and the demo keys, and mints tokens
 * through the real CLI. One suite runs against both runtimes: vitest's `target` (provided per project in
 * vitest.config.ts) picks the Node server (`src/entry/node.ts`, SQLite file) or `wrangler dev --local`
 * (workerd + local D1). Tests talk to it over HTTP; `dbPath` is the SQLite file behind either, for tests
 * that count rows or tamper with one.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inject } from 'vitest';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

declare module 'vitest' {
  export interface ProvidedContext {
    target: 'node' | 'edge';
  }
}

export type Target = 'node' | 'edge';

/** The runtime this vitest project tests (node unless the project provides `edge`). */
export function currentTarget(): Target {
  try {
    return inject('target') ?? 'node';
  } catch {
    return 'node'; // outside a vitest project (bench)
  }
}

export interface RunningServer {
  target: Target;
  baseUrl: string;
  dir: string;
  dbPath: string;
  env: Record<string, string>;
  token(org: string, role: string): Promise<string>;
  /**
   * Edge only: stops this `wrangler dev` and starts a new one on the same persisted state (D1, Durable Objects)
   * — a fresh workerd, so nothing kept in an isolate's memory survives; the new server has its own port.
   */
  restart?(): Promise<RunningServer>;
  cli(args: string[]): Promise<{ stdout: string; stderr: string; code: number }>;
  stop(): Promise<void>;
  /** How requests reach it: the global fetch for a real server; `app.request` for the in-process app (test/http/api/support.ts). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

/** Starts the server of the current target; it is up when `readyPath` answers 2xx (a server meant to be not ready: `/livez`). */
export async function startServer(extraEnv: Record<string, string> = {}, readyPath = '/healthz'): Promise<RunningServer> {
  return currentTarget() === 'edge' ? startEdgeServer(extraEnv, readyPath) : startNodeServer(extraEnv, readyPath);
}

async function waitHealthy(baseUrl: string, child: ChildProcess, output: () => string, readyPath = '/healthz'): Promise<void> {
  const deadline = Date.now() + 120_000; // generous: test files run in parallel on 2 cores
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output()}`);
    try {
      const res = await fetch(`${baseUrl}${readyPath}`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function cliRunner(env: Record<string, string>, extraArgs: string[] = []) {
  return async (args: string[]) => {
    try {
      const { stdout, stderr } = await run(TSX, ['src/cli/main.ts', ...args, ...extraArgs], { cwd: ROOT, env, maxBuffer: 1 << 24 });
      return { stdout, stderr, code: 0 };
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; code?: number };
      return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: e.code ?? 1 };
    }
  };
}

/**
 * Tokens are made one at a time: parallel `wrangler d1 execute` calls on one local D1 meet SQLITE_BUSY. Even alone,
 * `wrangler d1 execute` beside a running `wrangler dev` on the same local D1 now and then fails inside workerd
 * ({"error":{"text":"false == true"}} — a clean-clone CI run met it once in ~100 token creations, in set-up): such a
 * failure of the tool is tried again, twice at most; a refusal by our CLI (another message) is not.
 */
function tokenMaker(cli: RunningServer['cli']) {
  let queue: Promise<unknown> = Promise.resolve();
  return (org: string, role: string) => {
    const next = queue.then(async () => {
      for (let attempt = 1; ; attempt++) {
        const { stdout, stderr, code } = await cli(['token', 'create', '--org', org, '--role', role]);
        if (code === 0) return stdout.trim();
        if (attempt >= 3 || !stderr.includes('wrangler d1 execute failed')) throw new Error(`token create failed: ${stderr}`);
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    });
    queue = next.catch(() => undefined);
    return next;
  };
}

function stopper(child: ChildProcess, dir: string | undefined) {
  return async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}

export async function startEdgeServer(extraEnv: Record<string, string>, readyPath = '/healthz', reuseDir?: string): Promise<RunningServer> {
  const { applyLocalMigrations, keysEnvFile, prepareAssets, wranglerDevArgs, WRANGLER_ENV } = await import('../../scripts/edge.js');
  const dir = reuseDir ?? mkdtempSync(join(tmpdir(), 'ecert-edge-'));
  const persistTo = join(dir, 'state');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const keys = extraEnv.ECERT_KEYS ?? join(ROOT, 'keys.example');
  prepareAssets();
  if (!reuseDir) applyLocalMigrations(persistTo);
  const d1Dir = join(persistTo, 'v3/d1/miniflare-D1DatabaseObject');
  const dbFile = readdirSync(d1Dir).find((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite')!;
  const { ECERT_KEYS: _keys, ...vars } = extraEnv;
  const args = wranglerDevArgs({
    port,
    publicUrl: baseUrl,
    envFile: await keysEnvFile(keys),
    persistTo,
    nodeEnv: extraEnv.NODE_ENV ?? 'test',
    inspectorPort: await freePort(),
    extraVars: vars,
  });
  const child = spawn(join(ROOT, 'node_modules/.bin/wrangler'), args, { cwd: ROOT, env: WRANGLER_ENV as Record<string, string>, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await waitHealthy(baseUrl, child, () => output, readyPath);
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ECERT_KEYS: keys, ECERT_PUBLIC_URL: baseUrl };
  const cli = cliRunner(env, ['--edge', 'local', '--persist-to', persistTo]);
  return {
    target: 'edge',
    baseUrl,
    dir,
    dbPath: join(d1Dir, dbFile),
    env,
    cli,
    token: tokenMaker(cli),
    restart: async () => {
      await stopper(child, undefined)();
      return startEdgeServer(extraEnv, readyPath, dir);
    },
    stop: stopper(child, dir),
  };
}

export async function startNodeServer(extraEnv: Record<string, string>, readyPath = '/healthz'): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ecert-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PORT: String(port),
    HOST: '127.0.0.1',
    ECERT_DB: join(dir, 'ecert.db'),
    ECERT_KEYS: join(ROOT, 'keys.example'),
    ECERT_PUBLIC_URL: baseUrl,
    NODE_ENV: 'test',
    ...extraEnv,
  };
  const child: ChildProcess = spawn(TSX, ['src/entry/node.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await waitHealthy(baseUrl, child, () => output, readyPath);
  const cli = cliRunner(env);
  return {
    target: 'node',
    baseUrl,
    dir,
    dbPath: env.ECERT_DB!,
    env,
    cli,
    token: tokenMaker(cli),
    stop: stopper(child, dir),
  };
}
