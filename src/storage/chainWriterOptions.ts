/**
 * @module storage/chainWriterOptions
 * What the chain writer (storage/chainWriter) is given and reports: its options and their defaults (the
 * queue's bounds, retrying a head that could not be signed, sealing old rows, the write probe), a placed row,
 * and the state of head signing that readiness reports.
 */
import type { LogName } from '../domain/recordChain.js';
import type { SignedHead } from './chainLogs.js';
import type { Statement } from './driver.js';

/** A row placed in its log: where, after what, and the INSERT that puts it there. */
export interface PlacedRow {
  seq: number;
  prevHash: string;
  hash: string;
  statement: Statement;
}

export interface ChainWriterOptions {
  /** SHA-256 (hex) of a text's UTF-8: WebCrypto, or node:crypto on Node — the same bytes, the same hash. */
  sha256hex(text: string): string | Promise<string>;
  /** Signs a head of `log` when one is due; undefined when no service key is loaded (heads then go unsigned). */
  signHead?: ((log: LogName, head: { seq: number; hash: string; count: number }) => Promise<SignedHead | undefined>) | undefined;
  /** Attempts of one write that keeps losing its place to another process before it answers busy. */
  maxAttempts?: number;
  /** Waits between attempts (tests make them short). */
  backoffMs?: (attempt: number) => number;
  /** Chained writes that may wait for their turn; one more is answered busy at once. */
  maxQueued?: number;
  /**
   * Writes committed together at most (group commit, default MAX_GROUP); 1 writes each alone. Workers set 1:
   * a D1 batch counts every statement against the invocation's query limit, and a group would resolve other
   * requests' promises from one request's I/O.
   */
  maxGroup?: number;
  /** A chained write not done this long after it was queued is answered busy, and the next one starts. */
  deadlineMs?: number;
  /** After a head could not be signed, the writer tries again no sooner than this (the key may load from disk each time). */
  signRetryMs?: number;
  /** Tells the operator what the client is not told (a failed sealing, a head not signed): no statement values, no keys. */
  log?: (message: string, error?: unknown) => void;
}

/** Defaults: a queue longer than this (half a second of appends) answers busy (503) rather than making everyone wait … */
export const MAX_QUEUED = 1000;
/** … and a write is answered busy after this long (SQLite waits 5 s for a lock: the deadline leaves room for that). */
export const DEADLINE_MS = 10_000;

/** Defaults: a head that could not be signed is tried again after 30 s … */
export const SIGN_RETRY_MS = 30_000;
/** … and at most this many are remembered (each is a break `log check` reports until it is signed). */
export const MAX_OWED = 10_000;
/** Owed heads signed per write, so paying them back never makes one write slow. */
export const OWED_PER_WRITE = 20;

/** A head that was due but could not be signed: signed later, beside the row it vouches for. */
export interface OwedHead {
  log: LogName;
  seq: number;
  hash: string;
}

/** Whether signing heads works: what readiness reports. */
export interface HeadSigning {
  /** Heads due but not signed yet (this process's count; they are lost if it stops first). */
  owed: number;
  /** The last failure, while heads are owed: when (ISO 8601) and the error's text (no key material). */
  failure?: { at: string; message: string };
}

/** Rows sealed per batch when chaining rows written before migration 0007 (D1 keeps batches small). */
export const SEAL_BATCH = 100;
/** The largest write probe: D1 keeps at most 2,000,000 bytes in a row. */
export const MAX_PROBE_BYTES = 1024 * 1024;

/** Exponential backoff with full jitter: 5, 10, 20 … ms at most, capped at 250 ms. */
export const defaultBackoff = (attempt: number) => Math.random() * Math.min(250, 5 * 2 ** attempt);
