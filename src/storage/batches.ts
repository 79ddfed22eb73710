/**
 * @module storage/batches
 * Batch issuance (issue 18 items 1–2): a batch and its rows as uploaded, with each row's errors and photo.
 * Rows are written and read in pages, so no step holds a whole 20,000-row batch.
 */
import { sql, type SqlDriver, type Statement } from './driver.js';

export interface RowError {
  field: string;
  message: { zh: string; en: string };
}

export interface StoredBatch {
  id: string;
  orgCode: string;
  createdBy: string;
  createdAt: string;
  status: 'validated';
  source: 'csv' | 'xlsx';
  header: string[];
  columns: string[];
  total: number;
  valid: number;
  issued: number;
  failed: number;
}

export interface StoredBatchRow {
  rowNo: number;
  cells: string[];
  idNumber: string | undefined;
  errors: RowError[];
  photo?: { bytes: Uint8Array; type: string } | undefined;
}

interface BatchRecord {
  id: string;
  org_code: string;
  created_by: string;
  created_at: string;
  status: 'validated';
  source: 'csv' | 'xlsx';
  header: string;
  columns: string;
  total: number;
  valid: number;
  issued: number;
  failed: number;
}

interface RowRecord {
  row_no: number;
  cells: string;
  id_number: string | null;
  errors: string;
  photo?: Uint8Array | ArrayBuffer | number[] | null;
  photo_type?: string | null;
}

function bytesOf(value: Uint8Array | ArrayBuffer | number[]): Uint8Array {
  return value instanceof Uint8Array ? value : value instanceof ArrayBuffer ? new Uint8Array(value) : Uint8Array.from(value);
}

function rowOf(r: RowRecord): StoredBatchRow {
  return {
    rowNo: r.row_no,
    cells: JSON.parse(r.cells) as string[],
    idNumber: r.id_number ?? undefined,
    errors: JSON.parse(r.errors) as RowError[],
    ...(r.photo && r.photo_type ? { photo: { bytes: bytesOf(r.photo), type: r.photo_type } } : {}),
  };
}

export class BatchRepository {
  constructor(private readonly db: SqlDriver) {}

  /** The batch's own row, counted afterwards by `countStatement`. */
  createStatement(b: Omit<StoredBatch, 'total' | 'valid' | 'issued' | 'failed'>): Statement {
    return sql(
      'INSERT INTO batches (id, org_code, created_by, created_at, status, source, header, columns) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      b.id, b.orgCode, b.createdBy, b.createdAt, b.status, b.source, JSON.stringify(b.header), JSON.stringify(b.columns),
    );
  }

  rowStatement(batchId: string, row: StoredBatchRow): Statement {
    return sql(
      'INSERT INTO batch_rows (batch_id, row_no, cells, id_number, errors) VALUES (?, ?, ?, ?, ?)',
      batchId, row.rowNo, JSON.stringify(row.cells), row.idNumber ?? null, JSON.stringify(row.errors),
    );
  }

  /** A row's photo and its errors after checking it again. */
  photoStatement(batchId: string, rowNo: number, photo: { bytes: Uint8Array; type: string }, errors: readonly RowError[]): Statement {
    return sql('UPDATE batch_rows SET photo = ?, photo_type = ?, errors = ? WHERE batch_id = ? AND row_no = ?', photo.bytes, photo.type, JSON.stringify(errors), batchId, rowNo);
  }

  /** Sets the batch's counts from its rows. */
  countStatement(batchId: string): Statement {
    return sql(
      `UPDATE batches SET
         total = (SELECT COUNT(*) FROM batch_rows WHERE batch_id = ?),
         valid = (SELECT COUNT(*) FROM batch_rows WHERE batch_id = ? AND errors = '[]'),
         failed = (SELECT COUNT(*) FROM batch_rows WHERE batch_id = ? AND errors <> '[]')
       WHERE id = ?`,
      batchId, batchId, batchId, batchId,
    );
  }

  async find(id: string): Promise<StoredBatch | undefined> {
    const r = await this.db.first<BatchRecord>('SELECT * FROM batches WHERE id = ?', [id]);
    return r && {
      id: r.id, orgCode: r.org_code, createdBy: r.created_by, createdAt: r.created_at, status: r.status, source: r.source,
      header: JSON.parse(r.header) as string[], columns: JSON.parse(r.columns) as string[], total: r.total, valid: r.valid, issued: r.issued, failed: r.failed,
    };
  }

  /** Rows after `afterRow`, in sheet order, without their photos; only those with errors when `withErrors`. */
  async rows(batchId: string, afterRow: number, limit: number, withErrors = false): Promise<StoredBatchRow[]> {
    const rows = await this.db.all<RowRecord>(
      `SELECT row_no, cells, id_number, errors FROM batch_rows WHERE batch_id = ? AND row_no > ?${withErrors ? " AND errors <> '[]'" : ''} ORDER BY row_no LIMIT ?`,
      [batchId, afterRow, limit],
    );
    return rows.map(rowOf);
  }

  /** The rows bearing this ID number (a photo's file name), without their photos. */
  async rowsByIdNumber(batchId: string, idNumber: string): Promise<StoredBatchRow[]> {
    const rows = await this.db.all<RowRecord>('SELECT row_no, cells, id_number, errors FROM batch_rows WHERE batch_id = ? AND id_number = ? ORDER BY row_no', [batchId, idNumber]);
    return rows.map(rowOf);
  }
}
