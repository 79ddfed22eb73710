/**
 * @module render/verificationRecord/layout
 * Places the verification record on A4 pages as attachment 2 of the notice draws it: the title, one
 * bordered table — 需核实职称证书情况 (five rows under one group cell), 核实方式 with its four boxes,
 * 核查记录, 核查结果, 经办人签名 and the date — then the note under the table, and a footer naming the
 * record, its chain hash and any correction. Long values wrap inside their cells; the record text shrinks a
 * little to keep the record on one page, and past that continues on the next page rather than overflow.
 * Pure: the same document, template and fonts always give the same marks. The Sheet and its labelled rows
 * live in sheet.ts, the evidence under the table in evidence.ts.
 */

import { chinaDate, formatChineseDate } from '../../domain/chineseDate.js';
import { VERIFICATION_METHOD_NAMES } from '../../domain/verificationRecord.js';
import type { VerificationMethod } from '../../domain/verificationRecord.js';
import type { LoadedFonts } from '../fonts.js';
import type { Mark } from '../lib/marks.js';
import { EM_TOP } from '../lib/page.js';
import { fill, flowPages, heightOf } from '../lib/tableFlow.js';
import type { Line } from '../lib/tableFlow.js';
import { mm, type Rgb } from '../lib/units.js';
import { recordDetails, subjectValue } from './document.js';
import type { VerificationRecordDocument } from './document.js';
import { evidenceRows, type EvidencePrint } from './evidence.js';
import { labelledRow, Sheet, type Row } from './sheet.js';
import type { VerificationRecordTemplate } from './template.js';
import { breakLines, clean } from '../lib/wrap.js';

// An ideograph's em reaches this far below the baseline; a line centres that em in its line height.
const EM_BELOW = 0.12;
// The record text steps down by this much, towards the template's minimum, to stay on one page.
const SHRINK_STEP_PT = 0.5;
// The boxes are drawn when the fonts have no ☑ or □ to print them with.
const CHECKED = '☑';
const UNCHECKED = '□';

/**
 * Lays out one record: the marks of each page, in PDF coordinates (roles name what each mark is, e.g.
 * `subject:holderName`, `method:box:phone`, `method:tick:phone`, `record:text`, `result`).
 *
 * @example
 * const pages = layoutVerificationRecord(doc, template, await fontSet.load());
 * const ticks = pages[0]!.filter((m) => m.kind === 'line' && m.role?.startsWith('method:tick:'));
 */
export function layoutVerificationRecord(doc: VerificationRecordDocument, template: VerificationRecordTemplate, fonts: LoadedFonts, evidence?: EvidencePrint): Mark[][] {
  const { sizePt, minSizePt } = template.record;
  const sheet = new Sheet(template, fonts);
  const pages = flow(doc, sheet, 1, evidence);
  for (let size = sizePt - SHRINK_STEP_PT; pages.length > 1 && size >= minSizePt - 1e-9; size -= SHRINK_STEP_PT) {
    const smaller = flow(doc, sheet, size / sizePt, evidence);
    if (smaller.length === 1) return smaller;
  }
  // Too long for one page even at the smallest size: keep the full size and continue on the next page.
  return pages;
}

/**
 * Lays out every row from the first page on, opening a page whenever the next row will not fit; each
 * page's part of the table gets its outer border.
 */
function flow(doc: VerificationRecordDocument, sheet: Sheet, recordScale: number, evidence: EvidencePrint | undefined): Mark[][] {
  const { template } = sheet;
  const footer = footerLines(sheet, doc);
  const rows = [subjectRow(sheet, doc), methodRow(sheet, doc), recordRow(sheet, doc, recordScale), resultRow(sheet, doc), signatureRow(sheet, doc), noteRow(sheet), ...evidenceRows(sheet, doc, evidence)];
  return flowPages(rows, {
    limit: footerTop(sheet, footer) - mm(template.footer.gapMm),
    open: (first) => ({ marks: header(sheet, first), top: mm(first ? template.table.topMm : template.table.continuedTopMm) }),
    close: (placed, tableTop) => {
      const last = placed.filter(({ block }) => block.inTable).at(-1);
      if (!last) return [];
      const tableBottom = last.top + last.block.height;
      const { left, right } = sheet;
      return [{ kind: 'rect', x: left, y: sheet.page.y(tableBottom), width: right - left, height: tableBottom - tableTop, stroke: sheet.rule, lineWidth: template.table.outerWidthPt }];
    },
    footer: (page, pages) => footerMarks(sheet, footer, page, pages),
  });
}

/** 附件2 and the title on the first page; the title marked as continued on the others. */
function header(sheet: Sheet, first: boolean): Mark[] {
  const { attachment, title } = sheet.template;
  const centre = sheet.page.width / 2;
  if (!first) {
    return [sheet.page.centred(title.text + title.continuedSuffix, centre, mm(title.continuedBaselineMm), title.continuedSizePt, sheet.ink, 'title')];
  }
  return [
    sheet.page.text(attachment.text, mm(attachment.leftMm), mm(attachment.baselineMm), attachment.sizePt, sheet.ink, 'attachment'),
    sheet.page.centred(title.text, centre, mm(title.baselineMm), title.sizePt, sheet.ink, 'title'),
  ];
}

/** 需核实职称证书情况: the group cell on the left, then one row per field of the certificate checked. */
function subjectRow(sheet: Sheet, doc: VerificationRecordDocument): Row {
  const { subject } = sheet.template;
  const { left, group, label, right, padX, padY } = sheet;
  const rows = subject.rows.map((row) => {
    const value = sheet.fit(subjectValue(doc.record.subject, row.key), right - label - 2 * padX, { size: subject.valueSizePt, minSize: subject.minValueSizePt, maxLines: subject.maxLines }, `subject:${row.key}`);
    const labelLines = sheet.labelLines(row.label, label - group, `label:subject.${row.key}`);
    const height = Math.max(mm(subject.rowMinHeightMm), heightOf(value) + 2 * padY, heightOf(labelLines) + 2 * padY);
    return { value, labelLines, height };
  });
  const groupLines = sheet.labelLines(subject.label, group - left, 'label:subject');
  const last = rows.at(-1);
  // A group label taller than its five rows deepens the last one.
  if (last) last.height += Math.max(0, heightOf(groupLines) + 2 * padY - rows.reduce((sum, row) => sum + row.height, 0));
  const height = rows.reduce((sum, row) => sum + row.height, 0);
  return {
    height,
    inTable: true,
    draw: (top) => {
      const marks: Mark[] = [sheet.cell(left, group, top, height), ...sheet.placeMiddle(groupLines, top, height, { centreX: (left + group) / 2 })];
      let rowTop = top;
      for (const row of rows) {
        marks.push(
          sheet.cell(group, label, rowTop, row.height),
          sheet.cell(label, right, rowTop, row.height),
          ...sheet.placeMiddle(row.labelLines, rowTop, row.height, { centreX: (group + label) / 2 }),
          ...sheet.placeMiddle(row.value, rowTop, row.height, { x: label + padX }),
        );
        rowTop += row.height;
      }
      return marks;
    },
  };
}

/**
 * 核实方式: □信息系统 □发函 □电话 on one line and □其他：… on the next, as attachment 2 prints them, the
 * chosen one ticked. With no ☑/□ in the fonts the boxes and the tick are drawn as lines, and the method's
 * name stays plain text.
 */
function methodRow(sheet: Sheet, doc: VerificationRecordDocument): Row {
  const { method, table } = sheet.template;
  const { group, right, padX, padY } = sheet;
  const chosen = doc.record.details.method;
  const size = method.sizePt;
  const pitch = size * table.lineHeightEm;
  const asGlyphs = sheet.fonts.undrawable(CHECKED + UNCHECKED).length === 0;
  const box = size * method.boxEm;
  const boxAdvance = asGlyphs ? 0 : box + mm(method.boxGapMm);
  const start = group + padX;
  const end = right - padX;

  // Everything is placed on numbered lines first, then set vertically centred in the cell.
  const pieces: Array<{ line: number; x: number; method?: VerificationMethod; text: string; role: string }> = [];
  let line = -1;
  for (const methods of method.lines) {
    line += 1;
    let x = start;
    for (const m of methods) {
      const name = VERIFICATION_METHOD_NAMES[m].zh + (m === 'other' ? method.otherSeparator : '');
      const text = asGlyphs ? (m === chosen ? CHECKED : UNCHECKED) + name : name;
      const width = boxAdvance + sheet.measure(text, size);
      if (x > start && x + width > end) {
        line += 1;
        x = start;
      }
      pieces.push({ line, x, method: m, text, role: `method:${m}` });
      x += width;
      if (m === 'other' && chosen === 'other') {
        // The description follows 其他：, its later lines hanging under its first.
        const description = breakLines(clean(doc.record.details.other.description), end - x, (s) => sheet.measure(s, size));
        description.forEach((text, i) => pieces.push({ line: line + i, x, text, role: 'method:other:description' }));
        line += Math.max(0, description.length - 1);
        x = end; // whatever follows starts a line of its own
      }
      x += mm(method.optionGapMm);
    }
  }
  const lines = line + 1;
  const height = Math.max(mm(method.rowMinHeightMm), lines * pitch + 2 * padY);
  const labelLines = sheet.labelLines(method.label, group - sheet.left, 'label:method');

  return {
    height,
    inTable: true,
    draw: (top) => {
      const marks: Mark[] = [sheet.cell(sheet.left, group, top, height), sheet.cell(group, right, top, height), ...sheet.placeMiddle(labelLines, top, height, { centreX: (sheet.left + group) / 2 })];
      const blockTop = top + (height - lines * pitch) / 2;
      for (const piece of pieces) {
        const baseline = blockTop + piece.line * pitch + (pitch - size) / 2 + EM_TOP * size;
        if (piece.method && !asGlyphs) marks.push(...checkBox(sheet, piece.method, piece.x, baseline, box, piece.method === chosen));
        marks.push(sheet.page.text(piece.text, piece.x + (piece.method ? boxAdvance : 0), baseline, size, sheet.ink, piece.role));
      }
      return marks;
    },
  };
}

/** A square centred on the ideographs of the line at `baseline`, and a tick inside it when `ticked`. */
function checkBox(sheet: Sheet, method: VerificationMethod, x: number, baseline: number, box: number, ticked: boolean): Mark[] {
  const size = box / sheet.template.method.boxEm;
  // The middle of an ideograph's em, −0.12…0.88 em around the baseline.
  const middle = baseline - ((EM_TOP - EM_BELOW) / 2) * size;
  const bottom = sheet.page.y(middle + box / 2);
  const marks: Mark[] = [{ kind: 'rect', x, y: bottom, width: box, height: box, stroke: sheet.ink, lineWidth: sheet.template.method.boxWidthPt, role: `method:box:${method}` }];
  if (ticked) {
    const at = (u: number, v: number): [number, number] => [x + u * box, bottom + v * box];
    const [a, b, c] = [at(0.2, 0.52), at(0.42, 0.24), at(0.82, 0.8)];
    const stroke = { color: sheet.ink, thickness: sheet.template.method.tickWidthPt, role: `method:tick:${method}` };
    marks.push({ kind: 'line', x1: a[0], y1: a[1], x2: b[0], y2: b[1], ...stroke }, { kind: 'line', x1: b[0], y1: b[1], x2: c[0], y2: c[1], ...stroke });
  }
  return marks;
}

/**
 * 核查记录: the handler's text, then the time of the check and the method's details (notice, note under
 * attachment 2). Prose wraps; addresses, hashes and numbers stay whole on one line, shrinking if they must.
 */
function recordRow(sheet: Sheet, doc: VerificationRecordDocument, scale: number): Row {
  const { record } = sheet.template;
  const width = sheet.right - sheet.group - 2 * sheet.padX;
  const size = record.sizePt * scale;
  const detailSize = record.detailSizePt * scale;
  const lines: Line[] = [];
  for (const paragraph of doc.record.record.split(/\n+/u).map(clean).filter((p) => p !== '')) {
    lines.push(...sheet.wrap(paragraph, width, size, 'record:text', record.lineHeightEm));
  }
  if (lines.length > 0) lines.push({ text: '', size, pitch: mm(record.paragraphGapMm), role: 'gap' });
  for (const detail of recordDetails(doc.record, record.labels)) {
    const role = `record:detail:${detail.field}`;
    const line = `${detail.label}：${detail.value}`;
    if (!detail.code) {
      lines.push(...sheet.wrap(line, width, detailSize, role, record.lineHeightEm));
      continue;
    }
    // An address or hash is read whole: beside its label if it fits there, else on its own line, shrunk.
    const beside = sheet.fit(line, width, { size: detailSize, minSize: detailSize * 0.9, maxLines: 1 }, role, record.lineHeightEm);
    if (beside.length === 1) {
      lines.push(...beside);
      continue;
    }
    lines.push(...sheet.wrap(`${detail.label}：`, width, detailSize, role, record.lineHeightEm));
    lines.push(...sheet.fit(detail.value, width, { size: detailSize, minSize: Math.min(record.minDetailSizePt, detailSize), maxLines: 1 }, role, record.lineHeightEm));
  }
  return labelledRow(sheet, record.label, lines, { minHeight: mm(record.rowMinHeightMm), middle: false, continuedLabel: record.continuedLabel });
}

/** 核查结果: the sentence the caller worded, on one line where it can be. */
function resultRow(sheet: Sheet, doc: VerificationRecordDocument): Row {
  const { result } = sheet.template;
  const lines = sheet.fit(clean(doc.resultSentence), sheet.right - sheet.group - 2 * sheet.padX, { size: result.sizePt, minSize: result.minSizePt, maxLines: 1 }, 'result');
  return labelledRow(sheet, result.label, lines, { minHeight: mm(result.rowMinHeightMm), middle: true });
}

/** 经办人签名 with the handler's name, and the date at the bottom right, across the whole table. */
function signatureRow(sheet: Sheet, doc: VerificationRecordDocument): Row {
  const { signature, table } = sheet.template;
  const { left, right, padX, padY } = sheet;
  const size = signature.sizePt;
  const pitch = size * table.lineHeightEm;
  const labelWidth = sheet.measure(signature.label, size);
  const name = sheet.fit(clean(doc.record.handler.name), right - left - 2 * padX - labelWidth, { size, minSize: size * 0.75, maxLines: 2 }, 'handler:name');
  const date = formatChineseDate(doc.record.recordedOn);
  const height = Math.max(mm(signature.rowMinHeightMm), 2 * padY + heightOf(name) + pitch);
  return {
    height,
    inTable: true,
    draw: (top) => {
      const dateBaseline = top + height - padY - (pitch - size) / 2 - EM_BELOW * size;
      return [
        sheet.cell(left, right, top, height),
        ...sheet.place([{ text: signature.label, size, pitch, role: 'label:signature' }], top + padY, { x: left + padX }),
        ...sheet.place(name, top + padY, { x: left + padX + labelWidth }),
        // Two characters in from the right edge, where the form leaves room to sign the date.
        sheet.page.text(date, right - padX - 2 * size - sheet.measure(date, size), dateBaseline, size, sheet.ink, 'handler:date'),
      ];
    },
  };
}

/** The note printed under attachment 2's table. */
function noteRow(sheet: Sheet): Row {
  const { note } = sheet.template;
  const lines = sheet.wrap(note.text, sheet.right - sheet.left, note.sizePt, 'note');
  const gap = mm(note.gapMm);
  return { height: gap + heightOf(lines), inTable: false, draw: (top) => sheet.place(lines, top + gap, { x: sheet.left }) };
}

/** The footer's lines, top to bottom: a later correction, this record's correction, then id and hash. */
function footerLines(sheet: Sheet, doc: VerificationRecordDocument): Line[] {
  const { footer } = sheet.template;
  const { record, supersededBy } = doc;
  const size = footer.sizePt;
  const width = sheet.right - sheet.left;
  const lines: Line[] = [];
  const fit = (text: string, color: Rgb, role: string, maxWidth = width): Line[] =>
    sheet.fit(text, maxWidth, { size, minSize: size * 0.85, maxLines: 2 }, role, footer.lineHeightEm).map((line) => ({ ...line, color }));
  if (supersededBy) {
    const date = formatChineseDate(chinaDate(new Date(supersededBy.createdAt)));
    lines.push(...fit(fill(footer.supersededBy, { id: clean(supersededBy.id), date }), sheet.alert, 'footer:supersededBy'));
  }
  if (record.supersedes) {
    lines.push(...fit(fill(footer.supersedes, { id: clean(record.supersedes.id), reason: clean(record.supersedes.reason) }), sheet.muted, 'footer:supersedes'));
  }
  // Room on the last line for the page number at its right.
  const pageRoom = sheet.measure(fill(footer.page, { page: '99', pages: '99' }), size) + 2 * size;
  lines.push(...fit(fill(footer.record, { id: clean(record.id), hash: record.hash.slice(0, footer.hashChars) }), sheet.muted, 'footer:record', width - pageRoom));
  return lines;
}

/** The footer set up from its bottom baseline, with the page number right-aligned on the last line. */
function footerMarks(sheet: Sheet, lines: readonly Line[], page: number, pages: number): Mark[] {
  const { footer } = sheet.template;
  const number = fill(footer.page, { page: String(page), pages: String(pages) });
  return [
    ...sheet.place(lines, footerTop(sheet, lines), { x: sheet.left }),
    sheet.page.text(number, sheet.right - sheet.measure(number, footer.sizePt), mm(footer.bottomMm), footer.sizePt, sheet.muted, 'footer:page'),
  ];
}

/** Where the footer's first line begins, its last line's baseline being the template's `bottomMm`. */
function footerTop(sheet: Sheet, lines: readonly Line[]): number {
  const last = lines.at(-1);
  if (!last) return mm(sheet.template.footer.bottomMm);
  return mm(sheet.template.footer.bottomMm) - (last.pitch - last.size) / 2 - EM_TOP * last.size - (heightOf(lines) - last.pitch);
}
