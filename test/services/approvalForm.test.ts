/**
 * @module test/services/approvalForm
 * What the approval form (attachment 1) is drawn from a case's history: every level that gives an opinion
 * keeps its own block — a competent department's 主管部门核实意见 is no longer overwritten by a
 * department-level HR office's opinion (四(二), 二(二)3); the authenticity pledge counts the objections of
 * the notice the unit signed on (二(二)2); 出生年月 comes from the resident ID number or the applicant.
 */
import { describe, expect, it } from 'vitest';
import type { Application, ApplicationEvent, ApplicationForm, Objection } from '../../src/domain/application.js';
import type { OrganisationKind } from '../../src/domain/routing.js';
import { approvalFormDocument } from '../../src/services/approvalForm.js';
import { applicationForm } from '../support/workflow.js';

const KINDS: Record<string, OrganisationKind> = { NNLQ01: 'unit', NNJTJ: 'competent_department', GXJTT: 'department_hr_office', NNZGB: 'city_title_office', GXZGB: 'region_title_office' };
const NAMES: Record<string, string> = { NNLQ01: '南宁路桥工程有限公司', NNJTJ: '南宁市交通运输局', GXJTT: '广西壮族自治区交通运输厅', NNZGB: '南宁市职称改革工作领导小组办公室', GXZGB: '广西壮族自治区职称改革工作领导小组办公室' };

let seq = 0;
function event(action: string, org: string, role: string, person: string, at: string, opinion: string | null = null, data: Record<string, unknown> = {}): ApplicationEvent {
  seq += 1;
  return { seq, action, fromStatus: null, toStatus: 'draft', person: { id: `p-${person}`, name: person }, org: { code: org, name: NAMES[org]! }, role, at: `${at}T10:00:00+08:00`, opinion, data };
}

function caseOf(form: ApplicationForm): Application {
  return {
    id: 'RC20260925-0000AAAA', applicantId: 'p-李四', unitCode: 'NNLQ01', holderCode: 'GXZGB', authorityCode: 'GXZGB', status: 'approved', version: 9,
    idNumber: form.applicant.idNumber, holderName: form.applicant.name, level: 'senior_associate', form,
    eligibility: { decision: 'eligible', level: 'senior_associate', reasons: [], materials: [] } as unknown as Application['eligibility'],
    employerChoice: null, notice: null, returned: null, decision: { number: '桂职办〔2026〕88号', decidedOn: '2026-10-20' }, certificateNumber: null,
    createdAt: '2026-09-25T02:00:00.000Z', updatedAt: '2026-10-20T02:00:00.000Z',
  };
}

const notice = { start: '2026-09-29', end: '2026-10-10', provisional: false, dataVersion: 'x' };
const objection = (id: string, upheld: boolean | null): Objection => ({ id, receivedOn: '2026-09-30', text: '异议', lodgedBy: 'p-周敏', lodgedAt: '2026-09-30T02:00:00.000Z', resolution: upheld === null ? null : { text: '经核查不属实', upheld, by: 'p-周敏', at: '2026-10-09T02:00:00.000Z' } });

/** 李四's case through a competent department, then a department-level HR office (both act as department_reviewer), then the region. */
function history(): ApplicationEvent[] {
  seq = 0;
  return [
    event('create', 'NNLQ01', 'applicant', '李四', '2026-09-25'),
    event('submit', 'NNLQ01', 'applicant', '李四', '2026-09-25'),
    event('start_notice', 'NNLQ01', 'unit_hr', '周敏', '2026-09-28', null, { notice: { ...notice, start: '2026-09-21', end: '2026-09-26' } }),
    event('lodge_objection', 'NNLQ01', 'unit_hr', '周敏', '2026-09-22', null, { objectionId: 'OB-OLD' }),
    event('return', 'NNLQ01', 'unit_hr', '周敏', '2026-09-27', '重新公示', { to: 'unit_review' }),
    event('start_notice', 'NNLQ01', 'unit_hr', '周敏', '2026-09-28', null, { notice }),
    event('lodge_objection', 'NNLQ01', 'unit_hr', '周敏', '2026-09-30', null, { objectionId: 'OB-1' }),
    event('lodge_objection', 'NNLQ01', 'unit_hr', '周敏', '2026-10-08', null, { objectionId: 'OB-2' }),
    event('endorse', 'NNLQ01', 'unit_hr', '周敏', '2026-10-12', '同意上报。', { notice }),
    event('forward', 'NNLQ01', 'unit_hr', '周敏', '2026-10-12', '请主管部门审核。'),
    event('forward', 'NNJTJ', 'department_reviewer', '吴刚', '2026-10-13', '主管部门经核实，情况属实。'),
    event('forward', 'GXJTT', 'department_reviewer', '刘洋', '2026-10-14', '厅人事处审核同意，报自治区职改办。'),
    event('approve', 'GXZGB', 'authority_approver', '王五', '2026-10-20', '同意确认。'),
  ];
}

const sources = (events: ApplicationEvent[], objections: Objection[] = []) => ({ events, objections, unitName: NAMES.NNLQ01!, photo: undefined, kindOf: (code: string) => KINDS[code] });

describe('approvalFormDocument', () => {
  it('keeps the competent department’s opinion in 主管部门核实意见 and the department-level HR office’s in the 县、市（厅局） row', () => {
    const doc = approvalFormDocument(caseOf(applicationForm() as ApplicationForm), sources(history()));
    expect(doc.opinions.department.map((o) => [o.signer, o.organisation, o.opinion])).toEqual([['吴刚', '南宁市交通运输局', '主管部门经核实，情况属实。']]);
    expect(doc.opinions.titleOffice.map((o) => [o.signer, o.organisation])).toEqual([['刘洋', '广西壮族自治区交通运输厅']]);
    expect(doc.opinions.unit.map((o) => o.signer)).toEqual(['周敏']);
    expect(doc.opinions.authority.map((o) => o.opinion)).toEqual(['同意确认。（桂职办〔2026〕88号）']);
  });

  it('a city title office and a department-level HR office each get a block; a return to the first level above the unit undoes every forwarding opinion', () => {
    const events = history();
    const approve = events.pop()!;
    events.push(event('forward', 'NNZGB', 'title_office_staff', '郑丽', '2026-10-15', '市职改办同意。'), approve);
    const doc = approvalFormDocument(caseOf(applicationForm() as ApplicationForm), sources(events));
    expect(doc.opinions.titleOffice.map((o) => o.signer)).toEqual(['刘洋', '郑丽']);

    const returned = [...history().slice(0, -1), event('return', 'GXZGB', 'authority_approver', '王五', '2026-10-16', '补充材料', { to: 'department_review' })];
    const after = approvalFormDocument(caseOf(applicationForm() as ApplicationForm), sources(returned));
    expect(after.opinions).toMatchObject({ department: [], titleOffice: [], authority: [] });
    expect(after.opinions.unit).toHaveLength(1);
  });

  it('the authority’s refusal is its decision in the 确认部门意见 box (二(二)4, 四(一)); a unit’s refusal is not', () => {
    const events = history();
    events[events.length - 1] = event('reject', 'GXZGB', 'authority_approver', '王五', '2026-10-20', '原职称证书不实，不予确认。');
    const rejected = { ...caseOf(applicationForm() as ApplicationForm), status: 'rejected' as const, decision: null };
    expect(approvalFormDocument(rejected, sources(events)).opinions.authority.map((o) => [o.signer, o.opinion])).toEqual([['王五', '原职称证书不实，不予确认。']]);
    const atUnit = [...history().slice(0, 2), event('reject', 'NNLQ01', 'unit_hr', '周敏', '2026-09-28', '不实。')];
    expect(approvalFormDocument(rejected, sources(atUnit)).opinions.authority).toEqual([]);
  });

  it('an organisation no longer on file goes by the role that acted', () => {
    const doc = approvalFormDocument(caseOf(applicationForm() as ApplicationForm), { ...sources(history()), kindOf: () => undefined });
    expect(doc.opinions.department.map((o) => o.signer)).toEqual(['吴刚', '刘洋']);
  });

  it('counts the objections raised during the notice the unit signed on, not those of an earlier notice (二(二)2)', () => {
    const form = applicationForm() as ApplicationForm;
    const none = approvalFormDocument(caseOf(form), sources(history(), [objection('OB-OLD', false)]));
    expect(none.authenticityPledge).toMatchObject({ noticeStart: '2026-09-29', noticeEnd: '2026-10-10', objections: 0, signer: '周敏' });
    const two = approvalFormDocument(caseOf(form), sources(history(), [objection('OB-OLD', false), objection('OB-1', false), objection('OB-2', false)]));
    expect(two.authenticityPledge?.objections).toBe(2);
  });

  it('prints 出生年月 from the resident ID number, or as a passport holder gave it; blank when an older case does not tell it', () => {
    const resident = applicationForm() as ApplicationForm;
    expect(approvalFormDocument(caseOf(resident), sources(history())).applicant.birthMonth).toBe('1985-01');
    const passport = { ...resident, applicant: { ...resident.applicant, idType: 'passport' as const, idNumber: 'E12345678', birthMonth: '1979-06' } };
    expect(approvalFormDocument(caseOf(passport), sources(history())).applicant.birthMonth).toBe('1979-06');
    const older = { ...passport, applicant: { ...passport.applicant, birthMonth: undefined } };
    expect(approvalFormDocument(caseOf(older), sources(history())).applicant.birthMonth).toBeNull();
  });
});

describe('decisions without an opinion to stand under (一(一), 四(一))', () => {
  it('the bans the authority knew of when it approved are a line of the form', () => {
    const events = history();
    events[events.length - 1] = { ...events.at(-1)!, data: { decisionNumber: '桂职办〔2026〕88号', decidedOn: '2026-10-20', bansInForce: [{ id: 'BN1', startYear: 2025, endYear: 2029 }] } };
    const doc = approvalFormDocument(caseOf(applicationForm() as ApplicationForm), sources(events));
    expect(doc.records).toContainEqual({ label: '禁止情况', text: '申请人在2025—2029年内不得申报晋升职称（四(一)），确认部门知悉后作出本确认（王五，2026-10-20）' });
    expect(approvalFormDocument(caseOf(applicationForm() as ApplicationForm), sources(history())).records?.some((r) => r.label === '禁止情况')).toBe(false);
  });

  it('a unit’s re-evaluation recorded with its rejection stands as a line, there being no unit opinion', () => {
    seq = 0;
    const events = [
      event('create', 'NNLQ01', 'applicant', '李四', '2026-09-25'),
      event('submit', 'NNLQ01', 'applicant', '李四', '2026-09-25'),
      event('reject', 'NNLQ01', 'unit_hr', '周敏', '2026-09-28', '本单位要求重新参加本单位职称评审。', { employerChoice: 're_evaluate' }),
    ];
    const rejected = { ...caseOf(applicationForm() as ApplicationForm), status: 'rejected' as const, employerChoice: 're_evaluate' as const, decision: null };
    const doc = approvalFormDocument(rejected, sources(events));
    expect(doc.opinions.unit).toEqual([]);
    expect(doc.records).toContainEqual({ label: '用人单位决定', text: '要求重新参加评审（一(一)，周敏，2026-09-28）' });
  });
});
