/**
 * @module entry/blobDirectory
 * The blob store on Node (storage/blobs.ts): a directory beside the SQLite file, `<db>.blobs/ab/cd/<sha256>`.
 * A file is written to `tmp/`, fsync'd, renamed into place and its directory fsync'd before `put` returns —
 * so it is on disk before the row that names it commits (issue 15). A file already there under that name is
 * read back first: kept (and fsync'd again) only when it holds the very bytes, replaced otherwise. A file
 * left in `tmp/` by a crash before its rename is listed by `staged` (for `blobs check`). A full disk is storage_full (507), as
 * for the database. Node APIs, so it lives in entry/.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isBlobName, watchingForFullDisk, type BlobRef, type BlobStore, type StagedFile } from '../storage/blobs.js';
import { StorageFullError } from '../storage/driver.js';

/** The directory of a database file's blobs: `data/ecert.db` → `data/ecert.db.blobs`. */
export function blobDirectoryOf(dbPath: string): string {
  return `${dbPath}.blobs`;
}

function full(error: unknown): unknown {
  const code = (error as { code?: string }).code;
  return code === 'ENOSPC' || code === 'EDQUOT' ? new StorageFullError((error as Error).message) : error;
}

/** fsync of a file or a folder (a folder's entries: a rename into it is on disk only once it is synced). */
async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Whether the file at `path` holds exactly `bytes` (absent, another length or other bytes: no). */
async function intact(path: string, bytes: Uint8Array): Promise<boolean> {
  const existing = await stat(path).catch(() => undefined);
  if (!existing?.isFile() || existing.size !== bytes.length) return false;
  const stored = await readFile(path).catch(() => undefined);
  return stored !== undefined && stored.equals(bytes);
}

/** Whether anything is stored at `path`. */
const exists = async (path: string) => (await stat(path).catch(() => undefined)) !== undefined;

/**
 * `readOnly` (the checks, which may run on a read-only copy of a backup): nothing is ever created or written —
 * put and delete refuse. Otherwise too, nothing is created before the first write (not even `tmp/`).
 * @example const blobs = directoryBlobStore('data/ecert.db.blobs');
 */
export function directoryBlobStore(root: string, options: { readOnly?: boolean } = {}): BlobStore {
  const tmp = join(root, 'tmp');
  const refuseIfReadOnly = () => {
    if (options.readOnly) throw new Error(`the blob store ${root} is open read-only (a check): nothing is written or deleted`);
  };
  const writable = async () => {
    refuseIfReadOnly();
    await mkdir(tmp, { recursive: true });
  };
  const folderOf = (sha256: string) => join(root, sha256.slice(0, 2), sha256.slice(2, 4));
  const pathOf = (sha256: string) => join(folderOf(sha256), sha256);
  /** A file's folder `root/ab/cd` and its parents `root/ab` and `root`, fsync'd: every name leading to the file is on disk. */
  const syncFolders = async (sha256: string) => {
    for (const folder of [folderOf(sha256), join(root, sha256.slice(0, 2)), root]) await fsyncPath(folder);
  };

  const store: BlobStore = {
    async put(bytes, known) {
      refuseIfReadOnly();
      const sha256 = known ?? createHash('sha256').update(bytes).digest('hex');
      if (!isBlobName(sha256)) throw new Error(`not a SHA-256 file name: ${sha256}`);
      const target = pathOf(sha256);
      // Content-addressed: a file of that name may be these bytes already. It is trusted only once read back whole —
      // a damaged copy (same length, other bytes) is replaced below — and fsync'd with its folders, since the
      // process that wrote it may have crashed before its own fsync: the row that names it commits after this.
      if (await intact(target, bytes)) {
        try {
          await fsyncPath(target);
          await syncFolders(sha256);
        } catch (error) {
          throw full(error);
        }
        return { sha256, length: bytes.length };
      }
      // A file of that name that differs is replaced below — only by bytes that truly have that name: a caller's
      // wrong digest must never overwrite a good file other rows name.
      if (known !== undefined && (await exists(target)) && createHash('sha256').update(bytes).digest('hex') !== known) {
        throw new Error(`the digest given for these bytes is not theirs (${known}): nothing was written`);
      }
      const staged = join(tmp, `${sha256}.${randomUUID()}`);
      try {
        await writable();
        const handle = await open(staged, 'wx', 0o600);
        try {
          await handle.writeFile(bytes);
          await handle.sync();
        } finally {
          await handle.close();
        }
        const folder = folderOf(sha256);
        const created = await mkdir(folder, { recursive: true });
        await rename(staged, target); // over a damaged copy, if there was one
        // A folder made just now must itself be on disk: fsync its parents up to the root too.
        if (created) await syncFolders(sha256);
        else await fsyncPath(folder);
      } catch (error) {
        await unlink(staged).catch(() => undefined);
        throw full(error);
      }
      return { sha256, length: bytes.length };
    },
    async get(sha256) {
      if (!isBlobName(sha256)) return undefined;
      try {
        return new Uint8Array(await readFile(pathOf(sha256)));
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async *list(): AsyncGenerator<BlobRef> {
      const names = async (path: string) => readdir(path).catch(() => [] as string[]);
      for (const a of (await names(root)).sort()) {
        if (!/^[0-9a-f]{2}$/.test(a)) continue;
        for (const b of (await names(join(root, a))).sort()) {
          for (const name of (await names(join(root, a, b))).sort()) {
            if (!isBlobName(name)) continue;
            const info = await stat(join(root, a, b, name)).catch(() => undefined);
            if (info?.isFile()) yield { sha256: name, length: info.size };
          }
        }
      }
    },
    async delete(sha256) {
      refuseIfReadOnly();
      if (isBlobName(sha256)) await rm(pathOf(sha256), { force: true });
    },
    async *staged(): AsyncGenerator<StagedFile> {
      for (const name of (await readdir(tmp).catch(() => [] as string[])).sort()) {
        const info = await stat(join(tmp, name)).catch(() => undefined);
        if (info?.isFile()) yield { name, length: info.size, modifiedAt: info.mtimeMs };
      }
    },
    async deleteStaged(name) {
      refuseIfReadOnly();
      if (/^[\w.-]+$/.test(name) && !name.startsWith('.')) await rm(join(tmp, name), { force: true });
    },
  };
  // After a refused put, /healthz is ready again only once a file as large fits (written, fsync'd, removed).
  return watchingForFullDisk(store, async (bytes) => {
    const probe = join(tmp, `probe.${randomUUID()}`);
    try {
      await writable();
      const handle = await open(probe, 'wx', 0o600);
      try {
        await handle.writeFile(new Uint8Array(bytes));
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw full(error);
    } finally {
      await unlink(probe).catch(() => undefined);
    }
  });
}
