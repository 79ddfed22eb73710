/**
 * @module domain/roles
 * Who may do what (least privilege): each role is given exactly the actions the notice gives its holder,
 * and only at its own organisation — where a case stands decides which organisation that is
 * (domain/workflow.ts). The HTTP layer answers 403 for any action a role is not given here.
 */

/** The people of notice 二(二) and the service's own staff. */
export const ROLES = [
  'applicant', // 申报人: fills the approval form, signs the integrity pledge (二(二)1)
  'unit_hr', // 单位人事: checks, publishes the 5-day notice, signs the authenticity pledge (二(二)2)
  'department_reviewer', // 主管部门 / 厅级人事部门: checks and forwards level by level (二(二)3)
  'title_office_staff', // 职改办 / 档案管理部门 staff: reviews and forwards (二(二)3)
  'authority_approver', // 确认部门: approves by decision and issues the e-certificate (二(一), 二(二)4)
  'issuer', // issues e-certificates directly (bulk or legacy issuance) and revokes them (四(一))
  'handler', // 经办人: records how an out-of-region title was verified (四(三), attachment 2)
  'auditor', // reads the audit trail of its organisation and those below it, and its own organisation's 核实 log
  'admin', // places organisations of lower rank and people below their office (domain/ranks.ts); the root office's admin keeps the calendar
  'holder', // 持证人 of a directly issued certificate (issue 17 item 1): no action here — the holder's routes go by the ID number on the certificate (二(二)4), never by role
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, { zh: string; en: string }> = {
  applicant: { zh: '申报人', en: 'Applicant' },
  unit_hr: { zh: '单位人事经办', en: 'Unit HR' },
  department_reviewer: { zh: '主管部门审核人', en: 'Department reviewer' },
  title_office_staff: { zh: '职改办工作人员', en: 'Title-office staff' },
  authority_approver: { zh: '确认部门审批人', en: 'Authority approver' },
  issuer: { zh: '证书签发人', en: 'Issuer' },
  handler: { zh: '核实经办人', en: 'Handler' },
  auditor: { zh: '审计员', en: 'Auditor' },
  admin: { zh: '系统管理员', en: 'Administrator' },
  holder: { zh: '持证人', en: 'Certificate holder' },
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Every action the API offers to a signed-in person. */
export const ACTIONS = [
  // the application (二(二))
  'application.create',
  'application.update',
  'application.submit',
  'application.withdraw',
  'application.upload_material',
  'application.receive',
  'application.start_notice',
  'application.lodge_objection',
  'application.resolve_objection',
  'application.endorse',
  'application.forward',
  'application.approve',
  'application.issue',
  'application.return',
  'application.reject',
  'application.read',
  // certificates, the 核实 log, bans, audit, administration
  'certificate.issue',
  'certificate.read',
  'certificate.revoke',
  'verification_record.create',
  'verification_record.read',
  'ban.read',
  'audit.read',
  'calendar.override',
  'organisation.manage',
  'person.manage',
  'seal.manage',
  'statistics.read',
] as const;
export type Action = (typeof ACTIONS)[number];

const REVIEWERS: readonly Role[] = ['unit_hr', 'department_reviewer', 'title_office_staff', 'authority_approver'];
const CASE_READERS: readonly Role[] = ['applicant', ...REVIEWERS, 'handler', 'auditor'];

/** The grant of each action, with the clause it rests on. */
export const PERMISSIONS: Readonly<Record<Action, { roles: readonly Role[]; clause: string }>> = {
  'application.create': { roles: ['applicant'], clause: '二(二)1' },
  'application.update': { roles: ['applicant'], clause: '二(二)1' },
  'application.submit': { roles: ['applicant'], clause: '二(二)1' },
  'application.withdraw': { roles: ['applicant'], clause: '二(二)1' },
  'application.upload_material': { roles: ['applicant', 'unit_hr', 'department_reviewer', 'title_office_staff'], clause: '二(三)' },
  'application.receive': { roles: ['unit_hr'], clause: '二(二)2' },
  'application.start_notice': { roles: ['unit_hr'], clause: '二(二)2' },
  'application.lodge_objection': { roles: ['unit_hr'], clause: '二(二)2' },
  'application.resolve_objection': { roles: ['unit_hr'], clause: '二(二)2' },
  'application.endorse': { roles: ['unit_hr'], clause: '二(二)2' },
  'application.forward': { roles: ['unit_hr', 'department_reviewer', 'title_office_staff'], clause: '二(二)3' },
  'application.approve': { roles: ['authority_approver'], clause: '二(二)4' },
  'application.issue': { roles: ['authority_approver'], clause: '二(二)4' },
  'application.return': { roles: REVIEWERS, clause: '四(二)' },
  'application.reject': { roles: REVIEWERS, clause: '四(一)' },
  'application.read': { roles: CASE_READERS, clause: '四(四)' },
  'certificate.issue': { roles: ['issuer'], clause: '二(二)4' },
  'certificate.read': { roles: ['issuer', 'authority_approver'], clause: '二(二)4' },
  'certificate.revoke': { roles: ['issuer', 'authority_approver'], clause: '四(一)' },
  'verification_record.create': { roles: ['handler'], clause: '四(三)' },
  'verification_record.read': { roles: ['handler', 'auditor'], clause: '四(三)' },
  'ban.read': { roles: ['issuer', 'handler', 'auditor', ...REVIEWERS], clause: '四(一)' },
  'audit.read': { roles: ['auditor'], clause: '四(四)' },
  'calendar.override': { roles: ['admin'], clause: '二(二)2' },
  'organisation.manage': { roles: ['admin'], clause: '二(二)3' },
  'person.manage': { roles: ['admin'], clause: '四(四)' },
  // Issue 16: an organisation's electronic seal, with which it 出具审核意见，加盖单位公章 (四(二)、四(四)).
  'seal.manage': { roles: ['admin'], clause: '四(二)' },
  // Issue 18 item 7: the work of the offices and authorities in figures, for those who answer for it (四(四)).
  'statistics.read': { roles: ['title_office_staff', 'authority_approver', 'issuer', 'auditor'], clause: '四(四)' },
};

/** @example rolesFor('application.endorse') // ['unit_hr'] */
export function rolesFor(action: Action): readonly Role[] {
  return PERMISSIONS[action].roles;
}

/** @example may('auditor', 'application.approve') // false */
export function may(role: string, action: Action): boolean {
  return (PERMISSIONS[action].roles as readonly string[]).includes(role);
}
