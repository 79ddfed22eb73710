/** Issue 18 item 8: reading a clerk's search of the cases (domain/caseSearch.ts). */
import { describe, expect, it } from 'vitest';
import { caseSearchWords, chinaDayRange, readCaseSearch, readCaseWindow, searchText } from '../../src/domain/caseSearch.js';

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
    expect(problems.map((p) => p.field)).toEqual(['q', 'status', 'org', 'from', 'to', 'sort', 'order']);
    for (const p of problems) expect(p.zh).toMatch(/忽略|排序|降序/);
    expect(problems.map((p) => p.en).join(' ')).toContain('2026-02-30');
  });

  it('drops a range whose start is after its end', () => {
    const { search, problems } = readCaseSearch({ from: '2026-10-01', to: '2026-09-01' });
    expect(search.from).toBeUndefined();
    expect(search.to).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]!.field).toBe('to');
    expect(problems[0]!.zh).toContain('截止日期早于起始日期');
  });

  it('names the very parameter that was wrong, each on its own, in Chinese and English', () => {
    const bad: [string, string, RegExp, RegExp][] = [
      ['q', '张'.repeat(51), /搜索内容/, /search text/],
      ['status', 'nonsense', /状态/, /status/],
      ['org', "x' OR 1=1 --", /单位/, /organisation/],
      ['from', '2026-02-30', /起始日期/, /start date/],
      ['to', 'yesterday', /截止日期/, /end date/],
      ['to', '2026-13-01', /截止日期/, /end date/],
      ['sort', 'password', /排序/, /sort/i],
      ['order', 'sideways', /排序方向/, /order/],
    ];
    for (const [field, value, zh, en] of bad) {
      const { problems } = readCaseSearch({ [field]: value });
      expect(problems, `${field}=${value}`).toHaveLength(1);
      expect(problems[0]!.field).toBe(field);
      expect(problems[0]!.zh).toMatch(zh);
      expect(problems[0]!.en).toMatch(en);
    }
    // Two wrong at once: both said, each naming its own.
    expect(readCaseSearch({ to: 'x', sort: 'y' }).problems.map((p) => p.field)).toEqual(['to', 'sort']);
  });
});

describe('readCaseWindow', () => {
  it('reads a page size and an offset, naming either when it is wrong', () => {
    expect(readCaseWindow({})).toEqual({ limit: 50, offset: 0, problems: [] });
    expect(readCaseWindow({ limit: '200', offset: '1000000' })).toEqual({ limit: 200, offset: 1_000_000, problems: [] });
    for (const limit of ['0', '201', '-1', '1.5', 'ten', '1e2', '99999999999']) {
      const { problems } = readCaseWindow({ limit });
      expect(problems.map((p) => p.field), limit).toEqual(['limit']);
      expect(problems[0]!.zh).toContain('每页条数');
      expect(problems[0]!.en).toContain('page size');
    }
    for (const offset of ['-1', '1000001', 'x', '0x10']) {
      const { problems } = readCaseWindow({ offset });
      expect(problems.map((p) => p.field), offset).toEqual(['offset']);
      expect(problems[0]!.zh).toContain('起始位置');
      expect(problems[0]!.en).toContain('offset');
    }
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
