/**
 * `npm run cli -- log check` and `keys service` as an operator runs them: exit 0 and OK for a whole log,
 * exit 1 naming the first broken record, and a plain word when heads are not signed.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { recordVerification } from '../../src/services/recordVerification.js';
import { handler, KEYS_EXAMPLE, makeContext, otherRequest, phoneRequest } from '../services/support.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'ecert-cli-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A log file of `n` records, heads signed by the demo service key unless `signer: false`. */
async function logFile(name: string, n: number, signer = true): Promise<string> {
  const path = join(dir, name);
  const t = await makeContext({ path, signer });
  for (let i = 0; i < n; i++) await recordVerification(t.ctx, handler, i % 2 ? phoneRequest() : otherRequest());
  t.db.pragma('wal_checkpoint(TRUNCATE)');
  t.close();
  return path;
}

describe('log check', () => {
  it('passes a whole log: count, verified heads, OK, exit 0', async () => {
    const db = await logFile('whole.db', 250);
    const { code, stdout } = await cli(['log', 'check', '--trust', join(KEYS_EXAMPLE, 'root.pem')], { ECERT_DB: db });
    expect(code).toBe(0);
    expect(stdout).toContain('250 records checked');
    expect(stdout).toContain('signed heads: 3 of 3 verified against the root');
    expect(stdout).toContain('50 records after the last signed head (seq 200)');
    expect(stdout.trim().split('\n').at(-1)).toBe('OK');
  });

  it('names the first broken record and exits 1', async () => {
    const path = await logFile('broken.db', 30);
    const db = new Database(path);
    db.exec('DROP TRIGGER verification_records_no_update');
    const id = (db.prepare('SELECT id FROM verification_records WHERE seq = 17').get() as { id: string }).id;
    db.prepare("UPDATE verification_records SET record = record || '。' WHERE seq = 17").run();
    db.close();
    const { code, stdout } = await cli(['log', 'check'], { ECERT_DB: path, ECERT_KEYS: KEYS_EXAMPLE });
    expect(code).toBe(1);
    expect(stdout).toContain(`BROKEN at seq 17 (id ${id}): the record does not match its hash (altered)`);
    expect(stdout).toContain(`损坏：第 17 条（${id}）`);
  });

  it('fails a log kept without a service key: its first record has no head, so nothing proves it', async () => {
    const db = await logFile('unsigned.db', 5, false);
    const { code, stdout } = await cli(['log', 'check'], { ECERT_DB: db, ECERT_KEYS: KEYS_EXAMPLE });
    expect(code).toBe(1);
    expect(stdout).toContain('signed heads: none (without a service key none are signed: npm run cli -- keys service)');
    expect(stdout).toContain('BROKEN at seq 1 (id vr_');
    expect(stdout).toContain('the first record has no signed head');
  });

  it('passes an empty log and refuses a missing database', async () => {
    const db = await logFile('empty.db', 0);
    expect((await cli(['log', 'check'], { ECERT_DB: db, ECERT_KEYS: KEYS_EXAMPLE })).stdout).toContain('0 records checked');
    expect((await cli(['log', 'check'], { ECERT_DB: join(dir, 'nope.db') })).code).not.toBe(0);
  });
});

describe('keys service', () => {
  it('makes an ECERT key under the root, kept apart from the authorities, and bundles it', async () => {
    const keys = join(dir, 'keys');
    expect((await cli(['keys', 'init', '--dir', keys])).code).toBe(0);
    const made = await cli(['keys', 'service', '--dir', keys]);
    expect(made.code).toBe(0);
    expect(made.stdout).toContain('service key issued: ECERT');
    expect(readdirSync(join(keys, 'service')).sort()).toHaveLength(2);
    expect(existsSync(join(keys, 'authorities'))).toBe(false);
    const bundle = JSON.parse((await cli(['keys', 'bundle', '--dir', keys])).stdout) as { service?: { certPem: string; keyPem: string }[] };
    expect(bundle.service).toHaveLength(1);
  });
});
