/**
 * The application's state machine (notice 二(二)) as tables: every status × every workflow action, with the
 * allowed pairs written out by hand from the procedure — not imported from the module — so that a step added
 * or dropped in src/domain/workflow.ts shows up here as a failing row. Then who may act where the case is
 * (403), and where a returned case may go (四(二)).
 */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { ACTIONS, may } from '../../src/domain/roles.js';
import type { OrganisationKind } from '../../src/domain/routing.js';
import {
  ACTION_NAMES,
  APPLICATION_STATUSES,
  checkAction,
  checkReturnTarget,
  permissionOf,
  RETURN_TARGETS,
  STATUS_NAMES,
  type ActorAt,
  type ApplicationStatus,
  type CaseStanding,
  type ReturnTarget,
  type WorkflowAction,
} from '../../src/domain/workflow.js';

/** The clause each action rests on; its keys are every workflow action (the type checks there are no more). */
const CLAUSE_OF = {
  update: '二(二)1', // the applicant fills the approval form
  submit: '二(二)1', // … and applies to the unit
  withdraw: '二(二)1', // the applicant's own application, taken back before the unit has decided
  upload_material: '二(三)', // the materials of 二(三)1 and 二(三)2
  receive: '二(二)2', // the unit checks the materials
  start_notice: '二(二)2', // … publishes the form for 5 working days
  lodge_objection: '二(二)2',
  resolve_objection: '二(二)2',
  endorse: '二(二)2', // … with no objection, signs its opinion
  forward: '二(二)3', // sent up level by level
  approve: '二(二)4', // the confirming authority's decision
  issue: '二(二)4', // … and the e-certificate
  return: '四(二)', // every checking level records its opinion
  reject: '四(一)', // refused (false materials)
} as const satisfies Record<WorkflowAction, string>;
const WORKFLOW_ACTIONS = Object.keys(CLAUSE_OF) as WorkflowAction[];

/**
 * 二(二), step by step: which actions each status allows. Everything else is a 409.
 * - draft: the applicant fills the form (1) and applies, or drops it;
 * - submitted → unit_review → public_notice → unit_endorsed: the unit receives, checks, publishes for
 *   5 working days, handles objections and signs (2); the applicant may still withdraw until the notice;
 * - department_review, forwarding: each level above the unit checks and forwards (3), adding its own
 *   materials (二(三)2);
 * - authority_review → approved → issued: the authority decides and issues (4);
 * - every checking level may return the case or refuse it (四(一), 四(二)); closed cases allow nothing.
 */
const ALLOWED: Record<ApplicationStatus, readonly WorkflowAction[]> = {
  draft: ['update', 'submit', 'withdraw', 'upload_material'],
  submitted: ['withdraw', 'upload_material', 'receive'],
  unit_review: ['withdraw', 'upload_material', 'start_notice', 'return', 'reject'],
  public_notice: ['upload_material', 'lodge_objection', 'resolve_objection', 'endorse', 'return', 'reject'],
  unit_endorsed: ['upload_material', 'forward'],
  department_review: ['upload_material', 'forward', 'return', 'reject'],
  forwarding: ['upload_material', 'forward', 'return', 'reject'],
  authority_review: ['approve', 'return', 'reject'],
  approved: ['issue'],
  issued: [],
  rejected: [],
  withdrawn: [],
};

const APPLICANT_ID = 'P-APPLICANT';

/**
 * A senior case from unit NNLQ01 (under competent department NNJTJ, under city title office NNZGB) to the
 * region title office GXZGB: where it stands at each status.
 */
const HOLDER: Record<ApplicationStatus, { code: string; kind: OrganisationKind }> = {
  draft: { code: 'NNLQ01', kind: 'unit' },
  submitted: { code: 'NNLQ01', kind: 'unit' },
  unit_review: { code: 'NNLQ01', kind: 'unit' },
  public_notice: { code: 'NNLQ01', kind: 'unit' },
  unit_endorsed: { code: 'NNLQ01', kind: 'unit' },
  department_review: { code: 'NNJTJ', kind: 'competent_department' },
  forwarding: { code: 'NNZGB', kind: 'city_title_office' },
  authority_review: { code: 'GXZGB', kind: 'region_title_office' },
  approved: { code: 'GXZGB', kind: 'region_title_office' },
  issued: { code: 'GXZGB', kind: 'region_title_office' },
  rejected: { code: 'GXZGB', kind: 'region_title_office' },
  withdrawn: { code: 'NNLQ01', kind: 'unit' },
};

const standing = (status: ApplicationStatus, patch: Partial<CaseStanding> = {}): CaseStanding => ({
  status,
  applicantId: APPLICANT_ID,
  unitCode: 'NNLQ01',
  holderCode: HOLDER[status].code,
  authorityCode: 'GXZGB',
  ...patch,
});

const applicant = (personId = APPLICANT_ID): ActorAt => ({ personId, orgCode: 'NNLQ01', orgKind: 'unit', role: 'applicant' });
const unitHr = (orgCode = 'NNLQ01', orgKind: OrganisationKind = 'unit'): ActorAt => ({ personId: `HR-${orgCode}`, orgCode, orgKind, role: 'unit_hr' });
const at = (orgCode: string, orgKind: OrganisationKind, role: ActorAt['role']): ActorAt => ({ personId: `${role}-${orgCode}`, orgCode, orgKind, role });

/** The person who stands where the case is for this action: the applicant for their draft and withdrawal, else whoever holds it. */
function rightActor(status: ApplicationStatus, action: WorkflowAction): ActorAt {
  if (action === 'withdraw' || status === 'draft' || status === 'withdrawn') return applicant();
  const holder = HOLDER[status];
  switch (status) {
    case 'submitted':
    case 'unit_review':
    case 'public_notice':
    case 'unit_endorsed':
      return unitHr();
    case 'department_review':
      return at(holder.code, holder.kind, 'department_reviewer');
    case 'forwarding':
      return at(holder.code, holder.kind, 'title_office_staff');
    default:
      return at(holder.code, holder.kind, 'authority_approver');
  }
}

/** The DomainError `fn` throws, or undefined when it does not throw. */
function refusal(fn: () => void): DomainError | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  return undefined;
}

const matrix = APPLICATION_STATUSES.flatMap((status) =>
  WORKFLOW_ACTIONS.map((action) => ({ status, action, allowed: ALLOWED[status].includes(action), verdict: ALLOWED[status].includes(action) ? 'allowed' : '409' })),
);

describe('checkAction: every status × every action (二(二))', () => {
  it('the hand-written action list is exactly the application.* actions of domain/roles.ts', () => {
    const fromRoles = ACTIONS.filter((a) => a.startsWith('application.') && a !== 'application.create' && a !== 'application.read');
    expect(WORKFLOW_ACTIONS.map((a) => permissionOf(a)).sort()).toEqual([...fromRoles].sort());
    expect(Object.keys(ACTION_NAMES).sort()).toEqual([...WORKFLOW_ACTIONS, 'create'].sort());
  });

  it('covers all 12 statuses × 14 actions', () => {
    expect(Object.keys(ALLOWED).sort()).toEqual([...APPLICATION_STATUSES].sort());
    expect(matrix).toHaveLength(12 * 14);
    expect(matrix.filter((m) => m.allowed)).toHaveLength(32);
  });

  it.each(matrix)('$status × $action → $verdict', ({ status, action, allowed }) => {
    const actor = rightActor(status, action);
    const error = refusal(() => checkAction(standing(status), action, actor));
    if (allowed) {
      expect(error).toBeUndefined();
      // the person chosen also holds the role domain/roles.ts gives the action to
      expect(may(actor.role, permissionOf(action))).toBe(true);
    } else {
      expect(error?.code).toBe('conflict');
      expect(error?.details?.clause).toBe(CLAUSE_OF[action]);
      expect(error?.zh).toContain(STATUS_NAMES[status].zh);
      expect(error?.en).toContain(`notice ${CLAUSE_OF[action]}`);
    }
  });

  it('the step is judged before the person: an illegal action by a stranger is still 409', () => {
    const stranger = unitHr('GXQY01');
    expect(refusal(() => checkAction(standing('issued'), 'forward', stranger))?.code).toBe('conflict');
    expect(refusal(() => checkAction(standing('draft'), 'approve', applicant('P-OTHER')))?.code).toBe('conflict');
  });
});

interface Standing {
  name: string;
  case: CaseStanding;
  action: WorkflowAction;
  actor: ActorAt;
  allowed: boolean;
}

/** A university confirming its own staff (二(一)): unit, holder and authority are all GXU. */
const ownStaff = (status: ApplicationStatus): CaseStanding => ({ status, applicantId: APPLICANT_ID, unitCode: 'GXU', holderCode: 'GXU', authorityCode: 'GXU' });

const standings: Standing[] = [
  // the applicant: only their own draft, and their own withdrawal
  { name: 'applicant edits their own draft', case: standing('draft'), action: 'update', actor: applicant(), allowed: true },
  { name: 'applicant on someone else’s draft: update', case: standing('draft'), action: 'update', actor: applicant('P-OTHER'), allowed: false },
  { name: 'applicant on someone else’s draft: submit', case: standing('draft'), action: 'submit', actor: applicant('P-OTHER'), allowed: false },
  { name: 'applicant on someone else’s draft: upload', case: standing('draft'), action: 'upload_material', actor: applicant('P-OTHER'), allowed: false },
  { name: 'applicant withdraws their own case at the unit', case: standing('unit_review'), action: 'withdraw', actor: applicant(), allowed: true },
  { name: 'applicant withdraws someone else’s case', case: standing('submitted'), action: 'withdraw', actor: applicant('P-OTHER'), allowed: false },
  { name: 'applicant cannot add files once the unit holds the case', case: standing('submitted'), action: 'upload_material', actor: applicant(), allowed: false },
  // the unit's HR: only its own unit, only while the unit holds the case
  { name: 'unit HR receives at its own unit', case: standing('submitted'), action: 'receive', actor: unitHr(), allowed: true },
  { name: 'another unit’s HR: receive', case: standing('submitted'), action: 'receive', actor: unitHr('NNLQ02'), allowed: false },
  { name: 'another unit’s HR: start the notice', case: standing('unit_review'), action: 'start_notice', actor: unitHr('NNLQ02'), allowed: false },
  { name: 'another unit’s HR: endorse', case: standing('public_notice'), action: 'endorse', actor: unitHr('GXQY01'), allowed: false },
  { name: 'another unit’s HR: forward', case: standing('unit_endorsed'), action: 'forward', actor: unitHr('GXJT01'), allowed: false },
  { name: 'unit HR on a draft the applicant still holds', case: standing('draft'), action: 'upload_material', actor: unitHr(), allowed: false },
  { name: 'unit HR after the case has left the unit', case: standing('department_review', { holderCode: 'NNLQ01' }), action: 'upload_material', actor: unitHr(), allowed: false },
  // above the unit: the reviewer of the organisation holding the case, in the role its kind acts in
  { name: 'department reviewer at a competent-department holder', case: standing('department_review'), action: 'forward', actor: at('NNJTJ', 'competent_department', 'department_reviewer'), allowed: true },
  { name: 'department reviewer at a title-office holder', case: standing('forwarding'), action: 'forward', actor: at('NNZGB', 'city_title_office', 'department_reviewer'), allowed: false },
  { name: 'department reviewer of the department the case has already left', case: standing('forwarding'), action: 'forward', actor: at('NNJTJ', 'competent_department', 'department_reviewer'), allowed: false },
  { name: 'title-office staff at a title-office holder', case: standing('forwarding'), action: 'return', actor: at('NNZGB', 'city_title_office', 'title_office_staff'), allowed: true },
  { name: 'title-office staff at a competent-department holder', case: standing('department_review'), action: 'forward', actor: at('NNJTJ', 'competent_department', 'title_office_staff'), allowed: false },
  { name: 'city title office as the first level above the unit: its staff review', case: standing('department_review', { holderCode: 'NNZGB' }), action: 'forward', actor: at('NNZGB', 'city_title_office', 'title_office_staff'), allowed: true },
  { name: 'department-level HR office: a department reviewer', case: standing('department_review', { unitCode: 'GXJT01', holderCode: 'GXJTT' }), action: 'forward', actor: at('GXJTT', 'department_hr_office', 'department_reviewer'), allowed: true },
  { name: 'department-level HR office: not title-office staff', case: standing('department_review', { unitCode: 'GXJT01', holderCode: 'GXJTT' }), action: 'forward', actor: at('GXJTT', 'department_hr_office', 'title_office_staff'), allowed: false },
  { name: 'personnel-file office: title-office staff', case: standing('department_review', { unitCode: 'GXRC01', holderCode: 'GXDAG' }), action: 'reject', actor: at('GXDAG', 'file_office', 'title_office_staff'), allowed: true },
  { name: 'personnel-file office: not a department reviewer', case: standing('department_review', { unitCode: 'GXRC01', holderCode: 'GXDAG' }), action: 'reject', actor: at('GXDAG', 'file_office', 'department_reviewer'), allowed: false },
  { name: 'an approver cannot forward for the office holding the case', case: standing('forwarding'), action: 'forward', actor: at('NNZGB', 'city_title_office', 'authority_approver'), allowed: false },
  // the confirming authority's approver
  { name: 'approver of the authority approves', case: standing('authority_review'), action: 'approve', actor: at('GXZGB', 'region_title_office', 'authority_approver'), allowed: true },
  { name: 'approver of the authority issues', case: standing('approved'), action: 'issue', actor: at('GXZGB', 'region_title_office', 'authority_approver'), allowed: true },
  { name: 'approver of an organisation that is not the authority: approve', case: standing('authority_review'), action: 'approve', actor: at('NNZGB', 'city_title_office', 'authority_approver'), allowed: false },
  { name: 'approver of an organisation that is not the authority: issue', case: standing('approved'), action: 'issue', actor: at('GXU', 'university', 'authority_approver'), allowed: false },
  { name: 'approver of an organisation that is not the authority: reject', case: standing('authority_review'), action: 'reject', actor: at('NNZGB', 'city_title_office', 'authority_approver'), allowed: false },
  { name: 'title-office staff of the authority cannot approve', case: standing('authority_review'), action: 'approve', actor: at('GXZGB', 'region_title_office', 'title_office_staff'), allowed: false },
  // roles with no part in the workflow, even at the holder
  { name: 'a handler at the holder', case: standing('forwarding'), action: 'forward', actor: at('NNZGB', 'city_title_office', 'handler'), allowed: false },
  { name: 'an auditor at the holder', case: standing('authority_review'), action: 'approve', actor: at('GXZGB', 'region_title_office', 'auditor'), allowed: false },
  { name: 'an admin at the unit', case: standing('unit_review'), action: 'start_notice', actor: at('NNLQ01', 'unit', 'admin'), allowed: false },
  // 二(一): a university confirming its own staff is both the unit and the authority
  { name: 'university HR reviews its own staff’s case', case: ownStaff('unit_review'), action: 'start_notice', actor: unitHr('GXU', 'university'), allowed: true },
  { name: 'university approver approves its own staff’s case', case: ownStaff('authority_review'), action: 'approve', actor: at('GXU', 'university', 'authority_approver'), allowed: true },
  { name: 'university HR cannot approve at the authority step', case: ownStaff('authority_review'), action: 'approve', actor: unitHr('GXU', 'university'), allowed: false },
  { name: 'university approver cannot act at the unit steps', case: ownStaff('public_notice'), action: 'endorse', actor: at('GXU', 'university', 'authority_approver'), allowed: false },
];

describe('checkAction: the person must stand where the case is (403)', () => {
  it.each(standings)('$name', ({ case: c, action, actor, allowed }) => {
    const error = refusal(() => checkAction(c, action, actor));
    if (allowed) {
      expect(error).toBeUndefined();
    } else {
      expect(error?.code).toBe('forbidden');
      expect(error?.en).toContain(actor.orgCode);
    }
  });
});

type Verdict = 'ok' | 'refused' | 'only_after_a_department';

/** 四(二): a case goes back only to a strictly earlier step, and to a department's review only if it passed one. */
const RETURNS: Partial<Record<ApplicationStatus, Record<ReturnTarget, Verdict>>> = {
  unit_review: { draft: 'ok', unit_review: 'refused', unit_endorsed: 'refused', department_review: 'refused' },
  public_notice: { draft: 'ok', unit_review: 'ok', unit_endorsed: 'refused', department_review: 'refused' },
  department_review: { draft: 'ok', unit_review: 'ok', unit_endorsed: 'ok', department_review: 'refused' },
  forwarding: { draft: 'ok', unit_review: 'ok', unit_endorsed: 'ok', department_review: 'only_after_a_department' },
  authority_review: { draft: 'ok', unit_review: 'ok', unit_endorsed: 'ok', department_review: 'only_after_a_department' },
  rejected: { draft: 'refused', unit_review: 'refused', unit_endorsed: 'refused', department_review: 'refused' },
  withdrawn: { draft: 'refused', unit_review: 'refused', unit_endorsed: 'refused', department_review: 'refused' },
};

const returns = Object.entries(RETURNS).flatMap(([status, targets]) =>
  RETURN_TARGETS.flatMap((target) =>
    [true, false].map((passedDepartment) => {
      const verdict = targets[target];
      const ok = verdict === 'ok' || (verdict === 'only_after_a_department' && passedDepartment);
      return { status: status as ApplicationStatus, target, passedDepartment, ok, verdict: ok ? 'ok' : '409' };
    }),
  ),
);

describe('checkReturnTarget (四(二))', () => {
  it('every status from which a case may be returned has its row', () => {
    expect(Object.keys(RETURNS).filter((s) => ALLOWED[s as ApplicationStatus].includes('return'))).toEqual(
      APPLICATION_STATUSES.filter((s) => ALLOWED[s].includes('return')),
    );
  });

  it.each(returns)('$status → $target (passed a department: $passedDepartment) → $verdict', ({ status, target, passedDepartment, ok }) => {
    const error = refusal(() => checkReturnTarget(status, target, passedDepartment));
    if (ok) {
      expect(error).toBeUndefined();
    } else {
      expect(error?.code).toBe('conflict');
      expect(error?.details?.clause).toBe('四(二)');
      expect(error?.zh).toContain(STATUS_NAMES[target].zh);
    }
  });

  it('cannot return forward: from the unit review to the unit’s endorsement', () => {
    expect(refusal(() => checkReturnTarget('unit_review', 'unit_endorsed', true))?.code).toBe('conflict');
  });

  it('cannot return to the same step', () => {
    expect(refusal(() => checkReturnTarget('department_review', 'department_review', true))?.code).toBe('conflict');
  });

  it('department_review only when the case went through a department (not straight from the unit to the authority)', () => {
    expect(refusal(() => checkReturnTarget('authority_review', 'department_review', true))).toBeUndefined();
    expect(refusal(() => checkReturnTarget('authority_review', 'department_review', false))?.details?.clause).toBe('四(二)');
  });
});
