/**
 * @module services/applications/startNotice
 * The unit puts the case on public notice for five working days (二(二)2) and records the employer's
 * choice (一(一) sentence 2).
 */
import { chinaDate, isIsoDate } from '../../domain/chineseDate.js';
import { assessEligibility } from '../../domain/eligibility.js';
import { choiceAtNotice } from '../../domain/employerChoice.js';
import { DomainError } from '../../domain/errors.js';
import { publicNotice } from './calendar.js';
import type { StepHandler } from './transition.js';

export const startNotice: StepHandler = async (ctx, _actor, request, { application, today }) => {
  const start = request.start ?? today;
  // The working-day calendar is computed up to 2099 (domain/workingDays.ts): refuse what it cannot count.
  if (!isIsoDate(start) || start > '2099-09-30') {
    throw new DomainError('validation_failed', { zh: '公示开始日期须为 2099-09-30 之前的真实日期', en: 'The notice must start on a real date no later than 2099-09-30' }, 'start');
  }
  const received = [...(await ctx.applications.events(application.id))].reverse().find((e) => e.toStatus === 'unit_review');
  const earliest = received ? chinaDate(new Date(received.at)) : today;
  if (start < earliest) {
    throw new DomainError('validation_failed', { zh: `公示开始日期不能早于受理日期 ${earliest}`, en: `The notice cannot start before the case was received (${earliest})` }, 'start');
  }
  // 一(一) sentence 2: the unit records the employer's choice here (who and when: this step's event).
  const employerChoice = choiceAtNotice(application.form.eligibility.obtained.method, application.employerChoice, request.employerChoice, 'employerChoice');
  const eligibility = employerChoice ? assessEligibility({ ...application.form.eligibility, employerChoice }, today) : application.eligibility;
  const notice = await publicNotice(ctx, start);
  return { change: { status: 'public_notice', notice, employerChoice, eligibility }, opinion: request.opinion?.trim() || null, data: { notice, ...(employerChoice ? { employerChoice } : {}) } };
};
