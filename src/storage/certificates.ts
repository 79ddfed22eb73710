/**
 * @module storage/certificates
 * The certificate repository: one row per certificate, the idempotency keys that point at it. Its PDF and
 * photo are in the blob store (storage/blobs.ts), stored before the batch that writes the row with their
 * SHA-256 and length (issue 15); certificates issued before migration 0015 keep them in the database.
 */
import type { Certificate, RevocationReason } from '../domain/certificate.js';
import { basisColumns, COLUMNS, fromRow, licencePartsOf, SELECT, type CertificateRow } from './certificateRows.js';
import { inJson, sql, type SqlDriver, type Statement } from './driver.js';
import { noteRefused, readChecked, type BlobStore } from './blobs.js';
import { sha256Hex } from '../lib/bytes.js';
import type { OrganisationContact } from '../domain/organisationContact.js';
import { contactOf, type ContactColumns } from './organisations.js';


export interface IdempotencyClaim {
  scope: string;
  key: string;
  requestHash: string;
}

const PDF = { zh: '证书 PDF', en: 'certificate PDF' };
const PHOTO = { zh: '证书照片', en: 'certificate photo' };

export class CertificateRepository {
  /** `blobs`: where the PDFs and photos are kept — required, so a forgotten argument never keeps files in memory. */
  constructor(
    private readonly db: SqlDriver,
    private readonly blobs: BlobStore,
  ) {}

  /**
   * Stores the PDF and photo in the blob store (durably, first), then writes the certificate naming them,
   * (when given) its idempotency key and `alongside` (its audit row), all or nothing. A batch that fails
   * leaves the files as orphans for `blobs check`, never a row without its file.
   */
  async insert(certificate: Certificate, pdf: Uint8Array, idempotency?: IdempotencyClaim, alongside: readonly Statement[] = []): Promise<void> {
    const c = certificate;
    const licence = c.identifier ? licencePartsOf(c.identifier) : undefined;
    const [pdfRef, photoRef] = await Promise.all([this.blobs.put(pdf), c.photo ? this.blobs.put(c.photo.bytes) : undefined]);
    const statements: Statement[] = [
      sql(
        `INSERT INTO certificates (number, authority_code, authority_name, kid, holder_name, holder_gender, id_type, id_number,
           id_number_masked, photo_sha256, photo_length, photo_type, series_code, series_name, title_name, level, specialty, acquired_on,
           acquisition_method, evaluating_body, original_number, decision_number, decided_on, issued_at, token,
           link_proof, status, basis_kind, basis_case_id, basis_decision_number, basis_decided_on, basis_reason, basis_sealed_by, pdf_sha256, pdf_length,
           identifier, licence_type_code, licence_authority_code, licence_serial, licence_version, predecessor)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'valid', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        c.number, c.authority.code, c.authority.name, c.kid, c.holder.name, c.holder.gender, c.holder.idType, c.holder.idNumber,
        c.holder.idNumberMasked, photoRef?.sha256 ?? null, photoRef?.length ?? null, c.photo?.type ?? null, c.title.series, c.title.seriesName, c.title.name,
        c.title.level, c.title.specialty, c.original.acquiredOn, c.original.method, c.original.evaluatingBody,
        c.original.certificateNumber ?? null, c.decision.number, c.decision.decidedOn, c.issuedAt, c.token, c.linkProof,
        ...basisColumns(c.basis), pdfRef.sha256, pdfRef.length,
        c.identifier ?? null, licence?.typeCode ?? null, licence?.authorityCode ?? null, licence?.serial ?? null, licence?.version ?? null,
        c.predecessor ?? null,
      ),
    ];
    if (idempotency) {
      statements.push(
        sql(
          'INSERT INTO idempotency_keys (scope, key, request_hash, number, created_at) VALUES (?, ?, ?, ?, ?)',
          idempotency.scope, idempotency.key, idempotency.requestHash, c.number, c.issuedAt,
        ),
      );
    }
    try {
      await this.db.batch([...statements, ...alongside]);
    } catch (error) {
      noteRefused(this.blobs, [pdfRef, ...(photoRef ? [photoRef] : [])], error); // the files took the room the row lacked (C12)
      throw error;
    }
  }

  async findByNumber(number: string): Promise<Certificate | undefined> {
    const row = await this.db.first<CertificateRow>(`${SELECT} WHERE c.number = ?`, [number]);
    return row ? fromRow(row) : undefined;
  }

  /**
   * The certificate with its issuing office's current contact (issue 12 A4), in one query: the contact was a
   * second read on every verification (profiled: 5.5% of the Node server's CPU on GET /v JSON; on D1 a round trip).
   */
  async findForVerification(number: string): Promise<{ certificate: Certificate; authorityContact: OrganisationContact } | undefined> {
    const row = await this.db.first<CertificateRow & ContactColumns>(
      `SELECT ${COLUMNS}, o.contact_phone, o.contact_address FROM certificates c LEFT JOIN organisations o ON o.code = c.authority_code WHERE c.number = ?`,
      [number],
    );
    return row ? { certificate: fromRow(row), authorityContact: contactOf(row) } : undefined;
  }

  /** The number of the certificate with this 电子证照标识 (issue 19 item 1), by its unique index; undefined when none has it. */
  async numberByIdentifier(identifier: string): Promise<string | undefined> {
    return (await this.db.first<{ number: string }>('SELECT number FROM certificates WHERE identifier = ?', [identifier]))?.number;
  }

  /**
   * The serial the next certificate of this (type code, authority USCC) takes, taken for it now: each call gets
   * its own, even at once (migration 0023). One whose issuance fails is skipped, never reused.
   */
  async nextLicenceSerial(typeCode: string, authorityCode: string): Promise<number> {
    // One statement, so two issuances never get the same serial (migration 0023); the row starts at 1.
    const row = await this.db.first<{ last: number }>(
      `INSERT INTO licence_serials (type_code, authority_code, last) VALUES (?, ?, 1)
       ON CONFLICT (type_code, authority_code) DO UPDATE SET last = last + 1 RETURNING last`,
      [typeCode, authorityCode],
    );
    if (!row) throw new Error('licence_serials: the upsert returned no row');
    return row.last;
  }

  /**
   * One page of the certificates these authorities issued in [fromInstant, toInstant), oldest first, after the
   * page ending at `after` (issue 19 item 4: the metadata export). Uses the (authority_code, issued_at) index.
   */
  async issuedBetween(authorityCodes: readonly string[], fromInstant: string, toInstant: string, limit: number, after?: { issuedAt: string; number: string }): Promise<Certificate[]> {
    if (authorityCodes.length === 0) return [];
    const rows = await this.db.all<CertificateRow>(
      `${SELECT} WHERE ${inJson('c.authority_code')} AND c.issued_at >= ? AND c.issued_at < ?
         AND (c.issued_at > ? OR (c.issued_at = ? AND c.number > ?))
       ORDER BY c.issued_at, c.number LIMIT ?`,
      [JSON.stringify(authorityCodes), fromInstant, toInstant, after?.issuedAt ?? '', after?.issuedAt ?? '', after?.number ?? '', limit],
    );
    return rows.map(fromRow);
  }

  async findIdempotent(scope: string, key: string): Promise<{ requestHash: string; number: string } | undefined> {
    const row = await this.db.first<{ request_hash: string; number: string }>(
      'SELECT request_hash, number FROM idempotency_keys WHERE scope = ? AND key = ?',
      [scope, key],
    );
    return row ? { requestHash: row.request_hash, number: row.number } : undefined;
  }

  /**
   * The photo, checked against its row (FileDamagedError when missing or altered); from the old column for a
   * certificate issued before migration 0015. `signedSha256` (the token's photoSha256): the bytes must be the
   * photo the authority signed — a row naming another file, or other bytes in the old column, is undefined —
   * and that one hash is the only check (the row's SHA-256 is then the signed one).
   * @example const photo = await certificates.photo('26K7Q2M9XHT', payload.photoSha256);
   */
  async photo(number: string, signedSha256?: string): Promise<{ bytes: Uint8Array; type: 'image/jpeg' | 'image/png' } | undefined> {
    const row = await this.db.first<{ photo_sha256: string | null; photo_length: number | null; photo_type: string | null }>(
      'SELECT photo_sha256, photo_length, photo_type FROM certificates WHERE number = ?',
      [number],
    );
    if (!row?.photo_type) return undefined;
    const type = row.photo_type as 'image/jpeg' | 'image/png';
    if (row.photo_sha256 !== null) {
      if (signedSha256 !== undefined && row.photo_sha256 !== signedSha256) return undefined; // swapped: not the signed photo
      return { bytes: await readChecked(this.blobs, { sha256: row.photo_sha256, length: row.photo_length ?? -1 }, PHOTO), type };
    }
    const legacy = await this.db.first<{ photo: Uint8Array | null }>('SELECT photo FROM certificates WHERE number = ?', [number]);
    if (!legacy?.photo) return undefined;
    const bytes = new Uint8Array(legacy.photo);
    return signedSha256 === undefined || (await sha256Hex(bytes)) === signedSha256 ? { bytes, type } : undefined;
  }

  /** The certificate's place in its authority's status lists (list and index), if it has one yet. */
  async statusPlace(number: string): Promise<{ list: number; index: number } | undefined> {
    const row = await this.db.first<{ status_list: number; status_index: number | null }>(
      'SELECT status_list, status_index FROM certificates WHERE number = ?',
      [number],
    );
    return row && row.status_index !== null ? { list: row.status_list, index: row.status_index } : undefined;
  }

  /** How many status lists the authority has opened (0 before its first place): one index lookup, asked on every list GET. */
  async statusListCount(authorityCode: string): Promise<number> {
    const row = await this.db.first<{ list: number | null }>('SELECT MAX(status_list) AS list FROM certificates WHERE authority_code = ? AND status_index IS NOT NULL', [authorityCode]);
    return row?.list ?? 0;
  }

  /** The authority's newest status list and how many places it has given out; undefined before the first place. */
  async newestStatusList(authorityCode: string): Promise<{ list: number; used: number } | undefined> {
    const row = await this.db.first<{ list: number | null; used: number }>(
      `SELECT MAX(status_list) AS list, COUNT(*) AS used FROM certificates
       WHERE authority_code = ? AND status_index IS NOT NULL
         AND status_list = (SELECT MAX(status_list) FROM certificates WHERE authority_code = ? AND status_index IS NOT NULL)`,
      [authorityCode, authorityCode],
    );
    return row?.list ? { list: row.list, used: row.used } : undefined;
  }

  /**
   * Gives the certificate place `index` of list `list` if it has no place yet, neither the index nor a
   * neighbour is taken in that list and the list holds fewer than `capacity` places — all checked in the same
   * statement, so racing requests can neither land next to each other nor overfill a list (a loser retries).
   */
  async claimStatusIndex(number: string, authorityCode: string, list: number, index: number, capacity: number): Promise<boolean> {
    const { changes } = await this.db.run(
      `UPDATE certificates SET status_list = ?, status_index = ?
       WHERE number = ? AND status_index IS NULL
         AND NOT EXISTS (SELECT 1 FROM certificates WHERE authority_code = ? AND status_list = ? AND status_index BETWEEN ? AND ?)
         AND (SELECT COUNT(*) FROM certificates WHERE authority_code = ? AND status_list = ? AND status_index IS NOT NULL) < ?`,
      [list, index, number, authorityCode, list, index - 1, index + 1, authorityCode, list, capacity],
    );
    return changes === 1;
  }

  /**
   * The places of an authority's certificates that are no longer valid in one of its status lists, each with its
   * state (issue 19 item 3) — read as certificateRows reads a row: revoked by its status, else cancelled, else
   * superseded. Both lists (revocation and message) are drawn from this one answer.
   */
  async endedStatusPlaces(authorityCode: string, list: number): Promise<{ index: number; state: 'superseded' | 'revoked' | 'cancelled' }[]> {
    const rows = await this.db.all<{ status_index: number; state: 'superseded' | 'revoked' | 'cancelled' }>(
      `SELECT status_index, CASE WHEN status = 'revoked' THEN 'revoked' WHEN cancelled_at IS NOT NULL THEN 'cancelled' ELSE 'superseded' END AS state
       FROM certificates WHERE authority_code = ? AND status_list = ? AND (status = 'revoked' OR cancelled_at IS NOT NULL OR superseded_by IS NOT NULL) AND status_index IS NOT NULL`,
      [authorityCode, list],
    );
    return rows.map((r) => ({ index: r.status_index, state: r.state }));
  }

  /** The places of an authority's revoked, cancelled or superseded certificates (each ends it for good, issue 19 item 3) in one of its status lists. */
  async revokedStatusIndexes(authorityCode: string, list: number): Promise<number[]> {
    return (await this.endedStatusPlaces(authorityCode, list)).map((p) => p.index);
  }

  /** The signed PDF, checked against its row (FileDamagedError when missing or altered); from certificate_pdfs for a certificate issued before migration 0015. */
  async pdf(number: string): Promise<Uint8Array | undefined> {
    const row = await this.db.first<{ pdf_sha256: string | null; pdf_length: number | null }>('SELECT pdf_sha256, pdf_length FROM certificates WHERE number = ?', [number]);
    if (!row) return undefined;
    if (row.pdf_sha256 !== null) return readChecked(this.blobs, { sha256: row.pdf_sha256, length: row.pdf_length ?? -1 }, PDF);
    const legacy = await this.db.first<{ pdf: Uint8Array }>('SELECT pdf FROM certificate_pdfs WHERE number = ?', [number]);
    return legacy ? new Uint8Array(legacy.pdf) : undefined;
  }

  /** Every file the certificates name (PDFs and photos), for `blobs check`: page by page, so it works on D1 too. */
  async *blobRefs(pageSize = 1000): AsyncGenerator<{ sha256: string; length: number; owner: string }> {
    for (let after = ''; ; ) {
      const rows = await this.db.all<{ number: string; pdf_sha256: string | null; pdf_length: number | null; photo_sha256: string | null; photo_length: number | null }>(
        'SELECT number, pdf_sha256, pdf_length, photo_sha256, photo_length FROM certificates WHERE number > ? ORDER BY number LIMIT ?',
        [after, pageSize],
      );
      for (const r of rows) {
        if (r.pdf_sha256 !== null) yield { sha256: r.pdf_sha256, length: r.pdf_length ?? -1, owner: `证书 / certificate ${r.number} PDF` };
        if (r.photo_sha256 !== null) yield { sha256: r.photo_sha256, length: r.photo_length ?? -1, owner: `证书 / certificate ${r.number} photo` };
      }
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.number;
    }
  }

  /**
   * Marks a valid certificate revoked, with any statements that must land with it (the ban of 四(一)) in the
   * same batch; false when it was not valid (already revoked, superseded by a correction, or absent).
   */
  async revoke(number: string, revocation: { at: string; reason: RevocationReason; note: string; by: string }, alongside: Statement[] = []): Promise<boolean> {
    const [update] = await this.db.batch([
      sql(
        `UPDATE certificates SET status = 'revoked', revoked_at = ?, revocation_reason = ?, revocation_note = ?, revoked_by = ?
         WHERE number = ? AND status = 'valid' AND superseded_by IS NULL AND cancelled_at IS NULL`,
        revocation.at, revocation.reason, revocation.note, revocation.by, number,
      ),
      ...alongside,
    ]);
    return update?.changes === 1;
  }

  /**
   * The statements that supersede `predecessor` by `successor` (issue 19 item 2), for the successor's insert batch:
   * the old row is marked 已变更 only if it is still valid, and the correction record reads the successor back from
   * that very row — NULL (a constraint failure, the whole batch undone) when it was revoked or corrected meanwhile.
   */
  supersedeStatements(predecessor: string, successor: string, at: string, reason: string, by: string): Statement[] {
    return [
      sql('UPDATE certificates SET superseded_at = ?, superseded_by = ? WHERE number = ? AND status = \'valid\' AND superseded_by IS NULL AND cancelled_at IS NULL', at, successor, predecessor),
      sql(
        `INSERT INTO certificate_corrections (predecessor, successor, at, reason, corrected_by)
         VALUES (?, (SELECT superseded_by FROM certificates WHERE number = ? AND status = 'valid' AND superseded_by = ?), ?, ?, ?)`,
        predecessor, predecessor, successor, at, reason, by,
      ),
    ];
  }

  /**
   * 关联证照标识 of many certificates at once (issue 19 items 2 and 4): for each of `numbers` that corrects an earlier
   * version, the identifiers of the versions before it, newest first (versions without an identifier skipped) —
   * one recursive query over the predecessor links for a whole page of the metadata export, not one read per link.
   */
  async earlierIdentifiers(numbers: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (numbers.length === 0) return out;
    const rows = await this.db.all<{ start: string; identifier: string }>(
      `WITH RECURSIVE chain(start, number, depth) AS (
         SELECT c.number, c.predecessor, 1 FROM certificates c WHERE ${inJson('c.number')} AND c.predecessor IS NOT NULL
         UNION ALL
         SELECT chain.start, p.predecessor, chain.depth + 1 FROM chain JOIN certificates p ON p.number = chain.number
         WHERE p.predecessor IS NOT NULL AND chain.depth < 1000
       )
       SELECT chain.start, p.identifier FROM chain JOIN certificates p ON p.number = chain.number
       WHERE p.identifier IS NOT NULL ORDER BY chain.start, chain.depth`,
      [JSON.stringify(numbers)],
    );
    for (const row of rows) {
      const list = out.get(row.start) ?? [];
      list.push(row.identifier);
      out.set(row.start, list);
    }
    return out;
  }

  /** The correction that made `successor` (why, when, by whom), if it is one (issue 19 item 2). */
  async correctionOf(successor: string): Promise<{ predecessor: string; at: string; reason: string; by: string } | undefined> {
    const row = await this.db.first<{ predecessor: string; at: string; reason: string; corrected_by: string }>(
      'SELECT predecessor, at, reason, corrected_by FROM certificate_corrections WHERE successor = ?',
      [successor],
    );
    return row ? { predecessor: row.predecessor, at: row.at, reason: row.reason, by: row.corrected_by } : undefined;
  }

  /**
   * Marks a valid (current, unrevoked) certificate 已注销 with `alongside` (its audit row) in the same batch; false
   * when it was not (issue 19 item 3).
   */
  async cancel(number: string, cancellation: NonNullable<Certificate['cancellation']>, alongside: Statement[] = []): Promise<boolean> {
    const [update] = await this.db.batch([
      sql(
        `UPDATE certificates SET cancelled_at = ?, cancellation_reason = ?, cancellation_note = ?, cancelled_by = ?
         WHERE number = ? AND status = 'valid' AND superseded_by IS NULL AND cancelled_at IS NULL`,
        cancellation.at, cancellation.reason, cancellation.note, cancellation.by, number,
      ),
      ...alongside,
    ]);
    return update?.changes === 1;
  }

  async count(): Promise<number> {
    const row = await this.db.first<{ n: number }>('SELECT COUNT(*) AS n FROM certificates');
    return row?.n ?? 0;
  }
}
