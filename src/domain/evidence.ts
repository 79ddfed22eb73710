/**
 * @module domain/evidence
 * Evidence kept with a verification record (notice 四(三)): the screenshot of an information system's
 * answer, or the scan of a letter's reply. It arrives as a base64 `data:` URL and is judged by its bytes,
 * never by the type it declares: a PDF must start with `%PDF-` and end with `%%EOF`, a JPEG run from SOI to
 * EOI, a PNG carry its signature, IHDR first and IEND last. Unlike the certificate photo there are no pixel
 * limits — a screenshot of a 2560 × 1600 screen is ordinary — only a size limit.
 */

import { DomainError } from './errors.js';
import { parseDataUrl } from './photo.js';

/** Largest evidence file, in bytes (5 MiB): a scanned reply or a full-screen screenshot fits. */
export const EVIDENCE_MAX_BYTES = 5 * 1024 * 1024;

export const EVIDENCE_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type EvidenceMediaType = (typeof EVIDENCE_MEDIA_TYPES)[number];

export interface Evidence {
  /** What the bytes are, found from the bytes. */
  mediaType: EvidenceMediaType;
  bytes: Uint8Array<ArrayBuffer>;
}

// base64 of EVIDENCE_MAX_BYTES plus room for the `data:…;base64,` header: longer text is refused undecoded.
const MAX_DATA_URL_LENGTH = Math.ceil(EVIDENCE_MAX_BYTES / 3) * 4 + 256;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;
// An empty IEND chunk: length 0, type, CRC-32 of "IEND".
const PNG_IEND = [0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82] as const;
const PDF_HEADER = /^%PDF-\d\.\d/;
/** PDF readers look for `%%EOF` in the last 1024 bytes (ISO 32000-1 §7.5.5, implementation note). */
const PDF_EOF_WINDOW = 1024;

function refused(field: string, zh: string, en: string, details?: Record<string, unknown>): DomainError {
  return new DomainError('validation_failed', { zh: `${field}：${zh}`, en: `${field}: ${en}` }, field, details);
}

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  return bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);
}

function latin1(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}

/** The type the bytes are, or why they are none of the three. */
function identify(bytes: Uint8Array, field: string): EvidenceMediaType {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) {
    if (!PDF_HEADER.test(latin1(bytes.subarray(0, 8)))) throw refused(field, 'PDF 文件头无效', 'the PDF header is invalid');
    if (!latin1(bytes.subarray(Math.max(0, bytes.length - PDF_EOF_WINDOW))).includes('%%EOF')) {
      throw refused(field, 'PDF 文件不完整（末尾缺少 %%EOF）', 'the PDF is truncated (no %%EOF at its end)');
    }
    return 'application/pdf';
  }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) {
    if (bytes.length < 4 || bytes[bytes.length - 2] !== 0xff || bytes[bytes.length - 1] !== 0xd9) {
      throw refused(field, 'JPEG 文件不完整（缺少 EOI 结束标记）', 'the JPEG is truncated (it does not end with EOI)');
    }
    return 'image/jpeg';
  }
  if (startsWith(bytes, PNG_SIGNATURE)) {
    // IHDR comes first, with length 13 (PNG spec §5.6); IEND ends the file.
    if (!startsWith(bytes, [0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52], PNG_SIGNATURE.length)) {
      throw refused(field, 'PNG 文件缺少 IHDR 数据块', 'the PNG does not start with an IHDR chunk');
    }
    if (bytes.length < PNG_SIGNATURE.length + 25 + PNG_IEND.length || !startsWith(bytes, PNG_IEND, bytes.length - PNG_IEND.length)) {
      throw refused(field, 'PNG 文件不完整（末尾缺少 IEND）', 'the PNG is truncated (it does not end with IEND)');
    }
    return 'image/png';
  }
  throw refused(field, '证明材料须为 PDF、JPEG 或 PNG 文件', 'evidence must be a PDF, JPEG or PNG file', { allowed: EVIDENCE_MEDIA_TYPES });
}

/**
 * Decodes an evidence `data:` URL and checks it by content and size. Throws
 * `DomainError('validation_failed')` naming `field`. Its SHA-256 is taken by the caller (WebCrypto is async).
 * @example
 * parseEvidence('data:application/pdf;base64,JVBERi0xLjcK…JSVFT0YK', 'letter.evidence')
 * // { mediaType: 'application/pdf', bytes: Uint8Array(…) }
 */
export function parseEvidence(value: unknown, field: string): Evidence {
  if (typeof value === 'string' && value.length > MAX_DATA_URL_LENGTH) {
    throw refused(field, `文件超过上限 ${EVIDENCE_MAX_BYTES} 字节（5 MiB）`, `the file is over the limit of ${EVIDENCE_MAX_BYTES} bytes (5 MiB)`, {
      limit: 'max_bytes',
      max: EVIDENCE_MAX_BYTES,
    });
  }
  const { bytes } = parseDataUrl(value, field);
  if (bytes.length > EVIDENCE_MAX_BYTES) {
    throw refused(field, `文件大小为 ${bytes.length} 字节，超过上限 ${EVIDENCE_MAX_BYTES} 字节（5 MiB）`, `the file is ${bytes.length} bytes, over the limit of ${EVIDENCE_MAX_BYTES} bytes (5 MiB)`, {
      limit: 'max_bytes',
      max: EVIDENCE_MAX_BYTES,
      actual: bytes.length,
    });
  }
  return { mediaType: identify(bytes, field), bytes };
}
