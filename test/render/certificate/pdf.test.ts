/**
 * @module test/render/certificate/pdf
 * Real PDF bytes read back with poppler, zbar and pdf-lib.
 */

import { PDFDocument, PDFName, PDFRawStream, PDFString } from '@cantoo/pdf-lib';
import { unzlibSync, zlibSync } from 'fflate';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.js';
import type { CertificateDocument } from '../../../src/render/certificate/document.js';
import { printedValue } from '../../../src/render/certificate/document.js';
import { extractCertificateToken, renderCertificatePdf } from '../../../src/render/certificate/pdf.js';
import type { LoadedFonts } from '../../../src/render/fonts.js';
import { layoutCertificate } from '../../../src/render/certificate/layout.js';
import { DEFLATE_LEVEL, withDemoMark } from '../../../src/render/lib/pdfFrame.js';
import type { TextMark } from '../../../src/render/lib/marks.js';
import { mm } from '../../../src/render/lib/units.js';
import type { CertificateTemplate } from '../../../src/render/certificate/template.js';
import { darkPixels, Scratch } from '../pdfTools.js';
import { fixture, loadTemplate, nodeFontSet, sampleCertificate } from '../sampleCertificate.js';
import { CERTIFICATE_FIELD_LABELS } from '../../../src/domain/labels.js';

const RARE_NAME = '䶮堃喆玥赟彧珺燊𠮷';
const PAGE_HEIGHT = mm(297);

const fontSet = nodeFontSet();
let fonts: LoadedFonts;
let template: CertificateTemplate;
let scratch: Scratch;
let withPhoto: CertificateDocument;
let standardPdf: Uint8Array;
let standardPath: string;

const withName = (name: string): CertificateDocument =>
  sampleCertificate({ holder: { name, gender: '男', idType: '居民身份证', idNumber: '450103********1234' } });

beforeAll(async () => {
  fonts = await fontSet.load();
  template = await loadTemplate();
  scratch = await Scratch.create();
  withPhoto = sampleCertificate({ photo: { bytes: await fixture('photo.jpg'), type: 'image/jpeg' } });
  standardPdf = await renderCertificatePdf(withPhoto, fontSet, template);
  standardPath = await scratch.write('standard.pdf', standardPdf);
});

afterAll(async () => {
  await scratch?.remove();
});

describe('renderCertificatePdf', () => {
  it('prints every field with its Chinese label, the original date and specialty included', async () => {
    const text = await scratch.pdftotext(standardPath);
    const flat = text.replace(/\s+/g, '');
    for (const expected of ['职称电子证书', '李晓梅', '高级工程师', '道路与桥梁工程', '2015年12月30日', '桂职办〔2026〕15号']) {
      expect(text).toContain(expected);
    }
    expect(text).toContain('Electronic Certificate of Professional Title');
    for (const item of template.fields.items) expect(flat).toContain(item.label.replace(/\s+/g, ''));
    for (const value of ['女', '居民身份证', '450103********2028', '工程技术', '副高级', '评审', 'HN-JT-2015-0318', '2026年3月16日', '11450000MB1A23456X', '2026年3月18日']) {
      expect(text).toContain(value);
    }
    // A long value wraps: its lines together are the value, and each line is on the page.
    const bodyLines = layoutCertificate(withPhoto, template, fonts)
      .filter((m): m is TextMark => m.kind === 'text' && m.role === 'value:original.evaluatingBody')
      .map((m) => m.text);
    expect(bodyLines.length).toBe(2);
    expect(bodyLines.join('')).toBe('湖南省交通运输厅工程技术系列高级专业技术职务任职资格评审委员会');
    for (const line of bodyLines) expect(text).toContain(line);
    expect(text).toContain('广西壮族自治区职称改革工作领导小组办公室');
    expect(text).toContain('扫码核验');
  });

  it('labels every field with the words of the one table the verification page reads too (domain/labels)', async () => {
    const text = (await scratch.pdftotext(standardPath)).replace(/\s+/g, '');
    for (const item of template.fields.items) {
      if (item.optional) continue;
      expect(item.label, item.key).toBe(CERTIFICATE_FIELD_LABELS[item.key].zh);
      expect(text, item.key).toContain(CERTIFICATE_FIELD_LABELS[item.key].zh);
    }
    expect(text).toContain('原取得方式'); // the page's word; the PDF said 取得方式 before the one table
  });

  it('prints the number grouped, as the pages do, and no word a clerk would not understand', async () => {
    const text = await scratch.pdftotext(standardPath);
    // Under the heading and under the QR code.
    expect(text.match(/26K7-Q2M9-XHT/g)?.length).toBe(2);
    expect(text).toContain('证书编号：26K7-Q2M9-XHT');
    expect(text).not.toContain('26K7Q2M9XHT');
    expect(text.replace(/\s+/g, '')).toContain('本文件内嵌电子签名数据，可离线核验');
    // File names, field keys, enum values, instants and format names are for programs, not for the page.
    for (const word of ['certificate.jws', '.jws', 'JWS', 'PDF', 'token', 'issuedAt', 'acquiredOn', 'resident_id_card', 'evaluation', 'senior_associate', 'engineering', 'T09:30', '2026-03-18']) {
      expect(text, word).not.toContain(word);
    }
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  });

  it('writes the issuing date as the China date of the instant: 23:30 UTC is the next morning in China', async () => {
    const late = sampleCertificate({ issuedAt: '2026-03-18T23:30:00.000Z' });
    const text = await scratch.pdftotext(await scratch.write('late.pdf', await renderCertificatePdf(late, fontSet, template)));
    // 发证日期 in the fields and under the authority's name.
    expect(text.match(/2026年3月19日/g)?.length).toBe(2);
    expect(text).not.toContain('2026年3月18日');
    expect(printedValue(late, 'issuedAt')).toBe('2026年3月19日');
    expect(printedValue(sampleCertificate({ issuedAt: '2026-03-18T15:59:59.000Z' }), 'issuedAt')).toBe('2026年3月18日');
  });

  it('embeds subsets of both faces, with subset tags, when a name needs the fallback', async () => {
    const path = await scratch.write('rare.pdf', await renderCertificatePdf(withName(RARE_NAME), fontSet, template));
    const rows = await scratch.pdffonts(path);
    expect(rows.map((row) => row.name.replace(/^[A-Z]{6}\+/, ''))).toEqual(['NotoSerifSC-Regular', 'NotoSerifCJKsc-Regular']);
    for (const row of rows) {
      expect(row.name).toMatch(/^[A-Z]{6}\+/);
      expect(row).toMatchObject({ emb: 'yes', sub: 'yes', uni: 'yes' });
    }
    expect((await scratch.pdffonts(standardPath)).map((row) => row.name)).toEqual([expect.stringMatching(/^[A-Z]{6}\+NotoSerifSC-Regular$/)]);
  });

  it('draws a QR code of at least 30 mm that decodes to exactly the verify URL', async () => {
    const raster = await scratch.rasterise(standardPath, 100);
    expect(await scratch.zbarimg(raster.path)).toEqual([withPhoto.verifyUrl]);
    const qr = layoutCertificate(withPhoto, template, fonts).find((mark) => mark.kind === 'qr');
    expect(qr?.kind === 'qr' && qr.size).toBeGreaterThanOrEqual(mm(30));
  });

  it('on the demo keys says 演示证书 DEMO on its face, and the QR code still scans; a real certificate says nothing of the kind', async () => {
    const demoPath = await scratch.write('demo.pdf', await renderCertificatePdf({ ...withPhoto, demo: true }, fontSet, template));
    const text = (await scratch.pdftotext(demoPath)).replace(/\s+/g, '');
    expect(text).toContain('演示证书DEMO—演示系统生成，不具法律效力/fordemonstrationonly,notlegallyvalid');
    // The watermark is rotated: -raw reads it as one run.
    expect((await scratch.pdftotext(demoPath, '-raw')).replace(/\s+/g, '')).toContain('演示DEMO');
    // The facts are all still there, and the QR code still decodes through the watermark.
    for (const value of ['李晓梅', '26K7-Q2M9-XHT', '2015年12月30日', '2026年3月18日']) expect(text).toContain(value);
    expect(await scratch.zbarimg((await scratch.rasterise(demoPath, 100)).path)).toEqual([withPhoto.verifyUrl]);
    // The mark is ink on the page, not only text: the band's words are drawn inside its box.
    const marks = withDemoMark([layoutCertificate(withPhoto, template, fonts)], template.demo, template.page, fonts)[0]!;
    const band = marks.find((m) => m.kind === 'rect' && m.role === 'demo:band');
    const words = marks.find((m): m is TextMark => m.kind === 'text' && m.role === 'demo:band');
    expect(band?.kind === 'rect' && words && words.x >= band.x && words.x + fonts.widthOf(words.text, words.size) <= band.x + band.width).toBe(true);
    const raster = await scratch.rasterise(demoPath, 100);
    expect(darkPixels(raster, { left: words!.x, right: words!.x + fonts.widthOf(words!.text, words!.size), bottom: words!.y, top: words!.y + 0.88 * words!.size }, PAGE_HEIGHT)).toBeGreaterThan(200);

    const real = (await scratch.pdftotext(standardPath)).replace(/\s+/g, '');
    for (const word of ['演示', 'DEMO', '不具法律效力']) expect(real).not.toContain(word);
  });

  it('carries the signed token as the certificate.jws attachment', async () => {
    expect(await extractCertificateToken(standardPdf)).toBe(withPhoto.token);
    const attachment = (await PDFDocument.load(standardPdf)).getAttachments().find((a) => a.name === 'certificate.jws');
    expect(attachment?.mimeType).toBe('application/jose');
  });

  it('returns undefined for a PDF without the attachment', async () => {
    const blank = await PDFDocument.create();
    blank.addPage();
    expect(await extractCertificateToken(await blank.save())).toBeUndefined();
  });

  it('stays within 150 KB with a photo', () => {
    expect(standardPdf.length).toBeLessThanOrEqual(150 * 1024);
  });

  it('really draws every glyph of a rare name — checked with no system fonts for poppler to substitute', async () => {
    const rare = await scratch.rasterise(await scratch.write('rare-glyphs.pdf', await renderCertificatePdf(withName(RARE_NAME), fontSet, template)), 100);
    const nameless = await scratch.rasterise(await scratch.write('nameless.pdf', await renderCertificatePdf(withName(''), fontSet, template)), 100);

    const mark = layoutCertificate(withName(RARE_NAME), template, fonts).find(
      (m): m is TextMark => m.kind === 'text' && m.role === 'value:holder.name',
    );
    expect(mark?.text).toBe(RARE_NAME);
    let x = mark!.x;
    for (const char of RARE_NAME) {
      const width = fonts.widthOf(char, mark!.size);
      const box = { left: x, right: x + width, bottom: mark!.y - 0.12 * mark!.size, top: mark!.y + 0.88 * mark!.size };
      // A 12 pt ideograph at 100 dpi is ~17 px square; any real glyph has dozens of dark pixels.
      expect(darkPixels(rare, box, PAGE_HEIGHT), `glyph ${char}`).toBeGreaterThanOrEqual(15);
      expect(darkPixels(nameless, box, PAGE_HEIGHT), `blank where ${char} would be`).toBe(0);
      x += width;
    }
  });

  it('sets the document metadata and language', async () => {
    const pdf = await PDFDocument.load(standardPdf, { updateMetadata: false });
    expect(pdf.getTitle()).toBe('职称电子证书 26K7-Q2M9-XHT');
    expect(pdf.getSubject()).toContain('职称电子证书');
    expect(pdf.getProducer()).toBe(template.metadata.producer);
    expect(pdf.getCreator()).toBe(template.metadata.creator);
    expect(pdf.getAuthor()).toBe('广西壮族自治区职称改革工作领导小组办公室');
    expect(pdf.getCreationDate()?.toISOString()).toBe('2026-03-18T09:30:00.000Z');
    const lang = pdf.catalog.lookup(PDFName.of('Lang'));
    expect(lang instanceof PDFString ? lang.decodeText() : String(lang)).toBe('zh-CN');
  });

  it('deflates the font subset and the page contents at level 3, not pdf-lib’s 6 (a third of the time, <1% and 5% more bytes)', async () => {
    const pdf = await PDFDocument.load(standardPdf, { updateMetadata: false });
    const flate = [...pdf.context.enumerateIndirectObjects()].flatMap(([, o]) => (o instanceof PDFRawStream && o.dict.get(PDFName.of('Filter')) === PDFName.of('FlateDecode') && !o.dict.has(PDFName.of('Type')) ? [o] : []));
    // The font subset is by far the largest stream (~46 KB before deflate).
    expect(Math.max(...flate.map((o) => unzlibSync(o.getContents()).length))).toBeGreaterThan(30_000);
    for (const stream of flate) {
      const raw = unzlibSync(stream.getContents());
      expect(Buffer.from(stream.getContents()).equals(Buffer.from(zlibSync(raw, { level: DEFLATE_LEVEL }))), `object ${stream.dict.toString().slice(0, 60)}`).toBe(true);
    }
    expect(DEFLATE_LEVEL).toBe(3);
  });

  it('renders the same certificate to the same bytes', async () => {
    expect(Buffer.from(await renderCertificatePdf(withPhoto, fontSet, template)).equals(Buffer.from(standardPdf))).toBe(true);
  });

  it('places a PNG photo and, without one, an empty box labelled 照片', async () => {
    const png = await renderCertificatePdf(sampleCertificate({ photo: { bytes: await fixture('photo.png'), type: 'image/png' } }), fontSet, template);
    const images = await promisify(execFile)('pdfimages', ['-list', await scratch.write('png.pdf', png)]);
    expect(images.stdout).toMatch(/\b120\s+160\s+rgb\b/);
    expect(await scratch.pdftotext(standardPath)).not.toContain('照片');

    const bare = await scratch.write('bare.pdf', await renderCertificatePdf(sampleCertificate(), fontSet, template));
    expect(await scratch.pdftotext(bare)).toContain('照片');
  });

  it('refuses a value no font can draw, naming the field and the character', async () => {
    const error = await renderCertificatePdf(withName('张三\u{E000}'), fontSet, template).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'undrawable_character', field: 'holder.name', details: { codePoints: ['U+E000'] } });
    expect((error as DomainError).zh).toContain('U+E000');
  });

  it('refuses a photo that is neither JPEG nor PNG', async () => {
    const doc = sampleCertificate({ photo: { bytes: new TextEncoder().encode('GIF89a…'), type: 'image/png' } });
    await expect(renderCertificatePdf(doc, fontSet, template)).rejects.toMatchObject({ code: 'invalid_photo', field: 'photo' });
  });
});
