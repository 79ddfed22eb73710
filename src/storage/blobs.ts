/**
 * @module storage/blobs
 * Large files out of the database (issue 15): certificate PDFs, photos, the 核实 log's evidence and the
 * applications' materials are kept in a content-addressed blob store — a directory beside the SQLite file on
 * Node (entry/blobDirectory.ts), R2 on Workers (r2BlobStore below) — and the rows keep only each file's
 * SHA-256 and length. A file is stored before the row that names it is written, so a crash leaves at worst
 * an orphan (reported by `blobs check`), never a row without its file. Every read is checked against the
 * row's SHA-256 and length: a missing or altered file is refused in words (503 file_damaged), never served.
 */
import { DomainError, type Message } from '../domain/errors.js';
import { sha256Hex } from '../lib/bytes.js';
import { StorageFullError } from './driver.js';

/** What a row keeps of a stored file. */
export interface BlobRef {
  /** SHA-256 of the bytes, lower-case hex: also the file's name in the store. */
  sha256: string;
  length: number;
}

/** A file left in the store's staging folder (`tmp/`) by a write that never finished. */
export interface StagedFile {
  name: string;
  length: number;
  /** When it was last written (ms since the epoch): a younger file may be a write still in flight. */
  modifiedAt: number;
}

/** A staged file younger than this may belong to a write in flight, so it is never deleted: 10 minutes. */
export const STAGED_GRACE_MS = 10 * 60_000;

export interface BlobStore {
  /**
   * Stores the bytes durably (on Node: written, fsync'd, renamed into place) and returns their address. `sha256`:
   * their digest when the caller has just computed it (hashed once); R2 checks it on upload, and every read is
   * checked against the row, so a wrong one is never served.
   */
  put(bytes: Uint8Array, sha256?: string): Promise<BlobRef>;
  /** The stored bytes, unchecked; undefined when no file has that name. */
  get(sha256: string): Promise<Uint8Array | undefined>;
  /** Every stored file, with its length (what `blobs check` compares with the rows). */
  list(): AsyncIterable<BlobRef>;
  /** Removes a file: only `blobs check --delete-orphans` does, for files no row names. */
  delete(sha256: string): Promise<void>;
  /** Files a write staged and never moved into place (a crash between the two): the directory's `tmp/` only. */
  staged?(): AsyncIterable<StagedFile>;
  /** Removes a staged file: only `blobs check --delete-orphans` does, for files older than STAGED_GRACE_MS. */
  deleteStaged?(name: string): Promise<void>;
  /** For readiness: throws StorageFullError while a put was refused for lack of space and that much space is not back. */
  probe?(): Promise<void>;
  /** The database refused (for lack of space) the write that names files of `bytes` in all: the probe must fit as much. */
  refused?(bytes: number): void;
}

/** Tells the store that the database refused a write naming `files` for lack of space (the files took the room). */
export function noteRefused(blobs: BlobStore, files: readonly { length: number }[], error: unknown): void {
  if (error instanceof StorageFullError && files.length > 0) blobs.refused?.(files.reduce((n, f) => n + f.length, 0));
}

/**
 * Watches a store for a full disk, as the chain writer watches the database (C12): after a put is refused
 * for lack of space, `probe` (run by /healthz) stays storage_full until `tryWrite` fits as many bytes again
 * (at most 1 MiB) — a small write can slip into space a large one cannot use.
 */
export function watchingForFullDisk(store: BlobStore, tryWrite: (bytes: number) => Promise<void>): BlobStore {
  let fullSince: number | undefined;
  const refused = (bytes: number) => (fullSince = Math.min(1024 * 1024, Math.max(fullSince ?? 0, bytes, 4096)));
  return {
    ...store,
    refused,
    async put(bytes, sha256) {
      try {
        const ref = await store.put(bytes, sha256);
        if (fullSince !== undefined && bytes.length >= fullSince) fullSince = undefined;
        return ref;
      } catch (error) {
        if (error instanceof StorageFullError) refused(bytes.length);
        throw error;
      }
    },
    async probe() {
      if (fullSince === undefined) return;
      await tryWrite(fullSince); // throws StorageFullError while the space is not there
      fullSince = undefined;
    },
  };
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A name the store accepts: 64 lower-case hex digits, so a name can never climb out of the store's directory. */
export function isBlobName(sha256: string): boolean {
  return SHA256_HEX.test(sha256);
}

/** A stored file is missing or no longer matches its row: answered 503 in words, and logged for the operator. */
export class FileDamagedError extends DomainError {
  constructor(what: Message, sha256: string, problem: 'missing' | 'altered') {
    super(
      'file_damaged',
      {
        zh: `文件已损坏/缺失：所请求的${what.zh}${problem === 'missing' ? '在文件存储中找不到' : '与登记的校验值不符'}，为免提供错误内容，本次不予下载。请联系系统管理员（运行 blobs check）。`,
        en: `The file is damaged or missing: the requested ${what.en} ${problem === 'missing' ? 'is not in the file store' : 'does not match its recorded checksum'}, so it is not served rather than served wrong. Ask the administrator (run blobs check).`,
      },
      undefined,
      { sha256 },
    );
    this.name = 'FileDamagedError';
  }
}

/**
 * Reads a file named by a row and checks it against the row's SHA-256 and length; refuses (and logs) a
 * missing or altered one. `what` names the file for the reader, e.g. 证书 PDF / certificate PDF.
 * @example const pdf = await readChecked(blobs, { sha256, length }, { zh: '证书 PDF', en: 'certificate PDF' });
 */
export async function readChecked(blobs: BlobStore, ref: BlobRef, what: Message): Promise<Uint8Array> {
  return checked(isBlobName(ref.sha256) ? await blobs.get(ref.sha256) : undefined, ref, what);
}

/** The bytes when they are the row's file (SHA-256 and length); otherwise FileDamagedError, logged for the operator. */
export async function checked(bytes: Uint8Array | undefined, ref: BlobRef, what: Message): Promise<Uint8Array> {
  const problem = !bytes ? 'missing' : bytes.length !== ref.length || (await sha256Hex(bytes)) !== ref.sha256 ? 'altered' : undefined;
  if (!problem) return bytes!;
  console.error(`[ecert] file_damaged: ${what.en} ${ref.sha256} is ${problem} in the blob store (expected ${ref.length} bytes)`);
  throw new FileDamagedError(what, ref.sha256, problem);
}

/** A store in memory: for tests and benchmarks that run on `:memory:` databases, never for a service. */
export function memoryBlobStore(): BlobStore {
  const files = new Map<string, Uint8Array>();
  return {
    async put(bytes, known) {
      const sha256 = known ?? (await sha256Hex(bytes));
      if (!files.has(sha256)) files.set(sha256, bytes.slice());
      return { sha256, length: bytes.length };
    },
    async get(sha256) {
      const bytes = files.get(sha256);
      return bytes ? bytes.slice() : undefined;
    },
    async *list() {
      for (const [sha256, bytes] of files) yield { sha256, length: bytes.length };
    },
    async delete(sha256) {
      files.delete(sha256);
    },
  };
}

/** The part of an R2 bucket binding this store uses (so the core needs no Workers type package). */
export interface R2BucketLike {
  put(key: string, value: Uint8Array, options?: { sha256?: string }): Promise<unknown>;
  get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | null>;
  head(key: string): Promise<{ size: number } | null>;
  list(options?: { prefix?: string; cursor?: string; limit?: number }): Promise<{ objects: { key: string; size: number }[]; truncated: boolean; cursor?: string }>;
  delete(key: string): Promise<void>;
}

/** Keys under one prefix, so the bucket may hold other things later. */
const R2_PREFIX = 'sha256/';

/**
 * The store on Workers: one R2 object per file, keyed by its SHA-256. R2 checks the SHA-256 it is given on
 * upload, so a put that lands holds exactly these bytes. A write that does not fit (a full local disk under
 * `wrangler dev`, an account over its limit) is storage_full, as for the database.
 * @example const blobs = r2BlobStore(env.BLOBS);
 */
export function r2BlobStore(bucket: R2BucketLike): BlobStore {
  const full = (error: unknown) => {
    const message = error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? '')}` : String(error);
    return /ENOSPC|no space|disk is full|SQLITE_FULL|exceeded|quota/i.test(message) ? new StorageFullError(message) : error;
  };
  const store: BlobStore = {
    async put(bytes, known) {
      const sha256 = known ?? (await sha256Hex(bytes));
      const key = R2_PREFIX + sha256;
      if (!(await bucket.head(key))) {
        try {
          await bucket.put(key, bytes, { sha256 });
        } catch (error) {
          throw full(error);
        }
      }
      return { sha256, length: bytes.length };
    },
    async get(sha256) {
      const object = await bucket.get(R2_PREFIX + sha256);
      return object ? new Uint8Array(await object.arrayBuffer()) : undefined;
    },
    async *list() {
      for (let cursor: string | undefined; ; ) {
        const page = await bucket.list({ prefix: R2_PREFIX, limit: 1000, ...(cursor ? { cursor } : {}) });
        for (const object of page.objects) yield { sha256: object.key.slice(R2_PREFIX.length), length: object.size };
        if (!page.truncated || !page.cursor) return;
        cursor = page.cursor;
      }
    },
    async delete(sha256) {
      await bucket.delete(R2_PREFIX + sha256);
    },
  };
  // The probe writes outside the sha256/ prefix, so it is never taken for a stored file.
  return watchingForFullDisk(store, async (bytes) => {
    try {
      await bucket.put('probe/space', new Uint8Array(bytes));
      await bucket.delete('probe/space');
    } catch (error) {
      // The probe runs only after a write was refused for lack of space; a put that still fails, whatever its
      // words (a local bucket under wrangler dev reports a full disk as an internal error), means no room yet.
      const mapped = full(error);
      throw mapped instanceof StorageFullError ? mapped : new StorageFullError(String((error as Error)?.message ?? error));
    }
  });
}
