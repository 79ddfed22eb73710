/** Evidence files (notice 四(三)): judged by content, PDF/JPEG/PNG only, at most 5 MiB, no pixel limits. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVIDENCE_MAX_BYTES, parseEvidence } from '../../src/domain/evidence.js';
import { DomainError } from '../../src/domain/errors.js';
import { buildPng } from './pngFixtures.js';

const fixture = (name: string) => new Uint8Array(readFileSync(join(import.meta.dirname, '../fixtures', name)));
const dataUrl = (bytes: Uint8Array, type = 'application/octet-stream') => `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;
const pdf = (body = '') => new TextEncoder().encode(`%PDF-1.7\n${body}\ntrailer<<>>\n%%EOF\n`);

function refusal(value: unknown): DomainError {
  try {
    parseEvidence(value, 'letter.evidence');
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('parseEvidence', () => {
  it('accepts PDF, JPEG and PNG by their content, whatever type they declare', () => {
    expect(parseEvidence(dataUrl(pdf()), 'e').mediaType).toBe('application/pdf');
    expect(parseEvidence(dataUrl(fixture('photo.jpg'), 'image/png'), 'e').mediaType).toBe('image/jpeg');
    expect(parseEvidence(dataUrl(fixture('photo.png'), 'image/jpeg'), 'e').mediaType).toBe('image/png');
  });

  it('takes a full-screen screenshot: no pixel limits, unlike the certificate photo', () => {
    const png = buildPng(2560, 1600); // a full-screen screenshot: 4 MB stored, unlike a photo
    const evidence = parseEvidence(dataUrl(png, 'image/png'), 'informationSystem.evidence');
    expect(evidence).toMatchObject({ mediaType: 'image/png' });
    expect(Buffer.from(evidence.bytes).equals(Buffer.from(png))).toBe(true);
  });

  it('refuses truncated files', () => {
    const jpeg = fixture('photo.jpg');
    const png = fixture('photo.png');
    expect(refusal(dataUrl(pdf().subarray(0, 12))).en).toContain('%%EOF');
    expect(refusal(dataUrl(jpeg.subarray(0, jpeg.length - 10))).en).toContain('EOI');
    expect(refusal(dataUrl(png.subarray(0, png.length - 12))).en).toContain('IEND');
    expect(refusal(dataUrl(new Uint8Array([...png.subarray(0, 8), 0, 0, 0, 13, 0x49, 0x44, 0x41, 0x54]))).en).toContain('IHDR');
  });

  it('refuses other files, broken data URLs and empty ones', () => {
    expect(refusal(dataUrl(new TextEncoder().encode('<html>not evidence</html>'), 'application/pdf'))).toMatchObject({ code: 'validation_failed', field: 'letter.evidence' });
    expect(refusal(dataUrl(new TextEncoder().encode('GIF89a…'), 'image/gif')).en).toContain('PDF, JPEG or PNG');
    expect(refusal('https://example.org/reply.pdf').field).toBe('letter.evidence');
    expect(refusal('data:application/pdf;base64,').field).toBe('letter.evidence');
    expect(refusal(42).field).toBe('letter.evidence');
  });

  it('refuses more than 5 MiB, before decoding when the text alone says so', () => {
    const big = new Uint8Array(EVIDENCE_MAX_BYTES + 1);
    big.set(pdf().subarray(0, 9));
    big.set(new TextEncoder().encode('%%EOF\n'), big.length - 6);
    expect(refusal(dataUrl(big)).details).toMatchObject({ limit: 'max_bytes', actual: EVIDENCE_MAX_BYTES + 1 });
    expect(refusal(`data:application/pdf;base64,${'A'.repeat(8 * 1024 * 1024)}`).details).toMatchObject({ limit: 'max_bytes' });
    const exact = big.subarray(0, EVIDENCE_MAX_BYTES).slice();
    exact.set(new TextEncoder().encode('%%EOF\n'), exact.length - 6);
    expect(parseEvidence(dataUrl(exact), 'e').mediaType).toBe('application/pdf');
  });
});
