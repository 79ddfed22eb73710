/**
 * @module render/verificationRecord/sheet
 * What every row of the verification record sets type with: the `Sheet` (the page, the table's columns
 * and the palette), the row the page flow places, and the labelled row most of the table is made of.
 */

import type { LoadedFonts } from '../fonts.js';
import { Page } from '../lib/page.js';
import { heightOf, linesAfter, linesBefore, TableSheet } from '../lib/tableFlow.js';
import type { FlowBlock, Line } from '../lib/tableFlow.js';
import { hexColor, mm, type Rgb } from '../lib/units.js';
import type { VerificationRecordTemplate } from './template.js';

/**
 * A table row, or the note under the table, ready to place. A row that may continue on the next page
 * splits between its lines.
 */
export interface Row extends FlowBlock<Row> {
  inTable: boolean;
}

/** The page, the table's columns (group | label | value) and the palette, all in points. */
export class Sheet extends TableSheet {
  readonly left: number;
  readonly group: number;
  readonly label: number;
  readonly right: number;
  readonly padX: number;
  readonly padY: number;
  readonly muted: Rgb;
  readonly alert: Rgb;

  constructor(
    readonly template: VerificationRecordTemplate,
    fonts: LoadedFonts,
  ) {
    const { table, palette } = template;
    super(new Page(template.page, fonts), { ink: hexColor(palette.ink), rule: hexColor(palette.rule), ruleWidthPt: table.innerWidthPt, lineHeightEm: table.lineHeightEm });
    this.left = mm(table.leftMm);
    this.group = mm(table.leftMm + table.groupWidthMm);
    this.label = mm(table.leftMm + table.groupWidthMm + table.labelWidthMm);
    this.right = mm(table.rightMm);
    this.padX = mm(table.paddingXMm);
    this.padY = mm(table.paddingYMm);
    this.muted = hexColor(palette.muted);
    this.alert = hexColor(palette.alert);
  }

  /** A label cell's text: centred, shrinking a little before it takes a third line. */
  labelLines(text: string, cellWidth: number, role: string): Line[] {
    const size = this.template.table.labelSizePt;
    return this.fit(text, cellWidth - 2 * this.padX, { size, minSize: size * 0.75, maxLines: 3 }, role);
  }
}

/**
 * A label in the group column and lines across the other two. With `continuedLabel` the row may break
 * between lines onto the next page, the rest under that label.
 */
export function labelledRow(sheet: Sheet, label: string, lines: Line[], options: { minHeight: number; middle: boolean; continuedLabel?: string }): Row {
  const { left, group, right, padX, padY } = sheet;
  const labelLines = sheet.labelLines(label, group - left, `label:${label}`);
  const height = Math.max(options.minHeight, heightOf(lines) + 2 * padY, heightOf(labelLines) + 2 * padY);
  const { continuedLabel } = options;
  return {
    height,
    inTable: true,
    draw: (top) => [
      sheet.cell(left, group, top, height),
      sheet.cell(group, right, top, height),
      ...sheet.placeMiddle(labelLines, top, height, { centreX: (left + group) / 2 }),
      ...(options.middle ? sheet.placeMiddle(lines, top, height, { x: group + padX }) : sheet.place(lines, top + padY, { x: group + padX })),
    ],
    split:
      continuedLabel === undefined
        ? undefined
        : (space, fresh) => {
            const taken = linesBefore(lines, space - 2 * padY, fresh, sheet.template.record.minLinesBeforeBreak);
            if (taken === undefined) return undefined;
            return [
              labelledRow(sheet, label, lines.slice(0, taken), { minHeight: space, middle: false }),
              labelledRow(sheet, continuedLabel, linesAfter(lines, taken), { minHeight: 0, middle: false, continuedLabel }),
            ];
          },
  };
}
