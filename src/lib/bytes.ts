/**
 * @module lib/bytes
 * Byte helpers on Web APIs only (no Buffer), shared by services and HTTP: base64url, hex, SHA-256,
 * canonical JSON for hashing, and a constant-time comparison.
 */

const encoder = new TextEncoder();

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** @example base64url(new Uint8Array([255, 254])) // '__4' — the strict encoder of lib/base64, under its old name. */
export { bytesToBase64Url as base64url } from './base64.js';

export function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

export async function sha256(data: Uint8Array | string): Promise<Uint8Array> {
  const bytes = typeof data === 'string' ? utf8(data) : data;
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  return hex(await sha256(data));
}

/** One canonical JSON for hashing everywhere; it lives in the domain, which may import nothing else. */
export { canonicalJson } from '../domain/recordChain.js';

/** Compares two strings in time independent of where they differ. */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** `n` random bytes from the platform's CSPRNG. */
export function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}
