/**
 * @module storage/chainSeal
 * Sealing (storage/chainWriter): the rows of the audit trail and the case history written without a hash
 * (before migration 0007, or by a process on older code) are chained in place, in the order they were
 * written, a batch at a time, with the heads due among them. Two processes sealing at once compute the same
 * hashes; each row takes its hash once (`hash IS NULL`), and a head stands only beside the row it vouches for.
 */
import type { CanonicalValue, LogName } from '../domain/recordChain.js';
import { holds, LOG_SPECS, readTip, type ChainTip } from './chainLogs.js';
import { ConstraintError, sql, type ChainedRow, type SqlDriver, type SqlValue, type Statement } from './driver.js';
import { SEAL_BATCH, type OwedHead, type PlacedRow } from './chainWriterOptions.js';

/** What sealing needs of the chain writer: its database, its retry rule, linking a row, and its memory of tips and owed heads. */
export interface SealHost {
  db: SqlDriver;
  maxAttempts: number;
  backoff(attempt: number): number;
  link(row: ChainedRow, tip: ChainTip, heads: Statement[], owed: OwedHead[], sealing: (seq: number, hash: string) => Statement): Promise<PlacedRow & { tip: ChainTip }>;
  forgetTip(log: LogName): void;
  settle(paid: number, owed: readonly OwedHead[]): void;
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Chains every row without a hash of the audit trail and the case history. */
export async function sealLegacyRows(host: SealHost): Promise<void> {
  for (const log of ['audit', 'history'] as const) {
    const spec = LOG_SPECS[log];
    // Any row without a hash, wherever it is (a process on older code may write one after chained rows):
    // one lookup in the partial index of migration 0008.
    if (!(await host.db.first(`SELECT 1 AS unchained FROM ${spec.table} WHERE hash IS NULL LIMIT 1`))) continue;
    const columns = spec.canonical.filter((c) => c !== spec.seq && c !== 'prev_hash');
    // Each pass that lands must chain the rows it read (or find them chained by another process): reading
    // the same first row after it is an error rather than a loop without end. A pass refused because another
    // process took a place first (ConstraintError) reads rows and tip again, a bounded number of times.
    let firstSealed: SqlValue | undefined;
    let conflicts = 0;
    for (;;) {
      const rows = await host.db.all<Record<string, SqlValue>>(
        `SELECT rowid AS legacy_rowid, ${spec.seq} AS legacy_seq, ${columns.join(', ')} FROM ${spec.table} WHERE hash IS NULL ORDER BY ${spec.legacyOrder} LIMIT ${SEAL_BATCH}`,
      );
      if (rows.length === 0) break;
      if (rows[0]!.legacy_rowid === firstSealed) throw new Error(`sealing ${log} made no progress at rowid ${String(firstSealed)}`);
      let tip = await readTip(host.db, log);
      const heads: Statement[] = [];
      const owed: OwedHead[] = [];
      const updates: Statement[] = [];
      for (const r of rows) {
        // The audit trail keeps each row's own seq (AUTOINCREMENT: 1, 2, 3 … as written); the case history gets its place now.
        const seq = log === 'audit' ? Number(r.legacy_seq) : tip.seq + 1;
        const legacy: ChainedRow = {
          log,
          at: String(r[spec.time]),
          canonical: (s, prev) => spec.canonical.map((c) => (c === spec.seq ? s : c === 'prev_hash' ? prev : (r[c] as CanonicalValue))),
          insert: (s, prev, hash) =>
            sql(`UPDATE ${spec.table} SET ${spec.seq} = ?, prev_hash = ?, hash = ? WHERE rowid = ? AND hash IS NULL`, s, prev, hash, r.legacy_rowid as number),
        };
        // Another process sealing at the same time computes the same hashes; its updates and ours meet
        // `hash IS NULL` once, and a head is kept only where the row it vouches for holds its hash.
        const beside = (s: number, hash: string) => holds(log, s, hash);
        const placed = await host.link(legacy, { ...tip, seq: seq - 1 }, heads, owed, beside);
        updates.push(placed.statement);
        tip = placed.tip;
      }
      try {
        await host.db.batch([...updates, ...heads]);
      } catch (error) {
        if (!(error instanceof ConstraintError) || ++conflicts >= host.maxAttempts) throw error;
        host.forgetTip(log);
        await sleep(host.backoff(conflicts));
        continue;
      }
      firstSealed = rows[0]!.legacy_rowid;
      host.settle(0, owed);
    }
    host.forgetTip(log);
  }
}
