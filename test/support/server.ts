/**
 * Starts the real Node server (`src/entry/node.ts`) on a free port with a temporary SQLite file and the
 * demo keys, and mints tokens through the real CLI. The e2e suite talks to it over HTTP only.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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

export interface RunningServer {
  baseUrl: string;
  dir: string;
  dbPath: string;
  env: Record<string, string>;
  token(org: string, role: string): Promise<string>;
  cli(args: string[]): Promise<{ stdout: string; stderr: string; code: number }>;
  stop(): Promise<void>;
}

export async function startServer(extraEnv: Record<string, string> = {}): Promise<RunningServer> {
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
  const deadline = Date.now() + 90_000; // generous: test files run in parallel on 2 cores
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const cli = async (args: string[]) => {
    try {
      const { stdout, stderr } = await run(TSX, ['src/cli/main.ts', ...args], { cwd: ROOT, env, maxBuffer: 1 << 24 });
      return { stdout, stderr, code: 0 };
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; code?: number };
      return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: e.code ?? 1 };
    }
  };
  return {
    baseUrl,
    dir,
    dbPath: env.ECERT_DB!,
    env,
    cli,
    async token(org, role) {
      const { stdout, stderr, code } = await cli(['token', 'create', '--org', org, '--role', role]);
      if (code !== 0) throw new Error(`token create failed: ${stderr}`);
      return stdout.trim();
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
