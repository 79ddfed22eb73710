/**
 * @module storage/organisations
 * Organisations and their API tokens. A token is opaque to its holder and kept here only as SHA-256,
 * scoped to one organisation and one role.
 */
import type { SqlDriver } from './driver.js';

export interface Organisation {
  code: string;
  name: string;
  kind: string;
  parentCode: string | null;
}

export interface TokenGrant {
  id: string;
  orgCode: string;
  role: string;
}

export class OrganisationRepository {
  constructor(private readonly db: SqlDriver) {}

  /** Creates the organisation or renames it; the code is its identity. */
  async upsert(org: Organisation, now: string): Promise<void> {
    await this.db.run(
      `INSERT INTO organisations (code, name, kind, parent_code, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind`,
      [org.code, org.name, org.kind, org.parentCode, now],
    );
  }

  async find(code: string): Promise<Organisation | undefined> {
    const row = await this.db.first<{ code: string; name: string; kind: string; parent_code: string | null }>(
      'SELECT code, name, kind, parent_code FROM organisations WHERE code = ?',
      [code],
    );
    return row ? { code: row.code, name: row.name, kind: row.kind, parentCode: row.parent_code } : undefined;
  }

  async addToken(grant: TokenGrant, tokenHash: string, label: string | null, now: string): Promise<void> {
    await this.db.run(
      'INSERT INTO api_tokens (id, token_hash, org_code, role, label, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [grant.id, tokenHash, grant.orgCode, grant.role, label, now],
    );
  }

  async findToken(tokenHash: string): Promise<TokenGrant | undefined> {
    const row = await this.db.first<{ id: string; org_code: string; role: string }>(
      'SELECT id, org_code, role FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL',
      [tokenHash],
    );
    return row ? { id: row.id, orgCode: row.org_code, role: row.role } : undefined;
  }
}
