/**
 * @module crypto/createSealCa
 * Makes the seal CA (issue 16 items 1 and 5): a certificate authority under the service's root whose key
 * issues organisations' electronic seal certificates (电子印章) and nothing else. Made by the CLI with the
 * root key, like an authority certificate (crypto/createAuthorityCertificate.ts).
 */

import 'reflect-metadata';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  CertificatePolicyExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectKeyIdentifierExtension,
  X509CertificateGenerator,
} from '@peculiar/x509';
import { DomainError } from '../domain/errors.js';
import { certificatePublicKey, parseCertificate } from './lib/certificate.js';
import { checkRoot } from './lib/chain.js';
import { exportPrivateKeyPem, generateP256KeyPair, importPrivateKeyPem, keyPairMatches, kidOf } from './lib/keys.js';
import { validityWindow } from './lib/validity.js';
import type { CertificateAndKey } from './createRootCa.js';
import { ORGANIZATION_IDENTIFIER_OID, SEAL_POLICY_OID } from './oids.js';

/** The seal CA's organisation code and name in its subject. */
export const SEAL_CA_CODE = 'ECSEAL';
export const SEAL_CA_NAME = '职称电子证书服务电子印章签发机构';

export interface SealCaCertificateAndKey extends CertificateAndKey {
  kid: string;
}

const invalid = (field: string, zh: string, en: string) => new DomainError('validation_failed', { zh, en }, field);

/**
 * pathLen 0 and keyUsage keyCertSign + cRLSign only: it certifies seal keys and can neither sign a document
 * nor make another CA; its certificatePolicies is the seal policy alone, so what it certifies can be no more.
 * @example const sealCa = await createSealCa({ root, validYears: 10 });
 */
export async function createSealCa(options: { root: CertificateAndKey; validYears: number; notBefore?: Date }): Promise<SealCaCertificateAndKey> {
  const rootCert = parseCertificate(options.root.certPem);
  if (!rootCert) throw invalid('root.certPem', '根证书无法解析', 'the root certificate cannot be parsed');
  const rootProblem = await checkRoot(rootCert, new Date());
  if (rootProblem) throw invalid('root.certPem', rootProblem.zh, rootProblem.en);
  // RFC 5280 path validation: a root made before the seal CA (pathLen 0) may not have a CA below it.
  if (rootCert.getExtension(BasicConstraintsExtension)?.pathLength === 0) {
    throw invalid(
      'root.certPem',
      '此根证书（pathlen:0）不允许其下再有签发机构：请先用 npm run cli -- keys root-reissue 以同一根密钥重新签发根证书（已签发的证书照常有效）',
      'this root (pathlen:0) allows no CA below it: first run npm run cli -- keys root-reissue, which re-issues it with the same key (everything it signed stays valid)',
    );
  }
  const rootKey = await importPrivateKeyPem(options.root.keyPem).catch(() => undefined);
  if (!rootKey || !(await keyPairMatches(rootKey, await certificatePublicKey(rootCert)))) {
    throw invalid('root.keyPem', '根私钥与根证书不匹配', 'the root private key does not match the root certificate');
  }
  const keys = await generateP256KeyPair();
  const window = validityWindow(options.validYears, options.notBefore);
  const notAfter = window.notAfter > rootCert.notAfter ? rootCert.notAfter : window.notAfter;
  const rootKeyId = rootCert.getExtension(SubjectKeyIdentifierExtension)?.keyId;
  const cert = await X509CertificateGenerator.create({
    subject: [{ C: ['CN'] }, { [ORGANIZATION_IDENTIFIER_OID]: [SEAL_CA_CODE] }, { CN: [SEAL_CA_NAME] }],
    issuer: rootCert.subjectName,
    publicKey: keys.publicKey,
    signingKey: rootKey,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
    notBefore: window.notBefore,
    notAfter,
    extensions: [
      new BasicConstraintsExtension(true, 0, true),
      new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
      await SubjectKeyIdentifierExtension.create(keys.publicKey),
      rootKeyId ? new AuthorityKeyIdentifierExtension(rootKeyId) : await AuthorityKeyIdentifierExtension.create(rootCert.publicKey),
      new CertificatePolicyExtension([SEAL_POLICY_OID], false),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportPrivateKeyPem(keys.privateKey), kid: await kidOf(keys.publicKey) };
}
