/**
 * @module domain/photo
 * The applicant's electronic photo, printed on the e-certificate (notice 二(三)1(4)). It arrives as a
 * base64 `data:` URL and is judged by its bytes, never by the media type it declares: a renamed text
 * file or a truncated upload must not reach the PDF renderer. Only JPEG and PNG are accepted, and only
 * in forms a PDF carries as they are, without decoding or re-encoding a pixel: one photo must not be able
 * to make rendering slow. Its structure readers (readPng, readJpeg) check evidence images too
 * (domain/evidence.ts), under that file's own limits.
 */

import { PNG_SIGNATURE, startsWith } from './fileBytes.js';
import { DomainError } from './errors.js';
import type { Message } from './errors.js';

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

export type PhotoType = 'image/jpeg' | 'image/png';

export interface DataUrl {
  /** Lower-cased `type/subtype` as declared; not trusted — see {@link inspectPhoto}. */
  mediaType: string;
  bytes: Uint8Array<ArrayBuffer>;
}

export interface PhotoFacts {
  type: PhotoType;
  width: number;
  height: number;
}

/**
 * How the image readers below report a fault: the caller turns the words (and details such as the limit) into
 * its own error — the certificate photo's `invalid_photo`, an evidence file's refusal naming the file.
 */
export type ImageFault = (message: Message, details?: Record<string, unknown>) => DomainError;

const DATA_URL = /^data:([^,]*),(.*)$/s;
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;
const PARAMETER = /^[a-z0-9!#$&^_.+-]+=[^;]*$/i;

function notADataUrl(field: string, zh: string, en: string): DomainError {
  return new DomainError('validation_failed', { zh: `${field}：${zh}`, en: `${field}: ${en}` }, field);
}

/**
 * Splits a `data:<type>[;param=value]*;base64,<data>` URL and decodes its data. Only base64 data URLs are
 * accepted, and the base64 must be strict (RFC 4648: standard alphabet, `=` padding, no whitespace, zero
 * pad bits), so one text has exactly one reading. Throws `DomainError('validation_failed')` naming `field`.
 * @example
 * parseDataUrl('data:image/png;base64,iVBORw0KGgo=', 'photo') // { mediaType: 'image/png', bytes: Uint8Array(8) }
 */
export function parseDataUrl(value: unknown, field: string): DataUrl {
  if (typeof value !== 'string') throw notADataUrl(field, '应为 data URL 字符串', 'must be a data URL string');
  const m = DATA_URL.exec(value);
  if (!m) throw notADataUrl(field, '不是 data URL（应以“data:”开头并包含逗号）', 'is not a data URL (data:…,…)');
  const header = (m[1] ?? '').split(';');
  const mediaType = (header[0] ?? '').trim().toLowerCase();
  if (header.length < 2 || header[header.length - 1]?.toLowerCase() !== 'base64') {
    throw notADataUrl(field, 'data URL 必须使用 base64 编码（;base64,）', 'the data URL must be base64-encoded (;base64,)');
  }
  if (!MEDIA_TYPE.test(mediaType)) {
    throw notADataUrl(field, 'data URL 缺少有效的媒体类型（如 image/jpeg）', 'the data URL lacks a valid media type (such as image/jpeg)');
  }
  if (!header.slice(1, -1).every((p) => PARAMETER.test(p))) {
    throw notADataUrl(field, 'data URL 的参数格式错误', 'the data URL has a malformed parameter');
  }
  const decoded = decodeBase64(m[2] ?? '');
  if (!(decoded instanceof Uint8Array)) {
    throw notADataUrl(field, `base64 数据无效：${decoded.zh}`, `invalid base64 data: ${decoded.en}`);
  }
  return { mediaType, bytes: decoded };
}

/** The 6-bit value of a base64 character code, or -1. */
function sextet(c: number): number {
  if (c >= 0x41 && c <= 0x5a) return c - 0x41; // A–Z
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 26; // a–z
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 52; // 0–9
  if (c === 0x2b) return 62; // +
  if (c === 0x2f) return 63; // /
  return -1;
}

/** Strict RFC 4648 base64: the bytes, or why the text is not base64. */
function decodeBase64(text: string): Uint8Array<ArrayBuffer> | Message {
  if (text.length === 0) return { zh: '数据为空', en: 'no data' };
  if (text.length % 4 !== 0) {
    return { zh: `长度${text.length}不是4的倍数`, en: `length ${text.length} is not a multiple of 4` };
  }
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  const dataEnd = text.length - padding;
  let word = 0;
  let out = 0;
  for (let i = 0; i < dataEnd; i++) {
    const v = sextet(text.charCodeAt(i));
    // '=' anywhere but the last one or two places lands here too.
    if (v < 0) return { zh: `第${i + 1}个字符不是 base64 字符`, en: `character ${i + 1} is not a base64 character` };
    word = (word << 6) | v;
    if (i % 4 === 3) {
      bytes[out++] = word >>> 16;
      bytes[out++] = (word >>> 8) & 0xff;
      bytes[out++] = word & 0xff;
      word = 0;
    }
  }
  if (padding === 2) {
    // 2 characters = 12 bits for 1 byte: the low 4 bits must be zero, or two texts would decode alike.
    if ((word & 0x0f) !== 0) return { zh: '填充位不为零', en: 'non-zero padding bits' };
    bytes[out++] = word >>> 4;
  } else if (padding === 1) {
    // 3 characters = 18 bits for 2 bytes: the low 2 bits must be zero.
    if ((word & 0x03) !== 0) return { zh: '填充位不为零', en: 'non-zero padding bits' };
    bytes[out++] = word >>> 10;
    bytes[out++] = (word >>> 2) & 0xff;
  }
  return bytes;
}

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

function u16(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
}

function u32(bytes: Uint8Array, at: number): number {
  return (((bytes[at] ?? 0) << 24) | ((bytes[at + 1] ?? 0) << 16) | ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0)) >>> 0;
}

// ---------------------------------------------------------------- PNG (ISO/IEC 15948)

// Bit depths each colour type allows (PNG spec, table 11.1).
const PNG_BIT_DEPTHS: Readonly<Record<number, readonly number[]>> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO 3309, as PNG uses it) of bytes[start, end). */
function crc32(bytes: Uint8Array, start: number, end: number): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = (crcTable[(crc ^ (bytes[i] ?? 0)) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** What of a PNG's encoding decides whether a PDF can carry it as it is. */
export interface PngEncoding {
  bitDepth: number;
  colourType: number;
  interlaced: boolean;
  /** A tRNS chunk: transparency for a grey, RGB or palette image. */
  transparency: boolean;
}

/**
 * Walks a PNG's chunks end to end — each CRC, IHDR first, the palette before the image data, nothing after
 * IEND — and reads its size and encoding from IHDR, never inflating a pixel. Throws `fault`'s error.
 * @example readPng(bytes, fault, 1000) // { type: 'image/png', width: 358, height: 441, png: { bitDepth: 8, … } }
 */
export function readPng(bytes: Uint8Array, fault: ImageFault, maxChunks: number): PhotoFacts & { png: PngEncoding } {
  const broken = (zh: string, en: string) => fault({ zh: `PNG 文件结构错误：${zh}`, en: `Malformed PNG: ${en}` });
  let at = PNG_SIGNATURE.length;
  let width = 0;
  let height = 0;
  const png: PngEncoding = { bitDepth: 0, colourType: 0, interlaced: false, transparency: false };
  let sawPalette = false;
  let sawIdat = false;
  for (let index = 0; ; index++) {
    if (at + 12 > bytes.length) throw broken('文件不完整（缺少 IEND）', 'the file is truncated (no IEND chunk)');
    if (index === maxChunks) {
      throw fault(
        { zh: `PNG 的数据块超过上限${maxChunks}个：请重新保存为 PNG 或 JPEG`, en: `The PNG has more than ${maxChunks} chunks, over the limit: save it again as PNG or as JPEG` },
        { limit: 'png_chunks', max: maxChunks },
      );
    }
    const length = u32(bytes, at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (!/^[A-Za-z]{4}$/.test(type)) throw broken(`第${index + 1}个数据块类型无效`, `chunk ${index + 1} has an invalid type`);
    const dataEnd = at + 8 + length;
    if (length > 0x7fffffff || dataEnd + 4 > bytes.length) {
      throw broken(`数据块 ${type} 不完整`, `chunk ${type} is truncated`);
    }
    if (index === 0 && (type !== 'IHDR' || length !== 13)) {
      throw broken('第一个数据块必须是长度为13的 IHDR', 'the first chunk must be IHDR with length 13');
    }
    if (crc32(bytes, at + 4, dataEnd) !== u32(bytes, dataEnd)) {
      throw broken(`数据块 ${type} 的 CRC 校验失败`, `chunk ${type} fails its CRC check`);
    }
    if (type === 'IHDR') {
      if (index !== 0) throw broken('IHDR 重复出现', 'IHDR appears more than once');
      const d = at + 8;
      width = u32(bytes, d);
      height = u32(bytes, d + 4);
      const [bitDepth = 0, colourType = 0, compression, filter, interlace] = bytes.subarray(d + 8, d + 13);
      if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) {
        throw broken('IHDR 中的宽度或高度无效', 'IHDR has an invalid width or height');
      }
      if (!PNG_BIT_DEPTHS[colourType]?.includes(bitDepth) || compression !== 0 || filter !== 0 || (interlace !== 0 && interlace !== 1)) {
        throw broken('IHDR 中的图像参数无效', 'IHDR has invalid image parameters');
      }
      Object.assign(png, { bitDepth, colourType, interlaced: interlace === 1 });
    } else if (type === 'PLTE') {
      if (length === 0 || length > 768 || length % 3 !== 0) throw broken('调色板（PLTE）长度无效', 'the palette (PLTE) has an invalid length');
      sawPalette = true;
    } else if (type === 'tRNS') {
      png.transparency = true;
    } else if (type === 'IDAT') {
      if (png.colourType === 3 && !sawPalette) throw broken('调色板图像缺少调色板（PLTE）', 'a palette image has no palette (PLTE)');
      sawIdat = true;
    } else if (type === 'IEND') {
      if (!sawIdat) throw broken('缺少图像数据（IDAT）', 'there is no image data (IDAT)');
      if (length !== 0) throw broken('IEND 数据块长度必须为0', 'IEND must be empty');
      // Bytes after IEND are how image/other-format polyglots are made; a photo has no use for them.
      if (dataEnd + 4 !== bytes.length) throw broken('IEND 之后还有多余数据', 'there is data after IEND');
      return { type: 'image/png', width, height, png };
    }
    at = dataEnd + 4;
  }
}

// ---------------------------------------------------------------- JPEG (ITU-T T.81)

/** SOF0–SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** The frame's coding: SOF marker (C0 baseline … CF), sample precision in bits, and colour components. */
export interface JpegCoding {
  marker: number;
  precision: number;
  components: number;
}

/**
 * Walks a JPEG's segments from SOI to EOI — one frame, its scans with their entropy-coded data — and reads
 * the frame's size and coding, never decoding a block. Throws `fault`'s error.
 * @example readJpeg(bytes, fault) // { type: 'image/jpeg', width: 358, height: 441, coding: { marker: 0xc0, precision: 8, components: 3 } }
 */
export function readJpeg(bytes: Uint8Array, fault: ImageFault): PhotoFacts & { coding: JpegCoding } {
  const broken = (zh: string, en: string) => fault({ zh: `JPEG 文件结构错误：${zh}`, en: `Malformed JPEG: ${en}` });
  const truncated = () => broken('文件不完整（缺少 EOI 结束标记）', 'the file is truncated (no EOI marker)');
  let at = 2; // after SOI
  let frame: { width: number; height: number; coding: JpegCoding } | undefined;
  let sawScan = false;
  for (;;) {
    if (at >= bytes.length) throw truncated();
    if (bytes[at] !== 0xff) throw broken(`偏移 ${at} 处应为标记`, `expected a marker at offset ${at}`);
    while (bytes[at] === 0xff) at++; // a marker may be preceded by any number of 0xFF fill bytes
    if (at >= bytes.length) throw truncated();
    const marker = bytes[at++] ?? 0;
    if (marker === 0xd9) {
      // EOI. Anything after it (camera trailers, MPF second images) is not part of this image and is ignored.
      if (!frame || !sawScan) throw broken('缺少图像帧或扫描数据', 'there is no frame or no scan');
      return { type: 'image/jpeg', ...frame };
    }
    if (marker === 0x00 || marker === 0xd8) throw broken(`偏移 ${at - 1} 处的标记无效`, `invalid marker at offset ${at - 1}`);
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue; // RSTn and TEM stand alone
    if (at + 2 > bytes.length) throw truncated();
    const length = u16(bytes, at);
    const end = at + length;
    if (length < 2) throw broken(`偏移 ${at} 处的段长度无效`, `invalid segment length at offset ${at}`);
    if (end > bytes.length) throw truncated();
    if (isStartOfFrame(marker)) {
      if (frame) throw broken('包含多个图像帧', 'there is more than one frame');
      const components = bytes[at + 7] ?? 0;
      if (length < 8 || components === 0 || length !== 8 + 3 * components) {
        throw broken('帧头（SOF）长度无效', 'the frame header (SOF) has an invalid length');
      }
      // Height 0 defers the height to a DNL marker; no camera or editor writes that for a photo.
      frame = { height: u16(bytes, at + 3), width: u16(bytes, at + 5), coding: { marker, precision: bytes[at + 2] ?? 0, components } };
      if (frame.width === 0 || frame.height === 0) throw broken('帧头中的宽度或高度为0', 'the frame header has a zero width or height');
    } else if (marker === 0xda) {
      if (!frame) throw broken('扫描数据（SOS）出现在帧头（SOF）之前', 'a scan (SOS) comes before the frame header (SOF)');
      const components = bytes[at + 2] ?? 0;
      if (components === 0 || length !== 6 + 2 * components) throw broken('扫描头（SOS）长度无效', 'the scan header (SOS) has an invalid length');
      sawScan = true;
      at = skipEntropyCodedData(bytes, end);
      continue;
    }
    at = end;
  }
}

/** The offset of the first marker after a scan's entropy-coded data (stuffed FF00 and RSTn belong to the data). */
function skipEntropyCodedData(bytes: Uint8Array, from: number): number {
  let at = from;
  while (at + 1 < bytes.length) {
    if (bytes[at] === 0xff) {
      const next = bytes[at + 1] ?? 0;
      if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) at += 2;
      else if (next === 0xff) at += 1;
      else return at;
    } else {
      at += 1;
    }
  }
  return bytes.length; // ran off the end: the caller reports a truncated file
}
