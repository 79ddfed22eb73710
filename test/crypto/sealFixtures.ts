/**
 * @module test/crypto/sealFixtures
 * A seal CA under a test root and organisation seals under it, made here with @peculiar/x509 so the
 * statement checks can be tried against every way a chain can be wrong.
 */
import 'reflect-metadata';
import {
  BasicConstraintsExtension,
  CertificatePolicyExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  X509CertificateGenerator,
  type X509Certificate,
} from '@peculiar/x509';
import type { CertificateAndKey } from '../../src/crypto/createRootCa.js';
import type { SealSigner } from '../../src/crypto/caseStatement.js';
import { certificateDer, parseCertificate } from '../../src/crypto/lib/certificate.js';
import { generateP256KeyPair, importPrivateKeyPem } from '../../src/crypto/lib/keys.js';
import { LEVEL_POLICY_OIDS, ORGANIZATION_IDENTIFIER_OID, SEAL_POLICY_OID } from '../../src/crypto/oids.js';
import { bytesToBase64 } from '../../src/lib/base64.js';

const ECDSA = { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams;
const YEAR = 365 * 86_400_000;

export interface Issuer {
  cert: X509Certificate;
  privateKey: CryptoKey;
}

export async function rootIssuer(root: CertificateAndKey): Promise<Issuer> {
  return { cert: parseCertificate(root.certPem)!, privateKey: await importPrivateKeyPem(root.keyPem) };
}

/** A seal CA (pathLen 0, keyCertSign) issued by `root`; `pathLength: null` leaves the constraint out. */
export async function makeSealCa(root: Issuer, options: { pathLength?: number | null; notBefore?: Date } = {}): Promise<Issuer> {
  const keys = await generateP256KeyPair();
  const cert = await X509CertificateGenerator.create({
    subject: [{ C: ['CN'] }, { CN: ['测试印章签发机构 Test Seal CA'] }],
    issuer: root.cert.subjectName,
    publicKey: keys.publicKey,
    signingKey: root.privateKey,
    signingAlgorithm: ECDSA,
    notBefore: options.notBefore ?? new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 10 * YEAR),
    extensions: [
      new BasicConstraintsExtension(true, options.pathLength === null ? undefined : (options.pathLength ?? 0), true),
      new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
    ],
  });
  return { cert, privateKey: keys.privateKey };
}

export interface SealOptions {
  code: string;
  name: string;
  uscc?: string;
  policies?: string[];
  notBefore?: Date;
  notAfter?: Date;
}

/** An organisation's seal issued by `ca`, as a signer with x5c [seal, CA, root]. */
export async function makeSeal(ca: Issuer, root: Issuer, options: SealOptions): Promise<SealSigner & { cert: X509Certificate }> {
  const keys = await generateP256KeyPair();
  const cert = await X509CertificateGenerator.create({
    subject: [{ C: ['CN'] }, { [ORGANIZATION_IDENTIFIER_OID]: [options.code] }, { O: [options.name] }, ...(options.uscc ? [{ '2.5.4.5': [options.uscc] }] : []), { CN: [`${options.name}电子印章`] }],
    issuer: ca.cert.subjectName,
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    signingAlgorithm: ECDSA,
    notBefore: options.notBefore ?? new Date(Date.now() - 60_000),
    notAfter: options.notAfter ?? new Date(Date.now() + 3 * YEAR),
    extensions: [
      new BasicConstraintsExtension(false, undefined, true),
      new KeyUsagesExtension(KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation, true),
      new CertificatePolicyExtension(options.policies ?? [SEAL_POLICY_OID], false),
    ],
  });
  return { cert, privateKey: keys.privateKey, x5c: [cert, ca.cert, root.cert].map((c) => bytesToBase64(certificateDer(c))) };
}

export { LEVEL_POLICY_OIDS };
