/**
 * @module crypto/issueSealCertificate
 * An organisation's electronic seal (电子印章, issue 16 item 1): a fresh P-256 key and its certificate from
 * the seal CA, naming the organisation, its code and its 统一社会信用代码. Notice 四(二)、四(四): each level
 * "出具审核意见，加盖单位公章" — the seal is what lets an organisation sign its own opinion.
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
import { bytesToBase64 } from '../lib/base64.js';
import { generateP256KeyPair, kidOf } from './lib/keys.js';
import { ORGANIZATION_IDENTIFIER_OID, SEAL_POLICY_OID } from './oids.js';
import type { SealCa } from './sealCa.js';

/** X.520 serialNumber: where the seal certificate carries the organisation's USCC. */
export const SERIAL_NUMBER_OID = '2.5.4.5';
/** A seal certificate's lifetime; rotation makes a new one sooner when needed. */
export const SEAL_VALID_YEARS = 5;

export interface SealHolder {
  code: string;
  name: string;
  uscc: string;
}

export interface IssuedSeal {
  certPem: string;
  /** PKCS#8 DER of the new private key: the caller encrypts it at once (crypto/sealVault.ts) and drops it. */
  pkcs8: Uint8Array;
  kid: string;
  notBefore: Date;
  notAfter: Date;
  /** base64 DER, RFC 7515 §4.1.6: [seal, seal CA, root]. */
  x5c: string[];
}

/**
 * Subject C=CN, O=<name>, organizationIdentifier (2.5.4.97)=<our code>, serialNumber (2.5.4.5)=<USCC>,
 * CN=<name>. The USCC goes in serialNumber as Chinese CAs' organisation certificates put the 统一社会信用代码
 * in the subject's registration-number attribute (and GB/T 38540 seals name the unit by it); our code keeps
 * organizationIdentifier as on authority certificates. keyUsage digitalSignature + nonRepudiation, the seal
 * policy and none of the title-level policies.
 * @example const seal = await issueSealCertificate(ca, { code: 'NNRSJ', name: '南宁市人力资源和社会保障局', uscc: '…' }, now);
 */
export async function issueSealCertificate(ca: SealCa, holder: SealHolder, now: Date): Promise<IssuedSeal> {
  const keys = await generateP256KeyPair();
  const notBefore = new Date(now.getTime() - 5 * 60 * 1000);
  const fiveYears = new Date(notBefore);
  fiveYears.setUTCFullYear(fiveYears.getUTCFullYear() + SEAL_VALID_YEARS);
  // A seal cannot outlive the CA that vouches for it.
  const notAfter = fiveYears > ca.cert.notAfter ? ca.cert.notAfter : fiveYears;
  const caKeyId = ca.cert.getExtension(SubjectKeyIdentifierExtension)?.keyId;
  const cert = await X509CertificateGenerator.create({
    subject: [{ C: ['CN'] }, { O: [holder.name] }, { [ORGANIZATION_IDENTIFIER_OID]: [holder.code] }, { [SERIAL_NUMBER_OID]: [holder.uscc] }, { CN: [holder.name] }],
    issuer: ca.cert.subjectName,
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
    notBefore,
    notAfter,
    extensions: [
      new BasicConstraintsExtension(false, undefined, true),
      new KeyUsagesExtension(KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation, true),
      await SubjectKeyIdentifierExtension.create(keys.publicKey),
      caKeyId ? new AuthorityKeyIdentifierExtension(caKeyId) : await AuthorityKeyIdentifierExtension.create(ca.cert.publicKey),
      new CertificatePolicyExtension([SEAL_POLICY_OID], false),
    ],
  });
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
  return {
    certPem: cert.toString('pem'),
    pkcs8,
    kid: await kidOf(keys.publicKey),
    notBefore,
    notAfter,
    x5c: [bytesToBase64(new Uint8Array(cert.rawData)), ...ca.x5c],
  };
}
