/**
 * @module test/render/pageBounds
 * The page-bounds check the multi-page form tests share (the verification record, the approval form):
 * every text mark of a layout between two edges and below the top of its page, and — the footer's own
 * marks aside — clear above the footer.
 */

import { expect } from 'vitest';
import type { LoadedFonts } from '../../src/render/fonts.js';
import type { Mark, TextMark } from '../../src/render/lib/marks.js';

/**
 * Checks every text mark of every page; then `more` checks what a form adds, given the page and the top
 * of its footer (the highest ascent of a `footer:` mark), in PDF coordinates.
 *
 * @example
 * expectOnPages(pages, fonts, { left: 0, right: mm(210), pageHeight: mm(297) });
 */
export function expectOnPages(
  pages: readonly Mark[][],
  fonts: LoadedFonts,
  bounds: { left: number; right: number; pageHeight: number },
  more?: (page: Mark[], footerTop: number) => void,
): void {
  for (const page of pages) {
    const texts = page.filter((m): m is TextMark => m.kind === 'text');
    // Noto CJK ideographs reach 0.88 em above the baseline; Latin descenders 0.2 em below it.
    const footerTop = Math.max(...texts.filter((m) => m.role?.startsWith('footer:')).map((m) => m.y + 0.88 * m.size));
    for (const mark of texts) {
      const width = fonts.widthOf(mark.text, mark.size);
      expect(mark.x, mark.text).toBeGreaterThanOrEqual(bounds.left - 1e-6);
      expect(mark.x + width, mark.text).toBeLessThanOrEqual(bounds.right + 1e-6);
      expect(mark.y + 0.88 * mark.size, mark.text).toBeLessThanOrEqual(bounds.pageHeight);
      if (!mark.role?.startsWith('footer:')) expect(mark.y - 0.2 * mark.size, mark.text).toBeGreaterThan(footerTop);
    }
    more?.(page, footerTop);
  }
}
