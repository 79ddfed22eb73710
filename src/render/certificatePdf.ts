/**
 * @module render/certificatePdf
 * The certificate as a one-page A4 PDF: laid out from the template, set in subsets of the two Noto
 * faces, with the signed token attached as `certificate.jws` so the file alone verifies offline — and the
 * way to read that token back. Bytes in, bytes out: no I/O, no clock, no randomness, so the same
 * certificate always renders to the same bytes.
 */

import { AFRelationship, PDFDocument, PDFHexString, PDFImage, PngEmbedder } from '@cantoo/pdf-lib';
import type { PDFContext, PDFRef } from '@cantoo/pdf-lib';
import { DomainError } from '../domain/errors.js';
import { inspectPhoto } from '../domain/photo.js';
import type { PhotoFacts } from '../domain/photo.js';
import { hex } from '../lib/bytes.js';
import { printedValue } from './certificateDocument.js';
import type { CertificateDocument } from './certificateDocument.js';
import type { FontSet } from './fonts.js';
import { layoutCertificate } from './lib/certificateLayout.js';
import { embedFontSubsets } from './lib/fontSubsets.js';
import { paintMarks } from './lib/marks.js';
import { setPdfMetadata } from './lib/pdfMetadata.js';
import { refuseUndrawable } from './lib/undrawable.js';
import { mm } from './lib/units.js';
import { CERTIFICATE_FIELD_KEYS } from './template.js';
import type { CertificateTemplate } from './template.js';

// The types a caller of renderCertificatePdf needs, importable from this module alone.
export type { CertificateDocument } from './certificateDocument.js';
export type { CertificateTemplate } from './template.js';

/** The attachment that carries the signed token inside the PDF. */
export const CERTIFICATE_ATTACHMENT_NAME = 'certificate.jws';
/** RFC 7515 media type of a JWS. */
export const CERTIFICATE_ATTACHMENT_TYPE = 'application/jose';

/**
 * Renders one certificate. Refuses, with `undrawable_character` naming the field and the character, any
 * value a font cannot draw — a certificate never shows a blank box.
 *
 * @example
 * const fontSet = new FontSet(loadFontBytes);               // once per process
 * const template = parseCertificateTemplate(layoutJson);    // once per process
 * const pdf = await renderCertificatePdf(doc, fontSet, template);
 */
export async function renderCertificatePdf(
  doc: CertificateDocument,
  fontSet: FontSet,
  template: CertificateTemplate,
): Promise<Uint8Array> {
  const fonts = await fontSet.load();
  refuseUndrawable(printedFields(doc, template), fonts);

  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.registerFontkit(fonts.engine);
  const photo = doc.photo ? await embedPhoto(pdf, doc.photo) : undefined;
  const marks = layoutCertificate(doc, template, fonts, photo && { width: photo.width, height: photo.height });
  const pdfFonts = await embedFontSubsets(pdf, fonts, marks, 'certificate');

  const page = pdf.addPage([mm(template.page.widthMm), mm(template.page.heightMm)]);
  paintMarks(page, marks, { fonts, pdfFonts, photo });

  const issuedAt = new Date(doc.issuedAt);
  // The issuing instant, not the clock: re-rendering a certificate gives identical bytes.
  setPdfMetadata(pdf, template.metadata, { name: doc.number, author: doc.authority.name, at: issuedAt });

  await pdf.attach(new TextEncoder().encode(doc.token), CERTIFICATE_ATTACHMENT_NAME, {
    mimeType: CERTIFICATE_ATTACHMENT_TYPE,
    description: '职称电子证书签名数据 (compact JWS) / signed certificate data',
    creationDate: issuedAt,
    modificationDate: issuedAt,
    // The page is a rendering of this token; PDF/A-3 calls that the source.
    afRelationship: AFRelationship.Source,
  });
  return pdf.save({ useObjectStreams: true });
}

/**
 * Reads the signed token back out of a certificate PDF, or `undefined` when it carries none.
 *
 * @example
 * const token = await extractCertificateToken(await readFile('certificate.pdf'));
 * if (token) await verifyCertificateToken(token, trustAnchors);
 */
export async function extractCertificateToken(pdfBytes: Uint8Array): Promise<string | undefined> {
  const pdf = await PDFDocument.load(pdfBytes, { updateMetadata: false });
  const attachment = pdf.getAttachments().find((a) => a.name === CERTIFICATE_ATTACHMENT_NAME);
  if (!attachment) return undefined;
  return new TextDecoder('utf-8', { fatal: true }).decode(attachment.data).trim();
}

/** Each printed value with its label, in template order, for the undrawable check (computed lazily). */
function* printedFields(doc: CertificateDocument, template: CertificateTemplate): Generator<{ field: string; label: string; value: string }> {
  for (const key of CERTIFICATE_FIELD_KEYS) {
    yield { field: key, label: template.fields.items.find((item) => item.key === key)?.label ?? key, value: printedValue(doc, key) ?? '' };
  }
}

/**
 * Embeds the holder's photo by what its bytes are, after the checks issuance makes (whoever built the
 * document): a JPEG as it is, a PNG as its own compressed rows. No pixel is decoded here, so the cost
 * grows with the file's bytes, never with its pixels.
 */
async function embedPhoto(pdf: PDFDocument, photo: NonNullable<CertificateDocument['photo']>): Promise<PDFImage> {
  const { bytes } = photo;
  const facts = inspectPhoto(bytes, 'photo');
  if (facts.type === 'image/png') {
    const image = PDFImage.of(pdf.context.nextRef(), pdf, new PngAsIsEmbedder(bytes, facts));
    await image.embed();
    return image;
  }
  try {
    return await pdf.embedJpg(bytes);
  } catch (error) {
    throw new DomainError('invalid_photo', { zh: '照片无法解码', en: 'the photo could not be decoded' }, 'photo', {
      reason: error instanceof Error ? error.message : String(error),
    });
  }
}

/** pdf-lib's own PngEmbedder, less its constructor's decoding: it keeps only the size it is given. */
const SizedPngEmbedder = PngEmbedder as unknown as new (size: { width: number; height: number; bitsPerComponent: number }) => PngEmbedder;

/**
 * A PNG that inspectPhoto accepted (8-bit grey, RGB or palette; not interlaced; opaque) as a PDF image:
 * its IDAT data is a zlib stream of PNG-filtered rows, which FlateDecode with predictor 15 reads as it is
 * (ISO 32000-1, 7.4.4.4). pdf-lib's embedPng would instead decode every pixel and compress them again.
 */
class PngAsIsEmbedder extends SizedPngEmbedder {
  constructor(
    private readonly png: Uint8Array,
    size: PhotoFacts,
  ) {
    super({ width: size.width, height: size.height, bitsPerComponent: 8 });
  }

  override async embedIntoContext(context: PDFContext, ref?: PDFRef): Promise<PDFRef> {
    const { colourType, palette, imageData } = pngParts(this.png);
    const colorSpace =
      colourType === 3 ? ['Indexed', 'DeviceRGB', palette.length / 3 - 1, PDFHexString.of(hex(palette))] : colourType === 2 ? 'DeviceRGB' : 'DeviceGray';
    const xObject = context.stream(imageData, {
      Type: 'XObject',
      Subtype: 'Image',
      Width: this.width,
      Height: this.height,
      BitsPerComponent: 8,
      ColorSpace: colorSpace,
      Filter: 'FlateDecode',
      DecodeParms: { Predictor: 15, Colors: colourType === 2 ? 3 : 1, BitsPerComponent: 8, Columns: this.width },
    });
    if (!ref) return context.register(xObject);
    context.assign(ref, xObject);
    return ref;
  }
}

/** The colour type, the palette and the IDAT data, joined, of a PNG whose chunks inspectPhoto has walked. */
function pngParts(png: Uint8Array): { colourType: number; palette: Uint8Array; imageData: Uint8Array } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let palette: Uint8Array = new Uint8Array(0);
  const idat: Uint8Array[] = [];
  for (let at = 8; at < png.length; at += 12 + view.getUint32(at)) {
    const data = png.subarray(at + 8, at + 8 + view.getUint32(at));
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    if (type === 'PLTE') palette = data;
    else if (type === 'IDAT') idat.push(data);
  }
  const imageData = new Uint8Array(idat.reduce((n, d) => n + d.length, 0));
  let offset = 0;
  for (const d of idat) {
    imageData.set(d, offset);
    offset += d.length;
  }
  return { colourType: png[25] ?? 0, palette, imageData };
}
