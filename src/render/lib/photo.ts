/**
 * @module render/lib/photo
 * The holder's photo in the renderers' PDFs (the certificate, the approval form): embedded by what its
 * bytes are, after the checks issuance makes, without decoding a pixel — and the size it is drawn at to
 * fit its box whole.
 */

import { PDFHexString, PDFImage, PngEmbedder } from '@cantoo/pdf-lib';
import type { PDFContext, PDFDocument, PDFRef } from '@cantoo/pdf-lib';
import { DomainError } from '../../domain/errors.js';
import { EVIDENCE_PNG_MAX_CHUNKS } from '../../domain/evidence.js';
import { inspectPhoto } from '../../domain/photo.js';
import { readPng, type ImageFault, type PhotoFacts } from '../../domain/imageStructure.js';
import { hex } from '../../lib/bytes.js';

/** Pixel size of the holder's photo, to place it with its aspect ratio kept. */
export interface PhotoSize {
  width: number;
  height: number;
}

/**
 * The size a photo of `size` is drawn at inside `box`: whole and as large as fits (contain), so a photo
 * of any aspect fills the box in one direction and is never cropped. `undefined` when there is no photo,
 * or one without area, to draw.
 *
 * @example
 * containPhoto({ width: 300, height: 400 }, { width: 90, height: 90 }) // { width: 67.5, height: 90 }
 */
export function containPhoto(size: PhotoSize | undefined, box: PhotoSize): PhotoSize | undefined {
  if (!(size && size.width > 0 && size.height > 0)) return undefined;
  const scale = Math.min(box.width / size.width, box.height / size.height);
  return { width: size.width * scale, height: size.height * scale };
}

/**
 * Embeds a photo by what its bytes are, after the checks issuance makes (whoever built the document): a
 * JPEG as it is, a PNG as its own compressed rows. No pixel is decoded here, so the cost grows with the
 * file's bytes, never with its pixels. Refuses, with `invalid_photo` naming `field`, bytes that are not a
 * photo issuance accepts, or a JPEG pdf-lib cannot read.
 *
 * @example
 * const photo = doc.photo ? await embedPhoto(pdf, doc.photo.bytes, 'photo') : undefined;
 * const marks = layoutCertificate(doc, template, fonts, photo && { width: photo.width, height: photo.height });
 */
export async function embedPhoto(pdf: PDFDocument, bytes: Uint8Array, field: string): Promise<PDFImage> {
  const facts = inspectPhoto(bytes, field);
  if (facts.type === 'image/png') {
    const image = PDFImage.of(pdf.context.nextRef(), pdf, new PngAsIsEmbedder(bytes, facts));
    await image.embed();
    return image;
  }
  try {
    return await pdf.embedJpg(bytes);
  } catch (error) {
    throw new DomainError('invalid_photo', { zh: '照片无法解码', en: 'the photo could not be decoded' }, field, {
      reason: error instanceof Error ? error.message : String(error),
    });
  }
}

/**
 * Embeds an evidence image of the 核实 log (a screenshot, a scanned reply) — already checked on upload by
 * domain/evidence.ts, within its pixel limits — without the photo's tighter limits: a JPEG as it is; a PNG
 * as its own compressed rows when PDF can read them so (8-bit, not interlaced, opaque), else decoded by
 * pdf-lib (transparency, 16-bit, interlaced) — or not at all, `undefined`, past `maxDecodedPixels`. Refuses,
 * with `invalid_photo` naming `field`, an image pdf-lib cannot read.
 *
 * @example
 * const image = await embedEvidenceImage(pdf, evidence.bytes, evidence.mediaType, 'evidence', 12_000_000);
 */
export async function embedEvidenceImage(pdf: PDFDocument, bytes: Uint8Array, mediaType: 'image/jpeg' | 'image/png', field: string, maxDecodedPixels: number): Promise<PDFImage | undefined> {
  const fault: ImageFault = (message, details) => new DomainError('invalid_photo', message, field, details);
  try {
    if (mediaType === 'image/jpeg') return await pdf.embedJpg(bytes);
    const { png, ...facts } = readPng(bytes, fault, EVIDENCE_PNG_MAX_CHUNKS);
    if (png.bitDepth === 8 && !png.interlaced && !png.transparency && [0, 2, 3].includes(png.colourType)) {
      const image = PDFImage.of(pdf.context.nextRef(), pdf, new PngAsIsEmbedder(bytes, facts));
      await image.embed();
      return image;
    }
    // Decoding costs memory with the pixels: past the limit the image is not embedded (the caller says so).
    if (facts.width * facts.height > maxDecodedPixels) return undefined;
    return await pdf.embedPng(bytes);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError('invalid_photo', { zh: '证明材料图像无法解码', en: 'the evidence image could not be decoded' }, field, { reason: error instanceof Error ? error.message : String(error) });
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
