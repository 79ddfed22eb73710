/**
 * @module services/applications/receive
 * The unit receives a submitted case (二(二)2).
 */
import type { StepHandler } from './transition.js';

export const receive: StepHandler = async (_ctx, _actor, request) => {
  return { change: { status: 'unit_review', returned: null }, opinion: request.opinion?.trim() || null, data: {} };
};
