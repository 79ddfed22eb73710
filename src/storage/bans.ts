/**
 * @module storage/bans
 * The ban register of notice 四(一), looked up by ID number.
 */
import type { Ban } from '../domain/ban.js';
import { sql, type SqlDriver, type Statement } from './driver.js';

interface BanRow {
  id: string;
  id_number: string;
  holder_name: string;
  start_year: number;
  end_year: number;
  clause: string;
  source: string;
  certificate_number: string | null;
  note: string;
  created_at: string;
}

export class BanRepository {
  constructor(private readonly db: SqlDriver) {}

  /**
   * The statement recording a ban for a revoked certificate, to run in the revocation's batch. It inserts
   * only if the certificate now carries exactly this revocation, so a lost race records nothing.
   */
  recordForRevocation(ban: Ban & { createdBy: string }, revokedAt: string): Statement {
    return sql(
      `INSERT INTO bans (id, id_number, holder_name, start_year, end_year, clause, source, certificate_number, note, created_at, created_by)
       SELECT ?, ?, ?, ?, ?, ?, 'revocation', ?, ?, ?, ?
       WHERE EXISTS (SELECT 1 FROM certificates WHERE number = ? AND status = 'revoked' AND revoked_at = ? AND revocation_reason = 'false_materials')`,
      ban.id, ban.idNumber, ban.holderName, ban.startYear, ban.endYear, ban.clause, ban.certificateNumber ?? null, ban.note, ban.createdAt, ban.createdBy,
      ban.certificateNumber ?? '', revokedAt,
    );
  }

  /** The statement recording a ban for false materials found in an application, to run in the rejection's batch. */
  recordForApplication(ban: Ban & { createdBy: string }): Statement {
    return sql(
      `INSERT INTO bans (id, id_number, holder_name, start_year, end_year, clause, source, certificate_number, note, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, 'application', NULL, ?, ?, ?)`,
      ban.id, ban.idNumber, ban.holderName, ban.startYear, ban.endYear, ban.clause, ban.note, ban.createdAt, ban.createdBy,
    );
  }

  async forIdNumber(idNumber: string): Promise<Ban[]> {
    return (await this.db.all<BanRow>('SELECT * FROM bans WHERE id_number = ? ORDER BY start_year, created_at', [idNumber])).map(toBan);
  }

  /** The whole register, oldest first (bans are few: one per established fraud). */
  async all(): Promise<Ban[]> {
    return (await this.db.all<BanRow>('SELECT * FROM bans ORDER BY created_at, id', [])).map(toBan);
  }
}

function toBan(r: BanRow): Ban {
  return {
    id: r.id,
    idNumber: r.id_number,
    holderName: r.holder_name,
    startYear: r.start_year,
    endYear: r.end_year,
    clause: r.clause,
    source: r.source as Ban['source'],
    certificateNumber: r.certificate_number ?? undefined,
    note: r.note,
    createdAt: r.created_at,
  };
}
