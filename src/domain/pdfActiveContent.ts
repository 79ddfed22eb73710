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
 *   is allowed, since an opening /URI visits a web address without the reader asking;
 * - /EmbeddedFile(s), /FileAttachment — attachments: they would carry any type of file past the rule that
 *   evidence is a PDF, JPEG or PNG, and no reviewer sees them when printing the record.
 * Links a reader clicks (/URI in a link annotation) stay allowed: documents exported from a word processor
 * have them.
 *
 * How far it looks: names are read with their #xx escapes decoded (`/J#61vaScript` is /JavaScript) anywhere
 * outside stream data — inside strings and comments too, which only errs towards refusing. Stream data is
 * skipped unless it holds something shaped like an object header (`12 0 obj`), since a cross-reference table
 * may point into it. Object streams, where compressed PDFs keep their dictionaries, are inflated (FlateDecode,
 * with the DecompressionStream web API) and read the same way, within a total of
 * {@link PDF_MAX_INFLATED_BYTES} so that the check itself cannot be bombed. What cannot be read that way —
 * an encrypted file, an object stream under another filter, one that does not inflate, more than
 * {@link PDF_MAX_OBJECT_STREAMS} of them — is not guessed at: the file is refused as one that cannot be checked.
 */
import { latin1 } from './bytes.js';
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

/** The text with every name written without escapes (for reading small dictionaries with expressions). */
function decodeNames(text: string): string {
  return text.replace(NAME, (whole, raw: string) => {
    const name = decodeName(raw);
    return name === undefined ? whole : `/${name}`;
  });
}

// ---------------------------------------------------------------- the scan

interface Scan {
  findings: Map<string, PdfFinding>;
  encrypted: boolean;
  /** Where each /OpenAction's value starts, in which text. */
  openActions: { text: string; at: number }[];
}

/** Reads every name in text[from, to). */
function scanNames(text: string, from: number, to: number, scan: Scan): void {
  NAME.lastIndex = from;
  for (let m = NAME.exec(text); m && m.index < to; m = NAME.exec(text)) {
    const name = decodeName(m[1] ?? '');
    if (name === undefined) continue;
    const what = ACTIVE[name];
    if (what && !scan.findings.has(name)) scan.findings.set(name, { name: `/${name}`, what });
    else if (name === 'Encrypt') scan.encrypted = true;
    else if (name === 'OpenAction') scan.openActions.push({ text, at: NAME.lastIndex });
  }
}

/** `stream` as a keyword: after whitespace or `>>`, followed by an end of line (§7.3.8.1). */
const STREAM = /(?<=[\x00\t\n\f\r >])stream(?:\r\n|\n|\r)/g;
/** Something a cross-reference table could point at as an object. */
const OBJECT_HEADER = /\d+[\x00\t\n\f\r ]+\d+[\x00\t\n\f\r ]+obj(?![^\x00\t\n\f\r ()<>[\]{}/%])/;

/** Longest stream dictionary read: no producer writes one near this. */
const MAX_DICTIONARY = 64 * 1024;

/**
 * The dictionary of the stream whose `stream` keyword is at `keyword`, names decoded: from the object header
 * before it (`12 0 obj`). A literal string in it could fake a header, so then it reads back to the previous
 * stream instead (which only errs towards inspecting). Undefined past {@link MAX_DICTIONARY}.
 */
function streamDictionary(text: string, keyword: number): string | undefined {
  for (let at = text.lastIndexOf('obj', keyword); at >= 0 && keyword - at <= MAX_DICTIONARY; at = text.lastIndexOf('obj', at - 1)) {
    if (!/\d+[\x00\t\n\f\r ]+\d+[\x00\t\n\f\r ]+$/.test(text.slice(Math.max(0, at - 40), at))) continue;
    let dictionary = text.slice(at, keyword);
    if (dictionary.includes('(')) dictionary = text.slice(Math.max(keyword - MAX_DICTIONARY, text.lastIndexOf('endstream', keyword) + 1), keyword);
    return decodeNames(dictionary);
  }
  return undefined;
}

interface StreamPart {
  /** The stream's dictionary, names decoded. */
  dictionary: string;
  data: Uint8Array;
}

/**
 * Reads the file's names outside stream data, and returns the streams shaped like object streams
 * (§7.5.7: /Type /ObjStm, or /N and /First); undefined when the structure cannot be followed.
 */
function scanFile(bytes: Uint8Array, text: string, scan: Scan): StreamPart[] | undefined {
  const objectStreams: StreamPart[] = [];
  let from = 0;
  STREAM.lastIndex = 0;
  for (let m = STREAM.exec(text); m; m = STREAM.exec(text)) {
    const dataStart = m.index + m[0].length;
    const end = text.indexOf('endstream', dataStart);
    const dataEnd = end < 0 ? text.length : end;
    const dictionary = streamDictionary(text, m.index);
    if (dictionary === undefined) return undefined;
    scanNames(text, from, dataStart, scan);
    const stored = text.slice(dataStart, dataEnd);
    if (OBJECT_HEADER.test(stored)) scanNames(text, dataStart, dataEnd, scan); // a hidden object: read it too
    if (/\/Type\s*\/ObjStm(?![^\x00\t\n\f\r ()<>[\]{}/%])/.test(dictionary) || (/\/N\s+\d/.test(dictionary) && /\/First\s+\d/.test(dictionary))) {
      const length = /\/Length\s+(\d+)(?!\d)(?!\s+\d+\s+R)/.exec(dictionary);
      const declared = length ? Number(length[1]) : NaN;
      const to = Number.isFinite(declared) && dataStart + declared <= dataEnd ? dataStart + declared : dataEnd - (/\r?\n$|\r$/.exec(stored)?.[0].length ?? 0);
      objectStreams.push({ dictionary, data: bytes.subarray(dataStart, to) });
    }
    from = dataEnd;
    STREAM.lastIndex = Math.max(dataEnd, STREAM.lastIndex);
  }
  scanNames(text, from, text.length, scan);
  return objectStreams;
}

/** The filters of a stream dictionary: `/FlateDecode` or `[/FlateDecode]` → ['FlateDecode']. */
function filtersOf(dictionary: string): string[] | undefined {
  const m = /\/Filter\s*(\[[^\]]*\]|\/[^\x00\t\n\f\r ()<>[\]{}/%]*)/.exec(dictionary);
  if (!m) return /\/Filter/.test(dictionary) ? undefined : [];
  return [...(m[1] ?? '').matchAll(/\/([^\x00\t\n\f\r ()<>[\]{}/%]*)/g)].map((n) => n[1] ?? '');
}

/** Inflates zlib data, giving up past `budget` bytes; undefined when it is not zlib data. */
async function inflate(data: Uint8Array, budget: number): Promise<Uint8Array | 'over_budget' | undefined> {
  const reader = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate')).getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > budget) {
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

// ---------------------------------------------------------------- /OpenAction

const PDF_SPACE = /[\x00\t\n\f\r ]/;

interface ObjectSource {
  text: string;
  /** Where each object (by number) starts in `text`. */
  offsets: (number: number) => number[];
}

/** Whether the value at `at` is an action other than "go to a page", following references. */
function isActingOpenAction(text: string, at: number, sources: readonly ObjectSource[], depth = 0): boolean {
  if (depth > 4) return true; // a chain of references no producer writes: not worth the benefit of the doubt
  let i = at;
  while (i < text.length && PDF_SPACE.test(text[i]!)) i++;
  if (text[i] === '[') return false; // a destination: the page to show
  if (text.startsWith('<<', i)) {
    const end = text.indexOf('>>', i);
    const dictionary = decodeNames(text.slice(i, end < 0 ? Math.min(text.length, i + 64 * 1024) : Math.min(end, i + 64 * 1024)));
    const kinds = [...dictionary.matchAll(/\/S\s*\/([^\x00\t\n\f\r ()<>[\]{}/%]*)/g)].map((m) => m[1]);
    return kinds.some((kind) => kind !== 'GoTo');
  }
  const ref = /^(\d+)\s+\d+\s+R/.exec(text.slice(i, i + 40));
  if (!ref) return false;
  const number = Number(ref[1]);
  return sources.some((source) => source.offsets(number).some((start) => isActingOpenAction(source.text, start, sources, depth + 1)));
}

/** Objects of the file itself: `12 0 obj` → where its value starts. */
function fileObjects(text: string): ObjectSource {
  return {
    text,
    offsets: (number) => [...text.matchAll(new RegExp(`(?<![0-9])${number}[\\x00\\t\\n\\f\\r ]+\\d+[\\x00\\t\\n\\f\\r ]+obj`, 'g'))].map((m) => m.index + m[0].length),
  };
}

/** Objects of an inflated object stream: its header lists number and offset pairs, offsets from /First. */
function streamObjects(dictionary: string, text: string): ObjectSource {
  const first = Number(/\/First\s+(\d+)/.exec(dictionary)?.[1] ?? 0);
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

// ---------------------------------------------------------------- the check

/**
 * What active content a PDF holds, or why it cannot be checked. Pure: bytes in, findings out.
 * @example
 * await findActiveContent(new TextEncoder().encode('%PDF-1.7 … /OpenAction << /S /JavaScript /JS (app.alert(1)) >> …'))
 * // { findings: [{ name: '/JavaScript', what: { zh: 'JavaScript 脚本', en: 'JavaScript' } }, …] }
 */
export async function findActiveContent(bytes: Uint8Array): Promise<PdfCheck> {
  const text = latin1(bytes);
  const scan: Scan = { findings: new Map(), encrypted: false, openActions: [] };
  const objectStreams = scanFile(bytes, text, scan);
  const malformed = { zh: '文件结构异常，无法检查其内容', en: 'its structure is malformed, so its content cannot be checked' };
  if (!objectStreams) return { uncheckable: malformed };
  if (scan.encrypted) return { uncheckable: { zh: '文件已加密或设有权限密码，无法检查其内容', en: 'it is encrypted (or has a permissions password), so its content cannot be checked' } };
  if (objectStreams.length > PDF_MAX_OBJECT_STREAMS) return { uncheckable: { zh: `对象流超过 ${PDF_MAX_OBJECT_STREAMS} 个，无法检查`, en: `it has more than ${PDF_MAX_OBJECT_STREAMS} object streams, too many to check` } };

  const sources: ObjectSource[] = [fileObjects(text)];
  let budget = PDF_MAX_INFLATED_BYTES;
  for (const { dictionary, data } of objectStreams) {
    const filters = filtersOf(dictionary);
    let content: Uint8Array;
    if (filters && filters.length === 0) content = data;
    else if (filters?.length === 1 && filters[0] === 'FlateDecode' && !/\/DecodeParms(?![\x00\t\n\f\r ]*null)/.test(dictionary)) {
      const inflated = await inflate(data, budget);
      if (inflated === 'over_budget') {
        return { uncheckable: { zh: `压缩内容解压后超过 ${PDF_MAX_INFLATED_BYTES / 1024 / 1024} MiB，无法检查`, en: `its compressed content inflates past ${PDF_MAX_INFLATED_BYTES / 1024 / 1024} MiB, too much to check` } };
      }
      if (!inflated) return { uncheckable: { zh: '压缩的对象流已损坏，无法检查', en: 'a compressed object stream is damaged, so it cannot be checked' } };
      content = inflated;
      budget -= inflated.length;
    } else {
      return { uncheckable: { zh: '对象流使用了无法检查的压缩方式', en: 'an object stream uses a compression that cannot be checked' } };
    }
    const objects = latin1(content);
    scanNames(objects, 0, objects.length, scan);
    sources.push(streamObjects(dictionary, objects));
  }
  if (scan.encrypted) return { uncheckable: { zh: '文件已加密或设有权限密码，无法检查其内容', en: 'it is encrypted (or has a permissions password), so its content cannot be checked' } };
  if (scan.openActions.some(({ text: source, at }) => isActingOpenAction(source, at, sources))) scan.findings.set('OpenAction', { name: '/OpenAction', what: OPEN_ACTION });
  return { findings: [...scan.findings.values()] };
}
