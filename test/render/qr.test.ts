/**
 * @module test/render/qr
 * The merged-rectangle QR symbol matches the encoder module for module.
 */

import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { qrSymbol } from '../../src/render/qr.js';

const URL = 'http://localhost:8787/v/26K7Q2M9XH4?s=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdEfG';

describe('qrSymbol', () => {
  it('covers exactly the dark modules of the level-M symbol, each once', () => {
    const { modules: matrix } = QRCode.create(URL, { errorCorrectionLevel: 'M' });
    const { modules, rects } = qrSymbol(URL);
    expect(modules).toBe(matrix.size);
    const covered = new Uint8Array(modules * modules);
    for (const r of rects) {
      for (let row = r.row; row < r.row + r.height; row++) {
        for (let col = r.col; col < r.col + r.width; col++) covered[row * modules + col]! += 1;
      }
    }
    for (let row = 0; row < modules; row++) {
      for (let col = 0; col < modules; col++) expect(covered[row * modules + col]).toBe(matrix.get(row, col) ? 1 : 0);
    }
  });

  it('merges modules into far fewer rectangles', () => {
    const { modules: matrix } = QRCode.create(URL, { errorCorrectionLevel: 'M' });
    const dark = matrix.data.reduce((sum, bit) => sum + (bit ? 1 : 0), 0);
    expect(qrSymbol(URL).rects.length).toBeLessThan(dark / 2);
  });
});
