/**
 * @module domain/ban
 * The five-year ban of notice 四(一): a person found to have submitted false materials may not apply for a
 * title promotion (申报晋升职称) "自申报或撤销当年起五年内" — five years counted from the year of the application
 * or of the revocation, that year included (a 2026 revocation bars 2026 to 2030). It bars promotion only: a
 * reconfirmation is not a promotion, so the service never refuses one for a ban; it shows the ban, its
 * clause and its years to every reviewer of the case, who decide (四(二), 四(四)). The ban's facts — the
 * revocation's note (which may name other people or files), the certificate number and the name — are for
 * staff: the applicant reading their own case sees only what it bars, its clause, its years and whether it
 * runs; the register masks names and ID numbers and leaves out the notes for everyone but auditors (四(四)).
 */
import { maskIdNumber } from './idDocument.js';
import { may } from './roles.js';

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
 * Who reads the ban register in full — ID numbers, names and notes: auditors read everything; other staff see
 * names and ID numbers masked and no notes, and look a person up by the full number they already hold (四(四)).
 * @example registerShowsFullIdNumber('auditor') // true
 */
export function registerShowsFullIdNumber(role: string): boolean {
  return role === 'auditor';
}

/**
 * Who reads a ban's facts on a case — the note, the revoked certificate's number, the name: staff who may read
 * bans (四(一)). The applicant reading their own case is told only what it bars, its clause, its years and
 * whether it runs (四(四)).
 * @example seesBanDetails('department_reviewer') // true
 * @example seesBanDetails('applicant') // false
 */
export function seesBanDetails(role: string): boolean {
  return may(role, 'ban.read');
}

/**
 * A name as the register shows it to staff other than auditors: first and last character kept, the rest
 * starred; a two-character name keeps its first (四(四)).
 * @example maskPersonName('张三丰') // '张*丰'
 * @example maskPersonName('李四') // '李*'
 */
export function maskPersonName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return '*'.repeat(chars.length);
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}

/**
 * A ban as it is read: what it bars, its clause, its years and whether it runs; for staff also the register's
 * facts (the name, the revoked certificate's number, the note, when it was recorded).
 */
export interface BanStatement {
  id: string;
  startYear: number;
  endYear: number;
  clause: string;
  source: Ban['source'];
  /** Whether the ban runs on the day asked about. */
  inForce: boolean;
  bars: typeof BAN_BARS;
  message: { zh: string; en: string };
  /** Staff only. */
  holderName?: string;
  /** Staff only. */
  certificateNumber?: string | undefined;
  /** Staff only: the revocation's facts and basis. */
  note?: string;
  /** Staff only. */
  createdAt?: string;
}

/**
 * @example describeBan(ban, '2027-03-01', { forStaff: true }) // { ...ban without idNumber, inForce: true, bars: BAN_BARS, message: { zh: '…不得申报晋升职称…', en } }
 * @example describeBan(ban, '2027-03-01', { forStaff: false }) // { id, startYear, endYear, clause, source, inForce, bars, message } — no note, certificate number or name
 */
export function describeBan(ban: Ban, onDate: string, { forStaff }: { forStaff: boolean }): BanStatement {
  const told = {
    id: ban.id, startYear: ban.startYear, endYear: ban.endYear, clause: ban.clause, source: ban.source,
    inForce: bansInForce([ban], onDate).length > 0, bars: BAN_BARS, message: banMessage(ban),
  };
  if (!forStaff) return told; // 四(四): the applicant is told what bars them, not the unit's file on it
  return { ...told, holderName: ban.holderName, ...(ban.certificateNumber ? { certificateNumber: ban.certificateNumber } : {}), note: ban.note, createdAt: ban.createdAt };
}

/** One line of the ban register: the ID number and name are always there, masked unless the reader is an auditor. */
export type RegisterEntry = BanStatement & { idNumber: string; holderName: string; createdAt: string };

/**
 * One ban as the register shows it to a role: in full to auditors; to other staff with the name and ID number
 * masked and without the note (四(四)).
 * @example registerEntry(ban, '2027-03-01', 'handler') // { holderName: '张*', idNumber: '4501**********0019', … no note }
 */
export function registerEntry(ban: Ban, onDate: string, role: string): RegisterEntry {
  const { note: _note, ...described } = describeBan(ban, onDate, { forStaff: true });
  const entry = { ...described, createdAt: ban.createdAt };
  if (registerShowsFullIdNumber(role)) return { ...entry, note: ban.note, holderName: ban.holderName, idNumber: ban.idNumber };
  return { ...entry, holderName: maskPersonName(ban.holderName), idNumber: maskIdNumber(ban.idNumber) };
}
