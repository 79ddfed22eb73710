/**
 * @module storage/seals
 * Organisations' electronic seals (issue 16): certificate, encrypted private key (never in clear here) and
 * status. At most one active seal per organisation — the writes below are conditional, and a partial unique
 * index (migration 0017) backs them, so concurrent creates leave exactly one.
 */
import type { SealedKey } from '../crypto/sealVault.js';
import { sql, type SqlDriver, type Statement } from './driver.js';

export type SealStatus = 'active' | 'retired' | 'revoked';

/** A seal as listed: what it is and who did what, never its key. */
export interface Seal {
  id: string;
  orgCode: string;
  kid: string;
  certificatePem: string;
  uscc: string;
  notBefore: string;
  notAfter: string;
  status: SealStatus;
  createdAt: string;
  createdBy: string;
  retiredAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
  revocationReason: string | null;
}

/** A seal with its encrypted key, for the one use case that signs with it. */
export interface SealWithKey extends Seal {
  sealedKey: SealedKey;
}

interface SealRow {
  id: string;
  org_code: string;
  kid: string;
  certificate_pem: string;
  uscc: string;
  not_before: string;
  not_after: string;
  key_ciphertext: string;
  key_iv: string;
  master_key_id: string;
  status: SealStatus;
  created_at: string;
  created_by: string;
  retired_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
  revocation_reason: string | null;
}

const toSeal = (r: SealRow): Seal => ({
  id: r.id,
  orgCode: r.org_code,
  kid: r.kid,
  certificatePem: r.certificate_pem,
  uscc: r.uscc,
  notBefore: r.not_before,
  notAfter: r.not_after,
  status: r.status,
  createdAt: r.created_at,
  createdBy: r.created_by,
  retiredAt: r.retired_at,
  revokedAt: r.revoked_at,
  revokedBy: r.revoked_by,
  revocationReason: r.revocation_reason,
});

export type NewSeal = Omit<Seal, 'status' | 'retiredAt' | 'revokedAt' | 'revokedBy' | 'revocationReason'> & { sealedKey: SealedKey };

export class SealRepository {
  constructor(private readonly db: SqlDriver) {}

  /**
   * Inserts `seal` as the organisation's active seal — only while it has none (after `retire` in the same
   * batch, when rotating) and, with `onlyIf`, while that SELECT yields a row.
   */
  insertActiveStatement(seal: NewSeal, onlyIf?: Statement): Statement {
    const values = [
      seal.id, seal.orgCode, seal.kid, seal.certificatePem, seal.uscc, seal.notBefore, seal.notAfter,
      seal.sealedKey.ciphertext, seal.sealedKey.iv, seal.sealedKey.masterKeyId, seal.createdAt, seal.createdBy,
    ];
    const extra = onlyIf ? ` AND EXISTS (${onlyIf.sql})` : '';
    return sql(
      `INSERT INTO seals (id, org_code, kid, certificate_pem, uscc, not_before, not_after, key_ciphertext, key_iv, master_key_id, status, created_at, created_by)
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ? WHERE NOT EXISTS (SELECT 1 FROM seals WHERE org_code = ? AND status = 'active')${extra}`,
      ...values, seal.orgCode, ...(onlyIf?.params ?? []),
    );
  }

  /** Retires the seal `id` if it is still the organisation's active one (rotation); with `onlyIf`, only while that yields a row. */
  retireStatement(id: string, orgCode: string, at: string, onlyIf?: Statement): Statement {
    const extra = onlyIf ? ` AND EXISTS (${onlyIf.sql})` : '';
    return sql(`UPDATE seals SET status = 'retired', retired_at = ? WHERE id = ? AND org_code = ? AND status = 'active'${extra}`, at, id, orgCode, ...(onlyIf?.params ?? []));
  }

  /** A SELECT that yields a row once `id` was retired at `at` — by this rotation, not revoked meanwhile. */
  retiredAtStatement(id: string, at: string): Statement {
    return sql(`SELECT 1 FROM seals WHERE id = ? AND status = 'retired' AND retired_at = ?`, id, at);
  }

  /** Revokes the seal `id` unless it already is: it signs nothing from `at` on. */
  revokeStatement(id: string, orgCode: string, at: string, by: string, reason: string): Statement {
    return sql(
      `UPDATE seals SET status = 'revoked', revoked_at = ?, revoked_by = ?, revocation_reason = ? WHERE id = ? AND org_code = ? AND status <> 'revoked'`,
      at, by, reason, id, orgCode,
    );
  }

  /** A SELECT that yields a row once seal `id` exists with `status` — the condition for its audit row. */
  /** A SELECT that yields a row only while the seal stands revoked by this very revocation (time and person). */
  revokedByStatement(id: string, at: string, by: string): Statement {
    return sql("SELECT 1 FROM seals WHERE id = ? AND status = 'revoked' AND revoked_at = ? AND revoked_by = ?", id, at, by);
  }

  existsStatement(id: string, status: SealStatus): Statement {
    return sql('SELECT 1 FROM seals WHERE id = ? AND status = ?', id, status);
  }

  async list(orgCode: string): Promise<Seal[]> {
    const rows = await this.db.all<SealRow>('SELECT * FROM seals WHERE org_code = ? ORDER BY created_at DESC, id', [orgCode]);
    return rows.map(toSeal);
  }

  /** Every seal, newest first (a few per organisation; filtered by the caller, since D1 binds at most 100 parameters). */
  async all(): Promise<Seal[]> {
    return (await this.db.all<SealRow>('SELECT * FROM seals ORDER BY org_code, created_at DESC, id')).map(toSeal);
  }

  async find(orgCode: string, id: string): Promise<Seal | undefined> {
    const row = await this.db.first<SealRow>('SELECT * FROM seals WHERE org_code = ? AND id = ?', [orgCode, id]);
    return row ? toSeal(row) : undefined;
  }

  async active(orgCode: string): Promise<SealWithKey | undefined> {
    const row = await this.db.first<SealRow>(`SELECT * FROM seals WHERE org_code = ? AND status = 'active'`, [orgCode]);
    return row ? { ...toSeal(row), sealedKey: { ciphertext: row.key_ciphertext, iv: row.key_iv, masterKeyId: row.master_key_id } } : undefined;
  }
}
