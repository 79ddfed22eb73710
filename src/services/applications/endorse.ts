/**
 * @module services/applications/endorse
 * The unit endorses the case after the notice, with the authenticity pledge (二(二)2) and, where there are
 * copies, the check against the originals (二(三)1(2)).
 */
import { originalsCheckDue, originalsCheckMissing } from '../../domain/checks.js';
import { endorsementWait } from '../../domain/endorsement.js';
import { DomainError } from '../../domain/errors.js';
import { requireText } from './shared.js';
import { withCurrentNotice } from './view.js';
import type { StepHandler } from './transition.js';

export const endorse: StepHandler = async (ctx, _actor, request, { application, today }) => {
  if (request.authenticityPledge !== true) {
    throw new DomainError('validation_failed', { zh: '单位须签署呈报材料真实性承诺书', en: 'The unit must sign the authenticity pledge' }, 'authenticityPledge', { clause: '二(二)2' });
  }
  const opinion = requireText(request.opinion, 'opinion', '单位考核意见', 'The unit opinion');
  const notice = (await withCurrentNotice(ctx, application)).notice;
  // 二(二)2: after the notice's last working day (not provisional), every objection resolved and none upheld —
  // the same rule the case page uses to say when the step opens (domain/endorsement.ts).
  const wait = endorsementWait(notice, await ctx.applications.objections(application.id), today);
  if (wait || !notice) throw new DomainError('conflict', wait?.message ?? { zh: '尚未公示', en: 'The notice has not been published' }, undefined, { clause: wait?.clause ?? '二(二)2', ...(notice ? { notice } : {}) });
  // 二(三)1(2): copies of the original-title proof are checked against the originals by the unit.
  const uploaded = new Set((await ctx.applications.materials(application.id)).map((m) => m.item));
  const originalsDue = originalsCheckDue(uploaded);
  if (originalsDue && request.originalsChecked !== true) throw originalsCheckMissing();
  // Recorded only where there are copies to check: without one the form would state a check nobody made.
  return { change: { status: 'unit_endorsed' }, opinion, data: { authenticityPledge: true, notice, signedOn: today, ...(originalsDue && request.originalsChecked === true ? { originalsChecked: true } : {}) } };
};
