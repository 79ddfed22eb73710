/**
 * @module storage/driver
 * The small interface every query is written against. Two drivers implement it: better-sqlite3 on Node
 * (storage/drivers/betterSqlite.ts) and D1 on Workers. Multi-row writes go through `batch`, which is
 * atomic on both — D1's unit of transaction — so a failed request writes nothing. A statement may carry a
 * row of one of the hash-chained logs (`chained`): only the chain writer (storage/chainWriter.ts) can place
 * it, so the plain drivers refuse it.
 */
import { DomainError } from '../domain/errors.js';
import type { CanonicalValue, LogName } from '../domain/recordChain.js';

export type SqlValue = string | number | null | Uint8Array;

export interface Statement {
  sql: string;
  params: readonly SqlValue[];
  /** A row to add at the end of a chained log: its place and hash are known only when it is written. */
  chained?: ChainedRow | undefined;
}

/** A row of a hash-chained log before it has its place (storage/chainLogs.ts names the logs). */
export interface ChainedRow {
  log: LogName;
  /** The row's own time (ISO 8601), which the head rule reads (domain headDue). */
  at: string;
  /** Its canonical values once at place `seq` after `prevHash`, in the log's column order. */
  canonical(seq: number, prevHash: string): CanonicalValue[];
  /** Its INSERT at that place. */
  insert(seq: number, prevHash: string, hash: string): Statement;
  /** An EXISTS subquery: the row (and any head on it) is written only when it holds, e.g. when the action it records landed. */
  onlyIf?: Statement | undefined;
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

/**
 * `column IN (…)` over any number of values with ONE bound parameter, `JSON.stringify(values)`, read back by
 * json_each (SQLite and D1 alike): D1 binds at most 100 parameters per query, and an office's subtree can name
 * more organisations than that.
 * @example db.all(`SELECT … WHERE ${inJson('org_code')}`, [JSON.stringify(codes)])
 */
export function inJson(column: string): string {
  return `${column} IN (SELECT value FROM json_each(?))`;
}

/** A UNIQUE or PRIMARY KEY constraint refused a write; drivers translate their own errors to this. */
export class ConstraintError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConstraintError';
  }
}

/** The database cannot grow: the disk (or D1's size limit) is full. Answered 507 in words; nothing of the request is kept. */
export class StorageFullError extends DomainError {
  constructor(cause: string) {
    super('storage_full', {
      zh: '存储空间已满，本次提交未保存。请联系系统管理员释放磁盘空间后重试；已保存的数据不受影响。',
      en: 'The storage is full, so this request was not saved. Ask the administrator to free disk space, then try again; everything saved before is intact.',
    });
    this.name = 'StorageFullError';
    this.cause = cause;
  }
}

/** The database is busy (locked, overloaded) or a chained write kept losing its place: try again shortly (503 + Retry-After). */
export class StorageBusyError extends DomainError {
  /** `outcome: 'unknown'`: the write was already with the database when its time ran out — it may have landed. */
  constructor(cause: string, outcome: 'not_saved' | 'unknown' = 'not_saved') {
    super(
      'busy',
      outcome === 'unknown'
        ? { zh: '服务繁忙，本次提交未能按时确认，可能已经保存：请先查看结果再决定是否重试。', en: 'The service is busy and could not confirm this request in time; it may have been saved, so check before you retry.' }
        : { zh: '服务繁忙，本次提交未保存，请稍后重试。', en: 'The service is busy and this request was not saved; try again shortly.' },
      undefined,
      { retryAfterSeconds: 1 },
    );
    this.name = 'StorageBusyError';
    this.cause = cause;
  }
}

/** Refuses a chained row outside the chain writer: written raw it would have no place in its chain. */
export function refuseChained(statements: readonly Statement[]): void {
  if (statements.some((s) => s.chained)) throw new Error('a row of a chained log must be written through the chain writer (storage/chainWriter.ts)');
}

/** @example sql('SELECT * FROM certificates WHERE number = ?', number) */
export function sql(text: string, ...params: SqlValue[]): Statement {
  return { sql: text, params };
}
