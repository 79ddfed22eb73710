/**
 * @module services/applications/shared
 * What every use case of the workflow shares: new ids, the acting person and their organisation, the
 * history event of a step, the case a person may see, and the small checks of a step's request.
 */
import type { Application, ApplicationEvent } from '../../domain/application.js';
import { DomainError } from '../../domain/errors.js';
import { routeFrom, type OrgNode } from '../../domain/routing.js';
import type { ActorAt } from '../../domain/workflow.js';
import { randomBytes } from '../../lib/bytes.js';
import type { Actor, ServiceContext } from '../context.js';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
export const newId = (prefix: string, today: string) => `${prefix}${today.replaceAll('-', '')}-${hex(randomBytes(4))}`;

export function actorAt(actor: Actor, org: OrgNode): ActorAt {
  return { personId: actor.personId, orgCode: actor.orgCode, orgKind: org.kind, role: actor.role as ActorAt['role'] };
}

export async function orgOf(ctx: ServiceContext, code: string): Promise<OrgNode> {
  const org = await ctx.organisations.find(code);
  if (!org) throw new DomainError('not_found', { zh: `机构 ${code} 不存在`, en: `Organisation ${code} does not exist` });
  return org;
}

export function eventFor(actor: Actor, org: OrgNode, seq: number, action: string, from: Application['status'] | null, to: Application['status'], at: string, opinion: string | null, data: Record<string, unknown>): ApplicationEvent {
  return { seq, action, fromStatus: from, toStatus: to, person: { id: actor.personId, name: actor.personName }, org: { code: org.code, name: org.name }, role: actor.role, at, opinion, data };
}

/** A case the person may see: the applicant their own, everyone else cases whose route passes their organisation. */
export async function visibleCase(ctx: ServiceContext, actor: Actor, id: string): Promise<{ application: Application; route: OrgNode[] }> {
  const application = await ctx.applications.find(id);
  const notFound = new DomainError('not_found', { zh: `申请 ${id} 不存在`, en: `Application ${id} does not exist` });
  if (!application) throw notFound;
  const route = routeFrom(application.unitCode, await ctx.organisations.tree());
  const visible = actor.role === 'applicant' ? application.applicantId === actor.personId : route.some((o) => o.code === actor.orgCode);
  if (!visible) throw notFound;
  return { application, route };
}

export function requireText(value: string | undefined, field: string, zh: string, en: string): string {
  if (!value || value.trim() === '') throw new DomainError('validation_failed', { zh: `${zh}不能为空`, en: `${en} is required` }, field);
  return value.trim();
}

/** Whether the case's route has a department between the unit and the authority (a return may go back to it). */
export function passesDepartment(application: Application, route: readonly OrgNode[]): boolean {
  const unitParent = route[1];
  return unitParent !== undefined && unitParent.code !== application.authorityCode && application.unitCode !== application.authorityCode;
}
