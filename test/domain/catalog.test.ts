import { describe, expect, it } from 'vitest';
import { CATALOG_SOURCE, findSeries, findTitle, listSeries } from '../../src/domain/catalog.js';
import { isLevel, LEVELS } from '../../src/domain/levels.js';

describe('catalog of title series', () => {
  const series = listSeries();

  it('holds at least the 27 national series', () => {
    expect(series.length).toBeGreaterThanOrEqual(27);
  });

  it('gives every series a unique lowercase ASCII code, a Chinese and an English name', () => {
    const codes = series.map((s) => s.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const s of series) {
      expect(s.code).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(s.name).toMatch(/\p{Script=Han}/u);
      expect(s.nameEn).toMatch(/^[A-Z][A-Za-z ,'-]+$/);
    }
    expect(new Set(series.map((s) => s.name)).size).toBe(series.length);
  });

  it('gives every title a known level, and no name twice within a series', () => {
    for (const s of series) {
      expect(s.titles.length).toBeGreaterThan(0);
      expect(new Set(s.titles.map((t) => t.name)).size).toBe(s.titles.length);
      for (const t of s.titles) expect(isLevel(t.level), `${s.code}/${t.name}`).toBe(true);
    }
  });

  it('gives every series a current (non-legacy) 副高级 title', () => {
    for (const s of series) {
      expect(s.titles.filter((t) => !t.legacy).map((t) => t.level), s.code).toContain('senior_associate');
    }
  });

  it('covers the series named by the reform documents', () => {
    const names = series.map((s) => s.name);
    for (const name of [
      '工程技术', '卫生技术', '高等学校教师', '中等职业学校教师', '中小学教师', '技工院校教师', '经济', '会计', '审计',
      '统计', '翻译', '新闻', '出版', '图书资料', '文物博物', '档案', '工艺美术', '艺术', '体育', '律师', '公证',
      '农业技术', '实验技术', '自然科学研究', '哲学社会科学研究', '船舶', '民用航空飞行技术', '播音主持',
    ]) {
      expect(names).toContain(name);
    }
  });

  it('looks up the engineering ladder', () => {
    expect(findSeries('engineering')?.name).toBe('工程技术');
    expect(findTitle('engineering', '正高级工程师')?.level).toBe('senior_full');
    expect(findTitle('engineering', '高级工程师')?.level).toBe('senior_associate');
    expect(findTitle('engineering', '工程师')?.level).toBe('intermediate');
    expect(findTitle('engineering', '助理工程师')?.level).toBe('assistant');
    expect(findTitle('engineering', '技术员')?.level).toBe('junior');
    expect(findTitle('engineering', '教授级高级工程师')).toEqual({ name: '教授级高级工程师', level: 'senior_full', legacy: true });
  });

  it('ignores spaces inside a title name', () => {
    expect(findTitle('engineering', ' 工 程 师 ')?.name).toBe('工程师');
  });

  it('keeps every track of the health series with its level', () => {
    const expected: Record<string, string> = {
      主任医师: 'senior_full', 副主任医师: 'senior_associate', 主治医师: 'intermediate', 医师: 'assistant', 医士: 'junior',
      主任药师: 'senior_full', 副主任药师: 'senior_associate', 主管药师: 'intermediate', 药师: 'assistant', 药士: 'junior',
      主任护师: 'senior_full', 副主任护师: 'senior_associate', 主管护师: 'intermediate', 护师: 'assistant', 护士: 'junior',
      主任技师: 'senior_full', 副主任技师: 'senior_associate', 主管技师: 'intermediate', 技师: 'assistant', 技士: 'junior',
    };
    for (const [name, level] of Object.entries(expected)) expect(findTitle('health', name)?.level, name).toBe(level);
  });

  it('keeps levels per series when a name appears in several', () => {
    expect(findTitle('natural_science_research', '研究员')?.level).toBe('senior_full');
    expect(findTitle('philosophy_social_science_research', '研究员')?.level).toBe('senior_full');
    expect(findTitle('higher_education_teacher', '讲师')?.level).toBe('intermediate');
    expect(findTitle('technical_school_teacher', '讲师')?.level).toBe('intermediate');
    expect(findTitle('library', '研究馆员')?.level).toBe('senior_full');
    expect(findTitle('archives', '管理员')?.level).toBe('junior');
  });

  it('gives a series only the levels it has', () => {
    const levels = (code: string) => new Set(findSeries(code)?.titles.filter((t) => !t.legacy).map((t) => t.level));
    expect(levels('accounting').has('junior')).toBe(false); // 初级只设助理级
    expect(levels('higher_education_teacher').has('junior')).toBe(false);
    expect(levels('primary_secondary_teacher')).toEqual(new Set(LEVELS));
    expect(findTitle('accounting', '助理会计师')?.level).toBe('assistant');
    expect(findTitle('higher_education_teacher', '教授')?.level).toBe('senior_full');
  });

  it('maps the 2015 primary and secondary teacher titles as the reform did', () => {
    expect(findTitle('primary_secondary_teacher', '中学高级教师')?.level).toBe('senior_associate');
    expect(findTitle('primary_secondary_teacher', '小学高级教师')?.level).toBe('intermediate');
  });

  it('returns undefined for unknown series and titles', () => {
    expect(findSeries('unknown')).toBeUndefined();
    expect(findTitle('unknown', '工程师')).toBeUndefined();
    expect(findTitle('health', '高级工程师')).toBeUndefined();
  });

  it('names its sources, and every source and review entry points at a real series', () => {
    expect(CATALOG_SOURCE.basis[0]?.number).toBe('中办发〔2016〕77号');
    for (const d of CATALOG_SOURCE.documents) expect(findSeries(d.series ?? ''), d.title).toBeDefined();
    for (const code of CATALOG_SOURCE.reviewNeeded) expect(findSeries(code), code).toBeDefined();
  });

  it('is frozen, so no caller can change the catalog for the next', () => {
    expect(Object.isFrozen(series)).toBe(true);
    expect(Object.isFrozen(series[0])).toBe(true);
    expect(Object.isFrozen(series[0]?.titles)).toBe(true);
  });
});
