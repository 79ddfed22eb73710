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
import { CERTIFICATE_STATE_NAMES, CERTIFICATE_STATES, type CertificateState } from './certificateState.js';

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

/**
 * Issue 19 item 3: beside the revocation list, a `message` list (W3C Bitstring Status List v1.0 §2.1, statusPurpose
 * `message`) says which of the four 电子证照 states a certificate is in, two bits a place: 0x0 有效, 0x1 已变更
 * (superseded by a correction), 0x2 已撤销 (revoked, notice 四(一)), 0x3 已注销 (cancelled). A certificate's message
 * place is its revocation place (list, index): entry i is bits 2i and 2i+1, the high bit first — so the
 * random, never-adjacent rule of the revocation list holds for it too, and the list is 2 × size bits.
 */
export const MESSAGE_STATUS_SIZE = 2;

/** The 2-bit value of each state: the order of the spec's statusMessage array. */
export const STATE_STATUS_VALUES: Record<CertificateState, number> = { valid: 0, superseded: 1, revoked: 2, cancelled: 3 };

/** The state a 2-bit value stands for. @example stateOfStatusValue(2) // 'revoked' */
export function stateOfStatusValue(value: number): CertificateState | undefined {
  return CERTIFICATE_STATES.find((state) => STATE_STATUS_VALUES[state] === value);
}

/** One `statusMessage` element: the spec's `status` (hex, 0x-prefixed) and `message` (for developers: the state's code), and its words. */
export interface StatusMessage {
  status: string;
  message: CertificateState;
  label: { zh: string; en: string };
}

/**
 * The `statusMessage` array an entry of the message list carries (and `statusMessages` of the list itself):
 * as many elements as 2 bits have values (the spec's MUST), in value order.
 * @example statusMessages()[1] // { status: '0x1', message: 'superseded', label: { zh: '已变更', en: 'Superseded' } }
 */
export function statusMessages(): StatusMessage[] {
  return CERTIFICATE_STATES.map((state) => ({
    status: `0x${STATE_STATUS_VALUES[state].toString(16)}`,
    message: state,
    label: { ...CERTIFICATE_STATE_NAMES[state] },
  })).sort((a, b) => Number(a.status) - Number(b.status));
}

/**
 * A list of `size` entries of `statusSize` bits each, entry i holding `values` (index → value), its high bit first.
 * @example multiBitstring([[3, 2]], 16, 2) // entry 3 = 0b10: bit 6 set
 */
export function multiBitstring(values: Iterable<readonly [number, number]>, size = STATUS_LIST_SIZE, statusSize = MESSAGE_STATUS_SIZE): Uint8Array {
  const bits = new Uint8Array((size * statusSize) / 8);
  for (const [index, value] of values) {
    if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError(`status index out of range: ${index}`);
    if (!Number.isInteger(value) || value < 0 || value >= 2 ** statusSize) throw new RangeError(`status value out of range: ${value}`);
    for (let b = 0; b < statusSize; b++) {
      if ((value >> (statusSize - 1 - b)) & 1) {
        const bit = index * statusSize + b;
        bits[bit >> 3]! |= 0x80 >> (bit & 7);
      }
    }
  }
  return bits;
}

/**
 * Entry `index`'s value in a list of `statusSize`-bit entries; undefined when the list is too short for it.
 * @example readStatus(multiBitstring([[3, 2]], 16), 3) // 2
 */
export function readStatus(bits: Uint8Array, index: number, statusSize = MESSAGE_STATUS_SIZE): number | undefined {
  if (!Number.isInteger(index) || index < 0 || (index + 1) * statusSize > bits.length * 8) return undefined;
  let value = 0;
  for (let b = 0; b < statusSize; b++) value = (value << 1) | (isSet(bits, index * statusSize + b) ? 1 : 0);
  return value;
}
