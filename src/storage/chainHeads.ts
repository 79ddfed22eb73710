/**
 * @module storage/chainHeads
 * The chain writer's signed heads (storage/chainWriter). A head due at a row is signed with the service key
 * and written in the same batch. A signer that fails never refuses the write: the head is owed and signed
 * later at its very place (the oldest first, a few per write, only beside the row it vouches for), the
 * signer is not asked again before SIGN_RETRY_MS, and readiness reports what is owed and the last failure.
 */
import type { LogName } from '../domain/recordChain.js';
import { headStatement, holds, type SignedHead } from './chainLogs.js';
import type { Statement } from './driver.js';
import { MAX_OWED, OWED_PER_WRITE, SIGN_RETRY_MS, type ChainWriterOptions, type HeadSigning, type OwedHead } from './chainWriterOptions.js';

export class HeadLedger {
  private owed: OwedHead[] = [];
  private failure: { at: string; message: string; retryAt: number } | undefined;

  constructor(
    private readonly options: Pick<ChainWriterOptions, 'signHead' | 'signRetryMs'>,
    private readonly log: (message: string, error?: unknown) => void,
  ) {}

  /** Heads are owed (a write pays a few of them first). */
  get owes(): boolean {
    return this.owed.length > 0;
  }

  /** The signer failed a moment ago: a head due now is owed without asking it again. */
  resting(): boolean {
    return Boolean(this.failure && Date.now() < this.failure.retryAt);
  }

  /** The signer's head, or 'owed' when it throws (synchronously too). */
  async sign(log: LogName, head: { seq: number; hash: string; count: number }): Promise<SignedHead | undefined | 'owed'> {
    try {
      return await this.options.signHead!(log, head);
    } catch (error) {
      return this.failed(error);
    }
  }

  private failed(error: unknown): 'owed' {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (this.failure?.message !== message) this.log('a chain head could not be signed; the write went on and the head is owed (readiness reports it)', error);
    this.failure = { at: new Date().toISOString(), message, retryAt: Date.now() + (this.options.signRetryMs ?? SIGN_RETRY_MS) };
    return 'owed';
  }

  /** Signs owed heads (the oldest first, a few per write) into `heads`; returns how many. */
  async payOwed(heads: Statement[]): Promise<number> {
    if (this.resting()) return 0;
    let paid = 0;
    for (const { log, seq, hash } of this.owed.slice(0, OWED_PER_WRITE)) {
      const head = await this.sign(log, { seq, hash, count: seq });
      if (head === 'owed' || !head) break;
      // Only beside the row it vouches for: a row that never landed gets no head.
      heads.push(headStatement(log, head, holds(log, seq, hash), { orIgnore: true }));
      paid++;
    }
    if (paid > 0 && paid === Math.min(this.owed.length, OWED_PER_WRITE)) this.failure = undefined;
    return paid;
  }

  /** After a batch landed: the heads it carried are paid; those it could not sign are owed. */
  settle(paid: number, owedNow: readonly OwedHead[]): void {
    if (paid > 0) this.owed = this.owed.slice(paid);
    if (owedNow.length === 0) return;
    this.owed.push(...owedNow);
    if (this.owed.length > MAX_OWED) {
      this.log(`${this.owed.length - MAX_OWED} owed chain heads dropped: log check will report them missing`);
      this.owed = this.owed.slice(-MAX_OWED);
    }
  }

  /** Whether heads are being signed: readiness reports owed heads and the last failure. */
  state(): HeadSigning {
    const failure = this.failure && this.owed.length > 0 ? { at: this.failure.at, message: this.failure.message } : undefined;
    return { owed: this.owed.length, ...(failure ? { failure } : {}) };
  }
}
