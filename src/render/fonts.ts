/**
 * @module render/fonts
 * The two typefaces every certificate is set in: Noto Serif SC (primary) and the Ext-B+ glyphs of Noto
 * Serif CJK SC (fallback, for rare name characters such as 𠮷). Fonts arrive as bytes from a loader the
 * entry provides (file system on Node, an asset binding on Workers); they are parsed once per `FontSet`
 * and the parsed faces are handed to pdf-lib for every document, because re-parsing a 15 MB font per
 * certificate would cost more than the whole render budget.
 */

import * as fontkit from 'fontkit';
import type { Font, Glyph, GlyphRun, Subset } from 'fontkit';

/** Raw font files, as the loader returns them. */
export type FontBytes = { primary: Uint8Array; fallback: Uint8Array };

/** Which of the two typefaces draws a run of text. */
export type FontKey = 'primary' | 'fallback';

/** A stretch of text drawn with one typeface. */
export interface FontRun {
  font: FontKey;
  text: string;
}

/** The `Fontkit` shape pdf-lib's `registerFontkit` accepts. */
export interface FontkitEngine {
  create(bytes: Uint8Array, postscriptName?: string): Font;
}

const WHITESPACE = /\s/u;
/** At most this many code points are remembered per face (a hostile text could name every one). */
const CODE_POINT_CACHE_LIMIT = 50_000;

/**
 * Parsed faces with synchronous queries. Obtained from {@link FontSet.load}; never parse fonts yourself.
 *
 * @example
 * const fonts = await fontSet.load();
 * fonts.runs('张𠮷') // [{ font: 'primary', text: '张' }, { font: 'fallback', text: '𠮷' }]
 */
export class LoadedFonts {
  readonly bytes: FontBytes;
  readonly #faces: Record<FontKey, Font>;
  /**
   * A fontkit stand-in for pdf-lib's `registerFontkit`: `create()` hands back the already-parsed face for
   * these exact bytes, so `embedFont(bytes, { subset: true })` costs a subset, not a 15 MB parse.
   * Its faces map each code point straight to its glyph through the cmap: Chinese and Latin need no
   * shaping, and skipping fontkit's OpenType layout engine saves ~3 ms of a ~20 ms render.
   *
   * @example
   * pdf.registerFontkit(fonts.engine);
   * const primary = await pdf.embedFont(fonts.bytes.primary, { subset: true });
   */
  readonly engine: FontkitEngine;
  // Advances by code point, in font units: wrapping measures thousands of characters per document.
  readonly #advances: Record<FontKey, Map<number, number>> = { primary: new Map(), fallback: new Map() };
  // Which face draws each code point: a cmap lookup in each face costs more than the rest of measuring a character.
  readonly #drawnBy = new Map<number, FontKey | null>();

  constructor(bytes: FontBytes, faces: Record<FontKey, Font>) {
    this.bytes = bytes;
    this.#faces = faces;
    const pdfLibFaces = { primary: oneGlyphPerCodePoint(faces.primary), fallback: oneGlyphPerCodePoint(faces.fallback) };
    this.engine = {
      create: (fontBytes: Uint8Array): Font => {
        if (fontBytes === bytes.primary) return pdfLibFaces.primary;
        if (fontBytes === bytes.fallback) return pdfLibFaces.fallback;
        // A silent re-parse here would hide a 15 MB-per-document regression; fail loudly instead.
        throw new Error('FontSet engine only embeds the FontSet’s own font bytes');
      },
    };
  }

  /** The typeface that draws `codePoint`: primary first, fallback for what primary lacks. */
  fontFor(codePoint: number): FontKey | undefined {
    let font = this.#drawnBy.get(codePoint);
    if (font === undefined) {
      font = this.#faces.primary.hasGlyphForCodePoint(codePoint) ? 'primary' : this.#faces.fallback.hasGlyphForCodePoint(codePoint) ? 'fallback' : null;
      if (this.#drawnBy.size < CODE_POINT_CACHE_LIMIT) this.#drawnBy.set(codePoint, font);
    }
    return font ?? undefined;
  }

  /**
   * The distinct characters neither typeface can draw, in order of first appearance; whitespace is
   * ignored (the renderer prints it as a plain space).
   *
   * @example
   * fonts.undrawable('张三\u{E000}') // ['\u{E000}']
   */
  undrawable(text: string): string[] {
    const missing = new Set<string>();
    for (const char of text) {
      if (WHITESPACE.test(char)) continue;
      if (this.fontFor(char.codePointAt(0)!) === undefined) missing.add(char);
    }
    return [...missing];
  }

  /**
   * Splits `text` into runs by typeface. Characters no face has go to the primary run (they would print
   * as .notdef, so callers refuse them first with {@link undrawable}).
   *
   * @example
   * fonts.runs('吉𠮷祥') // primary '吉', fallback '𠮷', primary '祥'
   */
  runs(text: string): FontRun[] {
    const runs: FontRun[] = [];
    let current: FontRun | undefined;
    for (const char of text) {
      const font = this.fontFor(char.codePointAt(0)!) ?? 'primary';
      if (current && current.font === font) {
        current.text += char;
      } else {
        current = { font, text: char };
        runs.push(current);
      }
    }
    return runs;
  }

  /**
   * Width of `text` at `size` points, summed from each character's advance in the face that draws it —
   * exactly what pdf-lib draws, since {@link engine} lays text out one glyph per code point.
   *
   * @example
   * fonts.widthOf('职称', 12) // 24
   */
  widthOf(text: string, size: number): number {
    let units = 0;
    for (const char of text) {
      const codePoint = char.codePointAt(0)!;
      units += this.#advance(this.fontFor(codePoint) ?? 'primary', codePoint);
    }
    return (units * size) / 1000;
  }

  /** Width of one run in its own face (used to place the next run). */
  runWidth(run: FontRun, size: number): number {
    let units = 0;
    for (const char of run.text) units += this.#advance(run.font, char.codePointAt(0)!);
    return (units * size) / 1000;
  }

  /** The face's PostScript name, e.g. `NotoSerifSC-Regular` (used to name the embedded subset). */
  postscriptName(font: FontKey): string {
    return this.#faces[font].postscriptName ?? `Noto-${font}`;
  }

  #advance(font: FontKey, codePoint: number): number {
    const cache = this.#advances[font];
    let advance = cache.get(codePoint);
    if (advance === undefined) {
      const face = this.#faces[font];
      advance = (face.glyphForCodePoint(codePoint).advanceWidth * 1000) / face.unitsPerEm;
      cache.set(codePoint, advance);
    }
    return advance;
  }
}

/**
 * The process-wide font handle: create one at start-up from a loader and share it. Nothing is read or
 * parsed until the first `load()` (Workers forbid I/O at module scope); later calls reuse the same parse.
 *
 * @example
 * const fontSet = new FontSet(async () => ({
 *   primary: new Uint8Array(await env.ASSETS.fetch(primaryUrl).then((r) => r.arrayBuffer())),
 *   fallback: new Uint8Array(await env.ASSETS.fetch(fallbackUrl).then((r) => r.arrayBuffer())),
 * }));
 * await fontSet.undrawable('王𠮷\u{E000}') // ['\u{E000}']
 */
export class FontSet {
  readonly #loader: () => Promise<FontBytes>;
  #loaded: Promise<LoadedFonts> | undefined;

  constructor(loader: () => Promise<FontBytes>) {
    this.#loader = loader;
  }

  /** Parses the fonts on first call; every later call returns the same parsed faces. */
  load(): Promise<LoadedFonts> {
    this.#loaded ??= this.#parse().catch((error: unknown) => {
      // A failed read (asset not deployed yet, transient fetch error) must not poison the process.
      this.#loaded = undefined;
      throw error;
    });
    return this.#loaded;
  }

  /** See {@link LoadedFonts.undrawable}. */
  async undrawable(text: string): Promise<string[]> {
    return (await this.load()).undrawable(text);
  }

  async #parse(): Promise<LoadedFonts> {
    const bytes = await this.#loader();
    return new LoadedFonts(bytes, { primary: parseFace(bytes.primary, 'primary'), fallback: parseFace(bytes.fallback, 'fallback') });
  }
}

/**
 * `face` with a cmap-only `layout`, the one pdf-lib calls to encode and measure text, and a `createSubset`
 * whose glyphs are read from the font once per process (see {@link glyphCachingSubsets}).
 */
function oneGlyphPerCodePoint(face: Font): Font {
  // Each code point's glyph, looked up in the cmap once per process rather than once per character drawn.
  const glyphs = new Map<number, Glyph>();
  const glyphFor = (codePoint: number): Glyph => {
    let glyph = glyphs.get(codePoint);
    if (!glyph) {
      glyph = face.glyphForCodePoint(codePoint);
      if (glyphs.size < CODE_POINT_CACHE_LIMIT) glyphs.set(codePoint, glyph);
    }
    return glyph;
  };
  const layout = (text: string): GlyphRun => ({ glyphs: Array.from(text, (char) => glyphFor(char.codePointAt(0)!)) });
  const createSubset = glyphCachingSubsets(face);
  // Everything else (metrics, tables) reads straight from the shared parsed face.
  return new Proxy(face, {
    get: (target, property) => (property === 'layout' ? layout : property === 'createSubset' ? createSubset : Reflect.get(target, property, target)),
  });
}

/** What fontkit's TrueType subset keeps while it encodes (fontkit 2, `TTFSubset`): the fields `_addGlyph` fills. */
interface TrueTypeSubset extends Subset {
  font: Font;
  glyf: Uint8Array[];
  loca: { offsets: number[] };
  hmtx: { metrics: { advance: number; bearing: number }[] };
  offset: number;
  _addGlyph(gid: number): number;
}

/** One glyph as a subset copies it: its `glyf` bytes, where its components' glyph ids sit, its metrics. */
interface SubsetGlyph {
  bytes: Uint8Array;
  components: { glyphID: number; pos: number }[];
  advance: number;
  bearing: number;
}

/**
 * fontkit's TrueType subset with each glyph read once per process: fontkit decodes a glyph's whole outline
 * (every point) just to learn whether it is composite, for every glyph of every document — 45% of a
 * certificate's render in a CPU profile (`_addGlyph` → `_decode` → `_decodeSimple`). The bytes a subset
 * writes for a glyph are its `glyf` record as it is, with composite components renumbered into the subset,
 * so the cache keeps those bytes and the components' offsets, and renumbers per subset exactly as fontkit
 * does: the encoded subset is byte for byte fontkit's own. The cache grows to at most the glyphs used, each
 * its `glyf` record (a few hundred bytes). Falls back to fontkit's subset for any other font flavour (CFF,
 * variable fonts).
 */
function glyphCachingSubsets(face: Font): () => Subset {
  const probe = face.createSubset() as TrueTypeSubset;
  const internals = face as unknown as { _variationProcessor?: unknown; loca?: { offsets: number[] }; _getTableStream(tag: string): { pos: number; readBuffer(n: number): Uint8Array } };
  if (typeof probe._addGlyph !== 'function' || !Array.isArray(internals.loca?.offsets) || internals._variationProcessor) return () => face.createSubset();
  const cache = new Map<number, SubsetGlyph>();
  const read = (gid: number): SubsetGlyph => {
    let entry = cache.get(gid);
    if (!entry) {
      const glyph = face.getGlyph(gid) as Glyph & { _decode(): { numberOfContours: number; components?: { glyphID: number; pos: number }[] } | null; _getMetrics(): { leftBearing: number } };
      const decoded = glyph._decode();
      const offsets = internals.loca!.offsets;
      const stream = internals._getTableStream('glyf');
      stream.pos += offsets[gid]!;
      // Copied: the stream's buffer is the whole font, and a subset must not alias it.
      const bytes = new Uint8Array(stream.readBuffer(offsets[gid + 1]! - offsets[gid]!));
      const components = decoded && decoded.numberOfContours < 0 ? (decoded.components ?? []).map((c) => ({ glyphID: c.glyphID, pos: c.pos })) : [];
      entry = { bytes, components, advance: glyph.advanceWidth, bearing: glyph._getMetrics().leftBearing };
      cache.set(gid, entry);
    }
    return entry;
  };
  const Base = probe.constructor as new (font: Font) => TrueTypeSubset;
  class GlyphCachingSubset extends Base {
    override _addGlyph(gid: number): number {
      const glyph = read(gid);
      let bytes = glyph.bytes;
      if (glyph.components.length > 0) {
        bytes = bytes.slice();
        const view = new DataView(bytes.buffer);
        for (const component of glyph.components) view.setUint16(component.pos, this.includeGlyph(component.glyphID));
      }
      this.glyf.push(bytes);
      this.loca.offsets.push(this.offset);
      this.hmtx.metrics.push({ advance: glyph.advance, bearing: glyph.bearing });
      this.offset += bytes.length;
      return this.glyf.length - 1;
    }
  }
  return () => new GlyphCachingSubset(face);
}

function parseFace(bytes: Uint8Array, which: FontKey): Font {
  const parsed = fontkit.create(bytes);
  if ('fonts' in parsed) throw new Error(`the ${which} font is a collection; provide a single-face TrueType file`);
  return parsed;
}
