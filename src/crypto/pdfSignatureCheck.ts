/**
 * @module crypto/pdfSignatureCheck
 * Checks a PDF's PAdES signature offline, the way a PDF reader does: the /ByteRange covers the whole file but
 * the /Contents hole, the CMS message digest is the SHA-256 of those bytes, the signature verifies, and the
 * signer's certificate chains to the root the caller pins. Reports each step as a check in zh and en.
 */
import * as pkijs from 'pkijs';
import { latin1 } from '../domain/fileBytes.js';
import type { Message } from '../domain/errors.js';
import { pemToDer } from './lib/pem.js';

export interface PdfSignatureCheck {
  name: string;
  ok: boolean;
  message: Message;
}

const check = (name: string, ok: boolean, yes: Message, no: Message): PdfSignatureCheck => ({ name, ok, message: ok ? yes : no });

function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** The signer's common name (for comparing with the authority the token names). */
function commonName(cert: pkijs.Certificate): string | undefined {
  const cn = cert.subject.typesAndValues.find((tv) => tv.type === '2.5.4.3');
  return cn ? String(cn.value.valueBlock.value) : undefined;
}

/**
 * @example const checks = await checkPdfSignature(pdfBytes, rootPem); // [{ name: 'pdf_signature', ok: true, … }, …]
 */
export async function checkPdfSignature(pdf: Uint8Array, rootPem: string): Promise<{ checks: PdfSignatureCheck[]; signer?: string | undefined }> {
  const text = latin1(pdf);
  const range = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text);
  if (!range) return { checks: [check('pdf_signature', false, { zh: '', en: '' }, { zh: 'PDF 没有电子签名', en: 'the PDF carries no signature' })] };
  const [a, b, c, d] = range.slice(1).map(Number) as [number, number, number, number];
  const hole = text.slice(b, c);
  const whole = a === 0 && c + d === pdf.length && /^<[0-9A-Fa-f]*>$/.test(hole);
  const checks: PdfSignatureCheck[] = [
    check('pdf_byte_range', whole, { zh: '签名覆盖除签名值外的整个文件', en: 'the signature covers the whole file but its own value' }, { zh: '签名未覆盖整个文件（文件在签名后被追加或改动）', en: 'the signature does not cover the whole file (appended or changed after signing)' }),
  ];
  if (!whole) return { checks };
  const der = hexToBytes(hole.slice(1, -1).replace(/(00)+$/, ''));
  const data = new Uint8Array(b + d);
  data.set(pdf.subarray(0, b), 0);
  data.set(pdf.subarray(c, c + d), b);
  try {
    const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(der.slice().buffer).content });
    const rootDer = pemToDer(rootPem, 'CERTIFICATE');
    if (!rootDer) throw new Error('the trust root is not a PEM certificate');
    const root = pkijs.Certificate.fromBER(rootDer.buffer);
    const result = await signedData.verify({ signer: 0, data: data.buffer, trustedCerts: [root], checkChain: true, extendedMode: true });
    const signer = result.signerCertificate ? commonName(result.signerCertificate) : undefined;
    checks.push(
      check('pdf_signature', result.signatureVerified === true, { zh: `PDF 电子签名有效（签名者：${signer}）`, en: `the PDF signature is valid (signer: ${signer})` }, { zh: 'PDF 电子签名无效：文件已被改动', en: 'the PDF signature is invalid: the file was changed' }),
      check('pdf_chain', result.signerCertificateVerified === true, { zh: '签名证书链至信任根', en: 'the signing certificate chains to the trust root' }, { zh: '签名证书不链至信任根', en: 'the signing certificate does not chain to the trust root' }),
    );
    return { checks, signer };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const e = error as { signatureVerified?: boolean; code?: number };
    const digest = e.code === 14 || /digest/i.test(detail); // pkijs: message digest does not match the data
    checks.push(
      check('pdf_signature', false, { zh: '', en: '' }, digest ? { zh: 'PDF 电子签名无效：文件内容与签名摘要不符（已被改动）', en: 'the PDF signature is invalid: the content does not match the signed digest (changed)' } : { zh: `PDF 电子签名无法核验：${detail}`, en: `the PDF signature cannot be verified: ${detail}` }),
    );
    return { checks };
  }
}
