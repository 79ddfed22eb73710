/**
 * @module crypto/lib/certificate
 * Reading what our X.509 certificates say: parse without throwing, the P-256 public key, the authority's
 * code and name, the title levels and demo marker in certificatePolicies.
 */

import 'reflect-metadata';
import { CertificatePolicyExtension, X509Certificate } from '@peculiar/x509';
import { LEVELS, type Level } from '../../domain/levels.js';
import { DEMO_POLICY_OID, LEVEL_POLICY_OIDS, ORGANIZATION_IDENTIFIER_OID, SEAL_POLICY_OID } from '../oids.js';
import { EC_P256 } from './keys.js';

/** PEM, or DER bytes; undefined for anything that is not one certificate. */
export function parseCertificate(input: string | Uint8Array<ArrayBuffer>): X509Certificate | undefined {
  try {
    return new X509Certificate(input);
  } catch {
    return undefined;
  }
}

export function certificateDer(cert: X509Certificate): Uint8Array {
  return new Uint8Array(cert.rawData);
}

/** The certified key as a verify-only WebCrypto key; throws unless it is EC P-256. */
export async function certificatePublicKey(cert: X509Certificate): Promise<CryptoKey> {
  const algorithm = cert.publicKey.algorithm as EcKeyAlgorithm;
  if (algorithm.name !== 'ECDSA' || algorithm.namedCurve !== 'P-256') throw new Error('not a P-256 key');
  return cert.publicKey.export(EC_P256, ['verify']);
}

/** Subject: CN = the authority's name, organizationIdentifier (2.5.4.97) = its organisation code. */
export function authorityIdentity(cert: X509Certificate): { code: string; name: string } | undefined {
  const code = cert.subjectName.getField(ORGANIZATION_IDENTIFIER_OID)[0];
  const name = cert.subjectName.getField('CN')[0];
  return code && name ? { code, name } : undefined;
}

// asn1js spells sub-identifiers beyond 2^53 (our UUID arc) in its own way when decoding, so we compare
// against our OIDs as the same library decodes them, found by one encode/decode round trip each.
let decodedSpellings: Map<string, string> | undefined;
function canonicalPolicy(decoded: string): string {
  if (!decodedSpellings) {
    decodedSpellings = new Map();
    for (const oid of [...Object.values(LEVEL_POLICY_OIDS), DEMO_POLICY_OID, SEAL_POLICY_OID]) {
      const [spelling] = new CertificatePolicyExtension(new CertificatePolicyExtension([oid]).rawData).policies;
      if (spelling) decodedSpellings.set(spelling, oid);
    }
  }
  return decodedSpellings.get(decoded) ?? decoded;
}

/** The certificatePolicies OIDs, with ours in their dotted-decimal form. */
export function policiesOf(cert: X509Certificate): string[] {
  const extension = cert.getExtension(CertificatePolicyExtension);
  return extension ? extension.policies.map(canonicalPolicy) : [];
}

/** The title levels a certificate allows, in LEVELS order. */
export function levelsOf(cert: X509Certificate): Level[] {
  const policies = new Set(policiesOf(cert));
  return LEVELS.filter((level) => policies.has(LEVEL_POLICY_OIDS[level]));
}

/** An organisation's electronic seal (issue 16): it signs opinions, never a title certificate. */
export function isSealCertificate(cert: X509Certificate): boolean {
  return policiesOf(cert).includes(SEAL_POLICY_OID);
}

export function hasDemoMarker(cert: X509Certificate): boolean {
  return policiesOf(cert).includes(DEMO_POLICY_OID);
}
