/**
 * @module render/approvalForm/document
 * What the approval form (广西壮族自治区职称重新确认审批表, attachment 1 of the notice) prints, and how each
 * value is written on paper: dates in Chinese (2026年11月28日), year-months as 1985年01月, gender as 男/女,
 * the full ID number — the form is an internal document, read by the unit and the reviewing offices only.
 */

import { formatChineseDate, formatChineseMonth } from '../../domain/chineseDate.js';
import type { ApprovalFormTemplate, CoverKey, FactKey, HistoryKey, OpinionKey } from './template.js';
import { clean } from '../lib/wrap.js';

/** One opinion box of 职称重新确认职称资格意见: the body signs it, seals it and dates it. */
export interface ApprovalFormOpinion {
  /** Free text, may be long (it wraps, and continues on the next page). */
  opinion: string;
  /** The responsible person who signs. */
  signer: string;
  /** The body whose seal goes on the box. */
  organisation: string;
  /** `YYYY-MM-DD`. */
  date: string;
}

/** Everything the renderer needs for one approval form; the workflow fills it. */
export interface ApprovalFormDocument {
  applicationId: string;
  /** `YYYY-MM-DD`, 填表时间 on the cover. */
  filledOn: string;
  /** 单位 on the cover: the current employer. */
  unitName: string;
  applicant: {
    name: string;
    gender: 'male' | 'female';
    /** The full number. */
    idNumber: string;
    /** `YYYY-MM`; `null` when the case does not tell it (left blank to write by hand). */
    birthMonth: string | null;
    photo?: { bytes: Uint8Array; type: 'image/png' | 'image/jpeg' } | undefined;
    /** 最高学历（学位）. */
    education: string;
    /** `on` is `YYYY-MM`. */
    graduation: { on: string; school: string; major: string };
    /** `YYYY-MM`, 参加工作时间. */
    workStartedOn: string;
    /** 原区外工作单位. */
    originalEmployer: string;
    /** 原从事专业技术工作. */
    originalWork: string;
    currentEmployer: string;
    /** 现从事专业技术工作. */
    currentWork: string;
    /** 人事档案存放单位. */
    personnelFileHolder: string;
  };
  original: {
    seriesName: string;
    /** 评委会（或审批机构）全称. */
    committeeName: string;
    levelName: string;
    titleName: string;
    methodName: string;
    /** `YYYY-MM-DD`. */
    acquiredOn: string;
    specialty: string;
  };
  /** 起止时间; 在何地何单位; 从事何专业技术工作; 担任何职务. */
  workHistory: { period: string; place: string; work: string; post: string }[];
  /** 到现单位后专业技术工作总结: may run to thousands of characters; paragraphs split on newlines. */
  workSummary: string;
  /** 诚信承诺书, signed by the applicant; `null` while unsigned. */
  integrityPledge: { signer: string; signedOn: string } | null;
  /**
   * 呈报材料真实性承诺书, signed by the unit after its 5-working-day public notice (notice 二(二)2);
   * `objections` raised during that notice, each found unfounded (the unit cannot sign otherwise): with
   * none the pledge says 经公示无异议, else how many were raised and that they were found untrue.
   */
  authenticityPledge: { unitName: string; noticeStart: string; noticeEnd: string; objections: number; signer: string; signedOn: string } | null;
  /** Each box's opinions, every level its own block, in the order the case passed them (四(二)); empty while nobody has given one. */
  opinions: Record<OpinionKey, ApprovalFormOpinion[]>;
  /** What the unit and the forwarding offices recorded they checked (二(三)1(2), 二(三)1(3), 二(四)): one line each. */
  records?: readonly { label: string; text: string }[] | undefined;
  /** Made on the public demo keys: every page carries the template's demo mark (演示 DEMO). */
  demo?: boolean | undefined;
}

/** One printed value: its JSON path in the document, its label on the form, its text. */
export interface PrintedField {
  field: string;
  label: string;
  value: string;
}

/**
 * The value printed on a cover line.
 *
 * @example
 * coverValue(doc, 'filledOn') // '2026年9月20日'
 */
export function coverValue(doc: ApprovalFormDocument, key: CoverKey): string {
  switch (key) {
    case 'unitName':
      return clean(doc.unitName);
    case 'applicantName':
      return clean(doc.applicant.name);
    case 'originalTitleName':
      return clean(doc.original.titleName);
    case 'filledOn':
      return formatChineseDate(doc.filledOn);
  }
}

/**
 * The value printed in a 基本情况 cell.
 *
 * @example
 * factValue(doc, 'graduation') // '2007年07月 广西大学 土木工程'
 */
export function factValue(doc: ApprovalFormDocument, key: FactKey): string {
  const { applicant, original } = doc;
  switch (key) {
    case 'gender':
      return applicant.gender === 'male' ? '男' : '女';
    case 'birthMonth':
      return applicant.birthMonth === null ? '' : formatChineseMonth(applicant.birthMonth);
    case 'workStartedOn':
      return formatChineseMonth(applicant.workStartedOn);
    case 'graduation':
      return clean(`${formatChineseMonth(applicant.graduation.on)} ${applicant.graduation.school} ${applicant.graduation.major}`);
    case 'acquiredOn':
      return formatChineseDate(original.acquiredOn);
    case 'seriesName':
    case 'committeeName':
    case 'levelName':
    case 'titleName':
    case 'methodName':
    case 'specialty':
      return clean(original[key]);
    default:
      return clean(applicant[key]);
  }
}

/**
 * The date the PDF's metadata carries: the latest the form knows of (filled in, pledged, or an opinion
 * signed), so a re-render of the same form gives the same bytes and a later signature a later date.
 *
 * @example
 * formDate(doc) // '2026-11-28'
 */
export function formDate(doc: ApprovalFormDocument): string {
  const dates = [
    doc.filledOn,
    doc.integrityPledge?.signedOn,
    doc.authenticityPledge?.signedOn,
    ...Object.values(doc.opinions).flatMap((given) => given.map((opinion) => opinion.date)),
  ].filter((date): date is string => date !== undefined);
  return dates.reduce((latest, date) => (date > latest ? date : latest));
}

/**
 * Every text value of the document that prints, with its label, for the undrawable-character check.
 *
 * @example
 * refuseUndrawable(printedFields(doc, template), fonts);
 */
export function* printedFields(doc: ApprovalFormDocument, template: ApprovalFormTemplate): Generator<PrintedField> {
  const label = (text: string): string => text.replace(/[：:]$/u, '');
  yield { field: 'applicationId', label: label(template.footer.text.replace('{id}', '')), value: doc.applicationId };
  yield { field: 'unitName', label: template.cover.fields.rows.find((row) => row.key === 'unitName')!.label, value: doc.unitName };
  const factLabels = new Map(template.facts.rows.flatMap((row) => row.cells.map((cell) => [cell.key, cell.label] as const)));
  for (const key of ['name', 'idNumber', 'education', 'originalEmployer', 'originalWork', 'currentEmployer', 'currentWork', 'personnelFileHolder'] as const) {
    yield { field: `applicant.${key}`, label: factLabels.get(key)!, value: doc.applicant[key] };
  }
  for (const key of ['school', 'major'] as const) yield { field: `applicant.graduation.${key}`, label: factLabels.get('graduation')!, value: doc.applicant.graduation[key] };
  for (const key of ['seriesName', 'committeeName', 'levelName', 'titleName', 'methodName', 'specialty'] as const) {
    yield { field: `original.${key}`, label: factLabels.get(key)!, value: doc.original[key] };
  }
  const columnLabels = new Map<HistoryKey, string>(template.history.columns.map((column) => [column.key, column.label]));
  for (const [i, row] of doc.workHistory.entries()) {
    for (const key of Object.keys(row) as HistoryKey[]) yield { field: `workHistory[${i}].${key}`, label: `${template.history.caption}：${columnLabels.get(key)}`, value: row[key] };
  }
  yield { field: 'workSummary', label: template.summary.caption, value: doc.workSummary };
  const { integrity, authenticity } = template.pledges;
  if (doc.integrityPledge) yield { field: 'integrityPledge.signer', label: `${integrity.title}${label(integrity.signer)}`, value: doc.integrityPledge.signer };
  if (doc.authenticityPledge) {
    yield { field: 'authenticityPledge.signer', label: `${authenticity.title}${label(authenticity.signer)}`, value: doc.authenticityPledge.signer };
    yield { field: 'authenticityPledge.unitName', label: `${authenticity.title}${label(authenticity.unit)}`, value: doc.authenticityPledge.unitName };
  }
  for (const [i, record] of (doc.records ?? []).entries()) yield { field: `records[${i}]`, label: `${template.records.caption}：${record.label}`, value: record.text };
  const { opinions } = template;
  for (const box of opinions.boxes) {
    for (const [i, opinion] of doc.opinions[box.key].entries()) {
      yield { field: `opinions.${box.key}[${i}].opinion`, label: box.label, value: opinion.opinion };
      yield { field: `opinions.${box.key}[${i}].signer`, label: `${box.label}${label(opinions.signer)}`, value: opinion.signer };
      yield { field: `opinions.${box.key}[${i}].organisation`, label: `${box.label}${label(opinions.seal)}`, value: opinion.organisation };
    }
  }
}
