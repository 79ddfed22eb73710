/**
 * @module crypto/sealCa
 * Loads the seal CA (crypto/createSealCa.ts) from the key bundle and checks it once: signed by the root, a
 * CA with pathLen 0 that may only certify keys, carrying the seal policy, and its private key matching.
 * Several may be listed (rotation): the newest valid one with a private key issues.
 */

import 'reflect-metadata';
import { BasicConstraintsExtension, KeyUsageFlags, KeyUsagesExtension, type X509Certificate } from '@peculiar/x509';
import { DomainError } from '../domain/errors.js';
import { bytesToBase64 } from '../lib/base64.js';
import { certificateDer, certificatePublicKey, isSealCertificate, parseCertificate } from './lib/certificate.js';
import { validAt } from './lib/chain.js';
import { importPrivateKeyPem, keyPairMatches } from './lib/keys.js';

export interface SealCa {
  cert: X509Certificate;
  /** Signs seal certificates and nothing else (crypto/issueSealCertificate.ts is its only use). */
  privateKey: CryptoKey;
  /** base64 DER: [seal CA, root] — the tail of every seal's x5c. */
  x5c: string[];
}

function unavailable(zh: string, en: string): DomainError {
  return new DomainError('keys_unavailable', { zh: `电子印章签发机构不可用：${zh}`, en: `seal CA unavailable: ${en}` });
}

/**
 * The problem with a seal CA certificate under `root`, or undefined.
 * @example const problem = await sealCaProblem(cert, root, new Date());
 */
export async function sealCaProblem(cert: X509Certificate, root: X509Certificate, at: Date): Promise<string | undefined> {
  if (!(await cert.verify({ publicKey: root, signatureOnly: true }).catch(() => false))) return 'not signed by the root';
  const constraints = cert.getExtension(BasicConstraintsExtension);
  if (!constraints?.ca || constraints.pathLength !== 0) return 'not a CA certificate with pathLen 0';
  const usage = cert.getExtension(KeyUsagesExtension);
  if (!usage || usage.usages !== (KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign)) return 'keyUsage is not keyCertSign, cRLSign only';
  if (!isSealCertificate(cert)) return 'it lacks the seal policy';
  if (!validAt(cert, at)) return 'not valid now';
  return undefined;
}

/**
 * @example const ca = await loadSealCa(bundle.sealCa ?? [], store.root.cert); // undefined when none is usable
 */
export async function loadSealCa(entries: readonly { certPem: string; keyPem?: string | undefined }[], root: X509Certificate, now = new Date()): Promise<SealCa | undefined> {
  const usable: SealCa[] = [];
  for (const [i, entry] of entries.entries()) {
    const cert = parseCertificate(entry.certPem);
    if (!cert) throw unavailable(`第 ${i + 1} 个证书无法解析`, `certificate #${i + 1} cannot be parsed`);
    const problem = await sealCaProblem(cert, root, cert.notBefore);
    if (problem) throw unavailable(`第 ${i + 1} 个证书不合格`, `certificate #${i + 1}: ${problem}`);
    if (!entry.keyPem || !validAt(cert, now)) continue;
    const privateKey = await importPrivateKeyPem(entry.keyPem).catch(() => undefined);
    if (!privateKey || !(await keyPairMatches(privateKey, await certificatePublicKey(cert)))) {
      throw unavailable(`第 ${i + 1} 个私钥与证书不匹配`, `the private key #${i + 1} does not match its certificate`);
    }
    usable.push({ cert, privateKey, x5c: [bytesToBase64(certificateDer(cert)), bytesToBase64(new Uint8Array(root.rawData))] });
  }
  return usable.sort((a, b) => b.cert.notBefore.getTime() - a.cert.notBefore.getTime())[0];
}

/**
 * The x5c of a seal certificate `ca` issued — [seal, seal CA, root] — or undefined when `ca` did not issue it
 * (a seal made under a seal CA since replaced).
 * @example const x5c = await sealChain(ca, seal.certificatePem);
 */
export async function sealChain(ca: SealCa, certificatePem: string): Promise<string[] | undefined> {
  const cert = parseCertificate(certificatePem);
  if (!cert || !(await cert.verify({ publicKey: ca.cert, signatureOnly: true }).catch(() => false))) return undefined;
  return [bytesToBase64(certificateDer(cert)), ...ca.x5c];
}
