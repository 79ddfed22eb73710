/**
 * @module services/applications/steps
 * The workflow's step table (二(二)), beside the status rules of domain/workflow.ts, and the one entry that
 * takes a step.
 */
import type { Actor, ServiceContext } from '../context.js';
import { approve } from './approve.js';
import { endorse } from './endorse.js';
import { forward } from './forward.js';
import { lodgeObjection, resolveObjection } from './objections.js';
import { receive } from './receive.js';
import { reject } from './reject.js';
import { returnCase } from './return.js';
import { startNotice } from './startNotice.js';
import { submit } from './submit.js';
import { transition, type StepAction, type StepHandler, type StepRequest } from './transition.js';
import type { ApplicationView } from './view.js';
import { withdraw } from './withdraw.js';

/**
 * The step table: each step action → its own rule. Which step a case must be at for each action, and who must
 * stand where the case is, are the status rules of domain/workflow.ts (`FROM`, `checkAction`); this table holds
 * what each step does beyond that — the two are keyed by the same `WorkflowAction` names.
 */
export const STEPS: Record<StepAction, StepHandler> = {
  submit,
  withdraw,
  receive,
  start_notice: startNotice,
  lodge_objection: lodgeObjection,
  resolve_objection: resolveObjection,
  endorse,
  forward,
  approve,
  return: returnCase,
  reject,
};

/**
 * Takes one step on a case (二(二)); refused with 409 when the case is not at a step that allows it, and
 * 403 when the person does not stand where the case is.
 * @example await takeStep(ctx, unitHr, id, 'start_notice', { start: '2026-09-29' });
 */
export async function takeStep(ctx: ServiceContext, actor: Actor, id: string, action: StepAction, request: StepRequest, idempotencyKey?: string): Promise<ApplicationView> {
  return transition(ctx, actor, id, action, idempotencyKey, (input) => STEPS[action](ctx, actor, request, input));
}
