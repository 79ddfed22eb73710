/**
 * @module domain/ban
 * The five-year ban of notice 四(一): a person found to have submitted false materials may not apply for a
 * title promotion "自申报或撤销当年起五年内" — five years counted from the year of the application or of the
 * revocation, that year included (a 2026 revocation bars 2026 to 2030).
 */

import { DomainError } from './errors.js';

export const BAN_CLAUSE = '四(一)';
export const BAN_YEARS = 5;

export interface Ban {
  id: string;
  idNumber: string;
  holderName: string;
  startYear: number;
  endYear: number;
  clause: string;
  source: 'revocation' | 'application';
  certificateNumber?: string | undefined;
  note: string;
  createdAt: string;
}

/** @example banYears(2026) // { startYear: 2026, endYear: 2030 } */
export function banYears(year: number): { startYear: number; endYear: number } {
  return { startYear: year, endYear: year + BAN_YEARS - 1 };
}

/**
 * 四(一): refuses a banned person, naming the last year of the ban.
 * @example refuseIfBanned(await bans.forIdNumber(id), '2026-11-28', 'holder.idNumber') // throws `banned` while a ban runs
 */
export function refuseIfBanned(bans: readonly Ban[], onDate: string, field: string): void {
  const inForce = bansInForce(bans, onDate);
  if (inForce.length === 0) return;
  const until = Math.max(...inForce.map((b) => b.endYear));
  throw new DomainError(
    'banned',
    {
      zh: `此人因提交虚假材料，${until}年底前不得申报（桂职办〔2020〕132号 四(一)）`,
      en: `This person is barred until the end of ${until} for false materials (notice 四(一))`,
    },
    field,
    { clause: BAN_CLAUSE, until },
  );
}

/** The bans in force on a China calendar date (YYYY-MM-DD). */
export function bansInForce(bans: readonly Ban[], onDate: string): Ban[] {
  const year = Number(onDate.slice(0, 4));
  return bans.filter((b) => b.startYear <= year && year <= b.endYear);
}
