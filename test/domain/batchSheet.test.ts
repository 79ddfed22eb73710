/** Issue 18 item 1: a batch sheet's header (field paths or the template's Chinese labels) and a row as the issuance body. */
import { describe, expect, it } from 'vitest';
import { BATCH_COLUMNS, columnsOf, isPathRow, requestOf } from '../../src/domain/batchSheet.js';
import { DomainError } from '../../src/domain/errors.js';

describe('batch sheet columns', () => {
  it('takes field paths, the Chinese labels, a label with its path in brackets, and ignores the error column', () => {
    expect(columnsOf(['holder.name', '性别', '证件号码（holder.idNumber）', ' 原取得时间 ', '错误说明 Errors'])).toEqual(['holder.name', 'holder.gender', 'holder.idNumber', 'original.acquiredOn', '']);
    expect(columnsOf(BATCH_COLUMNS.map((c) => c.label.zh))).toEqual(BATCH_COLUMNS.map((c) => c.path));
  });

  it('refuses an unknown or repeated column by its number, and a header with no field', () => {
    const refusal = (header: string[]) => {
      try {
        columnsOf(header);
      } catch (error) {
        return error as DomainError;
      }
      throw new Error('accepted');
    };
    expect(refusal(['姓名', '手机号'])).toMatchObject({ code: 'validation_failed', field: '(header)', details: { column: 2 } });
    expect(refusal(['姓名', 'holder.name']).details).toEqual({ column: 2 });
    expect(refusal(['', '']).code).toBe('validation_failed');
    expect(refusal(Array.from({ length: 65 }, () => '姓名')).code).toBe('validation_failed');
  });

  it('builds the single issuance’s body: empty cells absent, Chinese words for codes', () => {
    const columns = ['holder.name', 'holder.gender', 'holder.idType', 'original.method', 'original.certificateNumber'];
    expect(requestOf(columns, ['张三', '女', '居民身份证', '评审', ' '])).toEqual({ holder: { name: '张三', gender: 'female', idType: 'resident_id_card' }, original: { method: 'evaluation' } });
    expect(requestOf(['', 'holder.name'], ['ignored', '李四'])).toEqual({ holder: { name: '李四' } });
  });

  it('knows the template’s row of paths, and only that', () => {
    const columns = ['holder.name', 'holder.gender'];
    expect(isPathRow(columns, ['holder.name', 'holder.gender'])).toBe(true);
    expect(isPathRow(columns, ['holder.name', ''])).toBe(true);
    expect(isPathRow(columns, ['holder.name', 'male'])).toBe(false);
    expect(isPathRow(columns, ['', ''])).toBe(false);
  });
});
