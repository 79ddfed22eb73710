/**
 * @module domain/labels
 * The one table of field labels in Chinese and English, for domain messages, forms, pages and PDFs: the facts of
 * an original title that attachment 2 (核实) names (四(三)), and every field the e-certificate prints — the
 * certificate PDF (render/certificate) and the verification page (http/pages/verify) both read them from here,
 * so an employer reads the same words on paper and on screen. The names of the acquisition methods themselves are
 * beside their list (domain/certificate.ts `ACQUISITION_METHOD_LABELS`). The approval form (attachment 1) is not
 * here: it prints the notice's own wording, field by field, from its template.
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

/** Every value a certificate can print, in its usual order; a layout lists the ones it prints. */
export const CERTIFICATE_FIELD_KEYS = [
  'number',
  'holder.name',
  'holder.gender',
  'holder.idType',
  'holder.idNumber',
  'title.seriesName',
  'title.name',
  'title.level',
  'title.specialty',
  'original.acquiredOn',
  'original.method',
  'original.evaluatingBody',
  'original.certificateNumber',
  'decision.number',
  'decision.decidedOn',
  'authority.name',
  'authority.code',
  'issuedAt',
] as const;
export type CertificateFieldKey = (typeof CERTIFICATE_FIELD_KEYS)[number];

/**
 * What each certificate field is called. The acquisition date and the specialty are the ORIGINAL title's
 * (二(二)4), and so say 原.
 */
export const CERTIFICATE_FIELD_LABELS = {
  number: { zh: '证书编号', en: 'Certificate number' },
  'holder.name': { zh: '姓名', en: 'Name' },
  'holder.gender': { zh: '性别', en: 'Gender' },
  'holder.idType': { zh: '证件类型', en: 'ID document' },
  'holder.idNumber': { zh: '证件号码', en: 'ID number' },
  'title.seriesName': { zh: '职称系列', en: 'Title series' },
  'title.name': { zh: '职称名称', en: 'Title' },
  'title.level': { zh: '职称级别', en: 'Level' },
  'title.specialty': { zh: '专业', en: 'Specialty (as on the original)' },
  'original.acquiredOn': { zh: '原取得时间', en: 'Originally obtained on' },
  'original.method': { zh: '原取得方式', en: 'Originally obtained by' },
  'original.evaluatingBody': { zh: '原评审（审批）机构', en: 'Original evaluating body' },
  'original.certificateNumber': { zh: '原证书编号', en: 'Original certificate number' },
  'decision.number': { zh: '确认文号', en: 'Decision number' },
  'decision.decidedOn': { zh: '确认日期', en: 'Decided on' },
  'authority.name': { zh: '发证机构', en: 'Issuing authority' },
  'authority.code': { zh: '机构代码', en: 'Authority code' },
  issuedAt: { zh: '发证日期', en: 'Issued on' },
} as const satisfies Record<CertificateFieldKey, Label>;
