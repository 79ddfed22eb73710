/**
 * @module render/certificatePdf
 * The certificate as a one-page A4 PDF: laid out from the template, set in subsets of the two Noto
 * faces, with the signed token attached as `certificate.jws` so the file alone verifies offline — and the
 * way to read that token back. Bytes in, bytes out: no I/O, no clock, no randomness, so the same
 * certificate always renders to the same bytes.
 */

import { AFRelationship, PDFDocument } from '@cantoo/pdf-lib';
import type { PDFFont, PDFImage } from '@cantoo/pdf-lib';
import { DomainError } from '../domain/errors.js';
import { printedValue } from './certificateDocument.js';
import type { CertificateDocument } from './certificateDocument.js';
import type { FontKey, FontSet, LoadedFonts } from './fonts.js';
import { layoutCertificate } from './lib/certificateLayout.js';
import { paintMarks } from './lib/marks.js';
import type { Mark } from './lib/marks.js';
import { subsetTag } from './lib/subsetTag.js';
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
  refuseUndrawable(doc, template, fonts);

  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.registerFontkit(fonts.engine);
  const photo = doc.photo ? await embedPhoto(pdf, doc.photo) : undefined;
  const marks = layoutCertificate(doc, template, fonts, photo && { width: photo.width, height: photo.height });
  const pdfFonts = await embedFontSubsets(pdf, fonts, marks);

  const page = pdf.addPage([mm(template.page.widthMm), mm(template.page.heightMm)]);
  paintMarks(page, marks, { fonts, pdfFonts, photo });

  const issuedAt = new Date(doc.issuedAt);
  const { metadata } = template;
  pdf.setTitle(`${metadata.title} ${doc.number}`, { showInWindowTitleBar: true });
  pdf.setSubject(metadata.subject);
  pdf.setAuthor(doc.authority.name);
  pdf.setKeywords([...metadata.keywords, doc.number]);
  pdf.setCreator(metadata.creator);
  pdf.setProducer(metadata.producer);
  pdf.setLanguage(metadata.language);
  // The issuing instant, not the clock: re-rendering a certificate gives identical bytes.
  pdf.setCreationDate(issuedAt);
  pdf.setModificationDate(issuedAt);

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

/** Names the first field holding a character neither face has (checked before anything is drawn). */
function refuseUndrawable(doc: CertificateDocument, template: CertificateTemplate, fonts: LoadedFonts): void {
  for (const key of CERTIFICATE_FIELD_KEYS) {
    const missing = fonts.undrawable(printedValue(doc, key) ?? '');
    if (missing.length === 0) continue;
    const label = template.fields.items.find((item) => item.key === key)?.label ?? key;
    const codePoints = missing.map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
    const quoted = missing.map((c, i) => `「${c}」(${codePoints[i]})`).join('、');
    throw new DomainError(
      'undrawable_character',
      { zh: `${label}含有证书字体无法显示的字符：${quoted}`, en: `${key} contains characters the certificate fonts cannot draw: ${codePoints.join(', ')}` },
      key,
      { characters: missing, codePoints },
    );
  }
}

/** Embeds a subset of each face the page uses, named `ABCDEF+PostScriptName` after its characters. */
async function embedFontSubsets(
  pdf: PDFDocument,
  fonts: LoadedFonts,
  marks: readonly Mark[],
): Promise<Partial<Record<FontKey, PDFFont>>> {
  const used: Record<FontKey, Set<string>> = { primary: new Set(), fallback: new Set() };
  for (const mark of marks) {
    if (mark.kind !== 'text') continue;
    for (const run of fonts.runs(mark.text)) for (const char of run.text) used[run.font].add(char);
  }
  const embedded: Partial<Record<FontKey, PDFFont>> = {};
  for (const key of ['primary', 'fallback'] as const) {
    if (used[key].size === 0) continue;
    const missing = fonts.undrawable([...used[key]].join(''));
    // Document values were checked already; anything left is template text.
    if (missing.length > 0) throw new Error(`certificate template uses characters no font has: ${missing.join(' ')}`);
    const name = fonts.postscriptName(key);
    embedded[key] = await pdf.embedFont(fonts.bytes[key], {
      subset: true,
      customName: `${subsetTag(name, used[key])}+${name}`,
    });
  }
  return embedded;
}

/** Embeds the holder's photo by what its bytes are (a mislabelled type is harmless, corrupt bytes are not). */
async function embedPhoto(pdf: PDFDocument, photo: NonNullable<CertificateDocument['photo']>): Promise<PDFImage> {
  const { bytes } = photo;
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const isPng = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  try {
    if (isJpeg) return await pdf.embedJpg(bytes);
    if (isPng) return await pdf.embedPng(bytes);
  } catch (error) {
    throw new DomainError('invalid_photo', { zh: '照片无法解码', en: 'the photo could not be decoded' }, 'photo', {
      reason: error instanceof Error ? error.message : String(error),
    });
  }
  throw new DomainError('invalid_photo', { zh: '照片须为 JPEG 或 PNG 格式', en: 'the photo must be a JPEG or PNG image' }, 'photo', {
    declaredType: photo.type,
  });
}
