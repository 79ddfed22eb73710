/**
 * Eligibility (notice 一), routing (二(一), 二(二)3) and materials (二(三)) as a table: each case names the
 * decision and the clauses (with codes) expected among its reasons.
 */
import { describe, expect, it } from 'vitest';
import { anniversary, assessEligibility, type AuthorisedBody, type EligibilityInput } from '../../src/domain/eligibility.js';
import { choiceAtNotice, choiceAtRejection, refuseApplicantEmployerChoice } from '../../src/domain/employerChoice.js';
import { DomainError } from '../../src/domain/errors.js';
import { exceptionForApproval } from '../../src/domain/inPrincipleException.js';

type Patch = {
  title?: Partial<EligibilityInput['title']>;
  obtained?: Partial<EligibilityInput['obtained']>;
  employment?: Partial<EligibilityInput['employment']>;
  employerChoice?: EligibilityInput['employerChoice'];
  onlineVerification?: boolean;
};

/** The example body: an outside senior engineer, eligible on 2026-11-28. */
function body(patch: Patch = {}): EligibilityInput {
  return {
    title: { series: 'engineering', name: '高级工程师', ...patch.title },
    obtained: { region: 'outside', place: '湖南省', method: 'evaluation', on: '2015-12-30', committee: { name: '湖南省工程技术高级职务评审委员会', filed: true }, ...patch.obtained },
    employment: { since: '2022-01-01', personnelTransferred: true, socialInsurance: true, employerKind: 'enterprise', currentSeries: 'engineering', ...patch.employment },
    employerChoice: patch.employerChoice ?? null,
    onlineVerification: patch.onlineVerification ?? false,
  };
}

const AS_OF = '2026-11-28';
const ELIGIBLE = ['一(一):in_scope', '一(二)1:granted_by_authority', '一(二)2:employment_conditions_met', '一(二)3:series_matches'];

interface Case {
  name: string;
  input: EligibilityInput;
  asOf?: string;
  decision: 'eligible' | 'not_needed' | 'not_eligible' | 'employer_decides' | 'refused_in_principle';
  /** `clause:code` pairs that must be among the reasons. */
  reasons: string[];
  /** For not_eligible: these are all the reasons (every failure collected). */
  exact?: boolean;
}

const cases: Case[] = [
  // 一(一) scope
  { name: 'issue example: outside senior engineer', input: body(), decision: 'eligible', reasons: ELIGIBLE, exact: true },
  { name: 'central-government unit title is in scope', input: body({ obtained: { region: 'central' } }), decision: 'eligible', reasons: ['一(一):in_scope'] },
  { name: 'military title is in scope', input: body({ obtained: { region: 'military' } }), decision: 'eligible', reasons: ['一(一):in_scope'] },
  { name: 'recognition (认定) outside is judged like evaluation', input: body({ obtained: { method: 'recognition' } }), decision: 'eligible', reasons: ELIGIBLE },
  { name: 'national exam: not needed', input: body({ title: { name: '工程师' }, obtained: { method: 'national_exam', committee: null } }), decision: 'not_needed', reasons: ['一(一):national_exam'], exact: true },
  { name: 'national exam wins over failing conditions', input: body({ obtained: { method: 'national_exam' }, employment: { personnelTransferred: false } }), decision: 'not_needed', reasons: ['一(一):national_exam'], exact: true },
  { name: 'national exam in Guangxi: not needed', input: body({ title: { series: 'accounting', name: '会计师' }, obtained: { region: 'guangxi', method: 'national_exam' } }), decision: 'not_needed', reasons: ['一(一):national_exam'] },
  { name: 'Guangxi intermediate: unified e-certificate', input: body({ title: { name: '工程师' }, obtained: { region: 'guangxi' } }), decision: 'not_needed', reasons: ['一(一):guangxi_unified_certificate'] },
  { name: 'Guangxi assistant: unified e-certificate', input: body({ title: { name: '助理工程师' }, obtained: { region: 'guangxi' } }), decision: 'not_needed', reasons: ['一(一):guangxi_unified_certificate'] },
  { name: 'Guangxi junior: unified e-certificate', input: body({ title: { name: '技术员' }, obtained: { region: 'guangxi' } }), decision: 'not_needed', reasons: ['一(一):guangxi_unified_certificate'] },
  { name: 'Guangxi senior: outside the scope of 一(一)', input: body({ obtained: { region: 'guangxi' } }), decision: 'not_needed', reasons: ['一(一):obtained_in_guangxi'] },
  { name: 'Guangxi full senior: outside the scope', input: body({ title: { name: '正高级工程师' }, obtained: { region: 'guangxi' } }), decision: 'not_needed', reasons: ['一(一):obtained_in_guangxi'] },
  // 一(一) self-evaluation / appointment-in-lieu: the new employer decides
  { name: 'self-evaluation, no choice yet', input: body({ title: { series: 'higher_education_teacher', name: '副教授' }, obtained: { method: 'self_evaluation', committee: null }, employment: { currentSeries: 'higher_education_teacher', employerKind: 'institution' } }), decision: 'employer_decides', reasons: ['一(一):employer_decides'] },
  { name: 'appointment-in-lieu, no choice yet', input: body({ obtained: { method: 'appointment_in_lieu' } }), decision: 'employer_decides', reasons: ['一(一):employer_decides'] },
  { name: 'self-evaluation, employer reconfirms', input: body({ title: { series: 'higher_education_teacher', name: '副教授' }, obtained: { method: 'self_evaluation' }, employment: { currentSeries: 'higher_education_teacher' }, employerChoice: 'reconfirm' }), decision: 'eligible', reasons: ['一(一):employer_chose_reconfirmation', '一(二)2:employment_conditions_met'] },
  { name: 'appointment-in-lieu, employer reconfirms', input: body({ obtained: { method: 'appointment_in_lieu' }, employerChoice: 'reconfirm' }), decision: 'eligible', reasons: ['一(一):employer_chose_reconfirmation'] },
  { name: 'self-evaluation, employer requires re-evaluation', input: body({ obtained: { method: 'self_evaluation' }, employerChoice: 're_evaluate' }), decision: 'not_eligible', reasons: ['一(一):employer_requires_re_evaluation'], exact: true },
  { name: 'appointment-in-lieu, re-evaluation', input: body({ obtained: { method: 'appointment_in_lieu' }, employerChoice: 're_evaluate' }), decision: 'not_eligible', reasons: ['一(一):employer_requires_re_evaluation'] },
  // 一(一) sentence 4 (issue 13 item 1): a Guangxi 中初级 title needs no reconfirmation, self-evaluated too —
  // this case used to expect employer_decides; a Guangxi self-evaluated senior title still does (sentence 2).
  { name: 'self-evaluated 讲师 from a Guangxi university, moving units: not needed (一(一) sentence 4)', input: body({ title: { series: 'higher_education_teacher', name: '讲师' }, obtained: { region: 'guangxi', method: 'self_evaluation' }, employment: { currentSeries: 'higher_education_teacher' } }), decision: 'not_needed', reasons: ['一(一):guangxi_unified_certificate'], exact: true },
  { name: 'self-evaluated 副教授 from a Guangxi university, moving units: employer decides (一(一) sentence 2)', input: body({ title: { series: 'higher_education_teacher', name: '副教授' }, obtained: { region: 'guangxi', method: 'self_evaluation' }, employment: { currentSeries: 'higher_education_teacher' } }), decision: 'employer_decides', reasons: ['一(一):employer_decides'] },
  { name: 'self-evaluation with failing conditions: not eligible whatever the choice', input: body({ obtained: { method: 'self_evaluation' }, employment: { socialInsurance: false } }), decision: 'not_eligible', reasons: ['一(二)2:no_social_insurance'], exact: true },
  // 一(二)1 granted properly; 二(三)1(5) unfiled committees
  // 二(三)1(5) "原则上不予" (issue 13 item 2): alone, an unfiled committee is refused in principle, not absolutely —
  // these three expected not_eligible before; beside any other failure the case stays not_eligible.
  { name: 'committee not filed: refused in principle', input: body({ obtained: { committee: { name: '某公司自设评委会', filed: false } } }), decision: 'refused_in_principle', reasons: ['二(三)1(5):committee_not_filed'], exact: true },
  { name: 'central unit, committee not filed: refused in principle', input: body({ obtained: { region: 'central', committee: { name: '某央企自设评委会', filed: false } } }), decision: 'refused_in_principle', reasons: ['二(三)1(5):committee_not_filed'], exact: true },
  { name: 'intermediate, committee not filed: refused in principle', input: body({ title: { name: '工程师' }, obtained: { committee: { name: '某自设评委会', filed: false } } }), decision: 'refused_in_principle', reasons: ['二(三)1(5):committee_not_filed'], exact: true },
  { name: 'committee not filed and under two years: plainly not eligible', input: body({ obtained: { committee: { name: '某自设评委会', filed: false } }, employment: { since: '2026-01-01' } }), decision: 'not_eligible', reasons: ['二(三)1(5):committee_not_filed', '一(二)2:employment_under_two_years'], exact: true },
  { name: 'no committee given for an evaluated title', input: body({ obtained: { committee: null } }), decision: 'not_eligible', reasons: ['一(二)1:committee_missing'] },
  { name: 'obtained after the date judged on', input: body({ obtained: { on: '2027-01-01' } }), decision: 'not_eligible', reasons: ['一(二)1:obtained_after_as_of'] },
  { name: 'title name not in the series', input: body({ title: { name: '主任医师' } }), decision: 'not_eligible', reasons: ['一(二)1:unknown_title'] },
  { name: 'unknown series code', input: body({ title: { series: 'alchemy' } }), decision: 'not_eligible', reasons: ['一(二)3:unknown_series'] },
  { name: 'title name with spaces is found', input: body({ title: { name: '工 程 师' } }), decision: 'eligible', reasons: ELIGIBLE },
  // 一(二)2 personnel relationship, 2 years, social insurance
  { name: 'personnel relationship not transferred', input: body({ employment: { personnelTransferred: false } }), decision: 'not_eligible', reasons: ['一(二)2:personnel_not_transferred'], exact: true },
  { name: 'no social insurance through the employer', input: body({ employment: { socialInsurance: false } }), decision: 'not_eligible', reasons: ['一(二)2:no_social_insurance'], exact: true },
  { name: 'exactly two years: met', input: body({ employment: { since: '2024-11-28' } }), decision: 'eligible', reasons: ['一(二)2:employment_conditions_met'] },
  { name: 'one day short of two years', input: body({ employment: { since: '2024-11-29' } }), decision: 'not_eligible', reasons: ['一(二)2:employment_under_two_years'], exact: true },
  { name: 'leap-day start: met on 28 Feb two years later', input: body({ employment: { since: '2024-02-29' } }), asOf: '2026-02-28', decision: 'eligible', reasons: ['一(二)2:employment_conditions_met'] },
  { name: 'leap-day start: not met on 27 Feb', input: body({ employment: { since: '2024-02-29' } }), asOf: '2026-02-27', decision: 'not_eligible', reasons: ['一(二)2:employment_under_two_years'] },
  { name: '1 March start: met only on 1 March', input: body({ employment: { since: '2024-03-01' } }), asOf: '2026-02-28', decision: 'not_eligible', reasons: ['一(二)2:employment_under_two_years'] },
  { name: 'start after the date judged on', input: body({ employment: { since: '2027-01-01' } }), decision: 'not_eligible', reasons: ['一(二)2:employment_under_two_years'] },
  // 一(二)3 series
  { name: 'current work in another series', input: body({ employment: { currentSeries: 'economics' } }), decision: 'not_eligible', reasons: ['一(二)3:series_mismatch'], exact: true },
  { name: 'current series unknown', input: body({ employment: { currentSeries: 'nope' } }), decision: 'not_eligible', reasons: ['一(二)3:unknown_current_series'] },
  { name: 'same title name, other series (讲师 in technical schools vs universities)', input: body({ title: { series: 'higher_education_teacher', name: '讲师' }, employment: { currentSeries: 'technical_school_teacher' } }), decision: 'not_eligible', reasons: ['一(二)3:series_mismatch'] },
  // every failure collected
  {
    name: 'all of 一(二) failing at once',
    input: body({ obtained: { committee: { name: 'x', filed: false } }, employment: { personnelTransferred: false, socialInsurance: false, since: '2026-01-01', currentSeries: 'health' } }),
    decision: 'not_eligible',
    reasons: ['二(三)1(5):committee_not_filed', '一(二)2:personnel_not_transferred', '一(二)2:employment_under_two_years', '一(二)2:no_social_insurance', '一(二)3:series_mismatch'],
    exact: true,
  },
  { name: 're-evaluation plus a short relationship', input: body({ obtained: { method: 'self_evaluation' }, employerChoice: 're_evaluate', employment: { since: '2026-01-01' } }), decision: 'not_eligible', reasons: ['一(一):employer_requires_re_evaluation', '一(二)2:employment_under_two_years'], exact: true },
  // other series and levels eligible
  { name: 'outside chief physician (正高)', input: body({ title: { series: 'health', name: '主任医师' }, employment: { currentSeries: 'health', employerKind: 'institution' } }), decision: 'eligible', reasons: ELIGIBLE },
  { name: 'outside accountant (intermediate)', input: body({ title: { series: 'accounting', name: '会计师' }, employment: { currentSeries: 'accounting' } }), decision: 'eligible', reasons: ELIGIBLE },
  { name: 'outside legacy title 教授级高级工程师', input: body({ title: { name: '教授级高级工程师' } }), decision: 'eligible', reasons: ELIGIBLE },
];

const pairs = (reasons: { clause: string; code: string }[]) => reasons.map((r) => `${r.clause}:${r.code}`);

describe('assessEligibility: decision and clauses (notice 一)', () => {
  it('has at least 40 cases', () => expect(cases.length).toBeGreaterThanOrEqual(40));
  it.each(cases)('$name → $decision', (c) => {
    const result = assessEligibility(c.input, c.asOf ?? AS_OF);
    expect(result.decision).toBe(c.decision);
    if (c.exact) expect(pairs(result.reasons).sort()).toEqual([...c.reasons].sort());
    else expect(pairs(result.reasons)).toEqual(expect.arrayContaining(c.reasons));
    for (const r of result.reasons) {
      expect(r.clause).toMatch(/^[一二四]\(/);
      expect(r.message.zh).toMatch(/\p{Script=Han}/u);
      expect(r.message.en).toMatch(/[a-z]/);
    }
  });
});

/**
 * 一(一) sentences 1, 2 and 4 together, for every combination of Guangxi (or not) × self-evaluated (or not) × level.
 * Failed before issue 13 item 1: the Guangxi self-evaluated / appointment-in-lieu 中初级 rows (e.g. a self-evaluated
 * 讲师) came out `employer_decides`; sentence 4 exempts every 中初级 title obtained in the region.
 */
describe('一(一): Guangxi × self-evaluated × level', () => {
  const LEVELS = [
    { level: 'senior_full', name: '正高级工程师', senior: true },
    { level: 'senior_associate', name: '高级工程师', senior: true },
    { level: 'intermediate', name: '工程师', senior: false },
    { level: 'assistant', name: '助理工程师', senior: false },
    { level: 'junior', name: '技术员', senior: false },
  ] as const;
  const METHODS = ['evaluation', 'self_evaluation', 'appointment_in_lieu'] as const;
  const matrix = LEVELS.flatMap((l) => METHODS.flatMap((method) => (['guangxi', 'outside'] as const).map((region) => {
    const selfEvaluated = method !== 'evaluation';
    const [decision, code] =
      region === 'guangxi' && !l.senior ? ['not_needed', 'guangxi_unified_certificate'] // sentence 4
      : region === 'guangxi' && !selfEvaluated ? ['not_needed', 'obtained_in_guangxi'] // sentence 1: outside the scope
      : selfEvaluated ? ['employer_decides', 'employer_decides'] // sentence 2
      : ['eligible', 'in_scope']; // sentence 1
    return { region, method, level: l.level, name: l.name, decision, code };
  })));

  it('covers 2 regions × 3 methods × 5 levels', () => expect(matrix).toHaveLength(30));
  it.each(matrix)('$region $method $name ($level) → $decision ($code)', (c) => {
    const result = assessEligibility(body({ title: { name: c.name }, obtained: { region: c.region, method: c.method } }), AS_OF);
    expect(result.level).toBe(c.level);
    expect(result.decision).toBe(c.decision);
    expect(pairs(result.reasons)).toContain(`一(一):${c.code}`);
  });

  it.each(['reconfirm', 're_evaluate'] as const)('a Guangxi self-evaluated 讲师 is not needed whatever the employer chose (%s)', (employerChoice) => {
    const result = assessEligibility(body({ title: { series: 'higher_education_teacher', name: '讲师' }, obtained: { region: 'guangxi', method: 'self_evaluation' }, employment: { currentSeries: 'higher_education_teacher' }, employerChoice }), AS_OF);
    expect(result).toMatchObject({ decision: 'not_needed', authority: null, submitters: [], materials: [] });
    expect(result.reasons[0]?.message.zh).toContain('自主评审');
  });

  it('a Guangxi self-evaluated 副教授 whose employer reconfirms is judged on 一(二) like any other case', () => {
    const result = assessEligibility(body({ title: { series: 'higher_education_teacher', name: '副教授' }, obtained: { region: 'guangxi', method: 'self_evaluation' }, employment: { currentSeries: 'higher_education_teacher' }, employerChoice: 'reconfirm' }), AS_OF);
    expect(result.decision).toBe('eligible');
    expect(pairs(result.reasons)).toContain('一(一):employer_chose_reconfirmation');
  });
});

const UNIVERSITY: AuthorisedBody = { kind: 'self_evaluating_university', name: '广西大学', levels: ['senior_full', 'senior_associate', 'intermediate', 'assistant'] };
const UNIVERSITY_INTERMEDIATE_ONLY: AuthorisedBody = { kind: 'self_evaluating_university', name: '某学院', levels: ['intermediate', 'assistant'] };
const CITY: AuthorisedBody = { kind: 'city_title_office', name: '南宁市', levels: ['intermediate', 'assistant', 'junior'] };
const teacher = (name: string) => body({ title: { series: 'higher_education_teacher', name }, employment: { currentSeries: 'higher_education_teacher', employerKind: 'institution' } });
const engineer = (name: string) => body({ title: { name } });
const SENIOR_SUBMITTERS = ['city_title_office', 'department_hr_office', 'region_personnel_file_office'];

interface Route {
  name: string;
  input: EligibilityInput;
  body?: AuthorisedBody;
  authority: string;
  submitters: string[];
}

const routes: Route[] = [
  { name: 'senior associate → region title office, three senior submitters', input: engineer('高级工程师'), authority: 'region_title_office', submitters: SENIOR_SUBMITTERS },
  { name: 'senior full → region title office', input: engineer('正高级工程师'), authority: 'region_title_office', submitters: SENIOR_SUBMITTERS },
  { name: 'intermediate → authorised department', input: engineer('工程师'), authority: 'authorised_department', submitters: ['competent_department'] },
  { name: 'assistant → authorised department', input: engineer('助理工程师'), authority: 'authorised_department', submitters: ['competent_department'] },
  { name: 'junior → authorised department', input: engineer('技术员'), authority: 'authorised_department', submitters: ['competent_department'] },
  { name: 'university authorised for senior confirms a professor', input: teacher('教授'), body: UNIVERSITY, authority: 'self_evaluating_university', submitters: ['competent_department'] },
  { name: 'university confirms a lecturer', input: teacher('讲师'), body: UNIVERSITY, authority: 'self_evaluating_university', submitters: ['competent_department'] },
  { name: 'university not authorised for senior: region title office', input: teacher('副教授'), body: UNIVERSITY_INTERMEDIATE_ONLY, authority: 'region_title_office', submitters: SENIOR_SUBMITTERS },
  { name: 'city confirms intermediate', input: engineer('工程师'), body: CITY, authority: 'city_title_office', submitters: ['competent_department'] },
  { name: 'city confirms junior', input: engineer('技术员'), body: CITY, authority: 'city_title_office', submitters: ['competent_department'] },
  { name: 'city without senior authority: senior goes to the region', input: engineer('高级工程师'), body: CITY, authority: 'region_title_office', submitters: SENIOR_SUBMITTERS },
];

describe('routing: confirming authority (二(一)) and senior submitters (二(二)3)', () => {
  it.each(routes)('$name', (r) => {
    const result = assessEligibility(r.input, AS_OF, { authorisedBody: r.body });
    expect(result.decision).toBe('eligible');
    expect(result.authority?.level).toBe(r.authority);
    expect(result.authority?.clause).toBe('二(一)');
    if (r.body && r.authority === r.body.kind) expect(result.authority?.name).toBe(r.body.name);
    expect(result.submitters.map((s) => s.kind)).toEqual(r.submitters);
    expect(result.submitters.every((s) => s.clause === '二(二)3')).toBe(true);
  });

  it('no authority, submitters or materials when not needed', () => {
    const result = assessEligibility(body({ obtained: { method: 'national_exam' } }), AS_OF);
    expect(result).toMatchObject({ authority: null, submitters: [], materials: [] });
  });

  it('an unknown title has no level and so no authority, without crashing', () => {
    const result = assessEligibility(body({ title: { name: '炼金术士' } }), AS_OF);
    expect(result).toMatchObject({ level: null, authority: null, decision: 'not_eligible' });
  });
});

describe('materials (二(三)) and their waivers', () => {
  const items = (input: EligibilityInput) => Object.fromEntries(assessEligibility(input, AS_OF).materials.map((m) => [m.item, m]));

  it('lists 二(三)1(1)–(4) and 二(三)2 for an outside senior case', () => {
    const m = items(body({ employment: { employerKind: 'institution' } }));
    expect(Object.keys(m)).toEqual(['approval_form', 'original_title_proof', 'employment_proof', 'photo', 'request_document', 'verification_record']);
    expect(m.approval_form).toMatchObject({ required: true, waived: false, clause: '二(三)1(1)' });
    expect(m.original_title_proof).toMatchObject({ required: true, waived: false, clause: '二(三)1(2)' });
    expect(m.employment_proof).toMatchObject({ required: true, clause: '二(三)1(3)' });
    expect(m.photo).toMatchObject({ required: true, clause: '二(三)1(4)' });
    expect(m.verification_record).toMatchObject({ required: true, clause: '二(三)2' });
  });

  it('二(三)1(2): online verification waives the original proof and asks for the route and screenshot', () => {
    const m = items(body({ onlineVerification: true }));
    expect(m.original_title_proof).toMatchObject({ required: false, waived: true, clause: '二(三)1(2)' });
    expect(m.online_verification_route).toMatchObject({ required: true, waived: false, clause: '二(三)1(2)' });
  });

  it('二(三)1(3): enterprise staff do not supply the social insurance record; the submitter checks it', () => {
    expect(items(body()).social_insurance_record).toMatchObject({ required: false, waived: true, clause: '二(三)1(3)' });
    expect(items(body({ employment: { employerKind: 'institution' } })).social_insurance_record).toBeUndefined();
  });

  it('二(三)1(5): a central-unit senior title needs the ministry filing of its committee', () => {
    const m = items(body({ obtained: { region: 'central' } }));
    expect(m.committee_ministry_filing_proof).toMatchObject({ required: true, clause: '二(三)1(5)' });
    expect(m.committee_filing_proof).toBeUndefined();
  });

  it('二(三)1(5): a central-unit intermediate title needs proof its committee was filed', () => {
    const m = items(body({ title: { name: '工程师' }, obtained: { region: 'central' } }));
    expect(m.committee_filing_proof).toMatchObject({ required: true, clause: '二(三)1(5)' });
    expect(m.committee_ministry_filing_proof).toBeUndefined();
  });

  // Issue 13 item 9 — failed before: the online route was not taken, the filing proof stayed required.
  it('二(三)1(5) "或在线查询途径": an online query route for a central-unit committee waives the filing proof of an intermediate/junior title', () => {
    const committee = { name: '中国石油天然气集团公司工程技术中级评审委员会', filed: true, onlineQueryUrl: 'https://example.gov.cn/committees/123' };
    for (const name of ['工程师', '助理工程师', '技术员']) {
      const m = items(body({ title: { name }, obtained: { region: 'central', committee } }));
      expect(m.committee_filing_proof).toMatchObject({ required: false, waived: true, clause: '二(三)1(5)' });
      expect(m.committee_online_query_route).toMatchObject({ required: true, waived: false, clause: '二(三)1(5)' });
      expect(m.committee_ministry_filing_proof).toBeUndefined();
    }
  });

  it('二(三)1(5) "其中高级职称应提供……文件或其他有效证明材料": a senior central-unit title still supplies the ministry filing with an online route', () => {
    const m = items(body({ obtained: { region: 'central', committee: { name: '某中直评委会', filed: true, onlineQueryUrl: 'https://example.gov.cn/c' } } }));
    expect(m.committee_ministry_filing_proof).toMatchObject({ required: true, waived: false, clause: '二(三)1(5)' });
    expect(m.committee_online_query_route).toBeUndefined();
  });

  it('二(三)1(5): an empty or absent online route waives nothing; outside titles list no committee item with one', () => {
    for (const onlineQueryUrl of [null, '', undefined]) {
      const m = items(body({ title: { name: '工程师' }, obtained: { region: 'central', committee: { name: '某中直评委会', filed: true, onlineQueryUrl } } }));
      expect(m.committee_filing_proof).toMatchObject({ required: true, waived: false });
      expect(m.committee_online_query_route).toBeUndefined();
    }
    const m = items(body({ title: { name: '工程师' }, obtained: { committee: { name: '湖南省评委会', filed: true, onlineQueryUrl: 'https://example.gov.cn/c' } } }));
    expect(m.committee_filing_proof ?? m.committee_online_query_route).toBeUndefined();
  });

  it('no committee proof for titles from outside provinces or the military', () => {
    for (const region of ['outside', 'military'] as const) {
      const m = items(body({ obtained: { region } }));
      expect(m.committee_filing_proof ?? m.committee_ministry_filing_proof).toBeUndefined();
    }
  });
});

describe('anniversary: "2 years or more" on calendar dates (一(二)2)', () => {
  it.each([
    ['2024-02-29', '2026-02-28'],
    ['2024-02-29', '2028-02-29'],
    ['2023-03-01', '2025-03-01'],
    ['2022-12-31', '2024-12-31'],
  ])('%s + years → %s', (since, expected) => {
    expect(anniversary(since, Number(expected.slice(0, 4)) - Number(since.slice(0, 4)))).toBe(expected);
  });

  it('refuses a date that is not real', () => {
    expect(() => assessEligibility(body({ employment: { since: '2023-02-29' } }), AS_OF)).toThrow(DomainError);
  });
});

describe('decisions that belong to a person (issue 13 items 2 and 3)', () => {
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      if (error instanceof DomainError) return { code: error.code, field: error.field, clause: error.details?.clause, zh: error.zh };
      throw error;
    }
    return undefined;
  };

  it('二(三)1(5): a case refused in principle is approved only with a reason; any other case takes none', () => {
    expect(refusal(() => exceptionForApproval('refused_in_principle', undefined))).toMatchObject({ code: 'conflict', field: 'exceptionReason', clause: '二(三)1(5)' });
    expect(refusal(() => exceptionForApproval('refused_in_principle', '   '))).toMatchObject({ code: 'conflict', clause: '二(三)1(5)' });
    expect(exceptionForApproval('refused_in_principle', ' 该评委会已补办备案。 ')).toEqual({ clause: '二(三)1(5)', reason: '该评委会已补办备案。' });
    expect(exceptionForApproval('eligible', undefined)).toBeNull();
    expect(refusal(() => exceptionForApproval('eligible', '例外'))).toMatchObject({ code: 'validation_failed', field: 'exceptionReason' });
  });

  it('一(一) sentence 2: an applicant cannot give the employer’s choice; the unit gives it at its steps', () => {
    expect(refusal(() => refuseApplicantEmployerChoice('reconfirm', 'eligibility.employerChoice'))).toMatchObject({ code: 'validation_failed', field: 'eligibility.employerChoice', clause: '一(一)' });
    expect(refusal(() => refuseApplicantEmployerChoice(null, 'eligibility.employerChoice'))).toBeUndefined();
    // at the notice: reconfirm is recorded, kept from an earlier notice, required when pending; re-evaluation is a rejection
    expect(choiceAtNotice('self_evaluation', null, 'reconfirm', 'employerChoice')).toBe('reconfirm');
    expect(choiceAtNotice('appointment_in_lieu', 'reconfirm', undefined, 'employerChoice')).toBe('reconfirm');
    expect(refusal(() => choiceAtNotice('self_evaluation', null, undefined, 'employerChoice'))).toMatchObject({ code: 'conflict', clause: '一(一)' });
    expect(refusal(() => choiceAtNotice('self_evaluation', null, 're_evaluate', 'employerChoice'))).toMatchObject({ code: 'conflict', clause: '一(一)' });
    expect(choiceAtNotice('evaluation', null, undefined, 'employerChoice')).toBeNull();
    expect(refusal(() => choiceAtNotice('evaluation', null, 'reconfirm', 'employerChoice'))).toMatchObject({ code: 'validation_failed', field: 'employerChoice' });
    // at a rejection: only re-evaluation, only by the unit, only for a title the choice applies to
    expect(choiceAtRejection('self_evaluation', 're_evaluate', true, 'employerChoice')).toBe('re_evaluate');
    expect(choiceAtRejection('self_evaluation', undefined, false, 'employerChoice')).toBeUndefined();
    expect(refusal(() => choiceAtRejection('self_evaluation', 're_evaluate', false, 'employerChoice'))).toMatchObject({ code: 'validation_failed' });
    expect(refusal(() => choiceAtRejection('self_evaluation', 'reconfirm', true, 'employerChoice'))).toMatchObject({ code: 'validation_failed' });
    expect(refusal(() => choiceAtRejection('evaluation', 're_evaluate', true, 'employerChoice'))).toMatchObject({ code: 'validation_failed' });
  });
});
