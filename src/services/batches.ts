/**
 * @module services/batches
 * Batch issuance (issue 18 items 1–2): an issuer uploads an evaluation round's sheet, every row is checked by the
 * single issuance's own checks (its request schema, handed in by the HTTP layer, then services/issueCertificate
 * checkIssueFacts) with the same messages, the rows and their errors are stored, photos arrive in a ZIP named
 * by ID number, and errors.xlsx gives the failing rows back with an error column to fix and upload again.
 * A batch is its issuing authority's: only that authority's issuers (二(二)4) see or touch it; to anyone else
 * it does not exist (404), as a certificate of another authority.
 */
import { BATCH_COLUMNS, BATCH_MAX_CELL, BATCH_MAX_ROWS, ERROR_COLUMN_LABEL, columnsOf, isBlankRow, isPathRow, requestOf } from '../domain/batchSheet.js';
import { checkDecisionBasis } from '../domain/certificateBasis.js';
import { chinaDate } from '../domain/chineseDate.js';
import { DomainError, type Message } from '../domain/errors.js';
import { inspectPhoto, PHOTO_MAX_BYTES } from '../domain/photo.js';
import { bytesToBase64 } from '../lib/base64.js';
import { hex, randomBytes } from '../lib/bytes.js';
import type { RowError, StoredBatch, StoredBatchRow } from '../storage/batches.js';
import type { Statement } from '../storage/driver.js';
import { auditOf } from './audit.js';
import { readZip, sheetRows, writeSheet } from './batchFiles.js';
import type { Actor, ServiceContext } from './context.js';
import { checkIssueFacts, issuingSigner, type IssueRequest } from './issueCertificate.js';

/** The single issuance's request schema, as the HTTP layer checks a body: the value, or every failing field. */
export type ShapeCheck = (body: unknown) => { ok: true; value: IssueRequest } | { ok: false; errors: RowError[] };

/** Rows written per database batch: a few hundred KiB, well inside D1's limits. */
const ROWS_PER_WRITE = 100;
/** Error rows a GET lists; errors.xlsx has them all. */
export const BATCH_ERRORS_LISTED = 1000;
/** Photos in one ZIP, and what they may unpack to (each photo at most 1 MiB, 二(三)1(4)). */
export const ZIP_MAX_ENTRIES = 5000;
export const ZIP_MAX_INFLATED = 64 * 1024 * 1024;

export interface BatchView {
  id: string;
  status: StoredBatch['status'];
  source: StoredBatch['source'];
  createdAt: string;
  total: number;
  valid: number;
  issued: number;
  failed: number;
  errors: { row: number; field: string; message: Message }[];
  /** More rows failed than `errors` lists (BATCH_ERRORS_LISTED): errors.xlsx has them all. */
  errorsTruncated: boolean;
}

const tooManyRows = () =>
  new DomainError('body_too_large', { zh: `一个批次最多 ${BATCH_MAX_ROWS} 行，请分成几个批次上传`, en: `A batch holds at most ${BATCH_MAX_ROWS} rows; split it into several batches` }, '(body)', { maxRows: BATCH_MAX_ROWS });

const newBatchId = (today: string) => `BT${today.replaceAll('-', '')}-${hex(randomBytes(8))}`;

/** A batch this issuer may see: their own authority's, else absent. */
async function ownBatch(ctx: ServiceContext, actor: Actor, id: string): Promise<StoredBatch> {
  const batch = /^BT\d{8}-[0-9a-f]{16}$/.test(id) ? await ctx.batches.find(id) : undefined;
  if (!batch || batch.orgCode !== actor.orgCode) {
    throw new DomainError('not_found', { zh: `没有编号为 ${id.slice(0, 40)} 的批次`, en: `No batch ${id.slice(0, 40)}` });
  }
  return batch;
}

/**
 * One row's errors by the single issuance's checks: the schema's (every failing field), else the first rule it
 * breaks (checkIssueFacts names the field). A row without its photo yet fails as a single issuance without one.
 */
async function rowErrors(ctx: ServiceContext, actor: Actor, columns: readonly string[], cells: readonly string[], photo: { bytes: Uint8Array; type: string } | undefined, check: ShapeCheck, now: Date): Promise<RowError[]> {
  const body = requestOf(columns, cells);
  if (photo) (body.holder ??= {}).photo = `data:${photo.type};base64,${bytesToBase64(photo.bytes)}`;
  const shape = check(body);
  if (!shape.ok) return shape.errors;
  const today = chinaDate(now);
  try {
    const request = shape.value;
    await checkIssueFacts(ctx, actor, request, async () => checkDecisionBasis('decisionNumber' in request.basis ? request.basis : undefined, today), now);
    return [];
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return [{ field: error.field ?? '(row)', message: { zh: error.zh, en: error.en } }];
  }
}

/**
 * Stores an uploaded sheet as a batch and checks every row; returns its id. The sheet is read row by row and
 * written 100 rows at a time; the upload is audited.
 * @example const { id } = await uploadBatch(ctx, actor, { kind: 'csv', bytes }, check);
 */
export async function uploadBatch(ctx: ServiceContext, actor: Actor, sheet: { kind: 'csv' | 'xlsx'; bytes: Uint8Array }, check: ShapeCheck): Promise<{ id: string }> {
  const now = ctx.now();
  issuingSigner(await ctx.trust(), actor.orgCode, now); // a unit or a lapsed key is refused before a row is read
  const sheetData = await sheetRows(sheet.kind, sheet.bytes);
  const rows = sheetData[Symbol.iterator]();
  const first = rows.next();
  const header = first.done ? [] : first.value.map((cell) => cell.trim());
  const columns = columnsOf(header);
  // Counted first (a cheap pass), so an oversized sheet is refused before a row is checked or written.
  let dataRows = 0;
  let seenHeader = false;
  for (const cells of sheetData) {
    if (!seenHeader) seenHeader = true;
    else if (!isBlankRow(cells) && !isPathRow(columns, cells) && ++dataRows > BATCH_MAX_ROWS) throw tooManyRows();
  }
  const at = now.toISOString();
  const id = newBatchId(chinaDate(now));
  let pending: Statement[] = [ctx.batches.createStatement({ id, orgCode: actor.orgCode, createdBy: actor.personId, createdAt: at, status: 'validated', source: sheet.kind, header, columns })];
  let count = 0;
  let rowNo = 1;
  for (let next = rows.next(); !next.done; next = rows.next()) {
    rowNo++;
    const cells = next.value.slice(0, header.length).map((cell) => cell.slice(0, BATCH_MAX_CELL));
    if (isBlankRow(cells) || isPathRow(columns, cells)) continue;
    count++;
    const idCell = columns.indexOf('holder.idNumber');
    const idNumber = idCell >= 0 ? cells[idCell]?.trim().toUpperCase() || undefined : undefined;
    const row: StoredBatchRow = { rowNo, cells, idNumber, errors: await rowErrors(ctx, actor, columns, cells, undefined, check, now) };
    pending.push(ctx.batches.rowStatement(id, row));
    if (pending.length >= ROWS_PER_WRITE) {
      await ctx.db.batch(pending);
      pending = [];
    }
  }
  if (count === 0) {
    // Nothing was written yet: the batch's own row waits in `pending` with the first rows.
    throw new DomainError('validation_failed', { zh: '表格中没有数据行（第一行为表头）', en: 'The sheet has no data rows (the first row is the header)' }, '(body)');
  }
  pending.push(ctx.batches.countStatement(id));
  const stored = { source: sheet.kind, rows: count };
  pending.push(ctx.audit.statement(auditOf(actor, at, 'batch.upload', `batch:${id}`, stored)));
  await ctx.db.batch(pending);
  return { id };
}

/** @example const view = await batchStatus(ctx, actor, 'BT20261208-…'); */
export async function batchStatus(ctx: ServiceContext, actor: Actor, id: string): Promise<BatchView> {
  const batch = await ownBatch(ctx, actor, id);
  const errors: BatchView['errors'] = [];
  let listed = 0;
  for (const row of await ctx.batches.rows(id, 0, BATCH_ERRORS_LISTED, true)) {
    listed++;
    for (const e of row.errors) errors.push({ row: row.rowNo, field: e.field, message: e.message });
  }
  return {
    id: batch.id,
    status: batch.status,
    source: batch.source,
    createdAt: batch.createdAt,
    total: batch.total,
    valid: batch.valid,
    issued: batch.issued,
    failed: batch.failed,
    errors,
    errorsTruncated: batch.failed > listed,
  };
}

/** The template: the Chinese labels, then a row of the field paths (skipped on upload), every cell text. */
export function batchTemplate(): Promise<Uint8Array<ArrayBuffer>> {
  return writeSheet([BATCH_COLUMNS.map((c) => c.label.zh), BATCH_COLUMNS.map((c) => c.path)], '批量发证', BATCH_COLUMNS.map(() => 18));
}

/** The failing rows as uploaded with the error column first, to fix and upload again (the error column is then ignored). */
export async function batchErrorsSheet(ctx: ServiceContext, actor: Actor, id: string): Promise<Uint8Array<ArrayBuffer>> {
  const batch = await ownBatch(ctx, actor, id);
  const kept = batch.header.map((_, i) => i).filter((i) => batch.columns[i] !== '');
  const sheet: string[][] = [[`${ERROR_COLUMN_LABEL.zh} ${ERROR_COLUMN_LABEL.en}`, ...kept.map((i) => batch.header[i]!)]];
  for (let after = 0; ; ) {
    const page = await ctx.batches.rows(id, after, 500, true);
    for (const row of page) {
      const said = row.errors.map((e) => `第${row.rowNo}行 ${e.field}：${e.message.zh}`).join('\n');
      sheet.push([said, ...kept.map((i) => row.cells[i] ?? '')]);
    }
    if (page.length < 500) break;
    after = page[page.length - 1]!.rowNo;
  }
  return writeSheet(sheet, '待修改', [60, ...kept.map(() => 18)]);
}

export interface PhotoOutcome {
  attached: number;
  /** Files named by an ID number no row bears. */
  unmatched: string[];
  /** Files refused, with the single issuance's photo message. */
  rejected: { file: string; message: Message }[];
  valid: number;
  failed: number;
}

/**
 * Attaches a ZIP's photos (`450102198005120019.jpg`) to the rows of that ID number, each checked as a single
 * issuance's photo (二(三)1(4)), and checks those rows again. Audited.
 */
export async function attachBatchPhotos(ctx: ServiceContext, actor: Actor, id: string, zip: Uint8Array, check: ShapeCheck): Promise<PhotoOutcome> {
  const batch = await ownBatch(ctx, actor, id);
  const now = ctx.now();
  const isPhoto = (name: string) => /^(?:.*\/)?[^/.][^/]*\.(?:jpe?g|png)$/i.test(name) && !name.startsWith('__MACOSX/');
  const entries = readZip(zip, { maxEntries: ZIP_MAX_ENTRIES, maxEntryBytes: PHOTO_MAX_BYTES, maxTotalBytes: ZIP_MAX_INFLATED, keep: isPhoto });
  const outcome: PhotoOutcome = { attached: 0, unmatched: [], rejected: [], valid: 0, failed: 0 };
  let pending: Statement[] = [];
  for (const entry of entries) {
    const base = entry.name.slice(entry.name.lastIndexOf('/') + 1);
    const idNumber = base.replace(/\.(?:jpe?g|png)$/i, '').trim().toUpperCase();
    const rows = await ctx.batches.rowsByIdNumber(id, idNumber);
    if (rows.length === 0) {
      outcome.unmatched.push(entry.name);
      continue;
    }
    let type: string;
    try {
      type = inspectPhoto(entry.bytes, 'holder.photo').type;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      outcome.rejected.push({ file: entry.name, message: { zh: error.zh, en: error.en } });
      continue;
    }
    const photo = { bytes: entry.bytes, type };
    for (const row of rows) {
      const errors = await rowErrors(ctx, actor, batch.columns, row.cells, photo, check, now);
      pending.push(ctx.batches.photoStatement(id, row.rowNo, photo, errors));
      outcome.attached++;
    }
    // Photos are up to 1 MiB each: a few per write.
    if (pending.length >= 8) {
      await ctx.db.batch(pending);
      pending = [];
    }
  }
  pending.push(ctx.batches.countStatement(id));
  pending.push(ctx.audit.statement(auditOf(actor, now.toISOString(), 'batch.photos', `batch:${id}`, { attached: outcome.attached, unmatched: outcome.unmatched.length, rejected: outcome.rejected.length })));
  await ctx.db.batch(pending);
  const after = await ownBatch(ctx, actor, id);
  return { ...outcome, valid: after.valid, failed: after.failed };
}
