/**
 * @module domain/ban
 * The five-year ban of notice 四(一): a person found to have submitted false materials may not apply for a
 * title promotion (申报晋升职称) "自申报或撤销当年起五年内" — five years counted from the year of the application
 * or of the revocation, that year included (a 2026 revocation bars 2026 to 2030). It bars promotion only: a
 * reconfirmation is not a promotion, so the service never refuses one for a ban; it shows the ban, its
 * clause and its years to every reviewer of the case, who decide (四(二), 四(四)).
 */

export const BAN_CLAUSE = '四(一)';
export const BAN_YEARS = 5;

/** What a ban bars (四(一)): applying for a title promotion — and nothing else. */
export const BAN_BARS = { code: 'title_promotion', zh: '申报晋升职称', en: 'applying for a title promotion' } as const;

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

/**
 * One ban in words, for reviewers and promotion systems: what it bars (申报晋升职称), its clause and its years.
 * @example banMessage({ startYear: 2026, endYear: 2030, source: 'revocation' }).zh
 * // '因提交虚假材料被撤销职称确认，2026年至2030年不得申报晋升职称（桂职办〔2020〕132号 四(一)）'
 */
export function banMessage(ban: Pick<Ban, 'startYear' | 'endYear' | 'source'>): { zh: string; en: string } {
  const why = ban.source === 'revocation' ? { zh: '因提交虚假材料被撤销职称确认', en: 'Title confirmation revoked for false materials' } : { zh: '因申报时提交虚假材料不予确认', en: 'Application refused for false materials' };
  return {
    zh: `${why.zh}，${ban.startYear}年至${ban.endYear}年不得${BAN_BARS.zh}（桂职办〔2020〕132号 ${BAN_CLAUSE}）`,
    en: `${why.en}: barred from ${BAN_BARS.en} from ${ban.startYear} to ${ban.endYear} (notice ${BAN_CLAUSE})`,
  };
}

/** What reviewers of a reconfirmation case are told beside a ban: it does not bar this case; they decide. */
export const BAN_CASE_NOTE = {
  zh: `该禁止只限制${BAN_BARS.zh}，不限制职称重新确认；请各审核环节结合禁止情况审核决定（四(一)）。`,
  en: `The ban bars ${BAN_BARS.en} only, not reconfirmation; each reviewer weighs it and decides (notice 四(一)).`,
} as const;

/**
 * Who reads the ban register's ID numbers in full: auditors read everything; other staff see them masked in
 * the register and look a person up by the full number they already hold.
 * @example registerShowsFullIdNumber('auditor') // true
 */
export function registerShowsFullIdNumber(role: string): boolean {
  return role === 'auditor';
}

/** A ban as staff and promotion systems read it: the register's facts, whether it runs, and in words what it bars. */
export interface BanStatement extends Omit<Ban, 'idNumber'> {
  /** Whether the ban runs on the day asked about. */
  inForce: boolean;
  bars: typeof BAN_BARS;
  message: { zh: string; en: string };
}

/**
 * @example describeBan(ban, '2027-03-01') // { ...ban without idNumber, inForce: true, bars: BAN_BARS, message: { zh: '…不得申报晋升职称…', en } }
 */
export function describeBan(ban: Ban, onDate: string): BanStatement {
  const { idNumber: _idNumber, ...facts } = ban;
  return { ...facts, inForce: bansInForce([ban], onDate).length > 0, bars: BAN_BARS, message: banMessage(ban) };
}
