/**
 * @module domain/dataUrl
 * A file sent inside a JSON body as a base64 `data:` URL (the certificate photo, evidence, materials): split
 * and decoded strictly, so one text has exactly one reading. What the bytes are is judged by their content
 * elsewhere (domain/photo, domain/evidence), never by the media type declared here.
 */

import { DomainError } from './errors.js';
import type { Message } from './errors.js';

export interface DataUrl {
  /** Lower-cased `type/subtype` as declared; not trusted — see {@link inspectPhoto}. */
  mediaType: string;
  bytes: Uint8Array<ArrayBuffer>;
}

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
