/**
 * @module render/lib/pdfSignature
 * A PAdES signature in two steps. `addSignaturePlaceholder` adds, before the PDF is saved, a signature field
 * whose value is a /Sig dictionary with a fixed-width /ByteRange and a zero-filled /Contents; the dictionary
 * is written verbatim (PDFInvalidObject), so it never lands in a compressed object stream. `completeSignature`
 * then writes the real ByteRange (the whole file but the /Contents hex string), hands those bytes to a
 * signer (crypto/cms.ts) and puts the CMS into /Contents — over plain Uint8Array, so it runs on Workers too.
 */
import { PDFHexString, PDFInvalidObject, PDFName, PDFString, type PDFDocument, type PDFPage } from '@cantoo/pdf-lib';

/** Room for the CMS: a P-256 signature with its two-certificate chain is about 1.5 KB. */
export const SIGNATURE_BYTES = 4096;
const BYTE_RANGE_PLACEHOLDER = '/ByteRange [0 0000000000 0000000000 0000000000]';
const ascii = (text: string) => new TextEncoder().encode(text);

export interface SignatureFieldSpec {
  page: PDFPage;
  /** The visible widget [left, bottom, right, top] in points — over the drawn seal; omitted: invisible. */
  rect?: readonly [number, number, number, number] | undefined;
  /** Who signs (shown by readers), why and where. */
  name: string;
  reason: string;
  location: string;
  signedAt: Date;
}

/** A PDF date in China time: D:YYYYMMDDHHmmSS+08'00'. */
function pdfDate(at: Date): string {
  const china = new Date(at.getTime() + 8 * 3600_000).toISOString();
  return `D:${china.slice(0, 4)}${china.slice(5, 7)}${china.slice(8, 10)}${china.slice(11, 13)}${china.slice(14, 16)}${china.slice(17, 19)}+08'00'`;
}

/** A text string as UTF-16BE hex with its byte-order mark (PDF 32000-1 §7.9.2.2). */
function textHex(text: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `<${hex}>`;
}

/**
 * The /Sig value with a fixed-width ByteRange and a zero-filled /Contents, as the bytes written verbatim;
 * `extra` lines (e.g. a FieldMDP /Reference) go before the closing `>>`.
 */
export function signaturePlaceholder(spec: Pick<SignatureFieldSpec, 'name' | 'reason' | 'location' | 'signedAt'>, extra: readonly string[] = []): PDFInvalidObject {
  const dictionary = [
    '<<',
    '/Type /Sig',
    '/Filter /Adobe.PPKLite',
    '/SubFilter /ETSI.CAdES.detached',
    BYTE_RANGE_PLACEHOLDER,
    `/Contents <${'0'.repeat(SIGNATURE_BYTES * 2)}>`,
    `/M (${pdfDate(spec.signedAt)})`,
    `/Name ${textHex(spec.name)}`,
    `/Reason ${textHex(spec.reason)}`,
    `/Location ${textHex(spec.location)}`,
    ...extra,
    '>>',
  ].join('\n');
  return PDFInvalidObject.of(ascii(dictionary));
}

/** Adds the signature field and its placeholder value; call before `pdf.save()`. */
export function addSignaturePlaceholder(pdf: PDFDocument, spec: SignatureFieldSpec): void {
  const signatureRef = pdf.context.register(signaturePlaceholder(spec));
  const [left, bottom, right, top] = spec.rect ?? [0, 0, 0, 0];
  const appearance = pdf.context.register(pdf.context.stream(new Uint8Array(0), { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, right - left, top - bottom] }));
  const widget = pdf.context.register(
    pdf.context.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Sig',
      Rect: [left, bottom, right, top],
      V: signatureRef,
      T: PDFString.of('Signature1'),
      TU: PDFHexString.fromText(spec.name),
      F: 132, // Print | Locked
      P: spec.page.ref,
      AP: { N: appearance },
    }),
  );
  spec.page.node.addAnnot(widget);
  pdf.catalog.set(PDFName.of('AcroForm'), pdf.context.obj({ Fields: [widget], SigFlags: 3 }));
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * Fills in the ByteRange and the signature of a PDF saved with a placeholder — the first one at or after
 * byte `from` (an incremental update passes where its own bytes begin, so the search skips the rest).
 * @example const signed = await completeSignature(prepared, (parts) => signCms(parts, signer, at));
 */
export async function completeSignature(prepared: Uint8Array, sign: (parts: Uint8Array[]) => Promise<Uint8Array>, from = 0): Promise<Uint8Array> {
  const pdf = prepared.slice();
  const placeholder = indexOf(pdf, ascii(BYTE_RANGE_PLACEHOLDER), from);
  if (placeholder < 0) throw new Error('the PDF has no signature placeholder');
  const contentsStart = indexOf(pdf, ascii('/Contents <'), placeholder) + '/Contents '.length;
  const contentsEnd = contentsStart + SIGNATURE_BYTES * 2 + 2; // after the closing '>'
  if (pdf[contentsEnd - 1] !== 0x3e) throw new Error('the signature placeholder is damaged');
  const numbers = `0 ${contentsStart} ${contentsEnd} ${pdf.length - contentsEnd}`;
  pdf.set(ascii(`/ByteRange [${numbers.padEnd(BYTE_RANGE_PLACEHOLDER.length - '/ByteRange []'.length, ' ')}]`), placeholder);
  const cms = await sign([pdf.subarray(0, contentsStart), pdf.subarray(contentsEnd)]);
  if (cms.length > SIGNATURE_BYTES) throw new Error(`the signature (${cms.length} bytes) does not fit the ${SIGNATURE_BYTES}-byte placeholder`);
  let hex = '';
  for (const b of cms) hex += b.toString(16).padStart(2, '0');
  pdf.set(ascii(hex.toUpperCase()), contentsStart + 1);
  return pdf;
}
