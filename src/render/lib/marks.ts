/**
 * @module render/lib/marks
 * The layout's output: a flat list of marks in PDF coordinates (points, origin bottom-left), and the
 * painter that draws them with pdf-lib. Laying out before painting lets the renderer know every character
 * of the page before it embeds the font subsets (their names derive from the characters), and lets tests
 * check geometry — nothing outside its box — without rasterising.
 */

import type { PDFFont, PDFImage, PDFPage } from '@cantoo/pdf-lib';
import { BlendMode, degrees, rgb } from '@cantoo/pdf-lib';
import type { RGB } from '@cantoo/pdf-lib';
import type { FontKey, LoadedFonts } from '../fonts.js';
import { drawQrSymbol } from '../qr.js';
import type { QrSymbol } from '../qr.js';
import type { Rgb } from './units.js';

/** Seal ink: translucent, multiplied over the text it covers as a real stamp is. */
export interface Ink {
  opacity?: number;
  multiply?: boolean;
}

export interface TextMark extends Ink {
  kind: 'text';
  text: string;
  /** Start of the baseline. */
  x: number;
  y: number;
  size: number;
  color: Rgb;
  /** Counter-clockwise, around (x, y). */
  rotateDeg?: number;
  /** What the text is, e.g. `value:holder.name` — lets tests find it. */
  role?: string;
}

export interface RectMark {
  kind: 'rect';
  x: number;
  y: number;
  width: number;
  height: number;
  fill?: Rgb;
  stroke?: Rgb;
  lineWidth?: number;
  /** What the shape is, e.g. `method:box:phone` — lets tests find it. */
  role?: string;
}

export interface LineMark {
  kind: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  color: Rgb;
  thickness: number;
  role?: string;
}

export interface CircleMark extends Ink {
  kind: 'circle';
  x: number;
  y: number;
  radius: number;
  stroke: Rgb;
  lineWidth: number;
  role?: string;
}

export interface PolygonMark extends Ink {
  kind: 'polygon';
  points: Array<readonly [number, number]>;
  fill: Rgb;
}

export interface PhotoMark {
  kind: 'photo';
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface QrMark {
  kind: 'qr';
  symbol: QrSymbol;
  /** Bottom-left of the symbol; the quiet zone lies outside. */
  x: number;
  y: number;
  size: number;
  quietZoneModules: number;
}

export type Mark = TextMark | RectMark | LineMark | CircleMark | PolygonMark | PhotoMark | QrMark;

/** What the painter needs besides the marks. */
export interface PaintContext {
  fonts: LoadedFonts;
  pdfFonts: Partial<Record<FontKey, PDFFont>>;
  photo: PDFImage | undefined;
}

/**
 * Draws `marks` in order (later marks on top).
 *
 * @example
 * paintMarks(page, [{ kind: 'line', x1: 60, y1: 700, x2: 535, y2: 700, color: hexColor('#9b1c1c'), thickness: 0.8 }], context);
 */
export function paintMarks(page: PDFPage, marks: readonly Mark[], context: PaintContext): void {
  for (const mark of marks) {
    switch (mark.kind) {
      case 'text':
        paintText(page, mark, context);
        break;
      case 'rect':
        page.drawRectangle({
          x: mark.x,
          y: mark.y,
          width: mark.width,
          height: mark.height,
          color: mark.fill ? rgbOf(mark.fill) : undefined,
          borderColor: mark.stroke ? rgbOf(mark.stroke) : undefined,
          borderWidth: mark.stroke ? (mark.lineWidth ?? 1) : 0,
        });
        break;
      case 'line':
        page.drawLine({
          start: { x: mark.x1, y: mark.y1 },
          end: { x: mark.x2, y: mark.y2 },
          color: rgbOf(mark.color),
          thickness: mark.thickness,
        });
        break;
      case 'circle':
        page.drawCircle({
          x: mark.x,
          y: mark.y,
          size: mark.radius,
          borderColor: rgbOf(mark.stroke),
          borderWidth: mark.lineWidth,
          borderOpacity: mark.opacity,
          blendMode: mark.multiply ? BlendMode.Multiply : undefined,
        });
        break;
      case 'polygon':
        // drawSvgPath flips y, so feed it negated page coordinates from an origin of (0, 0).
        page.drawSvgPath(
          `M${mark.points.map(([x, y]) => `${fixed(x)} ${fixed(-y)}`).join('L')}Z`,
          {
            x: 0,
            y: 0,
            color: rgbOf(mark.fill),
            opacity: mark.opacity,
            blendMode: mark.multiply ? BlendMode.Multiply : undefined,
            borderWidth: 0,
          },
        );
        break;
      case 'photo':
        if (context.photo) {
          page.drawImage(context.photo, { x: mark.x, y: mark.y, width: mark.width, height: mark.height });
        }
        break;
      case 'qr':
        drawQrSymbol(page, mark.symbol, { x: mark.x, y: mark.y, size: mark.size, quietZoneModules: mark.quietZoneModules });
        break;
    }
  }
}

/** Draws a text mark run by run, each run in the face that has its glyphs. */
function paintText(page: PDFPage, mark: TextMark, context: PaintContext): void {
  const angle = ((mark.rotateDeg ?? 0) * Math.PI) / 180;
  let x = mark.x;
  let y = mark.y;
  for (const run of context.fonts.runs(mark.text)) {
    const font = context.pdfFonts[run.font];
    if (!font) throw new Error(`font ${run.font} was not embedded for ${JSON.stringify(run.text)}`);
    page.drawText(run.text, {
      x,
      y,
      size: mark.size,
      font,
      color: rgbOf(mark.color),
      rotate: mark.rotateDeg ? degrees(mark.rotateDeg) : undefined,
      opacity: mark.opacity,
      blendMode: mark.multiply ? BlendMode.Multiply : undefined,
    });
    const advance = context.fonts.runWidth(run, mark.size);
    x += advance * Math.cos(angle);
    y += advance * Math.sin(angle);
  }
}

function rgbOf(color: Rgb): RGB {
  return rgb(color.r, color.g, color.b);
}

function fixed(value: number): string {
  return (Math.round(value * 1000) / 1000).toString();
}
