/**
 * @module test/render/certificate/template
 * The certificate layout JSON is validated with messages naming the key.
 */

import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseCertificateTemplate } from '../../../src/render/certificate/template.js';

const json = JSON.parse(await readFile(new URL('../../../templates/certificate.json', import.meta.url), 'utf8')) as Record<string, any>;

describe('parseCertificateTemplate', () => {
  it('accepts templates/certificate.json', () => {
    const template = parseCertificateTemplate(json);
    expect(template.heading.text).toBe('职称电子证书');
    expect(template.fields.items.map((item) => item.key)).toContain('original.acquiredOn');
  });

  it('names every bad key', () => {
    const broken = structuredClone(json);
    broken.qr.sizeMm = 25;
    broken.palette.seal = 'red';
    expect(() => parseCertificateTemplate(broken)).toThrow(/qr\.sizeMm: .*30 mm.*palette\.seal|palette\.seal.*qr\.sizeMm/);
  });

  it('needs the demo mark: the words a demo certificate carries are part of the layout', () => {
    const missing = structuredClone(json);
    delete missing.demo;
    expect(() => parseCertificateTemplate(missing)).toThrow(/demo/);
    const broken = structuredClone(json);
    broken.demo.color = 'red';
    broken.demo.band = '';
    expect(() => parseCertificateTemplate(broken)).toThrow(/demo\.band.*demo\.color|demo\.color.*demo\.band/);
  });
});
