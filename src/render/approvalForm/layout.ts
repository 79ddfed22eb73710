/**
 * @module render/approvalForm/layout
 * Places the approval form on A4 pages as attachment 1 of the notice orders it: the cover (附件1, the
 * title, 单位, 姓名, 原取得职称名称, 填表时间, the two issuing offices), the integrity and authenticity
 * pledges, 基本情况 with the photo, 主要工作经历, 到现单位后专业技术工作总结 and the four opinion boxes of
 * 职称重新确认职称资格意见. Nothing is cut: values shrink a little, then wrap; work-history rows, the work
 * summary and long opinions continue on the next page under their caption marked （续）. Unsigned parts
 * keep their frame, with blank lines to sign and date by hand. Pure: the same document, template, fonts
 * and photo size always give the same marks.
 */

import { formatChineseDate } from '../../domain/chineseDate.js';
import type { LoadedFonts } from '../fonts.js';
import { coverValue, factValue } from './document.js';
import type { ApprovalFormDocument, ApprovalFormOpinion } from './document.js';
import type { ApprovalFormTemplate } from './template.js';
import type { LineMark, Mark, TextMark } from '../lib/marks.js';
import { EM_BOTTOM, EM_TOP, Page } from '../lib/page.js';
import { containPhoto } from '../lib/photo.js';
import type { PhotoSize } from '../lib/photo.js';
import { fill, flowPages, heightOf, linesAfter, linesBefore, TableSheet } from '../lib/tableFlow.js';
import type { FlowBlock, Line } from '../lib/tableFlow.js';
import { hexColor, mm, type Rgb } from '../lib/units.js';
import { clean } from '../lib/wrap.js';

/**
 * Lays out one approval form: the marks of each page, in PDF coordinates. Roles name what each mark is,
 * e.g. `cover:unitName`, `fact:idNumber`, `history:3:place`, `summary:text`, `opinion:unit:signer`, and
 * `blank:opinion:unit:signer` for the line left to sign on.
 *
 * @example
 * const pages = layoutApprovalForm(doc, template, await fontSet.load(), { width: 358, height: 441 });
 * const summary = pages.flat().filter((m) => m.kind === 'text' && m.role === 'summary:text');
 */
export function layoutApprovalForm(doc: ApprovalFormDocument, template: ApprovalFormTemplate, fonts: LoadedFonts, photoSize?: PhotoSize): Mark[][] {
  const form = new Form(template, fonts);
  return flow(form, doc.applicationId, [
    cover(form, doc),
    ...pledges(form, doc),
    ...facts(form, doc, photoSize),
    ...workHistory(form, doc),
    ...workSummary(form, doc),
    ...opinions(form, doc),
    ...records(form, doc),
  ]);
}

/** A piece of the form, placed top to bottom by the page flow. */
interface Block extends FlowBlock<Block> {}

/** The page, the body's edges, the palette and the text helpers every section sets type with. */
class Form extends TableSheet {
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
const NOTHING: Block = { height: 0, draw: () => [] };

/** Places every block from the first page on, opening a page whenever the next will not fit. */
function flow(form: Form, applicationId: string, blocks: readonly Block[]): Mark[][] {
  return flowPages(blocks, {
    limit: form.limit,
    open: () => ({ marks: [], top: mm(form.template.body.topMm) }),
    footer: (page, pages) => footer(form, applicationId, page, pages),
  });
}

/** The application's id at the bottom left of every page, the page number at the right. */
function footer(form: Form, applicationId: string, page: number, pages: number): Mark[] {
  const { footer: f } = form.template;
  const baseline = mm(f.bottomMm);
  const number = fill(f.page, { page: String(page), pages: String(pages) });
  const numberWidth = form.measure(number, f.sizePt);
  const id = form.fit(fill(f.text, { id: clean(applicationId) }), form.right - form.left - numberWidth - 2 * f.sizePt, { size: f.sizePt, minSize: f.sizePt * 0.75, maxLines: 1 }, 'footer:id');
  const [first] = id;
  // An id too long even when shrunk wraps upwards, its last line on the footer's baseline.
  const top = first ? baseline - (first.pitch - first.size) / 2 - EM_TOP * first.size - (id.length - 1) * first.pitch : baseline;
  return [
    ...form.place(id, top, { x: form.left }, form.muted),
    form.page.text(number, form.right - numberWidth, baseline, f.sizePt, form.muted, 'footer:page'),
  ];
}

/**
 * The cover, drawn where the attachment places it: 附件1, the title, the four fill-in lines with their
 * labels spread to one width, and the two issuing offices with 制 beside them.
 */
function cover(form: Form, doc: ApprovalFormDocument): Block {
  const { attachment, title, fields, issuers } = form.template.cover;
  const { page, ink } = form;
  const centre = page.width / 2;
  const marks: Mark[] = [
    page.text(attachment.text, mm(attachment.leftMm), mm(attachment.baselineMm), attachment.sizePt, ink, 'attachment'),
    ...title.lines.map((line, i) => page.centred(line, centre, mm(title.baselineMm + i * title.pitchMm), title.sizePt, ink, 'title')),
  ];

  const labelX = mm(fields.leftMm);
  const valueX = labelX + mm(fields.labelWidthMm + fields.gapMm);
  const valueWidth = mm(fields.valueWidthMm);
  let baseline = mm(fields.baselineMm);
  for (const row of fields.rows) {
    marks.push(...form.justify(row.label, labelX, mm(fields.labelWidthMm), baseline, fields.sizePt, `cover:label:${row.key}`));
    const lines = form.fit(coverValue(doc, row.key), valueWidth - mm(2), { size: fields.sizePt, minSize: fields.minSizePt, maxLines: 1 }, `cover:${row.key}`, fields.lineHeightEm);
    // The value stands centred on its underline; one that wraps gets a line of its own for each line.
    const rows = Math.max(1, lines.length);
    for (let i = 0; i < rows; i++) {
      const line = lines[i];
      const lineBaseline = baseline + i * (line?.pitch ?? 0);
      if (line) marks.push(page.centred(line.text, valueX + valueWidth / 2, lineBaseline, line.size, ink, line.role));
      marks.push(form.underline(valueX, valueWidth, lineBaseline, fields.sizePt, `underline:cover:${row.key}`, fields.underlineWidthPt));
    }
    baseline += (rows - 1) * (lines[0]?.pitch ?? 0) + mm(fields.pitchMm);
  }

  const widest = Math.max(...issuers.lines.map((line) => form.measure(line, issuers.sizePt)));
  const markWidth = form.measure(issuers.mark, issuers.sizePt);
  const issuersX = centre - (widest + mm(issuers.markGapMm) + markWidth) / 2;
  issuers.lines.forEach((line, i) => marks.push(...form.justify(line, issuersX, widest, mm(issuers.baselineMm + i * issuers.pitchMm), issuers.sizePt, 'issuer')));
  const markBaseline = mm(issuers.baselineMm + ((issuers.lines.length - 1) * issuers.pitchMm) / 2);
  marks.push(page.text(issuers.mark, issuersX + widest + mm(issuers.markGapMm), markBaseline, issuers.sizePt, ink, 'issuer:mark'));
  // The cover places itself on the page: it takes no room from the flow.
  return { height: 0, draw: () => marks };
}

/** A labelled signature line: the label, then the name wrapped beside it, or a blank line to sign on. */
interface Signature {
  label: string;
  value: string | undefined;
  role: string;
}

/** Signatures from `x` to `right`, then the date flush right (a blank date to fill in when there is none). */
function signOff(form: Form, signatures: readonly Signature[], date: { value: string | undefined; role: string }, x: number, right: number, size: number, lineHeightEm: number): Pick<Block, 'height' | 'draw'> {
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

/**
 * 诚信承诺书 and 呈报材料真实性承诺书 on one page, in the notice's words; the second names the applicant
 * and the dates of the unit's public notice (notice 二(二)2: five working days).
 */
function pledges(form: Form, doc: ApprovalFormDocument): Block[] {
  const { pledges: p } = form.template;
  const integrity = doc.integrityPledge;
  const authenticity = doc.authenticityPledge;
  const noticeDate = (date: string | undefined): string => (date === undefined ? p.blankDate : formatChineseDate(date));
  return [
    {
      ...pledge(form, 'integrity', p.integrity.title, p.integrity.text, [{ label: p.integrity.signer, value: integrity?.signer, role: 'pledge:integrity:signer' }], integrity?.signedOn),
      startsPage: true,
    },
    pledge(
      form,
      'authenticity',
      p.authenticity.title,
      fill(p.authenticity.text, {
        name: clean(doc.applicant.name) || p.blankName,
        // 二(二)2 公示无异议: said only when no objection was raised; after unfounded ones, how many and that they were untrue.
        noticeOutcome: authenticity && authenticity.objections > 0 ? fill(p.authenticity.objectionsUnfounded, { count: String(authenticity.objections) }) : p.authenticity.noObjection,
        noticeStart: noticeDate(authenticity?.noticeStart),
        noticeEnd: noticeDate(authenticity?.noticeEnd),
      }),
      [
        { label: p.authenticity.signer, value: authenticity?.signer, role: 'pledge:authenticity:signer' },
        { label: p.authenticity.unit, value: authenticity?.unitName, role: 'pledge:authenticity:unitName' },
      ],
      authenticity?.signedOn,
      mm(p.betweenMm),
    ),
  ];
}

/** One pledge: its title, its text with the first line indented, its signatures and date. */
function pledge(form: Form, key: string, title: string, text: string, signatures: Signature[], signedOn: string | undefined, gapAbove = 0): Block {
  const p = form.template.pledges;
  const width = form.right - form.left;
  const titleLine: Line = { text: title, size: p.titleSizePt, pitch: p.titleSizePt * 1.4, role: `pledge:${key}:title` };
  const lines = form.wrap(text, width, p.sizePt, `pledge:${key}:text`, p.lineHeightEm, p.indentEm);
  const signed = signOff(form, signatures, { value: signedOn, role: `pledge:${key}:date` }, mm(p.signLeftMm), form.right - 2 * p.sizePt, p.sizePt, p.lineHeightEm);
  const textTop = gapAbove + titleLine.pitch + mm(p.titleGapMm);
  const signTop = textTop + heightOf(lines) + mm(p.signGapMm);
  return {
    height: signTop + signed.height,
    draw: (top) => [
      ...form.place([titleLine], top + gapAbove, { centreX: form.page.width / 2 }),
      ...form.place(lines, top + textTop, { x: form.left }),
      ...signed.draw(top + signTop),
    ],
  };
}

/** A page heading such as 基本情况, opening its page and kept with what follows. */
function heading(form: Form, text: string, role: string): Block {
  const { heading: h } = form.template;
  const height = mm(h.heightMm);
  const line: Line = { text, size: h.sizePt, pitch: h.sizePt * 1.4, role };
  return { height, startsPage: true, keepWithNext: true, draw: (top) => form.place([line], top + (height - line.pitch) / 2, { centreX: form.page.width / 2 }) };
}

/** A table row whose cells can be drawn taller than they need (rows beside the photo stretch to it). */
interface Row {
  height: number;
  draw(top: number, height?: number): Mark[];
}

/** Label and value cells side by side across the row, each pair as the template sizes it. */
function factRow(form: Form, doc: ApprovalFormDocument, cells: ApprovalFormTemplate['facts']['rows'][number]['cells']): Row {
  const { padX, padY } = form;
  let x = form.left;
  const placed = cells.map((cell) => {
    const labelX = x;
    const valueX = labelX + mm(cell.labelMm);
    x = valueX + mm(cell.valueMm);
    return {
      labelX,
      valueX,
      end: x,
      label: form.label(cell.label, mm(cell.labelMm) - 2 * padX, `label:fact:${cell.key}`),
      value: form.value(factValue(doc, cell.key), mm(cell.valueMm) - 2 * padX, `fact:${cell.key}`),
    };
  });
  const needed = Math.max(mm(form.template.table.rowMinHeightMm), ...placed.map((cell) => Math.max(heightOf(cell.label), heightOf(cell.value)) + 2 * padY));
  return {
    height: needed,
    draw: (top, height = needed) =>
      placed.flatMap((cell) => [
        form.cell(cell.labelX, cell.valueX, top, height),
        form.cell(cell.valueX, cell.end, top, height),
        ...form.placeMiddle(cell.label, top, height, { centreX: (cell.labelX + cell.valueX) / 2 }),
        ...form.placeMiddle(cell.value, top, height, { x: cell.valueX + padX }),
      ]),
  };
}

/** 基本情况: the rows beside the photo as one block, stretched to the photo box's height, then the rest. */
function facts(form: Form, doc: ApprovalFormDocument, photoSize: PhotoSize | undefined): Block[] {
  const { facts: f } = form.template;
  const beside = f.rows.filter((row) => row.besidePhoto).map((row) => factRow(form, doc, row.cells));
  const below = f.rows.filter((row) => !row.besidePhoto).map((row) => factRow(form, doc, row.cells));
  const besideHeight = beside.reduce((sum, row) => sum + row.height, 0);
  // Rows shorter together than the photo box share out the difference.
  const stretch = beside.length > 0 ? Math.max(0, mm(f.photo.minHeightMm) - besideHeight) / beside.length : 0;
  const height = besideHeight + stretch * beside.length;
  const photoLeft = form.right - mm(f.photo.widthMm);
  const withPhoto: Block = {
    height,
    draw: (top) => {
      const marks: Mark[] = [form.cell(photoLeft, form.right, top, height, 'photo:cell'), ...photo(form, photoSize, photoLeft, top, height)];
      let rowTop = top;
      for (const row of beside) {
        marks.push(...row.draw(rowTop, row.height + stretch));
        rowTop += row.height + stretch;
      }
      return marks;
    },
  };
  return [heading(form, f.title, 'facts:title'), ...(beside.length > 0 ? [withPhoto] : []), ...below];
}

/** The photo inside its cell, whole and centred; without one, the cell says where to stick it (贴照片处). */
function photo(form: Form, size: PhotoSize | undefined, left: number, top: number, height: number): Mark[] {
  const { photo: p } = form.template.facts;
  const pad = mm(p.paddingMm);
  const box = { x: left + pad, width: form.right - left - 2 * pad, top: top + pad, height: height - 2 * pad };
  const fitted = containPhoto(size, box);
  if (fitted) {
    const { width, height: drawn } = fitted;
    return [{ kind: 'photo', x: box.x + (box.width - width) / 2, y: form.page.y(box.top + (box.height + drawn) / 2), width, height: drawn }];
  }
  return form.placeMiddle(form.label(p.label, box.width, 'photo:placeholder'), top, height, { centreX: box.x + box.width / 2 });
}

/** A full-width cell with a caption centred in it, e.g. 主要工作经历 or 到现单位后专业技术工作总结（续）. */
function captionRow(form: Form, text: string, role: string): Row {
  const lines = form.label(text, form.right - form.left - 2 * form.padX, role);
  const needed = Math.max(mm(form.template.table.rowMinHeightMm), heightOf(lines) + 2 * form.padY);
  return {
    height: needed,
    draw: (top, height = needed) => [form.cell(form.left, form.right, top, height), ...form.placeMiddle(lines, top, height, { centreX: (form.left + form.right) / 2 })],
  };
}

/**
 * 主要工作经历: its caption and column heads, then one row per period — at least the attachment's five, left
 * blank to fill in by hand. Rows continue on the next page under the caption and heads again.
 */
function workHistory(form: Form, doc: ApprovalFormDocument): Block[] {
  const { history: h } = form.template;
  const { padX, padY } = form;
  let x = form.left;
  const columns = h.columns.map((column) => {
    const start = x;
    x += mm(column.widthMm);
    return { ...column, start, end: x };
  });
  const cellsRow = (cells: { start: number; end: number; lines: Line[] }[], centred: boolean): Row => {
    const height = Math.max(mm(form.template.table.rowMinHeightMm), ...cells.map((cell) => heightOf(cell.lines) + 2 * padY));
    return {
      height,
      draw: (top) =>
        cells.flatMap((cell) => [
          form.cell(cell.start, cell.end, top, height),
          ...form.placeMiddle(cell.lines, top, height, centred ? { centreX: (cell.start + cell.end) / 2 } : { x: cell.start + padX }),
        ]),
    };
  };
  const heads = (continued: boolean): Block => {
    const caption = captionRow(form, form.caption(h.caption, continued), 'history:caption');
    const names = cellsRow(columns.map((column) => ({ ...column, lines: form.label(column.label, column.end - column.start - 2 * padX, `label:history:${column.key}`) })), true);
    return { height: caption.height + names.height, draw: (top) => [...caption.draw(top), ...names.draw(top + caption.height)] };
  };
  const carry = heads(true);
  const rows: Block[] = [];
  for (let i = 0; i < Math.max(doc.workHistory.length, h.minRows); i++) {
    const entry = doc.workHistory[i];
    const row = cellsRow(columns.map((column) => ({ ...column, lines: entry ? form.value(entry[column.key], column.end - column.start - 2 * padX, `history:${i}:${column.key}`) : [] })), false);
    rows.push({ ...row, carry });
  }
  return [{ ...heads(false), keepWithNext: true }, ...rows];
}

/** `text` as paragraphs (split at newlines), each wrapped with its first line indented, a small gap between. */
function paragraphs(form: Form, text: string, width: number, style: { size: number; lineHeightEm: number; indentEm: number; gapMm: number }, role: string): Line[] {
  const lines: Line[] = [];
  for (const paragraph of text.split(/\n+/u).filter((p) => clean(p) !== '')) {
    if (lines.length > 0) lines.push({ text: '', size: style.size, pitch: mm(style.gapMm), role: 'gap' });
    lines.push(...form.wrap(paragraph, width, style.size, role, style.lineHeightEm, style.indentEm));
  }
  return lines;
}

/**
 * 到现单位后专业技术工作总结: the caption, the summary in one cell — room to write by hand when it is
 * empty, continuing page after page under 到现单位后专业技术工作总结（续） when long — then 本人签字 and the
 * date, which the applicant gives with the integrity pledge.
 */
function workSummary(form: Form, doc: ApprovalFormDocument): Block[] {
  const { summary: s, table } = form.template;
  const { left, right, padX, padY } = form;
  const caption = (continued: boolean): Block => captionRow(form, form.caption(s.caption, continued), 'summary:caption');
  const carry = caption(true);
  const lines = paragraphs(form, doc.workSummary, right - left - 2 * padX, { size: s.sizePt, lineHeightEm: s.lineHeightEm, indentEm: s.indentEm, gapMm: s.paragraphGapMm }, 'summary:text');
  const body = (part: Line[], minHeight: number, continued: boolean): Block => {
    const height = Math.max(minHeight, heightOf(part) + 2 * padY);
    const breakable = part.filter((line) => line.text !== '').length > table.minLinesBeforeBreak;
    return {
      height,
      // A summary too short to break moves whole, its caption with it.
      lead: breakable ? 2 * padY + table.minLinesBeforeBreak * s.sizePt * s.lineHeightEm : height,
      ...(continued ? { carry } : {}),
      draw: (top) => [form.cell(left, right, top, height), ...form.place(part, top + padY, { x: left + padX })],
      split: (space, fresh) => {
        // Every line fits, only the room kept for handwriting does not: the cell ends with the page.
        if (breakable && heightOf(part) + 2 * padY <= space) return [body(part, space, continued), NOTHING];
        const taken = linesBefore(part, space - 2 * padY, fresh, table.minLinesBeforeBreak);
        if (taken === undefined) return undefined;
        return [body(part.slice(0, taken), space, continued), body(linesAfter(part, taken), 0, true)];
      },
    };
  };
  const pledge = doc.integrityPledge;
  const signed = signOff(form, [{ label: s.signer, value: pledge?.signer, role: 'summary:signer' }], { value: pledge?.signedOn, role: 'summary:date' }, mm(form.template.pledges.signLeftMm), right - padX - 2 * s.sizePt, s.sizePt, s.lineHeightEm);
  const signature: Block = {
    height: signed.height + 2 * padY,
    carry,
    draw: (top) => [form.cell(left, right, top, signed.height + 2 * padY), ...signed.draw(top + padY)],
  };
  return [{ ...caption(false), keepWithNext: true }, body(lines, mm(s.minHeightMm), false), signature];
}

/** 职称重新确认职称资格意见: a page of its own, the four boxes in the attachment's order. */
function opinions(form: Form, doc: ApprovalFormDocument): Block[] {
  const { opinions: o } = form.template;
  return [heading(form, o.title, 'opinions:title'), ...o.boxes.flatMap((box) => opinionRows(form, box, doc.opinions[box.key]))];
}

/** One block of a box: the opinion given (or `null`, a blank block to sign by hand) and the stem of its marks' roles, `opinion:<box>:<i>`. */
interface OpinionSlot {
  opinion: ApprovalFormOpinion | null;
  role: string;
}

/**
 * 审核记录: under the opinions, one line per check the unit and the forwarding offices recorded (核对原件,
 * 社保缴纳核实, 平台受理) — nothing at all while there is none.
 */
function records(form: Form, doc: ApprovalFormDocument): Block[] {
  const lines = doc.records ?? [];
  if (lines.length === 0) return [];
  const { records: r } = form.template;
  const { left, right, padX, padY } = form;
  const text = paragraphs(form, lines.map((line) => `${line.label}：${line.text}`).join('\n'), right - left - 2 * padX, { size: r.sizePt, lineHeightEm: r.lineHeightEm, indentEm: 0, gapMm: 0.5 }, 'records:text');
  const height = heightOf(text) + 2 * padY;
  const caption = captionRow(form, r.caption, 'records:caption');
  return [
    { ...caption, keepWithNext: true },
    { height, draw: (top) => [form.cell(left, right, top, height), ...form.place(text, top + padY, { x: left + padX })] },
  ];
}

/**
 * One box of opinions, every opinion in a block of its own (四(二): each level gives, signs and seals its
 * own): `box.blocks` blocks side by side on a row, as attachment 1 draws two in the 县、市（厅局） row, and as
 * many rows as the levels that signed need — at least one, blank to sign by hand; later rows are marked
 * （续）. A row of blocks too tall for a page is set one block to a row instead, each able to continue on
 * the next page.
 */
function opinionRows(form: Form, box: { key: string; label: string; blocks: number }, given: readonly ApprovalFormOpinion[]): Block[] {
  const count = Math.max(box.blocks, Math.ceil(given.length / box.blocks) * box.blocks);
  const slots: OpinionSlot[] = Array.from({ length: count }, (_, i) => ({ opinion: given[i] ?? null, role: `opinion:${box.key}:${i}` }));
  const labelRole = `label:opinion:${box.key}`;
  const single = (): Block[] =>
    slots
      .filter((slot, i) => slot.opinion !== null || i === 0 || given.length === 0)
      .map((slot, i) => opinionBox(form, { text: box.label, role: labelRole, later: i > 0 }, slot, opinionLines(form, slot, form.right - form.left - mm(form.template.opinions.labelWidthMm) - 2 * form.padX), { continued: false, signed: true }));
  if (box.blocks === 1) return single();
  const rows: Block[] = [];
  for (let at = 0; at < slots.length; at += box.blocks) rows.push(opinionBlocks(form, form.caption(box.label, at > 0), labelRole, slots.slice(at, at + box.blocks)));
  return rows.some((row) => row.height > form.capacity) ? single() : rows;
}

/** An opinion's text as lines `width` wide (none for a blank block). */
function opinionLines(form: Form, slot: OpinionSlot, width: number): Line[] {
  const { opinions: o } = form.template;
  return slot.opinion ? paragraphs(form, slot.opinion.opinion, width, { size: o.sizePt, lineHeightEm: o.lineHeightEm, indentEm: 0, gapMm: 1 }, `${slot.role}:text`) : [];
}

/** The sign-off of one block: 公章 (the organisation whose seal goes there), 负责人（签字） and the date, from `x` to `right`. */
function blockSignOff(form: Form, slot: OpinionSlot, x: number, right: number): Pick<Block, 'height' | 'draw'> {
  const { opinions: o } = form.template;
  return signOff(
    form,
    [
      { label: o.seal, value: slot.opinion?.organisation, role: `${slot.role}:organisation` },
      { label: o.signer, value: slot.opinion?.signer, role: `${slot.role}:signer` },
    ],
    { value: slot.opinion?.date, role: `${slot.role}:date` },
    x,
    right,
    o.sizePt,
    o.lineHeightEm,
  );
}

/** A row of blocks side by side beside the box's label, each with its opinion at the top and its sign-off at the bottom. */
function opinionBlocks(form: Form, label: string, labelRole: string, slots: readonly OpinionSlot[]): Block {
  const { opinions: o } = form.template;
  const { left, right, padX, padY } = form;
  const labelRight = left + mm(o.labelWidthMm);
  const width = (right - labelRight) / slots.length;
  const labelLines = form.label(label, labelRight - left - 2 * padX, labelRole, 8);
  const blocks = slots.map((slot, i) => {
    const x = labelRight + i * width;
    const lines = opinionLines(form, slot, width - 2 * padX);
    const signed = blockSignOff(form, slot, x + padX, x + width - padX);
    return { slot, x, lines, signed, needed: 2 * padY + heightOf(lines) + mm(o.signOffGapMm) + signed.height };
  });
  const height = Math.max(mm(o.minHeightMm), 2 * padY + heightOf(labelLines), ...blocks.map((block) => block.needed));
  return {
    height,
    draw: (top) => [
      form.cell(left, labelRight, top, height),
      ...form.placeMiddle(labelLines, top, height, { centreX: (left + labelRight) / 2 }),
      ...blocks.flatMap(({ slot, x, lines, signed }) => [
        form.cell(x, x + width, top, height, slot.role),
        ...form.place(lines, top + padY, { x: x + padX }),
        ...signed.draw(top + height - padY - signed.height),
      ]),
    ],
  };
}

/**
 * One opinion box of a single block: its label on the left; the opinion, then 公章 (the organisation whose
 * seal goes there), 负责人（签字） and the date at the bottom right — blank lines for each while nobody has
 * given it. A box too long for the rest of the page moves to the next; one too long for a whole page
 * continues there, its label marked （续）, the sign-off with the last part. A `later` opinion of the same
 * box (a second level of the same kind) is labelled （续） too.
 */
function opinionBox(form: Form, label: { text: string; role: string; later: boolean }, slot: OpinionSlot, lines: Line[], part: { continued: boolean; signed: boolean }): Block {
  const { opinions: o } = form.template;
  const { left, right, padX, padY } = form;
  const labelRight = left + mm(o.labelWidthMm);
  // The box is tall: its label may take as many lines as it needs rather than shrink.
  const labelLines = form.label(form.caption(label.text, part.continued || label.later), labelRight - left - 2 * padX, label.role, 8);
  const signed = blockSignOff(form, slot, right - padX - mm(o.signOffWidthMm), right - padX);
  const signOffHeight = part.signed ? mm(o.signOffGapMm) + signed.height : 0;
  const height = Math.max(part.continued ? 0 : mm(o.minHeightMm), 2 * padY + heightOf(lines) + signOffHeight, 2 * padY + heightOf(labelLines));
  return {
    height,
    draw: (top) => [
      form.cell(left, labelRight, top, height),
      form.cell(labelRight, right, top, height, slot.role),
      ...form.placeMiddle(labelLines, top, height, { centreX: (left + labelRight) / 2 }),
      ...form.place(lines, top + padY, { x: labelRight + padX }),
      ...(part.signed ? signed.draw(top + height - padY - signed.height) : []),
    ],
    split: (space, fresh) => {
      // A box that fits on a page of its own goes there whole.
      if (!fresh && height <= form.capacity) return undefined;
      const taken = linesBefore(lines, space - 2 * padY, fresh, form.template.table.minLinesBeforeBreak, true);
      if (taken === undefined) return undefined;
      return [
        opinionBox(form, label, slot, lines.slice(0, taken), { continued: part.continued, signed: false }),
        opinionBox(form, label, slot, linesAfter(lines, taken), { continued: true, signed: part.signed }),
      ];
    },
  };
}
