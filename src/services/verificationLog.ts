/**
 * @module services/verificationLog
 * Reading the 核实 log and signing the heads of the chained logs. Handlers and auditors read
 * their own organisation's records (the HTTP layer enforces the roles; here everything is scoped by the
 * caller's organisation). Checking them is services/chainCheck's.
 */
import { DomainError } from '../domain/errors.js';
import { isCalendarDate, VERIFICATION_METHODS, VERIFICATION_RESULTS } from '../domain/verificationRecord.js';
import { LOG_NAMES } from '../domain/recordChain.js';
import type { LogName } from '../domain/recordChain.js';
import type { VerificationMethod, VerificationRecord, VerificationResult } from '../domain/verificationRecord.js';
import { signLogHead } from '../crypto/logHead.js';
import { evidenceOf } from '../storage/verificationRecords.js';
import type { SignedHead } from '../storage/chainLogs.js';
import type { Actor, ServiceContext } from './context.js';

// ---------------------------------------------------------------- reading

/** A record and the one that corrects it, if any. */
export interface VerificationRecordView {
  record: VerificationRecord;
  supersededBy: string | undefined;
}

function notFound(id: string): DomainError {
  return new DomainError('not_found', { zh: `本机构没有编号为 ${id} 的核实记录`, en: `Your organisation has no verification record ${id}` });
}

/**
 * One of the caller's organisation's records; another organisation's is answered as absent.
 * @example const { record, supersededBy } = await getVerificationRecord(ctx, actor, 'vr_3q2A…');
 */
export async function getVerificationRecord(ctx: ServiceContext, actor: Actor, id: string): Promise<VerificationRecordView> {
  const record = await ctx.verificationRecords.get(id);
  if (!record || record.orgCode !== actor.orgCode) throw notFound(id);
  return { record, supersededBy: (await ctx.verificationRecords.supersededBy(id))?.id };
}

/** The list page's query; every filter optional. */
export interface VerificationRecordQuery {
  holder?: string | undefined;
  idNumber?: string | undefined;
  result?: string | undefined;
  method?: string | undefined;
  /** China dates, inclusive, on the time of the check. */
  from?: string | undefined;
  to?: string | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 200;

/**
 * @example const { items, total } = await listVerificationRecords(ctx, actor, { result: 'not_genuine', from: '2026-11-01' });
 */
export async function listVerificationRecords(
  ctx: ServiceContext,
  actor: Actor,
  query: VerificationRecordQuery,
): Promise<{ items: VerificationRecordView[]; total: number; page: number; pageSize: number }> {
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(page) || page < 1) throw new DomainError('validation_failed', { zh: 'page 须为正整数', en: 'page must be a positive whole number' }, 'page');
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new DomainError('validation_failed', { zh: `pageSize 须为 1 至 ${MAX_PAGE_SIZE}`, en: `pageSize must be 1 to ${MAX_PAGE_SIZE}` }, 'pageSize');
  }
  if (query.result && !(VERIFICATION_RESULTS as readonly string[]).includes(query.result)) {
    throw new DomainError('validation_failed', { zh: `result 须为 ${VERIFICATION_RESULTS.join('、')} 之一`, en: `result must be one of ${VERIFICATION_RESULTS.join(', ')}` }, 'result');
  }
  if (query.method && !(VERIFICATION_METHODS as readonly string[]).includes(query.method)) {
    throw new DomainError('validation_failed', { zh: `method 须为 ${VERIFICATION_METHODS.join('、')} 之一`, en: `method must be one of ${VERIFICATION_METHODS.join(', ')}` }, 'method');
  }
  for (const key of ['from', 'to'] as const) {
    if (query[key] && !isCalendarDate(query[key])) {
      throw new DomainError('validation_failed', { zh: `${key} 须为日期（YYYY-MM-DD）`, en: `${key} must be a date (YYYY-MM-DD)` }, key);
    }
  }
  const { items, total } = await ctx.verificationRecords.list({
    orgCode: actor.orgCode,
    holder: query.holder?.trim() || undefined,
    idNumber: query.idNumber?.trim().toUpperCase() || undefined,
    result: (query.result || undefined) as VerificationResult | undefined,
    method: (query.method || undefined) as VerificationMethod | undefined,
    from: query.from || undefined,
    to: query.to || undefined,
    page,
    pageSize,
  });
  return { items, total, page, pageSize };
}

/**
 * The evidence file of one of the caller's organisation's records (a screenshot or a reply scan).
 * @example const { mediaType, bytes } = await verificationEvidence(ctx, actor, 'vr_3q2A…');
 */
export async function verificationEvidence(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
): Promise<{ sha256: string; mediaType: 'application/pdf' | 'image/jpeg' | 'image/png'; bytes: Uint8Array }> {
  const { record } = await getVerificationRecord(ctx, actor, id);
  const ref = evidenceOf(record.details);
  const stored = ref ? await ctx.verificationRecords.evidence(ref.sha256) : undefined;
  if (!ref || !stored) {
    throw new DomainError('not_found', { zh: `核实记录 ${id} 没有证明材料`, en: `Verification record ${id} has no evidence file` });
  }
  return { sha256: ref.sha256, ...stored };
}

// ---------------------------------------------------------------- signing heads

/**
 * The chain writer's head signer (storage/chainWriter.ts): signs {seq, hash, count, signedAt} — and the
 * log's name, for the audit trail and the case history — with the service key. The writer asks when a head
 * is due (domain headDue). Without a service key, or outside its validity, heads are not signed, and
 * `log check` reports the missing heads.
 * @example const signHead = headSigner({ logSigner: () => loadServiceSigner('keys'), now: () => new Date() });
 */
export function headSigner(ctx: Pick<ServiceContext, 'logSigner' | 'now'>): (log: LogName, head: { seq: number; hash: string; count: number }) => Promise<SignedHead | undefined> {
  return async (log, head) => {
    const signer = await ctx.logSigner?.();
    if (!signer) return undefined;
    const now = ctx.now();
    if (now < signer.notBefore || now > signer.notAfter) return undefined;
    const signedAt = now.toISOString();
    // The 核实 log's heads name no log, as they did before the other logs were chained.
    const jws = await signLogHead({ ...head, signedAt, ...(log === 'verification' ? {} : { log }) }, signer);
    return { ...head, signedAt, kid: signer.kid, jws };
  };
}

// ---------------------------------------------------------------- the newest signed head

/** The newest signed head of a log, as the head endpoint gives it (and `log check --head` reads it back): keep its JWS elsewhere to prove later what the log held. */
export type SignedHeadView = SignedHead & { log: LogName };

/**
 * The newest signed head of `log` — what an auditor keeps outside the service (a file, a mail, a printout)
 * so that `log check --head` can later prove the log still holds everything up to it.
 * @example const head = await latestSignedHead(ctx, 'verification'); // { seq: 1200, hash: '…', jws: 'eyJ…' }
 */
export async function latestSignedHead(ctx: Pick<ServiceContext, 'logs'>, log: LogName): Promise<SignedHeadView> {
  const row = await ctx.logs.latestHead(log);
  if (!row) {
    throw new DomainError('not_found', { zh: `${LOG_NAMES[log].zh}尚无签名链头`, en: `The ${LOG_NAMES[log].en} has no signed head yet` });
  }
  return { log, seq: row.seq, hash: row.hash, count: row.count, signedAt: row.signed_at, kid: row.kid, jws: row.jws };
}
