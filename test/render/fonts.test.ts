/**
 * @module test/render/fonts
 * FontSet: undrawable characters, runs by face, one parse per process.
 */

import { readFile } from 'node:fs/promises';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { FontSet } from '../../src/render/fonts.js';
import { FALLBACK_FONT, nodeFontSet, PRIMARY_FONT } from './sampleCertificate.js';

const fontSet = nodeFontSet();

describe('FontSet', () => {
  it('names the private-use character no font can draw', async () => {
    expect(await fontSet.undrawable('张三\u{E000}')).toEqual(['\u{E000}']);
  });

  it('ignores whitespace and reports each missing character once', async () => {
    expect(await fontSet.undrawable('王 五\t\u{E000}\u3000\u{E000}\n\u{F8FF}')).toEqual(['\u{E000}', '\u{F8FF}']);
  });

  it('draws the rare-name characters, 𠮷 from the fallback face', async () => {
    const fonts = await fontSet.load();
    expect(fonts.undrawable('䶮堃喆玥赟彧珺燊𠮷')).toEqual([]);
    expect(fonts.runs('吉𠮷祥')).toEqual([
      { font: 'primary', text: '吉' },
      { font: 'fallback', text: '𠮷' },
      { font: 'primary', text: '祥' },
    ]);
  });

  it('measures ideographs at one em', async () => {
    const fonts = await fontSet.load();
    expect(fonts.widthOf('职称', 12)).toBeCloseTo(24, 5);
    expect(fonts.widthOf('𠮷', 10)).toBeCloseTo(10, 5);
  });

  it('reads and parses the fonts once, however many callers ask at once', async () => {
    let reads = 0;
    const once = new FontSet(async () => {
      reads++;
      return { primary: new Uint8Array(await readFile(PRIMARY_FONT)), fallback: new Uint8Array(await readFile(FALLBACK_FONT)) };
    });
    const [a, b] = await Promise.all([once.load(), once.load(), once.undrawable('张')]);
    expect(a).toBe(b);
    expect(await once.load()).toBe(a);
    expect(reads).toBe(1);
  });

  it('tries the loader again after a failed read', async () => {
    let calls = 0;
    const flaky = new FontSet(async () => {
      calls++;
      if (calls === 1) throw new Error('asset not ready');
      return { primary: new Uint8Array(await readFile(PRIMARY_FONT)), fallback: new Uint8Array(await readFile(FALLBACK_FONT)) };
    });
    await expect(flaky.load()).rejects.toThrow('asset not ready');
    await expect(flaky.undrawable('\u{E000}')).resolves.toEqual(['\u{E000}']);
  });

  it('gives pdf-lib the parsed faces for its own bytes and refuses any other font', async () => {
    const fonts = await fontSet.load();
    expect(fonts.engine.create(fonts.bytes.primary).postscriptName).toBe('NotoSerifSC-Regular');
    expect(fonts.engine.create(fonts.bytes.primary)).toBe(fonts.engine.create(fonts.bytes.primary));
    expect(() => fonts.engine.create(new Uint8Array(fonts.bytes.fallback))).toThrow(/own font bytes/);
  });

  it('subsets byte for byte as fontkit does, composite glyphs renumbered, reading each glyph from the font once', async () => {
    const fonts = await fontSet.load();
    for (const key of ['primary', 'fallback'] as const) {
      const ours = fonts.engine.create(fonts.bytes[key]);
      const reference = fontkit.create(fonts.bytes[key]) as fontkit.Font;
      // Every 97th glyph of the face, then a second subset of the same glyphs in another order.
      const gids = Array.from({ length: Math.floor(reference.numGlyphs / 97) }, (_, i) => 1 + i * 97);
      for (const order of [gids, [...gids].reverse()]) {
        const [a, b] = [ours.createSubset(), reference.createSubset()];
        for (const gid of order) (a.includeGlyph(gid), b.includeGlyph(gid));
        const decodes = countDecodes(ours);
        const encoded = a.encode();
        // The first subset may read glyphs; the second copies them from the cache.
        if (order !== gids) expect(decodes()).toBe(0);
        else decodes();
        expect(Buffer.from(encoded).equals(Buffer.from(b.encode()))).toBe(true);
      }
    }
  });
});

/** Counts the glyph outline decodes of `face` from now on (fontkit's `TTFGlyph._decode`). */
function countDecodes(face: fontkit.Font): () => number {
  const proto = Object.getPrototypeOf(face.getGlyph(1)) as { _decode(this: unknown): unknown };
  const original = proto._decode;
  let count = 0;
  proto._decode = function (this: unknown) {
    count++;
    return original.call(this);
  };
  return () => {
    proto._decode = original;
    return count;
  };
}
