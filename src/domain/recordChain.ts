/**
 * @module domain/recordChain
 * The chain of the logs (tamper evidence, notice 四(四) and 四(二)): the canonical text of a 核实 record, the
 * hash that links each row to the one before it, the three chained logs, and when a signed head is due.
 */
import { METHOD_DETAILS_KEY, type MethodDetails, type VerificationRecord } from './verificationRecord.js';

// ---------------------------------------------------------------- the chain (tamper evidence)
// 四(四) "who confirms, signs; who signs, answers", and 四(二) "every level records its opinion": a record,
// once kept, cannot be changed or removed unseen. Each is hashed with the one before it; a correction is
// a new record that supersedes the old.

/** A record before it takes its place in the chain. */
export type VerificationRecordDraft = Omit<VerificationRecord, 'seq' | 'prevHash' | 'hash'>;

/** JSON with object keys sorted at every depth and undefined members left out (lib/bytes re-exports it). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** A field's value as the log keeps and hashes it. */
export type CanonicalValue = string | number | null;

/**
 * The fields a record's hash covers — every stored field but `hash` itself, flat, in sorted order.
 * `seq` and `prevHash` are among them, so moving, dropping or reordering a record breaks the chain. The
 * storage keeps one column per field, so `log check` can hash a row as it reads it.
 */
export const CANONICAL_FIELDS = [
  'acquiredOn', 'applicationId', 'certificateNumber', 'checkedAt', 'createdAt', 'details', 'evaluatingBody', 'handlerName',
  'holderName', 'id', 'idNumber', 'method', 'orgCode', 'prevHash', 'record', 'recordedOn', 'result', 'seq', 'supersedeReason',
  'supersedesId', 'titleName', 'writtenBy',
] as const;
export type CanonicalField = (typeof CANONICAL_FIELDS)[number];

/** The method's own details as canonical JSON (without `method`, which is a field of its own). */
export function methodDetailsJson(details: MethodDetails): string {
  return canonicalJson((details as unknown as Record<string, unknown>)[METHOD_DETAILS_KEY[details.method]]);
}

/** A record's values in {@link CANONICAL_FIELDS} order; absent optional fields are null. */
export function canonicalValues(record: Omit<VerificationRecord, 'hash'>): CanonicalValue[] {
  const s = record.subject;
  const byField: Record<CanonicalField, CanonicalValue> = {
    acquiredOn: s.acquiredOn,
    applicationId: record.applicationId ?? null,
    certificateNumber: s.certificateNumber ?? null,
    checkedAt: record.checkedAt,
    createdAt: record.createdAt,
    details: methodDetailsJson(record.details),
    evaluatingBody: s.evaluatingBody,
    handlerName: record.handler.name,
    holderName: s.holderName,
    id: record.id,
    idNumber: s.idNumber,
    method: record.details.method,
    orgCode: record.orgCode,
    prevHash: record.prevHash,
    record: record.record,
    recordedOn: record.recordedOn,
    result: record.result,
    seq: record.seq,
    supersedeReason: record.supersedes?.reason ?? null,
    supersedesId: record.supersedes?.id ?? null,
    titleName: s.titleName,
    writtenBy: record.writtenBy,
  };
  return CANONICAL_FIELDS.map((field) => byField[field]);
}

/**
 * The text a record's hash is taken over: its values in {@link CANONICAL_FIELDS} order as a JSON array
 * (null for an absent field, the details as a JSON string). Position stands for the key, so the text is
 * one-to-one with the stored values and short to build: `log check` hashes 100,000 records a second.
 * Changing the field list changes every hash — a new list needs a new migration and a new chain.
 * @example canonicalText(canonicalValues(record)) // '["2015-12-30",null,null,"2026-11-20T10:30:00+08:00",…]'
 */
export function canonicalText(values: readonly CanonicalValue[]): string {
  if (values.length !== CANONICAL_FIELDS.length) throw new RangeError(`a record has ${CANONICAL_FIELDS.length} canonical values, not ${values.length}`);
  return JSON.stringify(values);
}

/**
 * The text any chained row's hash is taken over: its canonical values as a JSON array, in its log's column
 * order — the 核实 log's ({@link canonicalText}), the audit trail's and the case history's alike.
 * @example chainText([1, '000…0', '2026-11-28T04:00:00.000Z', 'GXZGB']) // '[1,"000…0","2026-11-28T04:00:00.000Z","GXZGB"]'
 */
export function chainText(values: readonly CanonicalValue[]): string {
  return JSON.stringify(values);
}

/** The text a record's hash is taken over (see {@link canonicalText}). */
export function canonicalRecord(record: Omit<VerificationRecord, 'hash'>): string {
  return canonicalText(canonicalValues(record));
}

/**
 * The record's link in the chain: SHA-256 (hex) over its canonical form, which holds the previous hash.
 * `sha256hex` is WebCrypto in the service and node:crypto in `log check`; both hash the UTF-8 of the text.
 * @example const hash = await chainHash(GENESIS_HASH, draftWithSeq, sha256Hex);
 */
export function chainHash<H extends string | Promise<string>>(
  prevHash: string,
  record: Omit<VerificationRecord, 'hash' | 'prevHash'>,
  sha256hex: (text: string) => H,
): H {
  return sha256hex(canonicalRecord({ ...record, prevHash }));
}

/**
 * The service's three hash-chained logs: the 核实 log (四(三)), the audit trail and the case history
 * (四(四) "who confirms, signs; who signs, answers"). Each is one chain, `seq` 1, 2, 3 … with no gaps, and
 * each gets signed heads by the same rule ({@link headDue}).
 */
export const LOGS = ['verification', 'audit', 'history'] as const;
export type LogName = (typeof LOGS)[number];
export const LOG_NAMES: Record<LogName, { zh: string; en: string }> = {
  verification: { zh: '核实日志', en: 'verification log' },
  audit: { zh: '审计日志', en: 'audit trail' },
  history: { zh: '案件历史', en: 'case history' },
};

/**
 * A chain head: the hash of the record at `seq`, vouching for all `count` records up to it. `log` names the
 * chain; a head without it is the 核实 log's (heads signed before the other logs were chained have none).
 */
export interface LogHead {
  seq: number;
  hash: string;
  count: number;
  /** ISO 8601 (UTC). */
  signedAt: string;
  log?: LogName | undefined;
}

/** Sign a head at least every this many records … */
export const LOG_HEAD_EVERY = 100;
/** … and on any record written this long after the record of the last signed head, so a quiet log is never long unsigned. */
export const LOG_HEAD_MAX_AGE_MS = 10 * 60 * 1000;
/**
 * What `log check` allows past {@link LOG_HEAD_MAX_AGE_MS} before it calls a head missing: logs written
 * before the rule was checked measured the age from the head's signing time, a few milliseconds later.
 */
export const LOG_HEAD_GRACE_MS = 1000;

/**
 * Whether record `seq`, whose own time is `at`, must carry a signed head: the first record, every
 * {@link LOG_HEAD_EVERY}th, and any record whose time is {@link LOG_HEAD_MAX_AGE_MS} or more after the time
 * of the record that carries the newest head (`lastHeadAt`; none yet: due). Both times are the records' own,
 * stored and hashed, so `log check` decides exactly as the writer did. Altering a record before the last
 * signed head then needs the service key, and deleting a due head is itself a break.
 * @example headDue(200, '2026-11-20T02:00:00.000Z', '2026-11-20T02:01:00.000Z') // true (every 100th)
 * @example headDue(201, '2026-11-20T02:00:00.000Z', '2026-11-20T02:11:00.000Z') // true (11 minutes on)
 */
export function headDue(seq: number, lastHeadAt: string | undefined, at: string | Date): boolean {
  if (seq % LOG_HEAD_EVERY === 0 || seq === 1 || !lastHeadAt) return true;
  const last = Date.parse(lastHeadAt);
  const now = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return Number.isNaN(last) || Number.isNaN(now) || now - last >= LOG_HEAD_MAX_AGE_MS;
}
