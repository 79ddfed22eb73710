/**
 * @module crypto/createRootCa
 * Makes the root CA of the trust chain: a self-signed P-256 certificate that signs the authority certificates
 * and one CA below it, the seal CA (issue 16; itself pathLen 0). A demo root says so twice — in its subject for
 * people, in a policy OID for the service. A root made before the seal CA (pathLen 0) is re-issued with the same
 * key, subject and validity by {@link reissueRootForSealCa}: what it signed stays valid.
 */

import 'reflect-metadata';
import {
  BasicConstraintsExtension,
  CertificatePolicyExtension,
  type Extension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectKeyIdentifierExtension,
  X509CertificateGenerator,
} from '@peculiar/x509';
import { DomainError } from '../domain/errors.js';
import { exportPrivateKeyPem, generateP256KeyPair, importPrivateKeyPem, keyPairMatches } from './lib/keys.js';
import { certificatePublicKey, parseCertificate } from './lib/certificate.js';
import { validityWindow } from './lib/validity.js';
import { DEMO_POLICY_OID, DEMO_SUBJECT_MARKER } from './oids.js';

export interface CreateRootCaOptions {
  commonName: string;
  validYears: number;
  /** Marks the root as demo-only: loadTrustStore refuses it in production. */
  demo?: boolean;
  /** Defaults to five minutes ago, so a clock slightly behind ours still accepts the certificate. */
  notBefore?: Date;
}

/** The root allows one CA below it (the seal CA), so RFC 5280 path validation accepts root → seal CA → seal. */
export const ROOT_PATH_LENGTH = 1;

export interface CertificateAndKey {
  certPem: string;
  /** PKCS#8 PEM. */
  keyPem: string;
}

/**
 * @example
 * const root = await createRootCa({ commonName: '广西职称电子证书根证书', validYears: 30 });
 * // root.certPem: '-----BEGIN CERTIFICATE-----…', root.keyPem: '-----BEGIN PRIVATE KEY-----…'
 */
export async function createRootCa(options: CreateRootCaOptions): Promise<CertificateAndKey> {
  const commonName = options.commonName.trim();
  if (!commonName || commonName.length > 64) {
    throw new DomainError(
      'validation_failed',
      { zh: '根证书名称不能为空且不超过 64 个字符', en: 'commonName must be 1 to 64 characters' },
      'commonName',
    );
  }
  const keys = await generateP256KeyPair();
  const extensions: Extension[] = [
    // pathLength 1: below the root, certificates and one CA (the seal CA, pathLength 0) — never a deeper chain.
    new BasicConstraintsExtension(true, ROOT_PATH_LENGTH, true),
    new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
    await SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (options.demo) extensions.push(new CertificatePolicyExtension([DEMO_POLICY_OID], false));
  const cert = await X509CertificateGenerator.createSelfSigned({
    name: [{ C: ['CN'] }, ...(options.demo ? [{ O: [DEMO_SUBJECT_MARKER] }] : []), { CN: [commonName] }],
    keys,
    ...validityWindow(options.validYears, options.notBefore),
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
    extensions,
  });
  return { certPem: cert.toString('pem'), keyPem: await exportPrivateKeyPem(keys.privateKey) };
}

/**
 * The same root re-issued allowing the seal CA below it (pathLength 1): same key, same subject bytes, same
 * validity and policies, a new serial. Every certificate the old one signed chains to it unchanged (same
 * issuer name, same key); a verifier that pinned the old root.pem keeps verifying title certificates with it.
 * Throws unless the key is the root's.
 * @example const root = await reissueRootForSealCa({ certPem, keyPem }); // root.keyPem === keyPem
 */
export async function reissueRootForSealCa(root: CertificateAndKey): Promise<CertificateAndKey> {
  const cert = parseCertificate(root.certPem);
  const privateKey = await importPrivateKeyPem(root.keyPem).catch(() => undefined);
  if (!cert || !privateKey) throw new DomainError('validation_failed', { zh: '根证书或根私钥无法读取', en: 'the root certificate or key cannot be read' }, 'root');
  const publicKey = await certificatePublicKey(cert);
  if (!(await keyPairMatches(privateKey, publicKey))) {
    throw new DomainError('validation_failed', { zh: '根私钥与根证书不匹配', en: 'the root private key does not match the root certificate' }, 'root.keyPem');
  }
  const extensions: Extension[] = [
    new BasicConstraintsExtension(true, ROOT_PATH_LENGTH, true),
    ...cert.extensions.filter((e) => !(e instanceof BasicConstraintsExtension) && e.type !== BASIC_CONSTRAINTS_OID),
  ];
  const reissued = await X509CertificateGenerator.create({
    subject: cert.subjectName,
    issuer: cert.subjectName,
    publicKey: cert.publicKey,
    signingKey: privateKey,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
    extensions,
  });
  return { certPem: reissued.toString('pem'), keyPem: root.keyPem };
}

const BASIC_CONSTRAINTS_OID = '2.5.29.19';
