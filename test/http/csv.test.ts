import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/http/csv.js';

describe('toCsv', () => {
  it('writes a BOM, CRLF, quotes what needs quoting and defuses formulas', () => {
    const csv = toCsv(['姓名', '说明'], [['张三', 'a,"b"\nc'], ['=HYPERLINK("x")', '-1'], [null, 3]]);
    expect(csv.startsWith('\uFEFF姓名,说明\r\n')).toBe(true);
    expect(csv).toContain('张三,"a,""b""\nc"\r\n');
    expect(csv).toContain(`"'=HYPERLINK(""x"")",'-1\r\n`);
    expect(csv.endsWith(',3\r\n')).toBe(true);
  });
});
