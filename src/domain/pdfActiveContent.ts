/**
 * @module domain/pdfActiveContent
 * Whether a PDF someone uploads as evidence or material (notice 二(三), 四(三)) could act on its own when a
 * reviewer opens it: run a script, launch a program, send data out, open another file, or carry files of
 * any type inside it. A scanned letter, a screenshot saved as PDF or a contract needs none of that, so such
 * a file is refused in words (what was found, and how to make a clean copy) rather than stored and handed to
 * every handler and auditor who opens the record.
 *
 * What is refused, by PDF name (ISO 32000-1 §12.6 actions, §7.11 embedded files, §12.7.8 XFA):
 * - /JavaScript, /JS — scripts; /Launch — starting a program; /SubmitForm, /ImportData — sending or
 *   fetching data; /GoToR, /GoToE — opening another or an embedded file; /RichMedia, /Rendition — media
 *   players (Flash and the like), which can carry scripts; /XFA — dynamic forms, which can carry scripts;
 * - /AA — "additional actions" that fire by themselves (on opening a page, on focus …): a scan has none;
 * - /OpenAction that is an action rather than a page to show: only "go to a page" (/GoTo or a destination)
 *   is allowed, since an opening /URI visits a web address without the reader asking; the actions chained
 *   after it with /Next (a dictionary, a reference, an array of them, to any depth) must be /GoTo too —
 *   values are read token by token, so a `>>` in a string or comment does not end a dictionary early;
 * - /EmbeddedFile(s), /FileAttachment — attachments: they would carry any type of file past the rule that
 *   evidence is a PDF, JPEG or PNG, and no reviewer sees them when printing the record.
 * Links a reader clicks (/URI in a link annotation) stay allowed: documents exported from a word processor
 * have them — unless the address is a `javascript:`, `vbscript:` or `data:` one (whitespace in it ignored,
 * literal or hex string, direct or by reference), which runs a script or carries a page instead.
 *
 * How far it looks — a heuristic screen, not a PDF parser: names are read with their #xx escapes decoded
 * (`/J#61vaScript` is /JavaScript) anywhere outside stream data — inside strings and comments too, which only
 * errs towards refusing. A `stream` keyword counts only after a dictionary that really ends there (read token
 * by token from its `12 0 obj`), with whatever follows it on its line (readers differ: pdf.js skips the line,
 * MuPDF only spaces and one end of line — both places are tried); its data ends at /Length when `endstream`
 * follows there, else at the next `endstream`. Stream data is skipped unless it holds an `obj` keyword, since
 * a cross-reference table may point into it. Object streams — also one whose `endstream` is missing or that
 * hides inside another stream's data — are inflated (FlateDecode, with the DecompressionStream web API) and
 * read the same way, within a total of {@link PDF_MAX_INFLATED_BYTES} (failed tries count) so that the check
 * itself cannot be bombed. What cannot be read that way — an encrypted file, an object stream under another
 * filter, one that does not inflate, more than {@link PDF_MAX_OBJECT_STREAMS} of them, more /ObjStm names in
 * the file than object streams read, a structure too intricate to read in bounded time — is not guessed at:
 * the file is refused as one that cannot be checked.
 */
import { latin1 } from './fileBytes.js';
import type { Message } from './errors.js';

/** Most bytes all of a PDF's object streams may inflate to (their dictionaries, not page images). */
export const PDF_MAX_INFLATED_BYTES = 32 * 1024 * 1024;
/** Most object streams read in one PDF: a 5 MiB document from a real producer has a few dozen. */
export const PDF_MAX_OBJECT_STREAMS = 1000;

/** What a name does, in words a clerk understands. */
const ACTIVE: Readonly<Record<string, Message>> = {
  JavaScript: { zh: 'JavaScript 脚本', en: 'JavaScript' },
  JS: { zh: 'JavaScript 脚本', en: 'JavaScript' },
  Launch: { zh: '启动其他程序的动作', en: 'an action that starts a program' },
  SubmitForm: { zh: '向外发送数据的表单动作', en: 'a form action that sends data out' },
  ImportData: { zh: '导入外部数据的动作', en: 'an action that imports outside data' },
  GoToR: { zh: '打开其他文件的动作', en: 'an action that opens another file' },
  GoToE: { zh: '打开内嵌文件的动作', en: 'an action that opens an embedded file' },
  RichMedia: { zh: '多媒体播放内容（如 Flash）', en: 'rich media (such as Flash)' },
  Rendition: { zh: '多媒体播放动作', en: 'a media playing action' },
  XFA: { zh: 'XFA 动态表单（可含脚本）', en: 'an XFA form (it can hold scripts)' },
  AA: { zh: '打开或浏览时自动执行的动作', en: 'actions that run by themselves (/AA)' },
  EmbeddedFile: { zh: '内嵌的附件文件', en: 'attached files' },
  EmbeddedFiles: { zh: '内嵌的附件文件', en: 'attached files' },
  FileAttachment: { zh: '内嵌的附件文件', en: 'attached files' },
};
const SCRIPT_LINK: Message = { zh: '指向 javascript:、vbscript: 或 data: 地址的链接', en: 'a link to a javascript:, vbscript: or data: address' };
const OPEN_ACTION: Message = { zh: '打开文件时自动执行的动作（/OpenAction）', en: 'an action that runs when the file is opened (/OpenAction)' };

export interface PdfFinding {
  /** The PDF name found, e.g. `/JavaScript`. */
  name: string;
  what: Message;
}

export type PdfCheck = { findings: PdfFinding[] } | { uncheckable: Message };

// ---------------------------------------------------------------- text and names

/** A name token: `/` and regular characters (PDF whitespace and delimiters end it; §7.2.2). */
const NAME = /\/([^\x00\t\n\f\r ()<>[\]{}/%]*)/g;
/** Longest raw name worth decoding: every name we look for, fully #-escaped, is shorter. */
const MAX_NAME_LENGTH = 64;

/** `J#61vaScript` → `JavaScript` (§7.3.5); undefined for a name too long to be one we look for. */
function decodeName(raw: string): string | undefined {
  if (raw.length > MAX_NAME_LENGTH) return undefined;
  return raw.includes('#') ? raw.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : raw;
}

/** Whitespace, and comments, between tokens: viewers skip both (§7.2.3, §7.2.4). */
const GAP = String.raw`(?:[\x00\t\n\f\r ]|%[^\r\n]*)+`;

// ---------------------------------------------------------------- reading values (§7.3)

/** A value as far as actions need it: dictionaries, arrays, names (decoded), strings, references. */
type PdfValue =
  | { kind: 'dict'; entries: [string, PdfValue][] }
  | { kind: 'array'; items: PdfValue[] }
  | { kind: 'name'; name: string }
  | { kind: 'string'; text: string }
  | { kind: 'ref'; number: number }
  | { kind: 'number'; value: number }
  | { kind: 'other' };

/** Deepest nesting and most tokens read for one value: far beyond an action dictionary. */
const MAX_VALUE_DEPTH = 32;
const MAX_VALUE_TOKENS = 20_000;

const REGULAR = /[^\x00\t\n\f\r ()<>[\]{}/%]/;
const WHITESPACE = /[\x00\t\n\f\r ]/;

/** Reads one value at a time from `text`, skipping whitespace and comments like a viewer does. */
class ValueReader {
  at: number;
  /** Tokens read so far (for a file-wide budget). */
  tokens = 0;
  /** Whether the text ended inside a string, dictionary or array. */
  truncated = false;
  constructor(
    private readonly text: string,
    at: number,
  ) {
    this.at = at;
  }

  /** Steps over whitespace and comments; where the next token starts. */
  skip(): number {
    const { text } = this;
    while (this.at < text.length) {
      const c = text[this.at]!;
      if (WHITESPACE.test(c)) this.at++;
      else if (c === '%') while (this.at < text.length && text[this.at] !== '\n' && text[this.at] !== '\r') this.at++;
      else break;
    }
    return this.at;
  }

  /** A run of regular characters (a number or a keyword). */
  private word(): string {
    const start = this.at;
    while (this.at < this.text.length && REGULAR.test(this.text[this.at]!)) this.at++;
    return this.text.slice(start, this.at);
  }

  private literal(): string {
    const { text } = this;
    let depth = 0;
    let out = '';
    for (this.at++; this.at < text.length; this.at++) {
      const c = text[this.at]!;
      if (c === '\\') {
        const next = text[++this.at] ?? '';
        const octal = /^[0-7]{1,3}/.exec(text.slice(this.at, this.at + 3));
        if (octal) {
          out += String.fromCharCode(parseInt(octal[0], 8) & 0xff);
          this.at += octal[0].length - 1;
        } else out += ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '\r': '', '\n': '' } as Record<string, string>)[next] ?? next;
      } else if (c === '(') {
        depth++;
        out += c;
      } else if (c === ')') {
        if (depth-- === 0) {
          this.at++;
          return out;
        }
        out += c;
      } else out += c;
      if (out.length > 64 * 1024) break;
    }
    this.truncated = true;
    return out;
  }

  /** The next value; `undefined` at the end of a dictionary or array, or of the text. */
  value(depth = 0): PdfValue | undefined {
    if (++this.tokens > MAX_VALUE_TOKENS || depth > MAX_VALUE_DEPTH) return undefined;
    this.skip();
    const { text } = this;
    const c = text[this.at];
    if (c === undefined || c === ']' || c === ')' || text.startsWith('>>', this.at)) return undefined;
    if (text.startsWith('<<', this.at)) {
      this.at += 2;
      const entries: [string, PdfValue][] = [];
      for (;;) {
        const key = this.value(depth + 1);
        if (!key) break;
        if (key.kind !== 'name') continue;
        const value = this.value(depth + 1);
        if (!value) break;
        entries.push([key.name, value]);
      }
      this.skip();
      if (text.startsWith('>>', this.at)) this.at += 2;
      else this.truncated = true;
      return { kind: 'dict', entries };
    }
    if (c === '[') {
      this.at++;
      const items: PdfValue[] = [];
      for (let item = this.value(depth + 1); item; item = this.value(depth + 1)) items.push(item);
      this.skip();
      if (text[this.at] === ']') this.at++;
      else this.truncated = true;
      return { kind: 'array', items };
    }
    if (c === '(') return { kind: 'string', text: this.literal() };
    if (c === '<') {
      const end = text.indexOf('>', this.at);
      const hex = text.slice(this.at + 1, end < 0 ? text.length : end).replace(/[^0-9A-Fa-f]/g, '');
      if (end < 0) this.truncated = true;
      this.at = end < 0 ? text.length : end + 1;
      return { kind: 'string', text: (hex.length % 2 ? `${hex}0` : hex).replace(/../g, (h) => String.fromCharCode(parseInt(h, 16))) };
    }
    if (c === '/') {
      this.at++;
      const raw = this.word();
      return { kind: 'name', name: decodeName(raw) ?? raw };
    }
    const word = this.word();
    if (!word) {
      this.at++; // a stray delimiter ( '}' , '{' , a lone '>' ): step over it
      return { kind: 'other' };
    }
    if (/^\d+$/.test(word)) {
      const back = this.at;
      this.skip();
      const generation = this.word();
      this.skip();
      if (/^\d+$/.test(generation) && this.word() === 'R') return { kind: 'ref', number: Number(word) };
      this.at = back;
    }
    return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(word) ? { kind: 'number', value: Number(word) } : { kind: 'other' };
  }
}

/** A dictionary's entries by key (a key written twice keeps both values). */
function entriesOf(dictionary: PdfValue & { kind: 'dict' }, key: string): PdfValue[] {
  return dictionary.entries.filter(([k]) => k === key).map(([, v]) => v);
}

/** A direct non-negative integer entry, or undefined. */
function integerOf(dictionary: PdfValue & { kind: 'dict' }, key: string): number | undefined {
  const [value] = entriesOf(dictionary, key);
  return value?.kind === 'number' && Number.isInteger(value.value) && value.value >= 0 ? value.value : undefined;
}

// ---------------------------------------------------------------- the scan

interface Scan {
  findings: Map<string, PdfFinding>;
  encrypted: boolean;
  /** Where each /OpenAction's value starts, in which text. */
  openActions: { text: string; at: number }[];
  /** How many /ObjStm names the file's own text holds (each object stream's /Type says it once). */
  objStmNames: number;
  /** Where each /URI's value starts, in which text. */
  uris: { text: string; at: number }[];
}

/** Reads every name in text[from, to); `file`: the text is the file's own (not an inflated object stream). */
function scanNames(text: string, from: number, to: number, scan: Scan, file = true): void {
  NAME.lastIndex = from;
  for (let m = NAME.exec(text); m && m.index < to; m = NAME.exec(text)) {
    const name = decodeName(m[1] ?? '');
    if (name === undefined) continue;
    const what = Object.hasOwn(ACTIVE, name) ? ACTIVE[name] : undefined;
    if (what && !scan.findings.has(name)) scan.findings.set(name, { name: `/${name}`, what });
    else if (name === 'Encrypt') scan.encrypted = true;
    else if (name === 'OpenAction') scan.openActions.push({ text, at: NAME.lastIndex });
    else if (name === 'ObjStm' && file) scan.objStmNames++;
    else if (name === 'URI') scan.uris.push({ text, at: NAME.lastIndex });
  }
}

/**
 * `stream` as a keyword (§7.3.8.1), whatever follows it on its line: readers differ (pdf.js skips to the
 * next line, MuPDF skips spaces and one end of line), so both places are tried. Whether a dictionary really
 * ends right before it is checked by reading that dictionary.
 */
const STREAM = /(?<=[\x00\t\n\f\r >])stream(?![^\x00\t\n\f\r ()<>[\]{}/%])/g;
/** `obj` as a keyword: stream data holding one may hold an object a cross-reference table points at. */
const OBJ_KEYWORD = /(?<![^\x00\t\n\f\r ()<>[\]{}/%0-9])obj(?![^\x00\t\n\f\r ()<>[\]{}/%])/;
/** The `12 0 ` before an `obj` keyword (comments allowed). */
const HEADER_BEFORE = new RegExp(`(?<![0-9])\\d+${GAP}\\d+(?:${GAP})?$`);

/** Longest stream dictionary read: no producer writes one near this. */
const MAX_DICTIONARY = 64 * 1024;
/** Object headers tried backwards from one `stream` keyword (a string in the dictionary may fake one). */
const MAX_HEADER_TRIES = 8;
/** Tokens read for all stream dictionaries of one file together: a real file needs a few per cent of it. */
const MAX_DICTIONARY_TOKENS = 2_000_000;

type Dict = PdfValue & { kind: 'dict' };

/**
 * The dictionary of the stream whose `stream` keyword is at `keyword`: the value after an object header
 * (`12 0 obj`) before it, read token by token, which must end right at the keyword. Undefined when there is
 * none: then the keyword is in a string or in data, and what follows it is not stream data.
 */
function streamDictionary(text: string, keyword: number, objKeywords: Positions, reading: { tokens: number }): { dictionary: Dict; from: number } | undefined {
  const before = text.slice(0, keyword);
  let tries = 0;
  for (const at of objKeywords.before(keyword)) {
    if (keyword - at > MAX_DICTIONARY || tries >= MAX_HEADER_TRIES) break;
    tries += 1 / 16; // every `obj` looked at costs a little, a real header (read as a dictionary) a whole try
    if (!HEADER_BEFORE.test(text.slice(Math.max(0, at - 256), at))) continue;
    tries += 1 - 1 / 16;
    const reader = new ValueReader(before, at + 3);
    const value = reader.value();
    reading.tokens += reader.tokens;
    if (value?.kind === 'dict' && !reader.truncated && reader.skip() === keyword) return { dictionary: value, from: at + 3 };
  }
  return undefined;
}

interface StreamPart {
  dictionary: Dict;
  /** How many /ObjStm names its dictionary holds (for the count of object streams read). */
  objStmNames: number;
  /** Where its data may lie, most likely first: readers disagree where a sloppy stream starts and ends. */
  spans: [number, number][];
}

/** Where a pattern occurs in a text, found once; `next(at)`: the first at or after `at` (-1 when none). */
interface Positions {
  next(at: number): number;
  /** Those before `at`, nearest first. */
  before(at: number): Iterable<number>;
}

function positions(text: string, pattern: RegExp): Positions {
  const found = [...text.matchAll(pattern)].map((m) => m.index);
  /** The index of the first position at or after `at` (binary search). */
  const firstFrom = (at: number) => {
    let low = 0;
    let high = found.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (found[mid]! < at) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  return {
    next: (at) => found[firstFrom(at)] ?? -1,
    *before(at) {
      for (let k = firstFrom(at) - 1; k >= 0; k--) yield found[k]!;
    },
  };
}

/** Where the data of the stream whose keyword ends at `after` may start: MuPDF's way, then pdf.js's. */
function dataStarts(text: string, after: number): number[] {
  let mupdf = after;
  while (text[mupdf] === ' ' || text[mupdf] === '\t' || text[mupdf] === '\x00' || text[mupdf] === '\f') mupdf++;
  if (text[mupdf] === '\r') mupdf++;
  if (text[mupdf] === '\n') mupdf++;
  let line = after;
  const limit = Math.min(text.length, after + 1024); // no reader keeps a line that long after `stream`
  while (line < limit && text[line] !== '\r' && text[line] !== '\n') line++;
  if (text[line] === '\r') line++;
  if (text[line] === '\n') line++;
  return line === mupdf ? [mupdf] : [mupdf, line];
}

/** Where stream data starting at `start` ends: at /Length when `endstream` follows there, else before the next `endstream`. */
function dataEnds(text: string, start: number, length: number | undefined, markers: Positions): number[] {
  const ends: number[] = [];
  const declared = length !== undefined && start + length <= text.length ? start + length : undefined;
  if (declared !== undefined && /^[\x00\t\n\f\r ]*endstream/.test(text.slice(declared, declared + 64))) ends.push(declared);
  const marker = markers.next(start);
  if (marker >= 0) {
    const eol = /(?:\r\n|\n|\r)$/.exec(text.slice(Math.max(start, marker - 2), marker))?.[0].length ?? 0;
    ends.push(marker - eol, marker);
  }
  if (declared !== undefined) ends.push(declared);
  ends.push(text.length);
  return [...new Set(ends)];
}

/**
 * Reads the file's names outside stream data (and inside it where it holds an `obj` keyword), and returns
 * the streams shaped like object streams (§7.5.7: /Type /ObjStm, or /N and /First) — also those inside
 * another stream's data, where a cross-reference table could point; undefined past {@link MAX_DICTIONARY_TOKENS}.
 */
function scanFile(text: string, scan: Scan): StreamPart[] | undefined {
  const objectStreams: StreamPart[] = [];
  const reading = { tokens: 0 };
  const markers = positions(text, /endstream/g);
  const objKeywords = positions(text, new RegExp(OBJ_KEYWORD.source, 'g'));
  let from = 0;
  for (const m of text.matchAll(STREAM)) {
    const found = streamDictionary(text, m.index, objKeywords, reading);
    if (reading.tokens > MAX_DICTIONARY_TOKENS) return undefined;
    if (!found) continue; // not a stream: its text is read with the rest
    const { dictionary } = found;
    const starts = dataStarts(text, m.index + m[0].length);
    const length = integerOf(dictionary, 'Length');
    const [start] = starts as [number];
    const [end] = dataEnds(text, start, length, markers) as [number];
    if (m.index >= from) {
      // A stream of the file's own: its dictionary is read with the text before it, its data only if it holds an object.
      scanNames(text, from, m.index, scan);
      const object = objKeywords.next(m.index + m[0].length);
      if (object >= 0 && object < end) scanNames(text, m.index + m[0].length, end, scan);
      from = Math.max(end, m.index + m[0].length);
    }
    const type = entriesOf(dictionary, 'Type');
    if (type.some((t) => t.kind === 'name' && t.name === 'ObjStm') || (entriesOf(dictionary, 'N').length > 0 && entriesOf(dictionary, 'First').length > 0)) {
      const objStmNames = [...text.slice(found.from, m.index).matchAll(new RegExp(NAME.source, 'g'))].filter((n) => decodeName(n[1] ?? '') === 'ObjStm').length;
      objectStreams.push({ dictionary, objStmNames, spans: starts.flatMap((s) => dataEnds(text, s, length, markers).map((e): [number, number] => [s, e])) });
    }
  }
  scanNames(text, from, text.length, scan);
  return objectStreams;
}

/** The filters of a stream dictionary (`/Fl` is pdf.js's and Acrobat's short /FlateDecode); undefined when not plain names. */
function filtersOf(dictionary: Dict): string[] | undefined {
  const [filter] = entriesOf(dictionary, 'Filter');
  if (!filter) return [];
  const names = filter.kind === 'array' ? filter.items : [filter];
  if (!names.every((n) => n.kind === 'name')) return undefined;
  return names.map((n) => (n.kind === 'name' && n.name === 'Fl' ? 'FlateDecode' : n.kind === 'name' ? n.name : ''));
}

/** Whether its /DecodeParms change nothing (absent or null): a predictor is not undone here. */
function plainParameters(dictionary: Dict): boolean {
  return entriesOf(dictionary, 'DecodeParms').every((p) => p.kind === 'other' || (p.kind === 'array' && p.items.every((i) => i.kind === 'other')));
}

/** Inflates zlib data, giving up once `budget.left` bytes are spent (failed tries count too); undefined when it is not zlib data. */
async function inflate(data: Uint8Array, budget: { left: number }): Promise<Uint8Array | 'over_budget' | undefined> {
  const reader = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate')).getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      budget.left -= value.length;
      if (budget.left < 0) {
        void reader.cancel().catch(() => undefined);
        return 'over_budget';
      }
      parts.push(value);
    }
  } catch {
    return undefined;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

// ---------------------------------------------------------------- /OpenAction and /Next

interface ObjectSource {
  text: string;
  /** Where each object (by number) starts in `text`. */
  offsets: (number: number) => number[];
}

/** Longest /Next chain followed: producers write one or two; past this the action is taken as acting. */
const MAX_ACTION_CHAIN = 16;
/** Most actions and references visited for all of a file's opening actions together. */
const MAX_ACTION_VISITS = 2_000;

interface ActionWalk {
  sources: readonly ObjectSource[];
  seen: Set<number>;
  visits: number;
}

/**
 * Whether a value starts an action other than "go to a page", following references and /Next chains (§12.6.2:
 * /Next is one action or an array of them, run after this one). `asAction`: an array is a list of actions
 * (a /Next), not a destination (an /OpenAction's page). A reference to nothing, a chain past
 * {@link MAX_ACTION_CHAIN} or a walk past {@link MAX_ACTION_VISITS} counts as acting: no producer writes those.
 */
function acts(value: PdfValue, walk: ActionWalk, depth: number, asAction: boolean): boolean {
  if (depth > MAX_ACTION_CHAIN || ++walk.visits > MAX_ACTION_VISITS) return true;
  switch (value.kind) {
    case 'ref': {
      if (walk.seen.has(value.number)) return false; // a cycle: what it leads to is being checked already
      walk.seen.add(value.number);
      const targets = walk.sources.flatMap((source) => source.offsets(value.number).map((at) => new ValueReader(source.text, at).value()));
      if (targets.length === 0) return true;
      return targets.some((target) => target !== undefined && acts(target, walk, depth + 1, asAction));
    }
    case 'array':
      return asAction && value.items.some((item) => acts(item, walk, depth + 1, true));
    case 'dict':
      return value.entries.some(([key, entry]) => (key === 'S' ? !(entry.kind === 'name' && entry.name === 'GoTo') : key === 'Next' && acts(entry, walk, depth + 1, true)));
    default:
      return false;
  }
}

/** Where every object of `text` starts (`12 0 obj`, comments allowed between the parts), by number. */
function objectIndex(text: string): Map<number, number[]> {
  const index = new Map<number, number[]>();
  for (const m of text.matchAll(new RegExp(`(?<![0-9])(\\d+)${GAP}\\d+${GAP}obj(?![^\\x00\\t\\n\\f\\r ()<>[\\]{}/%])`, 'g'))) {
    const number = Number(m[1]);
    index.set(number, [...(index.get(number) ?? []), m.index + m[0].length]);
  }
  return index;
}

/** Objects of the file itself: `12 0 obj` → where its value starts (indexed on first use). */
function fileObjects(text: string): ObjectSource {
  let index: Map<number, number[]> | undefined;
  return {
    text,
    offsets: (number) => (index ??= objectIndex(text)).get(number) ?? [],
  };
}

/** Objects of an inflated object stream: its header lists number and offset pairs, offsets from /First. */
function streamObjects(first: number, text: string): ObjectSource {
  const pairs = text.slice(0, first).trim().split(/[\x00\t\n\f\r ]+/).map(Number);
  return {
    text,
    offsets: (number) => {
      const found: number[] = [];
      for (let k = 0; k + 1 < pairs.length; k += 2) if (pairs[k] === number) found.push(first + (pairs[k + 1] ?? 0));
      return found;
    },
  };
}

/**
 * Whether a link's address runs a script or carries a page rather than pointing at one: readers drop
 * whitespace and control characters in a scheme as browsers do, so `java\tscript:` counts.
 */
function isScriptAddress(address: string): boolean {
  return /^(?:javascript|vbscript|data):/i.test(address.replace(/[\x00-\x20\x7f]+/g, ''));
}

// ---------------------------------------------------------------- the check

/**
 * What active content a PDF holds, or why it cannot be checked. Pure: bytes in, findings out.
 * @example
 * await findActiveContent(new TextEncoder().encode('%PDF-1.7 … /OpenAction << /S /JavaScript /JS (app.alert(1)) >> …'))
 * // { findings: [{ name: '/JavaScript', what: { zh: 'JavaScript 脚本', en: 'JavaScript' } }, …] }
 */
export async function findActiveContent(bytes: Uint8Array): Promise<PdfCheck> {
  const text = latin1(bytes);
  const scan: Scan = { findings: new Map(), encrypted: false, openActions: [], objStmNames: 0, uris: [] };
  const objectStreams = scanFile(text, scan);
  if (!objectStreams) return { uncheckable: { zh: '文件结构过于复杂，无法检查其内容', en: 'its structure is too intricate to check' } };
  if (scan.encrypted) return { uncheckable: { zh: '文件已加密或设有权限密码，无法检查其内容', en: 'it is encrypted (or has a permissions password), so its content cannot be checked' } };
  if (objectStreams.length > PDF_MAX_OBJECT_STREAMS) return { uncheckable: { zh: `对象流超过 ${PDF_MAX_OBJECT_STREAMS} 个，无法检查`, en: `it has more than ${PDF_MAX_OBJECT_STREAMS} object streams, too many to check` } };

  const sources: ObjectSource[] = [fileObjects(text)];
  const budget = { left: PDF_MAX_INFLATED_BYTES };
  let objStmNamesRead = 0;
  for (const { dictionary, objStmNames, spans } of objectStreams) {
    const filters = filtersOf(dictionary);
    const contents: Uint8Array[] = [];
    if (filters && filters.length === 0) contents.push(...spans.filter(([start], k) => spans.findIndex(([s]) => s === start) === k).map(([start, end]) => bytes.subarray(start, end)));
    else if (filters?.length === 1 && filters[0] === 'FlateDecode' && plainParameters(dictionary)) {
      // Every start readers could take, each with the first end that inflates: whatever any reader sees is read.
      for (const start of new Set(spans.map(([s]) => s))) {
        for (const [, end] of spans.filter(([s]) => s === start)) {
          const inflated = await inflate(bytes.subarray(start, end), budget);
          if (inflated === 'over_budget') {
            return { uncheckable: { zh: `压缩内容解压后超过 ${PDF_MAX_INFLATED_BYTES / 1024 / 1024} MiB，无法检查`, en: `its compressed content inflates past ${PDF_MAX_INFLATED_BYTES / 1024 / 1024} MiB, too much to check` } };
          }
          if (inflated) {
            contents.push(inflated);
            break;
          }
        }
      }
      if (contents.length === 0) return { uncheckable: { zh: '压缩的对象流已损坏，无法检查', en: 'a compressed object stream is damaged, so it cannot be checked' } };
    } else {
      return { uncheckable: { zh: '对象流使用了无法检查的压缩方式', en: 'an object stream uses a compression that cannot be checked' } };
    }
    objStmNamesRead += objStmNames;
    for (const content of contents) {
      const objects = latin1(content);
      scanNames(objects, 0, objects.length, scan, false);
      sources.push(streamObjects(integerOf(dictionary, 'First') ?? 0, objects));
    }
  }
  if (scan.objStmNames > objStmNamesRead) {
    return {
      uncheckable: {
        zh: `文件声明了 ${scan.objStmNames} 个对象流，只能读取其中 ${objStmNamesRead} 个，无法检查`,
        en: `it names ${scan.objStmNames} object streams but only ${objStmNamesRead} could be read, so it cannot be checked`,
      },
    };
  }
  if (scan.encrypted) return { uncheckable: { zh: '文件已加密或设有权限密码，无法检查其内容', en: 'it is encrypted (or has a permissions password), so its content cannot be checked' } };
  const walk: ActionWalk = { sources, seen: new Set(), visits: 0 };
  const opening = (source: string, at: number) => {
    const value = new ValueReader(source, at).value();
    return value === undefined || acts(value, walk, 0, false);
  };
  const scriptLink = ({ text: source, at }: { text: string; at: number }) => {
    let value = new ValueReader(source, at).value();
    if (value?.kind === 'ref') {
      const number = value.number;
      value = sources.flatMap((s) => s.offsets(number).map((start) => new ValueReader(s.text, start).value())).find((v) => v?.kind === 'string');
    }
    return value?.kind === 'string' && isScriptAddress(value.text);
  };
  if (scan.uris.some(scriptLink)) scan.findings.set('URI', { name: '/URI', what: SCRIPT_LINK });
  if (scan.openActions.some(({ text: source, at }) => opening(source, at))) scan.findings.set('OpenAction', { name: '/OpenAction', what: OPEN_ACTION });
  return { findings: [...scan.findings.values()] };
}
