/**
 * @module storage/audit
 * The audit trail: one row per action, append-only (triggers refuse updates and deletes) and hash-chained
 * like the 核实 log (storage/chainLogs.ts): each row is linked to the one before and hashed when its batch is
 * written (storage/chainWriter.ts). Each action's row is written in the same batch as the action itself, so
 * the trail never misses a write that landed.
 */
import { inJson, sql, type SqlDriver, type SqlValue, type Statement } from './driver.js';

export interface AuditEvent {
  seq?: number;
  at: string;
  orgCode: string;
  personId: string | null;
  role: string;
  action: string;
  /** What was acted on, e.g. `application:AP…`, `certificate:26K7Q2M9XHT`, `calendar:2027-02-06`. */
  subject: string;
  detail: Record<string, unknown>;
}

export class AuditRepository {
  constructor(private readonly db: SqlDriver) {}

  /**
   * The row to write with an action: placed at the end of the trail when its batch is written. With
   * `onlyIf` (an EXISTS subquery) it is written only when the action it records landed.
   */
  statement(event: AuditEvent, onlyIf?: Statement): Statement {
    const values = [event.at, event.orgCode, event.personId, event.role, event.action, event.subject, JSON.stringify(event.detail)];
    const columns = 'seq, prev_hash, at, org_code, person_id, role, action, subject, detail, hash';
    return {
      sql: '',
      params: [],
      chained: {
        log: 'audit',
        at: event.at,
        onlyIf,
        // In storage/chainLogs.ts order: seq, prev_hash, then the row's own columns.
        canonical: (seq, prevHash) => [seq, prevHash, ...values],
        insert: (seq, prevHash, hash) =>
          onlyIf
            ? sql(`INSERT INTO audit_events (${columns}) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (${onlyIf.sql})`, seq, prevHash, ...values, hash, ...onlyIf.params)
            : sql(`INSERT INTO audit_events (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, seq, prevHash, ...values, hash),
      },
    };
  }

  async record(event: AuditEvent): Promise<void> {
    await this.db.batch([this.statement(event)]);
  }

  /** Events of these organisations, oldest first, after `afterSeq` (a cursor for paging). */
  async list(filters: { orgCodes: readonly string[]; subject?: string | undefined; afterSeq: number; limit: number }): Promise<AuditEvent[]> {
    if (filters.orgCodes.length === 0) return [];
    const params: SqlValue[] = [JSON.stringify(filters.orgCodes), filters.afterSeq];
    let where = `${inJson('org_code')} AND seq > ?`;
    if (filters.subject) (where += ' AND subject = ?'), params.push(filters.subject);
    const rows = await this.db.all<{ seq: number; at: string; org_code: string; person_id: string | null; role: string; action: string; subject: string; detail: string }>(
      `SELECT * FROM audit_events WHERE ${where} ORDER BY seq LIMIT ?`,
      [...params, filters.limit],
    );
    return rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      orgCode: r.org_code,
      personId: r.person_id,
      role: r.role,
      action: r.action,
      subject: r.subject,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  }
}
