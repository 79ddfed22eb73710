/**
 * @module cli/blobsCheck
 * `npm run cli -- blobs check`: opens only what it compares — the SQLite file read-only and the blob directory
 * beside it (read-only too, unless `--delete-orphans`) — never the service: no migrations, no keys, so it runs
 * on a backup as it was taken, with the keys kept elsewhere.
 */
import Database from 'better-sqlite3';
import { openBlobStore } from '../entry/nodeContext.js';
import { checkBlobs, type BlobCheckReport } from '../storage/blobCheck.js';
import { CertificateRepository } from '../storage/certificates.js';
import { createBetterSqliteDriver } from '../storage/drivers/betterSqlite.js';
import { VerificationRecordRepository } from '../storage/verificationRecords.js';

/** @example const report = await checkBlobsOf('data/ecert.db', { deleteOrphans: false }); */
export async function checkBlobsOf(dbPath: string, options: { deleteOrphans: boolean }): Promise<BlobCheckReport> {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
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
    return await checkBlobs(blobs, () => [certificates.blobRefs(), records.blobRefs()], { hash: true, deleteOrphans: options.deleteOrphans });
  } finally {
    db.close();
  }
}
