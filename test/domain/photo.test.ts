import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { parseDataUrl } from '../../src/domain/dataUrl.js';
import { inspectPhoto, PHOTO_MAX_AREA, PHOTO_MAX_BYTES, PHOTO_PNG_MAX_CHUNKS } from '../../src/domain/photo.js';
import { concat, be32, pngChunk, zlibStored, PNG_SIGNATURE, buildPng } from './pngFixtures.js';


interface PngHeader {
  width?: number;
  height?: number;
  bitDepth?: number;
  colourType?: number;
  interlace?: number;
}

/**
 * A PNG whose chunks are sound but whose image data is a token: inspectPhoto walks chunks and never
 * inflates, so this is enough to reach every rule on the header. `extra` chunks go between IHDR and IDAT.
 */
function pngWithHeader(header: PngHeader, extra: Uint8Array[] = []): Uint8Array {
  const { width = 120, height = 150, bitDepth = 8, colourType = 0, interlace = 0 } = header;
  const ihdr = pngChunk('IHDR', [...be32(width), ...be32(height), bitDepth, colourType, 0, 0, interlace]);
  const rest = concat(pngChunk('IDAT', zlibStored(new Uint8Array(10))), pngChunk('IEND', []));
  return concat(PNG_SIGNATURE, ihdr, ...extra, rest);
}

const PALETTE = pngChunk('PLTE', [0, 0, 0, 255, 255, 255]);

/** A real baseline greyscale JPEG of width × height: one DC and one AC Huffman code, every block flat grey. */
function buildJpeg(width: number, height: number): Uint8Array {
  const segment = (marker: number, body: number[]) => [0xff, marker, ((body.length + 2) >>> 8) & 0xff, (body.length + 2) & 0xff, ...body];
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const bits = blocks * 2; // per block: DC category 0 ('0'), then EOB ('0')
  const scan = new Array<number>(Math.ceil(bits / 8)).fill(0);
  const pad = scan.length * 8 - bits;
  if (pad > 0) scan[scan.length - 1] = (1 << pad) - 1; // pad the last byte with 1-bits, as T.81 requires
  const oneCode = [1, ...new Array<number>(15).fill(0), 0x00]; // one code of length 1, for symbol 0
  return Uint8Array.from([
    0xff, 0xd8,
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]), // APP0 JFIF
    ...segment(0xdb, [0x00, ...new Array<number>(64).fill(1)]), // DQT, all ones
    ...segment(0xc0, [8, (height >>> 8) & 0xff, height & 0xff, (width >>> 8) & 0xff, width & 0xff, 1, 1, 0x11, 0]), // SOF0
    ...segment(0xc4, [0x00, ...oneCode]), // DHT DC 0
    ...segment(0xc4, [0x10, ...oneCode]), // DHT AC 0
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]), // SOS
    ...scan,
    0xff, 0xd9,
  ]);
}

/** Standard base64 without Buffer, to build data URLs the way a browser's FileReader would. */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

const FIELD = 'holder.photo';

/** A 104 × 100 progressive greyscale JPEG with restart markers, as libjpeg-turbo's cjpeg writes it. */
const PROGRESSIVE_JPEG_BASE64 =
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABsSFBcUERsXFhceHBsgKEIrKCUlKFE6PTBCYFVlZF9VXVtqeJmBanGQc1tdhbWGkJ6j' +
  'q62rZ4C8ybqmx5moq6T/wgALCABkAGgBAREA/8QAGQABAQEBAQEAAAAAAAAAAAAAAgUEAwEG/90ABAAa/9oACAEBAAAAAZrSaaTS' +
  'cRJpNJpr/9DAk00mk1ETSaTTS//RxJppNJpw2k0mmk//0sjTSaTT5S0mk00nH//TzppNJp8oWtNJppOPm//U4tJpNPlCeppNNJx8' +
  'y//V5tJppefPtf/EAB4QAAIBBAMBAAAAAAAAAAAAAAIDMAQSE0AAARAR/9oACAEBAAEFAtr/0Nr/0dr/0pHHjXJUncz/043HjXJU' +
  'nczn/9SJx41yVJ3M8//VhPv4Hv8A/8QAHRAAAgIDAAMAAAAAAAAAAAAAAUECMBARQAAgUf/aAAgBAQAGPwLq/9Dq/9Hq/9Kwlq3S' +
  'j5//06yWrdKOP//UqJat0o5//9WmRHz0/8QAHBABAQABBQEAAAAAAAAAAAAAAAEhETFBUXGB/9oACAEBAAE/IYiIiIiIiIiIiIiI' +
  'iIj/0IiIiIiIiIiIiIiIiIj/0YiIiIiIiIiIiIiIiIj/0oiIiIiIiNAN2PSIiIiIiIjBOj7y/9OIiIiIiI0A3Y9IiIiIiIiME6Pv' +
  'KP/UiIiIiIjQDdj0iIiIiIiIwTo+8oj/1YiIiIiKb4lWIiP/2gAIAQEAAAAQtLFtP//QaWraf//R0tW0v//SpaNpf//TS07Sv//U' +
  'lpWlP//VtOf/xAAgEAEBAAEDBAMAAAAAAAAAAAABABEhMYFhkdHwIDBR/9oACAEBAAE/EBCEIQhCEIQhCEIQhCEIQhC//9AQhCEI' +
  'QhCEIQhCEIQhCEIQv//REIQhCEIQhCEIQhCEIQhCEL//0hCEIQhCEIQsqsdyeNXiEIQhCEIQhCz7bh6+mOL/0xCEIQhCEIWVWO5P' +
  'GrxCEIQhCEIQhZ9tw9fTHEL/1BCEIQhCELKrHcnjV4hCEIQhCEIQs+24evpjiEL/1fpADFYePxB+A//Z';

describe('parseDataUrl', () => {
  it('decodes a base64 data URL and lower-cases the media type', () => {
    const png = buildPng(120, 150);
    const parsed = parseDataUrl(`data:Image/PNG;base64,${toBase64(png)}`, FIELD);
    expect(parsed.mediaType).toBe('image/png');
    expect(parsed.bytes).toEqual(png);
  });

  it('decodes every padding length exactly as btoa encoded it', () => {
    for (let len = 1; len <= 40; len++) {
      const bytes = Uint8Array.from({ length: len }, (_, i) => (i * 37 + len * 11) & 0xff);
      expect(parseDataUrl(`data:application/octet-stream;base64,${toBase64(bytes)}`, FIELD).bytes).toEqual(bytes);
    }
  });

  it('allows parameters before ;base64', () => {
    expect(parseDataUrl('data:image/jpeg;name=photo.jpg;base64,/9j/', FIELD).bytes).toEqual(Uint8Array.from([0xff, 0xd8, 0xff]));
  });

  it('refuses anything but a base64 data URL, naming the field', () => {
    const cases: unknown[] = [
      undefined,
      42,
      '',
      'iVBORw0KGgo=',
      'https://example.com/a.png',
      'data:image/png,rawtext',
      'data:;base64,AAAA',
      'data:image/png;base64',
      'data:image;base64,AAAA',
      'data:image/png;bad param;base64,AAAA',
      'data:image/png;base64,',
    ];
    for (const value of cases) {
      const e = errorOf(() => parseDataUrl(value, FIELD));
      expect(e.code, String(value)).toBe('validation_failed');
      expect(e.field).toBe(FIELD);
      expect(e.en).toContain(FIELD);
    }
  });

  it('is strict about base64', () => {
    const cases = {
      'a character outside the alphabet': 'AA*A',
      'base64url characters': 'AA-_',
      whitespace: 'AAAA AAAA',
      'a line break': 'AAAA\nAAAA',
      'a length that is not a multiple of 4': 'AAAAA',
      'padding in the middle': 'AA==AAAA',
      'three padding characters': 'A===',
      'padding only': '====',
      'non-zero bits under the padding (AB== is not canonical)': 'AB==',
      'non-zero bits under one = (AAB= is not canonical)': 'AAB=',
    };
    for (const [what, data] of Object.entries(cases)) {
      const e = errorOf(() => parseDataUrl(`data:image/png;base64,${data}`, FIELD));
      expect(e.code, what).toBe('validation_failed');
      expect(e.zh, what).toContain('base64');
    }
    expect(parseDataUrl('data:image/png;base64,AA==', FIELD).bytes).toEqual(Uint8Array.from([0]));
    expect(parseDataUrl('data:image/png;base64,AAA=', FIELD).bytes).toEqual(Uint8Array.from([0, 0]));
  });
});

describe('inspectPhoto: PNG', () => {
  it('reads type and size from a real PNG', () => {
    expect(inspectPhoto(buildPng(120, 150), FIELD)).toEqual({ type: 'image/png', width: 120, height: 150 });
    expect(inspectPhoto(buildPng(100, 100), FIELD)).toEqual({ type: 'image/png', width: 100, height: 100 });
  });

  it('judges by content, whatever the data URL declared', () => {
    const parsed = parseDataUrl(`data:image/jpeg;base64,${toBase64(buildPng(120, 150))}`, FIELD);
    expect(inspectPhoto(parsed.bytes, FIELD).type).toBe('image/png');
  });

  it('refuses a truncated PNG, wherever it was cut', () => {
    const png = buildPng(120, 150);
    for (const cut of [8, 20, 33, 40, 1000, png.length - 12, png.length - 1]) {
      const e = errorOf(() => inspectPhoto(png.subarray(0, cut), FIELD));
      expect(e.code, `cut at ${cut}`).toBe('invalid_photo');
      expect(e.field).toBe(FIELD);
    }
  });

  it('refuses a corrupted IHDR (CRC check)', () => {
    const png = buildPng(120, 150).slice();
    png[19] = 0x80; // width 120 → 128, CRC unchanged
    expect(errorOf(() => inspectPhoto(png, FIELD)).en).toContain('IHDR fails its CRC');
  });

  it('refuses a corrupted image data chunk (CRC check)', () => {
    const png = buildPng(120, 150).slice();
    png[500] = (png[500] ?? 0) ^ 1;
    expect(errorOf(() => inspectPhoto(png, FIELD)).en).toContain('IDAT fails its CRC');
  });

  it('requires IHDR first, with length 13', () => {
    const sig = Uint8Array.from(PNG_SIGNATURE);
    const ihdr = [...be32(120), ...be32(150), 8, 0, 0, 0, 0];
    const rest = concat(pngChunk('IDAT', zlibStored(new Uint8Array(10))), pngChunk('IEND', []));
    expect(errorOf(() => inspectPhoto(concat(sig, pngChunk('tEXt', [0x61, 0, 0x62]), pngChunk('IHDR', ihdr), rest), FIELD)).en)
      .toContain('first chunk must be IHDR');
    expect(errorOf(() => inspectPhoto(concat(sig, pngChunk('IHDR', [...ihdr, 0]), rest), FIELD)).en).toContain('length 13');
  });

  it('refuses impossible IHDR parameters', () => {
    expect(() => inspectPhoto(pngWithHeader({ bitDepth: 8, colourType: 2 }), FIELD)).not.toThrow();
    expect(() => inspectPhoto(pngWithHeader({ bitDepth: 4, colourType: 2 }), FIELD)).toThrow(/image parameters/);
    expect(() => inspectPhoto(pngWithHeader({ bitDepth: 8, colourType: 5 }), FIELD)).toThrow(/image parameters/);
  });

  it('requires a palette of whole entries before the image data of a palette PNG', () => {
    expect(inspectPhoto(pngWithHeader({ colourType: 3 }, [PALETTE]), FIELD).type).toBe('image/png');
    expect(() => inspectPhoto(pngWithHeader({ colourType: 3 }), FIELD)).toThrow(/no palette \(PLTE\)/);
    expect(() => inspectPhoto(pngWithHeader({ colourType: 3 }, [pngChunk('PLTE', [0, 0, 0, 255])]), FIELD)).toThrow(/invalid length/);
  });

  it('requires image data, and nothing after IEND', () => {
    const sig = Uint8Array.from(PNG_SIGNATURE);
    const ihdr = pngChunk('IHDR', [...be32(120), ...be32(150), 8, 0, 0, 0, 0]);
    expect(() => inspectPhoto(concat(sig, ihdr, pngChunk('IEND', [])), FIELD)).toThrow(/no image data/);
    expect(() => inspectPhoto(concat(buildPng(120, 150), [0x3c, 0x3f, 0x70, 0x68, 0x70]), FIELD)).toThrow(/after IEND/);
  });
});

describe('inspectPhoto: JPEG', () => {
  it('reads type and size from a real baseline JPEG', () => {
    expect(inspectPhoto(buildJpeg(123, 101), FIELD)).toEqual({ type: 'image/jpeg', width: 123, height: 101 });
    expect(inspectPhoto(buildJpeg(358, 441), FIELD)).toEqual({ type: 'image/jpeg', width: 358, height: 441 });
  });

  it('walks every scan of a progressive JPEG from a real encoder', () => {
    const parsed = parseDataUrl(`data:image/jpeg;base64,${PROGRESSIVE_JPEG_BASE64}`, FIELD);
    expect(inspectPhoto(parsed.bytes, FIELD)).toEqual({ type: 'image/jpeg', width: 104, height: 100 });
    expect(() => inspectPhoto(parsed.bytes.subarray(0, parsed.bytes.length - 2), FIELD)).toThrow(/truncated/);
  });

  it('tolerates fill bytes before markers and data after EOI (camera trailers)', () => {
    const jpeg = buildJpeg(200, 200);
    const withFill = concat(jpeg.subarray(0, 2), [0xff, 0xff], jpeg.subarray(2));
    expect(inspectPhoto(withFill, FIELD).width).toBe(200);
    expect(inspectPhoto(concat(jpeg, [1, 2, 3, 4]), FIELD).height).toBe(200);
  });

  it('skips stuffed bytes and restart markers inside the scan', () => {
    const jpeg = buildJpeg(200, 200);
    const eoi = jpeg.length - 2;
    const scanWithEscapes = concat(jpeg.subarray(0, eoi), [0xff, 0x00, 0x12, 0xff, 0xd0, 0x34], jpeg.subarray(eoi));
    expect(inspectPhoto(scanWithEscapes, FIELD).width).toBe(200);
  });

  it('refuses a truncated JPEG, wherever it was cut', () => {
    const jpeg = buildJpeg(200, 200);
    for (const cut of [3, 4, 10, 25, 100, 160, jpeg.length - 2, jpeg.length - 1]) {
      const e = errorOf(() => inspectPhoto(jpeg.subarray(0, cut), FIELD));
      expect(e.code, `cut at ${cut}`).toBe('invalid_photo');
    }
  });

  it('refuses a scan before the frame header, and a file with no scan', () => {
    const jpeg = buildJpeg(200, 200);
    const sofAt = findMarker(jpeg, 0xc0);
    const sofEnd = sofAt + 2 + 11;
    expect(() => inspectPhoto(concat(jpeg.subarray(0, sofAt), jpeg.subarray(sofEnd)), FIELD)).toThrow(/before the frame header/);
    const noScan = concat(jpeg.subarray(0, findMarker(jpeg, 0xda)), [0xff, 0xd9]);
    expect(() => inspectPhoto(noScan, FIELD)).toThrow(/no frame or no scan/);
  });

  it('refuses JPEG codings PDF viewers do not reliably draw: arithmetic, lossless, 12-bit', () => {
    const variant = (marker: number, precision: number) => {
      const jpeg = buildJpeg(200, 200).slice();
      const sofAt = findMarker(jpeg, 0xc0);
      jpeg[sofAt + 1] = marker;
      jpeg[sofAt + 4] = precision;
      return jpeg;
    };
    expect(inspectPhoto(variant(0xc1, 8), FIELD).width).toBe(200); // extended sequential, Huffman
    expect(inspectPhoto(variant(0xc2, 8), FIELD).width).toBe(200); // progressive, Huffman
    for (const [marker, precision] of [[0xc3, 8], [0xc9, 8], [0xca, 8], [0xc0, 12]] as const) {
      expect(() => inspectPhoto(variant(marker, precision), FIELD)).toThrow(/Unsupported JPEG coding/);
    }
  });

  it('refuses a broken segment length', () => {
    const jpeg = buildJpeg(200, 200).slice();
    const sofAt = findMarker(jpeg, 0xc0);
    jpeg[sofAt + 3] = 12; // SOF length no longer 8 + 3 × components
    expect(() => inspectPhoto(jpeg, FIELD)).toThrow(/frame header \(SOF\) has an invalid length/);
    const tiny = buildJpeg(200, 200).slice();
    tiny[5] = 1; // APP0 length 1 < 2
    expect(() => inspectPhoto(tiny, FIELD)).toThrow(/invalid segment length/);
  });
});

describe('inspectPhoto: what is not a photo', () => {
  it('refuses text masquerading as an image', () => {
    const text = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>');
    const parsed = parseDataUrl(`data:image/png;base64,${toBase64(text)}`, FIELD);
    const e = errorOf(() => inspectPhoto(parsed.bytes, FIELD));
    expect(e.code).toBe('invalid_photo');
    expect(e.zh).toContain('不是 JPEG 或 PNG');
    expect(e.field).toBe(FIELD);
  });

  it('refuses GIF, WebP and an empty file', () => {
    expect(() => inspectPhoto(new TextEncoder().encode('GIF89a\x01\x00\x01\x00'), FIELD)).toThrow(/not a JPEG or PNG/);
    expect(() => inspectPhoto(new TextEncoder().encode('RIFF\x00\x00\x00\x00WEBPVP8 '), FIELD)).toThrow(/not a JPEG or PNG/);
    expect(() => inspectPhoto(new Uint8Array(0), FIELD)).toThrow(/empty/);
  });
});

describe('inspectPhoto: limits', () => {
  it('refuses more than 1 MiB, saying so', () => {
    const big = new Uint8Array(PHOTO_MAX_BYTES + 1);
    big.set(PNG_SIGNATURE);
    const e = errorOf(() => inspectPhoto(big, FIELD));
    expect(e.code).toBe('invalid_photo');
    expect(e.zh).toContain('超过上限1048576字节');
    expect(e.en).toContain('1 MiB');
    expect(e.details).toMatchObject({ limit: 'max_bytes', actual: PHOTO_MAX_BYTES + 1 });
  });

  it('refuses a side under 100 px, naming it', () => {
    const narrow = errorOf(() => inspectPhoto(buildPng(99, 150), FIELD));
    expect(narrow.zh).toContain('宽度为99像素，小于下限100像素');
    expect(narrow.en).toContain('width is 99 px, below the minimum of 100 px');
    expect(narrow.details).toMatchObject({ limit: 'min_width' });
    const low = errorOf(() => inspectPhoto(buildJpeg(150, 99), FIELD));
    expect(low.en).toContain('height is 99 px');
    expect(low.details).toMatchObject({ limit: 'min_height' });
  });

  it('refuses a side over 1200 px, naming it', () => {
    const wide = errorOf(() => inspectPhoto(buildPng(1201, 100), FIELD));
    expect(wide.zh).toContain('宽度为1201像素，超过上限1200像素');
    expect(wide.en).toContain('width is 1201 px, above the maximum of 1200 px');
    expect(wide.details).toMatchObject({ limit: 'max_width', actual: 1201 });
    const tall = errorOf(() => inspectPhoto(buildJpeg(100, 1201), FIELD));
    expect(tall.details).toMatchObject({ limit: 'max_height', actual: 1201 });
    // The review's case: a 4000 × 4000 PNG is refused on its size before anything else is looked at.
    expect(errorOf(() => inspectPhoto(pngWithHeader({ width: 4000, height: 4000, bitDepth: 16, colourType: 6 }), FIELD)).details)
      .toMatchObject({ limit: 'max_width' });
  });

  it('refuses more than 1.2 megapixels, naming the limit, for JPEG and PNG alike', () => {
    const jpeg = errorOf(() => inspectPhoto(buildJpeg(1200, 1001), FIELD));
    expect(jpeg.code).toBe('invalid_photo');
    expect(jpeg.zh).toContain('照片为1200×1001像素，共1201200像素，超过上限1200000像素（120万像素）');
    expect(jpeg.en).toContain('1200 × 1001 px, 1201200 pixels in all, over the limit of 1200000 pixels (1.2 megapixels)');
    expect(jpeg.details).toMatchObject({ limit: 'max_area', max: PHOTO_MAX_AREA, actual: 1_201_200 });
    const png = errorOf(() => inspectPhoto(pngWithHeader({ width: 1096, height: 1096 }), FIELD));
    expect(png.details).toMatchObject({ limit: 'max_area', actual: 1096 * 1096 });
    expect(png.field).toBe(FIELD);
  });

  it('accepts the limits themselves', () => {
    expect(inspectPhoto(buildJpeg(1200, 100), FIELD)).toEqual({ type: 'image/jpeg', width: 1200, height: 100 });
    expect(inspectPhoto(buildPng(100, 1200), FIELD)).toEqual({ type: 'image/png', width: 100, height: 1200 });
    expect(inspectPhoto(buildJpeg(1200, 1000), FIELD)).toEqual({ type: 'image/jpeg', width: 1200, height: 1000 });
    expect(inspectPhoto(pngWithHeader({ width: 1095, height: 1095, colourType: 2 }), FIELD)).toEqual({ type: 'image/png', width: 1095, height: 1095 });
  });
});

describe('inspectPhoto: only PNGs a PDF carries as they are', () => {
  it('accepts 8-bit greyscale, RGB and palette PNGs', () => {
    for (const colourType of [0, 2]) expect(inspectPhoto(pngWithHeader({ colourType }), FIELD).type).toBe('image/png');
    expect(inspectPhoto(pngWithHeader({ colourType: 3 }, [PALETTE]), FIELD).type).toBe('image/png');
  });

  it('refuses a 16-bit PNG, naming the bit depth', () => {
    for (const colourType of [0, 2]) {
      const e = errorOf(() => inspectPhoto(pngWithHeader({ bitDepth: 16, colourType }), FIELD));
      expect(e.code).toBe('invalid_photo');
      expect(e.field).toBe(FIELD);
      expect(e.zh).toContain('照片为16位 PNG，仅接受8位 PNG');
      expect(e.en).toContain('16-bit PNG; only 8-bit PNG is accepted');
      expect(e.details).toMatchObject({ limit: 'png_bit_depth', allowed: 8, actual: 16 });
    }
  });

  it('refuses 1-, 2- and 4-bit PNGs', () => {
    for (const bitDepth of [1, 2, 4]) {
      expect(errorOf(() => inspectPhoto(pngWithHeader({ bitDepth }), FIELD)).details).toMatchObject({ limit: 'png_bit_depth', actual: bitDepth });
      expect(errorOf(() => inspectPhoto(pngWithHeader({ bitDepth, colourType: 3 }, [PALETTE]), FIELD)).details).toMatchObject({ actual: bitDepth });
    }
  });

  it('refuses transparency: an alpha channel or a tRNS chunk', () => {
    const cases = {
      'grey with alpha': pngWithHeader({ colourType: 4 }),
      'RGB with alpha': pngWithHeader({ colourType: 6 }),
      'RGB with tRNS': pngWithHeader({ colourType: 2 }, [pngChunk('tRNS', [0, 0, 0, 0, 0, 0])]),
      'palette with tRNS': pngWithHeader({ colourType: 3 }, [PALETTE, pngChunk('tRNS', [0])]),
    };
    for (const [what, png] of Object.entries(cases)) {
      const e = errorOf(() => inspectPhoto(png, FIELD));
      expect(e.details, what).toMatchObject({ limit: 'png_transparency' });
      expect(e.zh, what).toContain('带透明度的 PNG');
      expect(e.en, what).toContain('save it as an opaque, non-interlaced 8-bit PNG or as JPEG');
    }
  });

  it('refuses an interlaced PNG', () => {
    const e = errorOf(() => inspectPhoto(pngWithHeader({ colourType: 2, interlace: 1 }), FIELD));
    expect(e.zh).toContain('隔行扫描（Adam7）');
    expect(e.details).toMatchObject({ limit: 'png_interlace' });
  });

  it(`refuses more than ${PHOTO_PNG_MAX_CHUNKS} chunks, which cost time to walk and no encoder writes`, () => {
    const notes = (n: number) => Array.from({ length: n }, () => pngChunk('tEXt', [0x61, 0, 0x62]));
    // IHDR, IDAT and IEND are chunks too.
    expect(inspectPhoto(pngWithHeader({}, notes(PHOTO_PNG_MAX_CHUNKS - 3)), FIELD).type).toBe('image/png');
    const e = errorOf(() => inspectPhoto(pngWithHeader({}, notes(PHOTO_PNG_MAX_CHUNKS - 2)), FIELD));
    expect(e.details).toMatchObject({ limit: 'png_chunks', max: PHOTO_PNG_MAX_CHUNKS });
    expect(e.zh).toContain('数据块超过上限1000个');
  });
});

function findMarker(jpeg: Uint8Array, marker: number): number {
  for (let i = 0; i + 1 < jpeg.length; i++) if (jpeg[i] === 0xff && jpeg[i + 1] === marker) return i;
  throw new Error(`marker ${marker.toString(16)} not found`);
}
