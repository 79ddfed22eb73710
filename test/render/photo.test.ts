/**
 * @module test/render/photo
 * The holder's photo in the PDF: a PNG's compressed rows go in untouched (so a render costs what the
 * file's bytes cost, never what its pixels do), and poppler reads back exactly the pixels that went in.
 */

import { PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream } from '@cantoo/pdf-lib';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCertificatePdf } from '../../src/render/certificate/pdf.js';
import type { CertificateTemplate } from '../../src/render/certificate/template.js';
import { Scratch } from './pdfTools.js';
import { loadTemplate, nodeFontSet, sampleCertificate } from './sampleCertificate.js';

const run = promisify(execFile);
const fontSet = nodeFontSet();
let template: CertificateTemplate;
let scratch: Scratch;

beforeAll(async () => {
  template = await loadTemplate();
  scratch = await Scratch.create();
});

afterAll(async () => {
  await scratch?.remove();
});

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 6: 4 };

interface TestPng {
  bytes: Uint8Array;
  /** The zlib stream of the IDAT chunks, joined. */
  imageData: Uint8Array;
  /** What a reader should see, as RGB. */
  expectedRgb: Uint8Array;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const frame = Buffer.alloc(8);
  frame.writeUInt32BE(data.length, 0);
  frame.writeUInt32BE(crc32(typeAndData), 4);
  return Buffer.concat([frame.subarray(0, 4), typeAndData, frame.subarray(4)]);
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** PNG filtering (ISO/IEC 15948, 9.2), row y with filter type y mod 5, so every predictor is read back. */
function filterRows(raw: Uint8Array, rowBytes: number, bpp: number): Uint8Array {
  const height = raw.length / rowBytes;
  const out = new Uint8Array(height * (rowBytes + 1));
  for (let y = 0; y < height; y++) {
    const filter = y % 5;
    out[y * (rowBytes + 1)] = filter;
    for (let i = 0; i < rowBytes; i++) {
      const x = raw[y * rowBytes + i]!;
      const a = i >= bpp ? raw[y * rowBytes + i - bpp]! : 0;
      const b = y > 0 ? raw[(y - 1) * rowBytes + i]! : 0;
      const c = i >= bpp && y > 0 ? raw[(y - 1) * rowBytes + i - bpp]! : 0;
      const predicted = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter]!;
      out[y * (rowBytes + 1) + 1 + i] = (x - predicted) & 0xff;
    }
  }
  return out;
}

/** An 8-bit PNG of colour type 0, 2, 3 or 6 with busy, position-dependent content, in several IDAT chunks. */
function testPng(width: number, height: number, colourType: number): TestPng {
  const channels = CHANNELS[colourType]!;
  const raw = new Uint8Array(width * height * channels);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 7 + Math.floor(i / (width * channels)) * 13 + ((i * i) >> 5)) & 0xff;
  const palette = Uint8Array.from({ length: 768 }, (_, i) => [i / 3, 255 - i / 3, (i / 3) * 7][i % 3]! & 0xff);
  const expectedRgb =
    colourType === 3 ? Uint8Array.from({ length: raw.length * 3 }, (_, i) => palette[raw[Math.floor(i / 3)]! * 3 + (i % 3)]!) : colourType === 0 ? toRgb(raw) : raw;
  const imageData = deflateSync(filterRows(raw, width * channels, channels));
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, colourType, 0, 0, 0], 8);
  const split = Math.ceil(imageData.length / 3);
  const bytes = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...(colourType === 3 ? [chunk('PLTE', palette)] : []),
    ...[0, 1, 2].map((k) => chunk('IDAT', imageData.subarray(k * split, (k + 1) * split))),
    chunk('IEND', new Uint8Array(0)),
  ]);
  return { bytes: new Uint8Array(bytes), imageData: new Uint8Array(imageData), expectedRgb };
}

function imageStreams(pdf: PDFDocument): PDFRawStream[] {
  return pdf.context
    .enumerateIndirectObjects()
    .map(([, object]) => object)
    .filter((o): o is PDFRawStream => o instanceof PDFRawStream && o.dict.get(PDFName.of('Subtype')) === PDFName.of('Image'));
}

/** The pixels of the binary PGM or PPM pdfimages writes (no comments in its headers), as RGB. */
function rgbSamples(file: Uint8Array): Uint8Array {
  const header = /^P([56])\s+\d+\s+\d+\s+\d+\s/.exec(new TextDecoder('latin1').decode(file.subarray(0, 64)));
  if (!header) throw new Error('not a binary PGM or PPM');
  const samples = file.subarray(header[0].length);
  return header[1] === '6' ? samples : toRgb(samples);
}

function toRgb(grey: Uint8Array): Uint8Array {
  return Uint8Array.from({ length: grey.length * 3 }, (_, i) => grey[Math.floor(i / 3)]!);
}

describe('the holder photo in the PDF', () => {
  const kinds = [
    { colourType: 0, name: 'greyscale', listed: 'gray' },
    { colourType: 2, name: 'RGB', listed: 'rgb' },
    { colourType: 3, name: 'palette', listed: 'index' },
  ];

  for (const { colourType, name, listed } of kinds) {
    it(`carries a ${name} PNG's compressed rows untouched, and poppler reads back its very pixels`, async () => {
      const png = testPng(131, 157, colourType);
      const bytes = await renderCertificatePdf(sampleCertificate({ photo: { bytes: png.bytes, type: 'image/png' } }), fontSet, template);

      const [image, ...others] = imageStreams(await PDFDocument.load(bytes, { updateMetadata: false }));
      expect(others).toEqual([]);
      expect(Buffer.from(image!.getContents()).equals(Buffer.from(png.imageData))).toBe(true);
      const parms = image!.dict.lookup(PDFName.of('DecodeParms'), PDFDict);
      expect(parms.lookup(PDFName.of('Predictor'), PDFNumber).asNumber()).toBe(15);

      const path = await scratch.write(`photo-${colourType}.pdf`, bytes);
      expect((await run('pdfimages', ['-list', path])).stdout).toMatch(new RegExp(`\\b131\\s+157\\s+${listed}\\s`));
      await run('pdfimages', [path, `${scratch.dir}/photo-${colourType}`]);
      const [extracted, ...more] = (await readdir(scratch.dir)).filter((f) => f.startsWith(`photo-${colourType}-`));
      expect(more).toEqual([]);
      expect(Buffer.from(rgbSamples(await readFile(`${scratch.dir}/${extracted}`))).equals(Buffer.from(png.expectedRgb))).toBe(true);
    });
  }

  it('refuses a PNG the domain refuses, even in a document that did not come through issuance', async () => {
    const rgba = testPng(120, 150, 6);
    const doc = sampleCertificate({ photo: { bytes: rgba.bytes, type: 'image/png' } });
    await expect(renderCertificatePdf(doc, fontSet, template)).rejects.toMatchObject({
      code: 'invalid_photo',
      field: 'photo',
      details: { limit: 'png_transparency' },
    });
  });
});
