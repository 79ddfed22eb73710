/**
 * @module domain/ban
 * The five-year ban of notice 四(一): a person found to have submitted false materials may not apply for a
 * title promotion "自申报或撤销当年起五年内" — five years counted from the year of the application or of the
 * revocation, that year included (a 2026 revocation bars 2026 to 2030).
 */

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

/** The bans in force on a China calendar date (YYYY-MM-DD). */
export function bansInForce(bans: readonly Ban[], onDate: string): Ban[] {
  const year = Number(onDate.slice(0, 4));
  return bans.filter((b) => b.startYear <= year && year <= b.endYear);
}
