/**
 * render/deflate.ts: on Node the PDFs deflate with node:zlib (entry/nodeContext.ts useNodeDeflate, what the
 * server and its render workers use) — issue 15, 15% off a certificate render. The streams really are
 * node:zlib's, the PDF still reads back whole in poppler (subset fonts embedded, the text extracts), and the
 * same certificate still renders to the same bytes.
 */
import { PDFDocument, PDFName, PDFRawStream } from '@cantoo/pdf-lib';
import { unzlibSync, zlibSync } from 'fflate';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCertificatePdf } from '../../src/render/certificate/pdf.js';
import { useDeflate } from '../../src/render/deflate.js';
import { DEFLATE_LEVEL } from '../../src/render/lib/pdfFrame.js';
import { useNodeDeflate } from '../../src/entry/nodeContext.js';
import type { CertificateTemplate } from '../../src/render/certificate/template.js';
import { Scratch } from './pdfTools.js';
import { fixture, loadTemplate, nodeFontSet, sampleCertificate } from './sampleCertificate.js';

const fontSet = nodeFontSet();
let template: CertificateTemplate;
let scratch: Scratch;

beforeAll(async () => {
  template = await loadTemplate();
  scratch = await Scratch.create();
  useNodeDeflate();
});
afterAll(async () => {
  useDeflate((bytes, level) => zlibSync(bytes, { level }));
  await scratch.remove();
});

function flateStreams(pdf: PDFDocument): PDFRawStream[] {
  return [...pdf.context.enumerateIndirectObjects()].flatMap(([, o]) => (o instanceof PDFRawStream && o.dict.get(PDFName.of('Filter')) === PDFName.of('FlateDecode') && !o.dict.has(PDFName.of('Type')) ? [o] : []));
}

describe('PDFs deflated with node:zlib', () => {
  it('the font subset and page contents are node:zlib’s deflate at level 3, and poppler reads the certificate whole', async () => {
    const doc = sampleCertificate({ photo: { bytes: await fixture('photo.jpg'), type: 'image/jpeg' } });
    const bytes = await renderCertificatePdf(doc, fontSet, template);
    const streams = flateStreams(await PDFDocument.load(bytes, { updateMetadata: false }));
    expect(Math.max(...streams.map((s) => unzlibSync(s.getContents()).length))).toBeGreaterThan(30_000); // the font subset is among them
    for (const stream of streams) {
      const raw = unzlibSync(stream.getContents());
      expect(Buffer.from(stream.getContents()).equals(deflateSync(raw, { level: DEFLATE_LEVEL })), stream.dict.toString().slice(0, 60)).toBe(true);
    }
    const path = await scratch.write('zlib.pdf', bytes);
    const fonts = await scratch.pdffonts(path);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) expect(font).toMatchObject({ emb: 'yes', sub: 'yes', uni: 'yes' });
    const text = await scratch.pdftotext(path);
    expect(text).toContain('李晓梅');
    expect(text).toContain('道路与桥梁工程');
    expect(Buffer.from(await renderCertificatePdf(doc, fontSet, template)).equals(Buffer.from(bytes))).toBe(true);
  });
});
