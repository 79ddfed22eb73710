/**
 * @module crypto/createAuthorityCertificate
 * Makes an issuing certificate for one confirming authority (a title office or self-evaluating unit,
 * notice 二(一)), signed by the root. The certificate fixes which title levels the authority may confirm,
 * as certificatePolicies OIDs, so every verifier can hold it to them without asking our server.
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
import { isLevel, LEVELS, type Level } from '../domain/levels.js';
import { certificatePublicKey, parseCertificate } from './lib/certificate.js';
import { checkRoot } from './lib/chain.js';
import {
  exportPrivateKeyPem,
  generateP256KeyPair,
  importPrivateKeyPem,
  keyPairMatches,
  kidOf,
} from './lib/keys.js';
import { validityWindow } from './lib/validity.js';
import type { CertificateAndKey } from './createRootCa.js';
import { LEVEL_POLICY_OIDS, ORGANIZATION_IDENTIFIER_OID } from './oids.js';

/** The organisation code and name of the service's own key, which signs the 核实 log's chain heads. */
export const SERVICE_CODE = 'ECERT';
export const SERVICE_NAME = '职称电子证书服务';

/** Organisation codes are upper-case letters and digits; they also name a directory under authorities/. */
export const AUTHORITY_CODE_PATTERN = /^[A-Z0-9]{2,32}$/;

export interface CreateAuthorityOptions {
  /** The root's certificate and PKCS#8 private key. */
  root: CertificateAndKey;
  /** Organisation code, e.g. `GXZGB`. */
  code: string;
  /** Full name, e.g. 广西壮族自治区职称改革工作领导小组办公室. */
  name: string;
  /** The title levels this authority may confirm. */
  levels: readonly Level[];
  validYears: number;
  /** Defaults to five minutes ago. */
  notBefore?: Date;
}

export interface AuthorityCertificateAndKey extends CertificateAndKey {
  /** RFC 7638 thumbprint of the new public key. */
  kid: string;
}

function invalid(field: string, zh: string, en: string): DomainError {
  return new DomainError('validation_failed', { zh, en }, field);
}

/**
 * @example
 * const gxzgb = await createAuthorityCertificate({
 *   root, code: 'GXZGB', name: '广西壮族自治区职称改革工作领导小组办公室', levels: LEVELS, validYears: 10,
 * });
 * // gxzgb.kid: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' (its key's thumbprint)
 */
export async function createAuthorityCertificate(options: CreateAuthorityOptions): Promise<AuthorityCertificateAndKey> {
  if (!AUTHORITY_CODE_PATTERN.test(options.code)) {
    throw invalid('code', '机构代码须为 2–32 位大写字母或数字', 'code must be 2–32 upper-case letters or digits');
  }
  if (options.code === SERVICE_CODE) {
    throw invalid('code', `${SERVICE_CODE} 是本服务密钥的保留代码`, `${SERVICE_CODE} is reserved for the service's own key (keys service)`);
  }
  const name = options.name.trim();
  if (!name || name.length > 64) throw invalid('name', '机构名称不能为空且不超过 64 个字符', 'name must be 1 to 64 characters');
  const unknown = options.levels.filter((level) => !isLevel(level));
  if (unknown.length > 0 || options.levels.length === 0) {
    throw invalid('levels', `级别须为 ${LEVELS.join(', ')} 中的一个或多个`, `levels must be one or more of ${LEVELS.join(', ')}`);
  }
  return issueUnderRoot({ ...options, name });
}

/**
 * Makes the service's own signing certificate (code {@link SERVICE_CODE}), signed by the root like an
 * authority's but allowing no title level, so nothing it signs can pass for an e-certificate. It signs the
 * heads of the verification log (crypto/logHead.ts).
 * @example const service = await createServiceCertificate({ root, validYears: 10 });
 */
export async function createServiceCertificate(options: Pick<CreateAuthorityOptions, 'root' | 'validYears' | 'notBefore'>): Promise<AuthorityCertificateAndKey> {
  return issueUnderRoot({ ...options, code: SERVICE_CODE, name: SERVICE_NAME, levels: [] });
}

async function issueUnderRoot(options: CreateAuthorityOptions): Promise<AuthorityCertificateAndKey> {
  const { name } = options;
  const rootCert = parseCertificate(options.root.certPem);
  if (!rootCert) throw invalid('root.certPem', '根证书无法解析', 'the root certificate cannot be parsed');
  const rootProblem = await checkRoot(rootCert, new Date());
  if (rootProblem) throw invalid('root.certPem', rootProblem.zh, rootProblem.en);
  const rootKey = await importPrivateKeyPem(options.root.keyPem).catch(() => undefined);
  if (!rootKey || !(await keyPairMatches(rootKey, await certificatePublicKey(rootCert)))) {
    throw invalid('root.keyPem', '根私钥与根证书不匹配', 'the root private key does not match the root certificate');
  }

  const keys = await generateP256KeyPair();
  const window = validityWindow(options.validYears, options.notBefore);
  // An authority cannot outlive the root that vouches for it.
  const notAfter = window.notAfter > rootCert.notAfter ? rootCert.notAfter : window.notAfter;
  const rootKeyId = rootCert.getExtension(SubjectKeyIdentifierExtension)?.keyId;
  const policies = LEVELS.filter((level) => options.levels.includes(level)).map((level) => LEVEL_POLICY_OIDS[level]);

  const cert = await X509CertificateGenerator.create({
    subject: [{ C: ['CN'] }, { [ORGANIZATION_IDENTIFIER_OID]: [options.code] }, { CN: [name] }],
    issuer: rootCert.subjectName,
    publicKey: keys.publicKey,
    signingKey: rootKey,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
    notBefore: window.notBefore,
    notAfter,
    extensions: [
      new BasicConstraintsExtension(false, undefined, true),
      new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
      await SubjectKeyIdentifierExtension.create(keys.publicKey),
      rootKeyId
        ? new AuthorityKeyIdentifierExtension(rootKeyId)
        : await AuthorityKeyIdentifierExtension.create(rootCert.publicKey),
      // No policies at all for the service key: an empty certificatePolicies extension is not valid DER.
      ...(policies.length > 0 ? [new CertificatePolicyExtension(policies, false)] : []),
    ],
  });
  return {
    certPem: cert.toString('pem'),
    keyPem: await exportPrivateKeyPem(keys.privateKey),
    kid: await kidOf(keys.publicKey),
  };
}
