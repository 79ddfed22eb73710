/**
 * @module render/approvalForm/sheet
 * What every section of the approval form sets type with: the `Form` (the page, the body's edges, the
 * palette and the text helpers), the block the page flow places, and the pieces several sections share —
 * a page heading, a caption row, paragraphs, and the signatures-and-date sign-off.
 */

import { formatChineseDate } from '../../domain/chineseDate.js';
import type { LoadedFonts } from '../fonts.js';
import type { ApprovalFormTemplate } from './template.js';
import type { LineMark, Mark, TextMark } from '../lib/marks.js';
import { EM_BOTTOM, EM_TOP, Page } from '../lib/page.js';
import { heightOf, TableSheet } from '../lib/tableFlow.js';
import type { FlowBlock, Line } from '../lib/tableFlow.js';
import { hexColor, mm, type Rgb } from '../lib/units.js';
import { clean } from '../lib/wrap.js';

/** A piece of the form, placed top to bottom by the page flow. */
export interface Block extends FlowBlock<Block> {}

/** The page, the body's edges, the palette and the text helpers every section sets type with. */
export class Form extends TableSheet {
  readonly left: number;
  readonly right: number;
  readonly padX: number;
  readonly padY: number;
  readonly muted: Rgb;
  /** The bottom of the body: the footer sits below. */
  readonly limit: number;

  constructor(
    readonly template: ApprovalFormTemplate,
    fonts: LoadedFonts,
  ) {
    const { body, table, palette, footer } = template;
    super(new Page(template.page, fonts), { ink: hexColor(palette.ink), rule: hexColor(palette.rule), ruleWidthPt: table.ruleWidthPt, lineHeightEm: table.lineHeightEm });
    this.left = mm(body.leftMm);
    this.right = mm(body.rightMm);
    this.padX = mm(table.paddingXMm);
    this.padY = mm(table.paddingYMm);
    this.muted = hexColor(palette.muted);
    this.limit = mm(footer.bottomMm) - EM_TOP * footer.sizePt - mm(footer.gapMm);
  }

  /** The room a page has for blocks. */
  get capacity(): number {
    return this.limit - mm(this.template.body.topMm);
  }

  /** `text`, cleaned (any run of whitespace one space), broken to `width` at `size`, its first line indented by `indentEm`. */
  override wrap(text: string, width: number, size: number, role: string, lineHeightEm?: number, indentEm?: number): Line[] {
    return super.wrap(clean(text), width, size, role, lineHeightEm, indentEm);
  }

  /** `text`, cleaned, shrunk towards `minSize` to keep within `maxLines`, then wrapped. */
  override fit(text: string, width: number, limits: { size: number; minSize: number; maxLines: number }, role: string, lineHeightEm?: number): Line[] {
    return super.fit(clean(text), width, limits, role, lineHeightEm);
  }

  /** A table value: a short one shrinks a little to stay on one line, a long one wraps. */
  value(text: string, width: number, role: string): Line[] {
    const { valueSizePt: size, minValueSizePt: minSize } = this.template.table;
    const one = this.fit(text, width, { size, minSize: Math.max(minSize, size * 0.9), maxLines: 1 }, role);
    return one.length <= 1 ? one : this.fit(text, width, { size, minSize, maxLines: 3 }, role);
  }

  /** A table label: centred, shrinking a little before it takes more than `maxLines` lines. */
  label(text: string, width: number, role = `label:${text}`, maxLines = 3): Line[] {
    const size = this.template.table.labelSizePt;
    return this.fit(text, width, { size, minSize: size * 0.75, maxLines }, role);
  }

  /** A line under text of `size` set on `baseline`, for `width` from `x`. */
  underline(x: number, width: number, baseline: number, size: number, role: string, thickness = this.template.table.ruleWidthPt): LineMark {
    const y = this.page.y(baseline + EM_BOTTOM * size);
    return { kind: 'line', x1: x, y1: y, x2: x + width, y2: y, color: this.ink, thickness, role };
  }

  /** The line left to sign or write `role` on by hand. */
  blank(x: number, width: number, baseline: number, size: number, role: string): LineMark {
    return this.underline(x, width, baseline, size, `blank:${role}`);
  }

  /** `text` spread evenly across `width` (分散对齐), one mark per character, as forms set their labels. */
  justify(text: string, x: number, width: number, baseline: number, size: number, role: string): TextMark[] {
    const chars = [...text];
    const gap = chars.length > 1 ? (width - this.measure(text, size)) / (chars.length - 1) : 0;
    if (chars.length <= 1 || gap <= 0) return [this.page.text(text, chars.length === 1 ? x + (width - this.measure(text, size)) / 2 : x, baseline, size, this.ink, role)];
    let at = x;
    return chars.map((char) => {
      const mark = this.page.text(char, at, baseline, size, this.ink, role);
      at += this.measure(char, size) + gap;
      return mark;
    });
  }

  /** A caption, e.g. `主要工作经历`, with （续） when it heads a continuation. */
  caption(text: string, continued: boolean): string {
    return continued ? text + this.template.continuedSuffix : text;
  }
}

/** The empty rest of a block that ended with its page. */
export const NOTHING: Block = { height: 0, draw: () => [] };

/** A labelled signature line: the label, then the name wrapped beside it, or a blank line to sign on. */
export interface Signature {
  label: string;
  value: string | undefined;
  role: string;
}

/** Signatures from `x` to `right`, then the date flush right (a blank date to fill in when there is none). */
export function signOff(form: Form, signatures: readonly Signature[], date: { value: string | undefined; role: string }, x: number, right: number, size: number, lineHeightEm: number): Pick<Block, 'height' | 'draw'> {
  const pitch = size * lineHeightEm;
  const rows = signatures.map((signature) => {
    const labelWidth = form.measure(signature.label, size);
    const lines = signature.value === undefined ? [] : form.wrap(signature.value, right - x - labelWidth, size, signature.role, lineHeightEm);
    return { signature, labelWidth, lines, height: Math.max(pitch, heightOf(lines)) };
  });
  const dateText = date.value === undefined ? form.template.pledges.blankDate : formatChineseDate(date.value);
  return {
    height: rows.reduce((sum, row) => sum + row.height, 0) + pitch,
    draw: (top) => {
      const marks: Mark[] = [];
      let rowTop = top;
      for (const { signature, labelWidth, lines, height } of rows) {
        const label: Line = { text: signature.label, size, pitch, role: `label:${signature.role}` };
        marks.push(...form.place([label], rowTop, { x }));
        if (signature.value === undefined) {
          const baseline = rowTop + (pitch - size) / 2 + EM_TOP * size;
          marks.push(form.blank(x + labelWidth, Math.min(mm(form.template.pledges.blankLineMm), right - x - labelWidth), baseline, size, signature.role));
        } else {
          marks.push(...form.place(lines, rowTop, { x: x + labelWidth }));
        }
        rowTop += height;
      }
      const line: Line = { text: dateText, size, pitch, role: date.value === undefined ? `blank:${date.role}` : date.role };
      marks.push(...form.place([line], rowTop, { rightX: right }));
      return marks;
    },
  };
}

/** A page heading such as 基本情况, opening its page and kept with what follows. */
export function heading(form: Form, text: string, role: string): Block {
  const { heading: h } = form.template;
  const height = mm(h.heightMm);
  const line: Line = { text, size: h.sizePt, pitch: h.sizePt * 1.4, role };
  return { height, startsPage: true, keepWithNext: true, draw: (top) => form.place([line], top + (height - line.pitch) / 2, { centreX: form.page.width / 2 }) };
}

/** A table row whose cells can be drawn taller than they need (rows beside the photo stretch to it). */
export interface Row {
  height: number;
  draw(top: number, height?: number): Mark[];
}

/** A full-width cell with a caption centred in it, e.g. 主要工作经历 or 到现单位后专业技术工作总结（续）. */
export function captionRow(form: Form, text: string, role: string): Row {
  const lines = form.label(text, form.right - form.left - 2 * form.padX, role);
  const needed = Math.max(mm(form.template.table.rowMinHeightMm), heightOf(lines) + 2 * form.padY);
  return {
    height: needed,
    draw: (top, height = needed) => [form.cell(form.left, form.right, top, height), ...form.placeMiddle(lines, top, height, { centreX: (form.left + form.right) / 2 })],
  };
}

/** `text` as paragraphs (split at newlines), each wrapped with its first line indented, a small gap between. */
export function paragraphs(form: Form, text: string, width: number, style: { size: number; lineHeightEm: number; indentEm: number; gapMm: number }, role: string): Line[] {
  const lines: Line[] = [];
  for (const paragraph of text.split(/\n+/u).filter((p) => clean(p) !== '')) {
    if (lines.length > 0) lines.push({ text: '', size: style.size, pitch: mm(style.gapMm), role: 'gap' });
    lines.push(...form.wrap(paragraph, width, style.size, role, style.lineHeightEm, style.indentEm));
  }
  return lines;
}
