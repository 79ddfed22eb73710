/**
 * @module services/applications/issue
 * The confirming authority issues the e-certificate of an approved case (二(二)4) through the certificate
 * service, with the original acquisition date and specialty.
 */
import { DomainError } from '../../domain/errors.js';
import { checkAction } from '../../domain/workflow.js';
import { bytesToBase64 } from '../../lib/base64.js';
import type { Actor, ServiceContext } from '../context.js';
import { issueCertificate } from '../issueCertificate.js';
import { actorAt, orgOf, visibleCase } from './shared.js';
import { transition } from './transition.js';
import type { ApplicationView } from './view.js';

/**
 * The confirming authority issues the e-certificate of an approved case (二(二)4): the original acquisition
 * date and the specialty on the original certificate, the decision number, the photo on file. A retry
 * finds the same certificate (it is issued with the case's id as its idempotency key).
 */
export async function issueFromApplication(ctx: ServiceContext, actor: Actor, id: string): Promise<ApplicationView> {
  const { application } = await visibleCase(ctx, actor, id);
  const actorOrg = await orgOf(ctx, actor.orgCode);
  checkAction(application, 'issue', actorAt(actor, actorOrg));
  if (!application.decision) throw new DomainError('conflict', { zh: '尚无确认文号', en: 'There is no decision yet' }, undefined, { clause: '二(二)4' });
  const materials = await ctx.applications.materials(id);
  const photoMaterial = materials.filter((m) => m.item === 'photo').at(-1);
  const photo = photoMaterial ? await ctx.verificationRecords.evidence(photoMaterial.sha256) : undefined;
  const { form } = application;
  const { obtained } = form.eligibility;
  const { certificate } = await issueCertificate(
    ctx,
    actor,
    {
      holder: {
        name: form.applicant.name,
        gender: form.applicant.gender,
        idType: form.applicant.idType,
        idNumber: application.idNumber,
        ...(photo ? { photo: `data:${photo.mediaType};base64,${bytesToBase64(photo.bytes)}` } : {}),
      },
      title: { series: form.eligibility.title.series, name: form.eligibility.title.name, specialty: form.specialty },
      original: {
        acquiredOn: obtained.on,
        method: obtained.method,
        evaluatingBody: obtained.committee?.name ?? form.applicant.originalEmployer,
        ...(form.originalCertificateNumber ? { certificateNumber: form.originalCertificateNumber } : {}),
      },
      decision: application.decision,
      basis: { caseId: id }, // issue 13 item 6: the certificate names its case; the case names it below
    },
    `application:${id}`,
  );
  return transition(ctx, actor, id, 'issue', `issue:${certificate.number}`, async () => ({
    change: { status: 'issued', certificateNumber: certificate.number },
    opinion: null,
    data: { certificateNumber: certificate.number },
  }));
}
