/**
 * @module services/bans
 * The five-year ban register of notice 四(一) for staff and promotion systems: one person's status by ID
 * number, and the whole register (for the auditor's CSV). Every answer says what a ban bars — applying for
 * a title promotion (申报晋升职称) — with its clause and years.
 */
import { BAN_BARS, BAN_CLAUSE, bansInForce, describeBan, registerEntry, type BanStatement, type RegisterEntry } from '../domain/ban.js';
import { chinaDate } from '../domain/chineseDate.js';
import type { Actor, ServiceContext } from './context.js';

export interface BanStatus {
  banned: boolean;
  /** The last day of the latest ban in force (YYYY-12-31), or null. */
  until: string | null;
  clause: typeof BAN_CLAUSE;
  bars: typeof BAN_BARS;
  bans: BanStatement[];
}

/** @example await banStatus(ctx, '450102198005120019') // { banned: true, until: '2030-12-31', clause: '四(一)', bars: { zh: '申报晋升职称', … }, bans: [...] } */
export async function banStatus(ctx: ServiceContext, idNumber: string): Promise<BanStatus> {
  const today = chinaDate(ctx.now());
  const bans = await ctx.bans.forIdNumber(idNumber.trim().toUpperCase());
  const inForce = bansInForce(bans, today);
  return {
    banned: inForce.length > 0,
    until: inForce.length > 0 ? `${Math.max(...inForce.map((b) => b.endYear))}-12-31` : null,
    clause: BAN_CLAUSE,
    bars: BAN_BARS,
    bans: bans.map((b) => describeBan(b, today, { forStaff: true })), // only staff who may read bans reach this (ban.read)
  };
}

export type { RegisterEntry };

/**
 * Every ban on record (optionally only those running today, or only the others): in full for auditors; for
 * other staff names and ID numbers masked and no notes (domain/ban.ts registerEntry, 四(四)).
 * @example (await banRegister(ctx, auditor, { inForce: true })).map((b) => b.idNumber)
 */
export async function banRegister(ctx: ServiceContext, actor: Actor, query: { inForce?: boolean | undefined }): Promise<RegisterEntry[]> {
  const today = chinaDate(ctx.now());
  return (await ctx.bans.all())
    .map((b) => registerEntry(b, today, actor.role))
    .filter((b) => query.inForce === undefined || b.inForce === query.inForce);
}
