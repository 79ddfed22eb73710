/** Issue 18 item 1: CSV as RFC 4180 says — quotes, commas and line breaks inside quotes, CRLF or LF, a BOM. */
import { describe, expect, it } from 'vitest';
import { csvRows } from '../../src/lib/csvRows.js';

describe('csvRows', () => {
  it('reads quoted fields, doubled quotes, line breaks inside quotes and a BOM', () => {
    expect([...csvRows('\uFEFF姓名,"单位,部门"\r\n张三,"说""好""\n第二行"\n,\n"末行"')]).toEqual([['姓名', '单位,部门'], ['张三', '说"好"\n第二行'], ['', ''], ['末行']]);
  });

  it('takes a last line with or without its line end, and nothing from an empty text', () => {
    expect([...csvRows('a,b\n')]).toEqual([['a', 'b']]);
    expect([...csvRows('a,b')]).toEqual([['a', 'b']]);
    expect([...csvRows('')]).toEqual([]);
    expect([...csvRows('\uFEFF')]).toEqual([]);
  });

  it('keeps a stray quote inside an unquoted field, and an unclosed quote to the end', () => {
    expect([...csvRows('a"b,c')]).toEqual([['a"b', 'c']]);
    expect([...csvRows('"open,\nstill')]).toEqual([['open,\nstill']]);
  });

  it('yields one row at a time', () => {
    const rows = csvRows(`h\n${'x\n'.repeat(100_000)}`);
    expect(rows.next().value).toEqual(['h']);
    expect(rows.next().value).toEqual(['x']);
  });
});
