/**
 * @module domain/imageStructure
 * Walks a PNG (chunks with their CRCs up to IEND) or a JPEG (segments up to EOI) end to end and reports its
 * size and encoding, or a fault in words: the readers behind the certificate photo (domain/photo) and the
 * evidence images (render/lib/photo), each under its own limits.
 */

import type { DomainError, Message } from './errors.js';
import { PNG_SIGNATURE } from './fileBytes.js';

export type PhotoType = 'image/jpeg' | 'image/png';

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
