/**
 * @module entry/nodeContext
 * Everything the Node server and the CLI share: open the SQLite file (WAL), apply migrations, load the
 * keys directory, the fonts and the template, and assemble the dependencies of the app.
 */
import { mkdirSync, readFileSync, readdirSync, realpathSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { createHash, hash as oneShotHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { DomainError } from '../domain/errors.js';
import { loadTrustStore, type TrustStore } from '../crypto/trustStore.js';
import { importSealMasterKey, type SealMasterKey } from '../crypto/sealVault.js';
import { FontSet } from '../render/fonts.js';
import type { CertificateTemplate } from '../render/certificate/pdf.js';
import { parseCertificateTemplate } from '../render/certificate/template.js';
import { useDeflate } from '../render/deflate.js';
import { parseVerificationRecordTemplate, type VerificationRecordTemplate } from '../render/verificationRecord/pdf.js';
import { parseApprovalFormTemplate, type ApprovalFormTemplate } from '../render/approvalForm/pdf.js';
import { createBetterSqliteDriver } from '../storage/drivers/betterSqlite.js';
import { applyMigrations } from '../storage/migrate.js';
import type { SqlDriver } from '../storage/driver.js';
import { memoryBlobStore, type BlobStore } from '../storage/blobs.js';
import { checkBlobs, type BlobCheckReport } from '../storage/blobCheck.js';
import { blobDirectoryOf, directoryBlobStore } from './blobDirectory.js';
import type { AppDeps } from '../http/env.js';
import type { ServiceConfig } from './config.js';
import { readKeyBundle } from './keysDir.js';
import { createDeps } from './deps.js';
import { loadServiceSigner } from './serviceKey.js';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DEMO_KEYS = join(PROJECT_ROOT, 'keys.example');
const require = createRequire(import.meta.url);

export function openDatabase(path: string): { db: Database.Database; driver: SqlDriver } {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Checkpoint the WAL every 4,000 pages (16 MiB) instead of SQLite's 1,000: an append rewrites the same hot
  // pages (the tables' and indexes' last leaves) over and over, so a checkpoint four times rarer copies far
  // fewer pages back and syncs four times less. Measured with bench/log.ts (10,000 appends one after another,
  // 2 cores, 2026-12-07): 2,700–3,500 → 3,200–4,400 appends/s, 280 → 250 µs CPU each; never checkpointing
  // gained nothing more.
  db.pragma('wal_autocheckpoint = 4000');
  return { db, driver: createBetterSqliteDriver(db) };
}

export function migrationsFromDisk() {
  const dir = join(PROJECT_ROOT, 'src/storage/migrations');
  return readdirSync(dir)
    .filter((name) => /^\d{4}_.+\.sql$/.test(name))
    .map((name) => ({ name, sql: readFileSync(join(dir, name), 'utf8') }));
}

/** Noto Serif SC from its npm package, and the Ext-B+ fallback kept in templates/fonts/. */
export function fontPaths(): { primary: string; fallback: string } {
  return {
    primary: require.resolve('@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf'),
    fallback: join(PROJECT_ROOT, 'templates/fonts/NotoSerifCJKsc-Fallback.ttf'),
  };
}

export function loadFonts() {
  const { primary, fallback } = fontPaths();
  return async () => ({ primary: new Uint8Array(readFileSync(primary)), fallback: new Uint8Array(readFileSync(fallback)) });
}

/**
 * PDFs made in this process deflate with node:zlib instead of fflate (render/deflate.ts useDeflate):
 * in a profile of 300 signed certificate renders deflate was 11.5% of samples (font subset 7.8%, page
 * contents 3.7%), and node:zlib renders a certificate ~1.5 ms (15%) faster, 1.5% smaller.
 */
export function useNodeDeflate(): void {
  useDeflate((bytes, level) => {
    const out = deflateSync(bytes, { level });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  });
}

export function loadRecordTemplate(): VerificationRecordTemplate {
  return parseVerificationRecordTemplate(JSON.parse(readFileSync(join(PROJECT_ROOT, 'templates/verification-record.json'), 'utf8')));
}

export function loadFormTemplate(): ApprovalFormTemplate {
  return parseApprovalFormTemplate(JSON.parse(readFileSync(join(PROJECT_ROOT, 'templates/approval-form.json'), 'utf8')));
}

export function loadTemplate(): CertificateTemplate {
  // Checked at start: a broken layout stops the service with the bad key named, not the first issuance.
  return parseCertificateTemplate(JSON.parse(readFileSync(join(PROJECT_ROOT, 'templates/certificate.json'), 'utf8')));
}

/** Refuses the public demo keys in production, by path and (in loadTrustStore) by the demo root's marker. */
export async function loadKeys(dir: string, production: boolean): Promise<TrustStore> {
  if (production && existsSync(dir) && realpathSync(dir) === realpathSync(DEMO_KEYS)) {
    throw new DomainError('demo_keys_in_production', {
      zh: 'keys.example/ 中的演示密钥是公开的，生产模式下拒绝使用；请用 `npm run cli -- keys init` 生成真实密钥并设置 ECERT_KEYS',
      en: 'The demo keys in keys.example/ are public and refused in production; make real keys with `npm run cli -- keys init` and set ECERT_KEYS',
    });
  }
  const trust = await loadTrustStore(await readKeyBundle(dir), { production });
  // A production server that cannot sign or verify anything is a mistake, not a state to serve in.
  if (production && trust.authorities.length === 0) {
    throw new DomainError('keys_unavailable', {
      zh: `密钥目录 ${dir} 中没有签发机构证书；请用 \`npm run cli -- authority add\` 添加`,
      en: `the key directory ${dir} holds no issuing authority; add one with \`npm run cli -- authority add\``,
    });
  }
  return trust;
}

/**
 * The seal master key from its file (issue 16), or undefined when there is none (no seal can be made or used
 * then). The demo one in keys.example/ is refused in production, by path and by its id (crypto/sealVault.ts).
 */
export async function loadSealMasterKeyFile(path: string, production: boolean): Promise<SealMasterKey | undefined> {
  if (!existsSync(path)) return undefined;
  if (production && realpathSync(dirname(path)) === realpathSync(DEMO_KEYS)) {
    throw new DomainError('demo_keys_in_production', {
      zh: 'keys.example/ 中的演示电子印章主密钥是公开的，生产模式下拒绝使用；请用 `npm run cli -- seal master-key` 生成并设置 ECERT_SEAL_MASTER_KEY_FILE',
      en: 'The demo seal master key in keys.example/ is public and refused in production; make one with `npm run cli -- seal master-key` and set ECERT_SEAL_MASTER_KEY_FILE',
    });
  }
  return importSealMasterKey(readFileSync(path, 'utf8'), { production });
}

export interface NodeContext {
  deps: AppDeps;
  db: Database.Database;
  /** The files beside the database (`<db>.blobs/`): PDFs, photos, evidence, materials. */
  blobs: BlobStore;
  /** Compares the blob store with the rows that name its files; `hash` reads and hashes every file. */
  checkBlobs(options: { hash: boolean; deleteOrphans?: boolean }): Promise<BlobCheckReport>;
  close(): void;
}

/**
 * The blob store of a database file: the directory beside it; in memory for `:memory:` (tests). `readOnly` for
 * the checks (`log check`, `blobs check`): they create and write nothing, so they run on a read-only backup.
 */
export function openBlobStore(dbPath: string, options: { readOnly?: boolean } = {}): BlobStore {
  return dbPath === ':memory:' ? memoryBlobStore() : directoryBlobStore(blobDirectoryOf(resolve(dbPath)), options);
}

/** Opens the database, applies migrations, loads keys and registers every authority as an organisation. */
export async function openNodeContext(config: ServiceConfig, now: () => Date = () => new Date()): Promise<NodeContext> {
  useNodeDeflate();
  const { db, driver } = openDatabase(config.db);
  await applyMigrations(driver, migrationsFromDisk());
  const blobs = openBlobStore(config.db);
  const deps = createDeps({
    driver,
    blobs,
    loadTrust: () => loadKeys(config.keys, config.production),
    fonts: new FontSet(loadFonts()),
    template: loadTemplate(),
    recordTemplate: loadRecordTemplate(),
    formTemplate: loadFormTemplate(),
    config,
    clientAddress: () => 'unknown',
    now,
    loadLogSigner: () => loadServiceSigner(config.keys),
    loadSealMasterKey: () => loadSealMasterKeyFile(config.sealMasterKeyFile, config.production),
    // The chains' SHA-256 without a round trip through WebCrypto's thread pool: the same bytes, the same hash.
    sha256hex: (text) => (oneShotHash ? oneShotHash('sha256', text, 'hex') : createHash('sha256').update(text, 'utf8').digest('hex')),
  });
  await deps.trust(); // bad keys stop start-up here, with the reason
  await deps.sealMasterKey?.(); // and so does the demo seal master key in production
  await deps.db.chain.seal(); // rows written before migration 0007 are chained now, before the first request
  return {
    deps,
    db,
    blobs,
    checkBlobs: (options) => checkBlobs(blobs, () => [deps.certificates.blobRefs(), deps.verificationRecords.blobRefs(), deps.approvalForms.blobRefs()], options),
    close: () => db.close(),
  };
}
