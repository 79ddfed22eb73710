/**
 * @module storage/statistics
 * The counts behind the offices' figures (issue 18 item 7), each one GROUP BY over the rows of a set of
 * organisations in a range. Instants are ISO UTC in the certificates and cases, so a China month is
 * `strftime('%Y-%m', at, '+8 hours')` (SQLite and D1 alike); 核实 records keep China time already.
 */
import { inJson, type SqlDriver, type SqlValue } from './driver.js';


export class StatisticsRepository {
  constructor(private readonly db: SqlDriver) {}

  /** Certificates issued by these authorities in [since, before), by China month, series and level; a correction's new version is not another certificate. */
  issuedByMonth(codes: readonly string[], since: string, before: string) {
    return this.db.all<{ month: string; series: string; level: string; n: number }>(
      `SELECT strftime('%Y-%m', issued_at, '+8 hours') AS month, series_name AS series, level, COUNT(*) AS n FROM certificates
       WHERE ${inJson('authority_code')} AND issued_at >= ? AND issued_at < ? AND predecessor IS NULL GROUP BY month, series, level ORDER BY month, series, level`,
      [JSON.stringify(codes), since, before] as SqlValue[],
    );
  }

  /** Certificates of these authorities revoked in [since, before), by reason. */
  revocationsByReason(codes: readonly string[], since: string, before: string) {
    return this.db.all<{ reason: string; n: number }>(
      `SELECT revocation_reason AS reason, COUNT(*) AS n FROM certificates
       WHERE ${inJson('authority_code')} AND revoked_at >= ? AND revoked_at < ? GROUP BY reason ORDER BY reason`,
      [JSON.stringify(codes), since, before] as SqlValue[],
    );
  }

  /** 核实 records of these organisations checked in [since, before) (China time strings), by method and result; a record corrected by a later one counts as that one only. */
  recordsByMethodAndResult(codes: readonly string[], since: string, before: string) {
    return this.db.all<{ method: string; result: string; n: number }>(
      `SELECT method, result, COUNT(*) AS n FROM verification_records
       WHERE ${inJson('org_code')} AND checked_at >= ? AND checked_at < ?
         AND NOT EXISTS (SELECT 1 FROM verification_records later WHERE later.supersedes_id = verification_records.id)
       GROUP BY method, result ORDER BY method, result`,
      [JSON.stringify(codes), since, before] as SqlValue[],
    );
  }

  /** Objections lodged in [since, before) on cases of these units: how many, and how many were upheld. */
  async objections(codes: readonly string[], since: string, before: string) {
    const row = await this.db.first<{ raised: number; upheld: number | null }>(
      `SELECT COUNT(*) AS raised, SUM(CASE WHEN o.upheld = 1 THEN 1 ELSE 0 END) AS upheld FROM application_objections o
       JOIN applications a ON a.id = o.application_id
       WHERE ${inJson('a.unit_code')} AND o.lodged_at >= ? AND o.lodged_at < ?`,
      [JSON.stringify(codes), since, before] as SqlValue[],
    );
    return { raised: row?.raised ?? 0, upheld: row?.upheld ?? 0 };
  }

  /** Cases of these units issued in [since, before): when each was first submitted and when it was issued. */
  submittedAndIssued(codes: readonly string[], since: string, before: string) {
    return this.db.all<{ id: string; submitted: string; issued: string }>(
      `SELECT e.application_id AS id, MIN(CASE WHEN e.action = 'submit' THEN e.at END) AS submitted, MAX(CASE WHEN e.action = 'issue' THEN e.at END) AS issued
       FROM application_events e JOIN applications a ON a.id = e.application_id
       WHERE ${inJson('a.unit_code')} AND e.action IN ('submit', 'issue')
       GROUP BY e.application_id HAVING issued >= ? AND issued < ? AND submitted IS NOT NULL ORDER BY issued`,
      [JSON.stringify(codes), since, before] as SqlValue[],
    );
  }
}
