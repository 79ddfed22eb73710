/**
 * @module render/deflate
 * The deflate every PDF we make uses for its font subsets and page contents (render/lib/pdfFrame.ts): fflate
 * (JavaScript, runs everywhere) unless the runtime offers a faster one — on Node, node:zlib's
 * (entry/nodeContext.ts useNodeDeflate), 35% faster on the certificate's 46 KB font subset at the same level
 * (0.93 vs 1.41 ms at level 3, measured under load). Output stays valid FlateDecode (zlib format, RFC 1950)
 * and, within one runtime, the same certificate still renders to the same bytes.
 */
import { zlibSync } from 'fflate';

/** Deflates `bytes` in the zlib format (RFC 1950) that FlateDecode reads, at `level` (0–9). */
export type Deflate = (bytes: Uint8Array, level: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9) => Uint8Array;

let current: Deflate = (bytes, level) => zlibSync(bytes, { level });

/** Deflates with the runtime's choice ({@link useDeflate}), fflate by default. */
export const deflate: Deflate = (bytes, level) => current(bytes, level);

/** @example useDeflate((bytes, level) => new Uint8Array(deflateSync(bytes, { level }))); */
export function useDeflate(fn: Deflate): void {
  current = fn;
}
