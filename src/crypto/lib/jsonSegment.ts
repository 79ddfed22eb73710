/**
 * @module crypto/lib/jsonSegment
 * Reads one base64url segment of a compact JWS as a JSON object — strictly (canonical base64url, valid
 * UTF-8, an object), and never throwing on garbage: undefined instead.
 */
import { base64UrlToBytes } from '../../lib/base64.js';

/** @example decodeJsonSegment('eyJhbGciOiJFUzI1NiJ9') // { alg: 'ES256' } */
export function decodeJsonSegment(segment: string | undefined): Record<string, unknown> | undefined {
  const bytes = segment === undefined ? undefined : base64UrlToBytes(segment);
  if (!bytes) return undefined;
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
