/**
 * @module render/lib/pdfFrame
 * What every renderer does around its own layout: load the fonts and refuse a value they cannot draw, start
 * an empty PDF with fontkit, add the demo mark to every page of a document made on the demo keys, paint the
 * laid-out pages with font subsets embedded once, then set the metadata, add the signature placeholder when
 * one is asked for, and save with object streams.
 */
import { PDFContentStream, PDFDocument, PDFName, type PDFImage, type PDFPage } from '@cantoo/pdf-lib';
import type { FontSet, LoadedFonts } from '../fonts.js';
import { deflate } from '../deflate.js';
import { layoutDemoMark, type DemoMarkTemplate } from './demoMark.js';
import { embedFontSubsets } from './fontSubsets.js';
import { paintMarks, type Mark } from './marks.js';
import { setPdfMetadata, type TemplateMetadata } from './pdfMetadata.js';
import { addSignaturePlaceholder, type SignatureFieldSpec } from './pdfSignature.js';
import { Page } from './page.js';
import { refuseUndrawable } from './undrawable.js';
import { mm } from './units.js';

const FLATE_FILTER_KEY = PDFName.of('Filter');

/** A signature to prepare: who, why, where and when (the page and widget are the renderer's). */
export type SignatureRequest = Omit<SignatureFieldSpec, 'page' | 'rect'>;

/** @example const { pdf, fonts } = await startPdf(fontSet, printedFields(doc, template)); */
export async function startPdf(fontSet: FontSet, printed: Iterable<{ field: string; label: string; value: string }>): Promise<{ pdf: PDFDocument; fonts: LoadedFonts }> {
  const fonts = await fontSet.load();
  refuseUndrawable(printed, fonts);
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.registerFontkit(fonts.engine);
  compressFaster(pdf);
  return { pdf, fonts };
}

/**
 * Deflate level for the font subsets and the page contents. pdf-lib deflates at fflate's default, level 6:
 * in a CPU profile of 300 certificate renders, deflate was the largest cost left (20% of all samples, most
 * of it the ~46 KB font subset, which is glyph outlines and barely compresses). Measured on that
 * certificate: level 3 deflates the font subset in a third of level 6's time for 0.5% more bytes
 * (32.8 vs 32.6 KB), the page contents in a third of the time for 5% more (6.8 vs 6.4 KB).
 */
export const DEFLATE_LEVEL = 3;

/** Has `pdf` deflate its font files and their ToUnicode maps (embedded at save) at {@link DEFLATE_LEVEL}. */
function compressFaster(pdf: PDFDocument): void {
  const context = pdf.context;
  context.flateStream = (contents, dict = {}) => context.stream(deflate(typeof contents === 'string' ? latin1(contents) : contents, DEFLATE_LEVEL), { ...dict, Filter: 'FlateDecode' });
}

/** A string's char codes as bytes, as pdf-lib's own flateStream takes a string (its ToUnicode CMaps are ASCII). */
function latin1(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Deflates every page content stream at {@link DEFLATE_LEVEL}, once painting is done (pdf-lib would at level 6). */
function compressContents(pdf: PDFDocument): void {
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (object instanceof PDFContentStream && object.dict.has(FLATE_FILTER_KEY)) object.updateContents(deflate(object.getUnencodedContents(), DEFLATE_LEVEL));
  }
}

/** One PDF page per list of marks, all of one size; returns the pages. */
export async function paintPages(
  pdf: PDFDocument,
  fonts: LoadedFonts,
  pages: readonly (readonly Mark[])[],
  size: { widthMm: number; heightMm: number },
  what: string,
  photo?: PDFImage,
): Promise<PDFPage[]> {
  const pdfFonts = await embedFontSubsets(pdf, fonts, pages.flat(), what);
  return pages.map((marks) => {
    const page = pdf.addPage([mm(size.widthMm), mm(size.heightMm)]);
    paintMarks(page, marks, { fonts, pdfFonts, photo });
    return page;
  });
}

/**
 * Every page with the demo mark painted over it when `demo` is given (a document made on the public demo
 * keys), or the pages as they are.
 *
 * @example await paintPages(pdf, fonts, withDemoMark(pages, doc.demo ? template.demo : undefined, template.page, fonts), template.page, 'form');
 */
export function withDemoMark(
  pages: readonly (readonly Mark[])[],
  demo: DemoMarkTemplate | undefined,
  size: { widthMm: number; heightMm: number },
  fonts: LoadedFonts,
): (readonly Mark[])[] {
  if (!demo) return [...pages];
  const marks = layoutDemoMark(new Page(size, fonts), demo);
  return pages.map((page) => [...page, ...marks]);
}

/**
 * Metadata from the document's own name, author and instant (never the clock: the same document renders to
 * the same bytes), the signature placeholder (on `signatureAt`, by default the last page), and the bytes.
 */
export async function finishPdf(
  pdf: PDFDocument,
  metadata: TemplateMetadata,
  document: { name: string; author: string; at: Date },
  signature?: SignatureRequest,
  signatureAt?: { page: PDFPage; rect?: SignatureFieldSpec['rect'] },
): Promise<Uint8Array> {
  setPdfMetadata(pdf, metadata, document);
  const page = signatureAt?.page ?? pdf.getPages().at(-1);
  if (signature && page) addSignaturePlaceholder(pdf, { ...signature, page, rect: signatureAt?.rect });
  compressContents(pdf);
  return pdf.save({ useObjectStreams: true });
}
