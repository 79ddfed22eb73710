/**
 * @module test/render/certificate/layout
 * Geometry: nothing leaves its box, the seal holds the whole name.
 */

import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateDocument } from '../../../src/render/certificate/document.js';
import type { LoadedFonts } from '../../../src/render/fonts.js';
import { layoutCertificate } from '../../../src/render/certificate/layout.js';
import type { CircleMark, Mark, PhotoMark, TextMark } from '../../../src/render/lib/marks.js';
import { mm } from '../../../src/render/lib/units.js';
import type { CertificateTemplate } from '../../../src/render/certificate/template.js';
import { loadTemplate, nodeFontSet, sampleCertificate } from '../sampleCertificate.js';

let fonts: LoadedFonts;
let template: CertificateTemplate;

beforeAll(async () => {
  fonts = await nodeFontSet().load();
  template = await loadTemplate();
});

const texts = (marks: Mark[]): TextMark[] => marks.filter((m): m is TextMark => m.kind === 'text');
const right = (mark: TextMark): number => mark.x + fonts.widthOf(mark.text, mark.size);

/** Values far longer than any real certificate carries. */
const overlong = (): CertificateDocument =>
  sampleCertificate({
    title: { seriesName: '实验技术（含中等职业学校实验技术人员）', name: '高级实验师（教育系统实验室管理与设备维护方向）', level: '副高级', specialty: '分析化学与环境监测仪器研制及应用（含大型精密仪器共享平台运行维护）' },
    original: {
      acquiredOn: '2015-12-30',
      method: '评审',
      evaluatingBody: '中国科学院华南植物园与广西壮族自治区中国科学院广西植物研究所联合组建的自然科学研究系列高级专业技术职务任职资格评审委员会',
      certificateNumber: 'ZKY-HNZWY-GXZWS-2015-ZRKX-GJ-000318-B',
    },
    authority: { name: '广西壮族自治区人力资源和社会保障厅职称改革工作领导小组办公室（专业技术人员管理处）', code: '11450000MB1A23456X' },
    decision: { number: '桂职办〔2026〕1234号', decidedOn: '2026-03-16' },
  });

describe('layoutCertificate', () => {
  it('prints the 电子证照标识 small between the number and the rule, clear of both; nothing without one (issue 19)', () => {
    const identifier = '1.2.156.3005.2.11100000DEM0000018001.11450000DEM0000011.00000001.001.F';
    const marks = layoutCertificate(sampleCertificate({ identifier }), template, fonts);
    const [printed] = texts(marks).filter((m) => m.role === 'identifier');
    const [number] = texts(marks).filter((m) => m.role === 'number');
    const rule = marks.find((m) => m.kind === 'line')!;
    expect(printed!.text).toBe(`电子证照标识：${identifier}`);
    expect(printed!.size).toBeLessThan(number!.size);
    expect(printed!.y + 0.88 * printed!.size).toBeLessThan(number!.y - 0.2 * number!.size); // below the number's descenders
    expect(printed!.y - 0.2 * printed!.size).toBeGreaterThan((rule as { y1: number }).y1 + template.rule.widthPt / 2); // above the rule
    expect(printed!.x).toBeGreaterThan(mm(template.rule.leftMm));
    expect(right(printed!)).toBeLessThan(mm(template.rule.rightMm));
    expect(texts(layoutCertificate(sampleCertificate(), template, fonts)).some((m) => m.role === 'identifier')).toBe(false);
  });

  it('keeps every value inside its column, however long', () => {
    const left = mm(template.fields.leftMm + template.fields.labelWidthMm);
    const limit = left + mm(template.fields.valueWidthMm);
    const values = texts(layoutCertificate(overlong(), template, fonts)).filter((m) => m.role?.startsWith('value:'));
    expect(values.length).toBeGreaterThan(template.fields.items.length);
    for (const mark of values) {
      expect(mark.x, mark.text).toBeCloseTo(left, 5);
      expect(right(mark), mark.text).toBeLessThanOrEqual(limit + 1e-6);
    }
  });

  it('keeps the field list above the sign-off and every upright text inside the frame', () => {
    const marks = texts(layoutCertificate(overlong(), template, fonts));
    const inner = { left: mm(template.frame.innerInsetMm), right: mm(210 - template.frame.innerInsetMm), bottom: mm(template.frame.innerInsetMm), top: mm(297 - template.frame.innerInsetMm) };
    for (const mark of marks.filter((m) => !m.rotateDeg)) {
      expect(mark.x, mark.text).toBeGreaterThanOrEqual(inner.left);
      expect(right(mark), mark.text).toBeLessThanOrEqual(inner.right);
      expect(mark.y - 0.2 * mark.size, mark.text).toBeGreaterThanOrEqual(inner.bottom);
      expect(mark.y + 0.88 * mark.size, mark.text).toBeLessThanOrEqual(inner.top);
    }
    const lowestField = Math.min(...marks.filter((m) => m.role?.startsWith('value:') || m.role?.startsWith('label')).map((m) => m.y - 0.2 * m.size));
    expect(lowestField).toBeGreaterThanOrEqual(mm(297 - template.fields.bottomLimitMm) - 1e-6);
  });

  it('sets the original acquisition date and specialty larger than the other values (notice 二(二)4)', () => {
    const marks = texts(layoutCertificate(sampleCertificate(), template, fonts));
    const size = (role: string): number => marks.find((m) => m.role === role)!.size;
    expect(size('value:original.acquiredOn')).toBeGreaterThan(size('value:holder.gender'));
    expect(size('value:title.specialty')).toBeGreaterThan(size('value:holder.gender'));
    expect(marks.find((m) => m.role === 'value:original.acquiredOn')?.text).toBe('2015年12月30日');
  });

  it('stamps the seal over the sign-off with the whole authority name on its rim', () => {
    const doc = overlong();
    const marks = layoutCertificate(doc, template, fonts);
    const ring = marks.find((m): m is CircleMark => m.kind === 'circle')!;
    const arc = texts(marks).filter((m) => m.role === 'seal:arc');
    expect(arc.map((m) => m.text).join('')).toBe(doc.authority.name);
    for (const mark of arc) {
      // All four corners of each rotated character lie inside the ring.
      const angle = ((mark.rotateDeg ?? 0) * Math.PI) / 180;
      const width = fonts.widthOf(mark.text, mark.size);
      for (const [u, v] of [[0, -0.12], [1, -0.12], [0, 0.88], [1, 0.88]] as const) {
        const x = mark.x + u * width * Math.cos(angle) - v * mark.size * Math.sin(angle);
        const y = mark.y + u * width * Math.sin(angle) + v * mark.size * Math.cos(angle);
        expect(Math.hypot(x - ring.x, y - ring.y)).toBeLessThan(ring.radius);
      }
    }
    const signOff = texts(marks).find((m) => m.role === 'authority:name')!;
    expect(Math.abs(ring.y - signOff.y)).toBeLessThan(ring.radius);
  });

  it('fits a photo in its box with the aspect ratio kept', () => {
    const marks = layoutCertificate(sampleCertificate(), template, fonts, { width: 600, height: 600 });
    const photo = marks.find((m): m is PhotoMark => m.kind === 'photo')!;
    expect(photo.width).toBeCloseTo(mm(template.photo.widthMm), 5);
    expect(photo.height).toBeCloseTo(photo.width, 5);
    expect(photo.y).toBeGreaterThan(mm(297 - template.photo.topMm - template.photo.heightMm));
  });
});
