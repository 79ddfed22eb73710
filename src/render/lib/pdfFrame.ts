/**
 * @module render/lib/pdfFrame
 * What every renderer does around its own layout: load the fonts and refuse a value they cannot draw, start
 * an empty PDF with fontkit, add the demo mark to every page of a document made on the demo keys, paint the
 * laid-out pages with font subsets embedded once, then set the metadata, add the signature placeholder when
 * one is asked for, and save with object streams.
 */
import { PDFDocument, type PDFImage, type PDFPage } from '@cantoo/pdf-lib';
import type { FontSet, LoadedFonts } from '../fonts.js';
import { layoutDemoMark, type DemoMarkTemplate } from './demoMark.js';
import { embedFontSubsets } from './fontSubsets.js';
import { paintMarks, type Mark } from './marks.js';
import { setPdfMetadata, type TemplateMetadata } from './pdfMetadata.js';
import { addSignaturePlaceholder, type SignatureFieldSpec } from './pdfSignature.js';
import { Page } from './page.js';
import { refuseUndrawable } from './undrawable.js';
import { mm } from './units.js';

/** A signature to prepare: who, why, where and when (the page and widget are the renderer's). */
export type SignatureRequest = Omit<SignatureFieldSpec, 'page' | 'rect'>;

/** @example const { pdf, fonts } = await startPdf(fontSet, printedFields(doc, template)); */
export async function startPdf(fontSet: FontSet, printed: Iterable<{ field: string; label: string; value: string }>): Promise<{ pdf: PDFDocument; fonts: LoadedFonts }> {
  const fonts = await fontSet.load();
  refuseUndrawable(printed, fonts);
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.registerFontkit(fonts.engine);
  return { pdf, fonts };
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
  return pdf.save({ useObjectStreams: true });
}
