/**
 * PDFs built object by object for the active-content tests (issue 12 B10): plain objects, objects packed
 * into compressed object streams, a cross-reference table that points at them — small, but read by real
 * tools (qpdf --check accepts them).
 */
import { deflateSync } from 'node:zlib';

/** One object: its number and its body (a dictionary, an array, or a dictionary with `stream`). */
export interface PdfObject {
  num: number;
  body: string | Uint8Array;
}

const enc = (text: string) => Buffer.from(text, 'latin1');

/** A stream object's body: the dictionary (without /Length) and the data. */
export function stream(dictionary: string, data: Uint8Array | string): Uint8Array {
  const bytes = typeof data === 'string' ? enc(data) : Buffer.from(data);
  return Buffer.concat([enc(`<< ${dictionary} /Length ${bytes.length} >>\nstream\n`), bytes, enc('\nendstream')]);
}

/** An object stream holding `objects` (§7.5.7), compressed with FlateDecode unless `filter` says otherwise. */
export function objectStream(objects: { num: number; body: string }[], options: { filter?: string | null; extra?: string; data?: (raw: Uint8Array) => Uint8Array } = {}): Uint8Array {
  let offsets = '';
  let content = '';
  for (const o of objects) {
    offsets += `${o.num} ${content.length} `;
    content += `${o.body}\n`;
  }
  const raw = enc(offsets + content);
  const filter = options.filter === undefined ? 'FlateDecode' : options.filter;
  const data = options.data ? options.data(raw) : filter === 'FlateDecode' ? deflateSync(raw) : raw;
  return stream(`/Type /ObjStm /N ${objects.length} /First ${offsets.length}${filter ? ` /Filter /${filter}` : ''}${options.extra ? ` ${options.extra}` : ''}`, data);
}

/** A whole file: header, the objects, a cross-reference table, the trailer (`/Root 1 0 R` and `trailerExtra`). */
export function pdfFile(objects: PdfObject[], trailerExtra = ''): Uint8Array {
  const parts: Buffer[] = [enc('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')];
  let at = parts[0]!.length;
  const offsets = new Map<number, number>();
  for (const o of objects) {
    offsets.set(o.num, at);
    const piece = Buffer.concat([enc(`${o.num} 0 obj\n`), typeof o.body === 'string' ? enc(o.body) : Buffer.from(o.body), enc('\nendobj\n')]);
    parts.push(piece);
    at += piece.length;
  }
  const size = Math.max(0, ...objects.map((o) => o.num)) + 1;
  let xref = `xref\n0 ${size}\n0000000000 65535 f \n`;
  for (let n = 1; n < size; n++) xref += offsets.has(n) ? `${String(offsets.get(n)).padStart(10, '0')} 00000 n \n` : '0000000000 00000 f \n';
  parts.push(enc(`${xref}trailer\n<< /Size ${size} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${at}\n%%EOF\n`));
  return Buffer.concat(parts);
}

/** The usual document: catalog (with `catalogExtra`), pages, one page (with `pageExtra`), its content. */
export function simplePdf(options: { catalogExtra?: string; pageExtra?: string; more?: PdfObject[]; trailerExtra?: string } = {}): Uint8Array {
  return pdfFile(
    [
      { num: 1, body: `<< /Type /Catalog /Pages 2 0 R ${options.catalogExtra ?? ''}>>` },
      { num: 2, body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
      { num: 3, body: `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R ${options.pageExtra ?? ''}>>` },
      { num: 4, body: stream('', 'BT /F1 12 Tf 72 720 Td (Hello) Tj ET') },
      ...(options.more ?? []),
    ],
    options.trailerExtra,
  );
}
