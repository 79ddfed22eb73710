/**
 * @module render/lib/subsetTag
 * The six-letter tag PDF gives an embedded font subset (ISO 32000-1 §9.6.4, `ABCDEF+Name`). Readers and
 * `pdffonts` recognise a subset by it; deriving it from the characters keeps output deterministic while
 * two different subsets of one face still get different names.
 */

/**
 * @example
 * subsetTag('NotoSerifSC-Regular', new Set([...'职称电子证书'])) // e.g. 'QXKMBD'
 */
export function subsetTag(fontName: string, characters: Iterable<string>): string {
  const codePoints = [...characters].map((c) => c.codePointAt(0)!).sort((a, b) => a - b);
  // FNV-1a, 32-bit: not security, only a stable spread of subsets over 26^6 names.
  let hash = 0x811c9dc5;
  for (const unit of `${fontName}\u0000${String.fromCodePoint(...codePoints)}`) {
    hash ^= unit.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  let tag = '';
  for (let i = 0; i < 6; i++) {
    tag += String.fromCharCode(65 + (hash % 26));
    hash = Math.floor(hash / 26);
  }
  return tag;
}
