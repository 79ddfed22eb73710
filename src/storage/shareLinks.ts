/**
 * @module storage/shareLinks
 * A holder's share links (issue 17 item 2): kept by the SHA-256 of their secret, never the secret. The
 * limit of live links per certificate is part of the one statement that writes a link, so concurrent
 * creates cannot pass it (SQLite and D1 run a statement alone).
 */
import type { SqlDriver } from './driver.js';

export interface ShareLink {
  id: string;
  certificateNumber: string;
  personId: string;
  purpose: string;
  createdAt: string;
  expiresAt: string;
  endedAt: string | null;
  /** Issue 17 item 3: the holder chose to show the full ID number through this link (false by default). */
  discloseIdNumber: boolean;
}

interface Row {
  id: string;
  certificate_number: string;
  person_id: string;
  purpose: string;
  created_at: string;
  expires_at: string;
  ended_at: string | null;
  disclose_id_number: number;
}
const toLink = (r: Row): ShareLink => ({ id: r.id, certificateNumber: r.certificate_number, personId: r.person_id, purpose: r.purpose, createdAt: r.created_at, expiresAt: r.expires_at, endedAt: r.ended_at, discloseIdNumber: r.disclose_id_number === 1 });
const COLUMNS = 'id, certificate_number, person_id, purpose, created_at, expires_at, ended_at, disclose_id_number';

export class ShareLinkRepository {
  constructor(private readonly db: SqlDriver) {}

  /** Writes the link only while the certificate has fewer than `maxActive` live ones at `link.createdAt`; false when it has them. */
  async insertIfUnder(link: Omit<ShareLink, 'endedAt'>, secretHash: string, maxActive: number): Promise<boolean> {
    const { changes } = await this.db.run(
      `INSERT INTO share_links (id, secret_hash, certificate_number, person_id, purpose, created_at, expires_at, disclose_id_number)
       SELECT ?, ?, ?, ?, ?, ?, ?, ?
       WHERE (SELECT COUNT(*) FROM share_links WHERE certificate_number = ? AND ended_at IS NULL AND expires_at > ?) < ?`,
      [link.id, secretHash, link.certificateNumber, link.personId, link.purpose, link.createdAt, link.expiresAt, link.discloseIdNumber ? 1 : 0, link.certificateNumber, link.createdAt, maxActive],
    );
    return changes > 0;
  }

  async bySecretHash(secretHash: string): Promise<ShareLink | undefined> {
    const row = await this.db.first<Row>(`SELECT ${COLUMNS} FROM share_links WHERE secret_hash = ?`, [secretHash]);
    return row ? toLink(row) : undefined;
  }

  /** A person's own links, newest first. */
  async ofPerson(personId: string): Promise<ShareLink[]> {
    return (await this.db.all<Row>(`SELECT ${COLUMNS} FROM share_links WHERE person_id = ? ORDER BY created_at DESC, id`, [personId])).map(toLink);
  }

  async find(id: string, personId: string): Promise<ShareLink | undefined> {
    const row = await this.db.first<Row>(`SELECT ${COLUMNS} FROM share_links WHERE id = ? AND person_id = ?`, [id, personId]);
    return row ? toLink(row) : undefined;
  }

  /** Ends the person's live link `id` (or, without `id`, every live link of theirs) at `at`; returns how many. */
  async end(personId: string, at: string, id?: string): Promise<number> {
    const one = id === undefined ? '' : ' AND id = ?';
    const { changes } = await this.db.run(`UPDATE share_links SET ended_at = ? WHERE person_id = ? AND ended_at IS NULL AND expires_at > ?${one}`, [at, personId, at, ...(id === undefined ? [] : [id])]);
    return changes;
  }
}
