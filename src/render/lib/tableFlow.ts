/**
 * @module render/lib/tableFlow
 * What the multi-page forms (the verification record, the approval form) are set with: lines of text in
 * bordered cells — wrapped or shrunk to fit, placed from a top, from a left edge, centred or flush right —
 * and the page flow that places blocks top to bottom, splitting a long one between lines and opening a
 * page whenever the next will not fit, then puts a footer on every page. Pure: the same blocks always give
 * the same marks.
 */

import type { LoadedFonts } from '../fonts.js';
import type { Mark, TextMark } from './marks.js';
import { EM_TOP, Page } from './page.js';
import type { Rgb } from './units.js';
import { breakLines, fitText } from './wrap.js';

/** One line of text, with the height it takes (its size times the line height). */
export interface Line {
  text: string;
  size: number;
  pitch: number;
  role: string;
  /** How far in from a left edge the line starts (a paragraph's first line); none when absent. */
  indent?: number;
  /** Its own colour, when not the colour it is placed in. */
  color?: Rgb;
}

/** Where lines stand: from a left edge, centred on a line, or flush against a right edge. */
export type Anchor = { x: number } | { centreX: number } | { rightX: number };

/** The height `lines` take, one under the other. */
export function heightOf(lines: readonly Line[]): number {
  return lines.reduce((sum, line) => sum + line.pitch, 0);
}

/**
 * A sentence of a template with its `{name}` slots filled in; a slot with no value stays as it is.
 *
 * @example
 * fill('第{page}页 共{pages}页', { page: '1', pages: '3' }) // '第1页 共3页'
 */
export function fill(pattern: string, values: Record<string, string>): string {
  return pattern.replace(/\{(\w+)\}/gu, (slot, name: string) => values[name] ?? slot);
}

/** How a form's cells are drawn: text colour, rule colour and width, and the usual line height. */
export interface CellStyle {
  ink: Rgb;
  rule: Rgb;
  ruleWidthPt: number;
  lineHeightEm: number;
}

/**
 * A page of a form and the text helpers every section sets type with; each form extends it with its own
 * columns and styles.
 *
 * @example
 * class Sheet extends TableSheet { … }
 * const lines = sheet.fit(name, width, { size: 12, minSize: 9, maxLines: 2 }, 'subject:holderName');
 * marks.push(sheet.cell(left, right, top, height), ...sheet.placeMiddle(lines, top, height, { x: left + padX }));
 */
export class TableSheet {
  readonly page: Page;
  readonly fonts: LoadedFonts;
  readonly ink: Rgb;
  readonly rule: Rgb;
  readonly ruleWidthPt: number;
  readonly lineHeightEm: number;

  constructor(page: Page, style: CellStyle) {
    this.page = page;
    this.fonts = page.fonts;
    this.ink = style.ink;
    this.rule = style.rule;
    this.ruleWidthPt = style.ruleWidthPt;
    this.lineHeightEm = style.lineHeightEm;
  }

  /** The width of `text` at `size`. */
  readonly measure = (text: string, size: number): number => this.fonts.widthOf(text, size);

  /** `text` broken to `width` at `size` (no shrinking), its first line indented by `indentEm`. */
  wrap(text: string, width: number, size: number, role: string, lineHeightEm = this.lineHeightEm, indentEm = 0): Line[] {
    const measure = (s: string): number => this.measure(s, size);
    const indent = indentEm * size;
    const first = indent > 0 ? (breakLines(text, width - indent, measure)[0] ?? '') : '';
    // The first line is a prefix of the text; the rest breaks at the full width.
    const texts = indent > 0 ? [first, ...breakLines(text.slice(first.length), width, measure)].filter((t) => t !== '') : breakLines(text, width, measure);
    return texts.map((t, i) => ({ text: t, size, pitch: size * lineHeightEm, role, indent: i === 0 ? indent : 0 }));
  }

  /** `text` shrunk towards `minSize` to keep within `maxLines`, then wrapped at `width`. */
  fit(text: string, width: number, limits: { size: number; minSize: number; maxLines: number }, role: string, lineHeightEm = this.lineHeightEm): Line[] {
    const fitted = fitText(text, width, limits, this.measure);
    const pitch = fitted.size * lineHeightEm;
    return fitted.lines.map((t) => ({ text: t, size: fitted.size, pitch, role }));
  }

  /** The lines set from `top` down at `at`, in their own colour or `color`. */
  place(lines: readonly Line[], top: number, at: Anchor, color = this.ink): TextMark[] {
    const marks: TextMark[] = [];
    let lineTop = top;
    for (const line of lines) {
      const baseline = lineTop + (line.pitch - line.size) / 2 + EM_TOP * line.size;
      if (line.text !== '') {
        const x = 'x' in at ? at.x + (line.indent ?? 0) : 'centreX' in at ? at.centreX - this.measure(line.text, line.size) / 2 : at.rightX - this.measure(line.text, line.size);
        marks.push(this.page.text(line.text, x, baseline, line.size, line.color ?? color, line.role));
      }
      lineTop += line.pitch;
    }
    return marks;
  }

  /** The lines centred vertically in a cell `height` tall from `top`. */
  placeMiddle(lines: readonly Line[], top: number, height: number, at: Anchor, color = this.ink): TextMark[] {
    return this.place(lines, top + (height - heightOf(lines)) / 2, at, color);
  }

  /** A cell's border, from `x1` to `x2` and `top` down `height`. */
  cell(x1: number, x2: number, top: number, height: number, role?: string): Mark {
    return { kind: 'rect', x: x1, y: this.page.y(top + height), width: x2 - x1, height, stroke: this.rule, lineWidth: this.ruleWidthPt, ...(role ? { role } : {}) };
  }
}

/**
 * How many of `lines` fit in `space` before a page break, or `undefined` when too few would stand before
 * it (`minLines` lines of text, or one at the top of a page: `fresh`) or none would be left after it.
 * With `keepOne`, at least one line is always left for after the break.
 *
 * @example
 * const taken = linesBefore(lines, space - 2 * padY, fresh, template.table.minLinesBeforeBreak);
 * if (taken !== undefined) return [row(lines.slice(0, taken)), row(linesAfter(lines, taken))];
 */
export function linesBefore(lines: readonly Line[], space: number, fresh: boolean, minLines: number, keepOne = false): number | undefined {
  let taken = 0;
  let used = 0;
  while (taken < lines.length && used + lines[taken]!.pitch <= space) used += lines[taken++]!.pitch;
  if (keepOne && taken === lines.length) taken--;
  const textLines = lines.slice(0, taken).filter((line) => line.text !== '').length;
  if (taken >= lines.length || textLines < (fresh ? 1 : minLines)) return undefined;
  return taken;
}

/** The lines after a break at `taken`, without the paragraph gaps that would open the next page. */
export function linesAfter(lines: readonly Line[], taken: number): Line[] {
  let rest = lines.slice(taken);
  while (rest[0]?.text === '') rest = rest.slice(1);
  return rest;
}

/** A piece of a page placed top to bottom: its height, and its marks at a given top. */
export interface FlowBlock<Self> {
  height: number;
  draw(top: number): Mark[];
  /** Opens a page of its own. */
  startsPage?: boolean;
  /** A caption: moves to the next page with what follows rather than end a page alone. */
  keepWithNext?: boolean;
  /** The least of this block that may end a page, for a caption kept with it (its height if absent). */
  lead?: number;
  /** Drawn first when this block lands on a new page (a table's caption and header, marked continued). */
  carry?: Self;
  /**
   * What fits in `space` and the rest, or nothing when the block should move whole to the next page;
   * at the top of a page (`fresh`) it gives whatever fits, so no block runs past the page.
   */
  split?(space: number, fresh: boolean): [Self, Self] | undefined;
}

/** A block placed on a page, and the top it was placed at. */
export interface Placed<B> {
  block: B;
  top: number;
}

/** The pages blocks flow onto. */
export interface PageFrame<B> {
  /** The bottom of the body: no block is placed past it (the footer sits below). */
  limit: number;
  /** A new page: the marks it begins with (a heading), and the top its first block is placed at. */
  open(first: boolean): { marks: Mark[]; top: number };
  /** Marks that end a page, given its blocks and the top they began at (a border round its table). */
  close?(placed: readonly Placed<B>[], top: number): Mark[];
  /** The footer of page `page` of `pages`, once the number of pages is known. */
  footer(page: number, pages: number): Mark[];
}

/**
 * Places every block from the first page on, opening a page whenever the next block (with the lead of
 * the one it is kept with) will not fit: a block that can split leaves what fits on this page first.
 * Returns the marks of each page.
 *
 * @example
 * const pages = flowPages(blocks, { limit, open: () => ({ marks: [], top: mm(20) }), footer: (page, pages) => footerMarks(page, pages) });
 */
export function flowPages<B extends FlowBlock<B>>(blocks: readonly B[], frame: PageFrame<B>): Mark[][] {
  const pages: Mark[][] = [];
  let marks: Mark[] = [];
  let pageTop = 0;
  let top = 0;
  let placed: Placed<B>[] = [];
  // Nothing of the page's own placed yet (a carried caption does not count).
  let fresh = true;
  const open = (): void => {
    ({ marks, top } = frame.open(pages.length === 0));
    pages.push(marks);
    pageTop = top;
    placed = [];
    fresh = true;
  };
  const close = (): void => {
    if (frame.close) marks.push(...frame.close(placed, pageTop));
  };
  const place = (block: B, carried = false): void => {
    marks.push(...block.draw(top));
    placed.push({ block, top });
    top += block.height;
    if (!carried) fresh = false;
  };

  open();
  blocks.forEach((first, i) => {
    let block = first;
    if (block.startsPage && !fresh) {
      close();
      open();
    }
    const next = blocks[i + 1];
    const needed = (): number => block.height + (block.keepWithNext && next ? (next.lead ?? next.height) : 0);
    while (top + needed() > frame.limit) {
      const parts = block.keepWithNext ? undefined : block.split?.(frame.limit - top, fresh);
      if (parts) {
        place(parts[0]);
        block = parts[1];
      } else if (fresh) {
        break; // Taller than a whole page and unbreakable (no real form has such a block): set it as it is.
      }
      close();
      open();
      if (block.carry) place(block.carry, true);
    }
    place(block);
  });
  close();
  pages.forEach((page, i) => page.push(...frame.footer(i + 1, pages.length)));
  return pages;
}
