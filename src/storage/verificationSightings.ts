/**
 * @module storage/verificationSightings
 * Who verified a holder (issue 17 item 4, migration 0022): rows written many at a time in one batch
 * (storage/sightingBuffer.ts), read back for the holder by the ID numbers they hold certificates by —
 * certificate rows through the certificates bearing those numbers, 核实 record rows by the number itself.
 */
import type { Sighting, SightingChannel } from '../domain/verificationSighting.js';
import type { SqlDriver, Statement } from './driver.js';

/** A row as the holder reads it, with the verifier organisation's current name. */
export interface StoredSighting {
  id: number;
  at: string;
  channel: SightingChannel;
  certificateNumber: string | null;
  purpose: string | null;
  orgCode: string | null;
  orgName: string | null;
}

interface Row {
  id: number;
  at: string;
  channel: SightingChannel;
  certificate_number: string | null;
  purpose: string | null;
  org_code: string | null;
  org_name: string | null;
}

export class SightingRepository {
  constructor(private readonly db: SqlDriver) {}

  /** The INSERT of one sighting (exactly one of certificate number and ID number; the table checks it). */
  static statement(s: Sighting): Statement {
    return {
      sql: 'INSERT INTO verification_sightings (at, channel, certificate_number, id_number, purpose, org_code) VALUES (?, ?, ?, ?, ?, ?)',
      params: [s.at, s.channel, s.certificateNumber ?? null, s.certificateNumber ? null : (s.idNumber ?? null), s.purpose ?? null, s.orgCode ?? null],
    };
  }

  /** Writes every sighting in one batch (one transaction on SQLite, D1's atomic unit). */
  async insertAll(sightings: readonly Sighting[]): Promise<void> {
    if (sightings.length > 0) await this.db.batch(sightings.map((s) => SightingRepository.statement(s)));
  }

  /**
   * The verifications of whoever holds `idNumbers`, newest first, `limit` of them, older than the row
   * `before` (its id, from the previous page) when given.
   */
  async ofHolder(idNumbers: readonly string[], limit: number, before?: number): Promise<StoredSighting[]> {
    if (idNumbers.length === 0) return [];
    const marks = idNumbers.map(() => '?').join(', ');
    const older = before === undefined ? '' : ' AND (s.at, s.id) < (SELECT at, id FROM verification_sightings WHERE id = ?)';
    const rows = await this.db.all<Row>(
      `SELECT s.id, s.at, s.channel, s.certificate_number, s.purpose, s.org_code, o.name AS org_name
         FROM verification_sightings s LEFT JOIN organisations o ON o.code = s.org_code
        WHERE (s.certificate_number IN (SELECT number FROM certificates WHERE id_number IN (${marks})) OR s.id_number IN (${marks}))${older}
        ORDER BY s.at DESC, s.id DESC LIMIT ?`,
      [...idNumbers, ...idNumbers, ...(before === undefined ? [] : [before]), limit],
    );
    return rows.map((r) => ({ id: r.id, at: r.at, channel: r.channel, certificateNumber: r.certificate_number, purpose: r.purpose, orgCode: r.org_code, orgName: r.org_name }));
  }
}
