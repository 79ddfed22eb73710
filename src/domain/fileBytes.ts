/**
 * @module domain/fileBytes
 * The byte helpers the file checks share (evidence, photo, PDF active content, the PDF signature check):
 * one latin1 reading and one PNG signature, so the copies cannot drift apart.
 */

/** The 8 bytes every PNG starts with (PNG spec §5.2). */
export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/** Whether `bytes` holds `prefix` at `at`. */
export function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  return bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);
}

/** The native decoder where there is one: the WHATWG "latin1" is windows-1252, still one character per byte. */
const SINGLE_BYTE = (() => {
  try {
    return new TextDecoder('latin1');
  } catch {
    return undefined;
  }
})();

/**
 * The bytes as one character each, so offsets match and regular expressions apply (only ASCII matters:
 * windows-1252 maps a few bytes 0x80–0x9F to other characters, never to ASCII).
 * @example latin1(new Uint8Array([0x25, 0x50, 0x44, 0x46])) // '%PDF'
 */
export function latin1(bytes: Uint8Array): string {
  if (SINGLE_BYTE) return SINGLE_BYTE.decode(bytes);
  const parts: string[] = [];
  for (let at = 0; at < bytes.length; at += 8192) parts.push(String.fromCharCode(...bytes.subarray(at, at + 8192)));
  return parts.join('');
}
