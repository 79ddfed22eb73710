/**
 * @module services/applications/forward
 * A reviewer forwards the case level by level (二(二)3), with the social-insurance check (二(三)1(3)) and
 * the platform's acceptance of a senior case (二(四)); and what a forward would have to record now.
 */
import {
  checkNotDue,
  checkPlatformAcceptance,
  checkSocialInsurance,
  checksOf,
  platformAcceptanceDue,
  socialInsuranceCheckDue,
  socialInsuranceCheckMissing,
} from '../../domain/checks.js';
import { DomainError } from '../../domain/errors.js';
import { nextHop, routeFrom } from '../../domain/routing.js';
import type { Actor, ServiceContext } from '../context.js';
import { requireMaterials } from './materials.js';
import { requireText } from './shared.js';
import type { StepHandler } from './transition.js';
import type { ApplicationView } from './view.js';

export const forward: StepHandler = async (ctx, actor, request, { application, route, today }) => {
  const opinion = requireText(request.opinion, 'opinion', '审核意见', 'The opinion');
  if (application.status !== 'unit_endorsed') await requireMaterials(ctx, application, 'forward'); // 四(三): the submitting department has verified
  const hop = nextHop(route, actor.orgCode, application.authorityCode, application.level);
  const data: Record<string, unknown> = { to: hop.holderCode, on: today };
  // 二(三)1(3): the submitting department verifies an enterprise employee's social insurance before it forwards.
  const socialInsuranceDue = socialInsuranceCheckDue(application.form.eligibility.employment.employerKind, application.status, hop.status);
  if (request.socialInsuranceCheck && !socialInsuranceDue) throw checkNotDue('socialInsuranceCheck');
  if (request.socialInsuranceCheck) data.socialInsuranceCheck = checkSocialInsurance(request.socialInsuranceCheck, today);
  else if (socialInsuranceDue && !checksOf(await ctx.applications.events(application.id)).socialInsurance) throw socialInsuranceCheckMissing();
  // 二(四): a senior case reaches the authority through the region title platform, with its acceptance number.
  const platformDue = platformAcceptanceDue(application.level, hop.status);
  if (request.platformAcceptance && !platformDue) throw checkNotDue('platformAcceptance');
  if (platformDue) data.platformAcceptance = checkPlatformAcceptance(request.platformAcceptance, today);
  return { change: { status: hop.status, holderCode: hop.holderCode, returned: null }, opinion, data };
};

/**
 * What a forward by this person would have to record now — the social-insurance check (二(三)1(3)) and the
 * platform's acceptance (二(四)) — for the form that offers the step.
 */
export async function forwardNeeds(ctx: ServiceContext, actor: Actor, view: ApplicationView): Promise<{ socialInsuranceCheck: boolean; platformAcceptance: boolean }> {
  const route = routeFrom(view.unitCode, await ctx.organisations.tree());
  try {
    const to = nextHop(route, actor.orgCode, view.authorityCode, view.level).status;
    return {
      socialInsuranceCheck: socialInsuranceCheckDue(view.form.eligibility.employment.employerKind, view.status, to) && !view.checks.socialInsurance,
      platformAcceptance: platformAcceptanceDue(view.level, to),
    };
  } catch (error) {
    if (error instanceof DomainError) return { socialInsuranceCheck: false, platformAcceptance: false };
    throw error;
  }
}
