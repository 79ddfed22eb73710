/**
 * @module domain/photo
 * The applicant's electronic photo, printed on the e-certificate (notice 二(三)1(4)). It arrives as a
 * base64 `data:` URL and is judged by its bytes, never by the media type it declares: a renamed text
 * file or a truncated upload must not reach the PDF renderer. Only JPEG and PNG are accepted, and only
 * in forms a PDF carries as they are, without decoding or re-encoding a pixel: one photo must not be able
 * to make rendering slow. The structure readers (readPng, readJpeg) are in domain/imageStructure, the data URL
 * in domain/dataUrl.
 */

import { PNG_SIGNATURE, startsWith } from './fileBytes.js';
import { DomainError } from './errors.js';
import { readJpeg, readPng, type ImageFault, type PhotoFacts, type PngEncoding } from './imageStructure.js';

/** Largest photo accepted, in bytes (1 MiB): a certificate photo needs far less. */
export const PHOTO_MAX_BYTES = 1024 * 1024;
/** Smallest width and height, in pixels: below this the printed photo is visibly blurred. */
export const PHOTO_MIN_SIDE = 100;
/** Largest width and height, in pixels: the 30 × 40 mm photo box needs at most 709 × 945 px even at 600 dpi. */
export const PHOTO_MAX_SIDE = 1200;
/** Largest width × height (1.2 megapixels): bounds what every viewer and printer decodes for one small box. */
export const PHOTO_MAX_AREA = 1_200_000;
/** The one PNG bit depth accepted. */
export const PHOTO_PNG_BIT_DEPTH = 8;
/** Most chunks in a PNG: encoders write 1 MiB in ≤ 128 (libpng's 8 KiB IDATs); 80,000 tiny ones took ~75 ms to render. */
export const PHOTO_PNG_MAX_CHUNKS = 1000;

function invalidPhoto(field: string, zh: string, en: string, details?: Record<string, unknown>): DomainError {
  return new DomainError('invalid_photo', { zh, en }, field, details);
}

/**
 * Identifies a photo by its content and checks the limits: JPEG or PNG, at most {@link PHOTO_MAX_BYTES},
 * width and height from {@link PHOTO_MIN_SIDE} to {@link PHOTO_MAX_SIDE}, at most {@link PHOTO_MAX_AREA}
 * pixels; a PNG 8-bit, not interlaced and without transparency. The file's structure is walked end to end
 * (PNG chunks with their CRCs up to IEND; JPEG segments up to EOI), so truncated or corrupted files are
 * refused here rather than failing in the renderer. Throws `DomainError('invalid_photo')`.
 * @example
 * inspectPhoto(parseDataUrl(body.photo, 'photo').bytes, 'photo') // { type: 'image/jpeg', width: 358, height: 441 }
 */
export function inspectPhoto(bytes: Uint8Array, field: string): PhotoFacts {
  if (bytes.length === 0) throw invalidPhoto(field, '照片文件为空', 'The photo file is empty');
  if (bytes.length > PHOTO_MAX_BYTES) {
    throw invalidPhoto(
      field,
      `照片文件大小为${bytes.length}字节，超过上限${PHOTO_MAX_BYTES}字节（1 MiB）`,
      `The photo is ${bytes.length} bytes, over the limit of ${PHOTO_MAX_BYTES} bytes (1 MiB)`,
      { limit: 'max_bytes', max: PHOTO_MAX_BYTES, actual: bytes.length },
    );
  }
  const fault: ImageFault = (message, details) => invalidPhoto(field, message.zh, message.en, details);
  let facts: PhotoFacts;
  let png: PngEncoding | undefined;
  if (startsWith(bytes, PNG_SIGNATURE)) ({ png, ...facts } = readPng(bytes, fault, PHOTO_PNG_MAX_CHUNKS));
  else if (startsWith(bytes, [0xff, 0xd8, 0xff])) {
    const { coding, ...frame } = readJpeg(bytes, fault);
    // PDF viewers reliably draw only 8-bit Huffman-coded JPEG (SOF0–SOF2) in grey, RGB or CMYK.
    if (coding.marker > 0xc2 || coding.precision !== 8 || ![1, 3, 4].includes(coding.components)) {
      throw invalidPhoto(
        field,
        '不支持的 JPEG 编码方式：仅接受8位基线或渐进式 JPEG（灰度、RGB 或 CMYK）',
        'Unsupported JPEG coding: only 8-bit baseline or progressive JPEG (greyscale, RGB or CMYK) is accepted',
      );
    }
    facts = frame;
  } else throw invalidPhoto(field, '照片不是 JPEG 或 PNG 图像', 'The photo is not a JPEG or PNG image');
  checkSide(field, '宽度', 'width', facts.width);
  checkSide(field, '高度', 'height', facts.height);
  checkArea(field, facts.width, facts.height);
  if (png) checkPngEncoding(field, png);
  return facts;
}

function checkSide(field: string, zh: string, en: 'width' | 'height', pixels: number): void {
  if (pixels < PHOTO_MIN_SIDE) {
    throw invalidPhoto(
      field,
      `照片${zh}为${pixels}像素，小于下限${PHOTO_MIN_SIDE}像素`,
      `The photo ${en} is ${pixels} px, below the minimum of ${PHOTO_MIN_SIDE} px`,
      { limit: `min_${en}`, min: PHOTO_MIN_SIDE, actual: pixels },
    );
  }
  if (pixels > PHOTO_MAX_SIDE) {
    throw invalidPhoto(
      field,
      `照片${zh}为${pixels}像素，超过上限${PHOTO_MAX_SIDE}像素`,
      `The photo ${en} is ${pixels} px, above the maximum of ${PHOTO_MAX_SIDE} px`,
      { limit: `max_${en}`, max: PHOTO_MAX_SIDE, actual: pixels },
    );
  }
}

function checkArea(field: string, width: number, height: number): void {
  const area = width * height;
  if (area > PHOTO_MAX_AREA) {
    throw invalidPhoto(
      field,
      `照片为${width}×${height}像素，共${area}像素，超过上限${PHOTO_MAX_AREA}像素（120万像素）`,
      `The photo is ${width} × ${height} px, ${area} pixels in all, over the limit of ${PHOTO_MAX_AREA} pixels (1.2 megapixels)`,
      { limit: 'max_area', max: PHOTO_MAX_AREA, actual: area },
    );
  }
}

// The renderer puts a PNG's compressed rows into the PDF as they are (FlateDecode with the PNG predictor):
// that covers 8-bit grey, RGB and palette images without interlacing or transparency; anything else
// would have to be decoded and re-compressed pixel by pixel, which for a 1 MiB file can take seconds.
function checkPngEncoding(field: string, png: PngEncoding): void {
  const saveAs = { zh: '请另存为不透明、非隔行的8位 PNG 或 JPEG', en: 'save it as an opaque, non-interlaced 8-bit PNG or as JPEG' };
  if (png.bitDepth !== PHOTO_PNG_BIT_DEPTH) {
    throw invalidPhoto(
      field,
      `照片为${png.bitDepth}位 PNG，仅接受8位 PNG：${saveAs.zh}`,
      `The photo is a ${png.bitDepth}-bit PNG; only 8-bit PNG is accepted: ${saveAs.en}`,
      { limit: 'png_bit_depth', allowed: PHOTO_PNG_BIT_DEPTH, actual: png.bitDepth },
    );
  }
  if (png.colourType === 4 || png.colourType === 6 || png.transparency) {
    throw invalidPhoto(
      field,
      `照片为带透明度的 PNG，证书照片不能透明：${saveAs.zh}`,
      `The photo is a PNG with transparency, which a certificate photo cannot have: ${saveAs.en}`,
      { limit: 'png_transparency' },
    );
  }
  if (png.interlaced) {
    throw invalidPhoto(
      field,
      `照片为隔行扫描（Adam7）PNG，不受支持：${saveAs.zh}`,
      `The photo is an interlaced (Adam7) PNG, which is not accepted: ${saveAs.en}`,
      { limit: 'png_interlace' },
    );
  }
}
