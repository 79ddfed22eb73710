/**
 * @module render/lib/page
 * Page geometry shared by the layouts: templates place things in points measured down from the top edge,
 * PDF puts its origin at the bottom-left. Also the vertical metrics every layout sets type by.
 */

import type { LoadedFonts } from '../fonts.js';
import type { TextMark } from './marks.js';
import { mm, type Rgb } from './units.js';

// Vertical metrics in em: Noto CJK ideographs span −0.12…0.88 around the baseline; Latin descenders
// reach about −0.2, which is what the bottom of a line must clear.
export const EM_TOP = 0.88;
export const EM_BOTTOM = 0.2;

/**
 * One page of a template's size, and the fonts its text is measured with.
 *
 * @example
 * const page = new Page({ widthMm: 210, heightMm: 297 }, fonts);
 * page.centred('职称电子证书', page.width / 2, mm(30), 28, ink, 'heading');
 */
export class Page {
  readonly width: number;
  readonly height: number;
  readonly fonts: LoadedFonts;

  constructor(size: { widthMm: number; heightMm: number }, fonts: LoadedFonts) {
    this.width = mm(size.widthMm);
    this.height = mm(size.heightMm);
    this.fonts = fonts;
  }

  /** PDF y of a point `top` points below the top edge. */
  y(top: number): number {
    return this.height - top;
  }

  text(text: string, x: number, top: number, size: number, color: Rgb, role?: string): TextMark {
    return { kind: 'text', text, x, y: this.y(top), size, color, ...(role ? { role } : {}) };
  }

  centred(text: string, centreX: number, top: number, size: number, color: Rgb, role?: string): TextMark {
    return this.text(text, centreX - this.fonts.widthOf(text, size) / 2, top, size, color, role);
  }
}
