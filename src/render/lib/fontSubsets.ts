/**
 * @module render/lib/fontSubsets
 * Embeds, for one document, a subset of each face its marks use — named `ABCDEF+PostScriptName` after
 * the characters (see subsetTag), so the same page always embeds the same bytes.
 */

import type { PDFDocument, PDFFont } from '@cantoo/pdf-lib';
import type { FontKey, LoadedFonts } from '../fonts.js';
import type { Mark } from './marks.js';
import { subsetTag } from './subsetTag.js';

/**
 * `document` names the template in the error thrown when template text needs a character no face has
 * (document values are refused, with their field, before layout).
 *
 * @example
 * const pdfFonts = await embedFontSubsets(pdf, fonts, marks, 'certificate');
 * paintMarks(page, marks, { fonts, pdfFonts, photo: undefined });
 */
export async function embedFontSubsets(
  pdf: PDFDocument,
  fonts: LoadedFonts,
  marks: readonly Mark[],
  document: string,
): Promise<Partial<Record<FontKey, PDFFont>>> {
  const used: Record<FontKey, Set<string>> = { primary: new Set(), fallback: new Set() };
  for (const mark of marks) {
    if (mark.kind !== 'text') continue;
    for (const run of fonts.runs(mark.text)) for (const char of run.text) used[run.font].add(char);
  }
  const embedded: Partial<Record<FontKey, PDFFont>> = {};
  for (const key of ['primary', 'fallback'] as const) {
    if (used[key].size === 0) continue;
    const missing = fonts.undrawable([...used[key]].join(''));
    // Document values were checked already; anything left is template text.
    if (missing.length > 0) throw new Error(`${document} template uses characters no font has: ${missing.join(' ')}`);
    const name = fonts.postscriptName(key);
    embedded[key] = await pdf.embedFont(fonts.bytes[key], {
      subset: true,
      customName: `${subsetTag(name, used[key])}+${name}`,
    });
  }
  return embedded;
}
