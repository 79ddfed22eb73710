/**
 * @module services/applications/update
 * The applicant edits a draft (二(二)1).
 */
import type { ApplicationForm } from '../../domain/application.js';
import { DomainError } from '../../domain/errors.js';
import { confirmingAuthorityOn, routeFrom } from '../../domain/routing.js';
import type { Actor, ServiceContext } from '../context.js';
import { checkPerson, judge } from './judge.js';
import { transition } from './transition.js';
import type { ApplicationView } from './view.js';

/** The applicant edits a draft (二(二)1): judged again, routed again. */
export async function updateApplication(ctx: ServiceContext, actor: Actor, id: string, form: ApplicationForm, idempotencyKey?: string): Promise<ApplicationView> {
  return transition(ctx, actor, id, 'update', idempotencyKey, async ({ application, today }) => {
    const idNumber = checkPerson(form, today);
    const { assessment, level } = judge(form, today);
    const trust = await ctx.trust();
    const route = routeFrom(application.unitCode, await ctx.organisations.tree());
    const authority = confirmingAuthorityOn(route, level, (code) => trust.authorities.filter((a) => a.code === code).flatMap((a) => a.levels));
    if (authority.code !== application.authorityCode) {
      throw new DomainError('conflict', { zh: '修改后确认部门会改变，请撤回后重新填报', en: 'The change would move the case to another confirming authority; withdraw and apply again' }, undefined, { clause: '二(一)' });
    }
    return {
      change: { status: 'draft', form, eligibility: assessment, level, holderName: form.applicant.name, idNumber, employerChoice: null }, // an edit waits for the unit's choice again (一(一))
      opinion: null,
      data: { decision: assessment.decision },
    };
  });
}
