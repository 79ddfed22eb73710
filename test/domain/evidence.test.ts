/**
 * Evidence and material files (notice 四(三), 二(三)): judged by content, PDF/JPEG/PNG only, at most 5 MiB;
 * images walked like the photo with their pixels counted from the header (issue 12 B10: a PNG declaring
 * 30000 × 30000 over a deflate bomb was accepted); PDFs that act on their own refused, naming the file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deflateSync } from 'node:zlib';
import { EVIDENCE_MAX_BYTES, EVIDENCE_MAX_PIXELS, EVIDENCE_MAX_SIDE, parseEvidence } from '../../src/domain/evidence.js';
import { DomainError } from '../../src/domain/errors.js';
import { simplePdf } from './pdfFixtures.js';
import { be32, buildPng, concat, pngChunk, PNG_SIGNATURE } from './pngFixtures.js';

const fixture = (name: string) => new Uint8Array(readFileSync(join(import.meta.dirname, '../fixtures', name)));
const dataUrl = (bytes: Uint8Array, type = 'application/octet-stream') => `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;
const pdf = (body = '') => new TextEncoder().encode(`%PDF-1.7\n${body}\ntrailer<<>>\n%%EOF\n`);

async function refusal(value: unknown, label?: { zh: string; en: string }): Promise<DomainError> {
  try {
    await parseEvidence(value, 'letter.evidence', label);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** A PNG whose IHDR says width × height over the given (compressed) image data: nothing is inflated to judge it. */
function pngDeclaring(width: number, height: number, idat: Uint8Array, bitDepth = 8, colourType = 0): Uint8Array {
  return concat(PNG_SIGNATURE, pngChunk('IHDR', [...be32(width), ...be32(height), bitDepth, colourType, 0, 0, 0]), pngChunk('IDAT', idat), pngChunk('IEND', []));
}

/** A JPEG whose frame header (SOF0) says width × height, with one tiny scan. */
function jpegDeclaring(width: number, height: number): Uint8Array {
  const segment = (marker: number, body: number[]) => [0xff, marker, ((body.length + 2) >>> 8) & 0xff, (body.length + 2) & 0xff, ...body];
  return Uint8Array.from([
    0xff, 0xd8,
    ...segment(0xc0, [8, (height >>> 8) & 0xff, height & 0xff, (width >>> 8) & 0xff, width & 0xff, 1, 1, 0x11, 0]),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    0x00, 0xff, 0xd9,
  ]);
}

describe('parseEvidence', () => {
  it('accepts PDF, JPEG and PNG by their content, whatever type they declare', async () => {
    expect((await parseEvidence(dataUrl(pdf()), 'e')).mediaType).toBe('application/pdf');
    expect((await parseEvidence(dataUrl(fixture('photo.jpg'), 'image/png'), 'e')).mediaType).toBe('image/jpeg');
    expect((await parseEvidence(dataUrl(fixture('photo.png'), 'image/jpeg'), 'e')).mediaType).toBe('image/png');
  });

  it('takes a full-screen screenshot: far beyond the certificate photo’s limits', async () => {
    const png = buildPng(2560, 1600); // a full-screen screenshot: 4 MB stored, unlike a photo
    const evidence = await parseEvidence(dataUrl(png, 'image/png'), 'informationSystem.evidence');
    expect(evidence).toMatchObject({ mediaType: 'image/png' });
    expect(Buffer.from(evidence.bytes).equals(Buffer.from(png))).toBe(true);
  });

  it('refuses truncated files', async () => {
    const jpeg = fixture('photo.jpg');
    const png = fixture('photo.png');
    expect((await refusal(dataUrl(pdf().subarray(0, 12)))).en).toContain('%%EOF');
    expect((await refusal(dataUrl(jpeg.subarray(0, jpeg.length - 10)))).en).toContain('EOI');
    expect((await refusal(dataUrl(png.subarray(0, png.length - 12)))).en).toContain('IEND');
    expect((await refusal(dataUrl(new Uint8Array([...png.subarray(0, 8), 0, 0, 0, 13, 0x49, 0x44, 0x41, 0x54])))).en).toContain('IHDR');
  });

  it('refuses other files, broken data URLs and empty ones', async () => {
    expect(await refusal(dataUrl(new TextEncoder().encode('<html>not evidence</html>'), 'application/pdf'))).toMatchObject({ code: 'validation_failed', field: 'letter.evidence' });
    expect((await refusal(dataUrl(new TextEncoder().encode('GIF89a…'), 'image/gif'))).en).toContain('PDF, JPEG or PNG');
    expect((await refusal('https://example.org/reply.pdf')).field).toBe('letter.evidence');
    expect((await refusal('data:application/pdf;base64,')).field).toBe('letter.evidence');
    expect((await refusal(42)).field).toBe('letter.evidence');
  });

  it('refuses more than 5 MiB, before decoding when the text alone says so', async () => {
    const big = new Uint8Array(EVIDENCE_MAX_BYTES + 1);
    big.set(pdf().subarray(0, 9));
    big.set(new TextEncoder().encode('%%EOF\n'), big.length - 6);
    expect((await refusal(dataUrl(big))).details).toMatchObject({ limit: 'max_bytes', actual: EVIDENCE_MAX_BYTES + 1 });
    expect((await refusal(`data:application/pdf;base64,${'A'.repeat(8 * 1024 * 1024)}`)).details).toMatchObject({ limit: 'max_bytes' });
    const exact = big.subarray(0, EVIDENCE_MAX_BYTES).slice();
    exact.set(new TextEncoder().encode('%%EOF\n'), exact.length - 6);
    expect((await parseEvidence(dataUrl(exact), 'e')).mediaType).toBe('application/pdf');
  });
});

describe('parseEvidence: images are counted by their header, like the photo', () => {
  it('refuses a PNG declaring 30000 × 30000 over a deflate bomb, without inflating it', async () => {
    const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 }); // 64 MiB of zeros in ~64 KB
    const png = pngDeclaring(30000, 30000, bomb);
    expect(png.length).toBeLessThan(200_000);
    const started = Date.now();
    const e = await refusal(dataUrl(png, 'image/png'));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(e).toMatchObject({ code: 'validation_failed', field: 'letter.evidence', details: { limit: 'max_pixels', width: 30000, height: 30000 } });
    expect(e.zh).toContain('30000×30000');
    expect(e.en).toContain('30000 × 30000 px');
  });

  it('refuses a JPEG whose frame header declares 65535 × 65535', async () => {
    const e = await refusal(dataUrl(jpegDeclaring(65535, 65535), 'image/jpeg'));
    expect(e.details).toMatchObject({ limit: 'max_pixels', width: 65535, height: 65535 });
  });

  it(`takes up to ${EVIDENCE_MAX_PIXELS / 1_000_000} megapixels and ${EVIDENCE_MAX_SIDE} px a side, not one more`, async () => {
    const idat = deflateSync(Buffer.alloc(10));
    expect((await parseEvidence(dataUrl(pngDeclaring(8000, 5000, idat)), 'e')).mediaType).toBe('image/png'); // 40 MP: an A4 page at 600 dpi is 35
    expect((await parseEvidence(dataUrl(jpegDeclaring(4961, 7016)), 'e')).mediaType).toBe('image/jpeg'); // A4 at 600 dpi
    expect((await refusal(dataUrl(pngDeclaring(8000, 5001, idat)))).details).toMatchObject({ limit: 'max_pixels' });
    expect((await parseEvidence(dataUrl(pngDeclaring(EVIDENCE_MAX_SIDE, 100, idat)), 'e')).mediaType).toBe('image/png'); // a long scrolling screenshot
    expect((await refusal(dataUrl(pngDeclaring(EVIDENCE_MAX_SIDE + 1, 10, idat)))).details).toMatchObject({ limit: 'max_pixels' });
  });

  it('walks the structure like the photo: a broken CRC, data after IEND, a scan before the frame', async () => {
    const png = buildPng(200, 100).slice();
    png[40] = (png[40] ?? 0) ^ 1;
    expect((await refusal(dataUrl(png))).en).toContain('fails its CRC');
    expect((await refusal(dataUrl(concat(buildPng(200, 100), pngChunk('IEND', []))))).en).toContain('after IEND');
    const jpeg = jpegDeclaring(200, 100);
    const noFrame = concat(jpeg.subarray(0, 2), jpeg.subarray(2 + 13));
    expect((await refusal(dataUrl(noFrame))).en).toContain('before the frame header');
  });

  it('takes what the photo may not: 16-bit, transparent, interlaced', async () => {
    const idat = deflateSync(Buffer.alloc(10));
    expect((await parseEvidence(dataUrl(pngDeclaring(3000, 2000, idat, 16, 6)), 'e')).mediaType).toBe('image/png');
  });
});

describe('parseEvidence: PDFs that act on their own are refused, naming the file', () => {
  const label = { zh: '材料“回函.pdf”', en: 'The material "回函.pdf"' };

  it('a script: 422 active_content, the file, what was found, and what to do', async () => {
    const e = await refusal(dataUrl(simplePdf({ catalogExtra: '/OpenAction << /S /JavaScript /JS (app.alert(1)) >>' })), label);
    expect(e).toMatchObject({ code: 'active_content', field: 'letter.evidence', details: { found: ['/JavaScript', '/JS', '/OpenAction'] } });
    expect(e.zh).toContain('材料“回函.pdf”含有JavaScript 脚本');
    expect(e.zh).toContain('打印为 PDF');
    expect(e.en).toContain('The material "回函.pdf" contains JavaScript');
  });

  it('an attachment and a launch', async () => {
    const e = await refusal(dataUrl(simplePdf({ catalogExtra: '/Names << /EmbeddedFiles 5 0 R >> /OpenAction << /S /Launch /F (x.exe) >>', more: [{ num: 5, body: '<< /Names [] >>' }] })));
    expect(e.details).toMatchObject({ found: expect.arrayContaining(['/EmbeddedFiles', '/Launch']) });
    expect(e.zh).toContain('letter.evidence含有');
  });

  it('an encrypted PDF: refused as one that cannot be checked', async () => {
    const e = await refusal(dataUrl(simplePdf({ trailerExtra: '/Encrypt 5 0 R', more: [{ num: 5, body: '<< /Filter /Standard >>' }] })), label);
    expect(e).toMatchObject({ code: 'validation_failed', details: { limit: 'uncheckable_pdf' } });
    expect(e.zh).toContain('材料“回函.pdf”：文件已加密');
  });

  it('a clean PDF with a link passes', async () => {
    const link = { num: 5, body: '<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /URI /URI (https://example.gov.cn/) >> >>' };
    expect((await parseEvidence(dataUrl(simplePdf({ pageExtra: '/Annots [5 0 R]', more: [link] })), 'e')).mediaType).toBe('application/pdf');
  });
});
