/**
 * @module services/applications/view
 * A case as a person sees it (二(二)): its organisations, history, materials and the checklist of what is
 * on file, the linked 核实 records (四(三)), the bans on record (四(一)) and the decisions recorded at its steps;
 * the list of cases a person may see.
 */
import { describeBan, seesBanDetails, type BanStatement } from '../../domain/ban.js';
import type { Application, ApplicationEvent, Material, Objection } from '../../domain/application.js';
import { chinaDayRange, type CaseSearch } from '../../domain/caseSearch.js';
import { checksOf, type RecordedBy, type RecordedChecks } from '../../domain/checks.js';
import { chinaDate } from '../../domain/chineseDate.js';
import type { EmployerChoice, MaterialItem } from '../../domain/eligibility.js';
import type { InPrincipleException } from '../../domain/inPrincipleException.js';
import { claimedTitle, disagreements, type Disagreement } from '../../domain/verificationMatch.js';
import { missingMaterials, type MaterialsOnFile } from '../../domain/materials.js';
import { subtreeOf } from '../../domain/routing.js';
import { workingDaysLeft } from '../../domain/workingDays.js';
import type { LinkedVerificationRecord } from '../../storage/applications.js';
import type { Actor, ServiceContext } from '../context.js';
import { currentCalendar, publicNotice } from './calendar.js';
import { orgOf, visibleCase } from './shared.js';

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

export async function getApplication(ctx: ServiceContext, actor: Actor, id: string): Promise<ApplicationView> {
  const { application } = await visibleCase(ctx, actor, id);
  return viewOf(ctx, await withCurrentNotice(ctx, application), actor);
}

/** A notice computed on older calendar data (or provisionally) is recomputed when the data has changed. */
export async function withCurrentNotice(ctx: ServiceContext, application: Application): Promise<Application> {
  const notice = application.notice;
  if (!notice || application.status !== 'public_notice') return application;
  const { dataVersion } = await currentCalendar(ctx);
  if (notice.dataVersion === dataVersion) return application;
  const fresh = await publicNotice(ctx, notice.start);
  await ctx.applications.recomputeNotice(application.id, application.version, fresh);
  return { ...application, notice: fresh };
}

export function onFile(application: Application, materials: readonly Material[], genuineVerificationRecords: number): MaterialsOnFile {
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

export const checkedAgainst = (application: Application, records: readonly LinkedVerificationRecord[]): CaseVerificationRecord[] =>
  records.map((r) => ({ ...r, disagreements: disagreements(r, claimedTitle(application.form)) }));

/** 四(三): the linked 核实 records that stand (not corrected), found the title genuine, and checked the title this case claims. */
export const genuineAmong = (records: readonly CaseVerificationRecord[]) => records.filter((r) => r.result === 'genuine' && r.supersededBy === null && r.disagreements.length === 0).length;

export async function viewOf(ctx: ServiceContext, application: Application, actor: Actor): Promise<ApplicationView> {
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

/**
 * The cases a person may read, newest first unless `search` says otherwise (issue 18 item 8: the search box,
 * organisation, dates opened, sorting). `queue`: only those waiting for the caller's organisation. A search
 * narrows what the caller may see and never widens it: an organisation outside the caller's own subtree
 * matches nothing.
 */
export async function listApplications(
  ctx: ServiceContext,
  actor: Actor,
  query: { status?: Application['status'] | undefined; queue?: boolean | undefined; search?: CaseSearch | undefined; limit: number; offset: number },
): Promise<{ items: Application[]; total: number }> {
  const wanted = query.search;
  const page = { status: query.status ?? wanted?.status, limit: query.limit, offset: query.offset };
  const tree = wanted?.org ? await ctx.organisations.tree() : undefined;
  const opened = chinaDayRange(wanted?.from, wanted?.to);
  const search = wanted && {
    text: wanted.text,
    unitCodes: tree && wanted.org ? (tree.has(wanted.org) ? subtreeOf(tree, wanted.org) : []) : undefined,
    createdSince: opened.since,
    createdBefore: opened.before,
    sort: wanted.sort,
    order: wanted.order,
  };
  if (actor.role === 'applicant') return ctx.applications.list({ applicantId: actor.personId, ...page, ...search });
  if (query.queue) return ctx.applications.list({ holderCode: actor.orgCode, ...page, ...search });
  // Everything whose route passes the caller's organisation: its own unit's cases and those of units below it.
  const below = subtreeOf(tree ?? (await ctx.organisations.tree()), actor.orgCode);
  return ctx.applications.list({ routeCodes: below, ...page, ...search });
}
