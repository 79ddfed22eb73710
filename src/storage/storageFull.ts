/**
 * @module storage/storageFull
 * A full disk, as the chain writer (storage/chainWriter) sees it: any write refused for lack of space marks
 * storage full (507 storage_full for the client, /healthz not ready) until a write — or the readiness probe —
 * as large as the refused one succeeds, since a small write can slip into space a large one cannot use.
 */
import { StorageFullError, type SqlDriver, type Statement } from './driver.js';
import { MAX_PROBE_BYTES } from './chainWriterOptions.js';

/** Bytes a batch asks the database for, roughly: what a probe must fit before storage counts as writable again. */
function sizeOf(statements: readonly Statement[]): number {
  let bytes = 0;
  for (const s of statements) for (const p of s.params) bytes += p instanceof Uint8Array ? p.byteLength : typeof p === 'string' ? p.length * 3 : 8;
  return bytes;
}

export class SpaceWatch {
  /** The size of the last write refused for lack of space, until a write (or a probe that large) succeeds. */
  private fullSince: { bytes: number } | undefined;

  /** A write refused for lack of space: storage stays "full" until one as large succeeds. */
  refused(statements: readonly Statement[]): void {
    this.fullSince = { bytes: Math.min(MAX_PROBE_BYTES, Math.max(this.fullSince?.bytes ?? 0, sizeOf(statements), 4096)) };
  }

  wrote(statements: readonly Statement[]): void {
    if (this.fullSince && sizeOf(statements) >= this.fullSince.bytes) this.fullSince = undefined;
  }

  /**
   * Proves the database takes a write now: upserts one small row, which never grows the database. After a
   * write was refused for lack of space, the probe must also fit as many bytes as that write (up to 1 MiB)
   * before storage counts as writable again — a small write can slip into space a large one cannot use.
   * Throws StorageFullError (or the database's own error) when it cannot write.
   */
  async probe(db: SqlDriver, at: string): Promise<void> {
    const bytes = this.fullSince?.bytes ?? 0;
    const upsert = 'INSERT INTO service_health (id, probed_at, filler) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at, filler = excluded.filler';
    try {
      await db.run(upsert, [at, bytes > 0 ? new Uint8Array(bytes) : null]);
      if (bytes > 0) await db.run(upsert, [at, null]); // the space is there: give it back to the database
      this.fullSince = undefined;
    } catch (error) {
      if (error instanceof StorageFullError) this.fullSince = { bytes: Math.max(bytes, 4096) };
      throw error;
    }
  }
}
