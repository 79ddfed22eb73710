/**
 * @module domain/statusList
 * The W3C Bitstring Status List v1.0 of an authority's credentials — how anyone holding a credential learns
 * that its confirmation was revoked (notice 四(一): false materials, confirmation revoked): 131,072 bits (16 KiB, the spec's
 * minimum for herd privacy), bit i set when credential i is revoked, bit 0 the most significant bit of the
 * first byte. Each certificate gets a random index that is never next to another's (storage/certificates.ts
 * claimStatusIndex refuses a taken index and its neighbours in one statement): a list then says nothing
 * about issuing order or batches.
 *
 * An authority has as many lists as it needs (issue 15): list 1, then list 2 when list 1 is full, and so on,
 * each of the same size and under the same rule. A certificate's place is (list, index).
 */

export const STATUS_LIST_SIZE = 131_072;

/**
 * How many places a list of `size` entries gives out before it counts as full: a quarter (32,768 of
 * 131,072). Why a quarter: each claimed place blocks itself and its two neighbours, so with k places taken
 * at least size − 3k indexes are still free. Below size/4 that is more than a quarter of the list, so every
 * random draw finds a free place with probability above 1/4 whatever the arrangement — 64 draws all miss
 * with probability below (3/4)^64 ≈ 1e-8 — and no arrangement can be jammed (that needs size/3 places).
 * Random filling under the never-adjacent rule jams on its own near 43% (Flory's 1 − e⁻², halved); long
 * before that, draws would miss most of the time (at 40% fill only ~4% of draws land).
 */
export function statusListCapacity(size = STATUS_LIST_SIZE): number {
  return Math.floor(size / 4);
}

/**
 * Which list a new place goes into: the authority's newest list while it holds fewer than `capacity`
 * places, else the next one. `newest` is undefined before any place is drawn.
 * @example listForNewPlace({ list: 1, used: 32_768 }, 32_768) // 2
 */
export function listForNewPlace(newest: { list: number; used: number } | undefined, capacity: number): number {
  if (!newest) return 1;
  return newest.used >= capacity ? newest.list + 1 : newest.list;
}

/**
 * A status-list size the service accepts: a power of two from 16 to 2^24 (a random 24-bit value modulo it
 * stays uniform, and the bitstring is whole bytes). Production uses STATUS_LIST_SIZE; tests inject a small one.
 */
export function isStatusListSize(size: number): boolean {
  return Number.isInteger(size) && size >= 16 && size <= 2 ** 24 && (size & (size - 1)) === 0;
}

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
