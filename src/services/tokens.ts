/**
 * @module services/tokens
 * People and their API tokens. A token is 256 random bits shown once and stored as SHA-256; it belongs to
 * one named person, who holds one role at one organisation (notice 四(四): every step has a name).
 */
import { DomainError } from '../domain/errors.js';
import { type Role } from '../domain/roles.js';
import { base64url, randomBytes, sha256Hex } from '../lib/bytes.js';
import type { Person } from '../storage/organisations.js';
import type { ServiceContext } from './context.js';

export { ROLES, type Role } from '../domain/roles.js';

/**
 * Adds a person holding `role` at `orgCode`; `createdBy` names who did it (a person id, or `cli`).
 * @example const person = await createPerson(ctx, { orgCode: 'GXZGB', role: 'authority_approver', name: '王五' }, 'cli');
 */
export async function createPerson(ctx: Pick<ServiceContext, 'organisations' | 'now'>, request: { orgCode: string; role: Role; name: string }, createdBy: string): Promise<Person> {
  const org = await ctx.organisations.find(request.orgCode);
  if (!org) {
    throw new DomainError('not_found', { zh: `机构 ${request.orgCode} 不存在`, en: `Organisation ${request.orgCode} does not exist` }, 'orgCode');
  }
  const person: Person = { id: `P${base64url(randomBytes(9))}`, orgCode: org.code, name: request.name.normalize('NFC'), role: request.role, createdAt: ctx.now().toISOString() };
  await ctx.organisations.addPerson(person, createdBy);
  return person;
}

/** @example const token = await createToken(ctx, person, '2026 年度'); */
export async function createToken(ctx: Pick<ServiceContext, 'organisations' | 'now'>, person: Person, label: string | null): Promise<string> {
  const token = `ect_${base64url(randomBytes(32))}`;
  const id = base64url(randomBytes(9));
  await ctx.organisations.addToken({ id, personId: person.id, orgCode: person.orgCode, role: person.role }, await sha256Hex(token), label, ctx.now().toISOString());
  return token;
}
