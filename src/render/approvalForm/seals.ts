/**
 * @module render/approvalForm/seals
 * The approval form's electronic seals (issue 16 item 3; notice 四(二): every level 出具审核意见，加盖单位公章):
 * where each opinion's seal goes — over its organisation's name on the 公章 line, inside its own block — and
 * the sealing itself, one PAdES signature per opinion appended in the order given, each an incremental update
 * over the form as rendered (render/lib/appendSignature.ts), the last one optionally locking the document.
 * Nothing here changes the form's own bytes: a caller seals a `renderApprovalFormPdf` result afterwards.
 */
import type { CmsSigner } from '../../crypto/cms.js';
import type { FontSet, LoadedFonts } from '../fonts.js';
import { appendSignature } from '../lib/appendSignature.js';
import type { Mark, RectMark, TextMark } from '../lib/marks.js';
import { mm } from '../lib/units.js';
import type { ApprovalFormDocument } from './document.js';
import { layoutApprovalForm } from './layout.js';
import type { ApprovalFormTemplate, OpinionKey } from './template.js';

/** Where one opinion's seal is drawn: its page and a square [left, bottom, right, top] in points. */
export interface SealPlace {
  box: OpinionKey;
  /** Which opinion of the box (0-based), as in `ApprovalFormDocument.opinions[box]`. */
  index: number;
  organisation: string;
  pageIndex: number;
  rect: readonly [number, number, number, number];
}

/** One opinion to seal: which, with whose key, when and why. The seal names the opinion's organisation. */
export interface OpinionSeal {
  box: OpinionKey;
  index: number;
  signer: CmsSigner;
  signedAt: Date;
  reason: string;
  location: string;
}

/** The seal's diameter on paper: smaller than a 40 mm 公章, so two blocks side by side each hold one. */
const SEAL_MM = 28;

/**
 * Each given opinion's seal place, found in the laid-out marks: centred on the organisation's name (the value
 * after 公章：, every line of it) and kept inside the opinion's block.
 * @example const places = sealPlaces(layoutApprovalForm(doc, template, fonts), fonts);
 */
export function sealPlaces(pages: readonly (readonly Mark[])[], fonts: LoadedFonts): SealPlace[] {
  const places: SealPlace[] = [];
  pages.forEach((marks, pageIndex) => {
    const names = new Map<string, TextMark[]>();
    for (const mark of marks) {
      if (mark.kind !== 'text' || !/^opinion:\w+:\d+:organisation$/.test(mark.role ?? '')) continue;
      names.set(mark.role!, [...(names.get(mark.role!) ?? []), mark]);
    }
    for (const [role, lines] of names) {
      const [, box, index] = role.split(':') as [string, OpinionKey, string];
      const cell = marks.find((m): m is RectMark => m.kind === 'rect' && m.role === `opinion:${box}:${index}`);
      const left = Math.min(...lines.map((l) => l.x));
      const right = Math.max(...lines.map((l) => l.x + fonts.widthOf(l.text, l.size)));
      const bottom = Math.min(...lines.map((l) => l.y));
      const top = Math.max(...lines.map((l) => l.y + l.size));
      const half = mm(SEAL_MM) / 2;
      let cx = (left + right) / 2;
      let cy = (bottom + top) / 2;
      if (cell) {
        cx = Math.min(Math.max(cx, cell.x + half), cell.x + cell.width - half);
        cy = Math.min(Math.max(cy, cell.y + half), cell.y + cell.height - half);
      }
      places.push({ box, index: Number(index), organisation: lines.map((l) => l.text).join(''), pageIndex, rect: [cx - half, cy - half, cx + half, cy + half] });
    }
  });
  return places;
}

/**
 * Appends one seal per entry of `seals`, in that order (the order of the steps), over the form `pdf` rendered
 * from `doc`; with `lockLast`, the last seal — the authority's decision — locks the document.
 * Refuses a seal for an opinion the form does not print.
 * @example const sealed = await sealApprovalForm(formPdf, doc, fontSet, template, seals, { lockLast: true });
 */
export async function sealApprovalForm(
  pdf: Uint8Array,
  doc: ApprovalFormDocument,
  fontSet: FontSet,
  template: ApprovalFormTemplate,
  seals: readonly OpinionSeal[],
  options: { lockLast: boolean },
): Promise<Uint8Array> {
  const fonts = await fontSet.load();
  // The photo's size moves nothing but the photo inside its fixed cell, so the layout without it places the
  // opinions exactly where the rendered form has them.
  const places = sealPlaces(layoutApprovalForm(doc, template, fonts), fonts);
  let sealed = pdf;
  for (const [i, seal] of seals.entries()) {
    const place = places.find((p) => p.box === seal.box && p.index === seal.index);
    const opinion = doc.opinions[seal.box][seal.index];
    if (!place || !opinion) throw new Error(`the form prints no opinion ${seal.box}[${seal.index}] to seal`);
    sealed = await appendSignature(sealed, {
      pageIndex: place.pageIndex,
      rect: place.rect,
      fieldName: `seal-${seal.box}-${seal.index + 1}`,
      name: opinion.organisation,
      reason: seal.reason,
      location: seal.location,
      signedAt: seal.signedAt,
      signer: seal.signer,
      fonts,
      lock: options.lockLast && i === seals.length - 1,
    });
  }
  return sealed;
}
