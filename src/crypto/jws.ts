/**
 * @module crypto/jws
 * E-certificate tokens: ES256 compact JWS signed by an authority key, verified offline against the root.
 */

export { CERTIFICATE_TOKEN_TYPE, signCertificateToken, signerAllows } from './jws/sign.js';
export { IAT_FUTURE_SKEW_MS, MAX_TOKEN_LENGTH, verifyCertificateToken } from './jws/verify.js';
export type {
  PinnedRoot,
  TokenVerification,
  VerificationCheck,
  VerificationCheckName,
  VerifiedAuthority,
  VerifyCertificateTokenOptions,
} from './jws/verify.js';
