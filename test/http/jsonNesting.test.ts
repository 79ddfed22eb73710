/** The JSON nesting scanner (issue 12 B9): depth counted piece by piece as a body arrives, strings skipped. */
import { describe, expect, it } from 'vitest';
import { nestingScanner } from '../../src/http/middleware/jsonNesting.js';

const bytes = (text: string) => new TextEncoder().encode(text);
/** The true nesting depth, by parsing (the reference the scanner must agree with). */
function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (value && typeof value === 'object') return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}
/** Whether the scanner accepts `text` at `max` when its UTF-8 bytes arrive cut at the given offsets (decoded as the middleware does). */
function accepts(text: string, max: number, cuts: number[] = []): boolean {
  const all = bytes(text);
  const scan = nestingScanner(max);
  const decoder = new TextDecoder();
  let from = 0;
  for (const at of [...cuts, all.length]) {
    if (!scan(decoder.decode(all.subarray(from, at), { stream: true }))) return false;
    from = at;
  }
  return true;
}

const SAMPLES = [
  '[]',
  '{"a":[1,{"b":[[]]}]}',
  '"[[[[[[[["',
  '{"s":"\\"[[[[","t":[["\\\\"]]}',
  '{"名字":"张三[{","x":[{"y":"}]}]"}]}',
  JSON.stringify({ path: 'C:\\[dir]\\"q"', list: [[['\\', '"', '[', ']']]] }),
  JSON.stringify([[[[[[[[['deep']]]]]]]]]),
];

describe('nestingScanner', () => {
  it('agrees with the parsed depth on every sample, at the limit and one below it', () => {
    for (const text of SAMPLES) {
      const depth = depthOf(JSON.parse(text));
      expect(accepts(text, depth), text).toBe(true);
      if (depth > 0) expect(accepts(text, depth - 1), text).toBe(false);
    }
  });

  it('agrees however the body is cut into chunks (every single cut, and byte by byte)', () => {
    for (const text of SAMPLES) {
      const depth = depthOf(JSON.parse(text));
      const length = bytes(text).length;
      for (let at = 0; at <= length; at++) {
        expect(accepts(text, depth, [at]), `${text} cut at ${at}`).toBe(true);
        if (depth > 0) expect(accepts(text, depth - 1, [at]), `${text} cut at ${at}`).toBe(false);
      }
      const everyByte = Array.from({ length }, (_, i) => i);
      expect(accepts(text, depth, everyByte)).toBe(true);
      if (depth > 0) expect(accepts(text, depth - 1, everyByte)).toBe(false);
    }
  });

  it('stops at the first byte past the limit of 2 MB of [[[…]]]', () => {
    const body = '['.repeat(1024 * 1024) + ']'.repeat(1024 * 1024);
    const scan = nestingScanner(32);
    expect(scan(body.slice(0, 32))).toBe(true);
    expect(scan(body.slice(32, 33))).toBe(false);
  });

  it('skips a 5 MiB string in one pass', () => {
    const text = JSON.stringify({ content: `data:application/pdf;base64,${'QUJD'.repeat(5 * 256 * 1024)}`, deep: [[[1]]] });
    expect(accepts(text, 4, [1000, 3_000_000])).toBe(true);
    expect(accepts(text, 3, [1000, 3_000_000])).toBe(false);
  });
});
