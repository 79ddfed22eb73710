/**
 * @module render/lib/appendSignature
 * One more PAdES signature on a PDF that may already be signed, as an incremental update (PDF 32000-1
 * §7.5.6): the old bytes stay exactly as they were — so every earlier signature's ByteRange still hashes
 * the same — and new objects follow them: a signature field with its visible widget over `rect` on the
 * page, added to the AcroForm's /Fields (SigFlags 3), its /Sig value, the page and catalog that now point
 * at them, a fresh cross-reference section with /Prev and a trailer. Only those objects are written: the
 * pages, fonts and photo of the earlier revisions are parsed but never serialised again.
 *
 * The update itself is @cantoo/pdf-lib's (`PDFDocument.load(…, { forIncrementalUpdate: true })` then
 * `save()` writes only what changed); this module picks the cross-reference form the file already uses
 * (a stream for our renders, a classic table for older writers), draws the appearance and signs.
 *
 * `lock` makes the field lock the whole document (PDF 2.0 §12.7.5.5 /Lock with /P 1, and a FieldMDP
 * /Reference in the /Sig, §12.8.2.4): a DocMDP certification may only be a document's FIRST signature
 * (§12.8.2.2), but the authority signs last, after every organisation, so a field lock is how its signature
 * says "no further changes".
 */
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFFont } from '@cantoo/pdf-lib';
import { signCms, type CmsSigner } from '../../crypto/cms.js';
import type { FontKey, LoadedFonts } from '../fonts.js';
import { embedFontSubsets } from './fontSubsets.js';
import type { TextMark } from './marks.js';
import { completeSignature, signaturePlaceholder } from './pdfSignature.js';

export interface AppendedSignature {
  /** The page (0-based) the widget sits on. */
  pageIndex: number;
  /** The visible widget [left, bottom, right, top] in points — over the organisation's 公章 box. */
  rect: readonly [number, number, number, number];
  /** The field's name (/T), unique in the document, e.g. `seal-titleOffice-1`. */
  fieldName: string;
  /** Who signs — the organisation — shown in the appearance and by readers; why, where and when. */
  name: string;
  reason: string;
  location: string;
  signedAt: Date;
  signer: CmsSigner;
  /** The fonts the appearance is set in (an embedded subset of just its characters). */
  fonts: LoadedFonts;
  /** The last signature: the field locks the document against any later change (see the module comment). */
  lock?: boolean;
}

/** The seal red of the appearance's ring and text (as the drawn seal of the certificate). */
const SEAL_RED = '0.8 0.1 0.1';

/**
 * The old bytes, unchanged, followed by an incremental update carrying one more signature.
 * @example
 * let pdf = formBytes;
 * for (const seal of seals) pdf = await appendSignature(pdf, { pageIndex: 2, rect: seal.box, fieldName: seal.field, name: seal.organisation, reason: '审核意见', location: '南宁', signedAt: seal.at, signer: seal.key, fonts });
 */
export async function appendSignature(pdfBytes: Uint8Array, spec: AppendedSignature): Promise<Uint8Array> {
  const pdf = await PDFDocument.load(pdfBytes, { forIncrementalUpdate: true, updateMetadata: false });
  pdf.registerFontkit(spec.fonts.engine);
  const page = pdf.getPages()[spec.pageIndex];
  if (!page) throw new Error(`the PDF has no page ${spec.pageIndex + 1}`);
  const context = pdf.context;

  const acroForm = acroFormOf(pdf);
  const listed = acroForm.lookupMaybe(PDFName.of('Fields'), PDFArray);
  const fields = listed ?? context.obj([]);
  for (let i = 0; i < fields.size(); i++) {
    const field = fields.lookupMaybe(i, PDFDict);
    const name = field?.lookupMaybe(PDFName.of('T'), PDFString, PDFHexString)?.decodeText();
    if (name === spec.fieldName) throw new Error(`the PDF already has a field named ${spec.fieldName}`);
    // A signature that locked the document forbids any later change, another signature included (§12.7.5.5).
    const locked = field?.lookupMaybe(PDFName.of('Lock'), PDFDict)?.lookupMaybe(PDFName.of('Action'), PDFName);
    if (locked === PDFName.of('All') && field?.has(PDFName.of('V'))) throw new Error(`the PDF is locked by its signature ${name ?? ''}: nothing may be added`);
  }
  if (certifiedNoChanges(pdf)) throw new Error('the PDF is certified with no changes allowed (DocMDP P 1): nothing may be added');

  const [left, bottom, right, top] = spec.rect;
  const widgetRef = context.nextRef();
  const lock = spec.lock
    ? [
        // FieldMDP over the whole document (Action /All) with P 1: no change of any kind after this signature.
        `/Reference [<< /Type /SigRef /TransformMethod /FieldMDP /Data ${refText(pdf.context.trailerInfo.Root as PDFRef)}`,
        '/TransformParams << /Type /TransformParams /Action /All /P 1 /V /1.2 >> >>]',
      ]
    : [];
  const signatureRef = context.register(signaturePlaceholder(spec, lock));
  const appearance = await drawAppearance(pdf, spec, right - left, top - bottom);
  const widget = context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: [left, bottom, right, top],
    V: signatureRef,
    T: PDFString.of(spec.fieldName),
    TU: PDFHexString.fromText(spec.name),
    F: 132, // Print | Locked
    P: page.ref,
    AP: { N: appearance },
  });
  if (spec.lock) widget.set(PDFName.of('Lock'), context.obj({ Type: 'SigFieldLock', Action: 'All', P: 1 }));
  context.assign(widgetRef, widget);
  page.node.addAnnot(widgetRef);
  fields.push(widgetRef); // marks the array, or the object holding it, for the update
  if (!listed) acroForm.set(PDFName.of('Fields'), fields);
  acroForm.set(PDFName.of('SigFlags'), PDFNumber.of(3)); // SignaturesExist | AppendOnly

  const start = pdfBytes.length;
  const prepared = await pdf.save({ useObjectStreams: usesXrefStream(pdfBytes), objectsPerTick: Infinity });
  if (!sameStart(prepared, pdfBytes)) throw new Error('the incremental update changed earlier bytes');
  return completeSignature(prepared, (parts) => signCms(parts, spec.signer, spec.signedAt), start);
}

/** Whether a DocMDP certification (the catalog's /Perms) allows no change at all (§12.8.2.2, P 1). */
function certifiedNoChanges(pdf: PDFDocument): boolean {
  const docMdp = pdf.catalog.lookupMaybe(PDFName.of('Perms'), PDFDict)?.lookupMaybe(PDFName.of('DocMDP'), PDFDict);
  const references = docMdp?.lookupMaybe(PDFName.of('Reference'), PDFArray);
  for (let i = 0; i < (references?.size() ?? 0); i++) {
    const params = references?.lookupMaybe(i, PDFDict)?.lookupMaybe(PDFName.of('TransformParams'), PDFDict);
    if (params?.lookupMaybe(PDFName.of('P'), PDFNumber)?.asNumber() === 1) return true;
  }
  return false;
}

/** The AcroForm dictionary — the catalog's, direct or indirect — or a new one on the catalog. */
function acroFormOf(pdf: PDFDocument): PDFDict {
  const existing = pdf.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  if (existing) {
    // A direct dictionary changes with the catalog; an indirect one is marked for the update on `set`.
    return existing;
  }
  const created = pdf.context.obj({ Fields: [] });
  pdf.catalog.set(PDFName.of('AcroForm'), pdf.context.register(created));
  return created;
}

/**
 * The widget's normal appearance: a ring in seal red with the organisation's name across the middle and
 * the signing time in China time below, in an embedded subset of the form's own faces.
 */
async function drawAppearance(pdf: PDFDocument, spec: AppendedSignature, width: number, height: number): Promise<PDFRef> {
  const fonts = spec.fonts;
  const china = new Date(spec.signedAt.getTime() + 8 * 3600_000).toISOString();
  const time = `${china.slice(0, 10)} ${china.slice(11, 16)}`;
  const radius = Math.max(1, Math.min(width, height) / 2 - 1);
  const inner = radius * 1.6; // the width of text that stays inside the ring
  // One line if the name fits at 5 pt or more, else two halves.
  const oneLine = fonts.widthOf(spec.name, 1);
  const half = Math.ceil([...spec.name].length / 2);
  const lines = inner / oneLine >= 5 ? [spec.name] : [[...spec.name].slice(0, half).join(''), [...spec.name].slice(half).join('')];
  const nameSize = Math.min(9, ...lines.map((line) => inner / fonts.widthOf(line, 1)));
  const timeSize = Math.min(6, (inner * 0.9) / fonts.widthOf(time, 1));

  const cx = width / 2;
  const cy = height / 2;
  const placed: { text: string; size: number; y: number }[] = lines.map((text, i) => ({ text, size: nameSize, y: cy + (lines.length - 1 - i) * nameSize * 1.15 - nameSize * 0.3 }));
  placed.push({ text: time, size: timeSize, y: cy - radius * 0.55 });
  const marks: TextMark[] = placed.map((p) => ({ kind: 'text', text: p.text, x: 0, y: p.y, size: p.size, color: { r: 0.8, g: 0.1, b: 0.1 } }));
  const pdfFonts = await embedFontSubsets(pdf, fonts, marks, 'signature appearance');

  const resource: Record<FontKey, string> = { primary: 'F0', fallback: 'F1' };
  const ops = ['q', `${SEAL_RED} RG`, `${SEAL_RED} rg`, '1 w', circle(cx, cy, radius), 'S', 'BT'];
  for (const p of placed) {
    let x = cx - fonts.widthOf(p.text, p.size) / 2;
    for (const run of fonts.runs(p.text)) {
      const font = pdfFonts[run.font] as PDFFont;
      ops.push(`/${resource[run.font]} ${num(p.size)} Tf 1 0 0 1 ${num(x)} ${num(p.y)} Tm ${font.encodeText(run.text).toString()} Tj`);
      x += fonts.runWidth(run, p.size);
    }
  }
  ops.push('ET', 'Q');
  const fontResources: Record<string, PDFRef> = {};
  for (const key of ['primary', 'fallback'] as const) {
    const font = pdfFonts[key];
    if (font) fontResources[resource[key]] = font.ref;
  }
  const stream = pdf.context.flateStream(ops.join('\n'), {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, width, height],
    Resources: { Font: fontResources },
  });
  return pdf.context.register(stream);
}

/** A circle as four Bézier quarters (κ = 0.5523). */
function circle(cx: number, cy: number, r: number): string {
  const k = r * 0.5523;
  return [
    `${num(cx + r)} ${num(cy)} m`,
    `${num(cx + r)} ${num(cy + k)} ${num(cx + k)} ${num(cy + r)} ${num(cx)} ${num(cy + r)} c`,
    `${num(cx - k)} ${num(cy + r)} ${num(cx - r)} ${num(cy + k)} ${num(cx - r)} ${num(cy)} c`,
    `${num(cx - r)} ${num(cy - k)} ${num(cx - k)} ${num(cy - r)} ${num(cx)} ${num(cy - r)} c`,
    `${num(cx + k)} ${num(cy - r)} ${num(cx + r)} ${num(cy - k)} ${num(cx + r)} ${num(cy)} c`,
  ].join(' ');
}

const num = (value: number): string => (Math.round(value * 100) / 100).toString();
const refText = (ref: PDFRef): string => `${ref.objectNumber} ${ref.generationNumber} R`;

/**
 * Whether the file's last cross-reference section is a stream (PDF 1.5 §7.5.8) rather than a classic
 * table: the update keeps to the same form, which every reader of the original can then read.
 */
function usesXrefStream(pdf: Uint8Array): boolean {
  const tail = new TextDecoder('latin1').decode(pdf.subarray(Math.max(0, pdf.length - 1024)));
  const match = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!match) throw new Error('the PDF has no startxref');
  const at = Number(match[1]);
  return new TextDecoder('latin1').decode(pdf.subarray(at, at + 4)) !== 'xref';
}

function sameStart(longer: Uint8Array, prefix: Uint8Array): boolean {
  if (longer.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (longer[i] !== prefix[i]) return false;
  return true;
}
