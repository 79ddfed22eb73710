/**
 * @module render/approvalForm/layout
 * Places the approval form on A4 pages as attachment 1 of the notice orders it: the cover (附件1, the
 * title, 单位, 姓名, 原取得职称名称, 填表时间, the two issuing offices), the integrity and authenticity
 * pledges, 基本情况 with the photo, 主要工作经历, 到现单位后专业技术工作总结 and the four opinion boxes of
 * 职称重新确认职称资格意见. Nothing is cut: values shrink a little, then wrap; work-history rows, the work
 * summary and long opinions continue on the next page under their caption marked （续）. Unsigned parts
 * keep their frame, with blank lines to sign and date by hand. Pure: the same document, template, fonts
 * and photo size always give the same marks. The shared pieces (the Form, headings, sign-offs) live in
 * sheet.ts, the opinion boxes and 审核记录 in opinions.ts.
 */

import { formatChineseDate } from '../../domain/chineseDate.js';
import type { LoadedFonts } from '../fonts.js';
import { coverValue, factValue } from './document.js';
import type { ApprovalFormDocument } from './document.js';
import { opinions, records } from './opinions.js';
import { captionRow, Form, heading, NOTHING, paragraphs, signOff } from './sheet.js';
import type { Block, Row, Signature } from './sheet.js';
import type { ApprovalFormTemplate } from './template.js';
import type { Mark } from '../lib/marks.js';
import { EM_TOP } from '../lib/page.js';
import { containPhoto } from '../lib/photo.js';
import type { PhotoSize } from '../lib/photo.js';
import { fill, flowPages, heightOf, linesAfter, linesBefore } from '../lib/tableFlow.js';
import type { Line } from '../lib/tableFlow.js';
import { mm } from '../lib/units.js';
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
