/**
 * @module domain/eligibility
 * Whether a title can be reconfirmed in Guangxi (notice 桂职办〔2020〕132号 一), who confirms it (二(一)),
 * who must submit a senior case (二(二)3), and the materials checklist with its waivers (二(三)).
 * Every reason names the clause it rests on. Failing conditions are all collected, not only the first.
 *
 * Readings of the notice this module commits to (each is tested):
 * - 一(一) covers titles obtained outside Guangxi (incl. central units and the military). A title
 *   obtained in Guangxi by ordinary evaluation is outside that scope at every level: 中初级 are exempt
 *   explicitly (unified e-certificate), senior ones were approved by the region itself — both `not_needed`.
 * - Self-evaluation / appointment-in-lieu titles go to the new employer's choice (一(一) sentence 2)
 *   wherever they were obtained, since that sentence is about the unit that granted them, not the place —
 *   except 中初级 ones obtained in Guangxi: 一(一) sentence 4 exempts every 中初级 title obtained in the
 *   region (they carry the unified e-certificate), self-evaluated ones too, so they are `not_needed`.
 *   A Guangxi self-evaluated *senior* title stays with sentence 2 (`employer_decides`).
 * - "2 years or more" (一(二)2) is met on the same calendar date two years after the start, a 29 February
 *   start reaching it on 28 February of a common year.
 * - A committee set up without filing (二(三)1(5)) is refused *in principle* ("原则上不予"), at any level and
 *   in any region: when it is the case's only failure the decision is `refused_in_principle` — the case may
 *   go through the workflow and only the confirming authority may accept it, by recording a reasoned
 *   exception (domain/inPrincipleException.ts). Beside any other failure the case is plainly `not_eligible`:
 *   an exception to 二(三)1(5) cannot cure a condition of 一(二), which admits no exception.
 */
import { findSeries, findTitle } from './catalog.js';
import type { AcquisitionMethod } from './certificate.js';
import { isIsoDate } from './chineseDate.js';
import { DomainError, type Message } from './errors.js';
import { isSenior, type Level } from './levels.js';

export const OBTAINED_REGIONS = ['outside', 'central', 'military', 'guangxi'] as const;
export type ObtainedRegion = (typeof OBTAINED_REGIONS)[number];
export const EMPLOYER_KINDS = ['enterprise', 'institution'] as const;
export type EmployerKind = (typeof EMPLOYER_KINDS)[number];
export const EMPLOYER_CHOICES = ['reconfirm', 're_evaluate'] as const;
export type EmployerChoice = (typeof EMPLOYER_CHOICES)[number];
export const DECISIONS = ['eligible', 'not_needed', 'not_eligible', 'employer_decides', 'refused_in_principle'] as const;
export type Decision = (typeof DECISIONS)[number];

/** The case as the applicant describes it; field names are the API contract (issue 5). */
export interface EligibilityInput {
  title: { series: string; name: string };
  obtained: {
    region: ObtainedRegion;
    place?: string | undefined;
    method: AcquisitionMethod;
    on: string;
    /**
     * The committee (or approving body) that granted the title. `onlineQueryUrl`: where its filing can be
     * checked online — for a 中直 intermediate/junior title it replaces the filing proof (二(三)1(5) "或在线查询途径").
     */
    committee?: { name: string; filed: boolean; onlineQueryUrl?: string | null | undefined } | null | undefined;
  };
  employment: {
    since: string;
    personnelTransferred: boolean;
    socialInsurance: boolean;
    employerKind: EmployerKind;
    currentSeries: string;
  };
  employerChoice: EmployerChoice | null;
  onlineVerification: boolean;
}

/** A self-evaluating university or a city authorised to confirm the levels it may grant (二(一)). */
export interface AuthorisedBody {
  kind: 'self_evaluating_university' | 'city_title_office';
  name: string;
  levels: readonly Level[];
}

export interface EligibilityOptions {
  /** The applicant's university or city when it holds confirming authority; else routing is by level. */
  authorisedBody?: AuthorisedBody | undefined;
}

export interface Reason {
  clause: string;
  code: string;
  message: Message;
}

export type AuthorityLevel = 'region_title_office' | 'authorised_department' | 'self_evaluating_university' | 'city_title_office';

export interface Authority {
  level: AuthorityLevel;
  zh: string;
  en: string;
  clause: '二(一)';
  /** The named university or city, when one confirms. */
  name?: string;
}

export type SubmitterKind = 'city_title_office' | 'department_hr_office' | 'region_personnel_file_office' | 'competent_department';

export interface Submitter {
  kind: SubmitterKind;
  zh: string;
  en: string;
  clause: '二(二)3';
}

export interface MaterialItem {
  item: string;
  required: boolean;
  waived: boolean;
  clause: string;
  note?: Message;
}

export interface EligibilityAssessment {
  decision: Decision;
  level: Level | null;
  reasons: Reason[];
  /** null when reconfirmation is not needed or the level is unknown. */
  authority: Authority | null;
  submitters: Submitter[];
  materials: MaterialItem[];
}

const reason = (clause: string, code: string, zh: string, en: string): Reason => ({ clause, code, message: { zh, en } });

/**
 * The date on which a relationship begun on `since` has lasted `years` full years: the same calendar
 * date, with 29 February falling back to 28 February in a common year.
 * @example anniversary('2024-02-29', 2) // '2026-02-28'
 */
export function anniversary(since: string, years: number): string {
  if (!isIsoDate(since)) throw new RangeError(`not an ISO date: ${since}`);
  const [y, m, d] = since.split('-').map(Number) as [number, number, number];
  const year = y + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = m === 2 && d === 29 && !leap ? 28 : d;
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function requireDate(value: string, field: string): void {
  if (!isIsoDate(value)) throw new DomainError('validation_failed', { zh: '日期格式应为 YYYY-MM-DD', en: 'Date must be a real YYYY-MM-DD date' }, field);
}

const REGION_TITLE_OFFICE: Authority = { level: 'region_title_office', zh: '自治区职改办', en: 'Region title office', clause: '二(一)' };
const AUTHORISED_DEPARTMENT: Authority = {
  level: 'authorised_department',
  zh: '按管理权限负责中初级职称重新确认的相应部门',
  en: 'The department holding authority for intermediate and junior titles',
  clause: '二(一)',
};

/** 二(一): an authorised university or city confirms the levels it may grant; otherwise senior → region, 中初级 → the authorised department. */
export function confirmingAuthority(level: Level, body?: AuthorisedBody): Authority {
  if (body && body.levels.includes(level)) {
    return body.kind === 'self_evaluating_university'
      ? { level: 'self_evaluating_university', zh: `自主评审高校（${body.name}）`, en: `Self-evaluating university (${body.name})`, clause: '二(一)', name: body.name }
      : { level: 'city_title_office', zh: `设区市职改办（${body.name}）`, en: `City title office (${body.name})`, clause: '二(一)', name: body.name };
  }
  return isSenior(level) ? REGION_TITLE_OFFICE : AUTHORISED_DEPARTMENT;
}

const SENIOR_SUBMITTERS: readonly Submitter[] = [
  { kind: 'city_title_office', zh: '设区市职改办', en: 'City title office', clause: '二(二)3' },
  { kind: 'department_hr_office', zh: '厅级人事主管部门', en: 'Department-level HR office', clause: '二(二)3' },
  { kind: 'region_personnel_file_office', zh: '自治区级档案管理部门', en: 'Region-level personnel-file office', clause: '二(二)3' },
];
const COMPETENT_DEPARTMENT: Submitter = { kind: 'competent_department', zh: '主管部门（逐级上报）', en: 'Competent department, forwarding level by level', clause: '二(二)3' };

/** 二(二)3: a senior case going to the region title office may only be submitted by these three; others go up through the competent department. */
export function submittersFor(level: Level, authority: Authority): Submitter[] {
  return isSenior(level) && authority.level === 'region_title_office' ? [...SENIOR_SUBMITTERS] : [COMPETENT_DEPARTMENT];
}

/** 二(三): what the applicant (1) and the unit and submitting department (2) must supply. */
export function materialsFor(input: EligibilityInput, level: Level | null): MaterialItem[] {
  const waived = input.onlineVerification;
  const items: MaterialItem[] = [
    { item: 'approval_form', required: true, waived: false, clause: '二(三)1(1)' },
    {
      item: 'original_title_proof',
      required: !waived,
      waived,
      clause: '二(三)1(2)',
      note: { zh: '原职称证书复印件（单位审核原件并注明“与原件相符”加盖公章）、评审表、批复文件等', en: 'Certificate copy checked against the original by the unit, evaluation form, approval document' },
    },
  ];
  if (waived) {
    items.push({ item: 'online_verification_route', required: true, waived: false, clause: '二(三)1(2)', note: { zh: '原职称网上核验途径及证书信息查询结果截图', en: 'Online verification route for the original and a screenshot of the result' } });
  }
  items.push({ item: 'employment_proof', required: true, waived: false, clause: '二(三)1(3)', note: { zh: '调令、增人计划下达通知书、入编证明材料等或有效劳动合同复印件', en: 'Transfer order, staffing approval or a valid labour contract' } });
  if (input.employment.employerKind === 'enterprise') {
    items.push({ item: 'social_insurance_record', required: false, waived: true, clause: '二(三)1(3)', note: { zh: '无需提供，由报送部门通过系统或其他方式核实', en: 'Not supplied; the submitting department checks it through the system' } });
  }
  items.push({ item: 'photo', required: true, waived: false, clause: '二(三)1(4)' });
  if (input.obtained.region === 'central') {
    // 二(三)1(5): "须提供该评委会成立的备案审批有效证明材料，或在线查询途径" — an online query route for the
    // committee's filing replaces the upload, as the online route replaces the original proof (二(三)1(2)).
    // Reading: "其中高级职称应提供……备案审批设立的文件或其他有效证明材料" gives senior titles their own
    // alternatives, which do not include the online route, so a senior title still supplies the ministry filing.
    const onlineQuery = Boolean(input.obtained.committee?.onlineQueryUrl);
    if (level !== null && isSenior(level)) {
      items.push({ item: 'committee_ministry_filing_proof', required: true, waived: false, clause: '二(三)1(5)', note: { zh: '评委会经国家人力资源和社会保障部（人事部）备案审批设立的文件或其他有效证明材料', en: 'The filing of the committee with the national ministry of human resources, or other valid proof' } });
    } else if (onlineQuery) {
      items.push(
        { item: 'committee_filing_proof', required: false, waived: true, clause: '二(三)1(5)', note: { zh: '已提供评委会备案的在线查询途径，免于提供备案审批证明材料', en: 'Not supplied: an online route to check the committee’s filing is given' } },
        { item: 'committee_online_query_route', required: true, waived: false, clause: '二(三)1(5)', note: { zh: '评委会成立备案审批情况的在线查询途径（网址）', en: 'The web address where the committee’s filing can be checked' } },
      );
    } else {
      items.push({ item: 'committee_filing_proof', required: true, waived: false, clause: '二(三)1(5)', note: { zh: '评委会成立的备案审批有效证明材料，或在线查询途径', en: 'Proof the committee was filed/approved, or an online way to check it' } });
    }
  }
  items.push(
    { item: 'request_document', required: true, waived: false, clause: '二(三)2' },
    { item: 'verification_record', required: true, waived: false, clause: '二(三)2', note: { zh: '《职称重新确认职称核实情况记录单》（附件2）', en: 'The verification record (attachment 2)' } },
  );
  return items;
}

/**
 * Judges a reconfirmation case on `asOf` (YYYY-MM-DD, China date).
 * @example
 * assessEligibility({ title: { series: 'engineering', name: '高级工程师' }, obtained: { region: 'outside', method: 'evaluation', on: '2015-12-30', committee: { name: '…', filed: true } },
 *   employment: { since: '2022-01-01', personnelTransferred: true, socialInsurance: true, employerKind: 'enterprise', currentSeries: 'engineering' },
 *   employerChoice: null, onlineVerification: false }, '2026-11-28').decision // 'eligible'
 */
export function assessEligibility(input: EligibilityInput, asOf: string, options: EligibilityOptions = {}): EligibilityAssessment {
  requireDate(asOf, 'asOf');
  requireDate(input.obtained.on, 'obtained.on');
  requireDate(input.employment.since, 'employment.since');
  const { title, obtained, employment } = input;

  const series = findSeries(title.series);
  const entry = series ? findTitle(title.series, title.name) : undefined;
  const level = entry?.level ?? null;
  const outcome = (decision: Decision, reasons: Reason[]): EligibilityAssessment => {
    if (decision === 'not_needed' || level === null) return { decision, level, reasons, authority: null, submitters: [], materials: [] };
    const authority = confirmingAuthority(level, options.authorisedBody);
    return { decision, level, reasons, authority, submitters: submittersFor(level, authority), materials: materialsFor(input, level) };
  };

  // 一(一) scope: cases that need no reconfirmation at all.
  if (obtained.method === 'national_exam') {
    return outcome('not_needed', [reason('一(一)', 'national_exam', '通过国家统一考试取得的职称不再办理职称重新确认', 'Titles obtained by national exam need no reconfirmation')]);
  }
  const selfEvaluated = obtained.method === 'self_evaluation' || obtained.method === 'appointment_in_lieu';
  if (obtained.region === 'guangxi') {
    // 一(一) sentence 4: every 中初级 title obtained in Guangxi carries the unified e-certificate and needs no
    // reconfirmation inside the region — whatever the method, self-evaluation and appointment-in-lieu included.
    if (level !== null && !isSenior(level)) {
      return outcome('not_needed', [reason('一(一)', 'guangxi_unified_certificate', '在我区取得的中初级职称（含自主评审、以聘代评取得的），实行统一的职称电子证书，在自治区范围内流动的不再办理职称重新确认', 'Intermediate and junior titles obtained in Guangxi (self-evaluated or appointment-in-lieu ones included) carry the unified e-certificate; no reconfirmation when moving within Guangxi')]);
    }
    // 一(一) sentence 1: a senior title obtained in Guangxi by ordinary evaluation is outside the scope.
    // A Guangxi self-evaluated senior title falls to sentence 2 below (the new employer decides).
    if (!selfEvaluated) {
      if (level !== null) {
        return outcome('not_needed', [reason('一(一)', 'obtained_in_guangxi', '重新确认范围为在自治区外（含中直、部队）取得的职称；在我区取得的高级职称不在此范围', 'Reconfirmation covers titles obtained outside Guangxi; a senior title obtained in Guangxi is outside its scope')]);
      }
      return outcome('not_needed', [reason('一(一)', 'guangxi_unified_certificate', '在我区取得的中初级职称实行统一的职称电子证书，在自治区范围内流动的不再办理职称重新确认', 'Intermediate and junior titles obtained in Guangxi carry the unified e-certificate; no reconfirmation when moving within Guangxi')]);
    }
  }

  const failures: Reason[] = [];
  if (!series) failures.push(reason('一(二)3', 'unknown_series', `职称系列代码“${title.series}”不在目录中`, `Series code "${title.series}" is not in the catalog`));
  else if (!entry) failures.push(reason('一(二)1', 'unknown_title', `“${title.name}”不是${series.name}系列的职称名称`, `"${title.name}" is not a title of the ${series.nameEn} series`));

  if (selfEvaluated && input.employerChoice === 're_evaluate') {
    failures.push(reason('一(一)', 'employer_requires_re_evaluation', '新用人单位要求重新参加当地（本单位）职称评审，不办理职称重新确认', 'The new employer requires a fresh local evaluation instead of reconfirmation'));
  }

  // 一(二)1 granted through the proper procedure; 二(三)1(5) unfiled committees are not reconfirmed.
  if (obtained.on > asOf) failures.push(reason('一(二)1', 'obtained_after_as_of', '原取得职称时间晚于判断日期', 'The title was obtained after the date the case is judged on'));
  if (!selfEvaluated) {
    if (!obtained.committee) {
      failures.push(reason('一(二)1', 'committee_missing', '未说明授予职称的评委会（或批准机关）', 'The committee or approving body that granted the title is not given'));
    } else if (!obtained.committee.filed) {
      failures.push(reason('二(三)1(5)', 'committee_not_filed', '自行设立且未经备案的评委会，其评审结果原则上不予职称重新确认', 'Results of a committee set up without filing are in principle not reconfirmed'));
    }
  }

  // 一(二)2 personnel relationship, 2 years or more, social insurance through the employer.
  if (!employment.personnelTransferred) failures.push(reason('一(二)2', 'personnel_not_transferred', '人事关系尚未转入我区企事业单位', 'The personnel relationship has not moved into a Guangxi enterprise or institution'));
  const twoYears = anniversary(employment.since, 2);
  if (asOf < twoYears) {
    failures.push(reason('一(二)2', 'employment_under_two_years', `劳动（人事）关系未满2年，${twoYears}起满2年`, `Labour relationship is under 2 years; it reaches 2 years on ${twoYears}`));
  }
  if (!employment.socialInsurance) failures.push(reason('一(二)2', 'no_social_insurance', '未按规定在用人单位参加社保', 'Social insurance is not paid through the employer'));

  // 一(二)3 the current work's series must be the original series.
  if (!findSeries(employment.currentSeries)) {
    failures.push(reason('一(二)3', 'unknown_current_series', `现从事工作的职称系列代码“${employment.currentSeries}”不在目录中`, `Current series code "${employment.currentSeries}" is not in the catalog`));
  } else if (series && employment.currentSeries !== title.series) {
    failures.push(reason('一(二)3', 'series_mismatch', '现从事专业技术工作所属职称系列与原取得职称系列不一致', 'The series of the current work differs from the series of the original title'));
  }

  // 二(三)1(5) "原则上不予": alone, the unfiled committee leaves the case to the authority's reasoned exception.
  if (failures.length === 1 && failures[0]!.code === 'committee_not_filed') return outcome('refused_in_principle', failures);
  if (failures.length > 0) return outcome('not_eligible', failures);
  if (selfEvaluated && input.employerChoice === null) {
    return outcome('employer_decides', [reason('一(一)', 'employer_decides', '自主评审或以聘代评取得的职称，由新用人单位自主决定进行职称重新确认或要求重新参加评审', 'For a self-evaluation or appointment-in-lieu title the new employer decides: reconfirm, or require a fresh evaluation')]);
  }
  const met: Reason[] = [];
  if (selfEvaluated) met.push(reason('一(一)', 'employer_chose_reconfirmation', '新用人单位决定进行职称重新确认', 'The new employer chose reconfirmation'));
  else met.push(reason('一(一)', 'in_scope', '在自治区外（含中直、部队）取得的职称，属重新确认范围', 'A title obtained outside Guangxi (incl. central units and the military) is in scope'));
  met.push(
    reason('一(二)1', 'granted_by_authority', '职称按规定程序由相关部门按权限授予', 'The title was granted through the proper procedure by an authorised body'),
    reason('一(二)2', 'employment_conditions_met', `人事关系已转入，劳动关系自${employment.since}起已满2年，在用人单位参加社保`, `Personnel relationship moved, labour relationship of 2 years or more since ${employment.since}, social insurance through the employer`),
    reason('一(二)3', 'series_matches', '现从事工作的职称系列与原职称系列一致', 'The current work is in the series of the original title'),
  );
  return outcome('eligible', met);
}
