/**
 * @module domain/evidence
 * Evidence kept with a verification record (notice 四(三)) — the screenshot of an information system's
 * answer, the scan of a letter's reply — and the materials of a case (二(三)). A file arrives as a base64
 * `data:` URL and is judged by its bytes, never by the type it declares: a PDF must start with `%PDF-`, end
 * with `%%EOF` and hold nothing that acts on its own (domain/pdfActiveContent.ts); a JPEG or PNG is walked
 * like the certificate photo (domain/photo.ts: segments or chunks end to end, CRCs, nothing after IEND) and
 * its size read from its header: at most {@link EVIDENCE_MAX_PIXELS} pixels, so that no one who opens it
 * decodes gigabytes (a PNG declaring 30000 × 30000 over a deflate bomb is 2.7 GB of pixels). A screenshot
 * of a 2560 × 1600 screen or an A4 page scanned at 600 dpi is well inside; the photo's own tighter limits
 * are not applied here.
 */

import { latin1, PNG_SIGNATURE, startsWith } from './fileBytes.js';
import { DomainError, type Message } from './errors.js';
import { findActiveContent } from './pdfActiveContent.js';
import { parseDataUrl } from './dataUrl.js';
import { readJpeg, readPng, type ImageFault } from './imageStructure.js';

/** Largest evidence file, in bytes (5 MiB): a scanned reply or a full-screen screenshot fits. */
export const EVIDENCE_MAX_BYTES = 5 * 1024 * 1024;

/** Most pixels of an evidence image (40 megapixels): an A4 page scanned at 600 dpi is 35. */
export const EVIDENCE_MAX_PIXELS = 40_000_000;
/** Longest side of an evidence image, in pixels: a long scrolling screenshot fits, a 30000-pixel bomb does not. */
export const EVIDENCE_MAX_SIDE = 20_000;
/** Most PNG chunks: encoders write a few hundred for 5 MiB; walking more only costs time. */
export const EVIDENCE_PNG_MAX_CHUNKS = 10_000;

export const EVIDENCE_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type EvidenceMediaType = (typeof EVIDENCE_MEDIA_TYPES)[number];

export interface Evidence {
  /** What the bytes are, found from the bytes. */
  mediaType: EvidenceMediaType;
  bytes: Uint8Array<ArrayBuffer>;
}

// base64 of EVIDENCE_MAX_BYTES plus room for the `data:…;base64,` header: longer text is refused undecoded.
const MAX_DATA_URL_LENGTH = Math.ceil(EVIDENCE_MAX_BYTES / 3) * 4 + 256;
// An empty IEND chunk: length 0, type, CRC-32 of "IEND".
const PNG_IEND = [0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82] as const;
const PDF_HEADER = /^%PDF-\d\.\d/;
/** PDF readers look for `%%EOF` in the last 1024 bytes (ISO 32000-1 §7.5.5, implementation note). */
const PDF_EOF_WINDOW = 1024;

/** How the person knows the file in a message: the material's file name, or the evidence's field. */
type FileLabel = Message;

function refused(field: string, label: FileLabel, zh: string, en: string, details?: Record<string, unknown>): DomainError {
  return new DomainError('validation_failed', { zh: `${label.zh}：${zh}`, en: `${label.en}: ${en}` }, field, details);
}

/** The type the bytes are, or why they are none of the three. */
function identify(bytes: Uint8Array, field: string, label: FileLabel): EvidenceMediaType {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) {
    if (!PDF_HEADER.test(latin1(bytes.subarray(0, 8)))) throw refused(field, label, 'PDF 文件头无效', 'the PDF header is invalid');
    if (!latin1(bytes.subarray(Math.max(0, bytes.length - PDF_EOF_WINDOW))).includes('%%EOF')) {
      throw refused(field, label, 'PDF 文件不完整（末尾缺少 %%EOF）', 'the PDF is truncated (no %%EOF at its end)');
    }
    return 'application/pdf';
  }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) {
    if (bytes.length < 4 || bytes[bytes.length - 2] !== 0xff || bytes[bytes.length - 1] !== 0xd9) {
      throw refused(field, label, 'JPEG 文件不完整（缺少 EOI 结束标记）', 'the JPEG is truncated (it does not end with EOI)');
    }
    return 'image/jpeg';
  }
  if (startsWith(bytes, PNG_SIGNATURE)) {
    // IHDR comes first, with length 13 (PNG spec §5.6); IEND ends the file.
    if (!startsWith(bytes, [0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52], PNG_SIGNATURE.length)) {
      throw refused(field, label, 'PNG 文件缺少 IHDR 数据块', 'the PNG does not start with an IHDR chunk');
    }
    if (bytes.length < PNG_SIGNATURE.length + 25 + PNG_IEND.length || !startsWith(bytes, PNG_IEND, bytes.length - PNG_IEND.length)) {
      throw refused(field, label, 'PNG 文件不完整（末尾缺少 IEND）', 'the PNG is truncated (it does not end with IEND)');
    }
    return 'image/png';
  }
  throw refused(field, label, '证明材料须为 PDF、JPEG 或 PNG 文件', 'evidence must be a PDF, JPEG or PNG file', { allowed: EVIDENCE_MEDIA_TYPES });
}

/** An image's size from its header, walking its structure; refused past the limits. */
function checkImage(bytes: Uint8Array, mediaType: 'image/jpeg' | 'image/png', field: string, label: FileLabel): void {
  const fault: ImageFault = (message, details) => refused(field, label, message.zh, message.en, details);
  const { width, height } = mediaType === 'image/png' ? readPng(bytes, fault, EVIDENCE_PNG_MAX_CHUNKS) : readJpeg(bytes, fault);
  const area = width * height;
  if (width > EVIDENCE_MAX_SIDE || height > EVIDENCE_MAX_SIDE || area > EVIDENCE_MAX_PIXELS) {
    throw refused(
      field,
      label,
      `图像为 ${width}×${height} 像素，超过上限（共 ${EVIDENCE_MAX_PIXELS / 1_000_000} 兆像素、每边 ${EVIDENCE_MAX_SIDE} 像素）：请缩小后重新上传`,
      `the image is ${width} × ${height} px, over the limit (${EVIDENCE_MAX_PIXELS / 1_000_000} megapixels, ${EVIDENCE_MAX_SIDE} px a side): scale it down and upload it again`,
      { limit: 'max_pixels', max: EVIDENCE_MAX_PIXELS, maxSide: EVIDENCE_MAX_SIDE, actual: area, width, height },
    );
  }
}

const CLEAN_COPY: Message = { zh: '请用“打印为 PDF”另存一份或重新扫描后再上传', en: 'print it to a new PDF, or scan it again, and upload that' };

/** A PDF with nothing that acts on its own, or a refusal naming the file and what was found. */
async function checkPdf(bytes: Uint8Array, field: string, label: FileLabel): Promise<void> {
  const check = await findActiveContent(bytes);
  if ('uncheckable' in check) throw refused(field, label, `${check.uncheckable.zh}；${CLEAN_COPY.zh}`, `${check.uncheckable.en}; ${CLEAN_COPY.en}`, { limit: 'uncheckable_pdf' });
  if (check.findings.length === 0) return;
  const whats = (lang: 'zh' | 'en') => [...new Set(check.findings.map((f) => f.what[lang]))].join(lang === 'zh' ? '、' : ', ');
  const names = check.findings.map((f) => f.name);
  throw new DomainError(
    'active_content',
    {
      zh: `${label.zh}含有${whats('zh')}（${names.join(' ')}），打开时可能自动运行或带入其他文件，不予接收：${CLEAN_COPY.zh}`,
      en: `${label.en} contains ${whats('en')} (${names.join(' ')}), which can act by itself or bring in other files when opened, so it is not accepted: ${CLEAN_COPY.en}`,
    },
    field,
    { found: names },
  );
}

/**
 * Decodes an evidence or material `data:` URL and checks it by content: size, type, structure, an image's
 * pixels, a PDF's active content. Throws `DomainError` naming `field` — `validation_failed`, or
 * `active_content` for a PDF that could act on its own; `label` is how the message names the file (the
 * field by default). Its SHA-256 is taken by the caller.
 * @example
 * await parseEvidence('data:application/pdf;base64,JVBERi0xLjcK…JSVFT0YK', 'letter.evidence', { zh: '回函扫描件', en: 'The scan of the reply' })
 * // { mediaType: 'application/pdf', bytes: Uint8Array(…) }
 */
export async function parseEvidence(value: unknown, field: string, label: FileLabel = { zh: field, en: field }): Promise<Evidence> {
  if (typeof value === 'string' && value.length > MAX_DATA_URL_LENGTH) {
    throw refused(field, label, `文件超过上限 ${EVIDENCE_MAX_BYTES} 字节（5 MiB）`, `the file is over the limit of ${EVIDENCE_MAX_BYTES} bytes (5 MiB)`, {
      limit: 'max_bytes',
      max: EVIDENCE_MAX_BYTES,
    });
  }
  const { bytes } = parseDataUrl(value, field);
  if (bytes.length > EVIDENCE_MAX_BYTES) {
    throw refused(field, label, `文件大小为 ${bytes.length} 字节，超过上限 ${EVIDENCE_MAX_BYTES} 字节（5 MiB）`, `the file is ${bytes.length} bytes, over the limit of ${EVIDENCE_MAX_BYTES} bytes (5 MiB)`, {
      limit: 'max_bytes',
      max: EVIDENCE_MAX_BYTES,
      actual: bytes.length,
    });
  }
  const mediaType = identify(bytes, field, label);
  if (mediaType === 'application/pdf') await checkPdf(bytes, field, label);
  else checkImage(bytes, mediaType, field, label);
  return { mediaType, bytes };
}
