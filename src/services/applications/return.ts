/**
 * @module services/applications/return
 * A reviewer returns the case to an earlier step (四(二)); and the steps a case may be returned to.
 */
import type { Application } from '../../domain/application.js';
import { DomainError } from '../../domain/errors.js';
import { routeFrom } from '../../domain/routing.js';
import { checkReturnTarget, RETURN_TARGETS, type ReturnTarget } from '../../domain/workflow.js';
import type { ServiceContext } from '../context.js';
import { passesDepartment, requireText } from './shared.js';
import type { StepHandler } from './transition.js';

export const returnCase: StepHandler = async (_ctx, _actor, request, { application, route }) => {
  const to = request.to;
  if (!to) throw new DomainError('validation_failed', { zh: '须指明退回到哪一步', en: 'Say which step the case returns to' }, 'to');
  const reason = requireText(request.reason, 'reason', '退回理由', 'The reason');
  checkReturnTarget(application.status, to, passesDepartment(application, route));
  const holderCode = to === 'department_review' ? route[1]!.code : application.unitCode;
  return { change: { status: to, holderCode, returned: { to, reason } }, opinion: reason, data: { to } };
};

/** The steps a case at its current step may be returned to (四(二)), for the forms that offer them. */
export async function returnTargetsFor(ctx: ServiceContext, application: Application): Promise<ReturnTarget[]> {
  const route = routeFrom(application.unitCode, await ctx.organisations.tree());
  return RETURN_TARGETS.filter((to) => {
    try {
      checkReturnTarget(application.status, to, passesDepartment(application, route));
      return true;
    } catch (error) {
      if (error instanceof DomainError) return false;
      throw error;
    }
  });
}
