/**
 * @module services/chainCheck
 * Checking the chained logs (services/verificationLog signs their heads): the check walks a whole log — the
 * 核实 log, the audit trail or the case history — in order and names the first record that is missing,
 * moved, altered, whose evidence or signed head does not hold, or that should carry a head and does not —
 * the tamper evidence of notice 四(二)/(四)'s "who signs, answers". The sources it reads a log from live here too.
 */
import type { Message } from '../domain/errors.js';
import { GENESIS_HASH } from '../domain/verificationRecord.js';
import { canonicalText, chainText, LOG_HEAD_EVERY, LOG_HEAD_GRACE_MS, LOG_HEAD_MAX_AGE_MS } from '../domain/recordChain.js';
import type { CanonicalValue, LogHead, LogName } from '../domain/recordChain.js';
import type { EvidenceRef } from '../domain/verificationRecord.js';
import type { LogHeadVerification } from '../crypto/logHead.js';
import { canonicalValuesOfRow } from '../storage/verificationRecords.js';
import type { LogHeadRow } from '../storage/chainLogs.js';
import type { ServiceContext } from './context.js';
import { formatChinaTime } from '../domain/chineseDate.js';

// ---------------------------------------------------------------- checking the chain

/** When a head was signed, in China time as the reader reads it (its signature was verified, so signedAt is a valid instant). */
export function signedOn(head: Pick<LogHead, 'signedAt'>, lang: 'zh' | 'en'): string {
  return Number.isNaN(Date.parse(head.signedAt)) ? head.signedAt : formatChinaTime(head.signedAt, lang);
}

/**
 * One row as `log check` reads it: what the chain links by, the row's own time (the head rule reads it), its
 * canonical text (domain canonicalText over its stored values) — built by the source, so a source may build
 * it faster, and may hand it over as its UTF-8 bytes (what is hashed) — and, for the 核实 log, the method
 * and details that name its evidence. `hashed` (truthy): the source itself already found, with the same SHA-256
 * over the same canonical bytes, that they hash to `hash` (the SQLite source hashes part of the log in another
 * thread) — `canonical` may then be empty; every other check of the row still runs here.
 */
export type ChainRow = readonly [seq: unknown, id: unknown, prevHash: unknown, hash: unknown, at: unknown, canonical: string | Uint8Array, method?: unknown, details?: unknown, hashed?: unknown];

/** Where a log is read from: a repository on any driver, or a faster reader of the SQLite file. */
export interface LogSource {
  /** Which chain this is (heads say which chain they vouch for). */
  log: LogName;
  /** Every row in chain order; a synchronous source is walked without a microtask per row. */
  rows(): AsyncIterable<ChainRow> | Iterable<ChainRow>;
  /**
   * For a source whose canonical text comes from an encoder other than the domain's (SQLite's json_array):
   * the domain's own text of row `seq`, asked only when a hash does not match, so that a difference
   * between encoders can never be reported as tampering.
   */
  canonicalOf?(seq: number): Promise<string | undefined>;
  heads(): Promise<LogHeadRow[]>;
  /** Rows written before migration 0007 that the service has not chained yet (it does when it starts). */
  unchained?(): Promise<number>;
  /** The 核实 log's evidence files. */
  evidenceParts?(sha256: string): Promise<{ mediaType: string; size: number; parts: Uint8Array[] } | undefined>;
}

export interface LogCheckOptions {
  /** SHA-256 (hex) of a text's UTF-8 (or of those bytes): WebCrypto or node:crypto — the same bytes, the same hash. */
  sha256hex(text: string | Uint8Array): string | Promise<string>;
  /** SHA-256 (hex) of bytes given in parts. */
  sha256hexParts(parts: readonly Uint8Array[]): string | Promise<string>;
  /** Checks a head's signature against the pinned root; without it heads are compared but not verified. */
  verifyHead?: ((jws: string) => Promise<LogHeadVerification>) | undefined;
  /**
   * Heads of this log kept elsewhere (`log check --head`), their signatures already verified: the log must
   * still hold, at each one's seq, the record with its hash — what catches a truncated or rewritten log.
   */
  keptHeads?: readonly LogHead[] | undefined;
}

export interface LogBreak {
  seq: number;
  id: string | undefined;
  reason: Message;
}

export interface LogCheckReport {
  log: LogName;
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
  /** Heads kept elsewhere that the log still holds. */
  kept: number;
  /** Records after the newest signed head: protected by the chain alone until the next head is signed. */
  unsignedTail: number;
}

const why = (zh: string, en: string): Message => ({ zh, en });
const DUE_AFTER_MS = LOG_HEAD_MAX_AGE_MS + LOG_HEAD_GRACE_MS;

/**
 * Why record `seq` (time `at`) should carry a signed head and does not, by the rule the writer follows
 * (domain headDue): the first record, every 100th, and any record more than 10 minutes (and a second's
 * grace) after the record that carries the newest head before it. Undefined when no head was due.
 */
function missingHead(seq: number, at: unknown, lastHeadAt: number | undefined, lastHeadSeq: number | undefined): Message | undefined {
  // A due head is missing when someone removed it — or when the service key was not available as the record was written.
  const cause = { zh: '签名链头被删除，或写入时服务密钥不可用', en: 'a head was removed, or the service key was not available when it was written' };
  if (seq === 1) return why(`第 1 条记录缺少签名链头（首条记录必须签名；${cause.zh}）`, `the first record has no signed head (one is due there: ${cause.en})`);
  if (seq % LOG_HEAD_EVERY === 0) return why(`第 ${seq} 条记录缺少签名链头（每 ${LOG_HEAD_EVERY} 条必须签名一次；${cause.zh}）`, `no signed head at seq ${seq} (one is due every ${LOG_HEAD_EVERY} records: ${cause.en})`);
  const time = typeof at === 'string' ? Date.parse(at) : Number.NaN;
  // An unreadable time cannot show that no head was due.
  if (lastHeadAt === undefined || Number.isNaN(lastHeadAt) || Number.isNaN(time) || time - lastHeadAt > DUE_AFTER_MS) {
    return why(
      `第 ${seq} 条记录缺少签名链头：它写于上一个签名链头所在记录（第 ${lastHeadSeq} 条）10 分钟以后，必须签名（${cause.zh}）`,
      `no signed head at seq ${seq}, written more than 10 minutes after the record of the last signed head (seq ${lastHeadSeq}): one was due (${cause.en})`,
    );
  }
  return undefined;
}

/**
 * Walks a whole log in chain order: contiguity from 1, each `prev_hash`, each recomputed hash, each
 * evidence file's SHA-256, the head rule (a missing head is a break), each signed head (its record's hash,
 * its count, its log and its signature) and each head kept elsewhere. Stops at the first break and names
 * it; a broken head earlier than a broken record is reported first.
 * @example
 * const report = await checkLog(repositoryLogSource(ctx.verificationRecords), { sha256hex: sha256Hex, sha256hexParts, verifyHead });
 * // { log: 'verification', ok: true, count: 10000, heads: { total: 101, verified: 101, … }, unsignedTail: 0 }
 */
export async function checkLog(source: LogSource, options: LogCheckOptions): Promise<LogCheckReport> {
  const headRows = await source.heads();
  const unchained = (await source.unchained?.()) ?? 0;
  if (unchained > 0) {
    const reason = why(`有 ${unchained} 条记录尚未入链（0007 迁移之前写入）：启动一次服务即可入链，然后再检查`, `${unchained} rows are not chained yet (written before migration 0007): start the service once, which chains them, then check again`);
    return { log: source.log, ok: false, count: 0, broken: { seq: 0, id: undefined, reason }, heads: { total: headRows.length, verified: 0, lastSeq: headRows.at(-1)?.seq, kids: [] }, kept: 0, unsignedTail: 0 };
  }
  const headsBySeq = new Map(headRows.map((h) => [h.seq, h]));
  const kept = new Map((options.keptHeads ?? []).map((h) => [h.seq, h]));
  const headChecks: Promise<LogBreak | undefined>[] = [];
  const evidenceChecks = new Map<string, Message | undefined>();
  const kids = new Set<string>();
  let verified = 0;
  let keptHeld = 0;
  let expected = 1;
  let prevHash = GENESIS_HASH;
  let broken: LogBreak | undefined;
  let lastHeadAt: number | undefined;
  let lastHeadSeq: number | undefined;

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
    if (
      signed.seq !== head.seq || signed.hash !== head.hash || signed.count !== head.count || signed.signedAt !== head.signed_at || result.kid !== head.kid ||
      (signed.log ?? 'verification') !== source.log
    ) {
      return at(why(`第 ${head.seq} 条的签名链头与其签名内容不符`, `the signed head at seq ${head.seq} differs from what was signed`));
    }
    kids.add(result.kid);
    verified++;
    return undefined;
  };

  const checkEvidence = async (ref: EvidenceRef): Promise<Message | undefined> => {
    const key = `${ref.sha256} ${ref.mediaType} ${ref.bytes}`;
    if (evidenceChecks.has(key)) return evidenceChecks.get(key);
    const stored = await source.evidenceParts?.(ref.sha256);
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

  const hashOf = (text: string | Uint8Array) => options.sha256hex(text);
  // The source's text did not hash to the stored hash: the domain's own text of the row decides.
  const ownTextMatches = async (canonical: string | Uint8Array, hash: unknown, seq: number): Promise<boolean> => {
    const own = await source.canonicalOf?.(seq);
    return own !== undefined && own !== canonical && (await hashOf(own)) === hash;
  };
  const hashMatches = async (canonical: string | Uint8Array, hash: unknown, seq: number): Promise<boolean> => {
    return (await hashOf(canonical)) === hash || ownTextMatches(canonical, hash, seq);
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

  /**
   * Why the row at `expected` breaks the chain, or undefined. A sync hash (node:crypto in the CLI) over a
   * row without evidence answers without a promise: 150,000 rows a second leave no room for two microtasks each.
   */
  const problemOf = (row: ChainRow): Message | undefined | Promise<Message | undefined> => {
    const [seq, , prev, hash, at, canonical, method] = row;
    if (seq !== expected) {
      return typeof seq === 'number' && seq > expected
        ? why(`第 ${expected} 至 ${seq - 1} 条记录缺失`, `records ${expected}–${seq - 1} are missing`)
        : why(`记录顺序错误：应为第 ${expected} 条`, `out of order: expected seq ${expected}`);
    }
    if (prev !== prevHash) {
      return why(`前一散列值与第 ${expected - 1} 条记录不符（记录被删除、插入或调换）`, `prev_hash does not match record ${expected - 1} (a record was removed, inserted or moved)`);
    }
    const digest = row[8] ? hash : hashOf(canonical);
    if (typeof digest !== 'string' || digest !== hash || method === 'information_system' || method === 'letter') return slowProblemOf(row);
    return rowHeadProblem(row);
  };
  const slowProblemOf = async (row: ChainRow): Promise<Message | undefined> => {
    const [, , , hash, , canonical, method, details] = row;
    // The hash covers every other column (domain canonicalText), so any changed byte shows here.
    if (!row[8] && !(await hashMatches(canonical, hash, expected))) return why('记录内容与其散列值不符（已被改动）', 'the record does not match its hash (altered)');
    if (method === 'information_system' || method === 'letter') {
      const problem = await evidenceProblem(details);
      if (problem) return problem;
    }
    return rowHeadProblem(row);
  };
  /** The head rule and the heads at this row (stored and kept elsewhere), once the row itself holds. */
  const rowHeadProblem = (row: ChainRow): Message | undefined => {
    const [, , , hash, at] = row;
    const head = headsBySeq.get(expected);
    if (head && head.hash !== hash) return why(`第 ${expected} 条的签名链头与记录的散列值不符`, `the signed head at seq ${expected} does not match the record's hash`);
    if (!head) {
      const missing = missingHead(expected, at, lastHeadAt, lastHeadSeq);
      if (missing) return missing;
    }
    const keptHead = kept.get(expected);
    if (keptHead) {
      if (keptHead.hash !== hash) {
        return why(
          `第 ${expected} 条记录与另行保存的签名链头（${signedOn(keptHead, 'zh')} 签名）不符：日志在此之前被改写`,
          `record ${expected} differs from the signed head kept elsewhere (signed ${signedOn(keptHead, 'en')}): the log was rewritten up to here`,
        );
      }
      keptHeld++;
    }
    return undefined;
  };
  /** After a row: a break stops the walk (true); a whole row moves the chain on. */
  const settle = (row: ChainRow, reason: Message | undefined): boolean => {
    const [seq, id, , hash, at] = row;
    if (reason) {
      broken = { seq: Number(seq ?? expected), id: String(id), reason };
      return true;
    }
    const head = headsBySeq.get(expected);
    if (head) {
      headChecks.push(checkHead(head, String(id)));
      lastHeadAt = typeof at === 'string' ? Date.parse(at) : Number.NaN;
      lastHeadSeq = expected;
    }
    prevHash = String(hash);
    expected++;
    return false;
  };

  const rows = source.rows();
  if (Symbol.iterator in rows) {
    for (const row of rows) {
      let reason = problemOf(row);
      if (reason instanceof Promise) reason = await reason;
      if (settle(row, reason)) break;
    }
  } else {
    for await (const row of rows) if (settle(row, await problemOf(row))) break;
  }
  const count = expected - 1;
  // A signed head beyond the last record, here or kept elsewhere: records were cut from the end of the log.
  const beyond = headRows.find((h) => h.seq > count);
  if (!broken && beyond) {
    broken = {
      seq: beyond.seq,
      id: undefined,
      reason: why(`签名链头记载第 ${beyond.seq} 条，但日志只有 ${count} 条：末尾的记录被删除`, `a signed head names seq ${beyond.seq} but the log ends at ${count}: records were removed from the end`),
    };
  }
  const keptBeyond = [...kept.values()].find((h) => h.seq > count);
  if (!broken && keptBeyond) {
    broken = {
      seq: keptBeyond.seq,
      id: undefined,
      reason: why(
        `另行保存的签名链头（${signedOn(keptBeyond, 'zh')} 签名）记载 ${keptBeyond.seq} 条，但日志只有 ${count} 条：末尾的记录被删除`,
        `the signed head kept elsewhere (signed ${signedOn(keptBeyond, 'en')}) vouches for ${keptBeyond.seq} records but the log ends at ${count}: records were removed from the end`,
      ),
    };
  }
  for (const headBreak of await Promise.all(headChecks)) {
    if (headBreak && (!broken || headBreak.seq < broken.seq)) broken = headBreak;
  }
  const lastSeq = headRows.length > 0 ? headRows[headRows.length - 1]!.seq : undefined;
  return {
    log: source.log,
    ok: !broken,
    count: broken ? Math.min(count, broken.seq - 1) : count,
    ...(broken ? { broken } : {}),
    heads: { total: headRows.length, verified, lastSeq, kids: [...kids] },
    kept: keptHeld,
    unsignedTail: count - Math.min(lastSeq ?? 0, count),
  };
}

/** The 核实 log over the repository: works on any driver (D1 included), a page of rows at a time. */
export function repositoryLogSource(repository: ServiceContext['verificationRecords']): LogSource {
  return {
    log: 'verification',
    async *rows() {
      for await (const r of repository.rowsInChainOrder()) {
        yield [r.seq, r.id, r.prev_hash, r.hash, r.created_at, canonicalText(canonicalValuesOfRow(r)), r.method, r.details] as const;
      }
    },
    heads: () => repository.heads(),
    evidenceParts: (sha256) => repository.evidenceParts(sha256),
  };
}

/** The audit trail or the case history over the log repository: any driver, a page at a time. */
export function chainLogSource(logs: ServiceContext['logs'], log: Exclude<LogName, 'verification'>, pageSize = 1000): LogSource {
  return {
    log,
    async *rows() {
      for (let after = 0; ; ) {
        const rows = await logs.rowsAfter(log, after, pageSize);
        for (const r of rows) yield [r.seq, r.label, r.prevHash, r.hash, r.at, chainText(r.values as CanonicalValue[])] as const;
        if (rows.length < pageSize) return;
        after = Number(rows[rows.length - 1]!.seq);
      }
    },
    heads: () => logs.heads(log),
    unchained: () => logs.unchained(log),
  };
}
