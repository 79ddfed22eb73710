/**
 * @module render/certificate/pdf
 * The certificate as a one-page A4 PDF: laid out from the template, set in subsets of the two Noto
 * faces, with the signed token attached as `certificate.jws` so the file alone verifies offline — and the
 * way to read that token back. Bytes in, bytes out: no I/O, no clock, no randomness, so the same
 * certificate always renders to the same bytes.
 */

import { AFRelationship, PDFDocument } from '@cantoo/pdf-lib';
import { printedNumber, printedValue } from './document.js';
import type { CertificateDocument } from './document.js';
import type { FontSet } from '../fonts.js';
import { layoutCertificate } from './layout.js';
import { embedPhoto } from '../lib/photo.js';
import { CERTIFICATE_FIELD_KEYS } from '../../domain/labels.js';
import type { CertificateTemplate } from './template.js';
import { finishPdf, paintPages, startPdf, withDemoMark, type SignatureRequest } from '../lib/pdfFrame.js';

// The types a caller of renderCertificatePdf needs, importable from this module alone.
export type { CertificateDocument } from './document.js';
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
  /** When given, the PDF carries a signature placeholder whose visible widget lies over the drawn seal. */
  signature?: SignatureRequest,
): Promise<Uint8Array> {
  const { pdf, fonts } = await startPdf(fontSet, printedFields(doc, template));
  const photo = doc.photo ? await embedPhoto(pdf, doc.photo.bytes, 'photo') : undefined;
  const marks = layoutCertificate(doc, template, fonts, photo && { width: photo.width, height: photo.height });
  const [page] = await paintPages(pdf, fonts, withDemoMark([marks], doc.demo ? template.demo : undefined, template.page, fonts), template.page, 'certificate', photo);

  const issuedAt = new Date(doc.issuedAt);
  await pdf.attach(new TextEncoder().encode(doc.token), CERTIFICATE_ATTACHMENT_NAME, {
    mimeType: CERTIFICATE_ATTACHMENT_TYPE,
    description: '职称电子证书电子签名数据 / signed certificate data',
    creationDate: issuedAt,
    modificationDate: issuedAt,
    // The page is a rendering of this token; PDF/A-3 calls that the source.
    afRelationship: AFRelationship.Source,
  });
  // The signature's visible widget lies over the drawn seal.
  const ring = marks.find((m) => m.kind === 'circle' && m.role === 'seal:ring');
  const r = ring?.kind === 'circle' ? ring.radius + ring.lineWidth / 2 : 0;
  const rect = ring?.kind === 'circle' ? ([ring.x - r, ring.y - r, ring.x + r, ring.y + r] as const) : undefined;
  // The issuing instant, not the clock: re-rendering a certificate gives identical bytes.
  return finishPdf(pdf, template.metadata, { name: printedNumber(doc), author: doc.authority.name, at: issuedAt }, signature, { page: page!, rect });
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
