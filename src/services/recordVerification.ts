/**
 * @module services/recordVerification
 * Keeps a verification record (核实情况记录单, attachment 2; notice 四(三)): checks that the chosen method
 * carries the details the note under attachment 2 asks for, content-checks the evidence, and appends the
 * record to the hash-chained 核实 log with its evidence and its audit row — the chain writer signs a head
 * when one is due — in one batch. Records are never changed: a correction is a new record that supersedes an earlier one and says
 * why. Retries with the same Idempotency-Key return the same record.
 */
import { chinaDate, chinaInstant } from '../domain/chineseDate.js';
import { DomainError } from '../domain/errors.js';
import { parseEvidence, type Evidence } from '../domain/evidence.js';
import { checkResidentIdNumber, validateIdDocument } from '../domain/idDocument.js';
import {
  isCalendarDate,
  METHOD_DETAILS_KEY,
  missingDetails,
  missingRecordFields,
  parseInstant,
  type EvidenceRef,
  type MethodDetails,
  type VerificationRecord,
  type VerificationRequest,
} from '../domain/verificationRecord.js';
import type { VerificationRecordDraft } from '../domain/recordChain.js';
import { base64url, canonicalJson, randomBytes, sha256Hex } from '../lib/bytes.js';
import { routeFrom } from '../domain/routing.js';
import { ConstraintError } from '../storage/driver.js';
import type { EvidenceBlob } from '../storage/verificationRecords.js';
import { auditOf } from './audit.js';
import { noteSighting } from './verificationSightings.js';
import type { Actor, ServiceContext } from './context.js';
import { replayed } from './idempotency.js';

export type { VerificationRequest } from '../domain/verificationRecord.js';

export interface RecordVerificationResult {
  record: VerificationRecord;
  /** False when an earlier request with the same Idempotency-Key made it. */
  created: boolean;
}

/** How far ahead of our clock a check time may be (clocks disagree a little). */
export const CHECKED_AT_FUTURE_SKEW_MS = 5 * 60 * 1000;
/** Longest record text: attachment 2 gives the record one box on one page. */
export const RECORD_MAX_LENGTH = 2000;
/** Longest of any other text field. */
export const FIELD_MAX_LENGTH = 200;
/** Longest web address kept. */
export const URL_MAX_LENGTH = 2048;
const RESIDENT_ID_SHAPE = /^\d{17}[\dX]$|^\d{15,}$/;
const APPLICATION_ID = /^[A-Za-z0-9_-]{1,64}$/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function invalid(field: string, zh: string, en: string, details?: Record<string, unknown>): DomainError {
  return new DomainError('validation_failed', { zh, en }, field, details);
}

// Random bytes drawn from the CSPRNG 256 ids at a time: one getRandomValues call costs as much as a
// quarter of an append, and every id still gets fresh bytes, never reused.
let idBytes: Uint8Array = new Uint8Array(0);
let idBytesUsed = 0;

/** A new record id: `vr_` and 96 random bits, unguessable so ids cannot be enumerated. */
export function newVerificationRecordId(): string {
  if (idBytesUsed + 12 > idBytes.length) {
    idBytes = randomBytes(12 * 256);
    idBytesUsed = 0;
  }
  idBytesUsed += 12;
  return `vr_${base64url(idBytes.subarray(idBytesUsed - 12, idBytesUsed))}`;
}

const trimmed = (value: string | undefined): string | undefined => {
  const t = value?.trim();
  return t ? t : undefined;
};

/** Every text the record keeps, with its field, for the length and font checks. */
function textsOf(request: VerificationRequest): [field: string, text: string, max: number][] {
  const s = request.subject;
  const texts: [string, string | undefined, number][] = [
    ['subject.holderName', s.holderName, FIELD_MAX_LENGTH],
    ['subject.titleName', s.titleName, FIELD_MAX_LENGTH],
    ['subject.evaluatingBody', s.evaluatingBody, FIELD_MAX_LENGTH],
    ['subject.certificateNumber', s.certificateNumber, FIELD_MAX_LENGTH],
    ['record', request.record, RECORD_MAX_LENGTH],
    ['handler.name', request.handler.name, FIELD_MAX_LENGTH],
    ['supersedes.reason', request.supersedes?.reason, RECORD_MAX_LENGTH],
  ];
  switch (request.method) {
    case 'information_system':
      texts.push(['informationSystem.name', request.informationSystem?.name, FIELD_MAX_LENGTH], ['informationSystem.url', request.informationSystem?.url, URL_MAX_LENGTH]);
      break;
    case 'letter':
      texts.push(['letter.number', request.letter?.number, FIELD_MAX_LENGTH], ['letter.sentTo', request.letter?.sentTo, FIELD_MAX_LENGTH]);
      break;
    case 'phone':
      for (const key of ['organisation', 'position', 'name', 'number'] as const) texts.push([`phone.${key}`, request.phone?.[key], FIELD_MAX_LENGTH]);
      break;
    case 'other':
      texts.push(['other.description', request.other?.description, RECORD_MAX_LENGTH]);
      break;
  }
  return texts.filter((t): t is [string, string, number] => typeof t[1] === 'string');
}

/** The details as stored: trimmed, instants in China time, evidence by hash. */
function detailsOf(request: VerificationRequest, evidenceRef: EvidenceRef | undefined): MethodDetails {
  const t = (value: string | undefined) => value?.trim() ?? '';
  switch (request.method) {
    case 'information_system': {
      const d = request.informationSystem!;
      return { method: 'information_system', informationSystem: { name: t(d.name), url: t(d.url), evidence: evidenceRef! } };
    }
    case 'letter': {
      const d = request.letter!;
      return { method: 'letter', letter: { number: t(d.number), sentTo: t(d.sentTo), sentOn: t(d.sentOn), repliedOn: t(d.repliedOn), evidence: evidenceRef! } };
    }
    case 'phone': {
      const d = request.phone!;
      return {
        method: 'phone',
        phone: { organisation: t(d.organisation), position: t(d.position), name: t(d.name), number: t(d.number), calledAt: chinaInstant(parseInstant(t(d.calledAt))!) },
      };
    }
    case 'other':
      return { method: 'other', other: { description: t(request.other!.description) } };
  }
}

/**
 * @example
 * const { record } = await recordVerification(ctx, actor, {
 *   subject: { holderName: '李四', idNumber: '450103198501010026', titleName: '高级工程师', evaluatingBody: '湖南省工程技术高级职务评审委员会', acquiredOn: '2015-12-30' },
 *   method: 'phone',
 *   phone: { organisation: '湖南省人力资源和社会保障厅', position: '科员', name: '王五', number: '0731-84900000', calledAt: '2026-11-20T10:30:00+08:00' },
 *   checkedAt: '2026-11-20T10:30:00+08:00', result: 'genuine', record: '电话核实，对方确认……', handler: { name: '赵六' },
 * }, 'retry-key-1');
 * // record.id: 'vr_…', record.hash: 64 hex digits
 */
export async function recordVerification(
  ctx: ServiceContext,
  actor: Actor,
  request: VerificationRequest,
  idempotencyKey?: string,
): Promise<RecordVerificationResult> {
  // Hashing a body with a 5 MiB screenshot costs; only a request that may be retried needs it.
  const requestHash = idempotencyKey ? await sha256Hex(canonicalJson(request)) : '';
  if (idempotencyKey) {
    const earlier = await replay(ctx, actor.orgCode, idempotencyKey, requestHash);
    if (earlier) return { record: earlier, created: false };
  }

  // 四(三) and the note under attachment 2: what every record needs, and the details of its method.
  const missing = [...missingRecordFields(request), ...missingDetails(request)];
  if (missing.length > 0) {
    throw new DomainError(
      'validation_failed',
      {
        zh: `核实情况记录不完整：${missing.map((m) => m.message.zh).join('；')}`,
        en: `The verification record is incomplete: ${missing.map((m) => m.message.en).join('; ')}`,
      },
      missing[0]!.field,
      { missing: missing.map((m) => m.field), problems: missing },
    );
  }
  for (const [field, text, max] of textsOf(request)) {
    if (text.length > max) throw invalid(field, `${field} 不能超过 ${max} 个字符`, `${field} cannot be longer than ${max} characters`, { max, actual: text.length });
    // SQLite stores UTF-8, where a lone surrogate cannot exist: the stored text would differ from the hashed one.
    if (LONE_SURROGATE.test(text)) throw invalid(field, `${field} 含有无效的 Unicode 字符`, `${field} contains an invalid Unicode sequence (a lone surrogate)`);
  }

  const now = ctx.now();
  const today = chinaDate(now);
  const subject = request.subject;
  // The record's ID number: a resident ID — or a run of digits meant as one — is checked in full (length,
  // birth date, check digit); another document (passport, permit) by shape only.
  const idNumber = subject.idNumber.trim().toUpperCase();
  const born = RESIDENT_ID_SHAPE.test(idNumber)
    ? checkResidentIdNumber(idNumber, today, 'subject.idNumber')
    : (validateIdDocument('other', idNumber, 'subject.idNumber', today), undefined);

  const checkedAt = parseInstant(request.checkedAt.trim())!;
  if (checkedAt.getTime() > now.getTime() + CHECKED_AT_FUTURE_SKEW_MS) {
    throw new DomainError('future_date', { zh: '核实时间不能晚于现在', en: 'The time of the check cannot be in the future' }, 'checkedAt');
  }
  const checkedOn = chinaDate(checkedAt);
  const acquiredOn = subject.acquiredOn.trim();
  if (acquiredOn > checkedOn) {
    throw invalid('subject.acquiredOn', '取得时间不能晚于核实时间', 'The acquisition date cannot be after the check');
  }
  if (born && acquiredOn <= born.birthDate) {
    throw invalid('subject.acquiredOn', `取得时间早于持证人出生日期（${born.birthDate}）`, `The acquisition date is before the holder's birth date (${born.birthDate})`);
  }
  const recordedOn = trimmed(request.recordedOn) ?? today;
  if (!isCalendarDate(recordedOn)) throw invalid('recordedOn', '记录日期须为日期（YYYY-MM-DD）', 'recordedOn must be a date (YYYY-MM-DD)');
  if (recordedOn > today) throw new DomainError('future_date', { zh: `记录日期不能晚于今天（${today}）`, en: `recordedOn cannot be after today (${today})` }, 'recordedOn');
  // The handler signs and dates the record after the check (attachment 2: 经办人签字, 年 月 日).
  if (recordedOn < checkedOn) throw invalid('recordedOn', '记录日期不能早于核实日期', 'recordedOn cannot be before the day of the check');
  if (request.method === 'phone') {
    const calledAt = parseInstant(request.phone!.calledAt!.trim())!;
    if (calledAt.getTime() > now.getTime() + CHECKED_AT_FUTURE_SKEW_MS) {
      throw new DomainError('future_date', { zh: '通话时间不能晚于现在', en: 'The time of the call cannot be in the future' }, 'phone.calledAt');
    }
  }
  if (request.method === 'letter') {
    for (const key of ['sentOn', 'repliedOn'] as const) {
      if (request.letter![key]!.trim() > today) {
        throw new DomainError('future_date', { zh: `日期不能晚于今天（${today}）`, en: `Date cannot be after today (${today})` }, `letter.${key}`);
      }
    }
  }
  const applicationId = trimmed(request.applicationId);
  if (applicationId && !APPLICATION_ID.test(applicationId)) {
    throw invalid('applicationId', '申请编号格式错误', 'applicationId must be 1–64 letters, digits, hyphens or underscores');
  }
  if (applicationId) {
    // 四(三): the record verifies this case's title, by a department on the case's route.
    const application = await ctx.applications.find(applicationId);
    const route = application ? routeFrom(application.unitCode, await ctx.organisations.tree()) : [];
    if (!application || !route.some((o) => o.code === actor.orgCode)) {
      throw new DomainError('not_found', { zh: `申请 ${applicationId} 不存在或不经过本单位报送`, en: `Application ${applicationId} does not exist or does not pass through your organisation` }, 'applicationId');
    }
    if (application.idNumber !== idNumber) {
      throw invalid('subject.idNumber', '核实对象的身份证号码与该申请的申报人不一致', 'The ID number differs from the applicant of that application');
    }
  }

  // Everything printed on attachment 2 must be drawable by the record's font.
  for (const [field, text] of textsOf(request)) {
    const undrawable = await ctx.fonts.undrawable(text);
    if (undrawable.length > 0) {
      const list = undrawable.map((ch) => `“${ch}”(U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`).join('、');
      throw new DomainError('undrawable_character', { zh: `记录单字体无法显示字符 ${list}`, en: `The record font cannot draw ${list}` }, field, { characters: undrawable });
    }
  }

  let evidence: (Evidence & { sha256: string }) | undefined;
  const evidenceField = request.method === 'information_system' || request.method === 'letter' ? `${METHOD_DETAILS_KEY[request.method]}.evidence` : undefined;
  if (evidenceField) {
    const upload = request.method === 'letter' ? request.letter!.evidence : request.informationSystem!.evidence;
    const parsed = await parseEvidence(upload, evidenceField, request.method === 'letter' ? { zh: '回函扫描件', en: 'The scan of the reply' } : { zh: '查询结果截图', en: 'The screenshot of the result' });
    evidence = { ...parsed, sha256: await sha256Hex(parsed.bytes) };
  }

  const supersedes = await checkSupersession(ctx, actor, request);

  const draft: VerificationRecordDraft = {
    id: newVerificationRecordId(),
    orgCode: actor.orgCode,
    subject: {
      holderName: subject.holderName.trim(),
      idNumber,
      titleName: subject.titleName.trim(),
      evaluatingBody: subject.evaluatingBody.trim(),
      acquiredOn,
      certificateNumber: trimmed(subject.certificateNumber),
    },
    details: detailsOf(request, evidence ? { sha256: evidence.sha256, mediaType: evidence.mediaType, bytes: evidence.bytes.length } : undefined),
    checkedAt: chinaInstant(checkedAt),
    result: request.result,
    record: request.record.trim(),
    handler: { name: request.handler.name.trim() },
    recordedOn,
    createdAt: now.toISOString(),
    writtenBy: actor.personId,
    supersedes,
    applicationId,
  };
  const blobs: EvidenceBlob[] = evidence ? [{ sha256: evidence.sha256, mediaType: evidence.mediaType, bytes: evidence.bytes }] : [];
  try {
    const record = await ctx.verificationRecords.append(draft, blobs, {
      idempotency: idempotencyKey ? { scope: actor.orgCode, key: idempotencyKey, requestHash } : undefined,
      alongside: (r) => [
        ctx.audit.statement(auditOf(actor, r.createdAt, 'verification_record.create', `verification_record:${r.id}`, { seq: r.seq, method: r.details.method, result: r.result, applicationId: r.applicationId ?? null })),
      ],
    });
    // Issue 17 item 4: the record names the holder by ID number; the holder sees which office checked them (四(三), 四(四)).
    noteSighting(ctx, { at: record.createdAt, channel: 'record', idNumber: record.subject.idNumber, orgCode: record.orgCode });
    return { record, created: true };
  } catch (error) {
    if (!(error instanceof ConstraintError)) throw error;
    // Another request with the same Idempotency-Key won the race: answer with its record.
    if (idempotencyKey) {
      const earlier = await replay(ctx, actor.orgCode, idempotencyKey, requestHash);
      if (earlier) return { record: earlier, created: false };
    }
    // Another correction of the same record got there first.
    if (supersedes) await checkSupersession(ctx, actor, request);
    throw error;
  }
}

/** The record being corrected must be this organisation's and not corrected already; the reason is required. */
async function checkSupersession(ctx: ServiceContext, actor: Actor, request: VerificationRequest): Promise<VerificationRecord['supersedes']> {
  if (!request.supersedes) return undefined;
  const id = typeof request.supersedes.id === 'string' ? request.supersedes.id.trim() : '';
  const reason = typeof request.supersedes.reason === 'string' ? request.supersedes.reason.trim() : '';
  if (!id) throw invalid('supersedes.id', '缺少被更正记录的编号', 'supersedes.id is required');
  // A correction says why (the log is append-only: the reason is all a reader has to go on).
  if (!reason) throw invalid('supersedes.reason', '更正须说明理由', 'supersedes.reason is required: a correction says why');
  const earlier = await ctx.verificationRecords.get(id);
  // Another organisation's record is answered as absent: its existence is not theirs to learn.
  if (!earlier || earlier.orgCode !== actor.orgCode) {
    throw invalid('supersedes.id', `本机构没有编号为 ${id} 的核实记录`, `Your organisation has no verification record ${id}`);
  }
  const later = await ctx.verificationRecords.supersededBy(id);
  if (later) {
    throw new DomainError(
      'conflict',
      { zh: `核实记录 ${id} 已被 ${later.id} 更正；请更正最新的记录`, en: `Verification record ${id} was already superseded by ${later.id}; correct the latest record instead` },
      'supersedes.id',
      { supersededBy: later.id },
    );
  }
  return { id, reason };
}

function replay(ctx: ServiceContext, scope: string, key: string, requestHash: string): Promise<VerificationRecord | undefined> {
  return ctx.verificationRecords.findIdempotent(scope, key).then((earlier) => replayed(earlier, requestHash, (e) => ctx.verificationRecords.get(e.recordId)));
}
