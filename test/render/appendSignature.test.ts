/**
 * Issue 16 item 3 groundwork: several PAdES signatures on one PDF, each an incremental update. Three
 * organisations sign a three-page PDF in turn with three keys under one test root; poppler's pdfsig — which
 * knows nothing of us — lists all three as valid with the organisations as signers, only the last covering
 * the whole file; qpdf --check passes; pdftotext still reads the pages; the bytes before the first update
 * are the input's, byte for byte; one byte changed in an earlier signed range breaks that signature alone.
 * The same onto an approval form that already carries the service's signature (the existing code path).
 */
import { PDFDict, PDFDocument, PDFName, StandardFonts } from '@cantoo/pdf-lib';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CmsSigner } from '../../src/crypto/cms.js';
import { createAuthorityCertificate } from '../../src/crypto/createAuthorityCertificate.js';
import { createRootCa } from '../../src/crypto/createRootCa.js';
import { loadTrustStore } from '../../src/crypto/trustStore.js';
import { layoutApprovalForm } from '../../src/render/approvalForm/layout.js';
import { parseApprovalFormTemplate, renderApprovalFormPdf, type ApprovalFormDocument } from '../../src/render/approvalForm/pdf.js';
import type { LoadedFonts } from '../../src/render/fonts.js';
import type { RectMark, TextMark } from '../../src/render/lib/marks.js';
import { sealApprovalForm, sealPlaces } from '../../src/render/approvalForm/seals.js';
import { appendSignature, type AppendedSignature } from '../../src/render/sign.js';
import { signedPdf } from '../../src/services/pdfSigning.js';
import { darkPixels, Scratch } from './pdfTools.js';
import { nodeFontSet } from './sampleCertificate.js';

const run = promisify(execFile);
const ORGANISATIONS = ['广西交通投资集团有限公司', '广西壮族自治区交通运输厅', '广西壮族自治区职称改革工作领导小组办公室'] as const;
const SIGNED_AT = [new Date('2026-10-12T02:00:00Z'), new Date('2026-10-20T03:30:00Z'), new Date('2026-11-28T08:15:00Z')];

let scratch: Scratch;
let fonts: LoadedFonts;
let signers: CmsSigner[];
let plain: Uint8Array;
let signed: Uint8Array[]; // after 1, 2, 3 signatures

interface PdfsigEntry {
  field: string;
  signer: string;
  ranges: string;
  total: boolean;
  validation: string;
}

/** pdfsig's report, one entry per signature (pdfsig exits 0 whatever it finds, so its words are read). */
async function pdfsig(bytes: Uint8Array, name: string): Promise<{ text: string; entries: PdfsigEntry[] }> {
  const path = await scratch.write(name, bytes);
  const { stdout } = await run('pdfsig', [path]);
  const entries = stdout
    .split(/^Signature #\d+:$/m)
    .slice(1)
    .map((block) => ({
      field: /Signature Field Name: (.*)/.exec(block)?.[1] ?? '',
      signer: /Signer Certificate Common Name: (.*)/.exec(block)?.[1] ?? '',
      ranges: /Signed Ranges: (.*)/.exec(block)?.[1] ?? '',
      total: block.includes('Total document signed'),
      validation: /Signature Validation: (.*)/.exec(block)?.[1] ?? '',
    }));
  return { text: stdout, entries };
}

const qpdfCheck = async (bytes: Uint8Array, name: string) => (await run('qpdf', ['--check', await scratch.write(name, bytes)])).stdout;

/** The end of a signature's second signed range: the file as it was when that signature was made. */
function revisionEnds(pdf: Uint8Array): number[] {
  return [...new TextDecoder('latin1').decode(pdf).matchAll(/\/ByteRange \[0 (\d+) (\d+) (\d+)/g)].map((m) => Number(m[2]) + Number(m[3]));
}

function seal(i: number, overrides: Partial<AppendedSignature> = {}): AppendedSignature {
  return {
    pageIndex: i,
    rect: [380, 80, 480, 180],
    fieldName: `seal-${i + 1}`,
    name: ORGANISATIONS[i]!,
    reason: '审核意见',
    location: '南宁',
    signedAt: SIGNED_AT[i]!,
    signer: signers[i]!,
    fonts,
    lock: i === 2,
    ...overrides,
  };
}

async function threePages(useObjectStreams: boolean): Promise<Uint8Array> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  const helvetica = await pdf.embedFont(StandardFonts.Helvetica);
  for (const words of ['First page of the form', 'Second page of the form', 'Third page of the form']) {
    pdf.addPage([595, 842]).drawText(words, { x: 72, y: 760, size: 14, font: helvetica });
  }
  return pdf.save({ useObjectStreams });
}

async function signThree(input: Uint8Array, label: string): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  let pdf = input;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    pdf = await appendSignature(pdf, seal(i));
    console.log(`${label}: signature ${i + 1} appended in ${(performance.now() - started).toFixed(1)} ms (${pdf.length} bytes)`);
    out.push(pdf);
  }
  return out;
}

beforeAll(async () => {
  scratch = await Scratch.create();
  fonts = await nodeFontSet().load();
  const root = await createRootCa({ commonName: '测试根证书 Test Root', validYears: 30 });
  const issued = await Promise.all(ORGANISATIONS.map((name, i) => createAuthorityCertificate({ root, code: `ORG${i + 1}`, name, levels: ['junior'], validYears: 5 })));
  const store = await loadTrustStore({ root: { certPem: root.certPem }, authorities: issued }, { production: false });
  signers = issued.map((k) => {
    const key = store.findByKid(k.kid)!;
    return { privateKey: key.privateKey!, x5c: key.x5c };
  });
  plain = await threePages(true);
  signed = await signThree(plain, 'three pages, xref stream');
}, 60_000);
afterAll(() => scratch?.remove());

describe('appendSignature: three organisations, three incremental updates', () => {
  it('pdfsig lists three valid signatures, signers = the organisations, only the last over the whole file', async () => {
    const { text, entries } = await pdfsig(signed[2]!, 'three.pdf');
    console.log(text);
    expect(entries.map((e) => e.signer)).toEqual([...ORGANISATIONS]);
    expect(entries.map((e) => e.field)).toEqual(['seal-1', 'seal-2', 'seal-3']);
    expect(entries.map((e) => e.validation)).toEqual(['Signature is Valid.', 'Signature is Valid.', 'Signature is Valid.']);
    expect(entries.map((e) => e.total)).toEqual([false, false, true]);
  });

  it('each revision is the one before it, byte for byte, and the first is the input', () => {
    const ends = revisionEnds(signed[2]!);
    expect(ends).toEqual([signed[0]!.length, signed[1]!.length, signed[2]!.length]);
    expect(Buffer.from(signed[2]!.subarray(0, plain.length)).equals(Buffer.from(plain))).toBe(true);
    expect(Buffer.from(signed[2]!.subarray(0, ends[1]!)).equals(Buffer.from(signed[1]!))).toBe(true);
    // The update is small: new objects only, never the pages again.
    for (let i = 1; i < 3; i++) expect(signed[i]!.length - signed[i - 1]!.length).toBeLessThan(30_000);
  });

  it('qpdf --check passes and pdftotext still reads every page', async () => {
    expect(await qpdfCheck(signed[2]!, 'three-qpdf.pdf')).toContain('No syntax or stream encoding errors found');
    const text = await scratch.pdftotext(await scratch.write('three-text.pdf', signed[2]!));
    for (const words of ['First page of the form', 'Second page of the form', 'Third page of the form']) expect(text).toContain(words);
  });

  it('the fields are in the AcroForm (SigFlags 3), each widget on its page, and only the last locks the document', async () => {
    const pdf = await PDFDocument.load(signed[2]!);
    const form = pdf.catalog.lookup(PDFName.of('AcroForm'), PDFDict);
    expect(form.get(PDFName.of('SigFlags'))?.toString()).toBe('3');
    const widgets = form.lookup(PDFName.of('Fields')) as unknown as { size(): number; lookup(i: number, t: typeof PDFDict): PDFDict };
    expect(widgets.size()).toBe(3);
    const locks = [0, 1, 2].map((i) => widgets.lookup(i, PDFDict).get(PDFName.of('Lock'))?.toString() ?? '');
    expect(locks.slice(0, 2)).toEqual(['', '']);
    expect(locks[2]).toMatch(/\/Type \/SigFieldLock[\s\S]*\/Action \/All[\s\S]*\/P 1/);
    pdf.getPages().forEach((page, i) => expect(page.node.Annots()?.size(), `page ${i + 1}`).toBe(1));
    expect(new TextDecoder('latin1').decode(signed[2]!)).toMatch(/\/TransformMethod \/FieldMDP[\s\S]*\/Action \/All \/P 1/);
  });

  it('one byte changed inside an earlier signed range breaks that signature and every one after it', async () => {
    const copy = signed[2]!.slice();
    // Inside revision 2 (signed by 2 and 3), past revision 1's end: signature 1 still hashes the same.
    const at = signed[0]!.length + 100;
    copy[at] = copy[at]! ^ 0x01;
    const { entries } = await pdfsig(copy, 'tampered.pdf');
    expect(entries.map((e) => e.validation)).toEqual(['Signature is Valid.', 'Digest Mismatch.', 'Digest Mismatch.']);
    const first = signed[2]!.slice();
    first[200] = first[200]! ^ 0x01;
    expect((await pdfsig(first, 'tampered-first.pdf')).entries.every((e) => e.validation !== 'Signature is Valid.')).toBe(true);
  });

  it('each seal is visible: its ring and the organisation drawn over the widget, from the fonts embedded in the update', async () => {
    const box = { left: 380, bottom: 80, right: 480, top: 180 };
    const inside = { left: 400, bottom: 100, right: 460, top: 160 }; // within the ring: only the text
    const before = await scratch.rasterise(await scratch.write('plain.pdf', plain), 150);
    const after = await scratch.rasterise(await scratch.write('seal-1.pdf', signed[0]!), 150);
    expect(darkPixels(before, box, 842)).toBe(0);
    expect(darkPixels(after, box, 842)).toBeGreaterThan(1000);
    // An empty fontconfig: the text's glyphs can only come from the subset the update embedded.
    expect(darkPixels(after, inside, 842)).toBeGreaterThan(100);
    const fonts = await scratch.pdffonts(await scratch.write('seal-fonts.pdf', signed[2]!));
    expect(fonts.filter((f) => /^[A-Z]{6}\+NotoSerifSC/.test(f.name)).map((f) => [f.emb, f.sub, f.uni])).toEqual(Array(3).fill(['yes', 'yes', 'yes']));
  });

  it('a name with a character only the fallback face has (𠮷) is drawn from a subset of each face', async () => {
    const out = await appendSignature(plain, seal(0, { name: '南宁市𠮷祥建设有限公司' }));
    const embedded = await scratch.pdffonts(await scratch.write('fallback.pdf', out));
    expect(embedded.filter((f) => /^[A-Z]{6}\+/.test(f.name)).map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual([fonts.postscriptName('fallback'), fonts.postscriptName('primary')].sort());
    expect((await pdfsig(out, 'fallback-sig.pdf')).entries.map((e) => e.validation)).toEqual(['Signature is Valid.']);
  });

  it('a PDF with a classic cross-reference table gets classic-table updates, and they are valid too', async () => {
    const classic = await threePages(false);
    expect(new TextDecoder('latin1').decode(classic)).toMatch(/\nxref\n/);
    const out = await signThree(classic, 'three pages, classic xref table');
    const last = out[2]!;
    expect(new TextDecoder('latin1').decode(last.subarray(out[1]!.length))).toMatch(/\nxref\n[\s\S]*\/Prev \d+/);
    const { entries } = await pdfsig(last, 'classic.pdf');
    expect(entries.map((e) => e.validation)).toEqual(['Signature is Valid.', 'Signature is Valid.', 'Signature is Valid.']);
    expect(entries.map((e) => e.total)).toEqual([false, false, true]);
    expect(await qpdfCheck(last, 'classic-qpdf.pdf')).toContain('No syntax or stream encoding errors found');
  });

  it('an AcroForm that keeps /Fields as an indirect array: the array gains the field and stays where it is', async () => {
    const pdf = await PDFDocument.load(plain, { updateMetadata: false });
    const fieldsRef = pdf.context.register(pdf.context.obj([]));
    pdf.catalog.set(PDFName.of('AcroForm'), pdf.context.register(pdf.context.obj({ Fields: fieldsRef })));
    const input = await pdf.save({ useObjectStreams: true });
    const out = await appendSignature(input, seal(0));
    const reread = await PDFDocument.load(out);
    const form = reread.catalog.lookup(PDFName.of('AcroForm'), PDFDict);
    expect(form.get(PDFName.of('Fields'))?.toString()).toBe(fieldsRef.toString());
    expect((form.lookup(PDFName.of('Fields')) as unknown as { size(): number }).size()).toBe(1);
    expect((await pdfsig(out, 'indirect-fields.pdf')).entries.map((e) => [e.field, e.validation, e.total])).toEqual([['seal-1', 'Signature is Valid.', true]]);
  });

  it('refuses to add anything after the locking signature: a fourth seal is refused', async () => {
    await expect(appendSignature(signed[2]!, seal(0, { fieldName: 'seal-4' }))).rejects.toThrow(/locked by its signature seal-3/);
    // Before the lock, a fourth is fine.
    await expect(appendSignature(signed[1]!, seal(0, { fieldName: 'seal-4' }))).resolves.toBeInstanceOf(Uint8Array);
  });

  it('pdfsig does not enforce the lock: a change appended anyway leaves seal-3 "valid" but no longer total', async () => {
    // What poppler 22.12 shows of FieldMDP: nothing of the lock itself; a later update only turns the last
    // signature's "Total document signed" into "Not total document signed" (Acrobat would flag the change).
    const pdf = await PDFDocument.load(signed[2]!, { forIncrementalUpdate: true, updateMetadata: false });
    pdf.getPage(0).drawText('added after the lock', { x: 72, y: 700, size: 12 });
    const { entries } = await pdfsig(await pdf.save({ useObjectStreams: true }), 'after-lock.pdf');
    expect(entries.map((e) => e.validation)).toEqual(['Signature is Valid.', 'Signature is Valid.', 'Signature is Valid.']);
    expect(entries.map((e) => e.total)).toEqual([false, false, false]);
  });

  it('refuses a second field of the same name and a page the PDF does not have', async () => {
    await expect(appendSignature(signed[0]!, seal(1, { fieldName: 'seal-1' }))).rejects.toThrow(/already has a field named seal-1/);
    await expect(appendSignature(plain, seal(0, { pageIndex: 7 }))).rejects.toThrow(/no page 8/);
  });
});

describe('sealing an approval form the service already signed (render/approvalForm/seals)', () => {
  it('the service signature and three seals over their 公章 lines all stay valid, the last one locks', async () => {
    const template = parseApprovalFormTemplate(JSON.parse(await readFile(new URL('../../templates/approval-form.json', import.meta.url), 'utf8')));
    const doc = approvalForm();
    const fontSet = nodeFontSet();
    const form = await signedPdf((sig) => renderApprovalFormPdf(doc, fontSet, template, sig), { name: '职称电子证书服务', ...signers[0]! }, { reason: '审批表', location: '南宁', signedAt: SIGNED_AT[2]! });
    const pages = layoutApprovalForm(doc, template, fonts, undefined);
    const seals = (['unit', 'department', 'authority'] as const).map((box, i) => ({ box, index: 0, signer: signers[i]!, signedAt: SIGNED_AT[i]!, reason: '审核意见', location: '南宁' }));
    const started = performance.now();
    const sealed = await sealApprovalForm(form, doc, fontSet, template, seals, { lockLast: true });
    console.log(`approval form (${pages.length} pages, ${form.length} bytes): three seals appended in ${(performance.now() - started).toFixed(1)} ms, ${sealed.length - form.length} bytes added`);
    const { text, entries } = await pdfsig(sealed, 'form-sealed.pdf');
    console.log(text);
    expect(entries.map((e) => e.field)).toEqual(['Signature1', 'seal-unit-1', 'seal-department-1', 'seal-authority-1']);
    expect(entries.map((e) => e.signer).slice(1)).toEqual([...ORGANISATIONS]);
    expect(entries.map((e) => e.validation)).toEqual(Array(4).fill('Signature is Valid.'));
    expect(entries.map((e) => e.total)).toEqual([false, false, false, true]);
    expect(Buffer.from(sealed.subarray(0, form.length)).equals(Buffer.from(form))).toBe(true);
    expect(await qpdfCheck(sealed, 'form-qpdf.pdf')).toContain('No syntax or stream encoding errors found');
    expect(await scratch.pdftotext(await scratch.write('form-text.pdf', sealed))).toContain('经核实，情况属实，同意上报。');
    await expect(appendSignature(sealed, seal(0, { fieldName: 'late' }))).rejects.toThrow(/locked by its signature seal-authority-1/);
  });

  it('each seal place lies on its organisation’s name and inside its own block', async () => {
    const template = parseApprovalFormTemplate(JSON.parse(await readFile(new URL('../../templates/approval-form.json', import.meta.url), 'utf8')));
    const pages = layoutApprovalForm(approvalForm(), template, fonts, undefined);
    const places = sealPlaces(pages, fonts);
    expect(places.map((p) => [p.box, p.index, p.organisation])).toEqual([
      ['unit', 0, ORGANISATIONS[0]],
      ['department', 0, ORGANISATIONS[1]],
      ['authority', 0, ORGANISATIONS[2]],
    ]);
    for (const place of places) {
      const [left, bottom, right, top] = place.rect;
      const marks = pages[place.pageIndex]!;
      const name = marks.find((m): m is TextMark => m.kind === 'text' && m.role === `opinion:${place.box}:${place.index}:organisation`)!;
      const cell = marks.find((m): m is RectMark => m.kind === 'rect' && m.role === `opinion:${place.box}:${place.index}`)!;
      expect(left).toBeGreaterThanOrEqual(cell.x);
      expect(right).toBeLessThanOrEqual(cell.x + cell.width);
      expect(bottom).toBeGreaterThanOrEqual(cell.y);
      expect(top).toBeLessThanOrEqual(cell.y + cell.height);
      expect(name.y).toBeGreaterThan(bottom);
      expect(name.y).toBeLessThan(top);
      expect(right).toBeGreaterThan(name.x);
    }
  });

  it('refuses to seal an opinion the form does not print', async () => {
    const template = parseApprovalFormTemplate(JSON.parse(await readFile(new URL('../../templates/approval-form.json', import.meta.url), 'utf8')));
    const seal = { box: 'titleOffice' as const, index: 0, signer: signers[0]!, signedAt: SIGNED_AT[0]!, reason: '审核意见', location: '南宁' };
    await expect(sealApprovalForm(plain, approvalForm(), nodeFontSet(), template, [seal], { lockLast: false })).rejects.toThrow(/no opinion titleOffice\[0\]/);
  });
});

/** A small approval form: two pledges and three opinions, no photo. */
function approvalForm(): ApprovalFormDocument {
  const opinion = (text: string, signer: string, organisation: string, date: string) => ({ opinion: text, signer, organisation, date });
  return {
    applicationId: 'app_01JH8K3M2N4P5Q6R7S8T9V0W1X',
    filledOn: '2026-09-20',
    unitName: ORGANISATIONS[0],
    applicant: {
      name: '李晓梅',
      gender: 'female',
      idNumber: '450103198501010026',
      birthMonth: '1985-01',
      photo: undefined,
      education: '大学本科（工学学士）',
      graduation: { on: '2007-07', school: '长沙理工大学', major: '道路与桥梁工程' },
      workStartedOn: '2007-08',
      originalEmployer: '湖南省交通规划勘察设计院有限公司',
      originalWork: '道路与桥梁设计',
      currentEmployer: ORGANISATIONS[0],
      currentWork: '桥梁工程技术管理',
      personnelFileHolder: '广西壮族自治区人才服务管理办公室',
    },
    original: { seriesName: '工程技术', committeeName: '湖南省交通运输厅工程技术系列高级专业技术职务任职资格评审委员会', levelName: '副高级', titleName: '高级工程师', methodName: '评审', acquiredOn: '2015-12-30', specialty: '道路与桥梁工程' },
    workHistory: [{ period: '2007年08月至2020年07月', place: '湖南省长沙市', work: '道路与桥梁设计', post: '工程师' }],
    workSummary: '到现单位后，本人主要负责大跨径桥梁工程的技术管理工作。',
    integrityPledge: { signer: '李晓梅', signedOn: '2026-09-20' },
    authenticityPledge: { unitName: ORGANISATIONS[0], noticeStart: '2026-09-29', noticeEnd: '2026-10-10', objections: 0, signer: '王建国', signedOn: '2026-10-12' },
    opinions: {
      unit: [opinion('经公示无异议，同意上报。', '王建国', ORGANISATIONS[0], '2026-10-12')],
      department: [opinion('经核实，情况属实，同意上报。', '陈明', ORGANISATIONS[1], '2026-10-20')],
      titleOffice: [],
      authority: [opinion('同意确认。', '张文雯', ORGANISATIONS[2], '2026-11-28')],
    },
  } as ApprovalFormDocument;
}
