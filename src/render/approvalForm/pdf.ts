/**
 * @module render/approvalForm/pdf
 * The approval form (广西壮族自治区职称重新确认审批表, attachment 1 of the notice) as an A4 PDF of several
 * pages, laid out from `templates/approval-form.json` and set in subsets of the certificate's two Noto
 * faces, with the applicant's photo. Bytes in, bytes out: no I/O, no clock, no randomness — the same form
 * always renders to the same bytes.
 */

import type { FontSet } from '../fonts.js';
import { formDate, printedFields } from './document.js';
import type { ApprovalFormDocument } from './document.js';
import { layoutApprovalForm } from './layout.js';
import type { ApprovalFormTemplate } from './template.js';
import { embedPhoto } from '../lib/photo.js';
import { finishPdf, paintPages, startPdf, withDemoMark, type SignatureRequest } from '../lib/pdfFrame.js';

// What a caller of renderApprovalFormPdf needs, importable from this module alone.
export { parseApprovalFormTemplate } from './template.js';
export type { ApprovalFormDocument, ApprovalFormOpinion } from './document.js';
export type { ApprovalFormTemplate, OpinionKey } from './template.js';
export { sealApprovalForm } from './seals.js';
export type { OpinionSeal } from './seals.js';

/**
 * Renders one approval form: the cover, the two pledges, 基本情况 and 主要工作经历, the work summary and
 * the four opinion boxes, on as many pages as they take. A draft (no pledge or opinion yet) prints the
 * same frames with blank lines to sign. Refuses, with `undrawable_character` naming the field and the
 * character, any value the fonts cannot draw; and, with `invalid_photo`, a photo that is not one.
 *
 * @example
 * const fontSet = new FontSet(loadFontBytes);                   // once per process
 * const template = parseApprovalFormTemplate(layoutJson);       // once per process
 * const pdf = await renderApprovalFormPdf(form, fontSet, template);
 */
export async function renderApprovalFormPdf(
  doc: ApprovalFormDocument,
  fontSet: FontSet,
  template: ApprovalFormTemplate,
  /** When given, the PDF carries an (invisible) signature placeholder. */
  signature?: SignatureRequest,
): Promise<Uint8Array> {
  const { pdf, fonts } = await startPdf(fontSet, printedFields(doc, template));
  const photo = doc.applicant.photo ? await embedPhoto(pdf, doc.applicant.photo.bytes, 'applicant.photo') : undefined;
  const pages = layoutApprovalForm(doc, template, fonts, photo && { width: photo.width, height: photo.height });
  await paintPages(pdf, fonts, withDemoMark(pages, doc.demo ? template.demo : undefined, template.page, fonts), template.page, 'approval form', photo);
  // The form's own latest date, not the clock: re-rendering a form gives identical bytes.
  const at = new Date(`${formDate(doc)}T00:00:00+08:00`);
  return finishPdf(pdf, template.metadata, { name: doc.applicationId, author: doc.unitName, at }, signature);
}
