/**
 * @module domain/verificationRecord
 * The verification record (核实情况记录单, attachment 2 of the notice): how a submitting department checked an
 * out-of-region title when the original proof could not be produced — by information system, official
 * letter, phone or another way (notice 四(三)). The note under attachment 2 asks for the time of the check,
 * and the web address checked, or for a phone check the contact's unit, position and phone number.
 * Records are append-only; a correction is a new record that supersedes an earlier one and says why.
 */

import { isIsoDate } from './chineseDate.js';

export const VERIFICATION_METHODS = ['information_system', 'letter', 'phone', 'other'] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];
/** The check boxes of attachment 2, in its order: □信息系统 □发函 □电话 □其他. */
export const VERIFICATION_METHOD_NAMES: Record<VerificationMethod, { zh: string; en: string }> = {
  information_system: { zh: '信息系统', en: 'Information system' },
  letter: { zh: '发函', en: 'Official letter' },
  phone: { zh: '电话', en: 'Phone' },
  other: { zh: '其他', en: 'Other' },
};

export const VERIFICATION_RESULTS = ['genuine', 'not_genuine', 'unverifiable'] as const;
export type VerificationResult = (typeof VERIFICATION_RESULTS)[number];
export const VERIFICATION_RESULT_NAMES: Record<VerificationResult, { zh: string; en: string }> = {
  genuine: { zh: '真实有效', en: 'Genuine' },
  not_genuine: { zh: '不真实', en: 'Not genuine' },
  unverifiable: { zh: '无法核实', en: 'Could not be verified' },
};

/** Evidence kept beside a record (a screenshot, a scanned reply): its bytes live apart, the hash in the record. */
export interface EvidenceRef {
  sha256: string;
  mediaType: 'application/pdf' | 'image/jpeg' | 'image/png';
  bytes: number;
}

/** The certificate that was checked (attachment 2, 需核实职称证书情况). */
export interface VerificationSubject {
  holderName: string;
  idNumber: string;
  titleName: string;
  evaluatingBody: string;
  acquiredOn: string;
  certificateNumber?: string | undefined;
}

export type MethodDetails =
  | { method: 'information_system'; informationSystem: { name: string; url: string; evidence: EvidenceRef } }
  | { method: 'letter'; letter: { number: string; sentTo: string; sentOn: string; repliedOn: string; evidence: EvidenceRef } }
  | { method: 'phone'; phone: { organisation: string; position: string; name: string; number: string; calledAt: string } }
  | { method: 'other'; other: { description: string } };

/** One link of the 核实 log, as stored and hashed. */
export interface VerificationRecord {
  seq: number;
  id: string;
  orgCode: string;
  subject: VerificationSubject;
  details: MethodDetails;
  checkedAt: string;
  result: VerificationResult;
  record: string;
  handler: { name: string };
  /** The date the handler signs the record (attachment 2's 年 月 日), YYYY-MM-DD in China time. */
  recordedOn: string;
  createdAt: string;
  /** Who wrote it: the token's id (its label names the person; notice 四(四)). */
  writtenBy: string;
  supersedes?: { id: string; reason: string } | undefined;
  applicationId?: string | undefined;
  prevHash: string;
  hash: string;
}

/** The first record's prevHash. */
export const GENESIS_HASH = '0'.repeat(64);

// ---------------------------------------------------------------- the request (what a handler submits)

/** What a handler submits: the fields of attachment 2 and the details the note under it asks for. */
export interface VerificationRequest {
  subject: VerificationSubject;
  method: VerificationMethod;
  /** `evidence` here and in `letter` is a `data:` URL (PDF, JPEG or PNG); see domain/evidence.ts. */
  informationSystem?: { name?: string | undefined; url?: string | undefined; evidence?: string | undefined } | undefined;
  letter?:
    | { number?: string | undefined; sentTo?: string | undefined; sentOn?: string | undefined; repliedOn?: string | undefined; evidence?: string | undefined }
    | undefined;
  phone?:
    | { organisation?: string | undefined; position?: string | undefined; name?: string | undefined; number?: string | undefined; calledAt?: string | undefined }
    | undefined;
  other?: { description?: string | undefined } | undefined;
  /** When the check was made: ISO 8601 date-time with an offset, e.g. `2026-11-20T10:30:00+08:00`. */
  checkedAt: string;
  result: VerificationResult;
  record: string;
  handler: { name: string };
  /** Defaults to today in China time. */
  recordedOn?: string | undefined;
  supersedes?: { id: string; reason: string } | undefined;
  applicationId?: string | undefined;
}

/** A field the record cannot be kept without, or one whose value cannot be right. */
export interface MissingDetail {
  /** JSON path in the request, e.g. `phone.number`. */
  field: string;
  message: { zh: string; en: string };
}

/** The request property that carries each method's details (`information_system` → `informationSystem`). */
export const METHOD_DETAILS_KEY = {
  information_system: 'informationSystem',
  letter: 'letter',
  phone: 'phone',
  other: 'other',
} as const satisfies Record<VerificationMethod, string>;

// Seconds optional, fraction allowed, an offset required: a time without a zone is not a moment.
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** True for a real calendar date `YYYY-MM-DD`. */
export function isCalendarDate(value: unknown): value is string {
  return typeof value === 'string' && isIsoDate(value);
}

/**
 * The moment an ISO 8601 date-time with an offset names, or undefined (no offset, impossible date or time).
 * @example parseInstant('2026-11-20T10:30:00+08:00')?.toISOString() // '2026-11-20T02:30:00.000Z'
 */
export function parseInstant(value: unknown): Date | undefined {
  const m = typeof value === 'string' ? ISO_INSTANT.exec(value) : null;
  if (!m || !isCalendarDate(`${m[1]}-${m[2]}-${m[3]}`)) return undefined;
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  const offset = m[8] === 'Z' ? '+00:00' : (m[8] ?? '');
  const [oh, om] = [Number(offset.slice(1, 3)), Number(offset.slice(4, 6))];
  if (hour > 23 || minute > 59 || second > 59 || oh > 14 || om > 59) return undefined;
  const at = new Date(value as string);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

const blank = (value: unknown): boolean => typeof value !== 'string' || value.trim().length === 0;

/** Labels of the fields, for messages. */
const LABELS: Record<string, { zh: string; en: string }> = {
  'informationSystem.name': { zh: '信息系统名称', en: 'the information system’s name' },
  'informationSystem.url': { zh: '核实的网址', en: 'the web address checked' },
  'informationSystem.evidence': { zh: '核实结果截图', en: 'a screenshot of the result (evidence)' },
  'letter.number': { zh: '函件文号', en: 'the letter number' },
  'letter.sentTo': { zh: '发函对象（单位）', en: 'the organisation written to' },
  'letter.sentOn': { zh: '发函日期', en: 'the date sent' },
  'letter.repliedOn': { zh: '复函日期', en: 'the reply date' },
  'letter.evidence': { zh: '复函扫描件', en: 'a scan of the reply (evidence)' },
  'phone.organisation': { zh: '对方单位', en: 'the contact’s organisation' },
  'phone.position': { zh: '对方职务', en: 'the contact’s position' },
  'phone.name': { zh: '对方姓名', en: 'the contact’s name' },
  'phone.number': { zh: '对方电话号码', en: 'the contact’s phone number' },
  'phone.calledAt': { zh: '通话时间', en: 'the time of the call' },
  'other.description': { zh: '核实方式说明', en: 'a description of how it was checked' },
  'subject.holderName': { zh: '持证人姓名', en: 'the holder’s name' },
  'subject.idNumber': { zh: '身份证号码', en: 'the ID number' },
  'subject.titleName': { zh: '职称（资格）名称', en: 'the title name' },
  'subject.evaluatingBody': { zh: '评审（发证）机构', en: 'the evaluating body' },
  'subject.acquiredOn': { zh: '取得时间', en: 'the acquisition date' },
  method: { zh: '核实方式', en: 'the method' },
  checkedAt: { zh: '核实时间', en: 'the time of the check' },
  result: { zh: '核实结果', en: 'the result' },
  record: { zh: '核实情况记录', en: 'the record text' },
  'handler.name': { zh: '经办人姓名', en: 'the handler’s name' },
};

function required(field: string): MissingDetail {
  const label = LABELS[field] ?? { zh: field, en: field };
  return { field, message: { zh: `缺少${label.zh}`, en: `${label.en} is required (${field})` } };
}

function invalid(field: string, zh: string, en: string): MissingDetail {
  const label = LABELS[field] ?? { zh: field, en: field };
  return { field, message: { zh: `${label.zh}${zh}`, en: `${label.en} ${en} (${field})` } };
}

/**
 * The details the chosen method still lacks, in the order of the form. Notice 四(三) names the four ways
 * (information system, official letter, phone, other); the note under attachment 2 asks for the time of
 * the check and the web address checked, or for a phone check the contact's unit, position and number.
 * The letter's number, addressee, dates and reply scan, and the name of an information system and its
 * screenshot, are what a reviewer needs to repeat the check (四(二): every level answers for what it records).
 * @example
 * missingDetails({ method: 'phone', phone: { organisation: '湖南省人社厅', name: '王五' } }).map((m) => m.field)
 * // ['phone.position', 'phone.number', 'phone.calledAt']
 */
export function missingDetails(request: Pick<VerificationRequest, 'method' | 'informationSystem' | 'letter' | 'phone' | 'other'>): MissingDetail[] {
  const out: MissingDetail[] = [];
  switch (request.method) {
    case 'information_system': {
      const d = request.informationSystem ?? {};
      if (blank(d.name)) out.push(required('informationSystem.name'));
      // Attachment 2 note: the web address checked.
      if (blank(d.url)) out.push(required('informationSystem.url'));
      else if (!isHttpUrl(d.url!.trim())) out.push(invalid('informationSystem.url', '须为 http(s) 网址', 'must be an http(s) URL'));
      if (blank(d.evidence)) out.push(required('informationSystem.evidence'));
      break;
    }
    case 'letter': {
      const d = request.letter ?? {};
      if (blank(d.number)) out.push(required('letter.number'));
      if (blank(d.sentTo)) out.push(required('letter.sentTo'));
      for (const key of ['sentOn', 'repliedOn'] as const) {
        if (blank(d[key])) out.push(required(`letter.${key}`));
        else if (!isCalendarDate(d[key])) out.push(invalid(`letter.${key}`, '须为日期（YYYY-MM-DD）', 'must be a date (YYYY-MM-DD)'));
      }
      // A reply cannot come before the letter it answers.
      if (isCalendarDate(d.sentOn) && isCalendarDate(d.repliedOn) && d.repliedOn < d.sentOn) {
        out.push(invalid('letter.repliedOn', '不能早于发函日期', 'cannot be before the date sent'));
      }
      if (blank(d.evidence)) out.push(required('letter.evidence'));
      break;
    }
    case 'phone': {
      const d = request.phone ?? {};
      // Attachment 2 note: for a phone check, the contact's unit, position and phone number.
      for (const key of ['organisation', 'position', 'name', 'number'] as const) {
        if (blank(d[key])) out.push(required(`phone.${key}`));
      }
      if (blank(d.calledAt)) out.push(required('phone.calledAt'));
      else if (!parseInstant(d.calledAt!.trim())) {
        out.push(invalid('phone.calledAt', '须为带时区的日期时间（如 2026-11-20T10:30:00+08:00）', 'must be a date-time with an offset, e.g. 2026-11-20T10:30:00+08:00'));
      }
      break;
    }
    case 'other': {
      // 四(三) "or another way": then the record must say what that way was.
      if (blank(request.other?.description)) out.push(required('other.description'));
      break;
    }
    default:
      out.push(invalid('method', `须为 ${VERIFICATION_METHODS.join('、')} 之一`, `must be one of ${VERIFICATION_METHODS.join(', ')}`));
  }
  return out;
}

/**
 * The fields of attachment 2 every record needs whatever the method: the certificate checked, the time of
 * the check (attachment 2 note), the result, the record and the handler (四(四): every step has a name).
 */
export function missingRecordFields(request: Partial<VerificationRequest>): MissingDetail[] {
  const out: MissingDetail[] = [];
  const subject: Partial<VerificationSubject> = request.subject ?? {};
  for (const key of ['holderName', 'idNumber', 'titleName', 'evaluatingBody'] as const) {
    if (blank(subject[key])) out.push(required(`subject.${key}`));
  }
  if (blank(subject.acquiredOn)) out.push(required('subject.acquiredOn'));
  else if (!isCalendarDate(subject.acquiredOn)) out.push(invalid('subject.acquiredOn', '须为日期（YYYY-MM-DD）', 'must be a date (YYYY-MM-DD)'));
  if (blank(request.checkedAt)) out.push(required('checkedAt'));
  else if (!parseInstant(request.checkedAt!.trim())) {
    out.push(invalid('checkedAt', '须为带时区的日期时间（如 2026-11-20T10:30:00+08:00）', 'must be a date-time with an offset, e.g. 2026-11-20T10:30:00+08:00'));
  }
  if (!(VERIFICATION_RESULTS as readonly unknown[]).includes(request.result)) {
    out.push(blank(request.result) ? required('result') : invalid('result', `须为 ${VERIFICATION_RESULTS.join('、')} 之一`, `must be one of ${VERIFICATION_RESULTS.join(', ')}`));
  }
  if (blank(request.record)) out.push(required('record'));
  if (blank(request.handler?.name)) out.push(required('handler.name'));
  return out;
}

/**
 * The result line of attachment 2. For a genuine title the notice gives the words:
 * "经核实，X同志取得的Y职称真实有效。"; the other two say plainly what was found.
 * @example resultSentence('genuine', { holderName: '李四', titleName: '高级工程师' }).zh // '经核实，李四同志取得的高级工程师职称真实有效。'
 */
export function resultSentence(result: VerificationResult, subject: Pick<VerificationSubject, 'holderName' | 'titleName'>): { zh: string; en: string } {
  const { holderName: name, titleName: title } = subject;
  switch (result) {
    case 'genuine':
      return { zh: `经核实，${name}同志取得的${title}职称真实有效。`, en: `Verified: the ${title} title obtained by ${name} is genuine and valid.` };
    case 'not_genuine':
      return { zh: `经核实，${name}同志取得的${title}职称不真实。`, en: `Verified: the ${title} title claimed by ${name} is not genuine.` };
    case 'unverifiable':
      return { zh: `经核实，${name}同志取得的${title}职称无法确认其真实性。`, en: `The ${title} title of ${name} could not be verified.` };
  }
}
