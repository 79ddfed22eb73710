/** Issue 18 item 8: reading a clerk's search of the cases (domain/caseSearch.ts). */
import { describe, expect, it } from 'vitest';
import { caseSearchWords, chinaDayRange, readCaseSearch, searchText } from '../../src/domain/caseSearch.js';

describe('searchText', () => {
  it('tells a case number, an ID number and a name apart', () => {
    expect(searchText('RC20260925-1A2B3C4D')).toEqual({ kind: 'case', value: 'RC20260925-1A2B3C4D' });
    expect(searchText(' rc20260925-1a2b ')).toEqual({ kind: 'case', value: 'RC20260925-1A2B' });
    expect(searchText('RC2026')).toEqual({ kind: 'case', value: 'RC2026' });
    expect(searchText('45010219800512001x')).toEqual({ kind: 'idNumber', value: '45010219800512001X' });
    expect(searchText('450102800512001')).toEqual({ kind: 'idNumber', value: '450102800512001' });
    expect(searchText('张三')).toEqual({ kind: 'name', value: '张三' });
    // Part of an ID number is a name search (it matches no name): an ID number is never matched by part.
    expect(searchText('4501021980')).toEqual({ kind: 'name', value: '4501021980' });
    expect(searchText('  John   Smith ')).toEqual({ kind: 'name', value: 'John Smith' });
    expect(searchText('   ')).toBeUndefined();
    // NFC: a name typed with a combining mark finds the name stored composed.
    expect(searchText('Ame\u0301lie')).toEqual({ kind: 'name', value: 'Amélie' });
  });
});

describe('readCaseSearch', () => {
  it('reads every field and keeps the defaults otherwise', () => {
    expect(readCaseSearch({})).toEqual({ search: { sort: 'updated', order: 'desc' }, problems: [] });
    const { search, problems } = readCaseSearch({ q: '李四', status: 'public_notice', org: 'NNZGB', from: '2026-09-01', to: '2026-09-30', sort: 'applicant', order: 'asc' });
    expect(problems).toEqual([]);
    expect(search).toEqual({ text: { kind: 'name', value: '李四' }, status: 'public_notice', org: 'NNZGB', from: '2026-09-01', to: '2026-09-30', sort: 'applicant', order: 'asc' });
  });

  it('leaves out, in words, what it cannot read', () => {
    const { search, problems } = readCaseSearch({ q: '张'.repeat(51), status: 'nonsense', org: "x' OR 1=1 --", from: '2026-02-30', to: 'yesterday', sort: 'password', order: 'sideways' });
    expect(search).toEqual({ sort: 'updated', order: 'desc' });
    expect(problems).toHaveLength(7);
    for (const p of problems) expect(p.zh).toMatch(/忽略|排序|降序/);
    expect(problems.map((p) => p.en).join(' ')).toContain('2026-02-30');
  });

  it('drops a range whose start is after its end', () => {
    const { search, problems } = readCaseSearch({ from: '2026-10-01', to: '2026-09-01' });
    expect(search.from).toBeUndefined();
    expect(search.to).toBeUndefined();
    expect(problems[0]!.zh).toContain('起始日期晚于截止日期');
  });
});

describe('caseSearchWords', () => {
  it('writes back what reads the same search, defaults left out', () => {
    const words = { q: '李四', status: 'submitted', from: '2026-09-01', sort: 'notice', order: 'asc' };
    const { search } = readCaseSearch(words);
    expect(caseSearchWords(search)).toEqual(words);
    expect(readCaseSearch(caseSearchWords(search)).search).toEqual(search);
    expect(caseSearchWords(readCaseSearch({ sort: 'updated', order: 'desc' }).search)).toEqual({});
  });
});

describe('chinaDayRange', () => {
  it('covers whole China days', () => {
    // 2026-09-01 00:00 in China is 16:00 UTC the day before; the range ends at the start of the day after `to`.
    expect(chinaDayRange('2026-09-01', '2026-09-30')).toEqual({ since: '2026-08-31T16:00:00.000Z', before: '2026-09-30T16:00:00.000Z' });
    expect(chinaDayRange(undefined, undefined)).toEqual({});
  });
});
