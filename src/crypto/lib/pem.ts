/**
 * @module crypto/lib/pem
 * PEM armour for DER bytes (RFC 7468), Web APIs only.
 */

import { base64ToBytes, bytesToBase64 } from '../../lib/base64.js';

/** @example derToPem(der, 'PRIVATE KEY') // '-----BEGIN PRIVATE KEY-----\n…' */
export function derToPem(der: Uint8Array, label: string): string {
  const lines = bytesToBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** The DER inside the first `label` block, or undefined when there is none or it is not base64. */
export function pemToDer(pem: string, label: string): Uint8Array<ArrayBuffer> | undefined {
  const match = new RegExp(`-----BEGIN ${label}-----([^-]*)-----END ${label}-----`).exec(pem);
  if (!match?.[1]) return undefined;
  return base64ToBytes(match[1].replace(/\s+/g, ''));
}
