/**
 * @module test/render/sampleCertificate
 * A realistic certificate document and the Node-side loading of fonts, template and photos, shared by
 * the render tests.
 */

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { CertificateDocument } from '../../src/render/certificate/document.js';
import { FontSet } from '../../src/render/fonts.js';
import { parseCertificateTemplate } from '../../src/render/certificate/template.js';
import type { CertificateTemplate } from '../../src/render/certificate/template.js';

const root = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

export const PRIMARY_FONT = root('node_modules/@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf');
export const FALLBACK_FONT = root('templates/fonts/NotoSerifCJKsc-Fallback.ttf');

/** The font set the tests share, as an entry would build it: bytes read on first use. */
export function nodeFontSet(): FontSet {
  return new FontSet(async () => ({
    primary: new Uint8Array(await readFile(PRIMARY_FONT)),
    fallback: new Uint8Array(await readFile(FALLBACK_FONT)),
  }));
}

export async function loadTemplate(): Promise<CertificateTemplate> {
  return parseCertificateTemplate(JSON.parse(await readFile(root('templates/certificate.json'), 'utf8')));
}

export async function fixture(name: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(root(`test/fixtures/${name}`)));
}

/** A compact JWS of realistic length (≈1.5 KB); the renderer treats it as opaque text. */
export const SAMPLE_TOKEN = [
  'eyJhbGciOiJFUzI1NiIsInR5cCI6ImVjZXJ0K2p3dCIsImtpZCI6Imd4LXJzdC0yMDI2LTAxIiwieDVjIjpbXX0',
  'eyJjZXJ0TnVtYmVyIjoiMjZLN1EyTTlYSDQi' + 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODk'.repeat(16),
  'MEUCIQDk3x9Qm2b7vJt0c8mY0oGvJ2Zt1gq3X9x3Qf0a2b4c5gIgW1n3p0mK2p8a7b6c5d4e3f2g1h0i9j8k7l6m5n4o3p2',
].join('.');

/** The certificate the tests render; `overrides` replace whole top-level parts. */
export function sampleCertificate(overrides: Partial<CertificateDocument> = {}): CertificateDocument {
  return {
    number: '26K7Q2M9XHT',
    verifyUrl: 'http://localhost:8787/v/26K7Q2M9XHT?s=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdEfG',
    token: SAMPLE_TOKEN,
    holder: { name: '李晓梅', gender: '女', idType: '居民身份证', idNumber: '450103********2028' },
    title: { seriesName: '工程技术', name: '高级工程师', level: '副高级', specialty: '道路与桥梁工程' },
    original: {
      acquiredOn: '2015-12-30',
      method: '评审',
      evaluatingBody: '湖南省交通运输厅工程技术系列高级专业技术职务任职资格评审委员会',
      certificateNumber: 'HN-JT-2015-0318',
    },
    authority: { name: '广西壮族自治区职称改革工作领导小组办公室', code: '11450000MB1A23456X' },
    decision: { number: '桂职办〔2026〕15号', decidedOn: '2026-03-16' },
    issuedAt: '2026-03-18T09:30:00.000Z',
    ...overrides,
  };
}
