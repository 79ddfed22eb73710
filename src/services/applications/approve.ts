/**
 * @module services/applications/approve
 * The confirming authority approves the case with its decision (二(二)4).
 */
import { bansInForce } from '../../domain/ban.js';
import { checksOf, missingAtApproval } from '../../domain/checks.js';
import { DomainError } from '../../domain/errors.js';
import { exceptionForApproval } from '../../domain/inPrincipleException.js';
import { requireMaterials } from './materials.js';
import { requireText } from './shared.js';
import type { StepHandler } from './transition.js';

export const approve: StepHandler = async (ctx, _actor, request, { application, today }) => {
  const opinion = requireText(request.opinion, 'opinion', '确认意见', 'The opinion');
  const number = requireText(request.decisionNumber, 'decisionNumber', '确认文号', 'The decision number');
  const decidedOn = request.decidedOn ?? today;
  if (decidedOn > today) throw new DomainError('future_date', { zh: '发文日期不能晚于今天', en: 'The decision date cannot be in the future' }, 'decidedOn');
  // 二(三)1(5): a case refused in principle is approved only with the authority's recorded exception.
  const exception = exceptionForApproval(application.eligibility.decision, request.exceptionReason);
  await requireMaterials(ctx, application, 'forward');
  // 二(三)1(3), 二(四): the checks given on the way up stand on the case when the authority decides.
  const missing = missingAtApproval(application.form.eligibility.employment.employerKind, application.level, checksOf(await ctx.applications.events(application.id)));
  if (missing) throw missing;
  // 四(一): a ban bars promotion, not this; the decision records the bans the authority approved over.
  const bans = bansInForce(await ctx.bans.forIdNumber(application.idNumber), today).map((b) => ({ id: b.id, startYear: b.startYear, endYear: b.endYear }));
  return {
    change: { status: 'approved', decision: { number, decidedOn } },
    opinion,
    data: { decisionNumber: number, decidedOn, ...(exception ? { exception } : {}), ...(bans.length > 0 ? { bansInForce: bans } : {}) },
  };
};
