/**
 * @module services/audit
 * The audit row of an action (notice 四(四): every step is attributable to a named person), written in the
 * same batch as the action so the trail never misses a write that landed.
 */
import type { AuditEvent } from '../storage/audit.js';
import type { Actor } from './context.js';

/** @example ctx.audit.statement(auditOf(actor, at, 'certificate.revoke', `certificate:${number}`, { reason })) */
export function auditOf(actor: Actor, at: string, action: string, subject: string, detail: Record<string, unknown>): AuditEvent {
  return { at, orgCode: actor.orgCode, personId: actor.personId, role: actor.role, action, subject, detail };
}
