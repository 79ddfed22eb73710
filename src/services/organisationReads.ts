/**
 * @module services/organisationReads
 * Plain reads of organisations, their people and tokens for HTTP (the tree, contacts, a bearer token's
 * grant), so HTTP never reaches into storage.
 */
import { sha256Hex } from '../lib/bytes.js';
import type { Person, TokenGrant } from '../storage/organisations.js';
import type { ServiceContext } from './context.js';

export type { Person, TokenGrant };

type Orgs = Pick<ServiceContext, 'organisations'>;

/** The grant of a bearer token (looked up by its SHA-256), or undefined when unknown or revoked. */
export async function grantOfToken(ctx: Orgs, token: string): Promise<TokenGrant | undefined> {
  return ctx.organisations.findToken(await sha256Hex(token));
}

export const organisationTree = (ctx: Orgs) => ctx.organisations.tree();
export const organisationContacts = (ctx: Orgs) => ctx.organisations.contacts();
/** Every organisation's 统一社会信用代码 that is set (issue 16). */
export const organisationUsccs = (ctx: Orgs) => ctx.organisations.usccs();
export const findOrganisation = (ctx: Orgs, code: string) => ctx.organisations.find(code);
export const peopleAt = (ctx: Orgs, orgCode: string): Promise<Person[]> => ctx.organisations.peopleAt(orgCode);
