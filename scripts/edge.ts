/**
 * Prepares and runs the Workers build locally.
 *   npx tsx scripts/edge.ts assets          copy the CJK fonts into .edge-assets/ (the static assets)
 *   npx tsx scripts/edge.ts dev             assets + local D1 migrations + `wrangler dev --local`
 * Environment: PORT (8787), ECERT_PUBLIC_URL (http://localhost:$PORT), ECERT_KEYS (./keys.example),
 * ECERT_EDGE_PERSIST (.wrangler/state), NODE_ENV (development).
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, fontPaths } from '../src/entry/nodeContext.js';
import { readKeyBundle } from '../src/entry/keysDir.js';
import { readServiceKeys } from '../src/entry/serviceKey.js';

const WRANGLER = join(PROJECT_ROOT, 'node_modules/.bin/wrangler');
export const WRANGLER_ENV = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: process.env.CI ?? '' };

/**
 * Puts the fonts where the worker's ASSETS binding serves them — only when missing or different: every
 * running `wrangler dev` watches this directory and reloads its worker when a file is written, so copying
 * over identical fonts (as each e2e server start did) dropped the requests other servers had in flight (503).
 */
export function prepareAssets(): void {
  const dir = join(PROJECT_ROOT, '.edge-assets/fonts');
  mkdirSync(dir, { recursive: true });
  const { primary, fallback } = fontPaths();
  for (const [from, name] of [[primary, 'NotoSerifSC-Regular.ttf'], [fallback, 'NotoSerifCJKsc-Fallback.ttf']] as const) {
    const to = join(dir, name);
    if (existsSync(to) && statSync(to).size === statSync(from).size && readFileSync(to).equals(readFileSync(from))) continue;
    const staged = join(PROJECT_ROOT, `.edge-assets-${name}.${process.pid}.tmp`); // outside the watched directory
    copyFileSync(from, staged);
    renameSync(staged, to); // whole or not at all, for a worker reading it now
  }
}

/** A dotenv file holding the key bundle as the ECERT_KEYS secret (never inside the project tree). */
export async function keysEnvFile(keysDir: string): Promise<string> {
  const bundle = await readKeyBundle(keysDir);
  const file = join(mkdtempSync(join(tmpdir(), 'ecert-edge-env-')), 'keys.env');
  const service = await readServiceKeys(keysDir);
  const sealCa = bundle.sealCa ?? [];
  // Issue 16: the seal master key, a secret of its own (`wrangler secret put ECERT_SEAL_MASTER_KEY`), when the keys directory has one.
  const masterFile = join(keysDir, 'seal-master.key');
  const master = existsSync(masterFile) ? `ECERT_SEAL_MASTER_KEY='${readFileSync(masterFile, 'utf8').trim()}'\n` : '';
  writeFileSync(file, `ECERT_KEYS='${JSON.stringify({ root: { certPem: bundle.root.certPem }, authorities: bundle.authorities, service, ...(sealCa.length ? { sealCa } : {}) })}'\n${master}`, { mode: 0o600 });
  return file;
}

export function applyLocalMigrations(persistTo: string): void {
  const result = spawnSync(WRANGLER, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo], { cwd: PROJECT_ROOT, env: WRANGLER_ENV, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`wrangler d1 migrations apply failed:\n${result.stdout}\n${result.stderr}`);
}

export function wranglerDevArgs(opts: { port: number; publicUrl: string; envFile: string; persistTo: string; nodeEnv: string; inspectorPort?: number; extraVars?: Record<string, string> }): string[] {
  const vars = { ECERT_PUBLIC_URL: opts.publicUrl, NODE_ENV: opts.nodeEnv, ...opts.extraVars };
  return [
    'dev', '--local', '--port', String(opts.port), '--ip', '127.0.0.1',
    '--persist-to', opts.persistTo, '--env-file', opts.envFile, '--show-interactive-dev-session=false',
    ...(opts.inspectorPort ? ['--inspector-port', String(opts.inspectorPort)] : []),
    ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
  ];
}

async function main(command: string | undefined): Promise<void> {
  prepareAssets();
  if (command === 'assets') return;
  if (command !== 'dev') throw new Error('usage: scripts/edge.ts assets | dev');
  const port = Number(process.env.PORT ?? 8787);
  const persistTo = process.env.ECERT_EDGE_PERSIST ?? join(PROJECT_ROOT, '.wrangler/state');
  applyLocalMigrations(persistTo);
  const envFile = await keysEnvFile(process.env.ECERT_KEYS ?? join(PROJECT_ROOT, 'keys.example'));
  const args = wranglerDevArgs({ port, publicUrl: process.env.ECERT_PUBLIC_URL ?? `http://localhost:${port}`, envFile, persistTo, nodeEnv: process.env.NODE_ENV ?? 'development' });
  console.log(`workerd + local D1 on http://localhost:${port} (state in ${persistTo})`);
  console.log(`demo token: TOKEN=$(npm run -s cli -- token create --org GXZGB --role issuer --edge local${process.env.ECERT_EDGE_PERSIST ? ` --persist-to ${persistTo}` : ''})`);
  const child = spawn(WRANGLER, args, { cwd: PROJECT_ROOT, env: WRANGLER_ENV, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv[2]).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
