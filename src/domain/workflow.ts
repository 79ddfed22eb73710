/**
 * @module domain/workflow
 * The reconfirmation application as a state machine (notice 二(二)):
 *
 *   draft → submitted (integrity pledge, 二(二)1) → unit_review → public_notice (5 working days at the unit,
 *   二(二)2) → unit_endorsed (authenticity pledge) → department_review → forwarding … (level by level, 二(二)3)
 *   → authority_review → approved (decision, 二(二)4) → issued (the e-certificate)
 *
 * plus `returned` to a named earlier step, `rejected` (四(一) when materials were false) and `withdrawn`.
 * Who may act is decided twice: the role must be given the action (domain/roles.ts), and the person must
 * stand where the case is — the applicant on their own draft, the unit's HR while the unit holds it, the
 * reviewer of the organisation the case has been forwarded to, the approver of the confirming authority.
 */
import { DomainError } from './errors.js';
import type { Action, Role } from './roles.js';
import { reviewingRole, type OrganisationKind } from './routing.js';

export const APPLICATION_STATUSES = [
  'draft',
  'submitted',
  'unit_review',
  'public_notice',
  'unit_endorsed',
  'department_review',
  'forwarding',
  'authority_review',
  'approved',
  'issued',
  'rejected',
  'withdrawn',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const STATUS_NAMES: Record<ApplicationStatus, { zh: string; en: string }> = {
  draft: { zh: '填报中', en: 'Draft' },
  submitted: { zh: '已提交单位', en: 'Submitted to the unit' },
  unit_review: { zh: '单位审核', en: 'Unit review' },
  public_notice: { zh: '单位公示', en: 'Public notice' },
  unit_endorsed: { zh: '单位已签署意见', en: 'Endorsed by the unit' },
  department_review: { zh: '主管部门审核', en: 'Competent department review' },
  forwarding: { zh: '逐级报送', en: 'Forwarded level by level' },
  authority_review: { zh: '确认部门审核', en: 'Authority review' },
  approved: { zh: '已批准', en: 'Approved' },
  issued: { zh: '已发证', en: 'Certificate issued' },
  rejected: { zh: '不予确认', en: 'Rejected' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
};

/** The workflow actions: the `application.*` actions of domain/roles.ts without their prefix. */
export type WorkflowAction =
  | 'update'
  | 'submit'
  | 'withdraw'
  | 'upload_material'
  | 'receive'
  | 'start_notice'
  | 'lodge_objection'
  | 'resolve_objection'
  | 'endorse'
  | 'forward'
  | 'approve'
  | 'issue'
  | 'return'
  | 'reject';

const UNIT_STEPS: readonly ApplicationStatus[] = ['submitted', 'unit_review', 'public_notice', 'unit_endorsed'];
const ABOVE_UNIT: readonly ApplicationStatus[] = ['department_review', 'forwarding'];

/**
 * From which steps each action may be taken, and the clause that says so. Its pair is the service's step table
 * (services/applications/steps.ts: each step action → its own rule), keyed by the same action names.
 */
const FROM: Readonly<Record<WorkflowAction, { from: readonly ApplicationStatus[]; clause: string }>> = {
  update: { from: ['draft'], clause: '二(二)1' },
  submit: { from: ['draft'], clause: '二(二)1' },
  withdraw: { from: ['draft', 'submitted', 'unit_review'], clause: '二(二)1' },
  upload_material: { from: ['draft', ...UNIT_STEPS, ...ABOVE_UNIT], clause: '二(三)' },
  receive: { from: ['submitted'], clause: '二(二)2' },
  start_notice: { from: ['unit_review'], clause: '二(二)2' },
  lodge_objection: { from: ['public_notice'], clause: '二(二)2' },
  resolve_objection: { from: ['public_notice'], clause: '二(二)2' },
  endorse: { from: ['public_notice'], clause: '二(二)2' },
  forward: { from: ['unit_endorsed', ...ABOVE_UNIT], clause: '二(二)3' },
  approve: { from: ['authority_review'], clause: '二(二)4' },
  issue: { from: ['approved'], clause: '二(二)4' },
  return: { from: ['unit_review', 'public_notice', ...ABOVE_UNIT, 'authority_review'], clause: '四(二)' },
  reject: { from: ['unit_review', 'public_notice', ...ABOVE_UNIT, 'authority_review'], clause: '四(一)' },
};

/** Where a returned case may be sent: back to the applicant, to the unit's review, or to a reviewer. */
export const RETURN_TARGETS = ['draft', 'unit_review', 'unit_endorsed', 'department_review'] as const;
export type ReturnTarget = (typeof RETURN_TARGETS)[number];

const ORDER: readonly ApplicationStatus[] = APPLICATION_STATUSES.slice(0, 10);

/** The facts of a case that decide who may move it. */
export interface CaseStanding {
  status: ApplicationStatus;
  applicantId: string;
  unitCode: string;
  holderCode: string;
  authorityCode: string;
}

/** The person acting: who they are, where, in which role. */
export interface ActorAt {
  personId: string;
  orgCode: string;
  orgKind: OrganisationKind;
  role: Role;
}

const conflict = (zh: string, en: string, clause: string) => new DomainError('conflict', { zh, en }, undefined, { clause });
const forbidden = (zh: string, en: string) => new DomainError('forbidden', { zh, en });

/**
 * Refuses an action the case's step does not allow (409) or a person who does not stand where the case is
 * (403). The role itself has already been checked against domain/roles.ts.
 * @example checkAction({ status: 'public_notice', … }, 'approve', approver) // throws 409: not at authority review
 */
export function checkAction(standing: CaseStanding, action: WorkflowAction, actor: ActorAt): void {
  const rule = FROM[action];
  if (!rule.from.includes(standing.status)) {
    throw conflict(
      `申请当前处于“${STATUS_NAMES[standing.status].zh}”，不能${ACTION_NAMES[action].zh}（${rule.clause}）`,
      `The application is at "${STATUS_NAMES[standing.status].en}"; it cannot be ${ACTION_NAMES[action].en} now (notice ${rule.clause})`,
      rule.clause,
    );
  }
  if (!standsWhereTheCaseIs(standing, action, actor)) {
    throw forbidden(
      `该申请当前不由您（${actor.orgCode}，${actor.role}）办理`,
      `This application is not with you (${actor.orgCode}, ${actor.role}) at this step`,
    );
  }
}

function standsWhereTheCaseIs(standing: CaseStanding, action: WorkflowAction, actor: ActorAt): boolean {
  const { status } = standing;
  if (actor.role === 'applicant') return status === 'draft' || action === 'withdraw' ? actor.personId === standing.applicantId : false;
  if (actor.orgCode !== standing.holderCode) return false;
  if (actor.role === 'unit_hr') return UNIT_STEPS.includes(status);
  if (ABOVE_UNIT.includes(status)) return actor.role === reviewingRole(actor.orgKind);
  if (status === 'authority_review' || status === 'approved') return actor.role === 'authority_approver';
  return false;
}

/**
 * Whether `target` is a step a case at `status` may be returned to: strictly earlier, and a reviewer's step
 * only when the case went past it.
 */
export function checkReturnTarget(status: ApplicationStatus, target: ReturnTarget, passedDepartment: boolean): void {
  if (ORDER.indexOf(target) >= ORDER.indexOf(status) || (target === 'department_review' && !passedDepartment)) {
    throw conflict(
      `不能从“${STATUS_NAMES[status].zh}”退回到“${STATUS_NAMES[target].zh}”`,
      `A case at "${STATUS_NAMES[status].en}" cannot be returned to "${STATUS_NAMES[target].en}"`,
      '四(二)',
    );
  }
}

export const ACTION_NAMES: Record<WorkflowAction | 'create', { zh: string; en: string }> = {
  create: { zh: '填报', en: 'created' },
  update: { zh: '修改', en: 'edited' },
  submit: { zh: '提交', en: 'submitted' },
  withdraw: { zh: '撤回', en: 'withdrawn' },
  upload_material: { zh: '上传材料', en: 'given materials' },
  receive: { zh: '受理', en: 'received' },
  start_notice: { zh: '开始公示', en: 'put on public notice' },
  lodge_objection: { zh: '登记异议', en: 'given an objection' },
  resolve_objection: { zh: '处理异议', en: 'given an objection resolution' },
  endorse: { zh: '签署单位意见', en: 'endorsed' },
  forward: { zh: '报送', en: 'forwarded' },
  approve: { zh: '批准', en: 'approved' },
  issue: { zh: '发证', en: 'issued' },
  return: { zh: '退回', en: 'returned' },
  reject: { zh: '不予确认', en: 'rejected' },
};

/** The permission name of a workflow action (domain/roles.ts). */
export function permissionOf(action: WorkflowAction | 'create' | 'read'): Action {
  return `application.${action}` as Action;
}
