/**
 * @module http/pages/cases/caseFormLabels
 * The words of the applicant's form (http/pages/cases/caseForm): the label of each field, work-history rows
 * numbered as the person sees them, and a refusal — the API schema's or a service's — said beside the field it names.
 */
import { ZodError } from 'zod';
import type { DomainError } from '../../../domain/errors.js';
import { CERTIFICATE_FIELD_LABELS } from '../../../domain/labels.js';
import { domainErrorTexts, zodErrorTexts, type LabelOf, type Values } from './caseCommon.js';
import type { Text } from '../i18n.js';

export const LABELS: Record<string, Text> = {
  eligibility: { zh: '资格条件', en: 'Eligibility' },
  'eligibility.title': { zh: '原职称（职称系列及名称）', en: 'Original title (series and name)' },
  'eligibility.title.series': { zh: '原职称系列', en: 'Series of the original title' },
  'eligibility.title.name': { zh: '原职称名称', en: 'Title name' },
  'eligibility.obtained.region': { zh: '取得地区', en: 'Where it was obtained' },
  'eligibility.obtained.place': { zh: '取得地（省份或单位）', en: 'Place (province or unit)' },
  'eligibility.obtained.method': { zh: '取得方式', en: 'How it was obtained' },
  'eligibility.obtained.on': CERTIFICATE_FIELD_LABELS['original.acquiredOn'],
  'eligibility.obtained.committee': { zh: '评委会', en: 'Committee' },
  'eligibility.obtained.committee.name': { zh: '评委会（或批准机关）全称', en: 'Committee (or approving body), full name' },
  'eligibility.obtained.committee.filed': { zh: '该评委会经按规定备案审批设立', en: 'The committee was set up with the required filing' },
  'eligibility.obtained.committee.onlineQueryUrl': { zh: '评委会备案在线查询网址', en: 'Web address to check the committee’s filing' },
  'eligibility.employment.since': { zh: '在我区劳动（人事）关系起始日期', en: 'Labour relationship in Guangxi since' },
  'eligibility.employment.personnelTransferred': { zh: '人事关系已转入我区企事业单位', en: 'Personnel relationship moved into a Guangxi employer' },
  'eligibility.employment.socialInsurance': { zh: '在现单位参加社会保险', en: 'Social insurance paid through the current employer' },
  'eligibility.employment.employerKind': { zh: '现单位性质', en: 'Current employer' },
  'eligibility.employment.currentSeries': { zh: '现从事专业技术工作所属系列', en: 'Series of the current work' },
  'eligibility.onlineVerification': { zh: '原职称可网上核验（以网址和查询结果截图代替原职称证明材料）', en: 'The original can be checked online (a web address and screenshot replace the proof)' },
  'applicant.name': CERTIFICATE_FIELD_LABELS['holder.name'],
  'applicant.gender': CERTIFICATE_FIELD_LABELS['holder.gender'],
  'applicant.idType': CERTIFICATE_FIELD_LABELS['holder.idType'],
  'applicant.idNumber': CERTIFICATE_FIELD_LABELS['holder.idNumber'],
  'applicant.birthMonth': { zh: '出生年月', en: 'Month of birth' },
  'applicant.education': { zh: '最高学历（学位）', en: 'Highest education (degree)' },
  'applicant.graduation.on': { zh: '毕业时间', en: 'Graduated (month)' },
  'applicant.graduation.school': { zh: '毕业院校', en: 'School' },
  'applicant.graduation.major': { zh: '所学专业', en: 'Major' },
  'applicant.workStartedOn': { zh: '参加工作时间', en: 'Started work (month)' },
  'applicant.originalEmployer': { zh: '原区外工作单位', en: 'Former employer outside Guangxi' },
  'applicant.originalWork': { zh: '原从事专业技术工作', en: 'Former professional work' },
  'applicant.currentWork': { zh: '现从事专业技术工作', en: 'Current professional work' },
  'applicant.personnelFileHolder': { zh: '人事档案存放单位', en: 'Personnel file held by' },
  specialty: { zh: '专业（以原证书为准）', en: 'Specialty (as on the original certificate)' },
  originalCertificateNumber: { zh: '原证书编号', en: 'Original certificate number' },
  workSummary: { zh: '进入现单位以来专业技术工作总结', en: 'Work summary since joining the current unit' },
  onlineVerificationUrl: { zh: '原职称网上核验网址', en: 'Web address to check the original' },
  originalProofUnavailable: { zh: '原职称证明材料确实无法提供的原因', en: 'Why the original proof truly cannot be supplied' },
};

export const ROW_FIELDS: Record<string, Text> = {
  from: { zh: '起始年月', en: 'From (month)' },
  to: { zh: '截止年月（至今留空）', en: 'To (month; blank if current)' },
  place: { zh: '在何地、何单位', en: 'Where (place and unit)' },
  work: { zh: '从事何种专业技术工作', en: 'What professional work' },
  post: { zh: '任何职务', en: 'Post' },
};

/** The label of a field of this form, work-history rows numbered as the person sees them. */
export function applicationFieldLabel(field: string, rows: readonly number[] = []): Text | undefined {
  const row = /^workHistory\.(\d+)(?:\.(\w+))?$/.exec(field);
  if (row) {
    const n = (rows[Number(row[1])] ?? Number(row[1])) + 1;
    const part = row[2] ? ROW_FIELDS[row[2]] : undefined;
    return { zh: `工作经历第${n}条${part ? ` ${part.zh}` : ''}`, en: `Work history row ${n}${part ? `, ${part.en}` : ''}` };
  }
  if (field === 'workHistory') return { zh: '主要工作经历', en: 'Work history' };
  return LABELS[field];
}

/** Labels for the errors of this form, with its work-history rows. */
export function applicationLabelOf(rows: readonly number[]): LabelOf {
  return (field) => applicationFieldLabel(field, rows);
}

// ——— refusals in words, beside each field ———

const CHOICES = new Set(['eligibility.title', 'eligibility.obtained.region', 'eligibility.obtained.method', 'eligibility.employment.employerKind', 'eligibility.employment.currentSeries', 'applicant.gender', 'applicant.idType']);
const DATES = new Set(['eligibility.obtained.on', 'eligibility.employment.since']);
const MONTHS = /^(?:applicant\.graduation\.on|applicant\.workStartedOn|workHistory\.\d+\.(?:from|to))$/;
const URLS = new Set(['eligibility.obtained.committee.onlineQueryUrl', 'onlineVerificationUrl']);

/** The form's field a path of the API's body stands for: the title's two parts are one choice, work-history rows as shown. */
function formFieldOf(path: string, rows: readonly number[]): string {
  if (path === 'eligibility.title' || path.startsWith('eligibility.title.')) return 'eligibility.title';
  const row = /^workHistory\.(\d+)\.(\w+)$/.exec(path);
  return row ? `workHistory.${rows[Number(row[1])] ?? row[1]}.${row[2]}` : path;
}

/** Our own schema messages are written `中文|English` by a person; zod's are not words for an applicant. */
function ownWords(message: string): Text | undefined {
  const [zh, en, ...rest] = message.split('|');
  return zh && en && rest.length === 0 && /\p{Script=Han}/u.test(zh) ? { zh, en } : undefined;
}

/** `How it was obtained` → `how it was obtained`; `ID document` stays. */
const lowerFirst = (s: string) => (/^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);

/** What a refused field asks for, in the form's own words: 请选择取得方式, 请填写毕业院校, 请按“年-月”填写参加工作时间. */
function wordsFor(field: string, label: Text, blank: boolean, issue: { code: string; message: string; maximum?: unknown }): Text {
  if (CHOICES.has(field)) return { zh: `请选择${label.zh}`, en: `Choose ${lowerFirst(label.en)}` };
  if (blank) return { zh: `请填写${label.zh}`, en: `Fill in ${lowerFirst(label.en)}` };
  if (issue.code === 'too_big') return { zh: `${label.zh}最多 ${String(issue.maximum)} 个字`, en: `${label.en}: at most ${String(issue.maximum)} characters` };
  if (DATES.has(field)) return { zh: `请按“年-月-日”填写${label.zh}，如 2015-12-30`, en: `${label.en}: write a real date as year-month-day, e.g. 2015-12-30` };
  if (MONTHS.test(field)) return { zh: `请按“年-月”填写${label.zh}，如 2007-07`, en: `${label.en}: write the year and month, e.g. 2007-07` };
  if (URLS.has(field)) return { zh: `${label.zh}：请填写以 http:// 或 https:// 开头的完整网址`, en: `${label.en}: a full web address starting with http:// or https://` };
  const own = ownWords(issue.message);
  return own ? { zh: `${label.zh}：${own.zh}`, en: `${label.en}: ${own.en}` } : { zh: `请核对${label.zh}`, en: `Check ${lowerFirst(label.en)}` };
}

/**
 * The API schema's refusal of the posted form as words beside each field (the first per field) and the same
 * words in the summary at the top; a refusal of no field of the form is said as before (zodErrorTexts).
 * @example applicationFormErrors(error, { 'eligibility.obtained.method': '' }, []).byField['eligibility.obtained.method'] // { zh: '请选择取得方式', … }
 */
export function applicationFormErrors(error: ZodError, values: Values, rows: readonly number[]): { summary: Text[]; byField: Record<string, Text> } {
  const byField: Record<string, Text> = {};
  const summary: Text[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    const field = formFieldOf(path, rows);
    const label = applicationFieldLabel(field);
    if (!label) {
      summary.push(...zodErrorTexts(new ZodError([issue]), applicationLabelOf(rows)));
      continue;
    }
    if (byField[field]) continue;
    const words = wordsFor(field, label, (values[field] ?? '').trim() === '', issue as { code: string; message: string; maximum?: unknown });
    byField[field] = words;
    summary.push(words);
  }
  return { summary, byField };
}

/** A service's refusal: its sentences at the top, and beside the field it names, its message. */
export function applicationDomainErrors(error: DomainError, rows: readonly number[]): { summary: Text[]; byField: Record<string, Text> } {
  const field = error.field ? formFieldOf(error.field, rows) : undefined;
  return { summary: domainErrorTexts(error, applicationLabelOf(rows)), byField: field && applicationFieldLabel(field) ? { [field]: { zh: error.zh, en: error.en } } : {} };
}
