/**
 * @module render/verificationRecordPdf
 * The verification record (职称重新确认职称核实情况记录单, attachment 2 of the notice) as an A4 PDF, laid
 * out from `templates/verification-record.json` and set in subsets of the certificate's two Noto faces.
 * Bytes in, bytes out: no I/O, no clock, no randomness — the same record always renders to the same bytes.
 */

import { PDFDocument } from '@cantoo/pdf-lib';
import type { FontSet } from './fonts.js';
import { printedFields } from './lib/verificationRecordDocument.js';
import type { VerificationRecordDocument } from './lib/verificationRecordDocument.js';
import { layoutVerificationRecord, type EvidencePrint } from './lib/verificationRecordLayout.js';
import { embedEvidenceImage } from './lib/photo.js';
import type { VerificationRecordTemplate } from './lib/verificationRecordTemplate.js';
import { finishPdf, paintPages, startPdf, withDemoMark, type SignatureRequest } from './lib/pdfFrame.js';

// What a caller of renderVerificationRecordPdf needs, importable from this module alone.
export { parseVerificationRecordTemplate } from './lib/verificationRecordTemplate.js';
export type { VerificationRecordDocument } from './lib/verificationRecordDocument.js';
export type { VerificationRecordTemplate } from './lib/verificationRecordTemplate.js';

/**
 * Renders one verification record — one page, or more when its record text is too long for one — with the
 * evidence it points at printed under it: an image on the sheet, a PDF reply's pages after it.
 * Refuses, with `undrawable_character` naming the field and the character, any value the fonts cannot
 * draw.
 *
 * @example
 * const fontSet = new FontSet(loadFontBytes);                        // once per process
 * const template = parseVerificationRecordTemplate(layoutJson);      // once per process
 * const pdf = await renderVerificationRecordPdf(
 *   { record, resultSentence: '经核实，李四同志取得的高级工程师职称真实有效。' },
 *   fontSet,
 *   template,
 * );
 */
export async function renderVerificationRecordPdf(
  doc: VerificationRecordDocument,
  fontSet: FontSet,
  template: VerificationRecordTemplate,
  /** When given, the PDF carries an (invisible) signature placeholder. */
  signature?: SignatureRequest,
): Promise<Uint8Array> {
  const { pdf, fonts } = await startPdf(fontSet, printedFields(doc, template));
  const { evidence } = doc;
  const image = evidence && evidence.mediaType !== 'application/pdf' ? await embedEvidenceImage(pdf, evidence.bytes, evidence.mediaType, 'evidence') : undefined;
  const reply = evidence?.mediaType === 'application/pdf' ? await readablePdf(evidence.bytes) : undefined;
  const print: EvidencePrint | undefined = image ? { kind: 'image', width: image.width, height: image.height } : evidence ? { kind: 'pdf', pages: reply?.getPageCount() ?? null } : undefined;
  const pages = layoutVerificationRecord(doc, template, fonts, print);
  const sheet = await paintPages(pdf, fonts, withDemoMark(pages, doc.demo ? template.demo : undefined, template.page, fonts), template.page, 'verification record', image);
  // A PDF reply scan follows the sheet page for page (notice 四(三): the reply is part of the record).
  if (reply) for (const page of await pdf.copyPages(reply, reply.getPageIndices())) pdf.addPage(page);
  // The record's own instant, not the clock: re-rendering a record gives identical bytes.
  return finishPdf(pdf, template.metadata, { name: doc.record.id, author: doc.record.handler.name, at: new Date(doc.record.createdAt) }, signature, { page: sheet.at(-1)! });
}

/** The reply scan as a PDF whose pages can be copied, or `undefined` (encrypted, broken): the sheet then says so. */
async function readablePdf(bytes: Uint8Array): Promise<PDFDocument | undefined> {
  try {
    const reply = await PDFDocument.load(bytes, { updateMetadata: false });
    return reply.getPageCount() > 0 ? reply : undefined;
  } catch {
    return undefined;
  }
}
