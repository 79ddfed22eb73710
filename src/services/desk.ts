/**
 * @module services/desk
 * What needs a person now, for the console's first page (issue 18 item 6): the cases at their desk (waiting for
 * a step they may take), among them those waiting more than ten working days, and the public notices (二(二)2)
 * on their route that end this week. Working days by the Chinese and Guangxi calendar (domain/workingDays.ts),
 * dates in China. Whether the person may take a step on a case is the caller's predicate (the same one the
 * case pages use), so this module decides nothing of the workflow itself.
 */
import type { Application } from '../domain/application.js';
import { chinaDate } from '../domain/chineseDate.js';
import { endOfWeek, workingDaysSince } from '../domain/workingDays.js';
import { currentCalendar } from './applications/calendar.js';
import { listApplications } from './applications/view.js';
import type { Actor, ServiceContext } from './context.js';

/** A case at someone's desk waits this many working days before the desk flags it. */
export const LONG_WAIT_WORKING_DAYS = 10;

export interface DeskCase {
  application: Application;
  /** Working days since the case last moved (arrived at this desk), today included. */
  waitingDays: number;
}

export interface Desk {
  /** Waiting for a step this person may take, longest waiting first. */
  atDesk: DeskCase[];
  /** Of those, the ones waiting more than {@link LONG_WAIT_WORKING_DAYS} working days. */
  waitingLong: DeskCase[];
  /** On public notice on this person's route, ending between today and Sunday, soonest first. */
  noticesEndingThisWeek: DeskCase[];
  today: string;
  weekEnds: string;
}

/** How many cases each list reads at most: a desk is a page, not an export (the case search has the rest). */
const READ = 200;

/**
 * The cases waiting for a step this person may take (待办): held by their organisation, `canAct` on them. An
 * applicant's drafts are theirs to finish, not a desk's.
 * @example const queue = await casesAtDesk(ctx, actor, (a) => allows(a, 'receive', at));
 */
export async function casesAtDesk(ctx: ServiceContext, actor: Actor, canAct: (application: Application) => boolean): Promise<Application[]> {
  if (actor.role === 'applicant') return [];
  // Longest waiting first, so an office holding more than READ cases still sees its oldest ones.
  return (await listApplications(ctx, actor, { queue: true, search: { sort: 'updated', order: 'asc' }, limit: READ, offset: 0 })).items.filter(canAct);
}

/**
 * @example const desk = await deskOf(ctx, actor, (a) => allows(a, 'endorse', at));
 */
export async function deskOf(ctx: ServiceContext, actor: Actor, canAct: (application: Application) => boolean): Promise<Desk> {
  const today = chinaDate(ctx.now());
  const weekEnds = endOfWeek(today);
  const [held, onNotice, calendar] = await Promise.all([
    casesAtDesk(ctx, actor, canAct),
    listApplications(ctx, actor, { search: { status: 'public_notice', sort: 'notice', order: 'asc' }, limit: READ, offset: 0 }),
    currentCalendar(ctx),
  ]);
  const waited = (a: Application): DeskCase => ({
    application: a,
    waitingDays: workingDaysSince(chinaDate(new Date(a.updatedAt)), today, calendar.overrides, calendar.announcements),
  });
  const atDesk = held.map(waited).sort((x, y) => y.waitingDays - x.waitingDays || x.application.id.localeCompare(y.application.id));
  return {
    atDesk,
    waitingLong: atDesk.filter((c) => c.waitingDays > LONG_WAIT_WORKING_DAYS),
    noticesEndingThisWeek: onNotice.items.filter((a) => a.notice && a.notice.end >= today && a.notice.end <= weekEnds).map(waited),
    today,
    weekEnds,
  };
}
