/**
 * What the unit and the forwarding offices record they checked (domain/checks.ts): when each record is due,
 * how a stated record is checked, and how the standing records are read back from a case's history —
 * 二(三)1(2) copies checked against the originals, 二(三)1(3) the enterprise social-insurance check,
 * 二(四) the title platform's acceptance of a senior case.
 */
import { describe, expect, it } from 'vitest';
import type { ApplicationEvent } from '../../src/domain/application.js';
import {
  checkNotDue,
  missingAtApproval,
  checkPlatformAcceptance,
  checkSocialInsurance,
  checksOf,
  describeChecks,
  originalsCheckDue,
  platformAcceptanceDue,
  socialInsuranceCheckDue,
} from '../../src/domain/checks.js';
import { formatChineseDate } from '../../src/domain/chineseDate.js';
import { DomainError } from '../../src/domain/errors.js';
import type { ApplicationStatus } from '../../src/domain/workflow.js';

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('二(三)1(3): the social-insurance check of an enterprise employee', () => {
  it('is due when a department forwards, or the unit sends the case straight to the authority — never for an institution', () => {
    const due = (kind: 'enterprise' | 'institution', from: ApplicationStatus, to: ApplicationStatus) => socialInsuranceCheckDue(kind, from, to);
    expect(due('enterprise', 'unit_endorsed', 'department_review')).toBe(false);
    expect(due('enterprise', 'unit_endorsed', 'authority_review')).toBe(true);
    expect(due('enterprise', 'department_review', 'forwarding')).toBe(true);
    expect(due('enterprise', 'forwarding', 'authority_review')).toBe(true);
    expect(due('institution', 'department_review', 'forwarding')).toBe(false);
    expect(due('institution', 'unit_endorsed', 'authority_review')).toBe(false);
  });

  it('says how when it was another way, is not dated in the future, and does not let an unconfirmed case go on', () => {
    expect(checkSocialInsurance({ method: 'system', result: 'confirmed', checkedOn: '2026-10-13', note: ' 连续缴纳 ' }, '2026-10-13')).toEqual({
      method: 'system',
      methodNote: null,
      result: 'confirmed',
      note: '连续缴纳',
      checkedOn: '2026-10-13',
    });
    expect(refusal(() => checkSocialInsurance({ method: 'other', methodNote: ' ', result: 'confirmed', checkedOn: '2026-10-13' }, '2026-10-13'))).toMatchObject({
      code: 'validation_failed',
      field: 'socialInsuranceCheck.methodNote',
      details: { clause: '二(三)1(3)' },
    });
    expect(checkSocialInsurance({ method: 'other', methodNote: '单位出具的社保缴费清单', result: 'confirmed', checkedOn: '2026-10-12' }, '2026-10-13').methodNote).toBe('单位出具的社保缴费清单');
    expect(refusal(() => checkSocialInsurance({ method: 'system', result: 'confirmed', checkedOn: '2026-10-14' }, '2026-10-13')).code).toBe('future_date');
    expect(refusal(() => checkSocialInsurance({ method: 'system', result: 'confirmed', checkedOn: '2026-02-30' }, '2026-10-13')).code).toBe('validation_failed');
    const unconfirmed = refusal(() => checkSocialInsurance({ method: 'system', result: 'not_confirmed', checkedOn: '2026-10-13' }, '2026-10-13'));
    expect(unconfirmed).toMatchObject({ code: 'conflict', details: { clause: '一(二)2' } });
    expect(unconfirmed.zh).toContain('退回');
  });
});

describe('二(四): the platform acceptance of a senior case', () => {
  it('is due only when a senior case goes to the confirming authority', () => {
    expect(platformAcceptanceDue('senior_associate', 'authority_review')).toBe(true);
    expect(platformAcceptanceDue('senior_full', 'authority_review')).toBe(true);
    expect(platformAcceptanceDue('senior_associate', 'forwarding')).toBe(false);
    expect(platformAcceptanceDue('intermediate', 'authority_review')).toBe(false);
  });

  it('needs a number and a real date not in the future', () => {
    expect(checkPlatformAcceptance({ number: ' GXZC2026-001234 ', acceptedOn: '2026-10-14' }, '2026-10-14')).toEqual({ number: 'GXZC2026-001234', acceptedOn: '2026-10-14' });
    for (const missing of [undefined, {}, { number: 'GXZC2026-1' }, { number: ' ', acceptedOn: '2026-10-14' }]) {
      const refused = refusal(() => checkPlatformAcceptance(missing, '2026-10-14'));
      expect(refused).toMatchObject({ code: 'conflict', field: 'platformAcceptance', details: { clause: '二(四)' } });
      expect(refused.zh).toContain('桂职办〔2018〕72号');
    }
    expect(refusal(() => checkPlatformAcceptance({ number: 'GXZC2026-1', acceptedOn: '2026-10-15' }, '2026-10-14')).code).toBe('future_date');
  });
});

describe('二(三)1(2): copies checked against the originals', () => {
  it('is due when a copy of the original-title proof is on file', () => {
    expect(originalsCheckDue(new Set(['original_title_proof', 'photo']))).toBe(true);
    expect(originalsCheckDue(new Set(['online_verification_screenshot', 'photo']))).toBe(false);
  });
});

describe('the standing records, from the history', () => {
  let seq = 0;
  const event = (action: string, person: string, org: string, at: string, data: Record<string, unknown>): ApplicationEvent => ({
    seq: ++seq,
    action,
    fromStatus: null,
    toStatus: 'draft',
    person: { id: person, name: person },
    org: { code: org, name: org },
    role: 'x',
    at,
    opinion: null,
    data,
  });
  const endorse = event('endorse', '周敏', '南宁路桥工程有限公司', '2026-10-12T02:00:00.000Z', { originalsChecked: true });
  const department = event('forward', '吴刚', '南宁市交通运输局', '2026-10-13T02:00:00.000Z', { socialInsuranceCheck: { method: 'system', methodNote: null, result: 'confirmed', note: null, checkedOn: '2026-10-13' } });
  const city = event('forward', '郑丽', '南宁市职改办', '2026-10-14T02:00:00.000Z', { platformAcceptance: { number: 'GXZC2026-001234', acceptedOn: '2026-10-14' } });

  it('reads who and when from the step, and words them for the form', () => {
    const checks = checksOf([endorse, department, city]);
    expect(checks.originals).toEqual({ personName: '周敏', orgName: '南宁路桥工程有限公司', at: '2026-10-12T02:00:00.000Z' });
    expect(checks.socialInsurance).toMatchObject({ method: 'system', result: 'confirmed', checkedOn: '2026-10-13', personName: '吴刚' });
    expect(checks.platformAcceptance).toMatchObject({ number: 'GXZC2026-001234', acceptedOn: '2026-10-14', personName: '郑丽' });
    expect(describeChecks(checks, 'zh', formatChineseDate).map((l) => `${l.label}：${l.text}`)).toEqual([
      '核对原件：复印件已由用人单位审核原件，与原件相符（周敏，南宁路桥工程有限公司，2026年10月12日）',
      '社保缴纳核实：通过社保信息系统核实：已在用人单位按规定缴纳社保（吴刚，南宁市交通运输局，2026年10月13日）',
      '平台受理：广西专业技术人员职称管理服务平台受理编号 GXZC2026-001234，受理日期 2026年10月14日（郑丽，南宁市职改办报送）',
    ]);
    expect(describeChecks(checksOf([]), 'en', (d) => d)).toEqual([]);
  });

  it('a return undoes the records made at or after the step it returns to', () => {
    const toDepartment = event('return', '王五', '自治区职改办', '2026-10-15T02:00:00.000Z', { to: 'department_review' });
    expect(checksOf([endorse, department, city, toDepartment])).toMatchObject({ socialInsurance: null, platformAcceptance: null, originals: { personName: '周敏' } });
    const toUnit = event('return', '王五', '自治区职改办', '2026-10-15T02:00:00.000Z', { to: 'unit_review' });
    expect(checksOf([endorse, department, city, toUnit])).toEqual({ originals: null, socialInsurance: null, platformAcceptance: null });
  });
});

describe('what the authority finds on record before it approves (二(三)1(3), 二(四))', () => {
  const by = { personName: '王五', orgName: '南宁市职改办', at: '2026-10-14T02:00:00.000Z' };
  const none = { originals: null, socialInsurance: null, platformAcceptance: null };
  it('an enterprise employee’s case without its social-insurance check, or a senior case without its platform acceptance, is sent back', () => {
    expect(missingAtApproval('enterprise', 'intermediate', none)).toMatchObject({ code: 'conflict', field: 'socialInsuranceCheck', details: { clause: '二(三)1(3)' } });
    expect(missingAtApproval('institution', 'senior_associate', none)).toMatchObject({ code: 'conflict', field: 'platformAcceptance', details: { clause: '二(四)' } });
    expect(missingAtApproval('institution', 'intermediate', none)).toBeUndefined();
    const si = { method: 'system', result: 'confirmed', checkedOn: '2026-10-13', ...by } as const;
    expect(missingAtApproval('enterprise', 'senior_associate', { ...none, socialInsurance: si, platformAcceptance: { number: 'GXZC2026-1', acceptedOn: '2026-10-14', ...by } })).toBeUndefined();
  });

  it('a record the notice does not ask for is refused in words, naming the field and the clause', () => {
    expect(checkNotDue('socialInsuranceCheck')).toMatchObject({ code: 'validation_failed', field: 'socialInsuranceCheck', details: { clause: '二(三)1(3)' } });
    expect(checkNotDue('platformAcceptance').zh).toContain('本次报送无需记录平台受理编号');
  });
});
