/**
 * @module storage/holders
 * What a holder may read of their own (issue 17 item 1): the ID numbers that make a person a holder, and
 * the certificates and cases bearing them. Access goes by ID number, never by organisation or role.
 */
import type { SqlDriver } from './driver.js';

export interface HolderCertificateRow {
  number: string;
  status: 'valid' | 'revoked' | 'superseded' | 'cancelled';
  holderName: string;
  titleName: string;
  level: string;
  authorityName: string;
  issuedAt: string;
  revokedAt: string | null;
  linkProof: string;
}

export interface HolderCaseRow {
  id: string;
  status: string;
  level: string;
  holderName: string;
  updatedAt: string;
  certificateNumber: string | null;
}

export class HolderRepository {
  constructor(private readonly db: SqlDriver) {}

  /**
   * The ID numbers a person holds certificates by: the one an admin recorded for them, and those on the
   * certificates issued from their own cases (checked by their unit and confirmed by the authority, 二(二)).
   * A number merely typed into a draft form counts for nothing.
   */
  async idNumbersOf(personId: string): Promise<string[]> {
    const rows = await this.db.all<{ id_number: string }>(
      `SELECT id_number FROM people WHERE id = ? AND id_number IS NOT NULL
       UNION
       SELECT c.id_number FROM applications a JOIN certificates c ON c.number = a.certificate_number WHERE a.applicant_id = ?`,
      [personId, personId],
    );
    return rows.map((r) => r.id_number);
  }

  async certificates(idNumbers: readonly string[]): Promise<HolderCertificateRow[]> {
    if (idNumbers.length === 0) return [];
    const rows = await this.db.all<{ number: string; status: 'valid' | 'revoked' | 'superseded' | 'cancelled'; holder_name: string; title_name: string; level: string; authority_name: string; issued_at: string; revoked_at: string | null; link_proof: string }>(
      `SELECT number, CASE WHEN status = 'valid' AND cancelled_at IS NOT NULL THEN 'cancelled' WHEN status = 'valid' AND superseded_by IS NOT NULL THEN 'superseded' ELSE status END AS status, holder_name, title_name, level, authority_name, issued_at, revoked_at, link_proof
       FROM certificates WHERE id_number IN (${idNumbers.map(() => '?').join(', ')}) ORDER BY issued_at DESC, number`,
      idNumbers,
    );
    return rows.map((r) => ({ number: r.number, status: r.status, holderName: r.holder_name, titleName: r.title_name, level: r.level, authorityName: r.authority_name, issuedAt: r.issued_at, revokedAt: r.revoked_at, linkProof: r.link_proof }));
  }

  /** The person's own cases, and any case bearing one of their ID numbers. */
  async cases(personId: string, idNumbers: readonly string[]): Promise<HolderCaseRow[]> {
    const byNumber = idNumbers.length ? ` OR id_number IN (${idNumbers.map(() => '?').join(', ')})` : '';
    const rows = await this.db.all<{ id: string; status: string; level: string; holder_name: string; updated_at: string; certificate_number: string | null }>(
      `SELECT id, status, level, holder_name, updated_at, certificate_number FROM applications WHERE applicant_id = ?${byNumber} ORDER BY updated_at DESC, id`,
      [personId, ...idNumbers],
    );
    return rows.map((r) => ({ id: r.id, status: r.status, level: r.level, holderName: r.holder_name, updatedAt: r.updated_at, certificateNumber: r.certificate_number }));
  }
}
