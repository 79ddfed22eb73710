/**
 * @module cli/blobsCheck
 * `npm run cli -- blobs check`: opens only what it compares — the SQLite file read-only and the blob directory
 * beside it (read-only too, unless `--delete-orphans`) — never the service: no migrations, no keys, so it runs
 * on a backup as it was taken, with the keys kept elsewhere.
 */
import Database from 'better-sqlite3';
import { openBlobStore } from '../entry/nodeContext.js';
import { checkBlobs, type BlobCheckReport } from '../storage/blobCheck.js';
import { ApprovalFormRepository } from '../storage/approvalForms.js';
import { CertificateRepository } from '../storage/certificates.js';
import { createBetterSqliteDriver } from '../storage/drivers/betterSqlite.js';
import { VerificationRecordRepository } from '../storage/verificationRecords.js';

const READ_ONLY_WAL =
  '数据库处于 WAL 模式，SQLite 需要在其所在目录创建 -shm 文件，而该目录只读：请把备份复制到可写的目录再检查\n' +
  'The database is in WAL mode, and SQLite must create its -shm file in a folder that is read-only here: copy the backup to a writable folder and check it there';

function openReadOnly(dbPath: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(dbPath, { readonly: true, fileMustExist: true });
    db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
    return db;
  } catch (error) {
    db?.close();
    // A database in WAL mode needs its -shm file, which SQLite cannot create in a read-only folder.
    if ((error as { code?: string }).code?.startsWith('SQLITE_READONLY')) throw new Error(READ_ONLY_WAL);
    throw error;
  }
}

/** @example const report = await checkBlobsOf('data/ecert.db', { deleteOrphans: false }); */
export async function checkBlobsOf(dbPath: string, options: { deleteOrphans: boolean }): Promise<BlobCheckReport> {
  const db = openReadOnly(dbPath);
  try {
    // Rows name files from migration 0015 on; before it every file is inside the database and there is nothing to compare.
    const migrated = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'd1_migrations'").get() && db.prepare("SELECT 1 FROM d1_migrations WHERE name LIKE '0015%'").get();
    if (!migrated) {
      throw new Error(
        '数据库尚未应用迁移 0015（文件存储）：其中的文件都仍在数据库内，没有文件存储可检查；请先启动一次服务\n' +
          'The database predates migration 0015 (the blob store): its files are all still inside it and there is no blob store to check; start the service once first',
      );
    }
    const driver = createBetterSqliteDriver(db);
    const blobs = openBlobStore(dbPath, { readOnly: !options.deleteOrphans });
    const certificates = new CertificateRepository(driver, blobs);
    const records = new VerificationRecordRepository(driver, blobs);
    // The kept approval forms (migration 0019) name files too: without them their files would pass for orphans.
    const forms = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'approval_forms'").get() ? new ApprovalFormRepository(driver, blobs) : undefined;
    return await checkBlobs(blobs, () => [certificates.blobRefs(), records.blobRefs(), ...(forms ? [forms.blobRefs()] : [])], { hash: true, deleteOrphans: options.deleteOrphans });
  } finally {
    db.close();
  }
}
