/**
 * @module render/verificationRecordPdf
 * The verification record (职称重新确认职称核实情况记录单, attachment 2 of the notice) as an A4 PDF, laid
 * out from `templates/verification-record.json` and set in subsets of the certificate's two Noto faces.
 * Bytes in, bytes out: no I/O, no clock, no randomness — the same record always renders to the same bytes.
 */

import { PDFDocument, type PDFImage } from '@cantoo/pdf-lib';
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
  const { print, image, reply } = await evidenceFor(pdf, doc.evidence);
  const pages = layoutVerificationRecord(doc, template, fonts, print);
  const sheet = await paintPages(pdf, fonts, withDemoMark(pages, doc.demo ? template.demo : undefined, template.page, fonts), template.page, 'verification record', image);
  // A PDF reply scan follows the sheet page for page (notice 四(三): the reply is part of the record).
  if (reply) for (const page of await pdf.copyPages(reply, reply.getPageIndices())) pdf.addPage(page);
  // The record's own instant, not the clock: re-rendering a record gives identical bytes.
  return finishPdf(pdf, template.metadata, { name: doc.record.id, author: doc.record.handler.name, at: new Date(doc.record.createdAt) }, signature, { page: sheet.at(-1)! });
}

/** Most pixels of an evidence image decoded to embed it (a PNG with transparency, 16-bit or interlaced): 4 bytes each. */
const MAX_DECODED_PIXELS = 12_000_000;

/**
 * The evidence made ready to print: an image embedded, or a PDF reply whose pages can be copied — or, for
 * a file that cannot be (an encrypted or broken PDF, an image too large to decode here), a line saying so
 * beside its hash. Never a refusal: the record and its hash stand whatever the file is.
 */
async function evidenceFor(pdf: PDFDocument, evidence: VerificationRecordDocument['evidence']): Promise<{ print?: EvidencePrint; image?: PDFImage; reply?: PDFDocument }> {
  if (!evidence) return {};
  try {
    if (evidence.mediaType === 'application/pdf') {
      const reply = await PDFDocument.load(evidence.bytes, { updateMetadata: false });
      return reply.getPageCount() > 0 ? { print: { kind: 'pdf', pages: reply.getPageCount() }, reply } : { print: { kind: 'unprintable' } };
    }
    const image = await embedEvidenceImage(pdf, evidence.bytes, evidence.mediaType, 'evidence', MAX_DECODED_PIXELS);
    return image ? { print: { kind: 'image', width: image.width, height: image.height }, image } : { print: { kind: 'unprintable' } };
  } catch {
    return { print: { kind: 'unprintable' } };
  }
}
