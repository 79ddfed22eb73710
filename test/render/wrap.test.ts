/**
 * @module test/render/wrap
 * Line breaking and shrink-to-fit for long values.
 */

import { describe, expect, it } from 'vitest';
import { breakLines, fitText } from '../../src/render/lib/wrap.js';

// A monospace stand-in: every character 10 units wide at size 10.
const mono = (text: string): number => [...text].length * 10;
const monoAt = (text: string, size: number): number => [...text].length * size;

describe('breakLines', () => {
  it('breaks between ideographs and never exceeds the width', () => {
    const lines = breakLines('湖南省交通运输厅工程技术系列高级专业技术职务任职资格评审委员会', 80, mono);
    expect(lines.join('')).toBe('湖南省交通运输厅工程技术系列高级专业技术职务任职资格评审委员会');
    for (const line of lines) expect(mono(line)).toBeLessThanOrEqual(80);
  });

  it('keeps closing punctuation off the start of a line and opening punctuation off its end', () => {
    const lines = breakLines('桂职办〔2026〕15号，广西', 60, mono);
    for (const line of lines) {
      expect(line).not.toMatch(/^[，。〕）]/u);
      expect(line).not.toMatch(/[〔（]$/u);
    }
    expect(lines.join('')).toBe('桂职办〔2026〕15号，广西');
  });

  it('keeps Latin words whole and drops the spaces it breaks at', () => {
    expect(breakLines('Electronic Certificate of Professional Title', 160, mono)).toEqual([
      'Electronic',
      'Certificate of',
      'Professional',
      'Title',
    ]);
  });

  it('splits a single word wider than the box', () => {
    const lines = breakLines('11450000MB1A23456X', 50, mono);
    expect(lines).toEqual(['11450', '000MB', '1A234', '56X']);
  });
});

describe('fitText', () => {
  it('shrinks before it wraps beyond the line limit', () => {
    const fitted = fitText('广西壮族自治区职称改革工作领导小组办公室', 200, { size: 12, minSize: 8, maxLines: 1 }, monoAt);
    expect(fitted).toEqual({ size: 10, lines: ['广西壮族自治区职称改革工作领导小组办公室'] });
  });

  it('sets a little smaller rather than leave one or two characters on a line of their own', () => {
    const title = '高级实验师（教育系统实验室管理与设备维护方向）';
    expect(fitText(title, 220, { size: 10, minSize: 8, maxLines: 2 }, monoAt)).toEqual({ size: 9.5, lines: [title] });
  });

  it('takes more lines at the minimum size rather than overflow', () => {
    const fitted = fitText('一二三四五六七八九十一二三四五六七八九十', 40, { size: 12, minSize: 8, maxLines: 2 }, monoAt);
    expect(fitted.size).toBe(8);
    expect(fitted.lines.length).toBeGreaterThan(2);
    for (const line of fitted.lines) expect(monoAt(line, 8)).toBeLessThanOrEqual(40);
  });
});
