/**
 * @module storage/migrate
 * Applies the numbered SQL files of storage/migrations/ in order, once each. It keeps the same
 * bookkeeping table as `wrangler d1 migrations apply` (d1_migrations), so one set of files is the schema
 * for Node and for D1.
 */
import type { SqlDriver } from './driver.js';

export interface Migration {
  name: string; // e.g. 0001_init.sql
  sql: string;
}

/** @example await applyMigrations(driver, migrationsFromDisk); // returns the names it applied */
export async function applyMigrations(driver: SqlDriver, migrations: readonly Migration[]): Promise<string[]> {
  await driver.exec(
    `CREATE TABLE IF NOT EXISTS d1_migrations (
       id INTEGER PRIMARY KEY AUTOINCREMENT,
       name TEXT UNIQUE,
       applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)`,
  );
  const done = new Set((await driver.all<{ name: string }>('SELECT name FROM d1_migrations')).map((r) => r.name));
  const applied: string[] = [];
  for (const migration of [...migrations].sort((a, b) => a.name.localeCompare(b.name))) {
    if (done.has(migration.name)) continue;
    const record = `INSERT INTO d1_migrations (name) VALUES ('${migration.name.replace(/'/g, "''")}');`;
    // Another process starting on the same file may have applied it since the read above: take the write
    // lock first, then look again inside the transaction, so two processes never run one migration twice.
    await driver.exec('BEGIN IMMEDIATE;');
    try {
      const recorded = await driver.all<{ name: string }>('SELECT name FROM d1_migrations WHERE name = ?', [migration.name]);
      if (recorded.length > 0) {
        await driver.exec('COMMIT;');
        continue;
      }
      await driver.exec(`${migration.sql}\n${record}\nCOMMIT;`);
    } catch (error) {
      await driver.exec('ROLLBACK;').catch(() => undefined);
      throw error;
    }
    applied.push(migration.name);
  }
  return applied;
}
