/**
 * @module domain/batchSheet
 * The columns of a batch issuance sheet (issue 18 item 1): one column per field path of the single issuance
 * request (POST /api/v1/certificates), each with the Chinese label the template prints and accepts as an alias.
 * A row becomes the same request body a single issuance sends, so it is checked by the same rules with the same
 * messages (二(二)4 confirmation facts, 二(三)1(4) photo, 一(一) method). Nothing here reads a file.
 */
import { ACQUISITION_METHOD_LABELS, ACQUISITION_METHODS, GENDER_LABELS, GENDERS } from './certificate.js';
import { ID_TYPE_NAMES, ID_TYPES } from './idDocument.js';
import { CERTIFICATE_FIELD_LABELS, type Label } from './labels.js';
import { DomainError } from './errors.js';

export interface BatchColumn {
  path: string;
  label: Label;
  required: boolean;
}

const certificateLabel = (path: keyof typeof CERTIFICATE_FIELD_LABELS): Label => CERTIFICATE_FIELD_LABELS[path];

/** Every column a batch sheet may carry, in the template's order. The photo arrives apart, in a ZIP named by ID number. */
export const BATCH_COLUMNS: readonly BatchColumn[] = [
  { path: 'holder.name', label: certificateLabel('holder.name'), required: true },
  { path: 'holder.gender', label: certificateLabel('holder.gender'), required: true },
  { path: 'holder.idType', label: certificateLabel('holder.idType'), required: true },
  { path: 'holder.idNumber', label: certificateLabel('holder.idNumber'), required: true },
  { path: 'title.series', label: { zh: '职称系列代码', en: 'Title series code' }, required: true },
  { path: 'title.name', label: certificateLabel('title.name'), required: true },
  { path: 'title.specialty', label: certificateLabel('title.specialty'), required: true },
  { path: 'original.acquiredOn', label: certificateLabel('original.acquiredOn'), required: true },
  { path: 'original.method', label: certificateLabel('original.method'), required: true },
  { path: 'original.evaluatingBody', label: certificateLabel('original.evaluatingBody'), required: true },
  { path: 'original.certificateNumber', label: certificateLabel('original.certificateNumber'), required: false },
  { path: 'decision.number', label: certificateLabel('decision.number'), required: true },
  { path: 'decision.decidedOn', label: certificateLabel('decision.decidedOn'), required: true },
  { path: 'basis.decisionNumber', label: { zh: '直接发证决定文号', en: 'Direct issuance decision number' }, required: true },
  { path: 'basis.decidedOn', label: { zh: '直接发证决定日期', en: 'Direct issuance decision date' }, required: true },
  { path: 'basis.reason', label: { zh: '直接发证原因', en: 'Reason for direct issuance' }, required: true },
];

/** The column errors.xlsx adds; an upload of the fixed sheet ignores it. */
export const ERROR_COLUMN_LABEL: Label = { zh: '错误说明', en: 'Errors' };

/** At most this many data rows in one batch: a whole evaluation round (issue 18 item 5: 20,000 rows). */
export const BATCH_MAX_ROWS = 20_000;
/** A cell longer than this is no field of a certificate: cut off before it is stored (the checks still refuse it). */
export const BATCH_MAX_CELL = 2_000;
/** At most this many columns in a header (the known ones, their aliases and an error column). */
export const BATCH_MAX_COLUMNS = 64;

const normalise = (text: string) => text.replace(/[\s\u3000]+/g, '').replace(/[（(].*?[)）]/g, '').toLowerCase();

const ALIASES: ReadonlyMap<string, string> = new Map(
  BATCH_COLUMNS.flatMap((c) => [
    [normalise(c.path), c.path],
    [normalise(c.label.zh), c.path],
    [normalise(`${c.label.zh}${c.path}`), c.path],
  ]),
);
const ERROR_ALIASES = new Set([normalise(ERROR_COLUMN_LABEL.zh), normalise(ERROR_COLUMN_LABEL.en), normalise(`${ERROR_COLUMN_LABEL.zh} ${ERROR_COLUMN_LABEL.en}`)]);

/**
 * Each header cell's field path ('' for errors.xlsx's error column, to be ignored): a field path or its Chinese
 * label, with spaces and a bracketed note (e.g. `姓名（holder.name）`) disregarded. An unknown or repeated column
 * is refused, naming it: a misspelt header must not drop a column's data silently.
 * @example columnsOf(['姓名', 'holder.gender']) // ['holder.name', 'holder.gender']
 */
export function columnsOf(header: readonly string[]): string[] {
  if (header.length > BATCH_MAX_COLUMNS) {
    throw new DomainError('validation_failed', { zh: `表头超过 ${BATCH_MAX_COLUMNS} 列`, en: `The header has more than ${BATCH_MAX_COLUMNS} columns` }, '(header)');
  }
  const seen = new Set<string>();
  const columns = header.map((cell, i) => {
    const key = normalise(cell);
    if (ERROR_ALIASES.has(key)) return '';
    const path = ALIASES.get(key) ?? ALIASES.get(normalise(cell.replace(/[（(](.*?)[)）]/g, '$1')));
    if (!path) {
      if (key === '') return '';
      throw new DomainError('validation_failed', {
        zh: `第 ${i + 1} 列的表头“${cell.slice(0, 50)}”不是证书字段；请使用模板中的中文列名或字段路径（如 holder.name）`,
        en: `Column ${i + 1}'s header "${cell.slice(0, 50)}" is no certificate field; use the template's Chinese labels or the field paths (e.g. holder.name)`,
      }, '(header)', { column: i + 1 });
    }
    if (seen.has(path)) {
      throw new DomainError('validation_failed', { zh: `第 ${i + 1} 列“${cell.slice(0, 50)}”与前面的列重复（${path}）`, en: `Column ${i + 1} ("${cell.slice(0, 50)}") repeats ${path}` }, '(header)', { column: i + 1 });
    }
    seen.add(path);
    return path;
  });
  if (!columns.some(Boolean)) {
    throw new DomainError('validation_failed', { zh: '第一行须为表头（模板中的中文列名或字段路径）', en: 'The first row must be the header (the template’s Chinese labels or the field paths)' }, '(header)');
  }
  return columns;
}

/** The template's second row names each column's path: a row repeating them is no certificate. */
export function isPathRow(columns: readonly string[], cells: readonly string[]): boolean {
  return columns.some((path, i) => path && cells[i]?.trim() === path) && columns.every((path, i) => !cells[i]?.trim() || cells[i]!.trim() === path);
}

export function isBlankRow(cells: readonly string[]): boolean {
  return cells.every((cell) => cell.trim() === '');
}

/** A clerk may write the Chinese words (男, 居民身份证, 评审) where the API takes codes. */
const VALUE_ALIASES: Readonly<Record<string, ReadonlyMap<string, string>>> = {
  'holder.gender': new Map(GENDERS.map((g) => [GENDER_LABELS[g].zh, g])),
  'holder.idType': new Map(ID_TYPES.map((t) => [ID_TYPE_NAMES[t].zh, t])),
  'original.method': new Map(ACQUISITION_METHODS.map((m) => [ACQUISITION_METHOD_LABELS[m].zh, m])),
};

/**
 * A row as the single issuance's request body: `{holder: {name: …}, …}`; an empty cell is an absent field (so a
 * missing required field gets the single issuance's "缺少必填字段").
 * @example requestOf(['holder.name'], ['张三']) // { holder: { name: '张三' } }
 */
export function requestOf(columns: readonly string[], cells: readonly string[]): Record<string, Record<string, string>> {
  const body: Record<string, Record<string, string>> = {};
  columns.forEach((path, i) => {
    const raw = cells[i];
    if (!path || raw === undefined || raw.trim() === '') return;
    const [group, field] = path.split('.') as [string, string];
    const value = VALUE_ALIASES[path]?.get(raw.trim()) ?? raw;
    (body[group] ??= {})[field] = value;
  });
  return body;
}
