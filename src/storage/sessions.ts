/**
 * @module storage/sessions
 * Browser sessions: the SHA-256 of a random session id, the token it was opened with, its CSRF token and
 * when it ends. The person and role come from the token, so revoking the token ends its sessions too.
 */
import type { SqlDriver } from './driver.js';
import type { TokenGrant } from './organisations.js';

export class SessionRepository {
  constructor(private readonly db: SqlDriver) {}

  async open(idHash: string, tokenId: string, csrf: string, now: string, expiresAt: string): Promise<void> {
    await this.db.batch([
      { sql: 'DELETE FROM sessions WHERE expires_at < ?', params: [now] },
      { sql: 'INSERT INTO sessions (id_hash, token_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)', params: [idHash, tokenId, csrf, now, expiresAt] },
    ]);
  }

  /** The live session's grant and CSRF token; undefined when absent, expired or its token revoked. */
  async find(idHash: string, now: string): Promise<{ grant: TokenGrant; csrf: string } | undefined> {
    const row = await this.db.first<{ id: string; org_code: string; role: string; person_id: string; person_name: string; csrf: string }>(
      `SELECT t.id, t.org_code, t.role, p.id AS person_id, p.name AS person_name, s.csrf
       FROM sessions s JOIN api_tokens t ON t.id = s.token_id JOIN people p ON p.id = t.person_id
       WHERE s.id_hash = ? AND s.expires_at > ? AND t.revoked_at IS NULL`,
      [idHash, now],
    );
    return row ? { grant: { id: row.id, orgCode: row.org_code, role: row.role, personId: row.person_id, personName: row.person_name }, csrf: row.csrf } : undefined;
  }

  async close(idHash: string): Promise<void> {
    await this.db.run('DELETE FROM sessions WHERE id_hash = ?', [idHash]);
  }
}
