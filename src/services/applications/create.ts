/**
 * @module services/applications/create
 * An applicant applies at their unit (二(二)1), retry-safe with an Idempotency-Key.
 */
import type { Application, ApplicationForm } from '../../domain/application.js';
import { chinaDate } from '../../domain/chineseDate.js';
import { DomainError } from '../../domain/errors.js';
import { confirmingAuthorityOn, EMPLOYER_KINDS, routeFrom } from '../../domain/routing.js';
import { canonicalJson, sha256Hex } from '../../lib/bytes.js';
import { ConstraintError } from '../../storage/driver.js';
import type { Actor, ServiceContext } from '../context.js';
import { auditOf } from '../audit.js';
import { replayed } from '../idempotency.js';
import { checkPerson, judge } from './judge.js';
import { eventFor, newId, orgOf } from './shared.js';
import { viewOf, type ApplicationView } from './view.js';

/**
 * An applicant applies at their unit (二(二)1). Refused for a case that is not eligible (一), with every
 * reason and its clause; a five-year ban (四(一)) bars promotion, not this, and is shown on the case instead.
 * @example const view = await createApplication(ctx, applicant, form, 'key-1');
 */
export async function createApplication(ctx: ServiceContext, actor: Actor, form: ApplicationForm, idempotencyKey?: string): Promise<{ view: ApplicationView; created: boolean }> {
  const requestHash = await sha256Hex(canonicalJson(form));
  if (idempotencyKey) {
    const earlier = await replayed(await ctx.applications.findIdempotent(actor.personId, idempotencyKey), requestHash, (e) => ctx.applications.find(e.id));
    if (earlier) return { view: await viewOf(ctx, earlier, actor), created: false };
  }
  const now = ctx.now();
  const at = now.toISOString();
  const today = chinaDate(now);
  const unit = await orgOf(ctx, actor.orgCode);
  if (!EMPLOYER_KINDS.includes(unit.kind)) {
    throw new DomainError('conflict', { zh: '申报人须在用人单位（企事业单位或高校）登记', en: "An applicant must belong to an employer (unit or university)" }, undefined, { clause: '二(二)1' });
  }
  const idNumber = checkPerson(form, today);
  const { assessment, level } = judge(form, today);
  const trust = await ctx.trust();
  const route = routeFrom(unit.code, await ctx.organisations.tree());
  const authority = confirmingAuthorityOn(route, level, (code) => trust.authorities.filter((a) => a.code === code).flatMap((a) => a.levels));

  const application: Application = {
    id: newId('RC', today),
    applicantId: actor.personId,
    unitCode: unit.code,
    holderCode: unit.code,
    authorityCode: authority.code,
    status: 'draft',
    version: 1,
    idNumber,
    holderName: form.applicant.name,
    level,
    form,
    eligibility: assessment,
    employerChoice: null, // the unit records it at its step (一(一))
    notice: null,
    returned: null,
    decision: null,
    certificateNumber: null,
    createdAt: at,
    updatedAt: at,
  };
  const event = eventFor(actor, unit, 1, 'create', null, 'draft', at, null, { decision: assessment.decision, authority: authority.code });
  try {
    await ctx.applications.create(application, event, idempotencyKey ? { key: idempotencyKey, requestHash } : null, [
      ctx.audit.statement(auditOf(actor, at, 'application.create', `application:${application.id}`, { status: 'draft', authority: authority.code })),
    ]);
  } catch (error) {
    // A concurrent retry with the same key won: answer with its application. Any other refusal stands.
    const earlier = error instanceof ConstraintError && idempotencyKey ? await ctx.applications.findIdempotent(actor.personId, idempotencyKey) : undefined;
    const winner = earlier ? await replayed(earlier, requestHash, (e) => ctx.applications.find(e.id)) : undefined;
    if (winner) return { view: await viewOf(ctx, winner, actor), created: false };
    throw error;
  }
  return { view: await viewOf(ctx, application, actor), created: true };
}
