/**
 * @module services/applications
 * The reconfirmation workflow's use cases (notice 二(二)): apply, edit, upload materials, and every step
 * a person takes on a case — each checked against the case's step and the person's place
 * (domain/workflow.ts), written with its history event and audit row in one batch, and retry-safe with an
 * Idempotency-Key. Issuance goes through the certificate service with the original acquisition date and
 * specialty (二(二)4).
 */
import { bansInForce, banYears, BAN_CLAUSE, describeBan, seesBanDetails, type BanStatement } from '../domain/ban.js';
import { checkBirthMonth, type Application, type ApplicationEvent, type ApplicationForm, type Material, type Objection, type PublicNotice } from '../domain/application.js';
import {
  checkNotDue,
  checkPlatformAcceptance,
  checkSocialInsurance,
  checksOf,
  missingAtApproval,
  originalsCheckDue,
  originalsCheckMissing,
  platformAcceptanceDue,
  socialInsuranceCheckDue,
  socialInsuranceCheckMissing,
  type PlatformAcceptanceInput,
  type RecordedBy,
  type RecordedChecks,
  type SocialInsuranceCheckInput,
} from '../domain/checks.js';
import { chinaDate, isIsoDate } from '../domain/chineseDate.js';
import { assessEligibility, type EmployerChoice, type MaterialItem, type Reason } from '../domain/eligibility.js';
import { endorsementWait } from '../domain/endorsement.js';
import { choiceAtNotice, choiceAtRejection, refuseApplicantEmployerChoice } from '../domain/employerChoice.js';
import { exceptionForApproval, type InPrincipleException } from '../domain/inPrincipleException.js';
import { parseEvidence } from '../domain/evidence.js';
import { claimedTitle, disagreements, type Disagreement } from '../domain/verificationMatch.js';
import { DomainError } from '../domain/errors.js';
import { checkResidentIdNumber, validateIdDocument } from '../domain/idDocument.js';
import { MATERIAL_NAMES, missingMaterials, uploadableBy, type MaterialKind, type MaterialsGate, type MaterialsOnFile } from '../domain/materials.js';
import { inspectPhoto } from '../domain/photo.js';
import { confirmingAuthorityOn, EMPLOYER_KINDS, nextHop, routeFrom, subtreeOf, type OrgNode } from '../domain/routing.js';
import { noticeEnd, workingDaysLeft, CALENDAR_DATA_VERSION, type CalendarOverride, type YearAnnouncement } from '../domain/workingDays.js';
import { checkAction, checkReturnTarget, RETURN_TARGETS, type ActorAt, type ReturnTarget, type WorkflowAction } from '../domain/workflow.js';
import { bytesToBase64 } from '../lib/base64.js';
import { canonicalJson, randomBytes, sha256Hex } from '../lib/bytes.js';
import { ConstraintError, type Statement } from '../storage/driver.js';
import type { ApplicationChange, LinkedVerificationRecord } from '../storage/applications.js';
import { evidenceStatements } from '../storage/verificationRecords.js';
import type { Actor, ServiceContext } from './context.js';
import { auditOf } from './audit.js';
import { replayed } from './idempotency.js';
import { issueCertificate } from './issueCertificate.js';

/** Public-notice length at the unit (二(二)2). */
export const NOTICE_WORKING_DAYS = 5;

export interface ChecklistEntry extends MaterialItem {
  /** Whether what is on file meets this item at the forwarding gate. */
  satisfied: boolean;
  /** On the original-title proof: the unit checked the copies against the originals (二(三)1(2)), or null. */
  checkedAgainstOriginal?: RecordedBy | null;
}

export interface ApplicationView extends Application {
  unit: { code: string; name: string };
  holder: { code: string; name: string };
  authority: { code: string; name: string };
  /** Working days of the public notice still to run, today included (null outside the notice). */
  noticeDaysLeft: number | null;
  events: ApplicationEvent[];
  materials: Material[];
  objections: Objection[];
  checklist: ChecklistEntry[];
  genuineVerificationRecords: number;
  /** The 核实 log's records linked to the case (四(三)). */
  verificationRecords: CaseVerificationRecord[];
  /** 四(一): the applicant's five-year bans on record — shown to every reviewer, who decide; the service refuses nothing for them. */
  bans: BanStatement[];
  /** 一(一) sentence 2: the unit's choice standing on the case, with who recorded it and when. */
  employerChoiceRecord: { choice: EmployerChoice; person: { id: string; name: string }; org: { code: string; name: string }; at: string } | null;
  /** 二(三)1(5): the authority's exception accepting a case refused in principle, with who recorded it and when. */
  inPrincipleException: (InPrincipleException & { person: { id: string; name: string }; org: { code: string; name: string }; at: string }) | null;
  /** What the unit and the forwarding offices recorded they checked (二(三)1(2), 二(三)1(3), 二(四)). */
  checks: RecordedChecks;
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
const newId = (prefix: string, today: string) => `${prefix}${today.replaceAll('-', '')}-${hex(randomBytes(4))}`;

/**
 * The calendar as it stands: the admin's overrides, the years the admin recorded as announced (issue 13
 * item 8), and the version a computed date rests on — it changes with either, so stored notices are recomputed.
 */
export async function currentCalendar(ctx: ServiceContext): Promise<{ overrides: CalendarOverride[]; announcements: YearAnnouncement[]; dataVersion: string }> {
  const [overrides, announcements] = await Promise.all([ctx.calendar.overrides(), ctx.calendar.announcements()]);
  if (overrides.length === 0 && announcements.length === 0) return { overrides, announcements, dataVersion: CALENDAR_DATA_VERSION };
  const records = [...overrides.map((o) => [o.date, o.kind]), ...announcements.map((a) => [a.year, a.national, a.regional])];
  const fingerprint = (await sha256Hex(canonicalJson(records))).slice(0, 12);
  return { overrides, announcements, dataVersion: `${CALENDAR_DATA_VERSION}+admin:${fingerprint}` };
}

/** The end of a public notice starting on `start`, with the data it rests on (二(二)2). */
export async function publicNotice(ctx: ServiceContext, start: string): Promise<PublicNotice> {
  const { overrides, announcements, dataVersion } = await currentCalendar(ctx);
  const end = noticeEnd(start, NOTICE_WORKING_DAYS, overrides, announcements);
  return { start, end: end.end, provisional: end.provisional, dataVersion };
}

function actorAt(actor: Actor, org: OrgNode): ActorAt {
  return { personId: actor.personId, orgCode: actor.orgCode, orgKind: org.kind, role: actor.role as ActorAt['role'] };
}

async function orgOf(ctx: ServiceContext, code: string): Promise<OrgNode> {
  const org = await ctx.organisations.find(code);
  if (!org) throw new DomainError('not_found', { zh: `机构 ${code} 不存在`, en: `Organisation ${code} does not exist` });
  return org;
}

/**
 * Judges the form under 一 on `today`. Refused: anything but eligible, the employer's choice pending (一(一)),
 * or refused in principle (二(三)1(5): the authority may still except it) — and a form carrying the
 * employer's choice, which is the unit's to record (一(一) sentence 2).
 */
function judge(form: ApplicationForm, today: string) {
  refuseApplicantEmployerChoice(form.eligibility.employerChoice, 'eligibility.employerChoice');
  const assessment = assessEligibility(form.eligibility, today);
  if (assessment.level === null || !(['eligible', 'employer_decides', 'refused_in_principle'] as const).some((d) => d === assessment.decision)) {
    const reasons = assessment.reasons;
    throw new DomainError(
      'not_eligible',
      {
        zh: `不符合职称重新确认条件：${reasons.map((r) => `${r.message.zh}（${r.clause}）`).join('；')}`,
        en: `Not eligible for reconfirmation: ${reasons.map((r) => `${r.message.en} (notice ${r.clause})`).join('; ')}`,
      },
      'eligibility',
      { decision: assessment.decision, reasons },
    );
  }
  return { assessment, level: assessment.level };
}

function checkPerson(form: ApplicationForm, today: string): string {
  const idNumber = validateIdDocument(form.applicant.idType, form.applicant.idNumber, 'applicant.idNumber', today);
  if (form.applicant.idType === 'resident_id_card' && checkResidentIdNumber(idNumber, today).gender !== form.applicant.gender) {
    throw new DomainError('validation_failed', { zh: '性别与身份证号码不一致', en: 'Gender does not match the resident ID number' }, 'applicant.gender');
  }
  checkBirthMonth({ ...form.applicant, idNumber }, today); // attachment 1 基本情况: 出生年月
  return idNumber;
}

/**
 * An applicant applies at their unit (二(二)1). Refused for a case that is not eligible (一), with every
 * reason and its clause; a five-year ban (四(一)) bars promotion, not this, and is shown on the case instead.
 * @example const view = await createApplication(ctx, applicant, form, 'key-1');
 */
export async function createApplication(ctx: ServiceContext, actor: Actor, form: ApplicationForm, idempotencyKey?: string): Promise<{ view: ApplicationView; created: boolean }> {
  const requestHash = await sha256Hex(canonicalJson(form));
  if (idempotencyKey) {
    const earlier = await replayed(await ctx.applications.findIdempotent(actor.personId, idempotencyKey), requestHash, (e) => ctx.applications.find(e.id));
    if (earlier) return { view: await viewOf(ctx, earlier, actor), created: false };
  }
  const now = ctx.now();
  const at = now.toISOString();
  const today = chinaDate(now);
  const unit = await orgOf(ctx, actor.orgCode);
  if (!EMPLOYER_KINDS.includes(unit.kind)) {
    throw new DomainError('conflict', { zh: '申报人须在用人单位（企事业单位或高校）登记', en: "An applicant must belong to an employer (unit or university)" }, undefined, { clause: '二(二)1' });
  }
  const idNumber = checkPerson(form, today);
  const { assessment, level } = judge(form, today);
  const trust = await ctx.trust();
  const route = routeFrom(unit.code, await ctx.organisations.tree());
  const authority = confirmingAuthorityOn(route, level, (code) => trust.authorities.filter((a) => a.code === code).flatMap((a) => a.levels));

  const application: Application = {
    id: newId('RC', today),
    applicantId: actor.personId,
    unitCode: unit.code,
    holderCode: unit.code,
    authorityCode: authority.code,
    status: 'draft',
    version: 1,
    idNumber,
    holderName: form.applicant.name,
    level,
    form,
    eligibility: assessment,
    employerChoice: null, // the unit records it at its step (一(一))
    notice: null,
    returned: null,
    decision: null,
    certificateNumber: null,
    createdAt: at,
    updatedAt: at,
  };
  const event = eventFor(actor, unit, 1, 'create', null, 'draft', at, null, { decision: assessment.decision, authority: authority.code });
  try {
    await ctx.applications.create(application, event, idempotencyKey ? { key: idempotencyKey, requestHash } : null, [
      ctx.audit.statement(auditOf(actor, at, 'application.create', `application:${application.id}`, { status: 'draft', authority: authority.code })),
    ]);
  } catch (error) {
    // A concurrent retry with the same key won: answer with its application. Any other refusal stands.
    const earlier = error instanceof ConstraintError && idempotencyKey ? await ctx.applications.findIdempotent(actor.personId, idempotencyKey) : undefined;
    const winner = earlier ? await replayed(earlier, requestHash, (e) => ctx.applications.find(e.id)) : undefined;
    if (winner) return { view: await viewOf(ctx, winner, actor), created: false };
    throw error;
  }
  return { view: await viewOf(ctx, application, actor), created: true };
}

function eventFor(actor: Actor, org: OrgNode, seq: number, action: string, from: Application['status'] | null, to: Application['status'], at: string, opinion: string | null, data: Record<string, unknown>): ApplicationEvent {
  return { seq, action, fromStatus: from, toStatus: to, person: { id: actor.personId, name: actor.personName }, org: { code: org.code, name: org.name }, role: actor.role, at, opinion, data };
}

/** A case the person may see: the applicant their own, everyone else cases whose route passes their organisation. */
async function visibleCase(ctx: ServiceContext, actor: Actor, id: string): Promise<{ application: Application; route: OrgNode[] }> {
  const application = await ctx.applications.find(id);
  const notFound = new DomainError('not_found', { zh: `申请 ${id} 不存在`, en: `Application ${id} does not exist` });
  if (!application) throw notFound;
  const route = routeFrom(application.unitCode, await ctx.organisations.tree());
  const visible = actor.role === 'applicant' ? application.applicantId === actor.personId : route.some((o) => o.code === actor.orgCode);
  if (!visible) throw notFound;
  return { application, route };
}

export async function getApplication(ctx: ServiceContext, actor: Actor, id: string): Promise<ApplicationView> {
  const { application } = await visibleCase(ctx, actor, id);
  return viewOf(ctx, await withCurrentNotice(ctx, application), actor);
}

/** A notice computed on older calendar data (or provisionally) is recomputed when the data has changed. */
async function withCurrentNotice(ctx: ServiceContext, application: Application): Promise<Application> {
  const notice = application.notice;
  if (!notice || application.status !== 'public_notice') return application;
  const { dataVersion } = await currentCalendar(ctx);
  if (notice.dataVersion === dataVersion) return application;
  const fresh = await publicNotice(ctx, notice.start);
  await ctx.applications.recomputeNotice(application.id, application.version, fresh);
  return { ...application, notice: fresh };
}

function onFile(application: Application, materials: readonly Material[], genuineVerificationRecords: number): MaterialsOnFile {
  return {
    uploaded: new Set(materials.map((m) => m.item)),
    onlineVerificationUrl: Boolean(application.form.onlineVerificationUrl),
    originalProofUnavailable: Boolean(application.form.originalProofUnavailable),
    genuineVerificationRecords,
  };
}

/** A linked 核实 record with where its title, evaluating body or acquisition date disagree with the case's (四(三)). */
export interface CaseVerificationRecord extends LinkedVerificationRecord {
  disagreements: Disagreement[];
}

const checkedAgainst = (application: Application, records: readonly LinkedVerificationRecord[]): CaseVerificationRecord[] =>
  records.map((r) => ({ ...r, disagreements: disagreements(r, claimedTitle(application.form)) }));

/** 四(三): the linked 核实 records that stand (not corrected), found the title genuine, and checked the title this case claims. */
const genuineAmong = (records: readonly CaseVerificationRecord[]) => records.filter((r) => r.result === 'genuine' && r.supersededBy === null && r.disagreements.length === 0).length;

async function viewOf(ctx: ServiceContext, application: Application, actor: Actor): Promise<ApplicationView> {
  const [events, materials, objections, unit, holder, authority, verificationRecords, bans] = await Promise.all([
    ctx.applications.events(application.id),
    ctx.applications.materials(application.id),
    ctx.applications.objections(application.id),
    orgOf(ctx, application.unitCode),
    orgOf(ctx, application.holderCode),
    orgOf(ctx, application.authorityCode),
    ctx.applications.verificationRecords(application.id).then((records) => checkedAgainst(application, records)),
    ctx.bans.forIdNumber(application.idNumber),
  ]);
  const today = chinaDate(ctx.now());
  const files = onFile(application, materials, genuineAmong(verificationRecords));
  const missing = new Set(missingMaterials(application.eligibility.materials, files, 'forward').map((r) => r.code.replace(/^missing_/, '')));
  const checks = checksOf(events);
  const checklist = application.eligibility.materials.map((m) => ({
    ...m,
    satisfied: !m.required || !(missing.has(m.item) || (m.item === 'online_verification_route' && missing.has('online_verification_screenshot'))),
    ...(m.item === 'original_title_proof' ? { checkedAgainstOriginal: checks.originals } : {}),
  }));
  let noticeDaysLeft: number | null = null;
  if (application.status === 'public_notice' && application.notice) {
    const { overrides, announcements } = await currentCalendar(ctx);
    noticeDaysLeft = workingDaysLeft(chinaDate(ctx.now()), application.notice.start, application.notice.end, overrides, announcements);
  }
  return {
    ...application,
    unit: { code: unit.code, name: unit.name },
    holder: { code: holder.code, name: holder.name },
    authority: { code: authority.code, name: authority.name },
    noticeDaysLeft,
    events,
    materials,
    objections,
    checklist,
    genuineVerificationRecords: files.genuineVerificationRecords,
    verificationRecords,
    bans: bans.map((b) => describeBan(b, today, { forStaff: seesBanDetails(actor.role) })), // 四(四): the applicant is not shown the note, certificate number or name
    checks,
    ...recordedDecisions(application, events),
  };
}

/**
 * The decisions a person recorded at a step, with who and when (the step's event): the unit's choice
 * (一(一) sentence 2) standing on the case, and the authority's exception (二(三)1(5)) of its approval.
 */
export function recordedDecisions(application: Application, events: readonly ApplicationEvent[]): Pick<ApplicationView, 'employerChoiceRecord' | 'inPrincipleException'> {
  const by = (e: ApplicationEvent) => ({ person: e.person, org: e.org, at: e.at });
  const latestFirst = [...events].reverse();
  const chosen = application.employerChoice ? latestFirst.find((e) => e.data.employerChoice === application.employerChoice) : undefined;
  const approval = latestFirst.find((e) => e.action === 'approve');
  const exception = approval?.data.exception as InPrincipleException | undefined;
  return {
    employerChoiceRecord: chosen && application.employerChoice ? { choice: application.employerChoice, ...by(chosen) } : null,
    inPrincipleException: approval && exception ? { ...exception, ...by(approval) } : null,
  };
}

export async function listApplications(
  ctx: ServiceContext,
  actor: Actor,
  query: { status?: Application['status'] | undefined; queue?: boolean | undefined; limit: number; offset: number },
): Promise<{ items: Application[]; total: number }> {
  if (actor.role === 'applicant') return ctx.applications.list({ applicantId: actor.personId, status: query.status, limit: query.limit, offset: query.offset });
  if (query.queue) return ctx.applications.list({ holderCode: actor.orgCode, status: query.status, limit: query.limit, offset: query.offset });
  // Everything whose route passes the caller's organisation: its own unit's cases and those of units below it.
  const below = subtreeOf(await ctx.organisations.tree(), actor.orgCode);
  return ctx.applications.list({ routeCodes: below, status: query.status, limit: query.limit, offset: query.offset });
}

/** The applicant edits a draft (二(二)1): judged again, routed again. */
export async function updateApplication(ctx: ServiceContext, actor: Actor, id: string, form: ApplicationForm, idempotencyKey?: string): Promise<ApplicationView> {
  return transition(ctx, actor, id, 'update', idempotencyKey, async ({ application, today }) => {
    const idNumber = checkPerson(form, today);
    const { assessment, level } = judge(form, today);
    const trust = await ctx.trust();
    const route = routeFrom(application.unitCode, await ctx.organisations.tree());
    const authority = confirmingAuthorityOn(route, level, (code) => trust.authorities.filter((a) => a.code === code).flatMap((a) => a.levels));
    if (authority.code !== application.authorityCode) {
      throw new DomainError('conflict', { zh: '修改后确认部门会改变，请撤回后重新填报', en: 'The change would move the case to another confirming authority; withdraw and apply again' }, undefined, { clause: '二(一)' });
    }
    return {
      change: { status: 'draft', form, eligibility: assessment, level, holderName: form.applicant.name, idNumber, employerChoice: null }, // an edit waits for the unit's choice again (一(一))
      opinion: null,
      data: { decision: assessment.decision },
    };
  });
}

/** What each step's request carries. */
export interface StepRequest {
  opinion?: string | undefined;
  integrityPledge?: boolean | undefined;
  authenticityPledge?: boolean | undefined;
  start?: string | undefined;
  employerChoice?: EmployerChoice | undefined;
  receivedOn?: string | undefined;
  text?: string | undefined;
  objectionId?: string | undefined;
  upheld?: boolean | undefined;
  decisionNumber?: string | undefined;
  decidedOn?: string | undefined;
  /** 二(三)1(5): the authority's reason for accepting a case refused in principle (approve). */
  exceptionReason?: string | undefined;
  to?: ReturnTarget | undefined;
  reason?: string | undefined;
  falseMaterials?: boolean | undefined;
  /** endorse: the unit checked the copies against the originals (二(三)1(2)). */
  originalsChecked?: boolean | undefined;
  /** forward: how the submitting department verified an enterprise employee's social insurance (二(三)1(3)). */
  socialInsuranceCheck?: SocialInsuranceCheckInput | undefined;
  /** forward: the region title platform's acceptance of a senior case (二(四)). */
  platformAcceptance?: Partial<PlatformAcceptanceInput> | undefined;
}

export type StepAction = Exclude<WorkflowAction, 'update' | 'upload_material' | 'issue'>;

interface StepOutcome {
  change: ApplicationChange;
  opinion: string | null;
  data: Record<string, unknown>;
  extra?: Statement[];
}

interface StepInput {
  application: Application;
  route: OrgNode[];
  actorOrg: OrgNode;
  today: string;
  at: string;
}

const refusedMaterials = (reasons: Reason[], gate: MaterialsGate) =>
  new DomainError(
    'materials_missing',
    {
      zh: `材料不齐，不能${gate === 'submit' ? '提交' : '报送'}：${reasons.map((r) => `${r.message.zh}（${r.clause}）`).join('；')}`,
      en: `Materials are missing, the case cannot be ${gate === 'submit' ? 'submitted' : 'forwarded'}: ${reasons.map((r) => `${r.message.en} (notice ${r.clause})`).join('; ')}`,
    },
    undefined,
    { reasons },
  );

async function requireMaterials(ctx: ServiceContext, application: Application, gate: MaterialsGate): Promise<void> {
  const [materials, records] = await Promise.all([ctx.applications.materials(application.id), ctx.applications.verificationRecords(application.id)]);
  const checked = checkedAgainst(application, records);
  const reasons = missingMaterials(application.eligibility.materials, onFile(application, materials, genuineAmong(checked)), gate);
  if (reasons.some((r) => r.code === 'missing_verification_record')) {
    // 四(三): say why a linked record does not count, in the reviewer's words.
    const standing = checked.filter((r) => r.result === 'genuine' && r.supersededBy === null);
    reasons.push(...standing.flatMap((r) => r.disagreements.map((d) => ({ clause: '四(三)', code: 'verification_record_disagrees', message: { zh: `${r.id}：${d.message.zh}`, en: `${r.id}: ${d.message.en}` } }))));
  }
  if (reasons.length > 0) throw refusedMaterials(reasons, gate);
}

function requireText(value: string | undefined, field: string, zh: string, en: string): string {
  if (!value || value.trim() === '') throw new DomainError('validation_failed', { zh: `${zh}不能为空`, en: `${en} is required` }, field);
  return value.trim();
}

/** Whether the case's route has a department between the unit and the authority (a return may go back to it). */
function passesDepartment(application: Application, route: readonly OrgNode[]): boolean {
  const unitParent = route[1];
  return unitParent !== undefined && unitParent.code !== application.authorityCode && application.unitCode !== application.authorityCode;
}

/** The steps a case at its current step may be returned to (四(二)), for the forms that offer them. */
export async function returnTargetsFor(ctx: ServiceContext, application: Application): Promise<ReturnTarget[]> {
  const route = routeFrom(application.unitCode, await ctx.organisations.tree());
  return RETURN_TARGETS.filter((to) => {
    try {
      checkReturnTarget(application.status, to, passesDepartment(application, route));
      return true;
    } catch (error) {
      if (error instanceof DomainError) return false;
      throw error;
    }
  });
}

/**
 * What a forward by this person would have to record now — the social-insurance check (二(三)1(3)) and the
 * platform's acceptance (二(四)) — for the form that offers the step.
 */
export async function forwardNeeds(ctx: ServiceContext, actor: Actor, view: ApplicationView): Promise<{ socialInsuranceCheck: boolean; platformAcceptance: boolean }> {
  const route = routeFrom(view.unitCode, await ctx.organisations.tree());
  try {
    const to = nextHop(route, actor.orgCode, view.authorityCode, view.level).status;
    return {
      socialInsuranceCheck: socialInsuranceCheckDue(view.form.eligibility.employment.employerKind, view.status, to) && !view.checks.socialInsurance,
      platformAcceptance: platformAcceptanceDue(view.level, to),
    };
  } catch (error) {
    if (error instanceof DomainError) return { socialInsuranceCheck: false, platformAcceptance: false };
    throw error;
  }
}

/** Each step's own rule beyond who and when. */
const STEPS: Record<StepAction, (ctx: ServiceContext, actor: Actor, request: StepRequest, input: StepInput) => Promise<StepOutcome>> = {
  async submit(ctx, _actor, request, { application, today }) {
    if (request.integrityPledge !== true) {
      throw new DomainError('validation_failed', { zh: '须阅知并签署诚信承诺书', en: 'The integrity pledge must be accepted' }, 'integrityPledge', { clause: '二(二)1' });
    }
    await requireMaterials(ctx, application, 'submit');
    return { change: { status: 'submitted', returned: null }, opinion: null, data: { integrityPledge: true, signedOn: today } };
  },
  async withdraw(_ctx, _actor, request) {
    return { change: { status: 'withdrawn' }, opinion: request.reason?.trim() || null, data: {} };
  },
  async receive(_ctx, _actor, request) {
    return { change: { status: 'unit_review', returned: null }, opinion: request.opinion?.trim() || null, data: {} };
  },
  async start_notice(ctx, _actor, request, { application, today }) {
    const start = request.start ?? today;
    // The working-day calendar is computed up to 2099 (domain/workingDays.ts): refuse what it cannot count.
    if (!isIsoDate(start) || start > '2099-09-30') {
      throw new DomainError('validation_failed', { zh: '公示开始日期须为 2099-09-30 之前的真实日期', en: 'The notice must start on a real date no later than 2099-09-30' }, 'start');
    }
    const received = [...(await ctx.applications.events(application.id))].reverse().find((e) => e.toStatus === 'unit_review');
    const earliest = received ? chinaDate(new Date(received.at)) : today;
    if (start < earliest) {
      throw new DomainError('validation_failed', { zh: `公示开始日期不能早于受理日期 ${earliest}`, en: `The notice cannot start before the case was received (${earliest})` }, 'start');
    }
    // 一(一) sentence 2: the unit records the employer's choice here (who and when: this step's event).
    const employerChoice = choiceAtNotice(application.form.eligibility.obtained.method, application.employerChoice, request.employerChoice, 'employerChoice');
    const eligibility = employerChoice ? assessEligibility({ ...application.form.eligibility, employerChoice }, today) : application.eligibility;
    const notice = await publicNotice(ctx, start);
    return { change: { status: 'public_notice', notice, employerChoice, eligibility }, opinion: request.opinion?.trim() || null, data: { notice, ...(employerChoice ? { employerChoice } : {}) } };
  },
  async lodge_objection(ctx, actor, request, { application, at, today }) {
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
  },
  async resolve_objection(ctx, actor, request, { application, at }) {
    const objections = await ctx.applications.objections(application.id);
    const target = objections.find((o) => o.id === request.objectionId);
    if (!target) throw new DomainError('not_found', { zh: '没有这条异议', en: 'No such objection' }, 'objectionId');
    if (target.resolution) throw new DomainError('conflict', { zh: '该异议已处理', en: 'This objection is already resolved' }, 'objectionId');
    const resolution = { text: requireText(request.text, 'text', '处理结果', 'The resolution'), upheld: request.upheld === true, by: actor.personId, at };
    return { change: { status: 'public_notice' }, opinion: resolution.text, data: { objectionId: target.id, upheld: resolution.upheld }, extra: [ctx.applications.resolveObjectionStatement(application.id, target.id, resolution)] };
  },
  async endorse(ctx, _actor, request, { application, today }) {
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
  },
  async forward(ctx, actor, request, { application, route, today }) {
    const opinion = requireText(request.opinion, 'opinion', '审核意见', 'The opinion');
    if (application.status !== 'unit_endorsed') await requireMaterials(ctx, application, 'forward'); // 四(三): the submitting department has verified
    const hop = nextHop(route, actor.orgCode, application.authorityCode, application.level);
    const data: Record<string, unknown> = { to: hop.holderCode, on: today };
    // 二(三)1(3): the submitting department verifies an enterprise employee's social insurance before it forwards.
    const socialInsuranceDue = socialInsuranceCheckDue(application.form.eligibility.employment.employerKind, application.status, hop.status);
    if (request.socialInsuranceCheck && !socialInsuranceDue) throw checkNotDue('socialInsuranceCheck');
    if (request.socialInsuranceCheck) data.socialInsuranceCheck = checkSocialInsurance(request.socialInsuranceCheck, today);
    else if (socialInsuranceDue && !checksOf(await ctx.applications.events(application.id)).socialInsurance) throw socialInsuranceCheckMissing();
    // 二(四): a senior case reaches the authority through the region title platform, with its acceptance number.
    const platformDue = platformAcceptanceDue(application.level, hop.status);
    if (request.platformAcceptance && !platformDue) throw checkNotDue('platformAcceptance');
    if (platformDue) data.platformAcceptance = checkPlatformAcceptance(request.platformAcceptance, today);
    return { change: { status: hop.status, holderCode: hop.holderCode, returned: null }, opinion, data };
  },
  async approve(ctx, _actor, request, { application, today }) {
    const opinion = requireText(request.opinion, 'opinion', '确认意见', 'The opinion');
    const number = requireText(request.decisionNumber, 'decisionNumber', '确认文号', 'The decision number');
    const decidedOn = request.decidedOn ?? today;
    if (decidedOn > today) throw new DomainError('future_date', { zh: '发文日期不能晚于今天', en: 'The decision date cannot be in the future' }, 'decidedOn');
    // 二(三)1(5): a case refused in principle is approved only with the authority's recorded exception.
    const exception = exceptionForApproval(application.eligibility.decision, request.exceptionReason);
    await requireMaterials(ctx, application, 'forward');
    // 二(三)1(3), 二(四): the checks given on the way up stand on the case when the authority decides.
    const missing = missingAtApproval(application.form.eligibility.employment.employerKind, application.level, checksOf(await ctx.applications.events(application.id)));
    if (missing) throw missing;
    // 四(一): a ban bars promotion, not this; the decision records the bans the authority approved over.
    const bans = bansInForce(await ctx.bans.forIdNumber(application.idNumber), today).map((b) => ({ id: b.id, startYear: b.startYear, endYear: b.endYear }));
    return {
      change: { status: 'approved', decision: { number, decidedOn } },
      opinion,
      data: { decisionNumber: number, decidedOn, ...(exception ? { exception } : {}), ...(bans.length > 0 ? { bansInForce: bans } : {}) },
    };
  },
  async return(_ctx, _actor, request, { application, route }) {
    const to = request.to;
    if (!to) throw new DomainError('validation_failed', { zh: '须指明退回到哪一步', en: 'Say which step the case returns to' }, 'to');
    const reason = requireText(request.reason, 'reason', '退回理由', 'The reason');
    checkReturnTarget(application.status, to, passesDepartment(application, route));
    const holderCode = to === 'department_review' ? route[1]!.code : application.unitCode;
    return { change: { status: to, holderCode, returned: { to, reason } }, opinion: reason, data: { to } };
  },
  async reject(ctx, actor, request, { application, at, today }) {
    const reason = requireText(request.reason, 'reason', '不予确认理由', 'The reason');
    // 一(一) sentence 2: a unit requiring a fresh evaluation records that choice with its rejection.
    const employerChoice = choiceAtRejection(application.form.eligibility.obtained.method, request.employerChoice, actor.role === 'unit_hr', 'employerChoice');
    const chosen = employerChoice ? { employerChoice, eligibility: assessEligibility({ ...application.form.eligibility, employerChoice }, today) } : {};
    const extra: Statement[] = [];
    let ban: { startYear: number; endYear: number } | undefined;
    if (request.falseMaterials) {
      // 四(一): the five years run from the year of the application.
      ban = banYears(Number(chinaDate(new Date(application.createdAt)).slice(0, 4)));
      extra.push(
        ctx.bans.recordForApplication({
          id: newId('BN', chinaDate(new Date(at))),
          idNumber: application.idNumber,
          holderName: application.holderName,
          ...ban,
          clause: BAN_CLAUSE,
          source: 'application',
          note: `申请 ${application.id}：${reason}`,
          createdAt: at,
          createdBy: actor.personId,
        }),
      );
    }
    return { change: { status: 'rejected', ...chosen }, opinion: reason, data: { falseMaterials: request.falseMaterials === true, ...(ban ? { ban } : {}), ...(employerChoice ? { employerChoice } : {}) }, extra };
  },
};

/**
 * Takes one step on a case (二(二)); refused with 409 when the case is not at a step that allows it, and
 * 403 when the person does not stand where the case is.
 * @example await takeStep(ctx, unitHr, id, 'start_notice', { start: '2026-09-29' });
 */
export async function takeStep(ctx: ServiceContext, actor: Actor, id: string, action: StepAction, request: StepRequest, idempotencyKey?: string): Promise<ApplicationView> {
  return transition(ctx, actor, id, action, idempotencyKey, (input) => STEPS[action](ctx, actor, request, input));
}

async function transition(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  action: WorkflowAction,
  idempotencyKey: string | undefined,
  step: (input: StepInput) => Promise<StepOutcome>,
): Promise<ApplicationView> {
  const { application, route } = await visibleCase(ctx, actor, id);
  if (idempotencyKey) {
    const earlier = await ctx.applications.findEventByKey(id, actor.personId, idempotencyKey);
    if (earlier) {
      if (earlier.action !== action) {
        throw new DomainError('idempotency_conflict', { zh: '该 Idempotency-Key 已用于另一操作', en: 'This Idempotency-Key was already used for another action' }, 'Idempotency-Key');
      }
      return viewOf(ctx, application, actor);
    }
  }
  const actorOrg = await orgOf(ctx, actor.orgCode);
  checkAction(application, action, actorAt(actor, actorOrg));
  const now = ctx.now();
  const at = now.toISOString();
  const outcome = await step({ application, route, actorOrg, today: chinaDate(now), at });
  const seq = application.version + 1;
  const event = eventFor(actor, actorOrg, seq, action, application.status, outcome.change.status, at, outcome.opinion, outcome.data);
  const auditRow = auditOf(actor, at, `application.${action}`, `application:${id}`, { from: application.status, to: outcome.change.status, ...outcome.data });
  try {
    await ctx.applications.transition(application, outcome.change, event, at, idempotencyKey ?? null, [...(outcome.extra ?? []), ctx.audit.statement(auditRow)]);
  } catch (error) {
    if (error instanceof ConstraintError) {
      if (idempotencyKey && (await ctx.applications.findEventByKey(id, actor.personId, idempotencyKey))) return getApplication(ctx, actor, id); // our own retry won
      throw new DomainError('conflict', { zh: '该申请刚被他人处理，请刷新后重试', en: 'Someone else acted on this application just now; reload and try again' });
    }
    throw error;
  }
  return getApplication(ctx, actor, id);
}

/**
 * Adds a file to a case's materials: PDF, JPEG or PNG by content, at most 5 MiB; the photo for the
 * e-certificate must also pass the certificate photo's checks (二(三)1(4)).
 */
export async function uploadMaterial(ctx: ServiceContext, actor: Actor, id: string, upload: { item: MaterialKind; filename: string; content: string }, idempotencyKey?: string): Promise<ApplicationView> {
  if (!uploadableBy(actor.role).includes(upload.item)) {
    throw new DomainError('forbidden', { zh: `${MATERIAL_NAMES[upload.item]?.zh ?? upload.item}不由您提供`, en: `${MATERIAL_NAMES[upload.item]?.en ?? upload.item} is not yours to supply` }, 'item');
  }
  const file = await parseEvidence(upload.content, 'content', { zh: `材料“${upload.filename}”`, en: `The material "${upload.filename}"` });
  if (upload.item === 'photo') inspectPhoto(file.bytes, 'content');
  const sha256 = await sha256Hex(file.bytes);
  return transition(ctx, actor, id, 'upload_material', idempotencyKey, async ({ application, at, today }) => {
    const material: Material = {
      id: newId('MT', today),
      item: upload.item,
      filename: upload.filename,
      sha256,
      mediaType: file.mediaType,
      size: file.bytes.length,
      uploadedBy: actor.personId,
      orgCode: actor.orgCode,
      uploadedAt: at,
    };
    return {
      change: { status: application.status },
      opinion: null,
      data: { materialId: material.id, item: material.item, sha256, size: material.size },
      extra: [...evidenceStatements([{ sha256, mediaType: file.mediaType, bytes: file.bytes }]), ctx.applications.materialStatement(application.id, material)],
    };
  });
}

export async function materialFile(ctx: ServiceContext, actor: Actor, id: string, materialId: string): Promise<{ material: Material; bytes: Uint8Array }> {
  await visibleCase(ctx, actor, id);
  const material = (await ctx.applications.materials(id)).find((m) => m.id === materialId);
  const file = material ? await ctx.verificationRecords.evidence(material.sha256) : undefined;
  if (!material || !file) throw new DomainError('not_found', { zh: '没有这份材料', en: 'No such material' });
  return { material, bytes: file.bytes };
}

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
