/**
 * @module storage/approvalForms
 * The kept approval form of each finished case (issue 16 item 3, migration 0019): the sealed PDF in the blob
 * store, the row its SHA-256 and length, checked on every read (storage/blobs.ts). The first form kept for a
 * case wins; a later `keep` of another one leaves the row as it was and answers the kept form.
 */
import { sql, type SqlDriver } from './driver.js';
import { noteRefused, readChecked, type BlobRef, type BlobStore } from './blobs.js';

const FORM = { zh: '审批表 PDF', en: 'approval form PDF' };

interface Row {
  pdf_sha256: string;
  pdf_length: number;
}

export class ApprovalFormRepository {
  /** The forms being made now in this process, by case. */
  private readonly making = new Map<string, Promise<Uint8Array>>();

  constructor(
    private readonly db: SqlDriver,
    private readonly blobs: BlobStore,
  ) {}

  /** The kept form of a case, checked against its row; undefined when none is kept yet. */
  async kept(applicationId: string): Promise<Uint8Array | undefined> {
    const row = await this.db.first<Row>('SELECT pdf_sha256, pdf_length FROM approval_forms WHERE application_id = ?', [applicationId]);
    return row ? readChecked(this.blobs, { sha256: row.pdf_sha256, length: row.pdf_length }, FORM) : undefined;
  }

  /**
   * Keeps `pdf` as the case's form unless one is kept already, and answers the form kept: the file is stored
   * first, then the row (INSERT OR IGNORE: of racing writers the first row stays, the others' files are orphans
   * for `blobs check`).
   * @example const form = await approvalForms.keep(caseId, sealedPdf, now.toISOString());
   */
  async keep(applicationId: string, pdf: Uint8Array, at: string): Promise<Uint8Array> {
    const ref: BlobRef = await this.blobs.put(pdf);
    try {
      await this.db.batch([sql('INSERT OR IGNORE INTO approval_forms (application_id, pdf_sha256, pdf_length, made_at) VALUES (?, ?, ?, ?)', applicationId, ref.sha256, ref.length, at)]);
    } catch (error) {
      noteRefused(this.blobs, [ref], error);
      throw error;
    }
    const kept = await this.kept(applicationId);
    if (!kept) throw new Error(`the approval form of ${applicationId} was kept but cannot be read back`);
    return kept;
  }

  /**
   * The kept form of a case, or the one `make` makes, kept: requests of this process for the same case wait for
   * one making (30 first requests at once make one form); another process racing it loses at the row.
   * @example const pdf = await approvalForms.keptOrMade(caseId, () => sealedForm(), () => now().toISOString());
   */
  async keptOrMade(applicationId: string, make: () => Promise<Uint8Array>, at: () => string): Promise<Uint8Array> {
    const pending = this.making.get(applicationId);
    if (pending) return pending;
    const kept = await this.kept(applicationId);
    if (kept) return kept;
    let making = this.making.get(applicationId); // another request may have started while the row was read
    if (!making) {
      making = make()
        .then((pdf) => this.keep(applicationId, pdf, at()))
        .finally(() => this.making.delete(applicationId));
      this.making.set(applicationId, making);
    }
    return making;
  }

  /** Every kept form's file, for `blobs check`: page by page, so it works on D1 too. */
  async *blobRefs(pageSize = 1000): AsyncGenerator<{ sha256: string; length: number; owner: string }> {
    for (let after = ''; ; ) {
      const rows = await this.db.all<Row & { application_id: string }>(
        'SELECT application_id, pdf_sha256, pdf_length FROM approval_forms WHERE application_id > ? ORDER BY application_id LIMIT ?',
        [after, pageSize],
      );
      for (const r of rows) yield { sha256: r.pdf_sha256, length: r.pdf_length, owner: `审批表 / approval form ${r.application_id}` };
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.application_id;
    }
  }
}
