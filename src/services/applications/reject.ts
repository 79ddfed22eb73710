/**
 * @module services/applications/reject
 * A reviewer does not confirm the case (四(一)): with a five-year ban when materials were false, and the
 * unit's choice of a fresh evaluation (一(一) sentence 2).
 */
import { banYears, BAN_CLAUSE } from '../../domain/ban.js';
import { chinaDate } from '../../domain/chineseDate.js';
import { assessEligibility } from '../../domain/eligibility.js';
import { choiceAtRejection } from '../../domain/employerChoice.js';
import type { Statement } from '../../storage/driver.js';
import { newId, requireText } from './shared.js';
import type { StepHandler } from './transition.js';

export const reject: StepHandler = async (ctx, actor, request, { application, at, today }) => {
  const reason = requireText(request.reason, 'reason', '不予确认理由', 'The reason');
  // 一(一) sentence 2: a unit requiring a fresh evaluation records that choice with its rejection.
  const employerChoice = choiceAtRejection(application.form.eligibility.obtained.method, request.employerChoice, actor.role === 'unit_hr', 'employerChoice');
  const chosen = employerChoice ? { employerChoice, eligibility: assessEligibility({ ...application.form.eligibility, employerChoice }, today) } : {};
  const extra: Statement[] = [];
  let ban: { startYear: number; endYear: number } | undefined;
  if (request.falseMaterials) {
    // 四(一): the five years run from the year of the application.
    ban = banYears(Number(chinaDate(new Date(application.createdAt)).slice(0, 4)));
    extra.push(
      ctx.bans.recordForApplication({
        id: newId('BN', chinaDate(new Date(at))),
        idNumber: application.idNumber,
        holderName: application.holderName,
        ...ban,
        clause: BAN_CLAUSE,
        source: 'application',
        note: `申请 ${application.id}：${reason}`,
        createdAt: at,
        createdBy: actor.personId,
      }),
    );
  }
  return { change: { status: 'rejected', ...chosen }, opinion: reason, data: { falseMaterials: request.falseMaterials === true, ...(ban ? { ban } : {}), ...(employerChoice ? { employerChoice } : {}) }, extra };
};
