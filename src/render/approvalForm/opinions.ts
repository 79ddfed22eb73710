/**
 * @module render/approvalForm/opinions
 * The approval form's last page: 职称重新确认职称资格意见, its four opinion boxes with their sign-offs
 * (each level's opinion in a block of its own, blank to sign by hand while nobody has given it), and the
 * 审核记录 under them.
 */

import type { ApprovalFormDocument, ApprovalFormOpinion } from './document.js';
import { heightOf, linesAfter, linesBefore } from '../lib/tableFlow.js';
import type { Line } from '../lib/tableFlow.js';
import { mm } from '../lib/units.js';
import { captionRow, heading, paragraphs, signOff } from './sheet.js';
import type { Block, Form } from './sheet.js';

/** 职称重新确认职称资格意见: a page of its own, the four boxes in the attachment's order. */
export function opinions(form: Form, doc: ApprovalFormDocument): Block[] {
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
export function records(form: Form, doc: ApprovalFormDocument): Block[] {
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
