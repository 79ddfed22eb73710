/**
 * Shared by the per-repository tests of test/storage: a fresh SQLite FILE in a temp dir with every
 * migration applied, the raw driver and the service driver (the chain writer, as the services use it),
 * and two organisations with a person and a token each so that foreign keys hold.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { Certificate } from '../../src/domain/certificate.js';
import { blobDirectoryOf, directoryBlobStore } from '../../src/entry/blobDirectory.js';
import { migrationsFromDisk, openDatabase } from '../../src/entry/nodeContext.js';
import { sha256Hex } from '../../src/lib/bytes.js';
import { createServiceDriver, type ServiceDriver } from '../../src/storage/chainWriter.js';
import type { SignedHead } from '../../src/storage/chainLogs.js';
import type { BlobStore } from '../../src/storage/blobs.js';
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
  /** the content-addressed directory beside the file, as on Node (storage/blobs, issue 15) */
  blobs: BlobStore;
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
/** `signHead: false` leaves every head unsigned (no head rows are written by the chain writer). */
export async function openStore(dir: string, name: string, options: { seed?: boolean; signHead?: false } = {}): Promise<Store> {
  const path = join(dir, name);
  const { db, driver: raw } = openDatabase(path);
  await applyMigrations(raw, migrationsFromDisk());
  const driver = createServiceDriver(raw, { sha256hex: sha256Hex, signHead: options.signHead === false ? async () => undefined : fakeSignHead });
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
  return { path, db, raw, driver, blobs: directoryBlobStore(blobDirectoryOf(path)), close: () => db.close() };
}

/** A complete certificate with every optional field set; `overrides` replaces whole parts. */
export function certificate(number: string, overrides: Partial<Certificate> = {}): Certificate {
  return {
    number,
    authority: { code: GX.code, name: GX.name },
    kid: 'kid-1',
    holder: { name: `䶮${RARE}`, gender: 'female', idType: 'resident_id_card', idNumber: '450102198005120019', idNumberMasked: '4501**********0019' },
    photo: { bytes: new Uint8Array([0xff, 0xd8, 0x00, 0x01, 0x80, 0xff, 0xd9]), type: 'image/jpeg' },
    title: { series: 'engineering', seriesName: '工程技术', name: '高级工程师', level: 'senior_associate', specialty: `电气工程${RARE}` },
    original: { acquiredOn: '2015-12-30', method: 'evaluation', evaluatingBody: '湖南省工程技术高级职务评审委员会', certificateNumber: 'HN-2015-𠈌-001' },
    decision: { number: '桂职办〔2026〕15号', decidedOn: '2026-03-18' },
    issuedAt: '2026-11-28T04:00:00.000Z',
    token: 'header.payload.signature',
    linkProof: 'proof',
    status: 'valid',
    basis: { kind: 'decision', decisionNumber: '桂职办〔2019〕7号', decidedOn: '2019-06-30', reason: `补发电子证书${RARE}` },
    ...overrides,
  };
}
