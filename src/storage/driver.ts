/**
 * @module storage/driver
 * The small interface every query is written against. Two drivers implement it: better-sqlite3 on Node
 * (storage/drivers/betterSqlite.ts) and D1 on Workers. Multi-row writes go through `batch`, which is
 * atomic on both — D1's unit of transaction — so a failed request writes nothing.
 */

export type SqlValue = string | number | null | Uint8Array;

export interface Statement {
  sql: string;
  params: readonly SqlValue[];
}

export interface SqlDriver {
  /** All rows of a query. */
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** The first row, or undefined. */
  first<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** One write; returns the number of rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
  /** Several writes, all or nothing; returns rows changed per statement. */
  batch(statements: readonly Statement[]): Promise<{ changes: number }[]>;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
}

/** A UNIQUE or PRIMARY KEY constraint refused a write; drivers translate their own errors to this. */
export class ConstraintError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConstraintError';
  }
}

/** @example sql('SELECT * FROM certificates WHERE number = ?', number) */
export function sql(text: string, ...params: SqlValue[]): Statement {
  return { sql: text, params };
}
