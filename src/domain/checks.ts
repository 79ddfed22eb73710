/**
 * @module domain/checks
 * What the unit and the forwarding offices record that they checked, beyond their opinions (notice 二(三)
 * and 二(四)), and when each record is required:
 *
 * - 二(三)1(2) "用人单位审核原件，注明与原件相符": the unit checks the copies of the original-title proof
 *   against the originals before it endorses a case that has such copies on file.
 * - 二(三)1(3) (and 一(二)2): for an enterprise employee no social-insurance proof is supplied; the submitting
 *   department verifies the payments "通过系统或其他方式" and records how, the result, who and when before it
 *   forwards. The department above the unit records it; where the unit sends the case straight to the
 *   confirming authority, the unit is the submitting party and records it.
 * - 二(四): a senior case is submitted on the region's title platform (per 桂职办〔2018〕72号); the office that
 *   forwards it to the confirming authority records the platform's acceptance number (受理编号) and date.
 *
 * Each record is kept in the data of the step's history event (who and when are the event's); `checksOf`
 * reads the standing ones back.
 */
import type { ApplicationEvent } from './application.js';
import { chinaDateOf, isIsoDate } from './chineseDate.js';
import type { EmployerKind } from './eligibility.js';
import { DomainError, type Message } from './errors.js';
import { isSenior, type Level } from './levels.js';
import type { ApplicationStatus } from './workflow.js';

export const SOCIAL_INSURANCE_CHECK_METHODS = ['system', 'other'] as const;
export type SocialInsuranceCheckMethod = (typeof SOCIAL_INSURANCE_CHECK_METHODS)[number];
export const SOCIAL_INSURANCE_CHECK_RESULTS = ['confirmed', 'not_confirmed'] as const;
export type SocialInsuranceCheckResult = (typeof SOCIAL_INSURANCE_CHECK_RESULTS)[number];

export const SOCIAL_INSURANCE_METHOD_NAMES: Record<SocialInsuranceCheckMethod, Message> = {
  system: { zh: '通过社保信息系统核实', en: 'Checked in the social-insurance system' },
  other: { zh: '通过其他方式核实', en: 'Checked another way' },
};
export const SOCIAL_INSURANCE_RESULT_NAMES: Record<SocialInsuranceCheckResult, Message> = {
  confirmed: { zh: '已在用人单位按规定缴纳社保', en: 'Social insurance is paid through the employer' },
  not_confirmed: { zh: '未能核实在用人单位缴纳社保', en: 'Payment through the employer could not be confirmed' },
};

/** The social-insurance check as the forwarding person states it (二(三)1(3)). */
export interface SocialInsuranceCheckInput {
  method: SocialInsuranceCheckMethod;
  /** How, when `method` is `other` (e.g. 单位出具的社保缴费清单). */
  methodNote?: string | null | undefined;
  result: SocialInsuranceCheckResult;
  /** What was seen, e.g. 2022年1月起连续缴纳. */
  note?: string | null | undefined;
  /** The day the payments were checked. */
  checkedOn: string;
}

/** The platform's acceptance of a senior case (二(四)). */
export interface PlatformAcceptanceInput {
  /** 受理编号 on 广西专业技术人员职称管理服务平台. */
  number: string;
  acceptedOn: string;
}

/** Who recorded a check, and when (the step's event). */
export interface RecordedBy {
  personName: string;
  orgName: string;
  /** The instant of the step. */
  at: string;
}

export interface RecordedChecks {
  /** 二(三)1(2): the unit checked the copies against the originals (与原件相符). */
  originals: RecordedBy | null;
  /** 二(三)1(3): how the forwarding department verified the social-insurance payments. */
  socialInsurance: (SocialInsuranceCheckInput & RecordedBy) | null;
  /** 二(四): the region title platform's acceptance of a senior case. */
  platformAcceptance: (PlatformAcceptanceInput & RecordedBy) | null;
}

const UNIT_STEPS_ABOVE: readonly ApplicationStatus[] = ['department_review', 'forwarding'];

/**
 * Whether this forward must carry (or find on record) the social-insurance check: an enterprise employee's
 * case forwarded by a department above the unit, or sent by the unit straight to the confirming authority
 * (二(三)1(3)).
 * @example socialInsuranceCheckDue('enterprise', 'department_review', 'forwarding') // true
 */
export function socialInsuranceCheckDue(employerKind: EmployerKind, from: ApplicationStatus, to: ApplicationStatus): boolean {
  return employerKind === 'enterprise' && (UNIT_STEPS_ABOVE.includes(from) || to === 'authority_review');
}

/**
 * A social-insurance check as recorded: `other` says how; the date is real and not in the future; a check
 * that could not confirm the payments does not let the case go on — the case fails 一(二)2, return or reject it.
 * @example checkSocialInsurance({ method: 'system', result: 'confirmed', checkedOn: '2026-10-13' }, '2026-10-13')
 */
export function checkSocialInsurance(input: SocialInsuranceCheckInput, today: string): SocialInsuranceCheckInput {
  const field = 'socialInsuranceCheck';
  const methodNote = input.methodNote?.trim() || null;
  if (input.method === 'other' && !methodNote) {
    throw new DomainError('validation_failed', { zh: '通过其他方式核实社保缴纳的，须写明核实方式', en: 'Say how the payments were checked' }, `${field}.methodNote`, { clause: '二(三)1(3)' });
  }
  if (!isIsoDate(input.checkedOn)) throw new DomainError('validation_failed', { zh: '核实日期格式应为 YYYY-MM-DD', en: 'The check date must be a real YYYY-MM-DD date' }, `${field}.checkedOn`);
  if (input.checkedOn > today) throw new DomainError('future_date', { zh: '核实日期不能晚于今天', en: 'The check date cannot be in the future' }, `${field}.checkedOn`);
  if (input.result !== 'confirmed') {
    throw new DomainError(
      'conflict',
      {
        zh: '未能核实申报人在用人单位按规定参加社保，不符合职称重新确认条件，不能报送；请退回或作“不予确认”处理',
        en: 'Social insurance through the employer could not be confirmed, so the case fails the conditions and cannot be forwarded; return or reject it',
      },
      `${field}.result`,
      { clause: '一(二)2' },
    );
  }
  return { method: input.method, methodNote, result: input.result, note: input.note?.trim() || null, checkedOn: input.checkedOn };
}

/** The refusal of a forward that lacks the social-insurance check (二(三)1(3)). */
export function socialInsuranceCheckMissing(): DomainError {
  return new DomainError(
    'conflict',
    {
      zh: '企业单位人员无需提供社保缴纳证明，由报送部门通过系统或其他方式核实：请先记录社保缴纳核实情况（核实方式、结果、日期）再报送',
      en: 'An enterprise employee supplies no social-insurance proof; the submitting department checks it: record how the payments were checked, the result and the date before forwarding',
    },
    'socialInsuranceCheck',
    { clause: '二(三)1(3)' },
  );
}

/**
 * Whether this forward must carry the platform's acceptance: a senior case going to the confirming authority (二(四)).
 * @example platformAcceptanceDue('senior_associate', 'authority_review') // true
 */
export function platformAcceptanceDue(level: Level, to: ApplicationStatus): boolean {
  return isSenior(level) && to === 'authority_review';
}

/**
 * The platform's acceptance as recorded: a number and a real date not in the future; refused when absent.
 * @example checkPlatformAcceptance({ number: 'GXZC2026-001234', acceptedOn: '2026-10-14' }, '2026-10-14')
 */
export function checkPlatformAcceptance(input: Partial<PlatformAcceptanceInput> | undefined, today: string): PlatformAcceptanceInput {
  const field = 'platformAcceptance';
  const number = input?.number?.trim();
  if (!input || !number || !input.acceptedOn) {
    throw new DomainError(
      'conflict',
      {
        zh: '高级职称重新确认须在广西专业技术人员职称管理服务平台提交（桂职办〔2018〕72号）：请填写平台受理编号和受理日期后再报送',
        en: 'A senior case is submitted on the region title platform (桂职办〔2018〕72号): give the platform’s acceptance number and date before forwarding',
      },
      field,
      { clause: '二(四)' },
    );
  }
  if (!isIsoDate(input.acceptedOn)) throw new DomainError('validation_failed', { zh: '受理日期格式应为 YYYY-MM-DD', en: 'The acceptance date must be a real YYYY-MM-DD date' }, `${field}.acceptedOn`);
  if (input.acceptedOn > today) throw new DomainError('future_date', { zh: '受理日期不能晚于今天', en: 'The acceptance date cannot be in the future' }, `${field}.acceptedOn`);
  return { number, acceptedOn: input.acceptedOn };
}

/**
 * Whether the unit must state it checked copies against the originals: a copy of the original-title proof
 * is on file (二(三)1(2)). With the online route, or a proof that truly cannot be supplied, there is no copy.
 * @example originalsCheckDue(new Set(['original_title_proof', 'photo'])) // true
 */
export function originalsCheckDue(uploaded: ReadonlySet<string>): boolean {
  return uploaded.has('original_title_proof');
}

/** The refusal of an endorsement without the originals check (二(三)1(2)). */
export function originalsCheckMissing(): DomainError {
  return new DomainError(
    'conflict',
    {
      zh: '原职称证书复印件须由用人单位审核原件并注明“与原件相符”：请核对原件后勾选确认再签署意见',
      en: 'The unit must check the copy of the original certificate against the original (与原件相符): confirm it before endorsing',
    },
    'originalsChecked',
    { clause: '二(三)1(2)' },
  );
}

/** A return to these steps undoes the records made at or after them (as it undoes the signatures). */
const UNDONE_BY_RETURN: Record<string, readonly (keyof RecordedChecks)[]> = {
  draft: ['originals', 'socialInsurance', 'platformAcceptance'],
  unit_review: ['originals', 'socialInsurance', 'platformAcceptance'],
  unit_endorsed: ['socialInsurance', 'platformAcceptance'],
  department_review: ['socialInsurance', 'platformAcceptance'],
};

/**
 * The records standing on a case, from its history: the latest of each, unless a later return sent the
 * case back before it was made.
 * @example checksOf(view.events).originals // { personName: '周敏', orgName: '南宁路桥工程有限公司', at: '…' }
 */
export function checksOf(events: readonly ApplicationEvent[]): RecordedChecks {
  const checks: RecordedChecks = { originals: null, socialInsurance: null, platformAcceptance: null };
  for (const e of events) {
    const by: RecordedBy = { personName: e.person.name, orgName: e.org.name, at: e.at };
    if (e.action === 'endorse' && e.data.originalsChecked === true) checks.originals = by;
    if (e.action === 'forward' && isRecord(e.data.socialInsuranceCheck)) checks.socialInsurance = { ...(e.data.socialInsuranceCheck as unknown as SocialInsuranceCheckInput), ...by };
    if (e.action === 'forward' && isRecord(e.data.platformAcceptance)) checks.platformAcceptance = { ...(e.data.platformAcceptance as unknown as PlatformAcceptanceInput), ...by };
    if (e.action === 'return') for (const key of UNDONE_BY_RETURN[String(e.data.to)] ?? []) checks[key] = null;
  }
  return checks;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * The records in words, one line each, for the case page and the approval form.
 * @example describeChecks(checks, 'zh') // [{ label: '核对原件', text: '已审核原件，与原件相符（周敏，南宁路桥工程有限公司，2026年10月12日）' }]
 */
export function describeChecks(checks: RecordedChecks, lang: 'zh' | 'en', formatDate: (iso: string) => string): { label: string; text: string }[] {
  const who = (by: RecordedBy) => (lang === 'zh' ? `${by.personName}，${by.orgName}` : `${by.personName}, ${by.orgName}`);
  const lines: { label: string; text: string }[] = [];
  const { originals, socialInsurance: si, platformAcceptance: pa } = checks;
  if (originals) {
    lines.push(
      lang === 'zh'
        ? { label: '核对原件', text: `复印件已由用人单位审核原件，与原件相符（${who(originals)}，${formatDate(chinaDateOf(originals.at))}）` }
        : { label: 'Originals checked', text: `The unit checked the copies against the originals (${who(originals)}, ${formatDate(chinaDateOf(originals.at))})` },
    );
  }
  if (si) {
    const method = `${SOCIAL_INSURANCE_METHOD_NAMES[si.method][lang]}${si.methodNote ? (lang === 'zh' ? `（${si.methodNote}）` : ` (${si.methodNote})`) : ''}`;
    const result = `${SOCIAL_INSURANCE_RESULT_NAMES[si.result][lang]}${si.note ? (lang === 'zh' ? `，${si.note}` : `, ${si.note}`) : ''}`;
    lines.push(
      lang === 'zh'
        ? { label: '社保缴纳核实', text: `${method}：${result}（${who(si)}，${formatDate(si.checkedOn)}）` }
        : { label: 'Social insurance checked', text: `${method}: ${result} (${who(si)}, ${formatDate(si.checkedOn)})` },
    );
  }
  if (pa) {
    lines.push(
      lang === 'zh'
        ? { label: '平台受理', text: `广西专业技术人员职称管理服务平台受理编号 ${pa.number}，受理日期 ${formatDate(pa.acceptedOn)}（${who(pa)}报送）` }
        : { label: 'Platform acceptance', text: `Accepted on the region title platform as ${pa.number} on ${formatDate(pa.acceptedOn)} (forwarded by ${who(pa)})` },
    );
  }
  return lines;
}

/**
 * A record given where the notice asks for none (e.g. a social-insurance check on a public institution's
 * case, a platform acceptance on a junior case): refused, so no level is shown to have checked what it was
 * never asked to (二(三)1(3), 二(四)).
 */
export function checkNotDue(field: 'socialInsuranceCheck' | 'platformAcceptance'): DomainError {
  const what = field === 'socialInsuranceCheck' ? { zh: '社保缴纳核实（仅企业单位人员的案件由报送部门记录，二(三)1(3)）', en: 'a social-insurance check (recorded only for an enterprise employee’s case by the submitting party, 二(三)1(3))' } : { zh: '平台受理编号（仅高级职称报送确认部门时记录，二(四)）', en: 'a platform acceptance (recorded only when a senior case goes to the confirming authority, 二(四))' };
  return new DomainError('validation_failed', { zh: `本次报送无需记录${what.zh}`, en: `This forward records no ${what.en}` }, field, { clause: field === 'socialInsuranceCheck' ? '二(三)1(3)' : '二(四)' });
}

/**
 * What the confirming authority must find on record before it approves: an enterprise employee's social-
 * insurance check (二(三)1(3)) and a senior case's platform acceptance (二(四)) — both are given on the way up,
 * so a case that reached the authority without them (before the rule, or after a return undid them) is
 * sent back for them rather than approved. Undefined when nothing is missing.
 * @example missingAtApproval('enterprise', 'senior_associate', checks) // a refusal naming 二(四) when no acceptance is on record
 */
export function missingAtApproval(employerKind: EmployerKind, level: Level, checks: RecordedChecks): DomainError | undefined {
  if (employerKind === 'enterprise' && !checks.socialInsurance) {
    return new DomainError(
      'conflict',
      { zh: '企业单位人员的社保缴纳核实未记录：请退回报送部门核实后再批准', en: 'No social-insurance check of this enterprise employee is on record: return the case to the submitting office first' },
      'socialInsuranceCheck',
      { clause: '二(三)1(3)' },
    );
  }
  if (isSenior(level) && !checks.platformAcceptance) {
    return new DomainError(
      'conflict',
      { zh: '高级职称案件未记录职称管理服务平台受理编号：请退回报送部门补记后再批准', en: 'No platform acceptance of this senior case is on record: return it to the office that forwarded it first' },
      'platformAcceptance',
      { clause: '二(四)' },
    );
  }
  return undefined;
}
