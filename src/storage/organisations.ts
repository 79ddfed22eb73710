/**
 * @module storage/organisations
 * Organisations, the people who work in them and their API tokens. A token belongs to one person, who holds
 * one role at one organisation; it is opaque to its holder and kept here only as SHA-256.
 */
import type { OrganisationContact } from '../domain/organisationContact.js';
import type { OrgNode, OrganisationKind } from '../domain/routing.js';
import { sql, type SqlDriver, type SqlValue, type Statement } from './driver.js';

export type Organisation = OrgNode;

export interface Person {
  id: string;
  orgCode: string;
  name: string;
  role: string;
  createdAt: string;
  /** The ID number an admin recorded for the person (issue 17 item 1): what makes them a certificate's holder. */
  idNumber?: string | undefined;
}

export interface TokenGrant {
  id: string;
  orgCode: string;
  role: string;
  personId: string;
  personName: string;
}

interface OrgRow {
  code: string;
  name: string;
  kind: string;
  parent_code: string | null;
}
const toOrg = (row: OrgRow): Organisation => ({ code: row.code, name: row.name, kind: row.kind as OrganisationKind, parentCode: row.parent_code });

/** One condition per organisation: it still has the kind and parent it was read with. */
function sameAsRead(orgs: readonly Organisation[]): { conditions: string[]; params: (string | null)[] } {
  return {
    conditions: orgs.map(() => 'EXISTS (SELECT 1 FROM organisations WHERE code = ? AND kind = ? AND parent_code IS ?)'),
    params: orgs.flatMap((o) => [o.code, o.kind, o.parentCode]),
  };
}

function insertOnlyIf(into: string, values: SqlValue[], onlyIf?: Statement): Statement {
  const marks = values.map(() => '?').join(', ');
  return onlyIf ? sql(`INSERT INTO ${into} SELECT ${marks} WHERE EXISTS (${onlyIf.sql})`, ...values, ...onlyIf.params) : sql(`INSERT INTO ${into} VALUES (${marks})`, ...values);
}

/** An organisation's contact columns, as read here and beside a certificate (CertificateRepository.findForVerification). */
export interface ContactColumns {
  contact_phone: string | null;
  contact_address: string | null;
}

export function contactOf(row: ContactColumns | undefined): OrganisationContact {
  return { ...(row?.contact_phone ? { phone: row.contact_phone } : {}), ...(row?.contact_address ? { address: row.contact_address } : {}) };
}

export class OrganisationRepository {
  constructor(private readonly db: SqlDriver) {}

  /** Creates the organisation or changes its name, kind and parent; the code is its identity. */
  async upsert(org: Organisation, now: string): Promise<void> {
    await this.run(this.upsertStatement(org, now));
  }

  /** With `onlyIf` (a SELECT, e.g. `unchangedStatement`), written only when it still yields a row. */
  upsertStatement(org: Organisation, now: string, onlyIf?: Statement): Statement {
    const update = 'ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, parent_code = excluded.parent_code';
    if (onlyIf) {
      return sql(
        `INSERT INTO organisations (code, name, kind, parent_code, created_at) SELECT ?, ?, ?, ?, ? WHERE EXISTS (${onlyIf.sql}) ${update}`,
        org.code, org.name, org.kind, org.parentCode, now, ...onlyIf.params,
      );
    }
    return sql(`INSERT INTO organisations (code, name, kind, parent_code, created_at) VALUES (?, ?, ?, ?, ?) ${update}`, org.code, org.name, org.kind, org.parentCode, now);
  }

  /**
   * What a placement was decided on, as a SELECT that yields a row only while it still holds: the
   * organisation as it was read (or absent) — or already placed as `org` places it, so that it holds after
   * the write too, as the audit row's signed head requires —, its parent and every organisation above as
   * they were read, and no child of a kind outside `childKinds`. A write under it cannot land on a tree
   * changed meanwhile.
   */
  unchangedStatement(org: Organisation, read: Organisation | undefined, above: readonly Organisation[], childKinds: readonly string[]): Statement {
    const { conditions, params } = sameAsRead(above);
    if (read) {
      conditions.push('EXISTS (SELECT 1 FROM organisations WHERE code = ? AND ((kind = ? AND parent_code IS ?) OR (kind = ? AND parent_code IS ?)))');
      params.push(org.code, read.kind, read.parentCode, org.kind, org.parentCode);
    } else {
      conditions.push('NOT EXISTS (SELECT 1 FROM organisations WHERE code = ? AND NOT (kind = ? AND parent_code IS ?))');
      params.push(org.code, org.kind, org.parentCode);
    }
    conditions.push(`NOT EXISTS (SELECT 1 FROM organisations WHERE parent_code = ? AND code <> ?${childKinds.length ? ` AND kind NOT IN (${childKinds.map(() => '?').join(', ')})` : ''})`);
    params.push(org.code, org.code, ...childKinds);
    return sql(`SELECT 1 WHERE ${conditions.join(' AND ')}`, ...params);
  }

  /** A SELECT that yields a row only while each of `route` (an organisation and those above) is as it was read. */
  routeUnchangedStatement(route: readonly Organisation[]): Statement {
    const { conditions, params } = sameAsRead(route);
    return sql(`SELECT 1 WHERE ${conditions.length ? conditions.join(' AND ') : '1'}`, ...params);
  }

  private async run(statement: Statement): Promise<void> {
    await this.db.run(statement.sql, statement.params);
  }

  /** An authority of the trust store: created unclassified, or renamed; its kind and parent are an admin's. */
  async registerAuthority(code: string, name: string, now: string): Promise<void> {
    await this.db.run(
      `INSERT INTO organisations (code, name, kind, parent_code, created_at) VALUES (?, ?, 'issuing_authority', NULL, ?)
       ON CONFLICT (code) DO UPDATE SET name = excluded.name`,
      [code, name, now],
    );
  }

  async find(code: string): Promise<Organisation | undefined> {
    const row = await this.db.first<OrgRow>('SELECT code, name, kind, parent_code FROM organisations WHERE code = ?', [code]);
    return row ? toOrg(row) : undefined;
  }

  /** Every organisation by code: the tree routing walks (a region has hundreds, not millions). */
  async tree(): Promise<Map<string, Organisation>> {
    const rows = await this.db.all<OrgRow>('SELECT code, name, kind, parent_code FROM organisations ORDER BY code');
    return new Map(rows.map((r) => [r.code, toOrg(r)]));
  }

  /** The office's current contact (issue 12 A4); empty when none is set or there is no such organisation. */
  /** Every organisation's contact, in one query (the admin console lists them all). */
  async contacts(): Promise<Map<string, OrganisationContact>> {
    const rows = await this.db.all<ContactColumns & { code: string }>('SELECT code, contact_phone, contact_address FROM organisations');
    return new Map(rows.map((row) => [row.code, contactOf(row)]));
  }

  async contact(code: string): Promise<OrganisationContact> {
    return contactOf(await this.db.first<ContactColumns>('SELECT contact_phone, contact_address FROM organisations WHERE code = ?', [code]));
  }

  /**
   * Replaces both parts of an organisation's contact in one statement (a part left out is cleared), so
   * concurrent writers never leave one's phone beside another's address. With `onlyIf`, only while it yields a row.
   */
  setContactStatement(code: string, contact: OrganisationContact, onlyIf?: Statement): Statement {
    const values: SqlValue[] = [contact.phone ?? null, contact.address ?? null, code];
    return onlyIf
      ? sql(`UPDATE organisations SET contact_phone = ?, contact_address = ? WHERE code = ? AND EXISTS (${onlyIf.sql})`, ...values, ...onlyIf.params)
      : sql('UPDATE organisations SET contact_phone = ?, contact_address = ? WHERE code = ?', ...values);
  }

  async setContact(code: string, contact: OrganisationContact): Promise<boolean> {
    const statement = this.setContactStatement(code, contact);
    return ((await this.db.run(statement.sql, statement.params)).changes ?? 0) > 0;
  }

  /** Sets or clears (null) an organisation's 统一社会信用代码 (issue 16), checked by domain/uscc.ts; with `onlyIf`, only while it yields a row. */
  setUsccStatement(code: string, uscc: string | null, onlyIf?: Statement): Statement {
    return onlyIf
      ? sql(`UPDATE organisations SET uscc = ? WHERE code = ? AND EXISTS (${onlyIf.sql})`, uscc, code, ...onlyIf.params)
      : sql('UPDATE organisations SET uscc = ? WHERE code = ?', uscc, code);
  }

  async setUscc(code: string, uscc: string | null): Promise<void> {
    await this.run(this.setUsccStatement(code, uscc));
  }

  /** Sets the USCC only where none is set (the demo authorities' made-up ones at start, entry/deps.ts). */
  async giveUsccIfNone(code: string, uscc: string): Promise<void> {
    await this.db.run('UPDATE organisations SET uscc = ? WHERE code = ? AND uscc IS NULL', [uscc, code]);
  }

  async uscc(code: string): Promise<string | undefined> {
    return (await this.db.first<{ uscc: string | null }>('SELECT uscc FROM organisations WHERE code = ?', [code]))?.uscc ?? undefined;
  }

  /** Every organisation's USCC that is set, in one query (the admin console lists them all). */
  async usccs(): Promise<Map<string, string>> {
    const rows = await this.db.all<{ code: string; uscc: string }>('SELECT code, uscc FROM organisations WHERE uscc IS NOT NULL');
    return new Map(rows.map((row) => [row.code, row.uscc]));
  }

  async addPerson(person: Person, createdBy: string): Promise<void> {
    await this.run(this.personStatement(person, createdBy));
  }

  /** With `onlyIf` (a SELECT, e.g. `routeUnchangedStatement`), written only when it still yields a row. */
  personStatement(person: Person, createdBy: string, onlyIf?: Statement): Statement {
    return insertOnlyIf('people (id, org_code, name, role, created_at, created_by, id_number)', [person.id, person.orgCode, person.name, person.role, person.createdAt, createdBy, person.idNumber ?? null], onlyIf);
  }

  async findPerson(id: string): Promise<Person | undefined> {
    const row = await this.db.first<{ id: string; org_code: string; name: string; role: string; created_at: string }>(
      'SELECT id, org_code, name, role, created_at FROM people WHERE id = ?',
      [id],
    );
    return row ? { id: row.id, orgCode: row.org_code, name: row.name, role: row.role, createdAt: row.created_at } : undefined;
  }

  async peopleAt(orgCode: string): Promise<Person[]> {
    const rows = await this.db.all<{ id: string; org_code: string; name: string; role: string; created_at: string }>(
      'SELECT id, org_code, name, role, created_at FROM people WHERE org_code = ? ORDER BY created_at, id',
      [orgCode],
    );
    return rows.map((row) => ({ id: row.id, orgCode: row.org_code, name: row.name, role: row.role, createdAt: row.created_at }));
  }

  async addToken(token: { id: string; personId: string; orgCode: string; role: string }, tokenHash: string, label: string | null, now: string): Promise<void> {
    await this.run(this.tokenStatement(token, tokenHash, label, now));
  }

  tokenStatement(token: { id: string; personId: string; orgCode: string; role: string }, tokenHash: string, label: string | null, now: string, onlyIf?: Statement): Statement {
    return insertOnlyIf('api_tokens (id, token_hash, org_code, role, label, created_at, person_id)', [token.id, tokenHash, token.orgCode, token.role, label, now, token.personId], onlyIf);
  }

  /** Revokes every live token of a person (their sessions end with them); returns how many. */
  revokeTokensStatement(personId: string, at: string): Statement {
    return sql('UPDATE api_tokens SET revoked_at = ? WHERE person_id = ? AND revoked_at IS NULL', at, personId);
  }

  async findToken(tokenHash: string): Promise<TokenGrant | undefined> {
    const row = await this.db.first<{ id: string; org_code: string; role: string; person_id: string; person_name: string }>(
      `SELECT t.id, t.org_code, t.role, p.id AS person_id, p.name AS person_name
       FROM api_tokens t JOIN people p ON p.id = t.person_id
       WHERE t.token_hash = ? AND t.revoked_at IS NULL`,
      [tokenHash],
    );
    return row ? { id: row.id, orgCode: row.org_code, role: row.role, personId: row.person_id, personName: row.person_name } : undefined;
  }
}
