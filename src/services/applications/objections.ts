/**
 * @module services/applications/objections
 * Objections during the public notice (二(二)2): the unit lodges one it received and resolves it.
 */
import type { Objection } from '../../domain/application.js';
import { DomainError } from '../../domain/errors.js';
import { newId, requireText } from './shared.js';
import type { StepHandler } from './transition.js';

export const lodgeObjection: StepHandler = async (ctx, actor, request, { application, at, today }) => {
  const objection: Objection = {
    id: newId('OB', today),
    receivedOn: request.receivedOn ?? today,
    text: requireText(request.text, 'text', '异议内容', 'The objection'),
    lodgedBy: actor.personId,
    lodgedAt: at,
    resolution: null,
  };
  if (objection.receivedOn > today) throw new DomainError('future_date', { zh: '收到异议的日期不能晚于今天', en: 'The objection cannot be received in the future' }, 'receivedOn');
  return { change: { status: 'public_notice' }, opinion: null, data: { objectionId: objection.id, receivedOn: objection.receivedOn }, extra: [ctx.applications.objectionStatement(application.id, objection)] };
};

export const resolveObjection: StepHandler = async (ctx, actor, request, { application, at }) => {
  const objections = await ctx.applications.objections(application.id);
  const target = objections.find((o) => o.id === request.objectionId);
  if (!target) throw new DomainError('not_found', { zh: '没有这条异议', en: 'No such objection' }, 'objectionId');
  if (target.resolution) throw new DomainError('conflict', { zh: '该异议已处理', en: 'This objection is already resolved' }, 'objectionId');
  const resolution = { text: requireText(request.text, 'text', '处理结果', 'The resolution'), upheld: request.upheld === true, by: actor.personId, at };
  return { change: { status: 'public_notice' }, opinion: resolution.text, data: { objectionId: target.id, upheld: resolution.upheld }, extra: [ctx.applications.resolveObjectionStatement(application.id, target.id, resolution)] };
};
