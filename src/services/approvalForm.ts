/**
 * @module services/approvalForm
 * The approval form (审批表, attachment 1) of a case as it stands: the applicant's facts, the two pledges
 * once signed, and each level's opinion with its signer and date, taken from the case's history
 * (notice 四(二): every checking level records its opinion; 四(四): who confirms, signs).
 */
import { applicantBirthMonth, type Application, type ApplicationEvent, type Objection } from '../domain/application.js';
import { ACQUISITION_METHOD_NAMES } from '../domain/certificate.js';
import { findSeries } from '../domain/catalog.js';
import { checksOf, describeChecks } from '../domain/checks.js';
import { chinaDate, formatChineseDate } from '../domain/chineseDate.js';
import { ACTION_NAMES, type WorkflowAction } from '../domain/workflow.js';
import { LEVEL_NAMES } from '../domain/levels.js';
import type { PublicNotice } from '../domain/application.js';
import type { OrganisationKind } from '../domain/routing.js';
import { renderApprovalFormPdf, sealApprovalForm, type ApprovalFormDocument, type ApprovalFormOpinion, type ApprovalFormTemplate, type OpinionKey, type OpinionSeal } from '../render/approvalForm/pdf.js';
import { getApplication, recordedDecisions } from './applications/view.js';
import type { Actor, ServiceContext } from './context.js';
import { serviceSigner, signedPdf } from './pdfSigning.js';
import { activeSeal } from './seals.js';
import { caseStatements } from './caseStatements.js';

const dateOf = (instant: string) => chinaDate(new Date(instant));

function opinionOf(event: ApplicationEvent): ApprovalFormOpinion {
  return { opinion: event.opinion ?? '', signer: event.person.name, organisation: event.org.name, date: dateOf(event.at) };
}

/** The authority's opinion names its decision (二(二)4). */
function withDecision(opinion: ApprovalFormOpinion, application: Application): ApprovalFormOpinion {
  const number = application.decision?.number;
  if (!number || opinion.opinion.includes(number)) return opinion;
  return { ...opinion, opinion: `${opinion.opinion}（${number}）` };
}

/**
 * A decision a person recorded, printed as a line under the opinion of the level that recorded it: the unit's
 * choice (一(一) sentence 2) under the unit's, the authority's exception (二(三)1(5)) under the authority's.
 * A choice recorded with a rejection has no unit opinion to stand under: it becomes a line of its own
 * (`records`), as do the bans (四(一)) the authority knew of when it approved.
 */
function withRecordedDecisions(
  opinions: ApprovalFormDocument['opinions'],
  application: Application,
  events: readonly ApplicationEvent[],
): { opinions: ApprovalFormDocument['opinions']; records: { label: string; text: string }[] } {
  const { employerChoiceRecord: choice, inPrincipleException: exception } = recordedDecisions(application, events);
  const note = (box: ApprovalFormOpinion[], line: string | null) => (line ? box.map((opinion, i) => (i === box.length - 1 ? { ...opinion, opinion: `${opinion.opinion}\n${line}` } : opinion)) : box);
  const chosen = choice && { reconfirm: '同意进行职称重新确认', re_evaluate: '要求重新参加评审' }[choice.choice];
  const choiceLine = choice ? `新用人单位决定：${chosen}（一(一)，${choice.person.name}，${dateOf(choice.at)}）` : null;
  const records: { label: string; text: string }[] = [];
  if (choiceLine && opinions.unit.length === 0) records.push({ label: '用人单位决定', text: choiceLine.replace(/^新用人单位决定：/, '') });
  const approval = [...events].reverse().find((e) => e.action === 'approve');
  const bans = (approval?.data.bansInForce as { startYear: number; endYear: number }[] | undefined) ?? [];
  if (approval && bans.length > 0) {
    const years = bans.map((b) => `${b.startYear}—${b.endYear}年`).join('、');
    records.push({ label: '禁止情况', text: `申请人在${years}内不得申报晋升职称（四(一)），确认部门知悉后作出本确认（${approval.person.name}，${dateOf(approval.at)}）` });
  }
  return {
    opinions: {
      ...opinions,
      unit: note(opinions.unit, opinions.unit.length > 0 ? choiceLine : null),
      authority: note(opinions.authority, exception ? `例外确认（二(三)1(5)）：${exception.reason}（${exception.person.name}，${dateOf(exception.at)}）` : null),
    },
    records,
  };
}

/** The signatures standing on a form: one each for the applicant, the unit and the authority; every forwarding level its own. */
interface Signatures {
  submit?: ApplicationEvent | undefined;
  endorse?: ApplicationEvent | undefined;
  /** Each level above the unit that forwarded the case, in the order it passed them (二(二)3 逐级上报). */
  forwards: ApplicationEvent[];
  authority?: ApplicationEvent | undefined;
}

/** What a return to each step undoes: the signatures of that step and every one after it. */
const UNDONE_BY_RETURN: Record<string, readonly ('submit' | 'endorse' | 'forwards' | 'authority')[]> = {
  draft: ['submit', 'endorse', 'forwards', 'authority'],
  unit_review: ['endorse', 'forwards', 'authority'],
  unit_endorsed: ['forwards', 'authority'],
  // The first level above the unit forwards again, and every level after it.
  department_review: ['forwards', 'authority'],
};

/** The signatures standing at each level: the latest, unless a later return sent the case back past it. */
function signatures(events: readonly ApplicationEvent[]): Signatures {
  const signed: Signatures = { forwards: [] };
  for (const e of events) {
    if (e.action === 'submit') signed.submit = e;
    else if (e.action === 'endorse') signed.endorse = e;
    else if (e.action === 'forward' && (e.role === 'department_reviewer' || e.role === 'title_office_staff')) signed.forwards.push(e);
    else if (e.action === 'approve') signed.authority = e;
    // The authority's refusal is its decision too (二(二)4, 四(一)): it stands in the 确认部门意见 box.
    else if (e.action === 'reject' && e.role === 'authority_approver') signed.authority = e;
    else if (e.action === 'return') {
      for (const slot of UNDONE_BY_RETURN[String(e.data.to)] ?? []) {
        if (slot === 'forwards') signed.forwards = [];
        else delete signed[slot];
      }
    }
  }
  return signed;
}

/**
 * The box of attachment 1 a forwarding level's opinion goes in: a competent department's in
 * 主管部门核实意见; a city or county title office's, a department-level HR office's (厅局人事) or the
 * personnel-file office's in the 县、市（厅局）职改（人事）部门 row, each in a block of its own (二(二)3,
 * 四(二): every level gives its own opinion). An organisation no longer on file goes by the role that acted.
 */
function boxOf(event: ApplicationEvent, kindOf: (code: string) => OrganisationKind | undefined): 'department' | 'titleOffice' {
  const kind = kindOf(event.org.code);
  if (kind === undefined) return event.role === 'department_reviewer' ? 'department' : 'titleOffice';
  return kind === 'competent_department' ? 'department' : 'titleOffice';
}

/**
 * The objections raised during the public notice the unit pledged on (二(二)2): those lodged after the
 * notice was (last) started and before the unit signed (`endorsed`; undefined: the notice standing now,
 * as the case page shows the pledge the unit is about to sign). The unit cannot sign while one is open or upheld,
 * so each was found unfounded.
 */
export function objectionsDuring(events: readonly ApplicationEvent[], endorsed: ApplicationEvent | undefined, objections: readonly Objection[]): number {
  const before = (e: ApplicationEvent) => !endorsed || e.seq < endorsed.seq;
  const started = events.filter((e) => e.action === 'start_notice' && before(e)).at(-1);
  const lodged = new Set(events.filter((e) => e.action === 'lodge_objection' && before(e) && (!started || e.seq > started.seq)).map((e) => String(e.data.objectionId)));
  return objections.filter((o) => lodged.has(o.id) && o.resolution !== null && !o.resolution.upheld).length;
}

/**
 * The history event behind each opinion the form prints, box by box in the order the boxes print them: the
 * steps whose organisations seal the form (issue 16 item 3).
 */
export function opinionSteps(events: readonly ApplicationEvent[], kindOf: (code: string) => OrganisationKind | undefined): Record<OpinionKey, ApplicationEvent[]> {
  const signed = signatures(events);
  const forwardedIn = (box: 'department' | 'titleOffice') => signed.forwards.filter((e) => boxOf(e, kindOf) === box);
  return {
    unit: signed.endorse ? [signed.endorse] : [],
    department: forwardedIn('department'),
    titleOffice: forwardedIn('titleOffice'),
    authority: signed.authority ? [signed.authority] : [],
  };
}

/** What the form is drawn from besides the case itself. */
export interface ApprovalFormSources {
  events: readonly ApplicationEvent[];
  objections: readonly Objection[];
  unitName: string;
  photo: ApprovalFormDocument['applicant']['photo'];
  /** The kind of each organisation on file (domain/routing.ts). */
  kindOf: (code: string) => OrganisationKind | undefined;
}

/** @example const doc = approvalFormDocument(view, { events: view.events, objections: view.objections, unitName, photo, kindOf }); */
export function approvalFormDocument(application: Application, sources: ApprovalFormSources): ApprovalFormDocument {
  const { form } = application;
  const { events, unitName, photo } = sources;
  const signed = signatures(events);
  const submitted = signed.submit;
  const endorsed = signed.endorse;
  const notice = endorsed?.data.notice as PublicNotice | undefined;
  const series = findSeries(form.eligibility.title.series);
  const steps = opinionSteps(events, sources.kindOf);
  const decided = withRecordedDecisions(
    {
      unit: steps.unit.map(opinionOf),
      department: steps.department.map(opinionOf),
      titleOffice: steps.titleOffice.map(opinionOf),
      authority: steps.authority.map((e) => withDecision(opinionOf(e), application)),
    },
    application,
    events,
  );
  return {
    applicationId: application.id,
    filledOn: dateOf(submitted?.at ?? application.createdAt),
    unitName,
    applicant: {
      name: form.applicant.name,
      gender: form.applicant.gender,
      idNumber: application.idNumber,
      birthMonth: applicantBirthMonth({ ...form.applicant, idNumber: application.idNumber }),
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
      endorsed && notice
        ? { unitName, noticeStart: notice.start, noticeEnd: notice.end, objections: objectionsDuring(events, endorsed, sources.objections), signer: endorsed.person.name, signedOn: dateOf(endorsed.at) }
        : null,
    opinions: decided.opinions,
    // 二(三)1(2), 二(三)1(3), 二(四): what was checked, by whom and when, as lines of their own; then the decisions
    // without an opinion to stand under (一(一) on a rejection, 四(一) bans known at approval).
    records: [...describeChecks(checksOf(events), 'zh', formatChineseDate), ...decided.records],
  };
}

/** A case is finished once issued or rejected: its form then no longer changes, and is kept as first made. */
const FINISHED: ReadonlySet<Application['status']> = new Set(['issued', 'rejected']);

/**
 * Renders the form of a case the person may see (application.read): signed by the service, then sealed by
 * every organisation whose opinion it prints and which holds a seal (四(二): 出具审核意见，加盖单位公章), one
 * incremental update each in the order of the steps; the authority's seal, last, locks the form. A finished
 * case's form is made once and kept, so a seal rotated or revoked later never changes it.
 */
export async function renderApprovalForm(ctx: ServiceContext, actor: Actor, id: string, template: ApprovalFormTemplate): Promise<Uint8Array> {
  const view = await getApplication(ctx, actor, id);
  if (!FINISHED.has(view.status)) return makeApprovalForm(ctx, actor, view, template);
  return ctx.approvalForms.keptOrMade(id, () => makeApprovalForm(ctx, actor, view, template), () => ctx.now().toISOString());
}

async function makeApprovalForm(ctx: ServiceContext, actor: Actor, view: Awaited<ReturnType<typeof getApplication>>, template: ApprovalFormTemplate): Promise<Uint8Array> {
  const photoMaterial = view.materials.filter((m) => m.item === 'photo').at(-1);
  const photo = photoMaterial ? await ctx.verificationRecords.evidence(photoMaterial.sha256) : undefined;
  const organisations = await ctx.organisations.tree();
  const kindOf = (code: string) => organisations.get(code)?.kind;
  const drawn = approvalFormDocument(view, {
    events: view.events,
    objections: view.objections,
    unitName: view.unit.name,
    photo: photo && (photo.mediaType === 'image/png' || photo.mediaType === 'image/jpeg') ? { bytes: photo.bytes, type: photo.mediaType } : undefined,
    kindOf,
  });
  // 四(四) 谁签字、谁负责: where the history parts from what an organisation sealed (an opinion changed
  // afterwards), the form says so, step by step, and that opinion gets no seal.
  const { problems, statements } = await caseStatements(ctx, actor, view.id);
  // Only an opinion its organisation sealed as a statement, and whose seal checks out, gets a seal on the form.
  const sealedSteps = new Set(statements.filter((s) => s.sealValid === true).map((s) => s.seq));
  const doc = { ...drawn, records: [...(drawn.records ?? []), ...problems.map((problem) => ({ label: '签章核对不符', text: problem.message.zh }))] };
  const disputed = new Set(problems.map((problem) => problem.seq));
  // On the public demo root anyone can sign: every page says so (演示 DEMO).
  const demo = (await ctx.trust()).isDemo;
  const signed = await signedPdf((signature) => renderApprovalFormPdf({ ...doc, demo }, ctx.fonts, template, signature), await serviceSigner(ctx), {
    reason: '职称重新确认审批表 Approval form',
    location: view.authority.name,
    signedAt: ctx.now(),
  });
  const seals = await opinionSeals(ctx, opinionSteps(view.events, kindOf), (seq) => sealedSteps.has(seq) && !disputed.has(seq));
  if (seals.length === 0) return signed;
  // The authority's decision is the last word on the form (二(二)4): its seal allows no later change.
  return sealApprovalForm(signed, { ...doc, demo }, ctx.fonts, template, seals, { lockLast: seals.at(-1)!.box === 'authority' });
}

/**
 * One seal per printed opinion its organisation sealed as a statement (and still holds a seal for), in the order of the steps. The reason names
 * the step and the day the opinion was given, e.g. 签署单位意见（2026年10月12日）; the signing time is now.
 */
async function opinionSeals(ctx: ServiceContext, steps: Record<OpinionKey, ApplicationEvent[]>, sealable: (seq: number) => boolean): Promise<OpinionSeal[]> {
  const placed = (Object.entries(steps) as [OpinionKey, ApplicationEvent[]][]).flatMap(([box, events]) => events.map((event, index) => ({ box, index, event })));
  placed.sort((a, b) => a.event.seq - b.event.seq);
  const seals: OpinionSeal[] = [];
  for (const { box, index, event } of placed) {
    // Unsealed as a statement, or the history no longer says what the organisation sealed: no seal over it.
    if (!sealable(event.seq)) continue;
    const signer = await activeSeal(ctx, event.org.code);
    if (!signer) continue; // no seal: the box stays as it is, the organisation's name beside 公章
    const step = ACTION_NAMES[event.action as WorkflowAction]?.zh ?? event.action;
    seals.push({ box, index, signer, signedAt: ctx.now(), reason: `${step}（${formatChineseDate(event.at)}）`, location: event.org.name });
  }
  return seals;
}
