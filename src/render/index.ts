/**
 * @module render
 * PDF and QR rendering of the e-certificate: bytes in, bytes out, layouts read from templates/.
 * Web-standard only, so it runs unchanged on Node and on Cloudflare Workers.
 */

export { FontSet, LoadedFonts } from './fonts.js';
export type { FontBytes, FontKey, FontRun, FontkitEngine } from './fonts.js';
export { drawQrCode, drawQrSymbol, qrSymbol, QR_QUIET_ZONE_MODULES } from './qr.js';
export type { ModuleRect, QrPlacement, QrSymbol } from './qr.js';
export {
  CERTIFICATE_ATTACHMENT_NAME,
  CERTIFICATE_ATTACHMENT_TYPE,
  extractCertificateToken,
  renderCertificatePdf,
} from './certificatePdf.js';
export { issuedOn, printedValue } from './certificateDocument.js';
export type { CertificateDocument } from './certificateDocument.js';
export { CERTIFICATE_FIELD_KEYS, parseCertificateTemplate } from './template.js';
export type { CertificateFieldKey, CertificateTemplate } from './template.js';
