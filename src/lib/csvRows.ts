/**
 * @module lib/csvRows
 * Reads CSV (RFC 4180) row by row: quoted fields with commas, doubled quotes and line breaks inside, CRLF or LF
 * line ends, a UTF-8 byte-order mark. Rows are yielded one at a time, so a caller holds one row, not the sheet.
 */

/** @example [...csvRows('a,"b,c"\r\n1,2')] // [['a', 'b,c'], ['1', '2']] */
export function* csvRows(text: string): Generator<string[]> {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  if (i >= n) return;
  let row: string[] = [];
  let field = '';
  let quoted = false;
  while (i < n) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') (field += '"'), (i += 2);
        else (quoted = false), i++;
      } else {
        const next = text.indexOf('"', i);
        const end = next === -1 ? n : next;
        field += text.slice(i, end);
        i = end;
      }
      continue;
    }
    if (ch === '"' && field === '') (quoted = true), i++;
    else if (ch === ',') row.push(field), (field = ''), i++;
    else if (ch === '\r' || ch === '\n') {
      row.push(field);
      field = '';
      yield row;
      row = [];
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      if (i >= n) return;
    } else {
      let end = i;
      while (end < n && text[end] !== ',' && text[end] !== '\r' && text[end] !== '\n' && !(text[end] === '"' && end === i && field === '')) end++;
      field += text.slice(i, Math.max(end, i + 1));
      i = Math.max(end, i + 1);
    }
  }
  row.push(field);
  yield row;
}
