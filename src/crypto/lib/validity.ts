/**
 * @module crypto/lib/validity
 * The validity period we put on new certificates.
 */

import { DomainError } from '../../domain/errors.js';

/** Clock-skew allowance: notBefore defaults to this long ago, so a clock slightly behind ours still agrees. */
export const NOT_BEFORE_SKEW_MS = 5 * 60 * 1000;

/** @example validityWindow(10) // { notBefore: 5 minutes ago, notAfter: 10 years after that } */
export function validityWindow(validYears: number, notBefore?: Date): { notBefore: Date; notAfter: Date } {
  if (!Number.isInteger(validYears) || validYears < 1 || validYears > 50) {
    throw new DomainError(
      'validation_failed',
      { zh: '有效期须为 1 至 50 年的整数', en: 'validYears must be a whole number from 1 to 50' },
      'validYears',
    );
  }
  const start = notBefore ?? new Date(Date.now() - NOT_BEFORE_SKEW_MS);
  const end = new Date(start);
  end.setUTCFullYear(end.getUTCFullYear() + validYears);
  return { notBefore: start, notAfter: end };
}
