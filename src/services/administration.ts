/**
 * @module services/administration
 * What an admin does: organisations and their parents (the forwarding tree of 二(二)3), people and their
 * tokens, and the working-day calendar's overrides; what an auditor reads: the audit trail. An admin acts
 * only within their own organisation and those below it, and places only kinds below their own office's
 * rank (domain/ranks.ts); the calendar is the region's, so only an admin of the root office — the region
 * title office at the root of the tree, never a kind an admin can assign — may change it. Every change is
 * audited in the same batch.
 */
import { DomainError } from '../domain/errors.js';
import { validateIdDocument, type IdType } from '../domain/idDocument.js';
import { chinaDate } from '../domain/chineseDate.js';
import { checkOrganisationContact, type OrganisationContact } from '../domain/organisationContact.js';
import { type Role } from '../domain/roles.js';
import { checkUscc } from '../domain/uscc.js';
import { isRootOffice, kindsBelow, kindsPlaceableBy, mayAppointAdmin, placementFault } from '../domain/ranks.js';
import { ORGANISATION_KIND_NAMES, routeFrom, subtreeOf, type OrganisationKind, type OrgNode } from '../domain/routing.js';
import { calendarYears, type DayKind, type YearAnnouncement } from '../domain/workingDays.js';
import { base64url, randomBytes, sha256Hex } from '../lib/bytes.js';
import type { Person } from '../storage/organisations.js';
import type { AuditEvent } from '../storage/audit.js';
import { auditOf } from './audit.js';
import type { Actor, ServiceContext } from './context.js';

const outside = (code: string) =>
  new DomainError('forbidden', { zh: `机构 ${code} 不在您的管理范围内`, en: `Organisation ${code} is outside what you administer` }, 'orgCode');

/** A write checked against a tree another admin changed before it landed. */
const treeChanged = (field: string) =>
  new DomainError('conflict', { zh: '机构层级刚被他人修改，请刷新后重试', en: 'The organisation tree changed meanwhile; reload and try again' }, field);

/** A kind the admin's office may not place: names the kind and what they may place instead. */
function notPlaceable(tree: ReadonlyMap<string, OrgNode>, actor: Actor, kind: OrganisationKind, placeable: readonly OrganisationKind[], changing?: OrgNode): DomainError {
  const office = tree.get(actor.orgCode);
  const name = ORGANISATION_KIND_NAMES[kind];
  const may = placeable.length
    ? { zh: `可登记的类别：${placeable.map((k) => ORGANISATION_KIND_NAMES[k].zh).join('、')}`, en: `you may place: ${placeable.map((k) => ORGANISATION_KIND_NAMES[k].en).join(', ')}` }
    : { zh: '本机构不能登记下级机构', en: 'your office places no organisations' };
  const message = changing
    ? { zh: `机构 ${changing.code} 为“${name.zh}”，不在本机构（${office?.name ?? actor.orgCode}）管理员的权限内；${may.zh}`, en: `${changing.code} is of the kind “${name.en}”, beyond what an admin of ${actor.orgCode} may change; ${may.en}` }
    : { zh: `本机构（${office?.name ?? actor.orgCode}）的管理员不能登记“${name.zh}”：只能登记级别低于本机构的机构；${may.zh}`, en: `An admin of ${actor.orgCode} may not place an organisation of the kind “${name.en}”: only kinds below their own office; ${may.en}` };
  return new DomainError('forbidden', message, 'kind', { allowedKinds: placeable });
}

/** What a contact is given as: either part may be left out or blank (domain/organisationContact.ts). */
export interface ContactInput {
  phone?: string | null | undefined;
  address?: string | null | undefined;
}

/**
 * Adds an organisation under `parentCode`, or changes one's name, kind or parent — all within the admin's
 * own subtree, only of kinds below the admin's own office, and only so that it ranks strictly below its
 * parent and above its own children (domain/ranks.ts); never so that the tree gains a cycle. With
 * `contact`, its contact is replaced in the same batch; without, the contact it has is kept.
 */
export async function saveOrganisation(
  ctx: ServiceContext,
  actor: Actor,
  org: OrgNode,
  contactInput?: ContactInput,
  usccInput?: string | null,
): Promise<OrgNode & { contact: OrganisationContact; uscc?: string }> {
  const contact = contactInput ? checkOrganisationContact(contactInput, { phone: 'contactPhone', address: 'contactAddress' }) : undefined;
  // Issue 16 item 1: the USCC a seal certificate will name; left out keeps it, blank clears it.
  const uscc = usccInput === undefined ? undefined : (checkUscc(usccInput) ?? null);
  const tree = await ctx.organisations.tree();
  const mine = new Set(subtreeOf(tree, actor.orgCode));
  if (org.code === actor.orgCode) throw new DomainError('forbidden', { zh: '不能修改本机构自身', en: 'You cannot change your own organisation' }, 'code');
  const existing = tree.get(org.code);
  // An authority the trust store registered is unplaced until the root office's admin places it.
  const adoptable = existing?.kind === 'issuing_authority' && existing.parentCode === null && isRootOffice(tree, actor.orgCode);
  if (existing && !mine.has(org.code) && !adoptable) throw outside(org.code);
  if (!org.parentCode || !mine.has(org.parentCode)) throw outside(org.parentCode ?? '(none)');
  const placeable = kindsPlaceableBy(tree, actor.orgCode);
  if (!placeable.includes(org.kind)) throw notPlaceable(tree, actor, org.kind, placeable);
  if (existing && !adoptable && !placeable.includes(existing.kind)) throw notPlaceable(tree, actor, existing.kind, placeable, existing);
  if (subtreeOf(tree, org.code).includes(org.parentCode)) {
    throw new DomainError('conflict', { zh: '上级机构不能是其自身或其下级', en: 'The parent cannot be the organisation itself or one below it' }, 'parentCode');
  }
  const fault = placementFault(tree, org);
  if (fault) throw new DomainError('rank_order', fault.message, fault.field);
  // Written only on the tree it was checked against: another admin's move or re-kind meanwhile answers 409.
  const unchanged = ctx.organisations.unchangedStatement(org, existing, routeFrom(org.parentCode, tree), kindsBelow(org.kind));
  const at = ctx.now().toISOString();
  const [audited, saved] = await ctx.db.batch([
    ctx.audit.statement(auditOf(actor, at, 'organisation.save', `organisation:${org.code}`, { name: org.name, kind: org.kind, parentCode: org.parentCode, ...(contact ? { contact } : {}), ...(uscc !== undefined ? { uscc } : {}) }), unchanged),
    ctx.organisations.upsertStatement(org, at, unchanged),
    ...(contact ? [ctx.organisations.setContactStatement(org.code, contact, unchanged)] : []),
    ...(uscc !== undefined ? [ctx.organisations.setUsccStatement(org.code, uscc, unchanged)] : []),
  ]);
  if (!saved?.changes || !audited?.changes) {
    throw treeChanged('parentCode');
  }
  const stored = uscc === undefined ? await ctx.organisations.uscc(org.code) : (uscc ?? undefined);
  return { ...org, contact: contact ?? (await ctx.organisations.contact(org.code)), ...(stored ? { uscc: stored } : {}) };
}

/**
 * Replaces the contact an employer sees for an organisation (issue 12 A4): the admin's own office or any
 * below it — unlike its name, kind and parent, which only the office above may change. Audited in the
 * same batch; the contact and its audit row land together or not at all.
 */
export async function setOrganisationContact(ctx: ServiceContext, actor: Actor, code: string, input: ContactInput): Promise<{ code: string; contact: OrganisationContact }> {
  const contact = checkOrganisationContact(input);
  const tree = await ctx.organisations.tree();
  if (!tree.has(code) || !subtreeOf(tree, actor.orgCode).includes(code)) throw outside(code);
  // Written only while it is still where it was checked: a move out of the admin's subtree meanwhile answers 409.
  const unchanged = ctx.organisations.routeUnchangedStatement(routeFrom(code, tree));
  const at = ctx.now().toISOString();
  const [saved, audited] = await ctx.db.batch([
    ctx.organisations.setContactStatement(code, contact, unchanged),
    ctx.audit.statement(auditOf(actor, at, 'organisation.contact', `organisation:${code}`, { contact }), unchanged),
  ]);
  if (!saved?.changes || !audited?.changes) throw treeChanged('code');
  return { code, contact };
}

/**
 * Sets or clears (blank) an organisation's 统一社会信用代码 (issue 16 item 1): the admin's own office or any
 * below it, as with its contact — so the region office, which no admin above can edit, can record its own.
 * Checked by its GB 32100-2015 check character; audited in the same batch.
 */
export async function setOrganisationUscc(ctx: ServiceContext, actor: Actor, code: string, input: string | null): Promise<{ code: string; uscc: string | null }> {
  const uscc = checkUscc(input) ?? null;
  const tree = await ctx.organisations.tree();
  if (!tree.has(code) || !subtreeOf(tree, actor.orgCode).includes(code)) throw outside(code);
  const unchanged = ctx.organisations.routeUnchangedStatement(routeFrom(code, tree));
  const at = ctx.now().toISOString();
  const [saved, audited] = await ctx.db.batch([
    ctx.organisations.setUsccStatement(code, uscc, unchanged),
    ctx.audit.statement(auditOf(actor, at, 'organisation.uscc', `organisation:${code}`, { uscc }), unchanged),
  ]);
  if (!saved?.changes || !audited?.changes) throw treeChanged('code');
  return { code, uscc };
}

/**
 * A new person at an organisation the admin administers, with their first token (shown once). Another
 * admin only at the admin's own office or one ranked strictly below it (domain/ranks.ts).
 */
export async function addPerson(ctx: ServiceContext, actor: Actor, request: { orgCode: string; role: Role; name: string; idType?: IdType | undefined; idNumber?: string | undefined }): Promise<{ person: Person; token: string }> {
  // Issue 17 item 1: a holder of a directly issued certificate is known by the ID number on it (二(二)4).
  if (request.role === 'holder' && !request.idNumber) {
    throw new DomainError('validation_failed', { zh: '登记持证人须填写其身份证件号码', en: "A holder is added with their ID number" }, 'idNumber');
  }
  const idNumber = request.idNumber ? validateIdDocument(request.idType ?? 'resident_id_card', request.idNumber, 'idNumber', chinaDate(ctx.now())) : undefined;
  const tree = await ctx.organisations.tree();
  // An ID number recorded for a person opens every certificate bearing it, wherever issued (holderCertificates):
  // only the region office's admin, who may already read every certificate through the issuers it appoints,
  // records one — an admin lower down would otherwise reach certificates far outside their office (四(四)).
  if (idNumber && !isRootOffice(tree, actor.orgCode)) {
    throw new DomainError(
      'forbidden',
      {
        zh: '只有自治区职改办的管理员可以登记人员的身份证件号码（持证人凭此号码查看其全部证书）',
        en: "Only an admin of the region title office may record a person's ID number (a holder sees every certificate bearing it)",
      },
      'idNumber',
    );
  }
  if (!tree.has(request.orgCode) || !subtreeOf(tree, actor.orgCode).includes(request.orgCode)) throw outside(request.orgCode);
  if (request.role === 'admin' && !mayAppointAdmin(tree, actor.orgCode, request.orgCode)) {
    const org = tree.get(request.orgCode)!;
    const kind = ORGANISATION_KIND_NAMES[org.kind];
    throw new DomainError(
      'forbidden',
      {
        zh: `不能在 ${org.code}（${kind.zh}）登记管理员：管理员只能登记在本机构或级别低于本机构的下级机构`,
        en: `You may not add an admin at ${org.code} (${kind.en}): only at your own office or an organisation ranked below it`,
      },
      'orgCode',
    );
  }
  const at = ctx.now().toISOString();
  const person: Person = { id: `P${base64url(randomBytes(9))}`, orgCode: request.orgCode, name: request.name, role: request.role, createdAt: at, ...(idNumber ? { idNumber } : {}) };
  const token = `ect_${base64url(randomBytes(32))}`;
  // Written only while the organisation and those above it are as checked: a move or re-kind meanwhile answers 409.
  const unchanged = ctx.organisations.routeUnchangedStatement(routeFrom(request.orgCode, tree));
  const [added] = await ctx.db.batch([
    ctx.organisations.personStatement(person, actor.personId, unchanged),
    ctx.organisations.tokenStatement({ id: base64url(randomBytes(9)), personId: person.id, orgCode: person.orgCode, role: person.role }, await sha256Hex(token), null, at, unchanged),
    ctx.audit.statement(auditOf(actor, at, 'person.add', `person:${person.id}`, { orgCode: person.orgCode, role: person.role, name: person.name, ...(idNumber ? { idNumberRecorded: true } : {}) }), unchanged),
  ]);
  if (!added?.changes) {
    throw treeChanged('orgCode');
  }
  const { idNumber: _recorded, ...answered } = person; // the ID number is written, never echoed
  return { person: answered, token };
}

/**
 * Withdraws a person's access: every token they hold is revoked at once, and with it every browser session
 * opened with one. Only an admin of their organisation or one above it may; the person stays on record,
 * since their name is on the steps they took (四(四)).
 */
export async function revokePerson(ctx: ServiceContext, actor: Actor, personId: string): Promise<{ person: Person; revoked: number }> {
  const person = await ctx.organisations.findPerson(personId);
  const tree = await ctx.organisations.tree();
  if (!person || !subtreeOf(tree, actor.orgCode).includes(person.orgCode)) {
    throw new DomainError('not_found', { zh: `您管理的机构中没有人员 ${personId}`, en: `No person ${personId} in the organisations you administer` });
  }
  const at = ctx.now().toISOString();
  const [revoked] = await ctx.db.batch([
    ctx.organisations.revokeTokensStatement(person.id, at),
    ctx.audit.statement(auditOf(actor, at, 'person.revoke', `person:${person.id}`, { orgCode: person.orgCode, role: person.role })),
  ]);
  return { person, revoked: revoked?.changes ?? 0 };
}

/** The calendar is the region's (二(二)2): only an admin of the root office — not of any office given that kind. */
async function requireRegionAdmin(ctx: ServiceContext, actor: Actor): Promise<void> {
  if (!isRootOffice(await ctx.organisations.tree(), actor.orgCode)) {
    throw new DomainError('forbidden', { zh: '工作日历为全区统一，只有自治区职改办的管理员可以修改', en: 'The calendar is region-wide; only an admin of the region title office may change it' });
  }
}

/** Marks one date a holiday or a working day (a late schedule change, or the year's announced 调休). */
export async function setCalendarOverride(ctx: ServiceContext, actor: Actor, request: { date: string; kind: DayKind; note: string }): Promise<void> {
  await requireRegionAdmin(ctx, actor);
  const at = ctx.now().toISOString();
  await ctx.db.batch([
    ctx.calendar.setStatement({ ...request, setBy: actor.personId, setAt: at }),
    ctx.audit.statement(auditOf(actor, at, 'calendar.override', `calendar:${request.date}`, { kind: request.kind, note: request.note })),
  ]);
}

/**
 * Records whether a year's national schedule and its 壮族三月三 arrangement are announced (issue 13 item 8):
 * the one act that makes a year's notice ends final; an override never does it by itself (二(二)2).
 */
export async function recordYearAnnouncement(ctx: ServiceContext, actor: Actor, request: YearAnnouncement & { note: string }): Promise<void> {
  await requireRegionAdmin(ctx, actor);
  const { first, last } = calendarYears();
  if (!Number.isInteger(request.year) || request.year < first || request.year > last) {
    throw new DomainError('validation_failed', { zh: `年度须在 ${first} 至 ${last} 之间`, en: `The year must be between ${first} and ${last}` }, 'year');
  }
  const at = ctx.now().toISOString();
  await ctx.db.batch([
    ctx.calendar.announceStatement({ ...request, setBy: actor.personId, setAt: at }),
    ctx.audit.statement(auditOf(actor, at, 'calendar.announce', `calendar:${request.year}`, { national: request.national, regional: request.regional, note: request.note })),
  ]);
}

export async function removeCalendarOverride(ctx: ServiceContext, actor: Actor, date: string): Promise<void> {
  await requireRegionAdmin(ctx, actor);
  const at = ctx.now().toISOString();
  await ctx.db.batch([ctx.calendar.removeStatement(date), ctx.audit.statement(auditOf(actor, at, 'calendar.remove_override', `calendar:${date}`, {}))]);
}

/** The audit trail of the auditor's organisation and every organisation below it. */
export async function auditTrail(ctx: ServiceContext, actor: Actor, query: { subject?: string | undefined; after: number; limit: number }): Promise<AuditEvent[]> {
  const codes = subtreeOf(await ctx.organisations.tree(), actor.orgCode);
  return ctx.audit.list({ orgCodes: codes, subject: query.subject, afterSeq: query.after, limit: query.limit });
}
