/**
 * @module domain/caseSearch
 * What a clerk's search of the reconfirmation cases asks for (issue 18 item 8), read from the words of a URL:
 * one search box that takes a case number, an ID number or a holder's name; the status; the organisation
 * (cases of its units and those below it); a range of China dates on which cases were opened; the column to
 * sort by and which way. Every field is checked here, in words a clerk understands, so the page can say what
 * it ignored and the API can refuse it; nothing here knows SQL (storage/applications.ts turns a
 * {@link CaseSearch} into a query, from a fixed list of columns).
 */
import type { Message } from './errors.js';
import { isIsoDate } from './chineseDate.js';
import { APPLICATION_STATUSES, type ApplicationStatus } from './workflow.js';

/** The columns a list may be sorted by, as they are named in a URL. */
export const CASE_SORTS = ['updated', 'opened', 'case', 'applicant', 'title', 'status', 'with', 'notice'] as const;
export type CaseSort = (typeof CASE_SORTS)[number];
export type SortOrder = 'asc' | 'desc';

/** What the one search box matched: a case number (whole or its start), an ID number, or part of a name. */
export type CaseText = { kind: 'case'; value: string } | { kind: 'idNumber'; value: string } | { kind: 'name'; value: string };

export interface CaseSearch {
  text?: CaseText;
  status?: ApplicationStatus;
  /** Cases of this organisation's units and of those below it. */
  org?: string;
  /** Opened on or after this China date / on or before it (YYYY-MM-DD). */
  from?: string;
  to?: string;
  sort: CaseSort;
  order: SortOrder;
}

/** The words of a search as they arrive (URL query or form), each possibly absent; `limit` and `offset` are the API's page window. */
export type CaseSearchWords = Partial<Record<CaseSearchField, string | undefined>>;

/** The parameters of a search, as they are named in a URL. */
export const CASE_SEARCH_FIELDS = ['q', 'status', 'org', 'from', 'to', 'sort', 'order', 'limit', 'offset'] as const;
export type CaseSearchField = (typeof CASE_SEARCH_FIELDS)[number];

/** What was wrong with a search, and which parameter it was (a problem names that one, never another). */
export interface CaseSearchProblem extends Message {
  field: CaseSearchField;
}

/** Each parameter's name in words, for a message that names it. */
export const CASE_SEARCH_FIELD_NAMES: Record<CaseSearchField, Message> = {
  q: { zh: '搜索内容', en: 'search text' },
  status: { zh: '状态', en: 'status' },
  org: { zh: '单位', en: 'organisation' },
  from: { zh: '起始日期', en: 'start date' },
  to: { zh: '截止日期', en: 'end date' },
  sort: { zh: '排序列', en: 'sort column' },
  order: { zh: '排序方向', en: 'sort order' },
  limit: { zh: '每页条数', en: 'page size' },
  offset: { zh: '起始位置', en: 'offset' },
};

/** The largest page of the API's list, and the furthest it may skip. */
export const MAX_CASE_PAGE = 200;
export const MAX_CASE_OFFSET = 1_000_000;

export const DEFAULT_CASE_SEARCH: CaseSearch = { sort: 'updated', order: 'desc' };

/** The longest search text read; a name is at most 50 characters on the approval form. */
export const MAX_SEARCH_TEXT = 50;

// Case numbers are `RC` + the opening date + `-` + 8 hex digits, written in capitals (services/applications/shared.ts newId).
const CASE_NUMBER = /^RC\d{8}(?:-[0-9A-F]{0,8})?$/i;
const CASE_NUMBER_START = /^RC\d{0,8}$/i;
// A resident ID number: 18 characters (the last a check digit or X) or the old 15 digits.
const ID_NUMBER = /^(?:\d{17}[\dX]|\d{15})$/i;
const ORG_CODE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The one search box: a case number (or its start, `RC2026…`), an ID number (whole: an ID number is never
 * matched by part), else part of the holder's name.
 * @example searchText(' RC20260925 ') // { kind: 'case', value: 'RC20260925' }
 * @example searchText('45010219800512001x') // { kind: 'idNumber', value: '45010219800512001X' }
 * @example searchText('张三') // { kind: 'name', value: '张三' }
 */
export function searchText(raw: string): CaseText | undefined {
  const text = raw.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (!text) return undefined;
  if (CASE_NUMBER.test(text) || CASE_NUMBER_START.test(text)) return { kind: 'case', value: text.toUpperCase() };
  if (ID_NUMBER.test(text)) return { kind: 'idNumber', value: text.toUpperCase() };
  return { kind: 'name', value: text };
}

/**
 * Reads a search from its words. What cannot be read is left out of the search and said in `problems` (the
 * page shows them beside the form; the API refuses the request with them).
 * @example readCaseSearch({ q: '张三', sort: 'applicant', order: 'asc' }).search // { text: { kind: 'name', … }, sort: 'applicant', order: 'asc' }
 */
export function readCaseSearch(words: CaseSearchWords): { search: CaseSearch; problems: CaseSearchProblem[] } {
  const problems: CaseSearchProblem[] = [];
  const search: CaseSearch = { ...DEFAULT_CASE_SEARCH };
  const q = words.q ?? '';
  if ([...q].length > MAX_SEARCH_TEXT) {
    problems.push({ field: 'q', zh: `搜索内容过长（最多 ${MAX_SEARCH_TEXT} 个字），已忽略。`, en: `The search text is too long (at most ${MAX_SEARCH_TEXT} characters) and was ignored.` });
  } else {
    const text = searchText(q);
    if (text) search.text = text;
  }
  if (words.status) {
    if ((APPLICATION_STATUSES as readonly string[]).includes(words.status)) search.status = words.status as ApplicationStatus;
    else problems.push({ field: 'status', zh: '所选状态不存在，已忽略。', en: 'No such status; it was ignored.' });
  }
  if (words.org) {
    if (ORG_CODE.test(words.org)) search.org = words.org;
    else problems.push({ field: 'org', zh: '所选单位不存在，已忽略。', en: 'No such organisation; it was ignored.' });
  }
  for (const field of ['from', 'to'] as const) {
    const value = words[field]?.trim();
    if (!value) continue;
    if (isIsoDate(value)) search[field] = value;
    else problems.push(field === 'from'
      ? { field, zh: `起始日期“${value.slice(0, 20)}”不是有效日期（应为 年-月-日，如 2026-09-01），已忽略。`, en: `The start date "${value.slice(0, 20)}" is not a date (write YYYY-MM-DD, e.g. 2026-09-01); it was ignored.` }
      : { field, zh: `截止日期“${value.slice(0, 20)}”不是有效日期（应为 年-月-日，如 2026-09-30），已忽略。`, en: `The end date "${value.slice(0, 20)}" is not a date (write YYYY-MM-DD, e.g. 2026-09-30); it was ignored.` });
  }
  if (search.from && search.to && search.from > search.to) {
    // The end date is the one named: it is the second written, and the one a clerk corrects.
    problems.push({ field: 'to', zh: '截止日期早于起始日期，日期范围已忽略。', en: 'The end date is before the start date; the date range was ignored.' });
    delete search.from;
    delete search.to;
  }
  if (words.sort) {
    if ((CASE_SORTS as readonly string[]).includes(words.sort)) search.sort = words.sort as CaseSort;
    else problems.push({ field: 'sort', zh: '无法按此列排序，已按更新日期排序。', en: 'Cannot sort by that column; sorted by the date updated.' });
  }
  if (words.order) {
    if (words.order === 'asc' || words.order === 'desc') search.order = words.order;
    else problems.push({ field: 'order', zh: '排序方向应为升序或降序，已按降序排列。', en: 'The order is ascending or descending; descending was used.' });
  }
  return { search, problems };
}

/**
 * The API's page window, `limit` (1 to 200, 50 when absent) and `offset` (0 to 1,000,000): each bad one said in
 * words that name it.
 * @example readCaseWindow({ limit: '0' }).problems[0].field // 'limit'
 */
export function readCaseWindow(words: CaseSearchWords): { limit: number; offset: number; problems: CaseSearchProblem[] } {
  const problems: CaseSearchProblem[] = [];
  const read = (field: 'limit' | 'offset', fallback: number, min: number, max: number): number => {
    const raw = words[field]?.trim();
    if (raw === undefined || raw === '') return fallback;
    if (/^\d{1,7}$/.test(raw) && Number(raw) >= min && Number(raw) <= max) return Number(raw);
    const shown = raw.slice(0, 20);
    problems.push(field === 'limit'
      ? { field, zh: `每页条数“${shown}”无效（应为 ${min} 到 ${max} 的整数）。`, en: `The page size "${shown}" is not valid (a whole number from ${min} to ${max}).` }
      : { field, zh: `起始位置“${shown}”无效（应为 ${min} 到 ${max} 的整数）。`, en: `The offset "${shown}" is not valid (a whole number from ${min} to ${max}).` });
    return fallback;
  };
  return { limit: read('limit', 50, 1, MAX_CASE_PAGE), offset: read('offset', 0, 0, MAX_CASE_OFFSET), problems };
}

/**
 * The words of a search, for a link that keeps it (a pager, a column header): defaults and empty fields left out.
 * @example caseSearchWords({ sort: 'updated', order: 'desc', status: 'submitted' }) // { status: 'submitted' }
 */
export function caseSearchWords(search: CaseSearch): Record<string, string> {
  const words: Record<string, string> = {};
  if (search.text) words['q'] = search.text.value;
  if (search.status) words['status'] = search.status;
  if (search.org) words['org'] = search.org;
  if (search.from) words['from'] = search.from;
  if (search.to) words['to'] = search.to;
  if (search.sort !== DEFAULT_CASE_SEARCH.sort || search.order !== DEFAULT_CASE_SEARCH.order) {
    words['sort'] = search.sort;
    words['order'] = search.order;
  }
  return words;
}

/**
 * The instants a range of China dates covers: from the start of `from` (00:00 China time) to the start of the
 * day after `to`, as ISO instants in UTC, the form the database keeps.
 * @example chinaDayRange('2026-09-01', '2026-09-30') // { since: '2026-08-31T16:00:00.000Z', before: '2026-09-30T16:00:00.000Z' }
 */
export function chinaDayRange(from: string | undefined, to: string | undefined): { since?: string; before?: string } {
  const startOf = (date: string) => new Date(`${date}T00:00:00+08:00`);
  const range: { since?: string; before?: string } = {};
  if (from) range.since = startOf(from).toISOString();
  if (to) range.before = new Date(startOf(to).getTime() + 86_400_000).toISOString();
  return range;
}
