/**
 * @module render/qr
 * The verification QR code as vector rectangles in the PDF page: sharp at any zoom or print resolution,
 * a few hundred bytes instead of an embedded bitmap. Error correction M survives a worn printout while
 * keeping an ~80-character verify URL at version 5–6, so modules stay large enough to scan.
 */

import QRCode from 'qrcode';
import type { PDFPage } from '@cantoo/pdf-lib';
import {
  fill,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  setFillingRgbColor,
} from '@cantoo/pdf-lib';

/** A rectangle of dark modules, in module units from the symbol's top-left corner. */
export interface ModuleRect {
  col: number;
  row: number;
  width: number;
  height: number;
}

/** The symbol as merged rectangles. `modules` is the side in modules, without the quiet zone. */
export interface QrSymbol {
  modules: number;
  rects: ModuleRect[];
}

/** Where to draw: the symbol's bottom-left corner and side in points, quiet zone outside it. */
export interface QrPlacement {
  x: number;
  y: number;
  size: number;
  quietZoneModules?: number;
  dark?: { r: number; g: number; b: number };
}

/** ISO/IEC 18004 asks for a 4-module light margin around the symbol. */
export const QR_QUIET_ZONE_MODULES = 4;

/**
 * Encodes `text` (error correction M) and merges dark modules into rectangles: horizontal runs first,
 * then runs of identical extent in consecutive rows are stacked, which typically halves the rect count.
 *
 * @example
 * const { modules, rects } = qrSymbol('http://localhost:8787/v/26K7Q2M9XHT?s=AbC');
 * // modules === 33 (version 4), rects.length ≈ 250
 */
export function qrSymbol(text: string): QrSymbol {
  const { modules: matrix } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = matrix.size;
  const open = new Map<string, ModuleRect>(); // runs still growing downwards, keyed by col:width
  const rects: ModuleRect[] = [];
  for (let row = 0; row < size; row++) {
    const seen = new Set<string>();
    let col = 0;
    while (col < size) {
      if (!matrix.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < size && matrix.get(row, col)) col++;
      const key = `${start}:${col - start}`;
      seen.add(key);
      const growing = open.get(key);
      if (growing) {
        growing.height++;
      } else {
        const rect = { col: start, row, width: col - start, height: 1 };
        open.set(key, rect);
        rects.push(rect);
      }
    }
    for (const key of open.keys()) if (!seen.has(key)) open.delete(key);
  }
  return { modules: size, rects };
}

/**
 * Draws an already encoded symbol (the layout encodes once to know the module size for its captions).
 *
 * @example
 * drawQrSymbol(page, qrSymbol(doc.verifyUrl), { x: 430, y: 420, size: mm(32) });
 */
export function drawQrSymbol(page: PDFPage, symbol: QrSymbol, placement: QrPlacement): void {
  const quiet = placement.quietZoneModules ?? QR_QUIET_ZONE_MODULES;
  const module = placement.size / symbol.modules;
  const dark = placement.dark ?? { r: 0, g: 0, b: 0 };
  const top = placement.y + placement.size;
  page.pushOperators(
    pushGraphicsState(),
    setFillingRgbColor(1, 1, 1),
    rectangle(
      placement.x - quiet * module,
      placement.y - quiet * module,
      placement.size + 2 * quiet * module,
      placement.size + 2 * quiet * module,
    ),
    fill(),
    setFillingRgbColor(dark.r, dark.g, dark.b),
    ...symbol.rects.map((r) => {
      // Round the edges, not the sizes, so neighbouring rects share an edge exactly (no hairline seams).
      const left = round(placement.x + r.col * module);
      const right = round(placement.x + (r.col + r.width) * module);
      const upper = round(top - r.row * module);
      const lower = round(top - (r.row + r.height) * module);
      return rectangle(left, lower, round(right - left), round(upper - lower));
    }),
    fill(),
    popGraphicsState(),
  );
}

// Three decimals of a point (0.35 µm) are far below print resolution and keep the content stream short.
function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
