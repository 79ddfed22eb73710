/**
 * @module storage/caseStatements
 * The organisations' statements on each case (domain/caseStatement.ts): the canonical payload as it was
 * signed, its digest, and the seal's JWS (NULL when the organisation had no seal). Rows are only ever
 * inserted, in the batch of the history event they speak for.
 */
import type { CaseStatementPayload, KeptStatement } from '../domain/caseStatement.js';
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
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as CaseStatementPayload) : undefined;
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

  /** The digest of the case's newest statement, which the next one names. */
  async lastDigest(applicationId: string): Promise<string | null> {
    const row = await this.db.first<{ digest: string }>('SELECT digest FROM case_statements WHERE application_id = ? ORDER BY seq DESC LIMIT 1', [applicationId]);
    return row?.digest ?? null;
  }
}
