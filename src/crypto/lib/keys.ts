/**
 * @module crypto/lib/keys
 * P-256 key handling on WebCrypto: generate, PKCS#8 PEM in and out, public JWK and its RFC 7638 thumbprint
 * (our `kid`).
 */

import { calculateJwkThumbprint } from 'jose';
import { derToPem, pemToDer } from './pem.js';

/** ES256 = ECDSA on P-256 with SHA-256 (RFC 7518 §3.4); the only algorithm we sign or accept. */
export const EC_P256: EcKeyImportParams = { name: 'ECDSA', namedCurve: 'P-256' };
export const ES256_SIGN: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };

export interface PublicEcJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

/** Extractable, because the caller writes the private key to a file once. */
export async function generateP256KeyPair(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(EC_P256, true, ['sign', 'verify'])) as CryptoKeyPair;
}

export async function exportPrivateKeyPem(privateKey: CryptoKey): Promise<string> {
  return derToPem(new Uint8Array(await crypto.subtle.exportKey('pkcs8', privateKey)), 'PRIVATE KEY');
}

/** Non-extractable: once loaded, the service can sign with the key but never hand it out. */
export async function importPrivateKeyPem(pem: string): Promise<CryptoKey> {
  const der = pemToDer(pem, 'PRIVATE KEY');
  if (!der) throw new Error('not a PKCS#8 PEM private key');
  return crypto.subtle.importKey('pkcs8', der, EC_P256, false, ['sign']);
}

export async function publicJwkOf(publicKey: CryptoKey): Promise<PublicEcJwk> {
  const jwk = await crypto.subtle.exportKey('jwk', publicKey);
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x || !jwk.y) throw new Error('not a P-256 public key');
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
}

/** RFC 7638 SHA-256 thumbprint: derived from the key alone, so anyone can recompute it from x5c[0]. */
export async function kidOf(publicKey: CryptoKey): Promise<string> {
  return calculateJwkThumbprint(await publicJwkOf(publicKey));
}

/** A private key and a certificate belong together only if what one signs the other verifies. */
export async function keyPairMatches(privateKey: CryptoKey, publicKey: CryptoKey): Promise<boolean> {
  const probe = new TextEncoder().encode('ecert key-pair probe');
  const signature = await crypto.subtle.sign(ES256_SIGN, privateKey, probe);
  return crypto.subtle.verify(ES256_SIGN, publicKey, signature, probe);
}
