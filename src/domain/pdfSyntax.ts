/**
 * @module domain/pdfSyntax
 * The PDF syntax the active-content check (domain/pdfActiveContent) reads: names with their #xx escapes
 * (ISO 32000-1 §7.2.2, §7.3.5), values token by token (§7.3), where stream data starts and ends, and the
 * inflating of object streams within a budget. A heuristic reader, not a PDF parser — see that module.
 */

// ---------------------------------------------------------------- text and names

/** A name token: `/` and regular characters (PDF whitespace and delimiters end it; §7.2.2). */
export const NAME = /\/([^\x00\t\n\f\r ()<>[\]{}/%]*)/g;
/** Longest raw name worth decoding: every name we look for, fully #-escaped, is shorter. */
const MAX_NAME_LENGTH = 64;

/** `J#61vaScript` → `JavaScript` (§7.3.5); undefined for a name too long to be one we look for. */
export function decodeName(raw: string): string | undefined {
  if (raw.length > MAX_NAME_LENGTH) return undefined;
  return raw.includes('#') ? raw.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : raw;
}

/** Whitespace, and comments, between tokens: viewers skip both (§7.2.3, §7.2.4). */
export const GAP = String.raw`(?:[\x00\t\n\f\r ]|%[^\r\n]*)+`;

// ---------------------------------------------------------------- reading values (§7.3)

/** A value as far as actions need it: dictionaries, arrays, names (decoded), strings, references. */
export type PdfValue =
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
export class ValueReader {
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
export function entriesOf(dictionary: PdfValue & { kind: 'dict' }, key: string): PdfValue[] {
  return dictionary.entries.filter(([k]) => k === key).map(([, v]) => v);
}

/** A direct non-negative integer entry, or undefined. */
export function integerOf(dictionary: PdfValue & { kind: 'dict' }, key: string): number | undefined {
  const [value] = entriesOf(dictionary, key);
  return value?.kind === 'number' && Number.isInteger(value.value) && value.value >= 0 ? value.value : undefined;
}

// ---------------------------------------------------------------- stream data (§7.3.8)

export type Dict = PdfValue & { kind: 'dict' };

/** Where a pattern occurs in a text, found once; `next(at)`: the first at or after `at` (-1 when none). */
export interface Positions {
  next(at: number): number;
  /** Those before `at`, nearest first. */
  before(at: number): Iterable<number>;
}

export function positions(text: string, pattern: RegExp): Positions {
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
export function dataStarts(text: string, after: number): number[] {
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
export function dataEnds(text: string, start: number, length: number | undefined, markers: Positions): number[] {
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

/** The filters of a stream dictionary (`/Fl` is pdf.js's and Acrobat's short /FlateDecode); undefined when not plain names. */
export function filtersOf(dictionary: Dict): string[] | undefined {
  const [filter] = entriesOf(dictionary, 'Filter');
  if (!filter) return [];
  const names = filter.kind === 'array' ? filter.items : [filter];
  if (!names.every((n) => n.kind === 'name')) return undefined;
  return names.map((n) => (n.kind === 'name' && n.name === 'Fl' ? 'FlateDecode' : n.kind === 'name' ? n.name : ''));
}

/** Whether its /DecodeParms change nothing (absent or null): a predictor is not undone here. */
export function plainParameters(dictionary: Dict): boolean {
  return entriesOf(dictionary, 'DecodeParms').every((p) => p.kind === 'other' || (p.kind === 'array' && p.items.every((i) => i.kind === 'other')));
}

/** Inflates zlib data, giving up once `budget.left` bytes are spent (failed tries count too); undefined when it is not zlib data. */
export async function inflate(data: Uint8Array, budget: { left: number }): Promise<Uint8Array | 'over_budget' | undefined> {
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
