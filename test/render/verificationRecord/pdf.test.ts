/**
 * @module test/render/verificationRecord/pdf
 * The verification record (attachment 2) as real PDF bytes, read back with poppler: its text, its glyphs
 * rasterised with no system fonts, its check boxes and ticks, long record text flowing inside its cell.
 */

import { degrees, PDFDocument, PDFName, PDFString, StandardFonts } from '@cantoo/pdf-lib';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.js';
import { VERIFICATION_METHODS } from '../../../src/domain/verificationRecord.js';
import type { MethodDetails, VerificationMethod, VerificationRecord } from '../../../src/domain/verificationRecord.js';
import type { LoadedFonts } from '../../../src/render/fonts.js';
import type { LineMark, Mark, RectMark, TextMark } from '../../../src/render/lib/marks.js';
import { mm } from '../../../src/render/lib/units.js';
import { layoutVerificationRecord } from '../../../src/render/verificationRecord/layout.js';
import { parseVerificationRecordTemplate, renderVerificationRecordPdf } from '../../../src/render/verificationRecord/pdf.js';
import type { VerificationRecordDocument, VerificationRecordTemplate } from '../../../src/render/verificationRecord/pdf.js';
import { expectOnPages } from '../pageBounds.js';
import { darkPixels, Scratch } from '../pdfTools.js';
import type { GreyImage } from '../pdfTools.js';
import { fixture, nodeFontSet } from '../sampleCertificate.js';
import { be32, buildPng, concat, PNG_SIGNATURE, pngChunk, zlibStored } from '../../domain/pngFixtures.js';

const PAGE_HEIGHT = mm(297);
const PAGE_WIDTH = mm(210);
const RESULT = '经核实，李四同志取得的高级工程师职称真实有效。';
const URL_CHECKED = 'https://www.hunan.gov.cn/zcxx/zcfw/zscx/query?certNo=HN2015123000318&name=%E6%9D%8E%E5%9B%9B';
const EVIDENCE = { sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', mediaType: 'image/png' as const, bytes: 48213 };

const DETAILS: Record<VerificationMethod, MethodDetails> = {
  information_system: { method: 'information_system', informationSystem: { name: '湖南省职称信息查询系统', url: URL_CHECKED, evidence: EVIDENCE } },
  letter: { method: 'letter', letter: { number: '桂人社函〔2026〕88号', sentTo: '湖南省人力资源和社会保障厅', sentOn: '2026-10-08', repliedOn: '2026-11-02', evidence: { ...EVIDENCE, mediaType: 'application/pdf' } } },
  phone: { method: 'phone', phone: { organisation: '湖南省人力资源和社会保障厅', position: '科员', name: '王五', number: '0731-84900000', calledAt: '2026-11-20T10:30:00+08:00' } },
  other: { method: 'other', other: { description: '到原评审单位现场查阅评审档案，档案号 HN-GC-2015-0318，与证书一致' } },
};

function sampleRecord(overrides: Partial<VerificationRecord> = {}): VerificationRecord {
  return {
    seq: 7,
    id: 'vr_01JH8K3M2N4P5Q6R7S8T9V0W1X',
    orgCode: 'GX-HRSS',
    subject: { holderName: '李四', idNumber: '450103198501010026', titleName: '高级工程师', evaluatingBody: '湖南省工程技术高级职务评审委员会', acquiredOn: '2015-12-30' },
    details: DETAILS.phone,
    checkedAt: '2026-11-20T10:30:00+08:00',
    result: 'genuine',
    record: '电话核实，对方确认该同志于2015年12月取得高级工程师资格。',
    handler: { name: '赵六' },
    recordedOn: '2026-11-20',
    createdAt: '2026-11-20T02:35:00.000Z',
    writtenBy: 'tok_handler_1',
    prevHash: 'a'.repeat(64),
    hash: '3f2a9c0d5e6b7a8f9e0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6f7e8d9c0b1a2f',
    ...overrides,
  };
}

const documentOf = (overrides: Partial<VerificationRecord> = {}, more: Partial<VerificationRecordDocument> = {}): VerificationRecordDocument => ({
  record: sampleRecord(overrides),
  resultSentence: RESULT,
  ...more,
});

const fontSet = nodeFontSet();
let fonts: LoadedFonts;
let template: VerificationRecordTemplate;
let scratch: Scratch;

const render = (doc: VerificationRecordDocument): Promise<Uint8Array> => renderVerificationRecordPdf(doc, fontSet, template);
const textOf = async (doc: VerificationRecordDocument, name: string): Promise<string> => scratch.pdftotext(await scratch.write(name, await render(doc)));
const rasterOf = async (doc: VerificationRecordDocument, name: string): Promise<GreyImage> => scratch.rasterise(await scratch.write(name, await render(doc)), 100);
const texts = (marks: Mark[]): TextMark[] => marks.filter((m): m is TextMark => m.kind === 'text');
const withRole = (marks: Mark[], role: string): TextMark[] => texts(marks).filter((m) => m.role === role);

beforeAll(async () => {
  fonts = await fontSet.load();
  template = parseVerificationRecordTemplate(JSON.parse(await readFile(new URL('../../../templates/verification-record.json', import.meta.url), 'utf8')));
  scratch = await Scratch.create();
});

afterAll(async () => {
  await scratch?.remove();
});

describe('renderVerificationRecordPdf', () => {
  it('fills attachment 2 in Chinese: title, the certificate checked, method, record, result, handler and date', async () => {
    const text = await textOf(documentOf(), 'phone.pdf');
    for (const expected of ['附件2', '职称重新确认职称核实情况记录单', '持证人', '身份证号码', '资格名称', '评审机构', '取得时间', '核实方式', '核查记录', '核查结果', '经办人签名']) {
      expect(text).toContain(expected);
    }
    expect(text.replace(/\s+/g, '')).toContain('需核实职称证书情况');
    for (const expected of ['李四', '450103198501010026', '高级工程师', '湖南省工程技术高级职务评审委员会', '2015年12月30日']) expect(text).toContain(expected);
    for (const method of ['信息系统', '发函', '电话', '其他']) expect(text).toContain(method);
    expect(text).toContain(RESULT);
    expect(text).toContain('电话核实，对方确认该同志于2015年12月取得高级工程师资格。');
    expect(text).toMatch(/经办人签名：\s*赵六/);
    expect(text).toContain('2026年11月20日');
    // The note under attachment 2 asks for the time and the phone contact's unit, position and number.
    for (const expected of ['核查时间：2026年11月20日 10:30', '联系人单位：湖南省人力资源和社会保障厅', '联系人职务：科员', '联系人姓名：王五', '联系电话：0731-84900000', '通话时间：2026年11月20日 10:30']) {
      expect(text).toContain(expected);
    }
    expect(text).toContain(template.note.text);
    expect(text).toContain('记录编号：vr_01JH8K3M2N4P5Q6R7S8T9V0W1X');
    expect(text).toContain('3f2a9c0d5e6b7a8f');
    expect(text).not.toContain('3f2a9c0d5e6b7a8f9e0d');
  });

  it('prints each method’s details: the exact address and evidence hash, the letter, the other way', async () => {
    const system = await textOf(documentOf({ details: DETAILS.information_system }), 'system.pdf');
    expect(system).toContain('核查系统：湖南省职称信息查询系统');
    expect(system).toContain(URL_CHECKED);
    expect(system).toContain(EVIDENCE.sha256);
    expect(system).toContain('核查时间：2026年11月20日 10:30');

    const letter = await textOf(documentOf({ details: DETAILS.letter }), 'letter.pdf');
    for (const expected of ['函件编号：桂人社函〔2026〕88号', '发函对象：湖南省人力资源和社会保障厅', '发函日期：2026年10月8日', '回函日期：2026年11月2日', EVIDENCE.sha256]) {
      expect(letter).toContain(expected);
    }

    const other = await textOf(documentOf({ details: DETAILS.other, subject: { ...sampleRecord().subject, certificateNumber: 'HN-GC-2015-0318' } }), 'other.pdf');
    expect(other.replace(/\s+/g, '')).toContain('其他：到原评审单位现场查阅评审档案，档案号HN-GC-2015-0318，与证书一致');
    expect(other).toContain('原证书编号：HN-GC-2015-0318');
  });

  it('names the letter’s recipient 发函对象 (the record’s office is the sender, not the one written to)', async () => {
    const pages = layoutVerificationRecord(documentOf({ details: DETAILS.letter }), template, fonts);
    expect(withRole(pages.flat(), 'record:detail:letter.sentTo').map((m) => m.text).join('')).toBe('发函对象：湖南省人力资源和社会保障厅');
  });

  it('prints the evidence on the sheet, not only its hash: the screenshot scaled to fit, framed, its SHA-256 under it (四(三))', async () => {
    const images = async (pdf: Uint8Array, name: string): Promise<string[][]> => {
      const { stdout } = await promisify(execFile)('pdfimages', ['-list', await scratch.write(name, pdf)]);
      return stdout.split('\n').slice(2).filter((line) => line.trim() !== '').map((line) => line.trim().split(/\s+/));
    };
    const screenshot = buildPng(1600, 900);
    const doc = documentOf({ details: DETAILS.information_system }, { evidence: { bytes: screenshot, mediaType: 'image/png' } });
    const pdf = await render(doc);
    const listed = await images(pdf, 'screenshot.pdf');
    expect(listed).toHaveLength(1);
    expect(listed[0]!.slice(3, 5)).toEqual(['1600', '900']);
    const text = (await scratch.pdftotext(await scratch.write('screenshot.pdf', pdf))).replace(/\s+/g, '');
    expect(text).toContain('附：查询结果截图');
    expect(text).toContain(`校验码（SHA-256）：${EVIDENCE.sha256}`);
    // Without the file, as before: its hash only, no image.
    expect(await images(await render(documentOf({ details: DETAILS.information_system })), 'hash-only.pdf')).toEqual([]);

    // Scaled to the table's width, its aspect kept, inside the page.
    const pages = layoutVerificationRecord(doc, template, fonts, { kind: 'image', width: 1600, height: 900 });
    const drawn = pages.flat().find((m) => m.kind === 'photo');
    if (drawn?.kind !== 'photo') throw new Error('no image drawn');
    expect(drawn.width / drawn.height).toBeCloseTo(1600 / 900, 5);
    expect(drawn.x).toBeGreaterThanOrEqual(mm(template.table.leftMm));
    expect(drawn.x + drawn.width).toBeLessThanOrEqual(mm(template.table.rightMm));
    expect(drawn.height).toBeLessThanOrEqual(mm(template.evidence.maxHeightMm));
    expect(drawn.y).toBeGreaterThan(mm(297 - template.footer.bottomMm));
    const frame = pages.flat().find((m): m is RectMark => m.kind === 'rect' && m.role === 'evidence:frame')!;
    expect(drawn.x).toBeGreaterThan(frame.x);
    expect(drawn.y).toBeGreaterThan(frame.y);

    // A JPEG as it is; a PNG with transparency decoded (an image and its soft mask).
    const jpeg = await images(await render(documentOf({ details: DETAILS.information_system }, { evidence: { bytes: await fixture('photo.jpg'), mediaType: 'image/jpeg' } })), 'jpeg.pdf');
    expect(jpeg.map((row) => row[2])).toEqual(['image']);
    const rgba = concat(PNG_SIGNATURE, pngChunk('IHDR', [...be32(40), ...be32(30), 8, 6, 0, 0, 0]), pngChunk('IDAT', zlibStored(new Uint8Array(30 * (1 + 40 * 4)).fill(0x40))), pngChunk('IEND', []));
    const alpha = await images(await render(documentOf({ details: DETAILS.information_system }, { evidence: { bytes: rgba, mediaType: 'image/png' } })), 'rgba.pdf');
    expect(alpha.map((row) => [row[2], row[3], row[4]])).toEqual([['image', '40', '30'], ['smask', '40', '30']]);
    // One too large to decode here is named by its hash, never refused.
    const huge = concat(PNG_SIGNATURE, pngChunk('IHDR', [...be32(4000), ...be32(3200), 8, 6, 0, 0, 0]), pngChunk('IDAT', zlibStored(new Uint8Array(1))), pngChunk('IEND', []));
    const hugeText = (await textOf(documentOf({ details: DETAILS.information_system }, { evidence: { bytes: huge, mediaType: 'image/png' } }), 'huge.pdf')).replace(/\s+/g, '');
    expect(hugeText).toContain('附：查询结果截图（无法附印，请按校验码调阅原件）');
  });

  it('follows the sheet with a PDF reply scan’s pages, and says so; an unreadable one is named by its hash', async () => {
    const reply = await PDFDocument.create();
    reply.addPage([595, 842]);
    reply.addPage([595, 842]);
    const doc = documentOf({ details: DETAILS.letter }, { evidence: { bytes: await reply.save(), mediaType: 'application/pdf' } });
    const pdf = await render(doc);
    const sheetPages = layoutVerificationRecord(doc, template, fonts, { kind: 'pdf', pages: 2 }).length;
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(sheetPages + 2);
    const text = (await scratch.pdftotext(await scratch.write('reply.pdf', pdf))).replace(/\s+/g, '');
    expect(text).toContain('附：回函扫描件（PDF文件，共2页，附于本记录单之后）');
    expect(text).toContain(`校验码（SHA-256）：${EVIDENCE.sha256}`);

    const broken = documentOf({ details: DETAILS.letter }, { evidence: { bytes: new TextEncoder().encode('%PDF-1.4\nnot a pdf\n%%EOF\n'), mediaType: 'application/pdf' } });
    const unreadable = await render(broken);
    expect((await PDFDocument.load(unreadable)).getPageCount()).toBe(layoutVerificationRecord(broken, template, fonts, { kind: 'unprintable' }).length);
    expect((await scratch.pdftotext(await scratch.write('broken.pdf', unreadable))).replace(/\s+/g, '')).toContain('附：回函扫描件（无法附印，请按校验码调阅原件）');
  });

  it('prints a PDF reply’s pages as pictures only: its links, scripts and actions are not carried into the signed sheet', async () => {
    // A reply that would act when opened: a link, a page-open script, a document-open script, a named script.
    const reply = await PDFDocument.create({ updateMetadata: false });
    const font = await reply.embedFont(StandardFonts.Helvetica);
    const page = reply.addPage([595, 842]);
    page.drawText('REPLY GXLETTER88 CONFIRMED', { x: 60, y: 700, size: 18, font });
    const { context } = reply;
    const link = context.register(context.obj({ Type: 'Annot', Subtype: 'Link', Rect: [60, 690, 400, 720], Border: [0, 0, 0], A: { S: 'URI', URI: PDFString.of('https://evil.example/') } }));
    page.node.addAnnot(link);
    page.node.set(PDFName.of('AA'), context.obj({ O: { S: 'JavaScript', JS: PDFString.of('app.alert("page")') } }));
    reply.catalog.set(PDFName.of('OpenAction'), context.obj({ S: 'JavaScript', JS: PDFString.of('app.alert("open")') }));
    reply.addJavaScript('named', 'app.alert("named")');
    // A second page a scanner saved turned: /Rotate 90, shown turned on the sheet as in any viewer.
    const turned = reply.addPage([595, 842]);
    turned.drawText('TURNED GXPAGE2', { x: 60, y: 700, size: 18, font });
    turned.setRotation(degrees(90));
    const replyBytes = await reply.save({ useObjectStreams: false });
    const replyPath = await scratch.write('acting-reply-in.pdf', replyBytes);
    const qdf = async (path: string): Promise<string> => {
      // Every object, referenced or not, written out uncompressed.
      const out = `${path}.qdf`;
      await promisify(execFile)('qpdf', ['--qdf', '--object-streams=disable', '--preserve-unreferenced', path, out]);
      return (await readFile(out)).toString('latin1');
    };
    expect(await qdf(replyPath)).toMatch(/\/Annots[\s\S]*\/JavaScript/); // the fixture does act

    const doc = documentOf({ details: DETAILS.letter }, { evidence: { bytes: replyBytes, mediaType: 'application/pdf' } });
    const pdf = await render(doc);
    const path = await scratch.write('acting-reply.pdf', pdf);
    const sheetPages = layoutVerificationRecord(doc, template, fonts, { kind: 'pdf', pages: 2 }).length;
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(sheetPages + 2);
    const all = await qdf(path);
    for (const key of ['/Annots', '/Annot', '/Link', '/URI', '/JavaScript', '/JS', '/AA', '/OpenAction', '/Names']) expect(all, key).not.toMatch(new RegExp(`${key}(?![A-Za-z])`));
    expect(all).not.toContain('evil.example');
    expect(all).not.toContain('app.alert');
    // The reply is still there to read, on the pages after the sheet.
    const text = (await scratch.pdftotext(path)).replace(/\s+/g, '');
    expect(text).toContain('附：回函扫描件（PDF文件，共2页，附于本记录单之后）');
    expect(await scratch.pdftotext(path, '-f', String(sheetPages + 1), '-l', String(sheetPages + 1))).toContain('REPLY GXLETTER88 CONFIRMED');
    // The turned page reads as it did in the reply: its words run the same way (taller than wide, here).
    const wordBox = async (file: string, pageNo: number, word: string): Promise<{ width: number; height: number }> => {
      const html = await scratch.pdftotext(file, '-bbox', '-f', String(pageNo), '-l', String(pageNo));
      const m = new RegExp(`xMin="([\\d.]+)" yMin="([\\d.]+)" xMax="([\\d.]+)" yMax="([\\d.]+)">${word}<`).exec(html);
      if (!m) throw new Error(`${word} not on page ${pageNo}`);
      return { width: Number(m[3]) - Number(m[1]), height: Number(m[4]) - Number(m[2]) };
    };
    const before = await wordBox(replyPath, 2, 'GXPAGE2');
    const after = await wordBox(path, sheetPages + 2, 'GXPAGE2');
    expect(before.height).toBeGreaterThan(before.width);
    expect(after.height).toBeGreaterThan(after.width);

    // Prepared for the service's signature: its widget is then the sheet's one annotation, and nothing acts.
    const signing = { name: '广西职称服务', reason: '核实记录单', location: '南宁', signedAt: new Date('2026-11-20T02:35:00.000Z') };
    const signed = await qdf(await scratch.write('acting-reply-signed.pdf', await renderVerificationRecordPdf(doc, fontSet, template, signing)));
    expect(signed.match(/\/Annots(?![A-Za-z])/g)).toHaveLength(1);
    expect(signed).toContain('/FT /Sig');
    expect(signed.match(/\/Subtype \/Link|\/JavaScript|\/OpenAction|\/AA(?![A-Za-z])/g)).toBeNull();
  });

  it('prints the sheet, with the reply named by its hash, when a reply loads but its page tree is broken — never a refusal', async () => {
    // A page whose /Parent is a number: the file loads and counts one page, but the page cannot be read.
    const objects = [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 5 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
      '<< /Length 0 >>\nstream\n\nendstream',
      '42',
    ];
    let file = '%PDF-1.4\n';
    const offsets = objects.map((object, i) => {
      const at = file.length;
      file += `${i + 1} 0 obj\n${object}\nendobj\n`;
      return at;
    });
    const xref = file.length;
    file += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
    file += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    const bytes = new TextEncoder().encode(file);
    expect((await PDFDocument.load(bytes, { updateMetadata: false })).getPageCount()).toBe(1); // it does load

    const doc = documentOf({ details: DETAILS.letter }, { evidence: { bytes, mediaType: 'application/pdf' } });
    const pdf = await render(doc);
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(layoutVerificationRecord(doc, template, fonts, { kind: 'unprintable' }).length);
    const text = (await scratch.pdftotext(await scratch.write('broken-tree.pdf', pdf))).replace(/\s+/g, '');
    expect(text).toContain('附：回函扫描件（无法附印，请按校验码调阅原件）');
    expect(text).toContain(`校验码（SHA-256）：${EVIDENCE.sha256}`);
  });

  it('says in the footer what this record corrects, and that a later one replaced it', async () => {
    const doc = documentOf(
      { supersedes: { id: 'vr_01JH8K3M2N4P5Q6R7S8T9V0W0A', reason: '原记录联系电话填写错误' } },
      { supersededBy: { id: 'vr_01JH9A0B1C2D3E4F5G6H7J8K9M', createdAt: '2026-11-21T17:00:00.000Z' } },
    );
    const text = await textOf(doc, 'superseded.pdf');
    expect(text).toContain('更正记录：取代 vr_01JH8K3M2N4P5Q6R7S8T9V0W0A，原因：原记录联系电话填写错误');
    // The date is China's: 17:00 UTC is already the 22nd in Guangxi.
    expect(text).toContain('本记录已被 vr_01JH9A0B1C2D3E4F5G6H7J8K9M 取代（2026年11月22日）');
  });

  it('writes times of instants in China time: a check at 23:30 UTC was 07:30 the next morning', async () => {
    const late = '2026-11-20T23:30:00.000Z';
    const phone = { organisation: '湖南省人力资源和社会保障厅', position: '科员', name: '王五', number: '0731-84900000', calledAt: late };
    const text = await textOf(documentOf({ checkedAt: late, details: { method: 'phone', phone } }), 'late.pdf');
    expect(text).toContain('核查时间：2026年11月21日 07:30');
    expect(text).toContain('通话时间：2026年11月21日 07:30');
    expect(text).not.toContain('2026年11月20日 23:30');
  });

  it.each(VERIFICATION_METHODS)('prints no word a clerk would not understand (%s)', async (method) => {
    const text = await textOf(documentOf({ details: DETAILS[method] }), `words-${method}.pdf`);
    // Check codes are named in words, not by their algorithm; methods and results in Chinese; no instants.
    if (method === 'information_system' || method === 'letter') expect(text).toMatch(/(查询结果截图|回函扫描件)校验码：\s*9f86d081/);
    expect(text).toMatch(/防篡改校验码：\s*3f2a9c0d5e6b7a8f/);
    for (const word of ['SHA-256', 'SHA256', '哈希', 'hash', 'information_system', 'phone', 'letter', 'other', 'genuine', 'checkedAt', 'recordedOn', 'evidence']) {
      expect(text, word).not.toContain(word);
    }
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  });

  it('on the demo keys says 演示记录单 DEMO on every page; a real record says nothing of the kind', async () => {
    // A record long enough for two pages.
    const long = documentOf({ record: '电话核实，对方确认该同志于2015年12月取得高级工程师资格。'.repeat(60) }, { demo: true });
    const pages = layoutVerificationRecord(long, template, fonts);
    expect(pages.length).toBeGreaterThan(1);
    const path = await scratch.write('demo.pdf', await render(long));
    const text = (await scratch.pdftotext(path)).replace(/\s+/g, '');
    expect(text.match(/演示记录单DEMO—演示系统生成，不具法律效力/g)?.length).toBe(pages.length);
    // The watermark is rotated: -raw reads it as one run.
    expect((await scratch.pdftotext(path, '-raw')).replace(/\s+/g, '').match(/演示DEMO/g)?.length).toBe(pages.length);
    const real = (await textOf(documentOf(), 'real.pdf')).replace(/\s+/g, '');
    for (const word of ['演示', 'DEMO', '不具法律效力']) expect(real).not.toContain(word);
  });

  it('really draws the holder’s name and the result sentence — checked with no system fonts for poppler to substitute', async () => {
    const name = '吉𠮷祥';
    const doc = documentOf({ subject: { ...sampleRecord().subject, holderName: name } });
    const inked = await rasterOf(doc, 'glyphs.pdf');
    const blank = await rasterOf(documentOf({ subject: { ...sampleRecord().subject, holderName: '' } }, { resultSentence: '' }), 'blank.pdf');
    const [page] = layoutVerificationRecord(doc, template, fonts);
    for (const [role, expected] of [['subject:holderName', name], ['result', RESULT]] as const) {
      const [mark, ...more] = withRole(page!, role);
      expect(more).toEqual([]);
      expect(mark?.text).toBe(expected);
      let x = mark!.x;
      for (const char of expected) {
        const width = fonts.widthOf(char, mark!.size);
        const box = { left: x, right: x + width, bottom: mark!.y - 0.12 * mark!.size, top: mark!.y + 0.88 * mark!.size };
        x += width;
        if (/[，。]/u.test(char)) continue; // punctuation is a few pixels only
        // A 12 pt ideograph at 100 dpi is ~17 px square; any real glyph has dozens of dark pixels.
        expect(darkPixels(inked, box, PAGE_HEIGHT), `${role} glyph ${char}`).toBeGreaterThanOrEqual(15);
        expect(darkPixels(blank, box, PAGE_HEIGHT), `${role} blank where ${char} would be`).toBe(0);
      }
    }
  });

  it.each(VERIFICATION_METHODS)('ticks the %s box and leaves the other three empty', async (method) => {
    const doc = documentOf({ details: DETAILS[method] });
    const [page, ...more] = layoutVerificationRecord(doc, template, fonts);
    expect(more).toEqual([]);
    const boxes = page!.filter((m): m is RectMark => m.kind === 'rect' && (m.role ?? '').startsWith('method:box:'));
    expect(boxes.map((box) => box.role)).toEqual(VERIFICATION_METHODS.map((m) => `method:box:${m}`));
    const ticks = page!.filter((m): m is LineMark => m.kind === 'line' && (m.role ?? '').startsWith('method:tick:'));
    expect(ticks.length).toBeGreaterThan(0);
    const chosen = boxes.find((box) => box.role === `method:box:${method}`)!;
    for (const tick of ticks) {
      expect(tick.role).toBe(`method:tick:${method}`);
      for (const [x, y] of [[tick.x1, tick.y1], [tick.x2, tick.y2]] as const) {
        expect(x).toBeGreaterThan(chosen.x);
        expect(x).toBeLessThan(chosen.x + chosen.width);
        expect(y).toBeGreaterThan(chosen.y);
        expect(y).toBeLessThan(chosen.y + chosen.height);
      }
    }
    // Each box sits just left of its method's name.
    for (const box of boxes) {
      const m = box.role!.slice('method:box:'.length);
      const [label] = withRole(page!, `method:${m}`);
      expect(label!.x - (box.x + box.width)).toBeGreaterThan(0);
      expect(label!.x - (box.x + box.width)).toBeLessThan(mm(3));
    }

    // On paper: ink inside the chosen box only (the box's own border left out).
    const raster = await rasterOf(doc, `tick-${method}.pdf`);
    for (const box of boxes) {
      const inset = 2;
      const inside = { left: box.x + inset, right: box.x + box.width - inset, bottom: box.y + inset, top: box.y + box.height - inset };
      const ink = darkPixels(raster, inside, PAGE_HEIGHT);
      if (box === chosen) expect(ink, box.role).toBeGreaterThanOrEqual(8);
      else expect(ink, box.role).toBe(0);
    }
  });

  it('prints ☑ and □ as text when the fonts have them', () => {
    // Fonts that claim every character: the layout then sets the boxes as glyphs, not as shapes.
    const complete = new Proxy(fonts, {
      get: (target, property) => {
        if (property === 'undrawable') return () => [];
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const [page] = layoutVerificationRecord(documentOf({ details: DETAILS.letter }), template, complete);
    expect(page!.some((m) => (m.kind === 'rect' || m.kind === 'line') && (m.role ?? '').startsWith('method:'))).toBe(false);
    expect(VERIFICATION_METHODS.map((m) => withRole(page!, `method:${m}`)[0]?.text)).toEqual(['□信息系统', '☑发函', '□电话', '□其他：']);
  });

  it('wraps a record of a few hundred characters inside its cell, on one page', async () => {
    const sentence = '经查询湖南省职称信息查询系统并电话联系原评审委员会办事机构，确认该同志2015年12月经湖南省工程技术高级职务评审委员会评审通过，取得高级工程师资格（证书编号HN-GC-2015-0318）。';
    const long = Array.from({ length: 6 }, () => sentence).join('\n');
    const doc = documentOf({ record: long });
    const pages = layoutVerificationRecord(doc, template, fonts);
    expect(pages).toHaveLength(1);
    const lines = withRole(pages[0]!, 'record:text');
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.map((line) => line.text).join('')).toBe(long.replace(/\n/g, ''));
    expectInside(pages);
    const text = await textOf(doc, 'long.pdf');
    for (const line of lines) expect(text).toContain(line.text);
    expect(text).toContain(RESULT);
  });

  it('continues a record too long for one page on a second page instead of clipping it', async () => {
    const sentence = '电话核实，对方确认该同志于2015年12月取得高级工程师资格，评审程序符合当时政策规定。';
    const long = sentence.repeat(40);
    const doc = documentOf({ record: long });
    const pages = layoutVerificationRecord(doc, template, fonts);
    expect(pages).toHaveLength(2);
    expect(pages.flatMap((page) => withRole(page, 'record:text')).map((line) => line.text).join('')).toBe(long);
    // The second page carries the rest under 核查记录（续）, then the result, the signature and the note.
    for (const role of ['result', 'handler:name', 'handler:date', 'note']) expect(withRole(pages[1]!, role).length, role).toBeGreaterThan(0);
    expect(texts(pages[1]!).map((m) => m.text).join('')).toContain('核查记录（续）');
    expectInside(pages);

    // However long, nothing is lost: a record of several pages keeps every line inside its page.
    const longer = sentence.repeat(150);
    const many = layoutVerificationRecord(documentOf({ record: longer }), template, fonts);
    expect(many.length).toBeGreaterThanOrEqual(3);
    expect(many.flatMap((page) => withRole(page, 'record:text')).map((line) => line.text).join('')).toBe(longer);
    expectInside(many);

    const pdf = await render(doc);
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(2);
    const text = await scratch.pdftotext(await scratch.write('two-pages.pdf', pdf));
    expect(text).toContain('第 1 页 共 2 页'.replace(/ /g, ''));
    expect(text).toContain(RESULT);
  });

  it('renders the same record to the same bytes, with its metadata', async () => {
    const first = await render(documentOf());
    expect(await render(documentOf())).toEqual(first);
    const pdf = await PDFDocument.load(first, { updateMetadata: false });
    expect(pdf.getTitle()).toBe('职称重新确认职称核实情况记录单 vr_01JH8K3M2N4P5Q6R7S8T9V0W1X');
    expect(pdf.getAuthor()).toBe('赵六');
    expect(pdf.getCreationDate()?.toISOString()).toBe('2026-11-20T02:35:00.000Z');
    expect(first.length).toBeLessThan(80 * 1024);
  });

  it('refuses a value no font can draw, naming the field and the character', async () => {
    const error = await render(documentOf({ handler: { name: '赵\u{E000}' } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'undrawable_character', field: 'handler.name', details: { codePoints: ['U+E000'] } });
  });

  it('renders in a few tens of milliseconds with the fonts parsed once', async () => {
    const doc = documentOf({ record: '电话核实，对方确认该同志于2015年12月取得高级工程师资格。'.repeat(8) });
    await render(doc);
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const start = performance.now();
      await render(doc);
      times.push(performance.now() - start);
    }
    const median = times.sort((a, b) => a - b)[10]!;
    console.info(`verification record PDF: median ${median.toFixed(1)} ms over 20 renders`);
    // A generous bound: a font re-parsed per document would cost several times this.
    expect(median).toBeLessThan(250);
  });
});

describe('parseVerificationRecordTemplate', () => {
  it('names what is wrong with a broken template', async () => {
    const json = JSON.parse(await readFile(new URL('../../../templates/verification-record.json', import.meta.url), 'utf8')) as Record<string, Record<string, unknown>>;
    const broken = structuredClone(json);
    broken.subject!.rows = (broken.subject!.rows as unknown[]).slice(1);
    broken.footer!.supersedes = '更正记录：原因：{reason}';
    broken.method!.lines = [['information_system', 'letter', 'phone']];
    expect(() => parseVerificationRecordTemplate(broken)).toThrow(/subject\.rows.*footer\.supersedes: must contain \{id\}|footer\.supersedes.*subject\.rows/);
    expect(() => parseVerificationRecordTemplate(broken)).toThrow(/method\.lines: every method has exactly one box/);
  });
});

/** Every text mark lies on its page, clear of the footer, and every table text inside the table. */
function expectInside(pages: Mark[][]): void {
  const left = mm(template.table.leftMm);
  const right = mm(template.table.rightMm);
  expectOnPages(pages, fonts, { left: 0, right: PAGE_WIDTH, pageHeight: PAGE_HEIGHT }, (page) => {
    for (const mark of texts(page)) {
      if (!(mark.role?.startsWith('record:') || mark.role?.startsWith('subject:') || mark.role === 'result')) continue;
      const width = fonts.widthOf(mark.text, mark.size);
      expect(mark.x, mark.text).toBeGreaterThan(left);
      expect(mark.x + width, mark.text).toBeLessThan(right);
    }
  });
}
