/**
 * `npm run cli -- blobs check` and `log check` on a real SQLite file and its blob directory (issue 15 review):
 * the checks create and write nothing — they may run on a read-only copy of a backup — unless
 * `--delete-orphans` is given.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './support.js';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsFromDisk, openDatabase, openNodeContext } from '../../src/entry/nodeContext.js';
import { loadConfig } from '../../src/entry/config.js';
import { blobReportLines } from '../../src/storage/blobCheck.js';
import { applyMigrations } from '../../src/storage/migrate.js';
import { recordVerification } from '../../src/services/recordVerification.js';
import { handler, letterRequest, makeContext, minimalPdf, dataUrl } from '../services/support.js';

const dir = mkdtempSync(join(tmpdir(), 'ecert-cli-blobs-'));
afterAll(() => {
  chmodSync(dir, 0o700);
  rmSync(dir, { recursive: true, force: true });
});

/** A database file with `n` 核实 records, each with its own evidence PDF in the blob directory beside it. */
async function databaseWithFiles(name: string, n = 2): Promise<string> {
  const path = join(dir, name);
  const t = await makeContext({ path });
  for (let i = 0; i < n; i++) await recordVerification(t.ctx, handler, letterRequest(dataUrl('application/pdf', minimalPdf(`${name} ${i}`))));
  t.db.pragma('wal_checkpoint(TRUNCATE)');
  t.close();
  return path;
}

/** Every path under `root` with its mode, so a test sees anything created, removed or changed. */
function tree(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((name) => `${name} ${statSync(join(root, name)).mode.toString(8)}`)
    .sort();
}

describe('the checks on a read-only copy of a backup', () => {
  it('`log check` and `blobs check` create nothing in the blob directory (no tmp/)', async () => {
    const db = await databaseWithFiles('backup.db');
    const blobs = `${db}.blobs`;
    rmSync(join(blobs, 'tmp'), { recursive: true, force: true }); // a copy of a backup need not have it
    // As the operator would make it; the tests run as root, where the mode stops nothing: the tree is compared instead.
    const modes = (path: string) => statSync(path).mode & 0o777;
    for (const name of ['', ...readdirSync(blobs, { recursive: true, encoding: 'utf8' })]) chmodSync(join(blobs, name), modes(join(blobs, name)) & ~0o222);
    const before = tree(blobs);

    const log = await cli(['log', 'check'], { ECERT_DB: db });
    expect(log.code, log.stdout + log.stderr).toBe(0);
    const check = await cli(['blobs', 'check'], { ECERT_DB: db });
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('2 个文件完好 / files intact, 0 个缺失或损坏 / missing or damaged, 0 个无主文件 / orphans');

    expect(existsSync(join(blobs, 'tmp'))).toBe(false);
    expect(tree(blobs)).toEqual(before);
  });
});

describe('`blobs check` opens the database and the directory only', () => {
  it('needs no keys and applies no migration: a backup is checked as it was taken', async () => {
    const db = await databaseWithFiles('unmigrated.db', 1);
    // A backup taken before the newest migration: the service would apply it; the check must not.
    const raw = new Database(db);
    const newest = raw.prepare('SELECT name FROM d1_migrations ORDER BY name DESC LIMIT 1').pluck().get() as string;
    raw.prepare('DELETE FROM d1_migrations WHERE name = ?').run(newest);
    raw.close();

    const check = await cli(['blobs', 'check'], { ECERT_DB: db, ECERT_KEYS: join(dir, 'no-such-keys') });
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('1 个文件完好 / files intact');
    const after = new Database(db, { readonly: true });
    expect(after.prepare('SELECT COUNT(*) FROM d1_migrations WHERE name = ?').pluck().get(newest)).toBe(0);
    after.close();
  });

  it('says in words that a database from before the blob store (migration 0015) has none to check', async () => {
    const path = join(dir, 'old.db');
    const { db, driver } = openDatabase(path);
    await applyMigrations(driver, migrationsFromDisk().filter((m) => m.name < '0015'));
    db.close();
    const check = await cli(['blobs', 'check'], { ECERT_DB: path });
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('数据库尚未应用迁移 0015（文件存储）');
    expect(check.stderr).toContain('predates migration 0015');
    expect(existsSync(`${path}.blobs`)).toBe(false);
  });
});

describe('files a crash left in tmp/ (written, never moved into place)', () => {
  /** Two staged files as a crash leaves them: one an hour old, one written just now (perhaps still being saved). */
  function crashLeftovers(db: string): { old: string; fresh: string } {
    const tmp = join(`${db}.blobs`, 'tmp');
    mkdirSync(tmp, { recursive: true });
    const old = join(tmp, `${'a'.repeat(64)}.8c0f5a3e-crash`);
    const fresh = join(tmp, `${'b'.repeat(64)}.91d2e7aa-in-flight`);
    writeFileSync(old, new Uint8Array(3000));
    writeFileSync(fresh, new Uint8Array(1000));
    const anHourAgo = new Date(Date.now() - 3600_000);
    utimesSync(old, anHourAgo, anHourAgo);
    return { old, fresh };
  }

  it('are reported by the start-up check, in words, with their count and size', async () => {
    const db = await databaseWithFiles('startup.db', 1);
    crashLeftovers(db);
    const context = await openNodeContext(loadConfig({ ECERT_DB: db }));
    try {
      const report = await context.checkBlobs({ hash: false });
      expect(report.staged).toEqual({ count: 2, bytes: 4000, deleted: 0, young: 1 });
      const { ok, lines } = blobReportLines(report);
      expect(ok).toBe(true); // nothing a row names is damaged: leftovers are for the operator to clear
      expect(lines[0]).toContain('2 个未完成写入的临时文件 / unfinished writes');
      expect(lines.join('\n')).toContain('tmp/ 中有 2 个临时文件（共 3.9 KB），是保存文件时程序中断留下的');
      expect(lines.join('\n')).toContain('2 temporary files (3.9 KB in all) in tmp/, left by saves interrupted before the file was put in place');
      expect(lines.join('\n')).toContain('1 written in the last 10 minutes may still be being saved and are never deleted');
    } finally {
      context.close();
    }
  });

  it('are reported by `blobs check`, and --delete-orphans removes only those older than 10 minutes', async () => {
    const db = await databaseWithFiles('crashed.db', 1);
    const { old, fresh } = crashLeftovers(db);

    const check = await cli(['blobs', 'check'], { ECERT_DB: db });
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('2 个未完成写入的临时文件 / unfinished writes');
    expect(check.stdout).toContain('blobs check --delete-orphans removes them (those older than 10 minutes)');
    expect(existsSync(old)).toBe(true);

    const deleting = await cli(['blobs', 'check', '--delete-orphans'], { ECERT_DB: db });
    expect(deleting.code, deleting.stdout + deleting.stderr).toBe(0);
    expect(deleting.stdout).toContain('已删除 1 个临时文件 / 1 temporary files deleted');
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true); // a write in flight is never deleted
  });
});
