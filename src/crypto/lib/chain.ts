/**
 * @module crypto/lib/chain
 * Our chain is two links: a root CA, and authority certificates it signs directly. These checks are shared
 * by key loading and by offline token verification; each returns the reason for failure, or undefined.
 */

import 'reflect-metadata';
import {
  BasicConstraintsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  type X509Certificate,
} from '@peculiar/x509';
import { formatChinaTime } from '../../domain/chineseDate.js';
import type { Message } from '../../domain/errors.js';

/** Inclusive bounds: X.509 validity covers both notBefore and notAfter (RFC 5280 §4.1.2.5). */
export function validAt(cert: X509Certificate, at: Date): boolean {
  const time = at.getTime();
  return cert.notBefore.getTime() <= time && time <= cert.notAfter.getTime();
}

function sameBytes(a: ArrayBuffer, b: ArrayBuffer): boolean {
  if (a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  return x.every((byte, i) => byte === y[i]);
}

/** "Not valid at …" in China time, as a person reads it (the instant itself is in the token). */
function notValidAt(what: Message, at: Date): Message {
  return { zh: `${what.zh}在 ${formatChinaTime(at, 'zh')} 不在有效期内`, en: `${what.en} is not valid at ${formatChinaTime(at, 'en')}` };
}

const ROOT: Message = { zh: '根证书', en: 'the root certificate' };
const AUTHORITY: Message = { zh: '签发机构证书', en: 'the authority certificate' };

/** A root: self-signed CA allowed to sign certificates, valid at `at`. */
export async function checkRoot(root: X509Certificate, at: Date): Promise<Message | undefined> {
  const constraints = root.getExtension(BasicConstraintsExtension);
  const usage = root.getExtension(KeyUsagesExtension);
  if (!constraints?.ca || !usage || (usage.usages & KeyUsageFlags.keyCertSign) === 0) {
    return { zh: '根证书不是证书颁发机构（CA）证书', en: 'the root certificate is not a CA certificate' };
  }
  if (!(await root.verify({ signatureOnly: true }).catch(() => false))) {
    return { zh: '根证书的自签名无效', en: 'the root certificate’s self-signature is invalid' };
  }
  if (!validAt(root, at)) return notValidAt(ROOT, at);
  return undefined;
}

/**
 * An authority certificate: named as issued by the root, signed by the root's key, itself no CA, usable
 * for digital signatures, and — like the root — valid at `at` (the token's issue time when verifying).
 */
export async function checkIssuedByRoot(
  cert: X509Certificate,
  root: X509Certificate,
  at: Date,
): Promise<Message | undefined> {
  if (!sameBytes(cert.issuerName.toArrayBuffer(), root.subjectName.toArrayBuffer())) {
    return { zh: '签发机构证书不是由受信任的根证书签发的', en: 'the authority certificate was not issued by the trusted root' };
  }
  if (!(await cert.verify({ publicKey: root, signatureOnly: true }).catch(() => false))) {
    return { zh: '签发机构证书上的根证书签名无效', en: 'the root’s signature on the authority certificate is invalid' };
  }
  const usage = cert.getExtension(KeyUsagesExtension);
  if (cert.getExtension(BasicConstraintsExtension)?.ca || !usage || (usage.usages & KeyUsageFlags.digitalSignature) === 0) {
    return { zh: '签发机构证书不允许用于数字签名', en: 'the authority certificate does not allow digital signatures' };
  }
  if (!validAt(root, at)) return notValidAt(ROOT, at);
  if (!validAt(cert, at)) return notValidAt(AUTHORITY, at);
  return undefined;
}
