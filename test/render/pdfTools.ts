/**
 * @module test/render/pdfTools
 * Drives the Debian PDF tools the render tests check against (poppler's pdftotext, pdffonts, pdftoppm;
 * zbarimg) on real PDF bytes, and reads pdftoppm's greyscale output back as pixels.
 */

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A scratch directory for one test file's PDFs and rasters. */
export class Scratch {
  private rasters = 0;

  private constructor(readonly dir: string) {}

  static async create(): Promise<Scratch> {
    const scratch = new Scratch(await mkdtemp(join(tmpdir(), 'ecert-render-')));
    // No fonts at all for poppler: a glyph that shows in a raster came from the PDF itself.
    await writeFile(
      join(scratch.dir, 'fonts.conf'),
      '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig></fontconfig>\n',
    );
    return scratch;
  }

  async write(name: string, bytes: Uint8Array): Promise<string> {
    const path = join(this.dir, name);
    await writeFile(path, bytes);
    return path;
  }

  /** `-raw` keeps rotated text (a watermark) in one run instead of scattering its characters. */
  async pdftotext(pdf: string, ...options: string[]): Promise<string> {
    return (await run('pdftotext', ['-enc', 'UTF-8', ...options, pdf, '-'])).stdout;
  }

  async pdffonts(pdf: string): Promise<PdfFontRow[]> {
    const { stdout } = await run('pdffonts', [pdf]);
    // name type… encoding emb sub uni object ID — the name has no spaces, the last six columns are fixed.
    return stdout
      .split('\n')
      .slice(2)
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const cols = line.trim().split(/\s+/);
        return { name: cols[0] ?? '', emb: cols.at(-5) ?? '', sub: cols.at(-4) ?? '', uni: cols.at(-3) ?? '' };
      });
  }

  /** Rasterises page 1 in greyscale with an empty fontconfig, so poppler cannot substitute a font. */
  async rasterise(pdf: string, dpi: number): Promise<GreyImage> {
    const base = join(this.dir, `raster-${++this.rasters}`);
    await run('pdftoppm', ['-r', String(dpi), '-gray', '-f', '1', '-l', '1', '-singlefile', pdf, base], {
      env: { ...process.env, FONTCONFIG_FILE: join(this.dir, 'fonts.conf') },
    });
    return { ...parsePgm(await readFile(`${base}.pgm`)), path: `${base}.pgm`, dpi };
  }

  async zbarimg(image: string): Promise<string[]> {
    const { stdout } = await run('zbarimg', ['--raw', '-q', image]);
    return stdout.split('\n').filter((line) => line !== '');
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

export interface PdfFontRow {
  name: string;
  emb: string;
  sub: string;
  uni: string;
}

export interface GreyImage {
  width: number;
  height: number;
  pixels: Uint8Array;
  path: string;
  dpi: number;
}

/** A box in PDF points (origin bottom-left of a page `pageHeight` tall). */
export interface PointBox {
  left: number;
  right: number;
  bottom: number;
  top: number;
}

/** Pixels darker than mid-grey inside `box`. */
export function darkPixels(image: GreyImage, box: PointBox, pageHeight: number): number {
  const scale = image.dpi / 72;
  const x0 = Math.max(0, Math.floor(box.left * scale));
  const x1 = Math.min(image.width, Math.ceil(box.right * scale));
  const y0 = Math.max(0, Math.floor((pageHeight - box.top) * scale));
  const y1 = Math.min(image.height, Math.ceil((pageHeight - box.bottom) * scale));
  let dark = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) if ((image.pixels[y * image.width + x] ?? 255) < 128) dark++;
  }
  return dark;
}

function parsePgm(bytes: Uint8Array): { width: number; height: number; pixels: Uint8Array } {
  // P5 <width> <height> <maxval> then one byte per pixel; pdftoppm writes no comments.
  const header = new TextDecoder('latin1').decode(bytes.subarray(0, 64));
  const match = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(header);
  if (!match) throw new Error('not a binary PGM');
  const width = Number(match[1]);
  const height = Number(match[2]);
  return { width, height, pixels: bytes.subarray(match[0].length, match[0].length + width * height) };
}
