/**
 * @module services/applications/withdraw
 * The applicant withdraws their case (二(二)1).
 */
import type { StepHandler } from './transition.js';

export const withdraw: StepHandler = async (_ctx, _actor, request) => {
  return { change: { status: 'withdrawn' }, opinion: request.reason?.trim() || null, data: {} };
};
