/**
 * @module storage/drivers/d1
 * The SqlDriver over Cloudflare D1. A batch is one `D1Database.batch()`, which D1 runs as a single
 * transaction: a failing statement rolls the whole batch back.
 */
import { ConstraintError, refuseChained, StorageBusyError, StorageFullError, type SqlDriver, type SqlValue, type Statement } from '../driver.js';

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

/**
 * D1 reports errors as text (D1_ERROR: …): SQLite's own (constraint failed, database or disk is full) and
 * D1's (the database over its size limit; an overloaded database that did not run the request).
 */
function translate(error: unknown): unknown {
  const message = error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? '')}` : String(error);
  if (/constraint failed|SQLITE_CONSTRAINT/i.test(message)) return new ConstraintError(message);
  if (/database or disk is full|SQLITE_FULL|maximum (DB|database) size|database size limit/i.test(message)) return new StorageFullError(message);
  if (/SQLITE_BUSY|database is locked|D1 DB is overloaded/i.test(message)) return new StorageBusyError(message);
  return error;
}

// D1 binds ArrayBuffers and typed arrays alike; plain values pass through.
const bind = (db: D1Like, s: Statement) => db.prepare(s.sql).bind(...(s.params as SqlValue[]));

/** @example const driver = createD1Driver(env.DB); */
export function createD1Driver(db: D1Like): SqlDriver {
  return {
    // Reads are translated too: a local D1 on a full disk fails even `SELECT 1` with SQLITE_FULL (seen in
    // test/e2e/storageFull on workerd), which /healthz must report as storage_full, not as a fault.
    async all<T>(sql: string, params: readonly SqlValue[] = []) {
      try {
        return (await bind(db, { sql, params }).all<T>()).results;
      } catch (error) {
        throw translate(error);
      }
    },
    async first<T>(sql: string, params: readonly SqlValue[] = []) {
      try {
        return (await bind(db, { sql, params }).first<T>()) ?? undefined;
      } catch (error) {
        throw translate(error);
      }
    },
    async run(sql: string, params: readonly SqlValue[] = []) {
      try {
        return { changes: (await bind(db, { sql, params }).run()).meta.changes ?? 0 };
      } catch (error) {
        throw translate(error);
      }
    },
    async batch(statements: readonly Statement[]) {
      refuseChained(statements);
      try {
        const results = await db.batch(statements.map((s) => bind(db, s)));
        return results.map((r) => ({ changes: r.meta.changes ?? 0 }));
      } catch (error) {
        throw translate(error);
      }
    },
    async exec(sql: string) {
      // Migrations on D1 are applied by `wrangler d1 migrations apply`; this runs them in tests and scripts.
      await db.batch(splitSqlScript(sql).map((s) => db.prepare(s)));
    },
  };
}

/**
 * Splits a script into statements for D1, which prepares one statement at a time. A `;` ends a statement
 * only outside quotes and comments, and inside `CREATE TRIGGER … BEGIN … END` only after its final END
 * (CASE … END pairs inside the body are counted). Comments are dropped.
 * @example splitSqlScript("CREATE TABLE t (a);\nCREATE TRIGGER x BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 'no;'); END;")
 * // ['CREATE TABLE t (a)', "CREATE TRIGGER x BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 'no;'); END"]
 */
export function splitSqlScript(script: string): string[] {
  const statements: string[] = [];
  let current = '';
  let words: string[] = []; // upper-cased bare words of the current statement, for CREATE TRIGGER and its BEGIN/CASE/END
  let depth = 0; // open BEGIN and CASE blocks of a trigger body
  const finish = () => {
    const text = current.trim();
    if (text) statements.push(text);
    current = '';
    words = [];
    depth = 0;
  };
  const isTrigger = () => words[0] === 'CREATE' && (words[1] === 'TRIGGER' || (/^TEMP(ORARY)?$/.test(words[1] ?? '') && words[2] === 'TRIGGER'));
  let i = 0;
  while (i < script.length) {
    const ch = script[i]!;
    const next = script[i + 1];
    if (ch === '-' && next === '-') {
      const end = script.indexOf('\n', i);
      i = end < 0 ? script.length : end;
      current += ' ';
    } else if (ch === '/' && next === '*') {
      const end = script.indexOf('*/', i + 2);
      i = end < 0 ? script.length : end + 2;
      current += ' ';
    } else if (ch === "'" || ch === '"' || ch === '`' || ch === '[') {
      // A quoted string or identifier; a doubled quote inside stands for itself.
      const close = ch === '[' ? ']' : ch;
      let end = i + 1;
      for (;;) {
        end = script.indexOf(close, end);
        if (end < 0) {
          end = script.length;
          break;
        }
        if (close === ']' || script[end + 1] !== close) break;
        end += 2;
      }
      current += script.slice(i, end + 1);
      i = end + 1;
    } else if (/[A-Za-z_]/.test(ch)) {
      let end = i + 1;
      while (end < script.length && /[A-Za-z0-9_$]/.test(script[end]!)) end++;
      const word = script.slice(i, end).toUpperCase();
      words.push(word);
      if (isTrigger()) {
        if (word === 'BEGIN' || word === 'CASE') depth++;
        else if (word === 'END') depth--;
      }
      current += script.slice(i, end);
      i = end;
    } else if (ch === ';') {
      if (isTrigger() && depth > 0) current += ch;
      else finish();
      i++;
    } else {
      current += ch;
      i++;
    }
  }
  finish();
  return statements;
}
