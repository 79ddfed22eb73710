/**
 * @module domain/labels
 * The one table of the title's field labels in Chinese and English, for domain messages, forms and PDFs: the
 * facts of an original title that attachment 2 (核实) and the e-certificate name (二(二)4, 四(三)). The names of
 * the acquisition methods themselves are beside their list (domain/certificate.ts `ACQUISITION_METHOD_LABELS`).
 * English labels start with a capital; a sentence that uses one mid-way lower-cases it (`inSentence`).
 */
export interface Label {
  zh: string;
  en: string;
}

export const TITLE_FIELD_LABELS = {
  titleName: { zh: '职称名称', en: 'Title name' },
  evaluatingBody: { zh: '评审机构', en: 'Evaluating body' },
  acquiredOn: { zh: '取得时间', en: 'Acquisition date' },
  method: { zh: '取得方式', en: 'How it was obtained' },
} as const satisfies Record<string, Label>;

export type TitleField = keyof typeof TITLE_FIELD_LABELS;

/** A label as it reads inside a sentence: the English lower-cased at its start (`Evaluating body` → `evaluating body`). */
export function inSentence(label: Label): Label {
  return { zh: label.zh, en: label.en.charAt(0).toLowerCase() + label.en.slice(1) };
}
