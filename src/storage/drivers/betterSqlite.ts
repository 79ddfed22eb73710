/**
 * @module storage/drivers/betterSqlite
 * The SqlDriver over better-sqlite3 (Node). The caller opens the database (entry/node.ts), so this file
 * stays free of Node imports. better-sqlite3 is synchronous; a batch is one `transaction()`, so it is
 * atomic and no other request interleaves with it.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { ConstraintError, refuseChained, StorageBusyError, StorageFullError, type SqlDriver, type SqlValue, type Statement } from '../driver.js';

type Database = BetterSqlite3.Database;

function translate(error: unknown): unknown {
  const code = (error as { code?: string }).code ?? '';
  if (code.startsWith('SQLITE_CONSTRAINT')) return new ConstraintError((error as Error).message);
  // SQLITE_FULL: the disk is full (or max_page_count reached); the statement was rolled back, nothing half-written.
  if (code.startsWith('SQLITE_FULL')) return new StorageFullError((error as Error).message);
  // Another process holds the write lock past busy_timeout.
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new StorageBusyError((error as Error).message);
  return error;
}

/** @example const driver = createBetterSqliteDriver(new Database('data/ecert.db')); */
export function createBetterSqliteDriver(db: Database): SqlDriver {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepare = (text: string) => {
    let statement = cache.get(text);
    if (!statement) {
      statement = db.prepare(text);
      cache.set(text, statement);
    }
    return statement;
  };
  const bind = (params: readonly SqlValue[] | undefined) => (params ?? []) as unknown[];
  const runOne = (s: Statement) => ({ changes: prepare(s.sql).run(...bind(s.params)).changes });
  const batch = db.transaction((statements: readonly Statement[]) => statements.map(runOne));

  return {
    async all<T>(text: string, params?: readonly SqlValue[]) {
      return prepare(text).all(...bind(params)) as T[];
    },
    async first<T>(text: string, params?: readonly SqlValue[]) {
      return prepare(text).get(...bind(params)) as T | undefined;
    },
    async run(text: string, params?: readonly SqlValue[]) {
      try {
        return runOne({ sql: text, params: params ?? [] });
      } catch (error) {
        throw translate(error);
      }
    },
    async batch(statements: readonly Statement[]) {
      refuseChained(statements);
      try {
        return batch(statements);
      } catch (error) {
        throw translate(error);
      }
    },
    async exec(text: string) {
      db.exec(text);
    },
  };
}
