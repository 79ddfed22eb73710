/**
 * @module crypto/isDemoRoot
 * Tells a verifier whether the root it pins is a demo root, whose private keys are published: anyone can
 * sign with them, so a token that verifies against it proves nothing.
 */

import { hasDemoMarker, parseCertificate } from './lib/certificate.js';
import { DEMO_SUBJECT_MARKER } from './oids.js';

/**
 * Either marker counts — the policy OID the service reads, or the subject people read — since the answer
 * only decides whether to warn.
 * @example isDemoRoot(readFileSync('keys.example/root.pem', 'utf8')) // true
 */
export function isDemoRoot(rootPem: string): boolean {
  const root = parseCertificate(rootPem);
  return root !== undefined && (hasDemoMarker(root) || root.subjectName.getField('O').includes(DEMO_SUBJECT_MARKER));
}
