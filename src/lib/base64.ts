/**
 * @module lib/base64
 * Strict base64 and base64url on Uint8Array with Web APIs only (btoa/atob; no Buffer, so it runs on
 * Workers). Decoders return undefined rather than throw, and accept only the canonical encoding, so a
 * token cannot be altered by re-spelling it. Shared by crypto (certificates, tokens) and the services.
 */

/** @example bytesToBase64(new Uint8Array([1, 2])) // 'AQI=' */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** @example bytesToBase64Url(new Uint8Array([251, 255])) // '-_8' */
export function bytesToBase64Url(bytes: Uint8Array): string {
  return bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** @example base64ToBytes('AQI=') // Uint8Array [1, 2]; base64ToBytes('A') // undefined */
export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!BASE64.test(text)) return undefined;
  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  // Non-zero trailing bits would give a second spelling of the same bytes.
  return bytesToBase64(bytes) === text ? bytes : undefined;
}

/** @example base64UrlToBytes('-_8') // Uint8Array [251, 255]; base64UrlToBytes('-_8=') // undefined */
export function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return undefined;
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const bytes = base64ToBytes(padded);
  return bytes && bytesToBase64Url(bytes) === text ? bytes : undefined;
}
