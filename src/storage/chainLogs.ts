/**
 * @module storage/chainLogs
 * The three hash-chained logs as tables: the 核实 log (verification_records), the audit trail (audit_events)
 * and the case history (application_events). Each row holds its place in its chain (`seq`, or `log_seq` for
 * the case history, whose `seq` counts one case's steps), the hash of the row before it (`prev_hash`) and
 * `hash`: SHA-256 over its canonical form — the JSON array of its other columns in the order below. Signed
 * heads sit in verification_log_heads (the 核实 log) and chain_heads (the others). This module says where
 * each log lives and reads it back, page by page, for `log check` and the head endpoint.
 */
import { GENESIS_HASH } from '../domain/verificationRecord.js';
import { CANONICAL_FIELDS, type CanonicalField, type LogName } from '../domain/recordChain.js';
import { sql, type SqlDriver, type SqlValue, type Statement } from './driver.js';

/** The 核实 log's column of each canonical field: one column per field, so a row is hashed as it is read. */
const COLUMN_OF = {
  acquiredOn: 'acquired_on',
  applicationId: 'application_id',
  certificateNumber: 'certificate_number',
  checkedAt: 'checked_at',
  createdAt: 'created_at',
  details: 'details',
  evaluatingBody: 'evaluating_body',
  handlerName: 'handler_name',
  holderName: 'holder_name',
  id: 'id',
  idNumber: 'id_number',
  method: 'method',
  orgCode: 'org_code',
  prevHash: 'prev_hash',
  record: 'record',
  recordedOn: 'recorded_on',
  result: 'result',
  seq: 'seq',
  supersedeReason: 'supersede_reason',
  supersedesId: 'supersedes_id',
  titleName: 'title_name',
  writtenBy: 'written_by',
} as const satisfies Record<CanonicalField, string>;

/** Every column of a 核实 record: the canonical fields in CANONICAL_FIELDS order, then `hash`. */
export const RECORD_COLUMNS = [...CANONICAL_FIELDS.map((field) => COLUMN_OF[field]), 'hash'] as const;

/** A signed head as stored. */
export interface LogHeadRow {
  seq: number;
  hash: string;
  count: number;
  signed_at: string;
  kid: string;
  jws: string;
}

/** A head to store: {seq, hash, count, signedAt} and its compact JWS by the service key. */
export interface SignedHead {
  seq: number;
  hash: string;
  count: number;
  signedAt: string;
  kid: string;
  jws: string;
}

/** Where a log lives and what its hash covers. */
export interface LogSpec {
  name: LogName;
  table: string;
  /** The column that holds the row's place in the chain. */
  seq: string;
  /** The row's own time: what the head rule reads. */
  time: string;
  /** An SQL expression naming a row for a person reading a report. */
  label: string;
  /** The canonical columns, in hashing order (`hash` is not among them). */
  canonical: readonly string[];
  /** The heads: table and the condition that picks this log's. */
  heads: { table: string; where: string; params: readonly SqlValue[] };
  /** The order rows written before chaining (migration 0007) are chained in; undefined: always chained. */
  legacyOrder?: string;
}

export const LOG_SPECS: Readonly<Record<LogName, LogSpec>> = {
  verification: {
    name: 'verification',
    table: 'verification_records',
    seq: 'seq',
    time: 'created_at',
    label: 'id',
    canonical: RECORD_COLUMNS.filter((c) => c !== 'hash'),
    heads: { table: 'verification_log_heads', where: '1 = 1', params: [] },
  },
  audit: {
    name: 'audit',
    table: 'audit_events',
    seq: 'seq',
    time: 'at',
    label: "action || ' ' || subject",
    canonical: ['seq', 'prev_hash', 'at', 'org_code', 'person_id', 'role', 'action', 'subject', 'detail'],
    heads: { table: 'chain_heads', where: "log = 'audit'", params: [] },
    legacyOrder: 'seq',
  },
  history: {
    name: 'history',
    table: 'application_events',
    seq: 'log_seq',
    time: 'at',
    label: "application_id || ' #' || seq || ' ' || action",
    canonical: ['log_seq', 'prev_hash', 'application_id', 'seq', 'action', 'from_status', 'to_status', 'person_id', 'person_name', 'org_code', 'org_name', 'role', 'at', 'opinion', 'data', 'idempotency_key'],
    heads: { table: 'chain_heads', where: "log = 'history'", params: [] },
    legacyOrder: 'rowid',
  },
};

/** The end of a log: what a write links its row to, and what the head rule reads. */
export interface ChainTip {
  /** 0 for an empty log. */
  seq: number;
  hash: string;
  /** The own time of the row that carries the newest signed head (none yet: undefined). */
  headAt: string | undefined;
}

/**
 * The tip of `log` in one query: its newest chained row and the time of the row of its newest head.
 * @example const { seq, hash } = await readTip(db, 'verification');
 */
export async function readTip(db: SqlDriver, log: LogName): Promise<ChainTip> {
  const spec = LOG_SPECS[log];
  const { table: headTable, where, params } = spec.heads;
  const row = await db.first<{ seq: number | null; hash: string | null; head_at: string | null }>(
    `SELECT t.${spec.seq} AS seq, t.hash AS hash,
            (SELECT r.${spec.time} FROM ${spec.table} r WHERE r.${spec.seq} = (SELECT MAX(h.seq) FROM ${headTable} h WHERE ${where})) AS head_at
     FROM (SELECT 1) LEFT JOIN (SELECT ${spec.seq}, hash FROM ${spec.table} WHERE hash IS NOT NULL ORDER BY ${spec.seq} DESC LIMIT 1) t`,
    params,
  );
  return { seq: row?.seq ?? 0, hash: row?.hash ?? GENESIS_HASH, headAt: row?.head_at ?? undefined };
}

/**
 * The INSERT of a signed head of `log`; with `onlyIf`, written only when the row it stands on was; with
 * `orIgnore`, a head another process already stored at that place is kept.
 */
export function headStatement(log: LogName, head: SignedHead, onlyIf?: Statement, options: { orIgnore?: boolean } = {}): Statement {
  const values = [head.seq, head.hash, head.count, head.signedAt, head.kid, head.jws];
  const [table, columns, prefix] = log === 'verification' ? ['verification_log_heads', 'seq, hash, count, signed_at, kid, jws', []] : ['chain_heads', 'log, seq, hash, count, signed_at, kid, jws', [log]];
  const marks = [...prefix, ...values].map(() => '?').join(', ');
  const insert = options.orIgnore ? 'INSERT OR IGNORE' : 'INSERT';
  if (!onlyIf) return sql(`${insert} INTO ${table} (${columns}) VALUES (${marks})`, ...prefix, ...values);
  return sql(`${insert} INTO ${table} (${columns}) SELECT ${marks} WHERE EXISTS (${onlyIf.sql})`, ...prefix, ...values, ...onlyIf.params);
}

/** A row as `log check` reads it: its link, its time, its name, and its canonical values in order. */
/** A condition that holds when `log` has the row with `hash` at `seq`: a head stored later stands only beside it. */
export function holds(log: LogName, seq: number, hash: string): Statement {
  const spec = LOG_SPECS[log];
  return sql(`SELECT 1 FROM ${spec.table} WHERE ${spec.seq} = ? AND hash = ?`, seq, hash);
}

export interface LogRow {
  seq: unknown;
  label: unknown;
  prevHash: unknown;
  hash: unknown;
  at: unknown;
  values: unknown[];
}

/** Reads the chained logs back: rows in chain order, heads, the newest head. Works on any driver. */
export class LogRepository {
  constructor(private readonly db: SqlDriver) {}

  /** Up to `limit` rows of `log` after place `afterSeq`, in chain order. */
  async rowsAfter(log: LogName, afterSeq: number, limit: number): Promise<LogRow[]> {
    const spec = LOG_SPECS[log];
    const rows = await this.db.all<Record<string, unknown>>(
      `SELECT ${spec.seq} AS chain_seq, ${spec.label} AS chain_label, prev_hash AS chain_prev, hash AS chain_hash, ${spec.time} AS chain_at, ${spec.canonical.join(', ')}
       FROM ${spec.table} WHERE ${spec.seq} > ? ORDER BY ${spec.seq} LIMIT ?`,
      [afterSeq, limit],
    );
    return rows.map((r) => ({ seq: r.chain_seq, label: r.chain_label, prevHash: r.chain_prev, hash: r.chain_hash, at: r.chain_at, values: spec.canonical.map((c) => r[c]) }));
  }

  /** Rows not chained yet (written before migration 0007 and not sealed since): how many. */
  async unchained(log: LogName): Promise<number> {
    const spec = LOG_SPECS[log];
    return (await this.db.first<{ n: number }>(`SELECT COUNT(*) AS n FROM ${spec.table} WHERE hash IS NULL`))?.n ?? 0;
  }

  /** Every signed head of `log`, in chain order. */
  async heads(log: LogName): Promise<LogHeadRow[]> {
    const { table, where, params } = LOG_SPECS[log].heads;
    return this.db.all<LogHeadRow>(`SELECT seq, hash, count, signed_at, kid, jws FROM ${table} WHERE ${where} ORDER BY seq`, params);
  }

  /** The newest signed head of `log`, if any. */
  async latestHead(log: LogName): Promise<LogHeadRow | undefined> {
    const { table, where, params } = LOG_SPECS[log].heads;
    return this.db.first<LogHeadRow>(`SELECT seq, hash, count, signed_at, kid, jws FROM ${table} WHERE ${where} ORDER BY seq DESC LIMIT 1`, params);
  }
}
