/**
 * @module http/pages/cases/caseCommon
 * What the reconfirmation pages share: dates in the page's language, the names of the eligibility
 * choices, the status badge, and refusals (a DomainError, zod's issues) turned into sentences that name
 * the field as the form labels it.
 */
import type { Child, FC } from 'hono/jsx';
import type { ZodError } from 'zod';
import { formatChinaDate, formatChinaTime } from '../../../domain/chineseDate.js';
import type { DomainError } from '../../../domain/errors.js';
import { ACQUISITION_METHOD_LABELS, type AcquisitionMethod as ObtainingMethod } from '../../../domain/certificate.js';
import type { Decision, EmployerChoice, EmployerKind, ObtainedRegion } from '../../../domain/eligibility.js';
import { STATUS_NAMES, type ApplicationStatus } from '../../../domain/workflow.js';
import { problemFromZod } from '../../zodProblem.js';
import { t, type Lang, type Text } from '../i18n.js';

/** A form's fields as posted: every value a string (a ticked checkbox is `on`). */
export type Values = Record<string, string>;

/** The label of a posted field, for an error message; undefined when the field has none. */
export type LabelOf = (field: string) => Text | undefined;

export const REGION_NAMES: Record<ObtainedRegion, Text> = {
  outside: { zh: '自治区外', en: 'Outside Guangxi' },
  central: { zh: '中直单位', en: 'A central-government unit' },
  military: { zh: '部队', en: 'The military' },
  guangxi: { zh: '自治区内', en: 'In Guangxi' },
};

/** How a title was obtained: the domain's one table (domain/certificate.ts), as the certificate and forms print it. */
export const METHOD_NAMES: Record<ObtainingMethod, Text> = ACQUISITION_METHOD_LABELS;

export const EMPLOYER_KIND_NAMES: Record<EmployerKind, Text> = {
  enterprise: { zh: '企业', en: 'Enterprise' },
  institution: { zh: '事业单位', en: 'Public institution' },
};

export const DECISION_NAMES: Record<Decision, Text> = {
  eligible: { zh: '符合重新确认条件', en: 'Eligible' },
  not_needed: { zh: '无需重新确认', en: 'Not needed' },
  not_eligible: { zh: '不符合重新确认条件', en: 'Not eligible' },
  employer_decides: { zh: '由新用人单位决定', en: 'The employer decides' },
  refused_in_principle: { zh: '原则上不予重新确认（确认部门可记录理由例外确认）', en: 'Refused in principle (the confirming authority may accept it, stating why)' },
};

export const EMPLOYER_CHOICE_NAMES: Record<EmployerChoice, Text> = {
  reconfirm: { zh: '同意进行职称重新确认', en: 'Reconfirm the title' },
  re_evaluate: { zh: '要求重新参加评审（不予重新确认）', en: 'Require a fresh evaluation (no reconfirmation)' },
};

export const GENDER_TEXT: Record<'male' | 'female', Text> = { male: { zh: '男', en: 'Male' }, female: { zh: '女', en: 'Female' } };

/** An instant in China time: `2026年9月25日 10:00`, or `2026-09-25 10:00 (UTC+8)` in English. */
export function when(lang: Lang, instant: string): string {
  return formatChinaTime(instant, lang);
}

/** A calendar date (`YYYY-MM-DD`, or an instant's China date) in the page's language. */
export function day(lang: Lang, iso: string): string {
  return formatChinaDate(iso, lang);
}

export const StatusBadge: FC<{ lang: Lang; status: ApplicationStatus }> = ({ lang, status }) => <span class={`badge st-${status}`}>{t(lang, STATUS_NAMES[status])}</span>;

/**
 * A message naming its field by the form's label: a message that starts with the raw path (`content：…`)
 * gets the label there instead; a bare one (zod's `过短或过小`) gets the label in front when `prefix`.
 */
function withLabel(labelOf: LabelOf, field: string | undefined, message: Text, prefix: boolean): Text {
  const label = field ? labelOf(field) : undefined;
  if (!field || !label) return message;
  const path = new RegExp(`^${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*[：:]\\s*`);
  if (path.test(message.zh) || path.test(message.en)) return { zh: `${label.zh}：${message.zh.replace(path, '')}`, en: `${label.en}: ${message.en.replace(path, '')}` };
  return prefix ? { zh: `${label.zh}：${message.zh}`, en: `${label.en}: ${message.en}` } : message;
}

/** A refusal of the services in sentences: its message, then each reason with its clause (二(三), 一). */
export function domainErrorTexts(error: DomainError, labelOf: LabelOf): Text[] {
  const reasons = error.details?.reasons;
  if (!Array.isArray(reasons) || reasons.length === 0) return [withLabel(labelOf, error.field, { zh: error.zh, en: error.en }, false)];
  const headline = error.code === 'materials_missing' ? { zh: '材料不齐：', en: 'Materials are missing:' } : error.code === 'not_eligible' ? { zh: '不符合职称重新确认条件：', en: 'Not eligible for reconfirmation:' } : { zh: error.zh, en: error.en };
  return [
    headline,
    ...reasons.map((r: { clause: string; message: Text }) => ({ zh: `${r.message.zh}（${r.clause}）`, en: `${r.message.en} (notice ${r.clause})` })),
  ];
}

/** zod's issues (the API's own schema) in sentences, each naming the form's label. */
export function zodErrorTexts(error: ZodError, labelOf: LabelOf): Text[] {
  const problem = problemFromZod(error);
  return (problem.errors ?? []).map((e) =>
    labelOf(e.field) || e.field === '(body)' ? withLabel(labelOf, e.field, e.message, true) : { zh: `${e.field}：${e.message.zh}`, en: `${e.field}: ${e.message.en}` },
  );
}

/** The success notice after a step (`?done=`), announced politely. */
export const DoneNotice: FC<{ lang: Lang; text: Text | undefined }> = ({ lang, text }) =>
  text ? (
    <div class="notice" role="status">
      {t(lang, text)}
    </div>
  ) : null;

/**
 * A table that stays a table on a desktop and becomes one card per row on a phone: each cell carries its
 * column's name (`data-label`), which the stylesheet shows beside it when the header row is hidden.
 */
/** A column header's content other than its name (e.g. a link that sorts by it), and how the rows are sorted by it now. */
export interface HeaderCell {
  content: Child;
  sort?: 'ascending' | 'descending' | undefined;
}

export const CardTable: FC<{ lang: Lang; caption?: Text | undefined; columns: Text[]; rows: Child[][]; headers?: (HeaderCell | undefined)[] | undefined }> = ({ lang, caption, columns, rows, headers }) => (
  <div class="table-wrap">
    <table class="cards">
      {caption ? <caption class="visually-hidden">{t(lang, caption)}</caption> : null}
      <thead>
        <tr>
          {columns.map((column, i) => (
            <th scope="col" aria-sort={headers?.[i]?.sort}>
              {headers?.[i]?.content ?? t(lang, column)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((cells) => (
          <tr>
            {cells.map((cell, i) => (
              <td data-label={t(lang, columns[i] ?? { zh: '', en: '' })}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

/**
 * Issue 18 item 9: a long part of the case page folds. "Long" is more than {@link FOLD_AFTER} entries (rows of
 * the history, objections, checklist items, 核实 records, files …): a clerk then sees the page's actions and
 * headings without scrolling past them. A part that holds what this person must act on (an objection not yet
 * resolved, a required item missing, a 核实 record that does not count or finds the title not genuine, a history
 * that differs from its seals) stays open however long.
 */
export const FOLD_AFTER = 6;

/** Whether a part of `count` entries starts folded. @example startsFolded(7, false) // true */
export function startsFolded(count: number, mustAct: boolean): boolean {
  return count > FOLD_AFTER && !mustAct;
}

/** How the entries of a part are counted: `条` / `entry`, `entries`. */
export interface CountNoun {
  zh: string;
  one: string;
  many: string;
}

/** `共 12 条` / `12 entries`: a count in the page's language. */
export function countWords(lang: Lang, count: number, noun: CountNoun): string {
  return lang === 'zh' ? `共 ${count} ${noun.zh}` : `${count} ${count === 1 ? noun.one : noun.many}`;
}

/**
 * A part of the case page as a native disclosure (`<details>`/`<summary>`: no script, so it works under our CSP
 * and without script at all); its summary line is the part's heading and its count. Open unless long and
 * nothing in it waits for this person ({@link startsFolded}).
 */
export const Fold: FC<{ lang: Lang; level: 2 | 3; id?: string | undefined; title: Text; count: number; noun: CountNoun; mustAct?: boolean | undefined; children?: Child }> = ({ lang, level, id, title, count, noun, mustAct = false, children }) => {
  const heading = level === 2 ? <h2 id={id}>{t(lang, title)}</h2> : <h3 id={id}>{t(lang, title)}</h3>;
  return (
    <details class="fold" open={!startsFolded(count, mustAct)} data-count={String(count)}>
      <summary>
        {heading}{' '}
        <span class="count">{countWords(lang, count, noun)}</span>
      </summary>
      {children}
    </details>
  );
};
