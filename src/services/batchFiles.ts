/**
 * @module services/batchFiles
 * The files of a batch issuance (issue 18 items 1–2): the sheet uploaded as CSV or .xlsx, the template and
 * errors.xlsx written back, the ZIP of photos. Libraries, chosen because they are pure JavaScript over
 * Uint8Array/Blob and so run unchanged on Node and on workerd (the edge e2e uploads, reads and writes through them):
 * - fflate (already ours): ZIP, read as a stream in small pieces so a bomb is stopped at the byte limit, not inflated;
 * - read-excel-file/universal (9.x, maintained, fflate + saxen, no Node streams or fs): reads .xlsx;
 * - write-excel-file/universal (4.x, same author, fflate only): writes .xlsx.
 * SheetJS `xlsx` on npm is stuck at 0.18.5 with published advisories; exceljs leans on Node streams.
 */
import { Unzip, UnzipInflate } from 'fflate';
import { readSheet } from 'read-excel-file/universal';
import writeXlsxFile, { type SheetData } from 'write-excel-file/universal';
import { DomainError } from '../domain/errors.js';
import { csvRows } from '../lib/csvRows.js';

/** Inflated bytes an .xlsx may hold: 20,000 rows of XML are some 30 MiB; a bomb stops here. */
export const XLSX_MAX_INFLATED = 100 * 1024 * 1024;

const damaged = (what: { zh: string; en: string }) => new DomainError('validation_failed', what, '(body)');

export interface ZipEntry {
  name: string;
  bytes: Uint8Array;
}

export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
  /** Entries to keep the bytes of; the rest are only counted. */
  keep: (name: string) => boolean;
}


/**
 * Reads a ZIP piece by piece (4 KiB of input at a time, so one push inflates at most a few MiB): an entry past
 * `maxEntryBytes`, past `maxTotalBytes` in all or past `maxEntries` files is refused whole (413), never inflated further.
 */
export function readZip(bytes: Uint8Array, limits: ZipLimits): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let count = 0;
  let total = 0;
  let refused: DomainError | undefined;
  const unzip = new Unzip((file) => {
    if (refused) return;
    if (++count > limits.maxEntries) {
      refused = new DomainError('body_too_large', { zh: `压缩包内文件超过 ${limits.maxEntries} 个`, en: `The ZIP holds more than ${limits.maxEntries} files` }, '(body)', { maxEntries: limits.maxEntries });
      return;
    }
    const keep = limits.keep(file.name);
    const pieces: Uint8Array[] = [];
    let size = 0;
    let stopped = false;
    file.ondata = (error, chunk, final) => {
      if (stopped || refused) return;
      if (error) {
        refused = damaged({ zh: `压缩包中的文件“${file.name.slice(0, 100)}”已损坏，无法解压`, en: `The ZIP's file "${file.name.slice(0, 100)}" is damaged and cannot be unpacked` });
        return;
      }
      size += chunk.length;
      total += chunk.length;
      if (total > limits.maxTotalBytes) {
        refused = new DomainError('body_too_large', { zh: `压缩包解压后超过 ${limits.maxTotalBytes / 1024 / 1024} MiB`, en: `The ZIP unpacks to more than ${limits.maxTotalBytes / 1024 / 1024} MiB` }, '(body)', { maxBytes: limits.maxTotalBytes });
        stopped = true;
        file.terminate();
        return;
      }
      if (size > limits.maxEntryBytes) {
        // A photo is at most 1 MiB (二(三)1(4)): a file past it is a mistake or a bomb, refused whole and named.
        refused = new DomainError('body_too_large', {
          zh: `压缩包中的文件“${file.name.slice(0, 100)}”解压后超过 ${limits.maxEntryBytes / 1024 / 1024} MiB`,
          en: `The ZIP's file "${file.name.slice(0, 100)}" unpacks to more than ${limits.maxEntryBytes / 1024 / 1024} MiB`,
        }, '(body)', { file: file.name.slice(0, 200), maxBytes: limits.maxEntryBytes });
        stopped = true;
        file.terminate();
        return;
      }
      if (keep) pieces.push(chunk);
      if (final && keep) {
        const whole = new Uint8Array(size);
        let at = 0;
        for (const piece of pieces) whole.set(piece, at), (at += piece.length);
        entries.push({ name: file.name, bytes: whole });
      }
    };
    try {
      file.start();
    } catch {
      refused = damaged({ zh: `压缩包中的文件“${file.name.slice(0, 100)}”的压缩方式无法识别`, en: `The ZIP's file "${file.name.slice(0, 100)}" uses an unknown compression` });
    }
  });
  unzip.register(UnzipInflate);
  const PIECE = 4096;
  try {
    for (let at = 0; at < bytes.length && !refused; at += PIECE) unzip.push(bytes.subarray(at, at + PIECE), at + PIECE >= bytes.length);
  } catch {
    refused ??= damaged({ zh: '压缩包已损坏或不是 ZIP 文件', en: 'The ZIP is damaged or is not a ZIP file' });
  }
  if (refused) throw refused;
  if (count === 0) throw damaged({ zh: '不是有效的 ZIP 压缩包（未找到任何文件）', en: 'Not a valid ZIP (no file found in it)' });
  return entries;
}

/** Decodes UTF-8 text, refusing anything else in words (Excel's "CSV" in China is often GBK). */
export function utf8Text(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DomainError('validation_failed', {
      zh: 'CSV 文件不是 UTF-8 编码（可能是 GBK）。请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”，或直接上传 .xlsx 文件',
      en: 'The CSV is not UTF-8 (perhaps GBK). In Excel use Save As → "CSV UTF-8 (Comma delimited)", or upload the .xlsx instead',
    }, '(body)');
  }
}

/** A cell as the text a clerk sees: a date cell as YYYY-MM-DD, a number without exponent. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value).toString() : String(value);
  return String(value);
}

/**
 * The rows of an uploaded sheet, header first, each as text; may be iterated more than once. A damaged .xlsx, a ZIP bomb in its clothes and a
 * non-UTF-8 CSV are refused in words (422 or 413), never a 500.
 */
export async function sheetRows(kind: 'csv' | 'xlsx', bytes: Uint8Array): Promise<Iterable<string[]>> {
  if (kind === 'csv') {
    const text = utf8Text(bytes);
    return { [Symbol.iterator]: () => csvRows(text) }; // read again from the start each time, one row at a time
  }
  // Count what it inflates to before the library unpacks it whole.
  readZip(bytes, { maxEntries: 1000, maxEntryBytes: XLSX_MAX_INFLATED, maxTotalBytes: XLSX_MAX_INFLATED, keep: () => false });
  let data: unknown[][];
  try {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    data = (await readSheet(buffer)) as unknown[][];
  } catch {
    throw damaged({ zh: '无法读取该 .xlsx 文件（已损坏或不是 Excel 工作簿）', en: 'This .xlsx cannot be read (damaged, or not an Excel workbook)' });
  }
  return data.map((row) => row.map(cellText));
}

/**
 * An .xlsx of these rows, every cell text (an 18-digit ID number must not become a number), the header bold.
 * @example await writeSheet([['姓名'], ['张三']], '批量发证')
 */
export async function writeSheet(rows: readonly (readonly string[])[], sheet: string, widths?: readonly number[]): Promise<Uint8Array<ArrayBuffer>> {
  const data: SheetData = rows.map((row, r) => row.map((value) => ({ value, type: String, format: '@', ...(r === 0 ? { fontWeight: 'bold' as const } : {}) })));
  const blob = await writeXlsxFile(data, { sheet, ...(widths ? { columns: widths.map((width) => ({ width })) } : {}) }).toBlob();
  return new Uint8Array(await blob.arrayBuffer());
}
