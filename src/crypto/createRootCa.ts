/**
 * @module crypto/createRootCa
 * Makes the root CA of the trust chain: a self-signed P-256 certificate that signs only authority
 * certificates. A demo root says so twice — in its subject for people, in a policy OID for the service.
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
import { exportPrivateKeyPem, generateP256KeyPair } from './lib/keys.js';
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
    // pathLength 0: the root signs authority certificates only, never another CA.
    new BasicConstraintsExtension(true, 0, true),
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
