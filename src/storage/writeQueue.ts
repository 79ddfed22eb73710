/**
 * @module storage/writeQueue
 * The chain writer's queue (storage/chainWriter): chained writes of one process run one at a time, bounded
 * in length and in time, so one stuck or slow write cannot hold every later one.
 */
import { StorageBusyError } from './driver.js';

/** What a queued task is told: whether its turn ran out (it must then write nothing more). */
export interface Turn {
  expired: boolean;
  /** Set while its batch is with the database: past the deadline, its outcome is then unknown. */
  writing: boolean;
  /**
   * Hands the turn to the next task now, while this one still waits (for a batch the next one will write
   * with its own: group commit) — still bounded by its deadline.
   */
  release(): void;
}

/**
 * A FIFO of async tasks, one at a time, without a promise chain: at most `depth` wait (beyond it the
 * caller is answered busy at once), and a task not done `deadlineMs` after it was queued is answered busy —
 * taken out of the line if it still waits, or, if it runs, told its turn expired while the next one starts —
 * so one stuck or slow write cannot hold every later one.
 */
export class Queue {
  private readonly waiting: (() => void)[] = [];
  private running = false;

  constructor(
    private readonly depth: number,
    private readonly deadlineMs: number,
    private readonly onExpired: () => void,
  ) {}

  /** Tasks waiting for their turn. */
  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: (turn: Turn) => Promise<T>): Promise<T> {
    if (this.running && this.waiting.length >= this.depth) throw new StorageBusyError(`${this.waiting.length} chained writes already wait`);
    let released = false;
    const turn: Turn = {
      expired: false,
      writing: false,
      release: () => {
        if (released || turn.expired) return;
        released = true;
        this.next();
      },
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    let start: (() => void) | undefined;
    const deadline = new Promise<never>((_, expire) => {
      timer = setTimeout(() => {
        turn.expired = true;
        const at = start ? this.waiting.indexOf(start) : -1;
        if (at !== -1) {
          this.waiting.splice(at, 1);
          return expire(new StorageBusyError(`a chained write waited ${this.deadlineMs} ms for its turn`));
        }
        // It holds the turn (or was just handed it): the next one starts now. A task that gave its turn away
        // already only hears its answer: the one holding the turn now goes on.
        if (!released) this.onExpired();
        expire(new StorageBusyError(`a chained write still ran ${this.deadlineMs} ms after it was queued`, turn.writing ? 'unknown' : 'not_saved'));
        if (!released) this.next();
      }, this.deadlineMs);
    });
    try {
      if (this.running) await Promise.race([new Promise<void>((go) => this.waiting.push((start = go))), deadline]);
      else this.running = true;
      return await Promise.race([task(turn), deadline]);
    } finally {
      clearTimeout(timer);
      if (!turn.expired && !released) this.next();
    }
  }

  /** Passes the turn straight to the next task (FIFO); `running` stays true while any waits. */
  private next(): void {
    const go = this.waiting.shift();
    if (go) go();
    else this.running = false;
  }
}
