/**
 * @module cli/logCheck
 * `npm run cli -- log check`: verifies the three chained logs — the 核实 log, the audit trail and the case
 * history (services/verificationLog.ts checkLog) — and names the first broken record of each. On the SQLite
 * file it reads rows straight from better-sqlite3 and hashes with node:crypto — the same canonical form and
 * the same SHA-256 as the service's WebCrypto, only faster; with `--edge local|remote` it reads D1 through
 * wrangler, a page at a time. `--head FILE|URL` adds heads kept elsewhere, which the log must still hold.
 */
import { createHash, hash as oneShotHash, KeyObject, verify, type KeyObject as NodeKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { createLogHeadVerifier, type Es256Verify } from '../crypto/logHead.js';
import { checkLog, signedOn, type ChainRow, type LogCheckReport, type LogSource } from '../services/chainCheck.js';
import { LOG_SPECS, type LogHeadRow } from '../storage/chainLogs.js';
import type { SqlDriver, SqlValue } from '../storage/driver.js';
import type { BlobStore } from '../storage/blobs.js';
import { chainText, LOG_NAMES, type CanonicalValue, type LogHead, type LogName } from '../domain/recordChain.js';
import type { Message } from '../domain/errors.js';

/** Rows read per query: small enough that a page stays in V8's young generation (20,000 spent a third of the time in GC). */
const PAGE = 1000;

/**
 * A log of at least this many rows is hashed by two threads (issue 15): reading each row's canonical text from
 * SQLite and hashing it is two thirds of the walk (profile: `rows` and `hash`), and one core did all of it.
 */
export const PARALLEL_FROM = 20_000;

/**
 * The second thread, in plain JavaScript (it starts in milliseconds, without the TypeScript loader): it opens
 * the file read-only and, from the newest row back, a page at a time, hashes each row's canonical bytes — the
 * same json_array, the same SHA-256 — until it meets the walk. It publishes the lowest seq from which every
 * row is hashed (`state[0]`) and flags each row whose bytes do not hash to its stored hash (one bit per seq):
 * the walk checks those rows itself, as it checks any row the worker has not reached (or when it failed).
 */
const HASHER = `
const { workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
const Database = require(workerData.sqlite);
const sha256hex = crypto.hash ? (b) => crypto.hash('sha256', b, 'hex') : (b) => crypto.createHash('sha256').update(b).digest('hex');
const state = new Int32Array(workerData.state);
const bits = new Int32Array(workerData.bits);
const db = new Database(workerData.path, { readonly: true, fileMustExist: true });
try {
  const page = db.prepare(workerData.select).raw();
  for (let hi = workerData.top; hi > Atomics.load(state, 1); ) {
    let rows;
    try {
      rows = page.all(hi);
    } catch {
      break; // json_array refused a value (a BLOB where text belongs): the walk reads the rest with the domain's encoder
    }
    if (rows.length === 0) break;
    for (const [seq, hash, canonical] of rows) if (sha256hex(canonical) !== hash) Atomics.or(bits, seq >> 5, 1 << (seq & 31));
    const low = rows[rows.length - 1][0];
    Atomics.store(state, 0, low);
    hi = low - 1;
  }
} finally {
  db.close();
  Atomics.store(state, 2, 1); // done: a walk told to wait for it (tests) goes on
  Atomics.notify(state, 2);
}
`;

/** The worker hashing a log from its end; undefined when the log is short, in memory, or the worker cannot start. */
function startHasher(db: Database.Database, table: string, seqColumn: string, canonical: string, parallelFrom: number) {
  if (db.memory || !db.name) return undefined;
  const top = db.prepare(`SELECT MAX(${seqColumn}) FROM ${table}`).pluck().get();
  if (typeof top !== 'number' || !Number.isSafeInteger(top) || top < parallelFrom || top >= 2 ** 31 - 1) return undefined;
  // state[0]: every row from this seq to `top` is hashed; state[1]: the walk hashes up to here itself; state[2]: done.
  const state = new Int32Array(new SharedArrayBuffer(12));
  state[0] = top + 1;
  const bits = new Int32Array(new SharedArrayBuffer(4 * Math.ceil((top + 1) / 32)));
  let worker: Worker;
  try {
    const select = `SELECT ${seqColumn}, hash, CAST(json_array(${canonical}) AS BLOB) FROM ${table} WHERE ${seqColumn} <= ? ORDER BY ${seqColumn} DESC LIMIT ${PAGE}`;
    const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
    worker = new Worker(HASHER, { eval: true, execArgv: [], workerData: { path: db.name, select, top, sqlite, state: state.buffer, bits: bits.buffer } });
  } catch {
    return undefined;
  }
  worker.unref();
  worker.on('error', () => undefined); // a hasher that fails leaves its rows to the walk, which checks every row it did not hash
  return {
    state,
    /** Whether the worker hashed row `seq` and found it whole. */
    hashed: (seq: number) => seq >= Atomics.load(state, 0) && seq <= top && (Atomics.load(bits, seq >> 5) & (1 << (seq & 31))) === 0,
    /** Blocks until the worker is done (at most `ms`): tests make it hash the whole log before the walk. */
    wait: (ms: number) => void Atomics.wait(state, 2, 0, ms),
    stop: () => void worker.terminate(),
  };
}

/**
 * A LogSource straight over a better-sqlite3 connection. SQLite's json_array spells TEXT, INTEGER and NULL
 * values exactly as JSON.stringify does, so it builds the domain's canonical text while reading — twice as
 * fast as building it in JavaScript — and hands it over as its UTF-8 bytes (CAST … AS BLOB), which are what
 * is hashed: no UTF-16 string is made of it and encoded back (a third less time per row, measured). Where
 * the two encoders could ever differ, the check asks `canonicalOf` for the domain's own text before it calls
 * a record altered; a value json_array refuses (a BLOB put where text belongs) sends the walk to the
 * domain's encoder for the rest of the log. Details are read only where they name evidence. On a file of
 * at least `parallelFrom` rows a worker thread hashes the log from its end while the walk goes from its start
 * (rows it hashed come as `hashed`, with every other check left to the walk). `hashFirst` (tests) lets the worker
 * hash all it can before the walk starts.
 */
export function sqliteLogSource(db: Database.Database, log: LogName = 'verification', blobs?: BlobStore, options: { parallelFrom?: number; hashFirst?: boolean } = {}): LogSource {
  const spec = LOG_SPECS[log];
  const columns = spec.canonical.join(', ');
  // Arrays, not objects: better-sqlite3 builds a 23-key object per row several times slower than an array.
  const link = `${spec.seq}, ${spec.label}, prev_hash, hash, ${spec.time}`;
  const evidence = log === 'verification' ? ", method, CASE WHEN method IN ('information_system', 'letter') THEN details END" : '';
  const from = `FROM ${spec.table} WHERE ${spec.seq} > ? ORDER BY ${spec.seq} LIMIT ${PAGE}`;
  const fast = db.prepare(`SELECT ${link}, CAST(json_array(${columns}) AS BLOB)${evidence} ${from}`).raw();
  const plain = db.prepare(`SELECT ${link}${evidence}, ${columns} ${from}`).raw();
  // Rows the worker hashed: what the walk still checks (links, heads, evidence), their canonical text left out.
  const linked = db.prepare(`SELECT ${link}, ''${evidence || ', NULL, NULL'}, 1 ${from}`).raw();
  const where = `FROM ${spec.table} WHERE ${spec.seq} = ?`;
  const fastOne = db.prepare(`SELECT ${link}, CAST(json_array(${columns}) AS BLOB)${evidence} ${where}`).raw();
  const plainOne = db.prepare(`SELECT ${link}${evidence}, ${columns} ${where}`).raw();
  const one = db.prepare(`SELECT ${columns} ${where}`).raw();
  const extra = evidence ? 2 : 0;
  const inJs = (row: unknown[]): ChainRow => [row[0], row[1], row[2], row[3], row[4], chainText(row.slice(5 + extra) as CanonicalValue[]), extra ? row[5] : undefined, extra ? row[6] : undefined];
  /** One row as the walk reads it when no worker hashed it. */
  const whole = (seq: unknown): ChainRow => {
    try {
      return fastOne.get(seq) as ChainRow;
    } catch {
      return inJs(plainOne.get(seq) as unknown[]);
    }
  };
  const { table: headTable, where: headWhere, params } = spec.heads;
  return {
    log,
    *rows() {
      const hasher = startHasher(db, spec.table, spec.seq, columns, options.parallelFrom ?? PARALLEL_FROM);
      // Tests: the worker hashes every row it can before the walk starts, so its verdicts decide each row.
      if (hasher && options.hashFirst) hasher.wait(30_000);
      try {
        let useFast = true;
        for (let after = 0; ; ) {
          let rows: unknown[][];
          const covered = hasher !== undefined && Atomics.load(hasher.state, 0) <= after + 1;
          if (covered) {
            rows = linked.all(after) as unknown[][];
            for (const row of rows) yield hasher.hashed(row[0] as number) ? (row as unknown as ChainRow) : whole(row[0]);
          } else {
            // The walk hashes this page itself: the worker stops before it.
            if (hasher) Atomics.store(hasher.state, 1, after + PAGE);
            try {
              rows = (useFast ? fast : plain).all(after) as unknown[][];
            } catch (error) {
              if (!useFast) throw error;
              useFast = false;
              continue;
            }
            yield* (useFast ? rows : rows.map(inJs)) as ChainRow[];
          }
          if (rows.length < PAGE) return;
          after = rows[rows.length - 1]![0] as number;
        }
      } finally {
        hasher?.stop();
      }
    },
    async canonicalOf(seq) {
      const row = one.get(seq) as CanonicalValue[] | undefined;
      return row ? chainText(row) : undefined;
    },
    heads: async () => db.prepare(`SELECT seq, hash, count, signed_at, kid, jws FROM ${headTable} WHERE ${headWhere} ORDER BY seq`).all(...params) as LogHeadRow[],
    // The 核实 log is chained from its first row; the others may hold rows from before migration 0007.
    unchained: async () => (log === 'verification' ? 0 : (db.prepare(`SELECT COUNT(*) FROM ${spec.table} WHERE hash IS NULL`).pluck().get() as number)),
    ...(log === 'verification' ? { evidenceParts: evidencePartsOf(db, blobs) } : {}),
  };
}

/** Evidence from the blob store (issue 15), or from its parts in the database when stored before migration 0015. */
function evidencePartsOf(db: Database.Database, blobs: BlobStore | undefined): NonNullable<LogSource['evidenceParts']> {
  const evidence = db.prepare('SELECT media_type, size FROM verification_evidence WHERE sha256 = ?');
  const parts = db.prepare('SELECT bytes FROM verification_evidence_parts WHERE sha256 = ? ORDER BY part').pluck();
  return async (sha256) => {
    const row = evidence.get(sha256) as { media_type: string; size: number } | undefined;
    if (!row) return undefined;
    const blob = await blobs?.get(sha256);
    return { mediaType: row.media_type, size: row.size, parts: blob ? [blob] : (parts.all(sha256) as Uint8Array[]) };
  };
}

/**
 * `wrangler d1 execute --json` prints a BLOB as the text "[137, 80, …]"; this reads such columns back as
 * bytes, so the repository (and `log check --edge`) sees D1 through wrangler as it sees it in a Worker.
 */
export function blobsAsBytes(driver: SqlDriver, columns: readonly string[]): SqlDriver {
  const fix = <T>(row: T): T => {
    if (row && typeof row === 'object') {
      for (const column of columns) {
        const value = (row as Record<string, unknown>)[column];
        if (typeof value === 'string' && value.startsWith('[')) (row as Record<string, unknown>)[column] = Uint8Array.from(JSON.parse(value) as number[]);
      }
    }
    return row;
  };
  return {
    ...driver,
    all: async <T>(sql: string, params?: readonly SqlValue[]) => (await driver.all<T>(sql, params)).map(fix),
    first: async <T>(sql: string, params?: readonly SqlValue[]) => fix(await driver.first<T>(sql, params)),
  };
}

export const nodeHashes = {
  // crypto.hash (Node ≥ 20.12) skips the Hash object: a third faster on short texts.
  sha256hex: (text: string | Uint8Array) => (oneShotHash ? oneShotHash('sha256', text, 'hex') : createHash('sha256').update(text).digest('hex')),
  sha256hexParts(parts: readonly Uint8Array[]) {
    const hash = createHash('sha256');
    for (const part of parts) hash.update(part);
    return hash.digest('hex');
  },
};

/**
 * ES256 through node:crypto, in libuv's thread pool: the heads are verified on another core while the walk
 * hashes records, and each verification costs a fifth of WebCrypto's.
 */
export function nodeEs256Verify(): Es256Verify {
  const keys = new Map<CryptoKey, NodeKey>();
  return (publicKey, signature, signingInput) => {
    let key = keys.get(publicKey);
    if (!key) keys.set(publicKey, (key = KeyObject.from(publicKey)));
    const k = key;
    return new Promise((done, fail) => verify('sha256', signingInput, { key: k, dsaEncoding: 'ieee-p1363' }, signature, (error, ok) => (error ? fail(error) : done(ok))));
  };
}

/**
 * A head kept elsewhere, for `log check --head`: the JSON the head endpoint answers (or a bare compact JWS),
 * from a file or an http(s) URL (`ECERT_TOKEN` is sent as the bearer token, the endpoint wants a handler or
 * an auditor). Its signature is verified against the root before the log is compared with it.
 * @example const kept = await keptHead('head-2026-11-28.json', rootPem); // { head: { seq: 1200, … } } or { problem }
 */
export async function keptHead(
  where: string,
  rootPem: string | undefined,
  read: { file?: (path: string) => Promise<string>; fetch?: typeof fetch; token?: string | undefined } = {},
): Promise<{ head: LogHead } | { problem: Message }> {
  const problem = (zh: string, en: string) => ({ problem: { zh: `签名链头 ${where}：${zh}`, en: `head ${where}: ${en}` } });
  let text: string;
  try {
    if (/^https?:\/\//i.test(where)) {
      const res = await (read.fetch ?? fetch)(where, { headers: read.token ? { Authorization: `Bearer ${read.token}` } : {} });
      text = await res.text();
      if (!res.ok) return problem(`获取失败（HTTP ${res.status}）`, `could not be fetched (HTTP ${res.status})`);
    } else {
      text = await (read.file ?? ((path: string) => readFile(path, 'utf8')))(where);
    }
  } catch (error) {
    return problem('无法读取', `cannot be read: ${(error as Error).message}`);
  }
  let jws = text.trim();
  if (jws.startsWith('{')) {
    try {
      jws = String((JSON.parse(jws) as { jws?: unknown }).jws ?? '');
    } catch {
      return problem('不是有效的 JSON', 'is not valid JSON');
    }
  }
  if (!rootPem) return problem('没有根证书，无法验证其签名（--trust root.pem）', 'its signature cannot be verified without the root certificate (--trust root.pem)');
  const verified = await createLogHeadVerifier({ rootPem }, nodeEs256Verify())(jws);
  if (!verified.valid) return problem(`签名无效：${verified.reason.zh}`, `its signature is invalid: ${verified.reason.en}`);
  return { head: verified.head };
}

/**
 * Checks each log and prints the outcome; returns the exit code: 0 only when every chain is whole and its
 * heads verified against `rootPem`, 1 when one is broken, UNVERIFIED_EXIT when no root was given.
 * @example process.exitCode = await runLogCheck([sqliteLogSource(db)], readFileSync('keys/root.pem', 'utf8'), console.log);
 */
export async function runLogCheck(sources: LogSource | readonly LogSource[], rootPem: string | undefined, print: (line: string) => void, kept: readonly LogHead[] = []): Promise<number> {
  const verifyHead = rootPem ? createLogHeadVerifier({ rootPem }, nodeEs256Verify()) : undefined;
  const broken: LogName[] = [];
  for (const source of Array.isArray(sources) ? sources : [sources as LogSource]) {
    const keptHeads = kept.filter((h) => (h.log ?? 'verification') === source.log);
    const started = performance.now();
    const report = await checkLog(source, { ...nodeHashes, verifyHead, keptHeads });
    const seconds = (performance.now() - started) / 1000;
    for (const line of describe(report, rootPem !== undefined, seconds, keptHeads)) print(line);
    if (!report.ok) broken.push(report.log);
  }
  if (broken.length > 0) {
    print(`损坏的日志 / broken: ${broken.map((log) => `${LOG_NAMES[log].zh} ${LOG_NAMES[log].en}`).join('; ')}`);
    return 1;
  }
  // Whole chains prove nothing without the root: whoever rewrote the database could re-hash it all and sign heads with a key of their own.
  if (!rootPem) {
    print('未验证：没有根证书，链头签名未验证，不能证明日志未被改写（--trust root.pem，或 $ECERT_KEYS/root.pem）/ UNVERIFIED: without the root certificate no head signature was verified, so nothing proves the logs were not rewritten (--trust root.pem, or $ECERT_KEYS/root.pem)');
    return UNVERIFIED_EXIT;
  }
  print('OK');
  return 0;
}

/** `log check`'s exit code when every chain links but, without a root certificate, no head could be verified. */
export const UNVERIFIED_EXIT = 3;

export function describe(report: LogCheckReport, rootGiven: boolean, seconds?: number, keptHeads: readonly LogHead[] = []): string[] {
  const lines: string[] = [];
  const name = LOG_NAMES[report.log];
  const speed = seconds !== undefined && seconds > 0 ? `，用时 ${seconds.toFixed(2)} 秒 / in ${seconds.toFixed(2)} s (${Math.round(report.count / seconds).toLocaleString('en')} records/s)` : '';
  lines.push(`${name.zh}：已核对 ${report.count} 条记录 / ${name.en}: ${report.count} records checked${speed}`);
  const { heads } = report;
  if (heads.total === 0 && report.count === 0 && !report.broken) {
    lines.push('签名链头：无（日志为空）/ signed heads: none (the log is empty)');
  } else if (heads.total === 0) {
    lines.push('签名链头：无（服务未加载服务密钥时不签名：npm run cli -- keys service）/ signed heads: none (without a service key none are signed: npm run cli -- keys service)');
  } else if (!rootGiven) {
    lines.push(`签名链头：${heads.total} 个，未提供根证书，未验证签名 / signed heads: ${heads.total}, signatures NOT verified (no root certificate; --trust root.pem)`);
  } else {
    lines.push(`签名链头：${heads.verified}/${heads.total} 个签名有效 / signed heads: ${heads.verified} of ${heads.total} verified against the root${heads.kids.length ? ` (kid ${heads.kids.join(', ')})` : ''}`);
  }
  if (keptHeads.length > 0 && report.ok) {
    lines.push(`另行保存的签名链头：${report.kept}/${keptHeads.length} 个与日志相符 / heads kept elsewhere: ${report.kept} of ${keptHeads.length} held by the log`);
    for (const h of keptHeads) lines.push(`  第 ${h.seq} 条，${signedOn(h, 'zh')}（北京时间）签名 / seq ${h.seq}, signed ${signedOn(h, 'en')}`);
  }
  if (report.ok && heads.total > 0 && report.unsignedTail > 0) {
    lines.push(`最后一个签名链头之后还有 ${report.unsignedTail} 条记录 / ${report.unsignedTail} records after the last signed head (seq ${heads.lastSeq})`);
  }
  if (report.broken) {
    const b = report.broken;
    const where = report.log === 'verification' ? '' : ` in the ${name.en}`;
    lines.push(`损坏：${report.log === 'verification' ? '' : name.zh}第 ${b.seq} 条${b.id ? `（${b.id}）` : ''}：${b.reason.zh}`);
    lines.push(`BROKEN${where} at seq ${b.seq}${b.id ? ` (id ${b.id})` : ''}: ${b.reason.en}`);
  }
  return lines;
}
