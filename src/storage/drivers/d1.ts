/**
 * @module storage/drivers/d1
 * The SqlDriver over Cloudflare D1. A batch is one `D1Database.batch()`, which D1 runs as a single
 * transaction: a failing statement rolls the whole batch back.
 */
import { ConstraintError, type SqlDriver, type SqlValue, type Statement } from '../driver.js';

/** The part of D1's binding this driver uses (so the core needs no Workers type package). */
export interface D1Like {
  prepare(sql: string): D1StatementLike;
  batch(statements: D1StatementLike[]): Promise<{ meta: { changes?: number } }[]>;
}
export interface D1StatementLike {
  bind(...values: unknown[]): D1StatementLike;
  all<T>(): Promise<{ results: T[] }>;
  first<T>(): Promise<T | null>;
  run(): Promise<{ meta: { changes?: number } }>;
}

function translate(error: unknown): unknown {
  const message = error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? '')}` : String(error);
  return /constraint failed|SQLITE_CONSTRAINT/i.test(message) ? new ConstraintError(message) : error;
}

// D1 binds ArrayBuffers and typed arrays alike; plain values pass through.
const bind = (db: D1Like, s: Statement) => db.prepare(s.sql).bind(...(s.params as SqlValue[]));

/** @example const driver = createD1Driver(env.DB); */
export function createD1Driver(db: D1Like): SqlDriver {
  return {
    async all<T>(sql: string, params: readonly SqlValue[] = []) {
      return (await bind(db, { sql, params }).all<T>()).results;
    },
    async first<T>(sql: string, params: readonly SqlValue[] = []) {
      return (await bind(db, { sql, params }).first<T>()) ?? undefined;
    },
    async run(sql: string, params: readonly SqlValue[] = []) {
      try {
        return { changes: (await bind(db, { sql, params }).run()).meta.changes ?? 0 };
      } catch (error) {
        throw translate(error);
      }
    },
    async batch(statements: readonly Statement[]) {
      try {
        const results = await db.batch(statements.map((s) => bind(db, s)));
        return results.map((r) => ({ changes: r.meta.changes ?? 0 }));
      } catch (error) {
        throw translate(error);
      }
    },
    async exec(sql: string) {
      // Migrations on D1 are applied by `wrangler d1 migrations apply`; this runs simple scripts only.
      const statements = sql.split(/;\s*(?:\n|$)/).map((s) => s.trim()).filter(Boolean);
      await db.batch(statements.map((s) => db.prepare(s)));
    },
  };
}
