/**
 * @module http/pages/cases/caseRouteHelpers
 * What the case pages' route files share: the step fields and their labels, the notices after a step,
 * retry keys, whether checkAction allows a step, the refusal page and the person's place (ActorAt).
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { SOCIAL_INSURANCE_CHECK_METHODS, SOCIAL_INSURANCE_CHECK_RESULTS } from '../../../domain/checks.js';
import { EMPLOYER_CHOICES } from '../../../domain/eligibility.js';
import { DomainError } from '../../../domain/errors.js';
import { may, type Role } from '../../../domain/roles.js';
import { ACTION_NAMES, checkAction, permissionOf, RETURN_TARGETS, type ActorAt, type CaseStanding, type WorkflowAction } from '../../../domain/workflow.js';
import { base64url, randomBytes } from '../../../lib/bytes.js';
import type { Actor } from '../../../services/context.js';
import { type AppDeps, type AppEnv } from '../../env.js';
import { STATUS_OF } from '../../problem.js';
import { isoDate, longText, text } from '../../schemas.js';
import { type LabelOf, type Values } from './caseCommon.js';
import { STEP_SLUGS, type StepSlug } from './caseSteps.js';
import { type Text } from '../i18n.js';
import { messagePage } from '../frame.js';
import { findOrganisation } from '../../../services/organisationReads.js';

export const PRIVATE = { 'Cache-Control': 'private, no-store', 'X-Robots-Tag': 'noindex, nofollow' };
export const PAGE_SIZE = 50;

/** The step fields a page form may carry; blank ones are left out, and each step reads its own (services/applications.ts). */
export const StepFieldsSchema = z.object({
  opinion: longText(2000).optional(),
  reason: longText(2000).optional(),
  text: longText(2000).optional(),
  start: isoDate.optional(),
  receivedOn: isoDate.optional(),
  decidedOn: isoDate.optional(),
  decisionNumber: text(64).optional(),
  exceptionReason: longText(2000).optional(),
  objectionId: z.string().max(64).optional(),
  to: z.enum(RETURN_TARGETS, { error: '请选择退回到哪一步|Choose the step to return to' }).optional(),
  employerChoice: z.enum(EMPLOYER_CHOICES, { error: '请选择单位的决定|Choose the unit’s decision' }).optional(),
  siMethod: z.enum(SOCIAL_INSURANCE_CHECK_METHODS, { error: '请选择核实方式|Choose how the payments were checked' }).optional(),
  siMethodNote: text(200).optional(),
  siResult: z.enum(SOCIAL_INSURANCE_CHECK_RESULTS, { error: '请选择核实结果|Choose the result' }).optional(),
  siNote: text(500).optional(),
  siCheckedOn: isoDate.optional(),
  platformNumber: text(64).optional(),
  platformAcceptedOn: isoDate.optional(),
});

export const STEP_FIELD_LABELS: Record<string, Text> = {
  opinion: { zh: '意见', en: 'Opinion' },
  reason: { zh: '理由', en: 'Reason' },
  text: { zh: '内容', en: 'Text' },
  start: { zh: '公示开始日期', en: 'First day of the notice' },
  receivedOn: { zh: '收到日期', en: 'Received on' },
  decidedOn: { zh: '发文日期', en: 'Decided on' },
  decisionNumber: { zh: '确认文号', en: 'Decision number' },
  objectionId: { zh: '异议', en: 'Objection' },
  to: { zh: '退回到', en: 'Return to' },
  employerChoice: { zh: '单位的决定', en: "The unit's choice" },
  exceptionReason: { zh: '例外确认理由', en: 'Reason for the exception' },
  integrityPledge: { zh: '诚信承诺书', en: 'Integrity pledge' },
  authenticityPledge: { zh: '呈报材料真实性承诺书', en: 'Authenticity pledge' },
  item: { zh: '材料类别', en: 'Item' },
  content: { zh: '文件', en: 'File' },
  note: { zh: '说明', en: 'Note' },
  originalsChecked: { zh: '核对原件', en: 'Originals checked' },
  siMethod: { zh: '社保核实方式', en: 'How social insurance was checked' },
  siMethodNote: { zh: '其他方式的说明', en: 'How, if another way' },
  siResult: { zh: '社保核实结果', en: 'Social insurance result' },
  siNote: { zh: '核实情况', en: 'What was seen' },
  siCheckedOn: { zh: '核实日期', en: 'Checked on' },
  socialInsuranceCheck: { zh: '社保缴纳核实', en: 'Social insurance check' },
  'socialInsuranceCheck.methodNote': { zh: '其他方式的说明', en: 'How, if another way' },
  'socialInsuranceCheck.checkedOn': { zh: '核实日期', en: 'Checked on' },
  'socialInsuranceCheck.result': { zh: '社保核实结果', en: 'Social insurance result' },
  platformNumber: { zh: '平台受理编号', en: 'Platform acceptance number' },
  platformAcceptedOn: { zh: '受理日期', en: 'Accepted on' },
  platformAcceptance: { zh: '平台受理', en: 'Platform acceptance' },
  'platformAcceptance.acceptedOn': { zh: '受理日期', en: 'Accepted on' },
};
export const stepLabelOf: LabelOf = (field) => STEP_FIELD_LABELS[field];

export const DONE: Record<string, Text> = {
  ...Object.fromEntries(
    (Object.entries(STEP_SLUGS) as [StepSlug, WorkflowAction][]).map(([slug, action]) => [slug, { zh: `已${ACTION_NAMES[action].zh}。`, en: `The application was ${ACTION_NAMES[action].en}.` }]),
  ),
  create: { zh: '申请已保存为草稿。请上传材料，然后签署诚信承诺书提交单位。', en: 'The application is saved as a draft. Upload the materials, then sign the integrity pledge and submit it.' },
  update: { zh: '申请已修改。', en: 'The application was edited.' },
  materials: { zh: '材料已上传。', en: 'The file was uploaded.' },
  reject: { zh: '已作出不予确认的决定。', en: 'The application was rejected.' },
  revoke: { zh: '证书已撤销，公开核验将显示“已撤销”。', en: 'The certificate is revoked; its public check now says so.' },
};

/** A form's text fields (files are read on their own). */
export function stringsOf(body: Record<string, unknown>): Values {
  return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '_csrf'));
}

/** A retry key from the form (one is drawn for each form shown), so a double click takes a step once. */
export const retryKey = (values: Values) => (/^[A-Za-z0-9_-]{16,64}$/.test(values._key ?? '') ? values._key : undefined);
export const newRetryKey = () => base64url(randomBytes(18));

/** Whether a domain check passes (a DomainError is its "no"). */
export function passes(check: () => void): boolean {
  try {
    check();
    return true;
  } catch (error) {
    if (error instanceof DomainError) return false;
    throw error;
  }
}

/** Whether checkAction lets this person take `action` on the case now. */
export const allows = (view: CaseStanding, action: WorkflowAction, at: ActorAt | undefined) => at !== undefined && may(at.role, permissionOf(action)) && passes(() => checkAction(view, action, at));

/** A refusal of the case pages as a message page, in the DomainError's words. */
export const refusedPage = (c: Context<AppEnv>, error: DomainError) =>
  messagePage(c, STATUS_OF[error.code], error.code === 'not_found' ? { zh: '未找到', en: 'Not found' } : { zh: '不能办理', en: 'Refused' }, { zh: error.zh, en: error.en });

/** The person with their organisation's kind, as domain/workflow.ts checks a step; undefined for an unknown organisation. */
export async function actorAtOf(deps: AppDeps, actor: Actor): Promise<ActorAt | undefined> {
  const org = await findOrganisation(deps, actor.orgCode);
  return org ? { personId: actor.personId, orgCode: actor.orgCode, orgKind: org.kind, role: actor.role as Role } : undefined;
}
