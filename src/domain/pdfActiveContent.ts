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
import { type Dict, type PdfValue, type Positions, GAP, NAME, ValueReader, dataEnds, dataStarts, decodeName, entriesOf, filtersOf, inflate, integerOf, plainParameters, positions } from './pdfSyntax.js';

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
