/**
 * @module storage/chainWriter
 * Every write of the service passes through one ServiceDriver per database. A write that adds to a chained
 * log (a 核实 record, an audit row, a step of a case — storage/chainLogs.ts) is queued behind the others of
 * this process, so no two read the same tip: the writer links each row to the tip of its log, hashes it,
 * signs a head when one is due (domain headDue) and writes everything in one batch — while others wait, the
 * writes of a run share one transaction (group commit, each answered once it committed). Another process or
 * isolate on the same database (D1 runs several isolates) can still take a place first; the `seq` key
 * refuses the second write, and the writer reads the tips again and retries with jitter, a bounded number
 * of times, then answers busy (503 + Retry-After) — never a 500; a locked or overloaded database is answered
 * busy at once. The queue is bounded in length and in time: past MAX_QUEUED waiting, or DEADLINE_MS after a
 * write was queued, the client is answered busy and the next write goes on. A head the service key cannot
 * sign never refuses a write: it is owed and signed later at its place. It also notices a full disk (507)
 * and offers /healthz a write probe that stays failed until a write as large as the one refused fits again.
 * Heads and what is owed live in storage/chainHeads, sealing old rows in storage/chainSeal, the full disk in
 * storage/storageFull.
 */
import { chainText, headDue, type LogName } from '../domain/recordChain.js';
import { headStatement, LOG_SPECS, readTip, type ChainTip } from './chainLogs.js';
import { ConstraintError, StorageBusyError, StorageFullError, type ChainedRow, type SqlDriver, type Statement } from './driver.js';
import { DEADLINE_MS, defaultBackoff, MAX_QUEUED, type ChainWriterOptions, type HeadSigning, type OwedHead, type PlacedRow } from './chainWriterOptions.js';
import { HeadLedger } from './chainHeads.js';
import { sealLegacyRows } from './chainSeal.js';
import { SpaceWatch } from './storageFull.js';
import { Queue, type Turn } from './writeQueue.js';

/** Writes committed in one transaction at most (group commit): a batch stays small for D1 and quick for SQLite. */
export const MAX_GROUP = 64;

/** A placed write parked for the write after it to commit (group commit). */
interface Member {
  build: (place: (row: ChainedRow) => Promise<PlacedRow>) => Promise<{ statements: readonly Statement[]; result: unknown }>;
  turn: Turn;
  written: Statement[];
  heads: Statement[];
  paid: number;
  owedNow: OwedHead[];
  result: unknown;
  resolve(outcome: { result: unknown; changes: { changes: number }[] }): void;
  reject(error: unknown): void;
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/**
 * Places chained rows, queues the writes of this process, retries lost races and tracks a full disk.
 * @example
 * const writer = new ChainWriter(driver, { sha256hex: sha256Hex, signHead });
 * await writer.batch([ctx.audit.statement(event)]); // linked, hashed, signed when due
 */
export class ChainWriter {
  private readonly queue: Queue;
  private readonly tips = new Map<LogName, ChainTip>();
  /** Placed writes waiting for the write after them to commit them with its own (group commit). */
  private group: Member[] = [];
  private sealed: Promise<void> | undefined;
  private readonly maxAttempts: number;
  private readonly backoff: (attempt: number) => number;
  /** A full disk: noticed on any refused write, cleared by one as large that succeeds (storage/storageFull). */
  private readonly space = new SpaceWatch();
  private readonly log: (message: string, error?: unknown) => void;
  /** Heads signed beside their rows, and those owed while the signer fails (storage/chainHeads). */
  private readonly ledger: HeadLedger;

  constructor(
    private readonly db: SqlDriver,
    private readonly options: ChainWriterOptions,
  ) {
    this.maxAttempts = options.maxAttempts ?? 8;
    this.backoff = options.backoffMs ?? defaultBackoff;
    // An expired write may still be running: what this process remembers of the tips is no longer sure, and
    // the writes parked for it to commit are never written (the next write links after what the database holds).
    this.queue = new Queue(options.maxQueued ?? MAX_QUEUED, options.deadlineMs ?? DEADLINE_MS, () => {
      this.tips.clear();
      for (const m of this.takeGroup()) m.reject(new StorageBusyError('a chained write waited in a group whose turn ran out', 'not_saved'));
    });
    this.log = options.log ?? ((message, error) => console.error(`[ecert] ${message}`, error instanceof Error ? `${error.name}: ${error.message}` : ''));
    this.ledger = new HeadLedger(options, this.log);
  }

  /**
   * Writes `build`'s statements as one batch, alone among this process's chained writes, and returns what
   * `build` returned with the rows each statement changed (heads not counted). `build` may place rows itself
   * (to learn their place before writing what depends on it); statements that still carry a `chained` row
   * are placed in their order. It is called again for each attempt, so it must keep no state of its own.
   *
   * Group commit: while other writes wait for their turn, a placed write hands the turn on and parks its
   * statements; the next write links after them and the last of the run writes them all in one transaction
   * (at most MAX_GROUP), answering each only when that transaction committed — nothing is acknowledged
   * before it is in the database. A group the database refuses is written again one write at a time, so one
   * write's constraint (a reused idempotency key) never fails another.
   */
  async write<T>(
    build: (place: (row: ChainedRow) => Promise<PlacedRow>) => Promise<{ statements: readonly Statement[]; result: T }>,
  ): Promise<{ result: T; changes: { changes: number }[] }> {
    return this.queue.run(async (turn) => {
      let parked: Promise<{ result: T; changes: { changes: number }[] }> | undefined;
      try {
        await this.seal();
        const outcome = await this.attempt(build, turn, true);
        if ('parked' in outcome) parked = outcome.parked;
        else return outcome;
      } finally {
        // Writes parked before this one are never left behind: whoever holds the turn last writes them (when a
        // turn runs out they are answered busy, not saved, at once: the queue's onExpired above).
        if (!parked && !turn.expired && this.group.length > 0) await this.commit(this.takeGroup(), turn);
      }
      return parked;
    });
  }

  private takeGroup(): Member[] {
    const members = this.group;
    this.group = [];
    return members;
  }

  /** One write's attempts, in its turn; with `mayPark`, it may park its statements for the next write to commit. */
  private async attempt<T>(
    build: (place: (row: ChainedRow) => Promise<PlacedRow>) => Promise<{ statements: readonly Statement[]; result: T }>,
    turn: Turn,
    mayPark: boolean,
  ): Promise<{ result: T; changes: { changes: number }[] } | { parked: Promise<{ result: T; changes: { changes: number }[] }> }> {
    let resealed = false;
    for (let attempt = 1; ; attempt++) {
      const read = new Map<LogName, ChainTip>();
      const moved = new Map<LogName, ChainTip>();
      const heads: Statement[] = [];
      const owedNow: OwedHead[] = [];
      // Owed heads are paid by the first write of a group only (the others would pay the same ones again).
      const paid = this.ledger.owes && this.group.length === 0 ? await this.ledger.payOwed(heads) : 0;
      const place = async (row: ChainedRow): Promise<PlacedRow> => {
        let tip = moved.get(row.log);
        if (!tip) read.set(row.log, (tip = await this.tip(row.log)));
        const placed = await this.link(row, tip, heads, owedNow);
        moved.set(row.log, placed.tip);
        return placed;
      };
      let written: Statement[] = [];
      let group: Member[] = [];
      try {
        const { statements, result } = await build(place);
        // A row written only if a condition holds must be its log's last in the batch: nothing may link to it.
        const conditional = new Map<LogName, number>();
        written = [];
        for (const s of statements) {
          if (s.chained && conditional.has(s.chained.log)) throw new Error(`a conditional row must be the last of its log (${s.chained.log}) in a batch`);
          if (s.chained?.onlyIf) conditional.set(s.chained.log, written.length);
          written.push(s.chained ? (await place(s.chained)).statement : s);
        }
        // Its turn ran out (the caller was answered busy, the next write may have started): write nothing.
        if (turn.expired) throw new StorageBusyError('a chained write outlived its deadline before it wrote');
        if (mayPark && conditional.size === 0 && this.queue.queued > 0 && this.group.length < (this.options.maxGroup ?? MAX_GROUP) - 1) {
          // Others wait: park, let the next write link after these rows, and hear the outcome of the group's batch.
          for (const [log, tip] of moved) this.tips.set(log, tip);
          turn.writing = true;
          const parked = new Promise<{ result: T; changes: { changes: number }[] }>((resolve, reject) => {
            this.group.push({ build: build as Member['build'], turn, written, heads, paid, owedNow, result, resolve: resolve as Member['resolve'], reject });
          });
          turn.release();
          return { parked };
        }
        turn.writing = true;
        group = this.takeGroup();
        const all = [...group.flatMap((m) => m.written), ...written];
        const changes = await this.db.batch([...all, ...group.flatMap((m) => m.heads), ...heads]);
        this.space.wrote(all);
        let at = 0;
        for (const m of group) {
          this.ledger.settle(m.paid, m.owedNow);
          m.resolve({ result: m.result, changes: changes.slice(at, (at += m.written.length)) });
        }
        const own = changes.slice(at, at + written.length);
        this.ledger.settle(paid, owedNow);
        if (turn.expired) return { result, changes: own }; // landed late: the tips are read again by the next write
        // A conditional row that did not land leaves its log where it was: read the tip again next time.
        for (const [log, tip] of moved) {
          const i = conditional.get(log);
          if (i !== undefined && own[i]?.changes === 0) this.tips.delete(log);
          else this.tips.set(log, tip);
        }
        return { result, changes: own };
      } catch (error) {
        turn.writing = false;
        this.tips.clear();
        if (error instanceof StorageFullError) this.space.refused([...group.flatMap((m) => m.written), ...written]);
        if (group.length > 0) {
          // The group's batch was refused: nothing of it landed. Busy or full answers everyone; anything else
          // (one write's constraint) is sorted out by writing each again alone, in order.
          if (error instanceof StorageBusyError || error instanceof StorageFullError || turn.expired) {
            for (const m of group) m.reject(error);
            throw error;
          }
          await this.alone(group, turn);
          continue;
        }
        // Only a lost race is retried here; a busy database (the driver already waited, or D1 is overloaded) is answered busy at once.
        if (!(error instanceof ConstraintError)) throw error;
        if (!(await this.anyMoved(read))) {
          // The place may be held by a row without a hash (a process on older code wrote it): seal, then try again, once.
          if (resealed || turn.expired || !(await this.anyUnchained(read))) throw error;
          resealed = true;
          this.sealed = undefined;
          await this.seal();
          continue;
        }
        if (attempt >= this.maxAttempts || turn.expired) throw new StorageBusyError(`a chained write lost its place ${attempt} times: ${error.message}`);
        await sleep(this.backoff(attempt));
      }
    }
  }

  /**
   * Writes parked writes one at a time (their group was refused), each answered with its own outcome, in the
   * turn of `holder`: once that runs out, the rest are answered busy, not saved.
   */
  private async alone(members: readonly Member[], holder: Turn): Promise<void> {
    for (const m of members) {
      const turn: Turn = {
        get expired() {
          return m.turn.expired || holder.expired;
        },
        writing: false,
        release: () => undefined,
      };
      try {
        if (holder.expired) throw new StorageBusyError('a chained write waited in a group whose turn ran out', 'not_saved');
        m.resolve((await this.attempt(m.build, turn, false)) as { result: unknown; changes: { changes: number }[] });
      } catch (error) {
        m.reject(error);
      }
    }
  }

  /** Writes what parked writes left behind when the write after them did not write (it failed, or ran out of time). */
  private async commit(members: readonly Member[], holder: Turn): Promise<void> {
    if (members.length === 0) return;
    try {
      const all = members.flatMap((m) => m.written);
      const changes = await this.db.batch([...all, ...members.flatMap((m) => m.heads)]);
      this.space.wrote(all);
      let at = 0;
      for (const m of members) {
        this.ledger.settle(m.paid, m.owedNow);
        m.resolve({ result: m.result, changes: changes.slice(at, (at += m.written.length)) });
      }
    } catch (error) {
      this.tips.clear();
      if (error instanceof StorageFullError) this.space.refused(members.flatMap((m) => m.written));
      if (error instanceof StorageBusyError || error instanceof StorageFullError || holder.expired) for (const m of members) m.reject(error);
      else await this.alone(members, holder);
    }
  }

  /** Writes statements as one batch; through the queue when any carries a chained row. */
  async batch(statements: readonly Statement[]): Promise<{ changes: number }[]> {
    if (!statements.some((s) => s.chained)) return this.plain(() => this.db.batch(statements), statements);
    return (await this.write(async () => ({ statements, result: undefined }))).changes;
  }

  /** A write outside the chains, watched for a full disk. */
  async plain<T>(write: () => Promise<T>, statements: readonly Statement[]): Promise<T> {
    try {
      const result = await write();
      this.space.wrote(statements);
      return result;
    } catch (error) {
      if (error instanceof StorageFullError) this.space.refused(statements);
      throw error;
    }
  }

  /** Proves the database takes a write now (storage/storageFull: after a refusal, one as large as that write). */
  probe(at: string): Promise<void> {
    return this.space.probe(this.db, at);
  }

  /**
   * Chains the rows of the audit trail and the case history that have no hash (written before migration 0007,
   * or by a process on older code); once per process before the first chained write, and again when such a
   * row is found holding a place a write wanted.
   */
  seal(): Promise<void> {
    this.sealed ??= sealLegacyRows({
      db: this.db,
      maxAttempts: this.maxAttempts,
      backoff: this.backoff,
      link: (row, tip, heads, owed, sealing) => this.link(row, tip, heads, owed, sealing),
      forgetTip: (log) => this.tips.delete(log),
      settle: (paid, owed) => this.ledger.settle(paid, owed),
    }).catch((error: unknown) => {
      this.sealed = undefined;
      if (error instanceof StorageFullError || error instanceof StorageBusyError) throw error;
      // The client can only retry; the operator must hear of it (the error's name and text, never a row's values).
      this.log('sealing rows without a hash (before migration 0007, or by older code) failed; chained writes answer busy until it succeeds', error);
      throw new StorageBusyError(`sealing failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    return this.sealed;
  }

  /** Whether heads are being signed: readiness reports owed heads and the last failure. */
  headSigning(): HeadSigning {
    return this.ledger.state();
  }

  /** The tip of `log`: remembered after each write of this process, read again after any failure. */
  private async tip(log: LogName): Promise<ChainTip> {
    const known = this.tips.get(log);
    if (known) return known;
    const tip = await this.readTip(log);
    this.tips.set(log, tip);
    return tip;
  }

  private readTip(log: LogName): Promise<ChainTip> {
    return readTip(this.db, log);
  }

  private async anyUnchained(read: Map<LogName, ChainTip>): Promise<boolean> {
    for (const log of read.keys()) {
      const spec = LOG_SPECS[log];
      if (spec.legacyOrder && (await this.db.first(`SELECT 1 AS unchained FROM ${spec.table} WHERE hash IS NULL LIMIT 1`))) return true;
    }
    return false;
  }

  private async anyMoved(read: Map<LogName, ChainTip>): Promise<boolean> {
    for (const [log, tip] of read) {
      const now = await this.readTip(log);
      if (now.seq !== tip.seq || now.hash !== tip.hash) return true;
    }
    return false;
  }

  /**
   * Links `row` after `tip`: its place, hash and INSERT, and the head it carries when one is due — written
   * only if the row landed (`row.onlyIf`), or, when sealing, only beside the row it vouches for (`sealing`).
   */
  private async link(row: ChainedRow, tip: ChainTip, heads: Statement[], owed: OwedHead[], sealing?: (seq: number, hash: string) => Statement): Promise<PlacedRow & { tip: ChainTip }> {
    const seq = tip.seq + 1;
    const prevHash = tip.hash;
    const hash = await this.options.sha256hex(chainText(row.canonical(seq, prevHash)));
    let headAt = tip.headAt;
    if (this.options.signHead && headDue(seq, tip.headAt, row.at)) {
      // A signer that fails never refuses the write: the head is owed, signed later at this very place, and
      // the rule goes on from this row as `log check` will see it once the head is there.
      const head = this.ledger.resting() ? 'owed' : await this.ledger.sign(row.log, { seq, hash, count: seq });
      if (head === 'owed') {
        owed.push({ log: row.log, seq, hash });
        headAt = row.at;
      } else if (head) {
        heads.push(sealing ? headStatement(row.log, head, sealing(seq, hash), { orIgnore: true }) : headStatement(row.log, head, row.onlyIf));
        headAt = row.at;
      }
    }
    return { seq, prevHash, hash, statement: row.insert(seq, prevHash, hash), tip: { seq, hash, headAt } };
  }

}

/** The database as the services see it: every write through the chain writer, which the probe and the 核实 log reach as `chain`. */
export interface ServiceDriver extends SqlDriver {
  chain: ChainWriter;
}

/**
 * Wraps a driver so every write passes the chain writer: batches with chained rows are placed and queued,
 * other writes are only watched for a full disk. Reads pass straight through.
 * @example const driver = createServiceDriver(createD1Driver(env.DB), { sha256hex: sha256Hex, signHead });
 */
export function createServiceDriver(driver: SqlDriver, options: ChainWriterOptions): ServiceDriver {
  const chain = new ChainWriter(driver, options);
  return {
    chain,
    all: (text, params) => driver.all(text, params),
    first: (text, params) => driver.first(text, params),
    run: (text, params) => chain.plain(() => driver.run(text, params), [{ sql: text, params: params ?? [] }]),
    batch: (statements) => chain.batch(statements),
    exec: (text) => driver.exec(text),
  };
}
