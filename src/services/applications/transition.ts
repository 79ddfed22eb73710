/**
 * @module services/applications/transition
 * The one way a case moves: an action checked against the case's step and the person's place
 * (domain/workflow.ts), its own rule, and the history event and audit row written in one batch.
 */
import type { Application } from '../../domain/application.js';
import type { PlatformAcceptanceInput, SocialInsuranceCheckInput } from '../../domain/checks.js';
import { chinaDate } from '../../domain/chineseDate.js';
import type { EmployerChoice } from '../../domain/eligibility.js';
import { DomainError } from '../../domain/errors.js';
import type { OrgNode } from '../../domain/routing.js';
import { checkAction, type ReturnTarget, type WorkflowAction } from '../../domain/workflow.js';
import { ConstraintError, type Statement } from '../../storage/driver.js';
import type { ApplicationChange } from '../../storage/applications.js';
import type { Actor, ServiceContext } from '../context.js';
import { auditOf } from '../audit.js';
import { statementFor } from '../caseStatements.js';
import { actorAt, eventFor, orgOf, visibleCase } from './shared.js';
import { getApplication, viewOf, type ApplicationView } from './view.js';

/** What each step's request carries. */
export interface StepRequest {
  opinion?: string | undefined;
  integrityPledge?: boolean | undefined;
  authenticityPledge?: boolean | undefined;
  start?: string | undefined;
  employerChoice?: EmployerChoice | undefined;
  receivedOn?: string | undefined;
  text?: string | undefined;
  objectionId?: string | undefined;
  upheld?: boolean | undefined;
  decisionNumber?: string | undefined;
  decidedOn?: string | undefined;
  /** 二(三)1(5): the authority's reason for accepting a case refused in principle (approve). */
  exceptionReason?: string | undefined;
  to?: ReturnTarget | undefined;
  reason?: string | undefined;
  falseMaterials?: boolean | undefined;
  /** endorse: the unit checked the copies against the originals (二(三)1(2)). */
  originalsChecked?: boolean | undefined;
  /** forward: how the submitting department verified an enterprise employee's social insurance (二(三)1(3)). */
  socialInsuranceCheck?: SocialInsuranceCheckInput | undefined;
  /** forward: the region title platform's acceptance of a senior case (二(四)). */
  platformAcceptance?: Partial<PlatformAcceptanceInput> | undefined;
}

export type StepAction = Exclude<WorkflowAction, 'update' | 'upload_material' | 'issue'>;

export interface StepOutcome {
  change: ApplicationChange;
  opinion: string | null;
  data: Record<string, unknown>;
  extra?: Statement[];
}

export interface StepInput {
  application: Application;
  route: OrgNode[];
  actorOrg: OrgNode;
  today: string;
  at: string;
}

/** One step's own rule beyond who and when (the table of them: steps.ts). */
export type StepHandler = (ctx: ServiceContext, actor: Actor, request: StepRequest, input: StepInput) => Promise<StepOutcome>;

/**
 * Takes one action on a case: who may see it, a retry with the same Idempotency-Key, who stands where the case
 * is at which step (domain/workflow.ts), then the action's own rule, written with its event and audit row in one batch.
 */
export async function transition(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  action: WorkflowAction,
  idempotencyKey: string | undefined,
  step: (input: StepInput) => Promise<StepOutcome>,
): Promise<ApplicationView> {
  const { application, route } = await visibleCase(ctx, actor, id);
  if (idempotencyKey) {
    const earlier = await ctx.applications.findEventByKey(id, actor.personId, idempotencyKey);
    if (earlier) {
      if (earlier.action !== action) {
        throw new DomainError('idempotency_conflict', { zh: '该 Idempotency-Key 已用于另一操作', en: 'This Idempotency-Key was already used for another action' }, 'Idempotency-Key');
      }
      return viewOf(ctx, application, actor);
    }
  }
  const actorOrg = await orgOf(ctx, actor.orgCode);
  checkAction(application, action, actorAt(actor, actorOrg));
  const now = ctx.now();
  const at = now.toISOString();
  const outcome = await step({ application, route, actorOrg, today: chinaDate(now), at });
  const seq = application.version + 1;
  const event = eventFor(actor, actorOrg, seq, action, application.status, outcome.change.status, at, outcome.opinion, outcome.data);
  const auditRow = auditOf(actor, at, `application.${action}`, `application:${id}`, { from: application.status, to: outcome.change.status, ...outcome.data });
  // 四(二), 四(四): the organisation's statement of this step, sealed, lands with its event or not at all.
  const sealed = await statementFor(ctx, application, event);
  try {
    await ctx.applications.transition(application, outcome.change, event, at, idempotencyKey ?? null, [...(outcome.extra ?? []), ctx.audit.statement(auditRow), ...(sealed ? [sealed] : [])]);
  } catch (error) {
    if (error instanceof ConstraintError) {
      if (idempotencyKey && (await ctx.applications.findEventByKey(id, actor.personId, idempotencyKey))) return getApplication(ctx, actor, id); // our own retry won
      throw new DomainError('conflict', { zh: '该申请刚被他人处理，请刷新后重试', en: 'Someone else acted on this application just now; reload and try again' });
    }
    throw error;
  }
  return getApplication(ctx, actor, id);
}
