/** The shared byte helpers: one character per byte (offsets match), the PNG signature, prefixes at an offset. */
import { describe, expect, it } from 'vitest';
import { latin1, PNG_SIGNATURE, startsWith } from '../../src/domain/fileBytes.js';

describe('domain/bytes', () => {
  it('latin1: every byte one character, ASCII unchanged, long input in one piece', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = latin1(all);
    expect(text.length).toBe(256);
    for (let i = 0; i < 128; i++) expect(text.charCodeAt(i)).toBe(i);
    const big = new Uint8Array(100_000).fill(0x41);
    expect(latin1(big)).toBe('A'.repeat(100_000));
  });

  it('PNG_SIGNATURE and startsWith', () => {
    const png = Uint8Array.from([...PNG_SIGNATURE, 0, 0, 0, 13]);
    expect(startsWith(png, PNG_SIGNATURE)).toBe(true);
    expect(startsWith(png, [0, 0, 0, 13], 8)).toBe(true);
    expect(startsWith(png, [0, 0, 0, 13, 0], 8)).toBe(false);
    expect(startsWith(png.subarray(1), PNG_SIGNATURE)).toBe(false);
  });
});
