/**
 * storage/migrate on real SQLite files: the numbered migrations are applied in name order, once each, with
 * the same bookkeeping table as `wrangler d1 migrations apply` (d1_migrations); a failing migration leaves
 * nothing of itself behind and is not recorded, so the next start tries it again.
 */
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsFromDisk, openDatabase } from '../../src/entry/nodeContext.js';
import { applyMigrations } from '../../src/storage/migrate.js';
import { RARE, tempDir } from './repoSupport.js';

const tmp = tempDir('migrate');
afterAll(() => tmp.cleanup());
let n = 0;
const fresh = () => openDatabase(`${tmp.dir}/m${n++}.db`);
const recorded = (db: Database.Database) => (db.prepare('SELECT name FROM d1_migrations ORDER BY id').all() as { name: string }[]).map((r) => r.name);
const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('applyMigrations', () => {
  it('applies every migration on disk in name order, once; a second run applies none', async () => {
    const { db, driver } = fresh();
    const onDisk = migrationsFromDisk();
    const names = onDisk.map((m) => m.name).sort();
    expect(names[0]).toBe('0001_init.sql');
    // Given shuffled, applied sorted.
    const applied = await applyMigrations(driver, [...onDisk].reverse());
    expect(applied).toEqual(names);
    expect(recorded(db)).toEqual(names);
    expect(await applyMigrations(driver, onDisk)).toEqual([]);
    expect(recorded(db)).toEqual(names);
    expect(tables(db)).toEqual(
      expect.arrayContaining(['organisations', 'certificates', 'certificate_pdfs', 'verification_records', 'bans', 'applications', 'application_events', 'sessions', 'chain_heads', 'calendar_years', 'd1_migrations']),
    );
    // The d1_migrations row has wrangler's columns.
    expect(Object.keys(db.prepare('SELECT * FROM d1_migrations LIMIT 1').get() as object)).toEqual(['id', 'name', 'applied_at']);
    db.close();
  });

  it('applies only the migrations not yet recorded (an upgrade)', async () => {
    const { db, driver } = fresh();
    const onDisk = migrationsFromDisk();
    const old = onDisk.filter((m) => m.name < '0007');
    expect(await applyMigrations(driver, old)).toEqual(old.map((m) => m.name).sort());
    expect(await applyMigrations(driver, onDisk)).toEqual(onDisk.filter((m) => m.name >= '0007').map((m) => m.name).sort());
    expect(recorded(db)).toEqual(onDisk.map((m) => m.name).sort());
    db.close();
  });

  it('a failing migration leaves nothing of itself, is not recorded, and stops the later ones; fixed, it applies', async () => {
    const { db, driver } = fresh();
    const good = { name: '0001_a.sql', sql: "CREATE TABLE a (x TEXT); INSERT INTO a VALUES ('一');" };
    const bad = { name: '0002_b.sql', sql: "CREATE TABLE b (x TEXT); INSERT INTO b VALUES ('半'); INSERT INTO nowhere VALUES (1);" };
    const later = { name: '0003_c.sql', sql: 'CREATE TABLE c (x TEXT);' };
    await expect(applyMigrations(driver, [good, bad, later])).rejects.toThrow(/nowhere/);
    expect(recorded(db)).toEqual(['0001_a.sql']);
    expect(tables(db)).toEqual(['a', 'd1_migrations']);
    expect(db.prepare('SELECT x FROM a').all()).toEqual([{ x: '一' }]);
    // No transaction left open: the next run works.
    expect(db.inTransaction).toBe(false);
    const fixed = { ...bad, sql: "CREATE TABLE b (x TEXT); INSERT INTO b VALUES ('半');" };
    expect(await applyMigrations(driver, [good, fixed, later])).toEqual(['0002_b.sql', '0003_c.sql']);
    expect(tables(db)).toEqual(['a', 'b', 'c', 'd1_migrations']);
    db.close();
  });

  it('records names with quotes and rare characters verbatim, and keeps CJK data of a migration', async () => {
    const { db, driver } = fresh();
    const name = `0001_o'brien ${RARE}'); DROP TABLE d1_migrations; --.sql`;
    await applyMigrations(driver, [{ name, sql: `CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('${RARE}');` }]);
    expect(recorded(db)).toEqual([name]);
    expect(db.prepare('SELECT x FROM t').get()).toEqual({ x: RARE });
    expect(await applyMigrations(driver, [{ name, sql: 'this would fail if run again' }])).toEqual([]);
    db.close();
  });

  // Two processes starting on one new or upgraded file (two `npm start`, or the server and a CLI command):
  // the second read d1_migrations before the first applied everything. Each migration takes the write lock
  // and looks again inside its transaction, so the second skips what the first recorded (failed before the
  // fix with "table … already exists").
  it('a second process starting while the first migrates finds the migrations applied instead of failing', async () => {
    const path = `${tmp.dir}/race.db`;
    const first = openDatabase(path);
    const second = openDatabase(path);
    let interleaved = false;
    // The second process reads d1_migrations; the first then applies everything before the second goes on.
    const secondDriver = {
      ...second.driver,
      async all<T>(text: string, params?: readonly (string | number | null | Uint8Array)[]) {
        const rows = await second.driver.all<T>(text, params);
        if (!interleaved && text.includes('d1_migrations')) {
          interleaved = true;
          await applyMigrations(first.driver, migrationsFromDisk());
        }
        return rows;
      },
    };
    try {
      expect(await applyMigrations(secondDriver, migrationsFromDisk())).toEqual([]);
      expect(recorded(first.db)).toEqual(migrationsFromDisk().map((m) => m.name).sort());
    } finally {
      first.db.close();
      second.db.close();
    }
  });
});
