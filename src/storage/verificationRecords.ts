/**
 * @module storage/verificationRecords
 * The 核实 log repository: verification records in one hash chain, their evidence files, the signed chain
 * heads and the idempotency keys of record creation. An append writes all of them in one batch (D1's unit
 * of transaction) through the chain writer (storage/chainWriter.ts): queued behind this process's other
 * chained writes, linked to the tip, signed when a head is due; another process that took the place first
 * makes the `seq` primary key refuse the batch, and the writer links it to the new tip and tries again.
 */
import {
  METHOD_DETAILS_KEY,
  type EvidenceRef,
  type MethodDetails,
  type VerificationMethod,
  type VerificationRecord,
  type VerificationResult,
} from '../domain/verificationRecord.js';
import { CANONICAL_FIELDS, canonicalValues, type CanonicalValue, type VerificationRecordDraft } from '../domain/recordChain.js';
import { sql, type SqlDriver, type SqlValue, type Statement } from './driver.js';
import { checked, isBlobName, noteRefused, type BlobStore } from './blobs.js';
import type { IdempotencyClaim } from './certificates.js';
import { readTip, RECORD_COLUMNS, type ChainTip, type LogHeadRow } from './chainLogs.js';
import type { ServiceDriver } from './chainWriter.js';

export { RECORD_COLUMNS } from './chainLogs.js';

/** Evidence bytes to store beside a record, addressed by their SHA-256 (hex). */
export interface EvidenceBlob {
  sha256: string;
  mediaType: EvidenceRef['mediaType'];
  bytes: Uint8Array;
}

export interface AppendOptions {
  idempotency?: IdempotencyClaim | undefined;
  /** Statements written in the same batch once the record is known (its audit row). */
  alongside?: ((record: VerificationRecord) => Statement[]) | undefined;
}

export interface VerificationRecordFilters {
  orgCode: string;
  holder?: string | undefined;
  idNumber?: string | undefined;
  result?: VerificationResult | undefined;
  method?: VerificationMethod | undefined;
  /** Inclusive China dates (YYYY-MM-DD) on the time of the check. */
  from?: string | undefined;
  to?: string | undefined;
  /** From 1. */
  page: number;
  pageSize: number;
}

export interface VerificationRecordListItem {
  record: VerificationRecord;
  /** The id of the record that corrects this one, if any. */
  supersededBy: string | undefined;
}

/** A stored record exactly as its columns hold it (what `log check` re-hashes). */
export interface VerificationRecordRow {
  seq: number;
  id: string;
  org_code: string;
  holder_name: string;
  id_number: string;
  title_name: string;
  evaluating_body: string;
  acquired_on: string;
  certificate_number: string | null;
  method: string;
  details: string;
  checked_at: string;
  result: string;
  record: string;
  handler_name: string;
  recorded_on: string;
  created_at: string;
  written_by: string;
  supersedes_id: string | null;
  supersede_reason: string | null;
  application_id: string | null;
  prev_hash: string;
  hash: string;
}

/** The column that holds each canonical field, by position in RECORD_COLUMNS (which lists them in CANONICAL_FIELDS order). */
const COLUMN_OF = Object.fromEntries(CANONICAL_FIELDS.map((field, i) => [field, RECORD_COLUMNS[i]!])) as Record<(typeof CANONICAL_FIELDS)[number], keyof VerificationRecordRow>;

/** The canonical values of a stored row, as they were hashed (domain canonicalText). */
export function canonicalValuesOfRow(row: VerificationRecordRow): CanonicalValue[] {
  return CANONICAL_FIELDS.map((field) => row[COLUMN_OF[field]]);
}

const COLUMNS = RECORD_COLUMNS.map((c) => `r.${c}`).join(', ');
const SELECT = `SELECT ${COLUMNS} FROM verification_records r`;

const EVIDENCE = { zh: '证明材料', en: 'evidence file' };

/**
 * A record from its columns (the details column parsed back into the method's details).
 */
export function recordFromRow(row: VerificationRecordRow): VerificationRecord {
  const method = row.method as VerificationMethod;
  const key = (METHOD_DETAILS_KEY as Record<string, string>)[method] ?? method;
  return {
    seq: row.seq,
    id: row.id,
    orgCode: row.org_code,
    subject: {
      holderName: row.holder_name,
      idNumber: row.id_number,
      titleName: row.title_name,
      evaluatingBody: row.evaluating_body,
      acquiredOn: row.acquired_on,
      certificateNumber: row.certificate_number ?? undefined,
    },
    details: { method, [key]: JSON.parse(row.details) as unknown } as MethodDetails,
    checkedAt: row.checked_at,
    result: row.result as VerificationResult,
    record: row.record,
    handler: { name: row.handler_name },
    recordedOn: row.recorded_on,
    createdAt: row.created_at,
    writtenBy: row.written_by,
    supersedes: row.supersedes_id !== null ? { id: row.supersedes_id, reason: row.supersede_reason ?? '' } : undefined,
    applicationId: row.application_id ?? undefined,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** The evidence a record's details point at (a screenshot or a reply scan), if any. */
export function evidenceOf(details: MethodDetails): EvidenceRef | undefined {
  if (details.method === 'information_system') return details.informationSystem.evidence;
  if (details.method === 'letter') return details.letter.evidence;
  return undefined;
}

// The stored values are the hashed values: both come from canonicalValues.
function insertRecord(r: VerificationRecord): Statement {
  return sql(
    `INSERT INTO verification_records (${RECORD_COLUMNS.join(', ')}) VALUES (${RECORD_COLUMNS.map(() => '?').join(', ')})`,
    ...canonicalValues(r),
    r.hash,
  );
}

/** The rows that name files by content (evidence of the 核实 log, materials of an application); a file named before is skipped. */
function evidenceRows(evidence: readonly { sha256: string; mediaType: string; length: number }[]): Statement[] {
  // The same file attached to two records is one row: content-addressed, written once.
  return evidence.map((blob) => sql('INSERT OR IGNORE INTO verification_evidence (sha256, media_type, size) VALUES (?, ?, ?)', blob.sha256, blob.mediaType, blob.length));
}

export class VerificationRecordRepository {
  /** `blobs`: where the evidence and materials are kept (issue 15) — required, so a forgotten argument never keeps files in memory. */
  constructor(
    private readonly db: SqlDriver,
    private readonly blobs: BlobStore,
  ) {}

  /**
   * Stores files by content in the blob store — durably, before the row that names them is written — and
   * returns the statements that record them (SHA-256, type, size), for the caller's batch. Used for the 核实
   * log's evidence and for application materials. A batch that then fails leaves an orphan for `blobs check`.
   * @example const statements = await repo.storeFiles([{ sha256, mediaType: 'image/png', bytes }]);
   */
  async storeFiles(files: readonly EvidenceBlob[]): Promise<Statement[]> {
    const stored = await Promise.all(
      files.map(async (file) => {
        // The caller hashed the file to name it (the 核实 evidence, a material): hashed once, the digest passed along.
        const ref = await this.blobs.put(file.bytes, file.sha256);
        return { ...ref, mediaType: file.mediaType };
      }),
    );
    return evidenceRows(stored);
  }

  /** The newest record's place and hash, and the time of the record of the newest head (the writer's tip). */
  tip(): Promise<ChainTip> {
    return readTip(this.db, 'verification');
  }

  /**
   * Links `draft` to the tip of the chain and writes it with its evidence, its idempotency key, what
   * `alongside` adds and (when one is due) a signed head, all or nothing. Another process taking the place
   * first is retried by the chain writer; any other constraint failure (a reused idempotency key, a record
   * already superseded) is thrown as ConstraintError for the caller to explain.
   * @example
   * const record = await repo.append(draft, []);
   */
  async append(draft: VerificationRecordDraft, evidence: readonly EvidenceBlob[], options: AppendOptions = {}): Promise<VerificationRecord> {
    const writer = (this.db as Partial<ServiceDriver>).chain;
    if (!writer) throw new Error('the 核实 log is written through the chain writer: open the repository on a ServiceDriver (storage/chainWriter.ts)');
    const fixed = await this.storeFiles(evidence);
    const written = writer.write(async (place) => {
      const placed = await place({
        log: 'verification',
        at: draft.createdAt,
        canonical: (seq, prevHash) => canonicalValues({ ...draft, seq, prevHash }),
        insert: (seq, prevHash, hash) => insertRecord({ ...draft, seq, prevHash, hash }),
      });
      const record: VerificationRecord = { ...draft, seq: placed.seq, prevHash: placed.prevHash, hash: placed.hash };
      const statements = [...fixed, placed.statement, ...(options.alongside?.(record) ?? [])];
      if (options.idempotency) {
        const { scope, key, requestHash } = options.idempotency;
        statements.push(
          sql('INSERT INTO verification_idempotency_keys (scope, key, request_hash, record_id, created_at) VALUES (?, ?, ?, ?, ?)', scope, key, requestHash, record.id, record.createdAt),
        );
      }
      return { statements, result: record };
    });
    const { result } = await written.catch((error: unknown) => {
      this.noteRefused(evidence.map((e) => e.bytes), error);
      throw error;
    });
    return result;
  }

  /**
   * The database refused, for lack of space, the batch naming `files` (stored by storeFiles): the files took the
   * room the rows then lacked, so /healthz stays not ready until as much fits again (C12). Any other error: nothing.
   */
  noteRefused(files: readonly { length: number }[], error: unknown): void {
    noteRefused(this.blobs, files, error);
  }

  async get(id: string): Promise<VerificationRecord | undefined> {
    const row = await this.db.first<VerificationRecordRow>(`${SELECT} WHERE r.id = ?`, [id]);
    return row ? recordFromRow(row) : undefined;
  }

  /** The record that corrects `id`, if one does (a record is superseded at most once). */
  async supersededBy(id: string): Promise<VerificationRecord | undefined> {
    const row = await this.db.first<VerificationRecordRow>(`${SELECT} WHERE r.supersedes_id = ?`, [id]);
    return row ? recordFromRow(row) : undefined;
  }

  /** One organisation's records, newest first, with the filters of the list page. */
  async list(filters: VerificationRecordFilters): Promise<{ items: VerificationRecordListItem[]; total: number }> {
    const where: string[] = ['r.org_code = ?'];
    const params: SqlValue[] = [filters.orgCode];
    const add = (clause: string, value: SqlValue) => {
      where.push(clause);
      params.push(value);
    };
    if (filters.holder) add('r.holder_name = ?', filters.holder);
    if (filters.idNumber) add('r.id_number = ?', filters.idNumber);
    if (filters.result) add('r.result = ?', filters.result);
    if (filters.method) add('r.method = ?', filters.method);
    // checked_at is always China time to the second, so whole days compare as text; T24:00 is the day's end.
    if (filters.from) add('r.checked_at >= ?', `${filters.from}T00:00:00+08:00`);
    if (filters.to) add('r.checked_at < ?', `${filters.to}T24:00:00+08:00`);
    const condition = where.join(' AND ');
    const rows = await this.db.all<VerificationRecordRow & { superseded_by: string | null }>(
      `SELECT ${COLUMNS}, s.id AS superseded_by FROM verification_records r
       LEFT JOIN verification_records s ON s.supersedes_id = r.id
       WHERE ${condition} ORDER BY r.seq DESC LIMIT ? OFFSET ?`,
      [...params, filters.pageSize, (filters.page - 1) * filters.pageSize],
    );
    const count = await this.db.first<{ n: number }>(`SELECT COUNT(*) AS n FROM verification_records r WHERE ${condition}`, params);
    return {
      items: rows.map((row) => ({ record: recordFromRow(row), supersededBy: row.superseded_by ?? undefined })),
      total: count?.n ?? 0,
    };
  }

  /**
   * An evidence file's bytes and type, checked against its row's SHA-256 and size: from the blob store, or
   * reassembled from its parts when stored before migration 0015. Missing or altered: FileDamagedError.
   */
  async evidence(sha256: string): Promise<{ mediaType: EvidenceRef['mediaType']; bytes: Uint8Array } | undefined> {
    const head = await this.db.first<{ media_type: string; size: number }>('SELECT media_type, size FROM verification_evidence WHERE sha256 = ?', [sha256]);
    if (!head) return undefined;
    const stored = (isBlobName(sha256) ? await this.blobs.get(sha256) : undefined) ?? joinParts(await this.legacyParts(sha256));
    return { mediaType: head.media_type as EvidenceRef['mediaType'], bytes: await checked(stored, { sha256, length: head.size }, EVIDENCE) };
  }

  async findIdempotent(scope: string, key: string): Promise<{ requestHash: string; recordId: string } | undefined> {
    const row = await this.db.first<{ request_hash: string; record_id: string }>(
      'SELECT request_hash, record_id FROM verification_idempotency_keys WHERE scope = ? AND key = ?',
      [scope, key],
    );
    return row ? { requestHash: row.request_hash, recordId: row.record_id } : undefined;
  }

  /** Up to `limit` stored rows after `afterSeq`, in chain order: how the whole log is walked page by page. */
  async rowsAfter(afterSeq: number, limit: number): Promise<VerificationRecordRow[]> {
    return this.db.all<VerificationRecordRow>(`${SELECT} WHERE r.seq > ? ORDER BY r.seq LIMIT ?`, [afterSeq, limit]);
  }

  /** Every stored row in chain order, page by page (so it works on D1 as on SQLite): what `log check` walks. */
  async *rowsInChainOrder(pageSize = 1000): AsyncGenerator<VerificationRecordRow> {
    for (let after = 0; ; ) {
      const rows = await this.rowsAfter(after, pageSize);
      yield* rows;
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.seq;
    }
  }

  /** Every record in chain order. */
  async *inChainOrder(pageSize = 1000): AsyncGenerator<VerificationRecord> {
    for await (const row of this.rowsInChainOrder(pageSize)) yield recordFromRow(row);
  }

  /** Every signed head, in chain order. */
  async heads(): Promise<LogHeadRow[]> {
    return this.db.all<LogHeadRow>('SELECT seq, hash, count, signed_at, kid, jws FROM verification_log_heads ORDER BY seq');
  }

  /**
   * An evidence file's stored facts and bytes, unchecked (for `log check`, which checks them): the blob
   * store's file as one part, or the parts of a file stored before migration 0015; no parts when missing.
   */
  async evidenceParts(sha256: string): Promise<{ mediaType: string; size: number; parts: Uint8Array[] } | undefined> {
    const head = await this.db.first<{ media_type: string; size: number }>('SELECT media_type, size FROM verification_evidence WHERE sha256 = ?', [sha256]);
    if (!head) return undefined;
    const blob = await this.blobs.get(sha256);
    return { mediaType: head.media_type, size: head.size, parts: blob ? [blob] : await this.legacyParts(sha256) };
  }

  /** Every file the evidence rows name (evidence and materials), for `blobs check`; page by page. */
  async *blobRefs(pageSize = 1000): AsyncGenerator<{ sha256: string; length: number; owner: string; legacy: boolean }> {
    for (let after = ''; ; ) {
      const rows = await this.db.all<{ sha256: string; size: number; legacy: number }>(
        `SELECT e.sha256, e.size, EXISTS (SELECT 1 FROM verification_evidence_parts p WHERE p.sha256 = e.sha256) AS legacy
         FROM verification_evidence e WHERE e.sha256 > ? ORDER BY e.sha256 LIMIT ?`,
        [after, pageSize],
      );
      for (const r of rows) yield { sha256: r.sha256, length: r.size, owner: '证明材料或申报材料 / evidence or application material', legacy: r.legacy === 1 };
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.sha256;
    }
  }

  /** The parts of a file stored in the database before migration 0015 (none for a newer file). */
  private async legacyParts(sha256: string): Promise<Uint8Array[]> {
    const parts = await this.db.all<{ bytes: Uint8Array }>('SELECT bytes FROM verification_evidence_parts WHERE sha256 = ? ORDER BY part', [sha256]);
    return parts.map((p) => new Uint8Array(p.bytes));
  }

  async count(): Promise<number> {
    return (await this.tip()).seq;
  }
}

/** The parts as one file; undefined when there are none (the file is missing). */
function joinParts(parts: readonly Uint8Array[]): Uint8Array | undefined {
  if (parts.length === 0) return undefined;
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

