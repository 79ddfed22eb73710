/**
 * @module render/lib/demoMark
 * The mark of a document made on the public demo keys (issue 12 A4): anyone can sign with those, so every
 * PDF the service renders on the demo root says so on every page — a band across the top in words
 * (演示证书 DEMO — 不具法律效力) and a large translucent 演示 DEMO across the page. Both are text, drawn
 * before the PDF is signed, so they are part of what the signature covers and what pdftotext reads.
 */

import { z } from 'zod';
import type { Mark } from './marks.js';
import type { Page } from './page.js';
import { hexColor, mm } from './units.js';

/** The `demo` block of a layout template. */
export interface DemoMarkTemplate {
  /** The sentence in the band, e.g. `演示证书 DEMO — 演示系统生成，不具法律效力`. */
  band: string;
  /** The words across the page, e.g. `演示 DEMO`. */
  watermark: string;
  /** The band's box, in millimetres from the page's top-left corner. */
  topMm: number;
  heightMm: number;
  leftMm: number;
  rightMm: number;
  sizePt: number;
  watermarkSizePt: number;
  /** Counter-clockwise, about the page's centre. */
  angleDeg: number;
  /** Ink of both texts, and the band's fill. */
  color: string;
  fill: string;
  /** Of the watermark only: the page stays readable through it. */
  opacity: number;
}

const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #RRGGBB');

/** The zod schema of a template's `demo` block (the certificate and record-sheet templates use zod). */
export const demoMarkSchema = z.object({
  band: z.string().min(1),
  watermark: z.string().min(1),
  topMm: z.number().min(0).max(1000),
  heightMm: z.number().positive().max(100),
  leftMm: z.number().min(0).max(1000),
  rightMm: z.number().min(0).max(1000),
  sizePt: z.number().positive().max(200),
  watermarkSizePt: z.number().positive().max(400),
  angleDeg: z.number().min(-90).max(90),
  color: colour,
  fill: colour,
  opacity: z.number().min(0.05).max(1),
}) satisfies z.ZodType<DemoMarkTemplate>;

// Ideographs span −0.12…0.88 em around the baseline: their middle is 0.38 em above it.
const MIDDLE_EM = 0.38;

/**
 * The marks of one page: the band (a filled box with its sentence centred in it) and the watermark centred
 * on the page. Painted last, so nothing on the page hides them; the watermark multiplies, as ink would.
 *
 * @example pages.map((marks) => [...marks, ...layoutDemoMark(page, template.demo)]);
 */
export function layoutDemoMark(page: Page, demo: DemoMarkTemplate): Mark[] {
  const color = hexColor(demo.color);
  const left = mm(demo.leftMm);
  const width = mm(demo.rightMm) - left;
  const height = mm(demo.heightMm);
  const bandBottom = page.y(mm(demo.topMm) + mm(demo.heightMm));
  // Shrunk to the band's width if the sentence is longer than the template expects.
  const size = Math.min(demo.sizePt, (demo.sizePt * (width - mm(4))) / page.fonts.widthOf(demo.band, demo.sizePt));
  const bandText = page.centred(demo.band, left + width / 2, 0, size, color, 'demo:band');

  const angle = (demo.angleDeg * Math.PI) / 180;
  const wide = page.fonts.widthOf(demo.watermark, demo.watermarkSizePt);
  const rise = MIDDLE_EM * demo.watermarkSizePt;
  // The baseline starts so that the text's middle falls on the page's centre, whatever the angle.
  const x = page.width / 2 - (wide / 2) * Math.cos(angle) + rise * Math.sin(angle);
  const y = page.height / 2 - (wide / 2) * Math.sin(angle) - rise * Math.cos(angle);
  return [
    { kind: 'rect', x: left, y: bandBottom, width, height, fill: hexColor(demo.fill), stroke: color, lineWidth: 0.8, role: 'demo:band' },
    { ...bandText, y: bandBottom + height / 2 - MIDDLE_EM * size },
    { kind: 'text', text: demo.watermark, x, y, size: demo.watermarkSizePt, color, rotateDeg: demo.angleDeg, opacity: demo.opacity, multiply: true, role: 'demo:watermark' },
  ];
}
