/**
 * @module http/csv
 * CSV that opens correctly in Excel: UTF-8 with a byte-order mark, CRLF line ends, every field quoted when
 * it must be, and cells that Excel would run as formulas (=, +, -, @, tab, CR) defused with a leading '.
 */

const FORMULA = /^[=+\-@\t\r]/;

function cell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** @example toCsv(['姓名'], [['张三']]) // '\uFEFF姓名\r\n张三\r\n' */
export function toCsv(header: readonly string[], rows: Iterable<readonly (string | number | null | undefined)[]>): string {
  const lines = [header.map(cell).join(',')];
  for (const row of rows) lines.push(row.map(cell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
