/**
 * @module storage/sightingBuffer
 * Recording who verified a holder without slowing the verifier (issue 17 item 4): `add` only pushes to an
 * in-memory list; `flush` writes what is there in one batch. The list is bounded: when `capacity` entries
 * already wait, a new one is dropped and counted, with a warning at most once per `warnEveryMs` — the public
 * page never waits on, or fails because of, this log. A flush that fails is logged and its entries dropped
 * (never retried into an ever-growing list). Node flushes on a timer, at `maxBatch` entries and on shutdown
 * (entry/node.ts); Workers after each request with `waitUntil` (entry/worker.ts).
 */
import type { Sighting } from '../domain/verificationSighting.js';
import type { SqlDriver } from './driver.js';
import { SightingRepository } from './verificationSightings.js';

export interface SightingBufferOptions {
  /** Entries that trigger a flush at once (Node: 500). */
  maxBatch: number;
  /** Entries waiting at most; beyond it new ones are dropped and counted. */
  capacity: number;
  log: (message: string, error?: unknown) => void;
  warnEveryMs?: number;
}

/**
 * @example
 * const buffer = new SightingBuffer(driver, { maxBatch: 500, capacity: 10_000, log });
 * buffer.add({ at, channel: 'qr', certificateNumber }); // returns at once
 * await buffer.flush(); // one batch
 */
export class SightingBuffer {
  private pending: Sighting[] = [];
  private writing: Promise<void> = Promise.resolve();
  /** Entries dropped because the buffer was full, or their flush failed, since start. */
  dropped = 0;
  private lastWarned = Number.NEGATIVE_INFINITY;
  private readonly repo: SightingRepository;

  constructor(
    db: SqlDriver,
    private readonly options: SightingBufferOptions,
  ) {
    this.repo = new SightingRepository(db);
  }

  /** Entries waiting to be written. */
  get size(): number {
    return this.pending.length;
  }

  /** Keeps one sighting for the next flush; never throws, never waits. */
  add(sighting: Sighting): void {
    if (this.pending.length >= this.options.capacity) {
      this.dropped += 1;
      const now = Date.now();
      if (now - this.lastWarned >= (this.options.warnEveryMs ?? 60_000)) {
        this.lastWarned = now;
        this.options.log(`核验记录缓冲已满，已丢弃 ${this.dropped} 条 / verification log buffer full (${this.options.capacity}): ${this.dropped} entries dropped so far`);
      }
      return;
    }
    this.pending.push(sighting);
    if (this.pending.length >= this.options.maxBatch) void this.flush();
  }

  /** Writes what waits, one batch of at most `maxBatch` after another, after any flush already running; never rejects. */
  flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.options.maxBatch);
        try {
          await this.repo.insertAll(batch);
        } catch (error) {
          this.dropped += batch.length;
          this.options.log(`核验记录未能写入，已丢弃 ${batch.length} 条 / verification log flush failed, ${batch.length} entries dropped`, error);
        }
      }
    });
    return this.writing;
  }
}
