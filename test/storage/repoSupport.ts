/**
 * Shared by the per-repository tests of test/storage: a fresh SQLite FILE in a temp dir with every
 * migration applied, the raw driver and the service driver (the chain writer, as the services use it),
 * and two organisations with a person and a token each so that foreign keys hold.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { migrationsFromDisk, openDatabase } from '../../src/entry/nodeContext.js';
import { sha256Hex } from '../../src/lib/bytes.js';
import { createServiceDriver, type ServiceDriver } from '../../src/storage/chainWriter.js';
import type { SignedHead } from '../../src/storage/chainLogs.js';
import type { SqlDriver } from '../../src/storage/driver.js';
import { applyMigrations } from '../../src/storage/migrate.js';
import { OrganisationRepository } from '../../src/storage/organisations.js';

/** Rare characters: Ext-B (𠈌 𠮷), a CJK compatibility-adjacent 䶮, a combining mark and an emoji outside the BMP. */
export const RARE = '𠈌䶮𠮷 é 🀄';
/** SQL-looking text that must be stored verbatim. */
export const HOSTILE = `x'); DROP TABLE organisations; -- "引号" \\ %_ OR 1=1 /* */ ;`;
export const LONG = '长'.repeat(100_000) + RARE;

export const GX = { code: 'GXZGB', name: '广西壮族自治区职称改革工作领导小组办公室' };
export const NN = { code: 'NNZGB', name: '南宁市职称改革工作领导小组办公室' };

export interface Store {
  path: string;
  db: Database.Database;
  raw: SqlDriver;
  driver: ServiceDriver;
  close(): void;
}

export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), `ecert-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A stand-in signature on every head the chain writer finds due (no key needed). */
export const fakeSignHead = async (_log: string, h: { seq: number; hash: string; count: number }): Promise<SignedHead | undefined> => ({
  ...h,
  signedAt: `t${h.seq}`,
  kid: 'kid',
  jws: `jws-${h.seq}`,
});

/** A fresh database file `name` in `dir`, migrated, with GXZGB and NNZGB, one person and one token in each. */
export async function openStore(dir: string, name: string, options: { seed?: boolean } = {}): Promise<Store> {
  const path = join(dir, name);
  const { db, driver: raw } = openDatabase(path);
  await applyMigrations(raw, migrationsFromDisk());
  const driver = createServiceDriver(raw, { sha256hex: sha256Hex, signHead: fakeSignHead });
  if (options.seed !== false) {
    const orgs = new OrganisationRepository(raw);
    for (const [org, person, token] of [
      [GX, 'P_gx', 'tok_gx'],
      [NN, 'P_nn', 'tok_nn'],
    ] as const) {
      await orgs.upsert({ code: org.code, name: org.name, kind: 'issuing_authority', parentCode: null }, '2026-11-01T00:00:00.000Z');
      await orgs.addPerson({ id: person, orgCode: org.code, name: `经办人${RARE}`, role: 'handler', createdAt: '2026-11-01T00:00:00.000Z' }, 'test');
      await orgs.addToken({ id: token, personId: person, orgCode: org.code, role: 'handler' }, `hash-${token}`, null, '2026-11-01T00:00:00.000Z');
    }
  }
  return { path, db, raw, driver, close: () => db.close() };
}
