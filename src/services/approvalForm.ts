/**
 * @module services/approvalForm
 * The approval form (审批表, attachment 1) of a case as it stands: the applicant's facts, the two pledges
 * once signed, and each level's opinion with its signer and date, taken from the case's history
 * (notice 四(二): every checking level records its opinion; 四(四): who confirms, signs).
 */
import type { Application, ApplicationEvent } from '../domain/application.js';
import { ACQUISITION_METHOD_NAMES } from '../domain/certificate.js';
import { findSeries } from '../domain/catalog.js';
import { checksOf, describeChecks } from '../domain/checks.js';
import { chinaDate, formatChineseDate } from '../domain/chineseDate.js';
import { LEVEL_NAMES } from '../domain/levels.js';
import type { PublicNotice } from '../domain/application.js';
import { renderApprovalFormPdf, type ApprovalFormDocument, type ApprovalFormOpinion, type ApprovalFormTemplate } from '../render/approvalFormPdf.js';
import { getApplication } from './applications.js';
import type { Actor, ServiceContext } from './context.js';
import { serviceSigner, signedPdf } from './pdfSigning.js';

const dateOf = (instant: string) => chinaDate(new Date(instant));

function opinionOf(event: ApplicationEvent | undefined): ApprovalFormOpinion | null {
  if (!event) return null;
  return { opinion: event.opinion ?? '', signer: event.person.name, organisation: event.org.name, date: dateOf(event.at) };
}

/** The authority's opinion names its decision (二(二)4). */
function withDecision(opinion: ApprovalFormOpinion | null, application: Application): ApprovalFormOpinion | null {
  const number = application.decision?.number;
  if (!opinion || !number || opinion.opinion.includes(number)) return opinion;
  return { ...opinion, opinion: `${opinion.opinion}（${number}）` };
}

type Slot = 'submit' | 'endorse' | 'department' | 'titleOffice' | 'authority';

/** What a return to each step undoes: the signatures of that step and every one after it. */
const UNDONE_BY_RETURN: Record<string, readonly Slot[]> = {
  draft: ['submit', 'endorse', 'department', 'titleOffice', 'authority'],
  unit_review: ['endorse', 'department', 'titleOffice', 'authority'],
  unit_endorsed: ['department', 'titleOffice', 'authority'],
  department_review: ['department', 'titleOffice', 'authority'],
};

/** The signature standing at each level: the latest, unless a later return sent the case back past it. */
function signatures(events: readonly ApplicationEvent[]): Partial<Record<Slot, ApplicationEvent>> {
  const slots: Partial<Record<Slot, ApplicationEvent>> = {};
  for (const e of events) {
    if (e.action === 'submit') slots.submit = e;
    else if (e.action === 'endorse') slots.endorse = e;
    else if (e.action === 'forward' && e.role === 'department_reviewer') slots.department = e;
    else if (e.action === 'forward' && e.role === 'title_office_staff') slots.titleOffice = e;
    else if (e.action === 'approve') slots.authority = e;
    else if (e.action === 'return') for (const slot of UNDONE_BY_RETURN[String(e.data.to)] ?? []) delete slots[slot];
  }
  return slots;
}

/** @example const doc = approvalFormDocument(view, unitName, photo); */
export function approvalFormDocument(application: Application, events: readonly ApplicationEvent[], unitName: string, photo: ApprovalFormDocument['applicant']['photo']): ApprovalFormDocument {
  const { form } = application;
  const signed = signatures(events);
  const submitted = signed.submit;
  const endorsed = signed.endorse;
  const notice = endorsed?.data.notice as PublicNotice | undefined;
  const series = findSeries(form.eligibility.title.series);
  const birth = form.applicant.idType === 'resident_id_card' ? `${application.idNumber.slice(6, 10)}-${application.idNumber.slice(10, 12)}` : '';
  return {
    applicationId: application.id,
    filledOn: dateOf(submitted?.at ?? application.createdAt),
    unitName,
    applicant: {
      name: form.applicant.name,
      gender: form.applicant.gender,
      idNumber: application.idNumber,
      birthMonth: birth,
      photo,
      education: form.applicant.education,
      graduation: form.applicant.graduation,
      workStartedOn: form.applicant.workStartedOn,
      originalEmployer: form.applicant.originalEmployer,
      originalWork: form.applicant.originalWork,
      currentEmployer: unitName,
      currentWork: form.applicant.currentWork,
      personnelFileHolder: form.applicant.personnelFileHolder,
    },
    original: {
      seriesName: series?.name ?? form.eligibility.title.series,
      committeeName: form.eligibility.obtained.committee?.name ?? form.applicant.originalEmployer,
      levelName: LEVEL_NAMES[application.level].zh,
      titleName: form.eligibility.title.name,
      methodName: ACQUISITION_METHOD_NAMES[form.eligibility.obtained.method],
      acquiredOn: form.eligibility.obtained.on,
      specialty: form.specialty,
    },
    workHistory: form.workHistory.map((w) => ({
      period: `${w.from.replace('-', '.')}—${w.to ? w.to.replace('-', '.') : '至今'}`,
      place: w.place,
      work: w.work,
      post: w.post,
    })),
    workSummary: form.workSummary,
    integrityPledge: submitted ? { signer: form.applicant.name, signedOn: dateOf(submitted.at) } : null,
    authenticityPledge:
      endorsed && notice ? { unitName, noticeStart: notice.start, noticeEnd: notice.end, signer: endorsed.person.name, signedOn: dateOf(endorsed.at) } : null,
    opinions: {
      unit: opinionOf(endorsed),
      department: opinionOf(signed.department),
      titleOffice: opinionOf(signed.titleOffice),
      authority: withDecision(opinionOf(signed.authority), application),
    },
    // 二(三)1(2), 二(三)1(3), 二(四): what was checked, by whom and when, as lines of their own.
    records: describeChecks(checksOf(events), 'zh', formatChineseDate),
  };
}

/** Renders the form of a case the person may see (application.read). */
export async function renderApprovalForm(ctx: ServiceContext, actor: Actor, id: string, template: ApprovalFormTemplate): Promise<Uint8Array> {
  const view = await getApplication(ctx, actor, id);
  const photoMaterial = view.materials.filter((m) => m.item === 'photo').at(-1);
  const photo = photoMaterial ? await ctx.verificationRecords.evidence(photoMaterial.sha256) : undefined;
  const doc = approvalFormDocument(
    view,
    view.events,
    view.unit.name,
    photo && (photo.mediaType === 'image/png' || photo.mediaType === 'image/jpeg') ? { bytes: photo.bytes, type: photo.mediaType } : undefined,
  );
  // On the public demo root anyone can sign: every page says so (演示 DEMO).
  const demo = (await ctx.trust()).isDemo;
  return signedPdf((signature) => renderApprovalFormPdf({ ...doc, demo }, ctx.fonts, template, signature), await serviceSigner(ctx), {
    reason: '职称重新确认审批表 Approval form',
    location: view.authority.name,
    signedAt: ctx.now(),
  });
}
