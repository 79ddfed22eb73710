/**
 * @module test/render/approvalForm/pdf
 * The approval form (attachment 1) as real PDF bytes, read back with poppler: every label and value of
 * the cover, the pledges, 基本情况, 主要工作经历, the work summary and the four opinions; long parts flowing
 * onto more pages without a character lost; a rare name's glyph rasterised with no system fonts; a draft
 * with empty frames; the same bytes twice.
 */

import { PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream } from '@cantoo/pdf-lib';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.js';
import { parseApprovalFormTemplate, renderApprovalFormPdf } from '../../../src/render/approvalForm/pdf.js';
import type { ApprovalFormDocument, ApprovalFormOpinion, ApprovalFormTemplate } from '../../../src/render/approvalForm/pdf.js';
import type { LoadedFonts } from '../../../src/render/fonts.js';
import { layoutApprovalForm } from '../../../src/render/approvalForm/layout.js';
import type { LineMark, Mark, RectMark, TextMark } from '../../../src/render/lib/marks.js';
import { mm } from '../../../src/render/lib/units.js';
import { expectOnPages } from '../pageBounds.js';
import { darkPixels, Scratch } from '../pdfTools.js';
import { fixture, nodeFontSet } from '../sampleCertificate.js';

const run = promisify(execFile);
const PAGE_HEIGHT = mm(297);
const SUMMARY_SENTENCE = '到现单位后，本人主要负责大跨径桥梁工程的技术管理工作，组织完成了施工图审查与施工技术方案论证，获广西交通运输科技进步二等奖。';
// About 3,000 characters in five paragraphs.
const LONG_SUMMARY = Array.from({ length: 5 }, (_, i) => `（${i + 1}）` + SUMMARY_SENTENCE.repeat(10)).join('\n');
const DECISION = '同意确认李晓梅同志具有高级工程师职称，取得时间为2015年12月30日（桂职办〔2026〕15号）。';

const opinion = (text: string, signer: string, organisation: string, date: string): ApprovalFormOpinion => ({ opinion: text, signer, organisation, date });

function sampleForm(photo: Uint8Array | undefined): ApprovalFormDocument {
  return {
    applicationId: 'app_01JH8K3M2N4P5Q6R7S8T9V0W1X',
    filledOn: '2026-09-20',
    unitName: '广西交通投资集团有限公司',
    applicant: {
      name: '李晓梅',
      gender: 'female',
      idNumber: '450103198501010026',
      birthMonth: '1985-01',
      photo: photo && { bytes: photo, type: 'image/png' },
      education: '大学本科（工学学士）',
      graduation: { on: '2007-07', school: '长沙理工大学', major: '道路与桥梁工程' },
      workStartedOn: '2007-08',
      originalEmployer: '湖南省交通规划勘察设计院有限公司',
      originalWork: '道路与桥梁设计',
      currentEmployer: '广西交通投资集团有限公司',
      currentWork: '桥梁工程技术管理',
      personnelFileHolder: '广西壮族自治区人才服务管理办公室',
    },
    original: {
      seriesName: '工程技术',
      committeeName: '湖南省交通运输厅工程技术系列高级专业技术职务任职资格评审委员会',
      levelName: '副高级',
      titleName: '高级工程师',
      methodName: '评审',
      acquiredOn: '2015-12-30',
      specialty: '道路与桥梁工程',
    },
    workHistory: Array.from({ length: 14 }, (_, i) => ({
      period: `${2007 + i}年08月至${2008 + i}年07月`,
      place: `湖南省长沙市湖南省交通规划勘察设计院有限公司第${i + 1}设计所`,
      work: i % 2 === 0 ? '道路与桥梁设计' : '桥梁施工图审查',
      post: i > 8 ? '副总工程师' : '工程师',
    })),
    workSummary: LONG_SUMMARY,
    integrityPledge: { signer: '李晓梅', signedOn: '2026-09-20' },
    authenticityPledge: { unitName: '广西交通投资集团有限公司', noticeStart: '2026-09-29', noticeEnd: '2026-10-10', objections: 0, signer: '王建国', signedOn: '2026-10-12' },
    opinions: {
      unit: [opinion('该同志政治思想表现好，业务能力强，所报材料真实，经公示无异议，同意上报。', '王建国', '广西交通投资集团有限公司', '2026-10-12')],
      department: [opinion('经核实，情况属实，同意上报。', '陈明', '广西壮族自治区交通运输厅', '2026-10-20')],
      titleOffice: [opinion('经审核，符合职称重新确认条件，同意报送。', '黄丽', '南宁市职称改革工作领导小组办公室', '2026-11-02')],
      authority: [opinion(DECISION, '张文雯', '广西壮族自治区职称改革工作领导小组办公室', '2026-11-28')],
    },
  };
}

/** Nothing signed or given yet: no photo, no history, no summary, no pledge, no opinion. */
function draftForm(): ApprovalFormDocument {
  const full = sampleForm(undefined);
  return {
    ...full,
    workHistory: [],
    workSummary: '',
    integrityPledge: null,
    authenticityPledge: null,
    opinions: { unit: [], department: [], titleOffice: [], authority: [] },
  };
}

const fontSet = nodeFontSet();
let fonts: LoadedFonts;
let template: ApprovalFormTemplate;
let scratch: Scratch;
let photo: Uint8Array;
let full: ApprovalFormDocument;
let fullPdf: Uint8Array;
let fullPath: string;

const render = (doc: ApprovalFormDocument): Promise<Uint8Array> => renderApprovalFormPdf(doc, fontSet, template);
const texts = (marks: readonly Mark[]): TextMark[] => marks.filter((m): m is TextMark => m.kind === 'text');
const withRole = (pages: readonly Mark[][], role: string): TextMark[] => texts(pages.flat()).filter((m) => m.role === role);
const joined = (pages: readonly Mark[][], role: string): string => withRole(pages, role).map((m) => m.text).join('');
const flat = (text: string): string => text.replace(/\s+/gu, '');
/** Mirrors the renderer's photo size: 120 × 160 px (test/fixtures/make-photos.py). */
const PHOTO_SIZE = { width: 120, height: 160 };

beforeAll(async () => {
  fonts = await fontSet.load();
  template = parseApprovalFormTemplate(JSON.parse(await readFile(new URL('../../../templates/approval-form.json', import.meta.url), 'utf8')));
  scratch = await Scratch.create();
  photo = await fixture('photo.png');
  full = sampleForm(photo);
  fullPdf = await render(full);
  fullPath = await scratch.write('full.pdf', fullPdf);
});

afterAll(async () => {
  await scratch?.remove();
});

describe('renderApprovalFormPdf', () => {
  it('on the demo keys says 演示审批表 DEMO on every page; a real form says nothing of the kind', async () => {
    const path = await scratch.write('demo.pdf', await render({ ...full, demo: true }));
    const text = flat(await scratch.pdftotext(path));
    const pages = layoutApprovalForm(full, template, fonts, PHOTO_SIZE).length;
    expect(text.match(/演示审批表DEMO—演示系统生成，不具法律效力/g)?.length).toBe(pages);
    // The watermark is rotated: -raw reads it as one run.
    expect(flat(await scratch.pdftotext(path, '-raw')).match(/演示DEMO/g)?.length).toBe(pages);
    const real = flat(await scratch.pdftotext(fullPath));
    for (const word of ['演示', 'DEMO', '不具法律效力']) expect(real).not.toContain(word);
  });

  it('prints every label and value of attachment 1, and pdftotext reads back every line drawn', async () => {
    const text = flat(await scratch.pdftotext(fullPath));
    const pages = layoutApprovalForm(full, template, fonts, PHOTO_SIZE);
    // Whatever the layout set, a reader can extract: no glyph is lost between marks and bytes.
    for (const mark of texts(pages.flat())) expect(text, mark.role).toContain(flat(mark.text));

    // The cover.
    for (const expected of ['附件1', '广西壮族自治区职称重新确认审批表', ...template.cover.issuers.lines, template.cover.issuers.mark]) expect(text).toContain(expected);
    for (const row of template.cover.fields.rows) expect(joined(pages, `cover:label:${row.key}`), row.key).toBe(row.label);
    expect({ unit: joined(pages, 'cover:unitName'), name: joined(pages, 'cover:applicantName'), title: joined(pages, 'cover:originalTitleName'), filled: joined(pages, 'cover:filledOn') }).toEqual({
      unit: '广西交通投资集团有限公司',
      name: '李晓梅',
      title: '高级工程师',
      filled: '2026年9月20日',
    });

    // The pledges, in the notice's words, the second naming the public notice's dates.
    const { integrity, authenticity } = template.pledges;
    for (const expected of [integrity.title, integrity.text, `${integrity.signer}李晓梅`, authenticity.title, `${authenticity.signer}王建国`, `${authenticity.unit}广西交通投资集团有限公司`]) {
      expect(text).toContain(flat(expected));
    }
    expect(text).toContain('兹证明李晓梅同志系本单位职工，经认真审核，确认材料均属实，经公示无异议（公示时间2026年9月29日至2026年10月10日），符合确认条件和相关政策规定，如有不实，愿承担相应责任。');
    expect(joined(pages, 'pledge:integrity:date')).toBe('2026年9月20日');
    expect(joined(pages, 'pledge:authenticity:date')).toBe('2026年10月12日');

    // 基本情况: each label, and each value as the form writes it (the full ID number: an internal form).
    expect(text).toContain('基本情况');
    for (const cell of template.facts.rows.flatMap((row) => row.cells)) expect(joined(pages, `label:fact:${cell.key}`), cell.key).toBe(cell.label);
    // A value wrapped at a space loses the space at the break.
    const facts = Object.fromEntries(template.facts.rows.flatMap((row) => row.cells).map((cell) => [cell.key, joined(pages, `fact:${cell.key}`).replace(/ /g, '')]));
    expect(facts).toEqual({
      name: '李晓梅',
      gender: '女',
      idNumber: '450103198501010026',
      birthMonth: '1985年01月',
      education: '大学本科（工学学士）',
      graduation: '2007年07月长沙理工大学道路与桥梁工程',
      workStartedOn: '2007年08月',
      originalEmployer: '湖南省交通规划勘察设计院有限公司',
      originalWork: '道路与桥梁设计',
      currentEmployer: '广西交通投资集团有限公司',
      currentWork: '桥梁工程技术管理',
      personnelFileHolder: '广西壮族自治区人才服务管理办公室',
      seriesName: '工程技术',
      committeeName: '湖南省交通运输厅工程技术系列高级专业技术职务任职资格评审委员会',
      levelName: '副高级',
      titleName: '高级工程师',
      methodName: '评审',
      acquiredOn: '2015年12月30日',
      specialty: '道路与桥梁工程',
    });
    expect(text).toContain('450103198501010026');

    // 主要工作经历: fourteen rows, every cell.
    expect(text).toContain('主要工作经历');
    // Its column heads, on the page 基本情况 opens (later pages repeat them).
    for (const column of template.history.columns) expect(joined([pages[2]!], `label:history:${column.key}`)).toBe(column.label);
    full.workHistory.forEach((row, i) => {
      for (const key of ['period', 'place', 'work', 'post'] as const) expect(joined(pages, `history:${i}:${key}`), `${i} ${key}`).toBe(row[key]);
    });

    // The summary, whole, and its signature.
    expect(text).toContain(template.summary.caption);
    expect(joined(pages, 'summary:text')).toBe(LONG_SUMMARY.replace(/\n/g, ''));
    expect(text).toContain(flat(`${template.summary.signer}李晓梅`));

    // The four opinions, each with its text, seal, signer and date.
    expect(text).toContain(template.opinions.title);
    const expectedOpinions = { unit: ['王建国', '2026年10月12日'], department: ['陈明', '2026年10月20日'], titleOffice: ['黄丽', '2026年11月2日'], authority: ['张文雯', '2026年11月28日'] };
    for (const box of template.opinions.boxes) {
      const given = full.opinions[box.key][0]!;
      expect(joined(pages, `label:opinion:${box.key}`)).toBe(box.label);
      expect(joined(pages, `opinion:${box.key}:0:text`)).toBe(given.opinion);
      expect(joined(pages, `opinion:${box.key}:0:organisation`)).toBe(given.organisation);
      expect(joined(pages, `opinion:${box.key}:0:signer`)).toBe(expectedOpinions[box.key][0]);
      expect(joined(pages, `opinion:${box.key}:0:date`)).toBe(expectedOpinions[box.key][1]);
      expect(text).toContain(flat(`${template.opinions.signer}${given.signer}`));
    }
    expect(text).toContain(DECISION);
    expect(text).toContain('申请编号：app_01JH8K3M2N4P5Q6R7S8T9V0W1X');
  });

  it('flows the work history and a 3,000-character summary onto further pages, under their captions marked （续）', async () => {
    expect(LONG_SUMMARY.length).toBeGreaterThanOrEqual(3000);
    const pages = layoutApprovalForm(full, template, fonts, PHOTO_SIZE);
    expect((await PDFDocument.load(fullPdf)).getPageCount()).toBe(pages.length);
    const pagesWith = (role: string): number[] => pages.flatMap((page, i) => (texts(page).some((m) => m.role === role) ? [i] : []));

    // Cover, pledges, then 基本情况 on a page of its own each; the opinions open a page too.
    expect(pagesWith('cover:unitName')).toEqual([0]);
    expect(pagesWith('pledge:integrity:text')).toEqual([1]);
    expect(pagesWith('pledge:authenticity:text')).toEqual([1]);
    expect(pagesWith('facts:title')).toEqual([2]);
    expect(pagesWith('opinions:title')).toEqual([pages.length - 1]);

    const history = [...new Set(full.workHistory.flatMap((_, i) => pagesWith(`history:${i}:period`)))];
    expect(history.length).toBeGreaterThanOrEqual(2);
    const summary = pagesWith('summary:text');
    expect(summary.length).toBeGreaterThanOrEqual(2);
    // Every page the table or the summary continues on repeats its caption, marked as continued.
    for (const i of history.slice(1)) expect(joined([pages[i]!], 'history:caption')).toBe('主要工作经历（续）');
    expect(joined([pages[summary[0]!]!], 'summary:caption')).toBe(template.summary.caption);
    for (const i of summary.slice(1)) expect(joined([pages[i]!], 'summary:caption')).toBe('到现单位后专业技术工作总结（续）');
    expectInside(pages);

    const text = await scratch.pdftotext(fullPath);
    expect(text).toContain('第 1 页 共 '.replace(/ /g, '') + pages.length + '页');
    for (const line of withRole(pages, 'summary:text')) expect(text).toContain(line.text);
  });

  it('continues an opinion too long for one page, its sign-off with the last part', () => {
    const long = '经审核，该同志所报材料齐全，程序规范，原职称取得符合国家职称政策有关规定，现从事专业技术工作与原取得职称系列一致。'.repeat(40);
    const doc = { ...full, opinions: { ...full.opinions, department: [opinion(long, '陈明', '广西壮族自治区交通运输厅', '2026-10-20')] } };
    const pages = layoutApprovalForm(doc, template, fonts, PHOTO_SIZE);
    expect(joined(pages, 'opinion:department:0:text')).toBe(long);
    const on = (role: string): number[] => pages.flatMap((page, i) => (texts(page).some((m) => m.role === role) ? [i] : []));
    const parts = on('opinion:department:0:text');
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(on('opinion:department:0:signer')).toEqual([parts.at(-1)]);
    expect(joined([pages[parts.at(-1)!]!], 'label:opinion:department')).toBe('主管部门核实意见（续）');
    expectInside(pages);
  });

  it('gives every level its own block: the 县、市（厅局） row two side by side, a third level a further row marked （续） (四(二))', async () => {
    const hr = opinion('经审核，同意报送自治区职改办。', '刘洋', '广西壮族自治区交通运输厅人事处', '2026-10-25');
    const city = opinion('经审核，符合职称重新确认条件，同意报送。', '黄丽', '南宁市职称改革工作领导小组办公室', '2026-11-02');
    const county = opinion('经核，同意上报市职改办。', '蒙强', '南宁市青秀区职称改革工作领导小组办公室', '2026-10-22');
    const two = { ...full, opinions: { ...full.opinions, titleOffice: [hr, city] } };
    const pages = layoutApprovalForm(two, template, fonts, PHOTO_SIZE);
    const frames = [0, 1].map((i) => pages.flat().find((m): m is RectMark => m.kind === 'rect' && m.role === `opinion:titleOffice:${i}`)!);
    // Side by side on one row, the same height, the second right of the first.
    expect(frames[0]!.y).toBeCloseTo(frames[1]!.y, 6);
    expect(frames[1]!.x).toBeCloseTo(frames[0]!.x + frames[0]!.width, 6);
    for (const [i, given] of [hr, city].entries()) {
      expect(joined(pages, `opinion:titleOffice:${i}:text`)).toBe(given.opinion);
      expect(joined(pages, `opinion:titleOffice:${i}:signer`)).toBe(given.signer);
      expect(joined(pages, `opinion:titleOffice:${i}:organisation`)).toBe(given.organisation);
    }
    // The competent department keeps its own box.
    expect(joined(pages, 'opinion:department:0:signer')).toBe('陈明');
    const text = flat(await scratch.pdftotext(await scratch.write('two.pdf', await render(two))));
    for (const expected of ['刘洋', '广西壮族自治区交通运输厅人事处', '经审核，同意报送自治区职改办。', '黄丽', '陈明', '经核实，情况属实，同意上报。']) expect(text).toContain(flat(expected));
    expectInside(pages);

    const three = layoutApprovalForm({ ...full, opinions: { ...full.opinions, titleOffice: [county, city, hr] } }, template, fonts, PHOTO_SIZE);
    expect(withRole(three, 'label:opinion:titleOffice').map((m) => m.text).join('')).toBe(`${template.opinions.boxes[2]!.label}${template.opinions.boxes[2]!.label}（续）`);
    expect(joined(three, 'opinion:titleOffice:2:signer')).toBe('刘洋');
    // The fourth block of the second row stays blank to sign by hand.
    expect(joined(three, 'blank:opinion:titleOffice:3:date')).toBe(template.pledges.blankDate);
    expectInside(three);

    // An opinion too long for a row of blocks on one page: each level a box of its own, continuing on the next page.
    const long = '经审核，该同志所报材料齐全，程序规范，原职称取得符合国家职称政策有关规定。'.repeat(60);
    const tall = layoutApprovalForm({ ...full, opinions: { ...full.opinions, titleOffice: [{ ...hr, opinion: long }, city] } }, template, fonts, PHOTO_SIZE);
    expect(joined(tall, 'opinion:titleOffice:0:text')).toBe(long);
    expect(joined(tall, 'opinion:titleOffice:1:signer')).toBe('黄丽');
    expectInside(tall);
  });

  it('says 经公示无异议 only when no objection was raised; after unfounded ones, how many and that they were untrue (二(二)2)', async () => {
    const objected = { ...full, authenticityPledge: { ...full.authenticityPledge!, objections: 2 } };
    const text = flat(await scratch.pdftotext(await scratch.write('objected.pdf', await render(objected))));
    expect(text).toContain('兹证明李晓梅同志系本单位职工，经认真审核，确认材料均属实，经公示，公示期间收到异议2件，经核查不属实（公示时间2026年9月29日至2026年10月10日），符合确认条件和相关政策规定');
    expect(joined(layoutApprovalForm(objected, template, fonts, PHOTO_SIZE), 'pledge:authenticity:text')).not.toContain('经公示无异议');
    expect(flat(await scratch.pdftotext(fullPath))).toContain('经公示无异议（公示时间2026年9月29日至2026年10月10日）');
  });

  it('prints 出生年月 as given, and leaves the cell blank when the case does not tell it', () => {
    const passport = { ...full, applicant: { ...full.applicant, idNumber: 'E12345678', birthMonth: '1979-06' } };
    expect(joined(layoutApprovalForm(passport, template, fonts, PHOTO_SIZE), 'fact:birthMonth')).toBe('1979年06月');
    const unknown = layoutApprovalForm({ ...passport, applicant: { ...passport.applicant, birthMonth: null } }, template, fonts, PHOTO_SIZE);
    expect(joined(unknown, 'fact:birthMonth')).toBe('');
    expect(joined(unknown, 'label:fact:birthMonth')).toBe('出生年月');
  });

  it('embeds subsets of the fonts, and really draws a rare name — checked with no system fonts for poppler to substitute', async () => {
    const rows = await scratch.pdffonts(fullPath);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.name).toMatch(/^[A-Z]{6}\+NotoSerif/);
      expect(row).toMatchObject({ emb: 'yes', sub: 'yes', uni: 'yes' });
    }

    const name = '吉𠮷祥';
    const named = (given: string): ApprovalFormDocument => ({ ...full, applicant: { ...full.applicant, name: given } });
    const path = await scratch.write('rare.pdf', await render(named(name)));
    expect((await scratch.pdffonts(path)).map((row) => row.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual(['NotoSerifCJKsc-Regular', 'NotoSerifSC-Regular']);
    expect(await scratch.pdftotext(path)).toContain(name);

    // The cover (page 1) rasterised with an empty fontconfig: ink in 𠮷's box can only come from the PDF's
    // own fallback font, and the same cover with no name has none there.
    const inked = await scratch.rasterise(path, 100);
    const blank = await scratch.rasterise(await scratch.write('nameless.pdf', await render(named(''))), 100);
    const [mark] = withRole(layoutApprovalForm(named(name), template, fonts, PHOTO_SIZE), 'cover:applicantName');
    expect(mark?.text).toBe(name);
    let x = mark!.x;
    for (const char of name) {
      const width = fonts.widthOf(char, mark!.size);
      // From the baseline up: the underline below is left out.
      const box = { left: x, right: x + width, bottom: mark!.y, top: mark!.y + 0.88 * mark!.size };
      x += width;
      expect(darkPixels(inked, box, PAGE_HEIGHT), `glyph ${char}`).toBeGreaterThanOrEqual(30);
      expect(darkPixels(blank, box, PAGE_HEIGHT), `blank where ${char} would be`).toBe(0);
    }
  });

  it('draws the photo in its cell, whole, and 贴照片处 in the empty cell of a form without one', async () => {
    const { stdout } = await run('pdfimages', ['-list', fullPath]);
    const images = stdout.split('\n').slice(2).filter((line) => line.trim() !== '');
    expect(images).toHaveLength(1);
    expect(images[0]!.trim().split(/\s+/).slice(3, 5)).toEqual(['120', '160']);
    // As on the certificate, the PNG goes in as its own compressed rows, read with the PNG predictors: no pixel decoded.
    const pdf = await PDFDocument.load(fullPdf, { updateMetadata: false });
    const streams = pdf.context.enumerateIndirectObjects().map(([, object]) => object);
    const image = streams.find((o): o is PDFRawStream => o instanceof PDFRawStream && o.dict.get(PDFName.of('Subtype')) === PDFName.of('Image'));
    expect(image?.dict.lookup(PDFName.of('DecodeParms'), PDFDict).lookup(PDFName.of('Predictor'), PDFNumber).asNumber()).toBe(15);

    const pages = layoutApprovalForm(full, template, fonts, PHOTO_SIZE);
    const cell = pages.flat().find((m): m is RectMark => m.kind === 'rect' && m.role === 'photo:cell')!;
    const drawn = pages.flat().find((m) => m.kind === 'photo')!;
    expect(drawn.kind === 'photo' && drawn.width / drawn.height).toBeCloseTo(120 / 160, 5);
    if (drawn.kind !== 'photo') return;
    expect(drawn.x).toBeGreaterThan(cell.x);
    expect(drawn.x + drawn.width).toBeLessThan(cell.x + cell.width);
    expect(drawn.y).toBeGreaterThan(cell.y);
    expect(drawn.y + drawn.height).toBeLessThan(cell.y + cell.height);
    expect(withRole(pages, 'photo:placeholder')).toEqual([]);

    const empty = layoutApprovalForm(sampleForm(undefined), template, fonts);
    expect(empty.flat().some((m) => m.kind === 'photo')).toBe(false);
    expect(joined(empty, 'photo:placeholder')).toBe('贴照片处');
  });

  it('renders a draft with every frame empty: blank lines to sign and date, five blank history rows, room for the summary', async () => {
    const draft = draftForm();
    const pdf = await render(draft);
    const text = flat(await scratch.pdftotext(await scratch.write('draft.pdf', pdf)));
    const pages = layoutApprovalForm(draft, template, fonts);
    const lines = pages.flat().filter((m): m is LineMark => m.kind === 'line');
    const blanks = new Set(lines.map((m) => m.role));

    // The pledges keep their words, with lines to sign on and dates to fill in.
    expect(text).toContain(flat(template.pledges.integrity.text));
    expect(text).toContain(`兹证明李晓梅同志系本单位职工，经认真审核，确认材料均属实，经公示无异议（公示时间${template.pledges.blankDate}至${template.pledges.blankDate}）`);
    for (const role of ['pledge:integrity:signer', 'pledge:authenticity:signer', 'pledge:authenticity:unitName', 'summary:signer']) expect(blanks, role).toContain(`blank:${role}`);
    for (const role of ['pledge:integrity:date', 'pledge:authenticity:date', 'summary:date']) expect(joined(pages, `blank:${role}`), role).toBe(template.pledges.blankDate);

    // Four opinion boxes, each framed, with 公章, 负责人（签字） and the date left blank — in the 县、市（厅局）
    // row twice, side by side, as attachment 1 draws it.
    expect(template.opinions.boxes.map((box) => box.blocks)).toEqual([1, 1, 2, 1]);
    for (const box of template.opinions.boxes) {
      expect(joined(pages, `label:opinion:${box.key}`)).toBe(box.label);
      for (let i = 0; i < box.blocks; i++) {
        const frame = pages.flat().find((m): m is RectMark => m.kind === 'rect' && m.role === `opinion:${box.key}:${i}`);
        expect(frame?.height, box.key).toBeGreaterThanOrEqual(mm(template.opinions.minHeightMm) - 1e-6);
        expect(withRole(pages, `opinion:${box.key}:${i}:text`)).toEqual([]);
        for (const part of ['organisation', 'signer']) expect(blanks, `${box.key} ${part}`).toContain(`blank:opinion:${box.key}:${i}:${part}`);
        expect(joined(pages, `blank:opinion:${box.key}:${i}:date`)).toBe(template.pledges.blankDate);
      }
    }
    expect(text.split(flat(template.opinions.signer)).length - 1).toBe(5);

    // Five rows to write the history in, and the summary's cell kept tall for handwriting.
    const historyRows = pages.flat().filter((m): m is RectMark => m.kind === 'rect' && Math.abs(m.width - mm(template.history.columns[0]!.widthMm)) < 1e-6);
    expect(historyRows.length).toBe(1 + template.history.minRows);
    const tall = (page: Mark[]): boolean => page.some((m) => m.kind === 'rect' && m.height >= mm(template.summary.minHeightMm) - 1e-6);
    const captioned = pages.findIndex((page) => texts(page).some((m) => m.role === 'summary:caption'));
    // The caption goes with its empty cell rather than end a page alone.
    expect(tall(pages[captioned]!)).toBe(true);
    expectInside(pages);

    const meta = await PDFDocument.load(pdf, { updateMetadata: false });
    expect(meta.getCreationDate()?.toISOString()).toBe('2026-09-19T16:00:00.000Z');
  });

  it('renders the same form to the same bytes, with its metadata', async () => {
    expect(await render(sampleForm(photo))).toEqual(fullPdf);
    const pdf = await PDFDocument.load(fullPdf, { updateMetadata: false });
    expect(pdf.getTitle()).toBe('广西壮族自治区职称重新确认审批表 app_01JH8K3M2N4P5Q6R7S8T9V0W1X');
    expect(pdf.getAuthor()).toBe('广西交通投资集团有限公司');
    // The latest date on the form (the confirming authority's opinion), at midnight in China.
    expect(pdf.getCreationDate()?.toISOString()).toBe('2026-11-27T16:00:00.000Z');
  });

  it('prints the recorded checks (二(三)1(2), 二(三)1(3), 二(四)) as lines under the opinions, and nothing while there is none', async () => {
    const records = [
      { label: '核对原件', text: '复印件已由用人单位审核原件，与原件相符（周敏，广西交通投资集团有限公司，2026年10月12日）' },
      { label: '社保缴纳核实', text: '通过社保信息系统核实：已在用人单位按规定缴纳社保（吴刚，广西壮族自治区交通运输厅，2026年10月13日）' },
      { label: '平台受理', text: '广西专业技术人员职称管理服务平台受理编号 GXZC2026-001234，受理日期 2026年10月14日（吴刚，广西壮族自治区交通运输厅报送）' },
    ];
    const doc = { ...full, records };
    const text = flat(await scratch.pdftotext(await scratch.write('records.pdf', await render(doc))));
    expect(text).toContain(template.records.caption);
    for (const line of records) expect(text).toContain(flat(`${line.label}：${line.text}`));
    const pages = layoutApprovalForm(doc, template, fonts, PHOTO_SIZE);
    expectInside(pages);
    // Below the last opinion box, on the same or a later page.
    const lastBox = pages.findIndex((page) => page.some((m) => 'role' in m && m.role === 'opinion:authority'));
    expect(pages.findIndex((page) => page.some((m) => 'role' in m && m.role === 'records:text'))).toBeGreaterThanOrEqual(lastBox);
    expect(withRole(layoutApprovalForm(full, template, fonts, PHOTO_SIZE), 'records:text')).toEqual([]);
    expect(flat(await scratch.pdftotext(fullPath))).not.toContain(template.records.caption);
  });

  it('refuses a value no font can draw, naming the field and the character', async () => {
    const cases: [ApprovalFormDocument, string][] = [
      [{ ...full, applicant: { ...full.applicant, name: '李\u{E000}' } }, 'applicant.name'],
      [{ ...full, workHistory: full.workHistory.map((row, i) => (i === 3 ? { ...row, place: '长沙\u{E000}' } : row)) }, 'workHistory[3].place'],
      [{ ...full, opinions: { ...full.opinions, authority: [opinion(DECISION, '张\u{E000}', '广西壮族自治区职称改革工作领导小组办公室', '2026-11-28')] } }, 'opinions.authority[0].signer'],
      [{ ...full, authenticityPledge: { ...full.authenticityPledge!, unitName: '广西\u{E000}' } }, 'authenticityPledge.unitName'],
    ];
    for (const [doc, field] of cases) {
      const error = await render(doc).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'undrawable_character', field, details: { codePoints: ['U+E000'] } });
    }
  });
});

describe('parseApprovalFormTemplate', () => {
  it('names what is wrong with a broken template', async () => {
    const json = JSON.parse(await readFile(new URL('../../../templates/approval-form.json', import.meta.url), 'utf8')) as Record<string, Record<string, unknown>>;
    const broken = structuredClone(json);
    broken.pledges!.authenticity = { ...(broken.pledges!.authenticity as object), text: '兹证明{name}同志系本单位职工。' };
    broken.footer!.sizePt = 'small';
    broken.summary!.captoin = '到现单位后专业技术工作总结';
    expect(() => parseApprovalFormTemplate(broken)).toThrow(/pledges\.authenticity\.text: must contain \{noticeStart\}/);
    expect(() => parseApprovalFormTemplate(broken)).toThrow(/footer\.sizePt: a number/);
    expect(() => parseApprovalFormTemplate(broken)).toThrow(/summary\.captoin: unknown key/);

    const ragged = structuredClone(json);
    const rows = ragged.facts!.rows as { cells: { key: string; valueMm: number }[] }[];
    rows[0]!.cells[0]!.valueMm += 5;
    rows[6]!.cells[2]!.key = 'name';
    expect(() => parseApprovalFormTemplate(ragged)).toThrow(/exactly one of each of name, specialty/);
    const widths = structuredClone(json);
    (widths.facts!.rows as { cells: { valueMm: number }[] }[])[0]!.cells[0]!.valueMm += 5;
    expect(() => parseApprovalFormTemplate(widths)).toThrow(/facts\.rows\[0\]: cells span 143 mm, the table 138 mm/);
  });
});

/** Every text mark lies on its page and above the footer; every text and every cell between the body's edges. */
function expectInside(pages: Mark[][]): void {
  const left = mm(template.body.leftMm);
  const right = mm(template.body.rightMm);
  expectOnPages(pages, fonts, { left, right, pageHeight: PAGE_HEIGHT }, (page, footerTop) => {
    for (const mark of page) {
      if (mark.kind !== 'rect') continue;
      expect(mark.x).toBeGreaterThanOrEqual(left - 1e-6);
      expect(mark.x + mark.width).toBeLessThanOrEqual(right + 1e-6);
      expect(mark.y).toBeGreaterThan(footerTop);
      expect(mark.y + mark.height).toBeLessThanOrEqual(PAGE_HEIGHT);
    }
  });
}
