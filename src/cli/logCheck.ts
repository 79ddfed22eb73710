/**
 * @module cli/logCheck
 * `npm run cli -- log check`: verifies the whole 核实 log (services/verificationLog.ts checkLog) and names
 * the first broken record. On the SQLite file it reads rows straight from better-sqlite3 and hashes with
 * node:crypto — the same canonical form and the same SHA-256 as the service's WebCrypto, only faster;
 * with `--edge local|remote` it reads D1 through wrangler, a page at a time.
 */
import { createHash, hash as oneShotHash, KeyObject, verify, type KeyObject as NodeKey } from 'node:crypto';
import type Database from 'better-sqlite3';
import { createLogHeadVerifier, type Es256Verify } from '../crypto/logHead.js';
import { checkLog, type ChainRow, type LogCheckReport, type LogSource } from '../services/verificationLog.js';
import { RECORD_COLUMNS, type LogHeadRow } from '../storage/verificationRecords.js';
import type { SqlDriver, SqlValue } from '../storage/driver.js';
import { canonicalText, type CanonicalValue } from '../domain/verificationRecord.js';

/** Rows read per query: small enough that a page stays in V8's young generation (20,000 spent a third of the time in GC). */
const PAGE = 1000;

const LINK_COLUMNS = 'seq, id, prev_hash, hash, method, details';
/** The canonical columns, in CANONICAL_FIELDS order (RECORD_COLUMNS without `hash`). */
const CANONICAL_COLUMNS = RECORD_COLUMNS.filter((column) => column !== 'hash').join(', ');

/**
 * A LogSource straight over a better-sqlite3 connection. SQLite's json_array spells TEXT, INTEGER and NULL
 * values exactly as JSON.stringify does, so it builds the domain's canonical text while reading — twice as
 * fast as building it in JavaScript. Where the two could ever differ, the check asks `canonicalOf` for the
 * domain's own text before it calls a record altered; a value json_array refuses (a BLOB put where text
 * belongs) sends the walk to the domain's encoder for the rest of the log.
 */
export function sqliteLogSource(db: Database.Database): LogSource {
  // Arrays, not objects: better-sqlite3 builds a 23-key object per row several times slower than an array.
  const fast = db.prepare(`SELECT ${LINK_COLUMNS}, json_array(${CANONICAL_COLUMNS}) FROM verification_records WHERE seq > ? ORDER BY seq LIMIT ${PAGE}`).raw();
  const plain = db.prepare(`SELECT ${LINK_COLUMNS}, ${CANONICAL_COLUMNS} FROM verification_records WHERE seq > ? ORDER BY seq LIMIT ${PAGE}`).raw();
  const one = db.prepare(`SELECT ${CANONICAL_COLUMNS} FROM verification_records WHERE seq = ?`).raw();
  const evidence = db.prepare('SELECT media_type, size FROM verification_evidence WHERE sha256 = ?');
  const parts = db.prepare('SELECT bytes FROM verification_evidence_parts WHERE sha256 = ? ORDER BY part').pluck();
  const inJs = (row: unknown[]): ChainRow => [row[0], row[1], row[2], row[3], row[4], row[5], canonicalText(row.slice(6) as CanonicalValue[])];
  return {
    *rows() {
      let useFast = true;
      for (let after = 0; ; ) {
        let rows: unknown[][];
        try {
          rows = (useFast ? fast : plain).all(after) as unknown[][];
        } catch (error) {
          if (!useFast) throw error;
          useFast = false;
          continue;
        }
        yield* (useFast ? rows : rows.map(inJs)) as ChainRow[];
        if (rows.length < PAGE) return;
        after = rows[rows.length - 1]![0] as number;
      }
    },
    async canonicalOf(seq) {
      const row = one.get(seq) as CanonicalValue[] | undefined;
      return row ? canonicalText(row) : undefined;
    },
    heads: async () => db.prepare('SELECT seq, hash, count, signed_at, kid, jws FROM verification_log_heads ORDER BY seq').all() as LogHeadRow[],
    async evidenceParts(sha256) {
      const row = evidence.get(sha256) as { media_type: string; size: number } | undefined;
      return row ? { mediaType: row.media_type, size: row.size, parts: parts.all(sha256) as Uint8Array[] } : undefined;
    },
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
  sha256hex: (text: string) => (oneShotHash ? oneShotHash('sha256', text, 'hex') : createHash('sha256').update(text, 'utf8').digest('hex')),
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
 * Checks the log and prints the outcome; returns the exit code (0 only when the chain is whole).
 * @example process.exitCode = await runLogCheck(sqliteLogSource(db), readFileSync('keys/root.pem', 'utf8'), console.log);
 */
export async function runLogCheck(source: LogSource, rootPem: string | undefined, print: (line: string) => void): Promise<number> {
  const started = performance.now();
  const report = await checkLog(source, { ...nodeHashes, verifyHead: rootPem ? createLogHeadVerifier({ rootPem }, nodeEs256Verify()) : undefined });
  const seconds = (performance.now() - started) / 1000;
  for (const line of describe(report, rootPem !== undefined, seconds)) print(line);
  return report.ok ? 0 : 1;
}

export function describe(report: LogCheckReport, rootGiven: boolean, seconds?: number): string[] {
  const lines: string[] = [];
  const speed = seconds !== undefined && seconds > 0 ? `，用时 ${seconds.toFixed(2)} 秒 / in ${seconds.toFixed(2)} s (${Math.round(report.count / seconds).toLocaleString('en')} records/s)` : '';
  lines.push(`核实日志：已核对 ${report.count} 条记录 / verification log: ${report.count} records checked${speed}`);
  const { heads } = report;
  if (heads.total === 0) {
    lines.push('签名链头：无——未加载服务密钥，链头未签名 / signed heads: none — no service key was loaded, so heads are not signed (npm run cli -- keys service)');
  } else if (!rootGiven) {
    lines.push(`签名链头：${heads.total} 个，未提供根证书，未验证签名 / signed heads: ${heads.total}, signatures NOT verified (no root certificate; --trust root.pem)`);
  } else {
    lines.push(`签名链头：${heads.verified}/${heads.total} 个签名有效 / signed heads: ${heads.verified} of ${heads.total} verified against the root${heads.kids.length ? ` (kid ${heads.kids.join(', ')})` : ''}`);
  }
  if (report.ok && heads.total > 0 && report.unsignedTail > 0) {
    lines.push(`最后一个签名链头之后还有 ${report.unsignedTail} 条记录 / ${report.unsignedTail} records after the last signed head (seq ${heads.lastSeq})`);
  }
  if (report.broken) {
    const b = report.broken;
    lines.push(`损坏：第 ${b.seq} 条${b.id ? `（${b.id}）` : ''}：${b.reason.zh}`);
    lines.push(`BROKEN at seq ${b.seq}${b.id ? ` (id ${b.id})` : ''}: ${b.reason.en}`);
  } else {
    lines.push('OK');
  }
  return lines;
}
