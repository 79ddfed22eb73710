/**
 * @module storage/caseStatements
 * The organisations' statements on each case (domain/caseStatement.ts): the canonical payload as it was
 * signed, its digest, and the seal's JWS (NULL when the organisation had no seal). Rows are only ever
 * inserted, in the batch of the history event they speak for.
 */
import { statementPayloadOf, type CaseStatementPayload, type KeptStatement } from '../domain/caseStatement.js';
import { sql, type SqlDriver, type Statement } from './driver.js';

export interface StoredStatement {
  seq: number;
  orgCode: string;
  /** The payload as stored; undefined when the stored text is no longer JSON (someone wrote over it). */
  payload: CaseStatementPayload | undefined;
  digest: string;
  /** The seal's compact JWS; null when the organisation gave it without a seal. */
  jws: string | null;
  /** The service's timestamp (JWS over {digest, at}); null when the service had no key to stamp with. */
  timestamp: string | null;
}

interface Row {
  seq: number;
  org_code: string;
  payload: string;
  digest: string;
  jws: string | null;
  timestamp: string | null;
}

function parsed(text: string): CaseStatementPayload | undefined {
  try {
    return statementPayloadOf(JSON.parse(text));
  } catch {
    return undefined;
  }
}

const fromRow = (row: Row): StoredStatement => ({ seq: row.seq, orgCode: row.org_code, payload: parsed(row.payload), digest: row.digest, jws: row.jws, timestamp: row.timestamp });

export class CaseStatementRepository {
  constructor(private readonly db: SqlDriver) {}

  /**
   * The insert of one statement, for the batch of its event; with `onlyIf` (a SELECT), written only when it yields
   * a row — so a statement lands only with the change it speaks for.
   */
  insertStatement(text: string, kept: KeptStatement, signed: { jws: string | null; timestamp: string | null }, at: string, onlyIf?: Statement): Statement {
    const values = [kept.payload.case, kept.payload.seq, kept.payload.org.code, text, kept.digest, signed.jws, signed.timestamp, at] as const;
    const columns = 'application_id, seq, org_code, payload, digest, jws, timestamp, created_at';
    if (onlyIf) return sql(`INSERT INTO case_statements (${columns}) SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (${onlyIf.sql})`, ...values, ...onlyIf.params);
    return sql(`INSERT INTO case_statements (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, ...values);
  }

  /** A case's statements in step order. */
  async forCase(applicationId: string): Promise<StoredStatement[]> {
    const rows = await this.db.all<Row>('SELECT seq, org_code, payload, digest, jws, timestamp FROM case_statements WHERE application_id = ? ORDER BY seq', [applicationId]);
    return rows.map(fromRow);
  }

  /**
   * The steps of a case, among `steps`, taken since statements began that have none: a statement deleted
   * afterwards (every such step writes its statement in its own batch).
   */
  async unstated(applicationId: string, steps: readonly string[]): Promise<number[]> {
    if (steps.length === 0) return [];
    const rows = await this.db.all<{ seq: number }>(
      `SELECT e.seq FROM application_events e
       WHERE e.application_id = ? AND e.action IN (${steps.map(() => '?').join(', ')}) AND e.log_seq > (SELECT MAX(log_seq) FROM case_statement_start)
         AND NOT EXISTS (SELECT 1 FROM case_statements s WHERE s.application_id = e.application_id AND s.seq = e.seq)
       ORDER BY e.seq`,
      [applicationId, ...steps],
    );
    return rows.map((r) => r.seq);
  }

  /** The digest of the case's newest statement, which the next one names. */
  async lastDigest(applicationId: string): Promise<string | null> {
    const row = await this.db.first<{ digest: string }>('SELECT digest FROM case_statements WHERE application_id = ? ORDER BY seq DESC LIMIT 1', [applicationId]);
    return row?.digest ?? null;
  }
}
