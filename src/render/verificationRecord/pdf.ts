/**
 * @module render/verificationRecord/pdf
 * The verification record (职称重新确认职称核实情况记录单, attachment 2 of the notice) as an A4 PDF, laid
 * out from `templates/verification-record.json` and set in subsets of the certificate's two Noto faces.
 * Bytes in, bytes out: no I/O, no clock, no randomness — the same record always renders to the same bytes.
 */

import { decodePDFRawStream, degrees, PDFArray, PDFContentStream, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFStream, type PDFEmbeddedPage, type PDFImage, type PDFPage } from '@cantoo/pdf-lib';
import type { FontSet } from '../fonts.js';
import { printedFields } from './document.js';
import type { VerificationRecordDocument } from './document.js';
import type { EvidencePrint } from './evidence.js';
import { layoutVerificationRecord } from './layout.js';
import { embedEvidenceImage } from '../lib/photo.js';
import type { VerificationRecordTemplate } from './template.js';
import { finishPdf, paintPages, startPdf, withDemoMark, type SignatureRequest } from '../lib/pdfFrame.js';
import { mm } from '../lib/units.js';

// What a caller of renderVerificationRecordPdf needs, importable from this module alone.
export { parseVerificationRecordTemplate } from './template.js';
export type { VerificationRecordDocument } from './document.js';
export type { VerificationRecordTemplate } from './template.js';

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
  return render(doc, fontSet, template, signature, true);
}

async function render(doc: VerificationRecordDocument, fontSet: FontSet, template: VerificationRecordTemplate, signature: SignatureRequest | undefined, printEvidence: boolean): Promise<Uint8Array> {
  const { pdf, fonts } = await startPdf(fontSet, printedFields(doc, template));
  let evidence: Evidence;
  try {
    evidence = printEvidence ? await evidenceFor(pdf, doc.evidence) : { print: doc.evidence ? { kind: 'unprintable' } : undefined };
  } catch {
    // A file that failed half-way may have left objects in this document: start again without it, so the
    // sheet reads as for any file that cannot be printed — never a refusal (notice 四(三): the record stands).
    return render(doc, fontSet, template, signature, false);
  }
  const { print, image, reply } = evidence;
  const pages = layoutVerificationRecord(doc, template, fonts, print);
  const sheet = await paintPages(pdf, fonts, withDemoMark(pages, doc.demo ? template.demo : undefined, template.page, fonts), template.page, 'verification record', image);
  // A PDF reply scan follows the sheet page for page (notice 四(三): the reply is part of the record), each
  // page drawn as a picture of itself — its links, form fields, scripts and other actions left behind, so
  // the sheet the service signs does nothing when opened.
  for (const page of reply ?? []) drawReplyPage(pdf.addPage([mm(template.page.widthMm), mm(template.page.heightMm)]), page);
  // pdf-lib leaves an empty /Annots on every page it draws on: none at all is plainer to check (but the
  // signed page keeps its array, where the signature field's widget goes).
  for (const page of pdf.getPages()) {
    if (signature && page === sheet.at(-1)) continue;
    const annots = page.node.Annots();
    if (annots && annots.size() === 0) page.node.delete(PDFName.of('Annots'));
  }
  // The record's own instant, not the clock: re-rendering a record gives identical bytes.
  return finishPdf(pdf, template.metadata, { name: doc.record.id, author: doc.record.handler.name, at: new Date(doc.record.createdAt) }, signature, { page: sheet.at(-1)! });
}

/** One page of a PDF reply, embedded as a form XObject, with the turn its page asked viewers to show it at. */
type ReplyPage = { embedded: PDFEmbeddedPage; rotate: 0 | 90 | 180 | 270 };

type Evidence = { print?: EvidencePrint; image?: PDFImage; reply?: ReplyPage[] };

/** The reply page scaled to fit the sheet-sized page, centred, turned as its own /Rotate says (clockwise). */
function drawReplyPage(page: PDFPage, { embedded, rotate }: ReplyPage): void {
  const { width, height } = page.getSize();
  const turned = rotate === 90 || rotate === 270;
  const [shownWidth, shownHeight] = turned ? [embedded.height, embedded.width] : [embedded.width, embedded.height];
  const scale = Math.min(width / shownWidth, height / shownHeight);
  const x = (width - shownWidth * scale) / 2;
  const y = (height - shownHeight * scale) / 2;
  // drawPage turns about its origin counter-clockwise: move the origin to the corner the turned page starts at.
  const origin = { 0: [x, y], 90: [x, y + shownHeight * scale], 180: [x + shownWidth * scale, y + shownHeight * scale], 270: [x + shownWidth * scale, y] }[rotate];
  page.drawPage(embedded, { x: origin[0]!, y: origin[1]!, xScale: scale, yScale: scale, rotate: degrees(-rotate) });
}

/** Most pixels of an evidence image decoded to embed it (a PNG with transparency, 16-bit or interlaced): 4 bytes each. */
const MAX_DECODED_PIXELS = 12_000_000;

/**
 * The evidence made ready to print: an image embedded, or a PDF reply's pages embedded as pictures — or, for
 * a file that cannot be (an encrypted or broken PDF, an image too large to decode here), a line saying so
 * beside its hash. Throws only when this document was already written to (the caller then starts again).
 */
async function evidenceFor(pdf: PDFDocument, evidence: VerificationRecordDocument['evidence']): Promise<Evidence> {
  if (!evidence) return {};
  let pages: CleanPage[];
  try {
    if (evidence.mediaType !== 'application/pdf') {
      const image = await embedEvidenceImage(pdf, evidence.bytes, evidence.mediaType, 'evidence', MAX_DECODED_PIXELS);
      return image ? { print: { kind: 'image', width: image.width, height: image.height }, image } : { print: { kind: 'unprintable' } };
    }
    const reply = await PDFDocument.load(evidence.bytes, { updateMetadata: false });
    // Everything that can fail on a broken file (its page tree, boxes, content streams) is read here, in
    // the reply's own document, before anything of it is copied into the sheet.
    pages = reply.getPages().map(cleanPage);
  } catch {
    return { print: { kind: 'unprintable' } };
  }
  if (pages.length === 0) return { print: { kind: 'unprintable' } };
  const embedded = await pdf.embedPages(pages.map((p) => p.page));
  // Embedding is lazy (done on save): do it now, so a failure shows here and not as a refused record.
  for (const page of embedded) await page.embed();
  return { print: { kind: 'pdf', pages: pages.length }, reply: embedded.map((page, i) => ({ embedded: page, rotate: pages[i]!.rotate })) };
}

/** What a page's resources may hold for drawing it (ISO 32000-1 §7.8.3); anything else is not copied. */
const RESOURCE_KINDS = ['ExtGState', 'ColorSpace', 'Pattern', 'Shading', 'XObject', 'Font', 'ProcSet', 'Properties'];

const NEWLINE = Uint8Array.of(0x0a);

function joined(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

type CleanPage = { page: PDFPage; rotate: 0 | 90 | 180 | 270 };

/**
 * The reply page reduced, in its own document, to what draws it: its visible box, its content (decoded into
 * one stream) and its drawing resources. Its annotations (links, widgets), /AA actions, and everything else
 * are dropped, so embedding it copies none of them into the sheet.
 */
function cleanPage(page: PDFPage): CleanPage {
  const node = page.node;
  const { context } = node;
  const box = page.getCropBox();
  const rotation = (((page.getRotation().angle % 360) + 360) % 360) as number;
  const rotate = rotation === 90 || rotation === 180 || rotation === 270 ? rotation : 0;
  const contents = context.lookup(node.get(PDFName.of('Contents')));
  const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => context.lookup(ref)) : contents === undefined ? [] : [contents];
  const decoded: Uint8Array[] = [];
  for (const stream of streams) {
    const bytes = stream instanceof PDFRawStream ? decodePDFRawStream(stream).decode() : stream instanceof PDFContentStream ? stream.getUnencodedContents() : undefined;
    if (!bytes || !(stream instanceof PDFStream)) throw new Error('page content is not a stream');
    decoded.push(bytes, NEWLINE);
  }
  const resources = context.obj({});
  const inherited = context.lookupMaybe(node.Resources(), PDFDict);
  for (const kind of RESOURCE_KINDS) {
    const value = inherited?.get(PDFName.of(kind));
    if (value !== undefined) resources.set(PDFName.of(kind), value);
  }
  for (const key of node.keys()) if (key !== PDFName.of('Type') && key !== PDFName.of('Parent')) node.delete(key);
  node.set(PDFName.of('MediaBox'), context.obj([box.x, box.y, box.x + box.width, box.y + box.height]));
  node.set(PDFName.of('Resources'), resources);
  // A direct, unfiltered stream: copied with the page without being registered in the sheet's document.
  node.set(PDFName.of('Contents'), PDFRawStream.of(context.obj({}), joined(decoded)));
  return { page, rotate };
}
