/**
 * @module services/applications/submit
 * The applicant submits their case to the unit with the integrity pledge (二(二)1).
 */
import { DomainError } from '../../domain/errors.js';
import { requireMaterials } from './materials.js';
import type { StepHandler } from './transition.js';

export const submit: StepHandler = async (ctx, _actor, request, { application, today }) => {
  if (request.integrityPledge !== true) {
    throw new DomainError('validation_failed', { zh: '须阅知并签署诚信承诺书', en: 'The integrity pledge must be accepted' }, 'integrityPledge', { clause: '二(二)1' });
  }
  await requireMaterials(ctx, application, 'submit');
  return { change: { status: 'submitted', returned: null }, opinion: null, data: { integrityPledge: true, signedOn: today } };
};
