/**
 * Issue 19 item 3: the message list's 2-bit entries (W3C Bitstring Status List v1.0, statusSize 2) — entry i is bits
 * 2i and 2i+1, the high bit first; the four states have the values 0x0–0x3 in the spec's statusMessage order.
 */
import { describe, expect, it } from 'vitest';
import { CERTIFICATE_STATES } from '../../src/domain/certificateState.js';
import { bitstring, MESSAGE_STATUS_SIZE, multiBitstring, readStatus, STATE_STATUS_VALUES, stateOfStatusValue, STATUS_LIST_SIZE, statusMessages } from '../../src/domain/statusList.js';

const ones = (bits: Uint8Array) => [...bits].flatMap((byte, i) => [0, 1, 2, 3, 4, 5, 6, 7].filter((b) => byte & (0x80 >> b)).map((b) => i * 8 + b));

describe('2-bit message list', () => {
  it('places value v of entry i at bits 2i (high) and 2i+1 (low)', () => {
    const bits = multiBitstring([[0, 1], [3, 2], [5, 3], [7, 0]], 16);
    expect(bits.length).toBe(4); // 16 entries × 2 bits
    expect(ones(bits)).toEqual([1, 6, 10, 11]);
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((i) => readStatus(bits, i))).toEqual([1, 0, 0, 2, 0, 3, 0, 0]);
  });

  it('round-trips every value at every index of a small list, the first and the last entry included', () => {
    for (let i = 0; i < 16; i++) {
      for (let v = 0; v < 4; v++) {
        const bits = multiBitstring([[i, v]], 16);
        expect(readStatus(bits, i)).toBe(v);
        expect(ones(bits).length).toBe([0, 1, 1, 2][v]);
        for (let j = 0; j < 16; j++) if (j !== i) expect(readStatus(bits, j)).toBe(0);
      }
    }
  });

  it('is twice the production list in bits (the spec’s 131,072 entries of statusSize bits) and agrees with the 1-bit list where set', () => {
    const places = [[0, 2], [4242, 1], [STATUS_LIST_SIZE - 1, 3]] as const;
    const bits = multiBitstring(places);
    expect(bits.length * 8).toBe(STATUS_LIST_SIZE * MESSAGE_STATUS_SIZE);
    const revocation = bitstring(places.map(([i]) => i));
    for (const [i, v] of places) {
      expect(readStatus(bits, i)).toBe(v);
      expect(readStatus(revocation, i, 1)).toBe(1);
    }
  });

  it('refuses an index or a value out of range, and reads nothing beyond the list', () => {
    expect(() => multiBitstring([[16, 1]], 16)).toThrow(RangeError);
    expect(() => multiBitstring([[-1, 1]], 16)).toThrow(RangeError);
    expect(() => multiBitstring([[1.5, 1]], 16)).toThrow(RangeError);
    expect(() => multiBitstring([[0, 4]], 16)).toThrow(RangeError);
    expect(() => multiBitstring([[0, -1]], 16)).toThrow(RangeError);
    const bits = multiBitstring([], 16);
    expect(readStatus(bits, 16)).toBeUndefined();
    expect(readStatus(bits, -1)).toBeUndefined();
    expect(readStatus(bits, Number.NaN)).toBeUndefined();
    expect(readStatus(new Uint8Array(0), 0)).toBeUndefined();
  });

  it('gives each state its value and four statusMessage elements 0x0–0x3 with Chinese and English words', () => {
    expect(STATE_STATUS_VALUES).toEqual({ valid: 0, superseded: 1, revoked: 2, cancelled: 3 });
    for (const state of CERTIFICATE_STATES) expect(stateOfStatusValue(STATE_STATUS_VALUES[state])).toBe(state);
    expect(stateOfStatusValue(4)).toBeUndefined();
    expect(statusMessages()).toEqual([
      { status: '0x0', message: 'valid', label: { zh: '有效', en: 'Valid' } },
      { status: '0x1', message: 'superseded', label: { zh: '已变更', en: 'Superseded' } },
      { status: '0x2', message: 'revoked', label: { zh: '已撤销', en: 'Revoked' } },
      { status: '0x3', message: 'cancelled', label: { zh: '已注销', en: 'Cancelled' } },
    ]);
    expect(statusMessages()).toHaveLength(2 ** MESSAGE_STATUS_SIZE);
  });
});
