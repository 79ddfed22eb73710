/**
 * @module services/idempotency
 * The one rule for a retried create: the same Idempotency-Key with the same body gets the earlier result;
 * with a different body it is refused (422), never silently given someone else's answer.
 */
import { DomainError } from '../domain/errors.js';

/**
 * @example const earlier = await replayed(await repo.findIdempotent(org, key), hash, (e) => repo.get(e.recordId));
 */
export async function replayed<E extends { requestHash: string }, T>(
  earlier: E | undefined,
  requestHash: string,
  load: (earlier: E) => Promise<T | undefined>,
): Promise<T | undefined> {
  if (!earlier) return undefined;
  if (earlier.requestHash !== requestHash) {
    throw new DomainError('idempotency_conflict', {
      zh: '该 Idempotency-Key 已用于另一份不同的请求',
      en: 'This Idempotency-Key was already used with a different request body',
    }, 'Idempotency-Key');
  }
  return load(earlier);
}
