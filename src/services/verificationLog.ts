/**
 * @module services/verificationLog
 * Reading the 核实 log, and checking it. Handlers and auditors read their own organisation's records (the
 * HTTP layer enforces the roles; here everything is scoped by the caller's organisation). The chain check
 * walks the whole log in order and names the first record that is missing, moved, altered, or whose
 * evidence or signed head does not hold — the tamper evidence of notice 四(二)/(四)'s "who signs, answers".
 */
import { DomainError, type Message } from '../domain/errors.js';
import { canonicalText, GENESIS_HASH, headDue, isCalendarDate, VERIFICATION_METHODS, VERIFICATION_RESULTS } from '../domain/verificationRecord.js';
import type { EvidenceRef, VerificationMethod, VerificationRecord, VerificationResult } from '../domain/verificationRecord.js';
import { signLogHead, type LogHeadVerification } from '../crypto/logHead.js';
import { canonicalValuesOfRow, evidenceOf, type AppendOptions, type LogHeadRow } from '../storage/verificationRecords.js';
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
 * The `signHead` of an append: signs {seq, hash, count, signedAt} with the service key when a head is due
 * (domain headDue: the first record, every 100th, or the last head over 10 minutes old). Without a service
 * key, or outside its validity, heads are not signed and `log check` says so.
 */
export async function headSignerFor(ctx: ServiceContext): Promise<AppendOptions['signHead']> {
  const signer = await ctx.logSigner?.();
  if (!signer) return undefined;
  return async (head, tip) => {
    const now = ctx.now();
    if (!headDue(head.seq, tip.lastSignedAt, now) || now < signer.notBefore || now > signer.notAfter) return undefined;
    const signed = { ...head, signedAt: now.toISOString() };
    return { ...signed, kid: signer.kid, jws: await signLogHead(signed, signer) };
  };
}

// ---------------------------------------------------------------- checking the chain

/** Where the log is read from: the repository on any driver, or a faster reader of the SQLite file. */
/**
 * One record as `log check` reads it: what the chain links by, and its canonical text (domain
 * canonicalText over its stored values) — built by the source, so a source may build it faster.
 */
export type ChainRow = readonly [seq: unknown, id: unknown, prevHash: unknown, hash: unknown, method: unknown, details: unknown, canonical: string];

export interface LogSource {
  /** Every record in `seq` order. */
  rows(): AsyncIterable<ChainRow> | Iterable<ChainRow>;
  /**
   * For a source whose canonical text comes from an encoder other than the domain's (SQLite's json_array):
   * the domain's own text of record `seq`, asked only when a hash does not match, so that a difference
   * between encoders can never be reported as tampering.
   */
  canonicalOf?(seq: number): Promise<string | undefined>;
  heads(): Promise<LogHeadRow[]>;
  evidenceParts(sha256: string): Promise<{ mediaType: string; size: number; parts: Uint8Array[] } | undefined>;
}

export interface LogCheckOptions {
  /** SHA-256 (hex) of a text's UTF-8: WebCrypto or node:crypto — the same bytes, the same hash. */
  sha256hex(text: string): string | Promise<string>;
  /** SHA-256 (hex) of bytes given in parts. */
  sha256hexParts(parts: readonly Uint8Array[]): string | Promise<string>;
  /** Checks a head's signature against the pinned root; without it heads are compared but not verified. */
  verifyHead?: ((jws: string) => Promise<LogHeadVerification>) | undefined;
}

export interface LogBreak {
  seq: number;
  id: string | undefined;
  reason: Message;
}

export interface LogCheckReport {
  ok: boolean;
  /** Records checked before the first break (all of them when ok). */
  count: number;
  broken?: LogBreak;
  heads: {
    /** Signed heads stored. */
    total: number;
    /** Whose signatures were verified against the root (0 when no root was given). */
    verified: number;
    /** The newest signed head's seq, if any. */
    lastSeq: number | undefined;
    kids: string[];
  };
  /** Records after the newest signed head: protected by the chain alone until the next head is signed. */
  unsignedTail: number;
}

const why = (zh: string, en: string): Message => ({ zh, en });

/**
 * Walks the whole log in `seq` order: contiguity from 1, each `prev_hash`, each recomputed hash, each
 * evidence file's SHA-256, and each signed head (its record's hash, its count, and its signature). Stops
 * at the first break and names it; a broken head earlier than a broken record is reported first.
 * @example
 * const report = await checkLog(repositoryLogSource(ctx.verificationRecords), { sha256hex: sha256Hex, sha256hexParts, verifyHead });
 * // { ok: true, count: 10000, heads: { total: 101, verified: 101, … }, unsignedTail: 0 }
 */
export async function checkLog(source: LogSource, options: LogCheckOptions): Promise<LogCheckReport> {
  const headRows = await source.heads();
  const headsBySeq = new Map(headRows.map((h) => [h.seq, h]));
  const headChecks: Promise<LogBreak | undefined>[] = [];
  const evidenceChecks = new Map<string, Message | undefined>();
  const kids = new Set<string>();
  let verified = 0;
  let expected = 1;
  let prevHash = GENESIS_HASH;
  let broken: LogBreak | undefined;

  // Signatures are checked while the chain is walked: the first one alone (it checks the signing
  // certificate, which the others then reuse), then all the rest at once, off the walking thread if the
  // verifier can. Each verdict is read when the walk has reached its head.
  const signatures = new Map<number, Promise<LogHeadVerification>>();
  if (options.verifyHead && headRows.length > 0) {
    const verify = options.verifyHead;
    // A verifier that throws must not crash the walk (or leave a rejection unheard for heads never reached).
    const verifyHead = (jws: string) =>
      verify(jws).catch((error: unknown): LogHeadVerification => ({ valid: false, reason: why('签名链头无法验证', `the signed head cannot be verified: ${String(error)}`) }));
    const first = verifyHead(headRows[0]!.jws);
    await first;
    for (const [i, head] of headRows.entries()) signatures.set(head.seq, i === 0 ? first : verifyHead(head.jws));
  }

  const checkHead = async (head: LogHeadRow, id: string): Promise<LogBreak | undefined> => {
    const at = (reason: Message): LogBreak => ({ seq: head.seq, id, reason });
    if (head.count !== head.seq) return at(why(`第 ${head.seq} 条的签名链头条数不符`, `the signed head at seq ${head.seq} has the wrong count`));
    const signature = signatures.get(head.seq);
    if (!signature) return undefined;
    const result = await signature;
    if (!result.valid) return at(why(`第 ${head.seq} 条的签名链头无效：${result.reason.zh}`, `the signed head at seq ${head.seq} is invalid: ${result.reason.en}`));
    const signed = result.head;
    if (signed.seq !== head.seq || signed.hash !== head.hash || signed.count !== head.count || signed.signedAt !== head.signed_at || result.kid !== head.kid) {
      return at(why(`第 ${head.seq} 条的签名链头与其签名内容不符`, `the signed head at seq ${head.seq} differs from what was signed`));
    }
    kids.add(result.kid);
    verified++;
    return undefined;
  };

  const checkEvidence = async (ref: EvidenceRef): Promise<Message | undefined> => {
    const key = `${ref.sha256} ${ref.mediaType} ${ref.bytes}`;
    if (evidenceChecks.has(key)) return evidenceChecks.get(key);
    const stored = await source.evidenceParts(ref.sha256);
    let problem: Message | undefined;
    if (!stored) problem = why(`证明材料 ${ref.sha256} 缺失`, `evidence ${ref.sha256} is missing`);
    else if (stored.mediaType !== ref.mediaType || stored.size !== ref.bytes || stored.parts.reduce((n, p) => n + p.length, 0) !== ref.bytes) {
      problem = why(`证明材料 ${ref.sha256} 的类型或大小与记录不符`, `evidence ${ref.sha256} differs in type or size from the record`);
    } else if ((await options.sha256hexParts(stored.parts)) !== ref.sha256) {
      problem = why(`证明材料 ${ref.sha256} 的内容已被改动（SHA-256 不符）`, `evidence ${ref.sha256} was altered (its SHA-256 does not match)`);
    }
    evidenceChecks.set(key, problem);
    return problem;
  };

  // A sync hash (node:crypto in the CLI) is used without a microtask per record.
  const hashOf = (text: string) => options.sha256hex(text);
  const hashMatches = async (canonical: string, hash: unknown, seq: number): Promise<boolean> => {
    const digest = hashOf(canonical);
    if ((typeof digest === 'string' ? digest : await digest) === hash) return true;
    const own = await source.canonicalOf?.(seq);
    return own !== undefined && own !== canonical && (await hashOf(own)) === hash;
  };
  const evidenceProblem = async (details: unknown): Promise<Message | undefined> => {
    let ref: EvidenceRef | undefined;
    try {
      ref = (JSON.parse(String(details)) as { evidence?: EvidenceRef }).evidence;
    } catch {
      // Only a forger who re-hashed the chain gets here: the service writes valid JSON.
    }
    return ref ? checkEvidence(ref) : why('核实方式详情中缺少证明材料', 'the method details lack their evidence');
  };

  for await (const [seq, id, prev, hash, method, details, canonical] of source.rows()) {
    let reason: Message | undefined;
    const head = headsBySeq.get(expected);
    if (seq !== expected) {
      reason =
        typeof seq === 'number' && seq > expected
          ? why(`第 ${expected} 至 ${seq - 1} 条记录缺失`, `records ${expected}–${seq - 1} are missing`)
          : why(`记录顺序错误：应为第 ${expected} 条`, `out of order: expected seq ${expected}`);
    } else if (prev !== prevHash) {
      reason = why(`前一散列值与第 ${expected - 1} 条记录不符（记录被删除、插入或调换）`, `prev_hash does not match record ${expected - 1} (a record was removed, inserted or moved)`);
    } else if (!(await hashMatches(canonical, hash, expected))) {
      // The hash covers every other column (domain canonicalText), so any changed byte shows here.
      reason = why('记录内容与其散列值不符（已被改动）', 'the record does not match its hash (altered)');
    } else if (method === 'information_system' || method === 'letter') {
      reason = await evidenceProblem(details);
    }
    if (!reason && head && head.hash !== hash) {
      reason = why(`第 ${expected} 条的签名链头与记录的散列值不符`, `the signed head at seq ${expected} does not match the record's hash`);
    }
    if (reason) {
      broken = { seq: Number(seq), id: String(id), reason };
      break;
    }
    if (head) headChecks.push(checkHead(head, String(id)));
    prevHash = String(hash);
    expected++;
  }
  const count = expected - 1;
  // A signed head beyond the last record: records were cut from the end of the log.
  const beyond = headRows.find((h) => h.seq > count);
  if (!broken && beyond) {
    broken = {
      seq: beyond.seq,
      id: undefined,
      reason: why(`签名链头记载第 ${beyond.seq} 条，但日志只有 ${count} 条：末尾的记录被删除`, `a signed head names seq ${beyond.seq} but the log ends at ${count}: records were removed from the end`),
    };
  }
  for (const headBreak of await Promise.all(headChecks)) {
    if (headBreak && (!broken || headBreak.seq < broken.seq)) broken = headBreak;
  }
  const lastSeq = headRows.length > 0 ? headRows[headRows.length - 1]!.seq : undefined;
  return {
    ok: !broken,
    count: broken ? Math.min(count, broken.seq - 1) : count,
    ...(broken ? { broken } : {}),
    heads: { total: headRows.length, verified, lastSeq, kids: [...kids] },
    unsignedTail: count - Math.min(lastSeq ?? 0, count),
  };
}

/** A LogSource over the repository: works on any driver (D1 included), a page of rows at a time. */
export function repositoryLogSource(repository: ServiceContext['verificationRecords']): LogSource {
  return {
    async *rows() {
      for await (const r of repository.rowsInChainOrder()) yield [r.seq, r.id, r.prev_hash, r.hash, r.method, r.details, canonicalText(canonicalValuesOfRow(r))] as const;
    },
    heads: () => repository.heads(),
    evidenceParts: (sha256) => repository.evidenceParts(sha256),
  };
}
