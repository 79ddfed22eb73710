/**
 * @module render/verificationRecord/evidence
 * The evidence printed under the verification record's table: the screenshot or the scanned reply, or
 * where a PDF reply's pages are.
 */

import type { Mark } from '../lib/marks.js';
import { containPhoto } from '../lib/photo.js';
import { fill, heightOf } from '../lib/tableFlow.js';
import { mm } from '../lib/units.js';
import { recordEvidence } from './document.js';
import type { VerificationRecordDocument } from './document.js';
import type { Row, Sheet } from './sheet.js';

/**
 * How the evidence is printed: an image drawn at its pixel size's aspect, a PDF whose pages follow the
 * sheet, or a file that could not be printed (named by its hash only).
 */
export type EvidencePrint = { kind: 'image'; width: number; height: number } | { kind: 'pdf'; pages: number } | { kind: 'unprintable' };

/**
 * Under the table and its note, the evidence the record points at (notice 四(三); the note under
 * attachment 2 asks for the result checked): 附：查询结果截图 or 附：回函扫描件, the image scaled to fit the
 * width and the template's height, framed, its SHA-256 under it — or, for a PDF, where its pages are. It
 * moves whole to the next page when the rest of this one is too short.
 */
export function evidenceRows(sheet: Sheet, doc: VerificationRecordDocument, print: EvidencePrint | undefined): Row[] {
  const ref = recordEvidence(doc.record);
  if (!ref || !print) return [];
  const { evidence: e, note } = sheet.template;
  const { left, right } = sheet;
  const width = right - left;
  const gap = mm(note.gapMm) * 2;
  const label = ref.kind === 'screenshot' ? e.screenshotLabel : e.replyLabel;
  const heading = print.kind === 'image' ? `附：${label}` : `附：${label}（${print.kind === 'pdf' ? fill(e.attached, { pages: String(print.pages) }) : e.notAttached}）`;
  const headingLines = sheet.wrap(heading, width, sheet.template.table.labelSizePt, 'evidence:label');
  const caption = sheet.fit(fill(e.caption, { hash: ref.sha256 }), width, { size: e.sizePt, minSize: e.sizePt * 0.75, maxLines: 1 }, 'evidence:hash');
  const pad = mm(e.paddingMm);
  const fitted = print.kind === 'image' ? containPhoto(print, { width: width - 2 * pad, height: mm(e.maxHeightMm) - 2 * pad }) : undefined;
  const frameHeight = fitted ? fitted.height + 2 * pad : 0;
  const height = gap + heightOf(headingLines) + frameHeight + heightOf(caption);
  return [
    {
      height,
      inTable: false,
      draw: (top) => {
        const marks: Mark[] = [...sheet.place(headingLines, top + gap, { x: left })];
        let at = top + gap + heightOf(headingLines);
        if (fitted) {
          const frameWidth = fitted.width + 2 * pad;
          const x = left + (width - frameWidth) / 2;
          marks.push(sheet.cell(x, x + frameWidth, at, frameHeight, 'evidence:frame'), { kind: 'photo', x: x + pad, y: sheet.page.y(at + pad + fitted.height), width: fitted.width, height: fitted.height });
          at += frameHeight;
        }
        marks.push(...sheet.place(caption, at, { x: left }, sheet.muted));
        return marks;
      },
    },
  ];
}
