/**
 * @module render/approvalForm/template
 * The approval form's layout as data (`templates/approval-form.json`): attachment 1 of the notice — its
 * cover, the two pledges, the basic-facts table, work history, work summary and the four opinion boxes —
 * in millimetres from the page's top-left and points. Parsed once at start-up by a strict reader (unknown
 * keys are refused too, so a misspelt key cannot silently fall back), naming every bad key.
 */

/** The cover's four fill-in lines (单位, 姓名, 原取得职称名称, 填表时间). */
export const COVER_KEYS = ['unitName', 'applicantName', 'originalTitleName', 'filledOn'] as const;
export type CoverKey = (typeof COVER_KEYS)[number];

/** Every cell of 基本情况; the template places each exactly once. */
export const FACT_KEYS = [
  'name',
  'gender',
  'idNumber',
  'birthMonth',
  'education',
  'graduation',
  'workStartedOn',
  'originalEmployer',
  'originalWork',
  'currentEmployer',
  'currentWork',
  'personnelFileHolder',
  'seriesName',
  'committeeName',
  'levelName',
  'titleName',
  'methodName',
  'acquiredOn',
  'specialty',
] as const;
export type FactKey = (typeof FACT_KEYS)[number];

/** The columns of 主要工作经历. */
export const HISTORY_KEYS = ['period', 'place', 'work', 'post'] as const;
export type HistoryKey = (typeof HISTORY_KEYS)[number];

/** The four opinion boxes, in the order the form's 职称重新确认职称资格意见 prints them. */
export const OPINION_KEYS = ['unit', 'department', 'titleOffice', 'authority'] as const;
export type OpinionKey = (typeof OPINION_KEYS)[number];

/** Reads one value at `path`, recording what is wrong with it in `problems`. */
type Reader<T> = (value: unknown, path: string, problems: string[]) => T;
type Shape = Record<string, Reader<unknown>>;
type ReadShape<S extends Shape> = { [K in keyof S]: S[K] extends Reader<infer T> ? T : never };

const at = (path: string, key: string | number): string => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

const number =
  (min: number, max: number, integer = false): Reader<number> =>
  (value, path, problems) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      problems.push(`${path}: ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
    }
    return value as number;
  };

const text: Reader<string> = (value, path, problems) => {
  if (typeof value !== 'string' || value.trim() === '') problems.push(`${path}: a non-empty string`);
  return value as string;
};

const flag: Reader<boolean> = (value, path, problems) => {
  if (typeof value !== 'boolean') problems.push(`${path}: true or false`);
  return value as boolean;
};

const colour: Reader<string> = (value, path, problems) => {
  if (typeof value !== 'string' || !/^#[0-9a-fA-F]{6}$/u.test(value)) problems.push(`${path}: a colour is #RRGGBB`);
  return value as string;
};

/** A sentence with `{name}` slots the renderer fills; each listed slot must be there. */
const pattern =
  (...slots: string[]): Reader<string> =>
  (value, path, problems) => {
    const sentence = text(value, path, problems);
    for (const slot of slots) if (typeof sentence === 'string' && !sentence.includes(`{${slot}}`)) problems.push(`${path}: must contain {${slot}}`);
    return sentence;
  };

const oneOf =
  <T extends string>(values: readonly T[]): Reader<T> =>
  (value, path, problems) => {
    if (!values.includes(value as T)) problems.push(`${path}: one of ${values.join(', ')}`);
    return value as T;
  };

const list =
  <T>(item: Reader<T>, min = 1): Reader<T[]> =>
  (value, path, problems) => {
    if (!Array.isArray(value) || value.length < min) {
      problems.push(`${path}: a list of at least ${min}`);
      return [];
    }
    return value.map((entry, i) => item(entry, at(path, i), problems));
  };

const object =
  <S extends Shape>(shape: S): Reader<ReadShape<S>> =>
  (value, path, problems) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`${path || '(root)'}: an object`);
      return {} as ReadShape<S>;
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) if (!Object.hasOwn(shape, key) && key !== '$comment') problems.push(`${at(path, key)}: unknown key`);
    const read: Record<string, unknown> = {};
    for (const [key, reader] of Object.entries(shape)) read[key] = reader(record[key], at(path, key), problems);
    return read as ReadShape<S>;
  };

const mm = number(0, 1000);
const pt = number(0.1, 200);
const em = number(0, 10);
const lineHeight = number(1, 3);
const page = number(1, 1000);

const readTemplate = object({
  page: object({ widthMm: page, heightMm: page }),
  palette: object({ ink: colour, muted: colour, rule: colour }),
  body: object({ leftMm: mm, rightMm: mm, topMm: mm }),
  table: object({
    ruleWidthPt: pt,
    paddingXMm: mm,
    paddingYMm: mm,
    labelSizePt: pt,
    valueSizePt: pt,
    minValueSizePt: pt,
    lineHeightEm: lineHeight,
    rowMinHeightMm: mm,
    minLinesBeforeBreak: number(1, 20, true),
  }),
  heading: object({ sizePt: pt, heightMm: mm }),
  continuedSuffix: text,
  cover: object({
    attachment: object({ text, sizePt: pt, leftMm: mm, baselineMm: mm }),
    title: object({ lines: list(text), sizePt: pt, baselineMm: mm, pitchMm: mm }),
    fields: object({
      leftMm: mm,
      labelWidthMm: mm,
      gapMm: mm,
      valueWidthMm: mm,
      baselineMm: mm,
      pitchMm: mm,
      sizePt: pt,
      minSizePt: pt,
      lineHeightEm: lineHeight,
      underlineWidthPt: pt,
      rows: list(object({ key: oneOf(COVER_KEYS), label: text })),
    }),
    issuers: object({ lines: list(text), mark: text, sizePt: pt, baselineMm: mm, pitchMm: mm, markGapMm: mm }),
  }),
  pledges: object({
    titleSizePt: pt,
    titleGapMm: mm,
    sizePt: pt,
    lineHeightEm: lineHeight,
    indentEm: em,
    signGapMm: mm,
    signLeftMm: mm,
    blankLineMm: mm,
    betweenMm: mm,
    blankName: text,
    blankDate: text,
    integrity: object({ title: text, text, signer: text }),
    authenticity: object({ title: text, text: pattern('name', 'noticeOutcome', 'noticeStart', 'noticeEnd'), noObjection: text, objectionsUnfounded: pattern('count'), signer: text, unit: text }),
  }),
  facts: object({
    title: text,
    photo: object({ widthMm: mm, minHeightMm: mm, paddingMm: mm, label: text }),
    rows: list(object({ besidePhoto: flag, cells: list(object({ key: oneOf(FACT_KEYS), label: text, labelMm: mm, valueMm: mm })) })),
  }),
  history: object({
    caption: text,
    minRows: number(0, 50, true),
    columns: list(object({ key: oneOf(HISTORY_KEYS), label: text, widthMm: mm })),
  }),
  summary: object({
    caption: text,
    sizePt: pt,
    lineHeightEm: lineHeight,
    indentEm: em,
    paragraphGapMm: mm,
    minHeightMm: mm,
    signer: text,
  }),
  opinions: object({
    title: text,
    labelWidthMm: mm,
    minHeightMm: mm,
    sizePt: pt,
    lineHeightEm: lineHeight,
    signOffWidthMm: mm,
    signOffGapMm: mm,
    seal: text,
    signer: text,
    boxes: list(object({ key: oneOf(OPINION_KEYS), label: text, blocks: number(1, 3, true) })),
  }),
  records: object({ caption: text, sizePt: pt, lineHeightEm: lineHeight }),
  footer: object({ bottomMm: mm, gapMm: mm, sizePt: pt, text: pattern('id'), page: pattern('page', 'pages') }),
  demo: object({
    band: text,
    watermark: text,
    topMm: mm,
    heightMm: number(0.1, 100),
    leftMm: mm,
    rightMm: mm,
    sizePt: pt,
    watermarkSizePt: number(0.1, 400),
    angleDeg: number(-90, 90),
    color: colour,
    fill: colour,
    opacity: number(0.05, 1),
  }),
  metadata: object({ title: text, subject: text, creator: text, producer: text, language: text, keywords: list(text, 0) }),
});

/** A parsed, validated approval-form layout. */
export type ApprovalFormTemplate = ReturnType<typeof readTemplate>;

/**
 * Validates a layout read from `templates/approval-form.json`; throws naming every bad key.
 *
 * @example
 * import layout from '../../templates/approval-form.json' with { type: 'json' };
 * const template = parseApprovalFormTemplate(layout);
 */
export function parseApprovalFormTemplate(json: unknown): ApprovalFormTemplate {
  const problems: string[] = [];
  const template = readTemplate(json, '', problems);
  if (problems.length === 0) problems.push(...crossChecks(template));
  if (problems.length > 0) throw new Error(`invalid approval form template — ${problems.join('; ')}`);
  return template;
}

/** What no single key shows: each key placed once, and every row exactly as wide as the table. */
function crossChecks(template: ApprovalFormTemplate): string[] {
  const problems: string[] = [];
  const once = (path: string, keys: readonly string[], used: readonly string[]): void => {
    const wrong = keys.filter((key) => used.filter((u) => u === key).length !== 1);
    if (wrong.length > 0) problems.push(`${path}: attachment 1 has exactly one of each of ${wrong.join(', ')}`);
  };
  once('cover.fields.rows', COVER_KEYS, template.cover.fields.rows.map((row) => row.key));
  once('facts.rows', FACT_KEYS, template.facts.rows.flatMap((row) => row.cells.map((cell) => cell.key)));
  once('history.columns', HISTORY_KEYS, template.history.columns.map((column) => column.key));
  once('opinions.boxes', OPINION_KEYS, template.opinions.boxes.map((box) => box.key));

  const width = template.body.rightMm - template.body.leftMm;
  if (width <= 0) problems.push('body: rightMm must be right of leftMm');
  // Rows beside the photo share the table with it; a row that does not add up would leave a ragged edge.
  template.facts.rows.forEach((row, i) => {
    const expected = row.besidePhoto ? width - template.facts.photo.widthMm : width;
    const actual = row.cells.reduce((sum, cell) => sum + cell.labelMm + cell.valueMm, 0);
    if (Math.abs(actual - expected) > 0.01) problems.push(`facts.rows[${i}]: cells span ${actual} mm, the table ${expected} mm`);
  });
  if (template.facts.rows.some((row, i) => row.besidePhoto && i > 0 && !template.facts.rows[i - 1]!.besidePhoto)) {
    problems.push('facts.rows: the rows beside the photo come first');
  }
  const columns = template.history.columns.reduce((sum, column) => sum + column.widthMm, 0);
  if (Math.abs(columns - width) > 0.01) problems.push(`history.columns: columns span ${columns} mm, the table ${width} mm`);
  if (template.opinions.labelWidthMm + template.opinions.signOffWidthMm >= width) problems.push('opinions: the label and sign-off leave no room for the opinion');
  return problems;
}
