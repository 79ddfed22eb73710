/**
 * @module domain/verificationMatch
 * Notice 四(三): a verification record (核实情况记录单) stands for a case only if it checked the title the case
 * claims — the same title name, evaluating body and acquisition date, not merely the same ID number. Any
 * disagreement is told to the reviewer in words, and such a record does not meet the case's material
 * requirement.
 *
 * How strict: names are compared after removing every space (ASCII, full-width, line breaks) and folding
 * full-width forms to their ordinary ones (NFKC: （） → (), ＡＢ → AB) and Latin letters to lower case; nothing
 * else is forgiven — an abbreviation (高工 for 高级工程师, 湖南省高评委 for the committee's full name) is a
 * disagreement, because the record must name what was checked as the case names it. Dates must be the same day.
 */
import type { ApplicationForm } from './application.js';
import { formatChineseDate, isIsoDate } from './chineseDate.js';
import { inSentence, TITLE_FIELD_LABELS } from './labels.js';

/** The facts of attachment 2 that identify a title, as a record states them and as a case claims them. */
export interface TitleFacts {
  titleName: string;
  evaluatingBody: string;
  acquiredOn: string;
}

export type TitleFact = keyof TitleFacts;

export interface Disagreement {
  field: TitleFact;
  /** What the verification record says. */
  recorded: string;
  /** What the case says. */
  claimed: string;
  message: { zh: string; en: string };
}

const FACT_NAMES: Record<TitleFact, { zh: string; en: string }> = {
  titleName: inSentence(TITLE_FIELD_LABELS.titleName),
  evaluatingBody: inSentence(TITLE_FIELD_LABELS.evaluatingBody),
  acquiredOn: inSentence(TITLE_FIELD_LABELS.acquiredOn),
};

/** @example normaliseName(' 湖南省 工程技术（高级）评委会　') // '湖南省工程技术(高级)评委会' */
export function normaliseName(name: string): string {
  return name.normalize('NFKC').replace(/\s+/gu, '').toLowerCase();
}

/**
 * The title a case claims, as attachment 2 names it: the original title, the committee that granted it (for
 * a title without one, the original employer that appointed it — as the e-certificate prints it) and the
 * original acquisition date.
 */
export function claimedTitle(form: ApplicationForm): TitleFacts {
  const { title, obtained } = form.eligibility;
  return { titleName: title.name, evaluatingBody: obtained.committee?.name ?? form.applicant.originalEmployer, acquiredOn: obtained.on };
}

const shownDate = (value: string, lang: 'zh' | 'en') => (lang === 'zh' && isIsoDate(value) ? formatChineseDate(value) : value);

/**
 * Where a verification record disagrees with the case (四(三)); empty when it checked the title the case claims.
 * @example
 * disagreements({ titleName: '高工', evaluatingBody: '湖南省工程技术高级职务评审委员会', acquiredOn: '2015-12-30' },
 *               { titleName: '高级工程师', evaluatingBody: '湖南省工程技术高级职务评审委员会', acquiredOn: '2015-12-30' })[0].message.zh
 * // '核实记录的职称名称（高工）与申请（高级工程师）不一致'
 */
export function disagreements(recorded: TitleFacts, claimed: TitleFacts): Disagreement[] {
  const same: Record<TitleFact, (a: string, b: string) => boolean> = {
    titleName: (a, b) => normaliseName(a) === normaliseName(b),
    evaluatingBody: (a, b) => normaliseName(a) === normaliseName(b),
    acquiredOn: (a, b) => a.trim() === b.trim(),
  };
  return (Object.keys(FACT_NAMES) as TitleFact[])
    .filter((field) => !same[field](recorded[field], claimed[field]))
    .map((field) => ({
      field,
      recorded: recorded[field],
      claimed: claimed[field],
      message: {
        zh: `核实记录的${FACT_NAMES[field].zh}（${shownDate(recorded[field], 'zh')}）与申请（${shownDate(claimed[field], 'zh')}）不一致`,
        en: `The verification record's ${FACT_NAMES[field].en} (${recorded[field]}) differs from the application's (${claimed[field]})`,
      },
    }));
}
