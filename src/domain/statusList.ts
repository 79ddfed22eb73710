/**
 * @module domain/statusList
 * The W3C Bitstring Status List v1.0 of an authority's credentials: 131,072 bits (16 KiB, the spec's
 * minimum for herd privacy), bit i set when credential i is revoked, bit 0 the most significant bit of the
 * first byte. Each certificate gets a random index that is never next to another's (storage/certificates.ts
 * claimStatusIndex refuses a taken index and its neighbours in one statement): a list then says nothing
 * about issuing order or batches.
 */

export const STATUS_LIST_SIZE = 131_072;

/** The list's bits with `revoked` set. */
export function bitstring(revoked: Iterable<number>, size = STATUS_LIST_SIZE): Uint8Array {
  const bits = new Uint8Array(size / 8);
  for (const i of revoked) {
    if (!Number.isInteger(i) || i < 0 || i >= size) throw new RangeError(`status index out of range: ${i}`);
    bits[i >> 3]! |= 0x80 >> (i & 7);
  }
  return bits;
}

/** @example isSet(bitstring([5]), 5) // true */
export function isSet(bits: Uint8Array, index: number): boolean {
  return ((bits[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0;
}
