/**
 * @module storage/blobCheck
 * Compares the blob store with the rows that name its files (issue 15): a missing file (a row whose file is
 * absent, or whose length or SHA-256 differs) and an orphan (a file no row names — left by a write whose
 * batch then failed) are reported in words. Orphans are deleted only when asked (`blobs check
 * --delete-orphans`); a missing file is never "repaired". Files a crash left in the staging folder are counted
 * too, and deleted with the orphans once older than STAGED_GRACE_MS. Run at start on Node (lengths only, fast) and by
 * `npm run cli -- blobs check` (every file hashed).
 */
import type { Message } from '../domain/errors.js';
import { sha256Hex } from '../lib/bytes.js';
import { STAGED_GRACE_MS, type BlobStore } from './blobs.js';

/** A file a row names. `legacy`: the row's bytes are also in the database (stored before migration 0015). */
export interface NamedBlob {
  sha256: string;
  length: number;
  owner: string;
  legacy?: boolean;
}

export interface BlobCheckReport {
  /** Files named by rows and found whole. */
  checked: number;
  missing: { sha256: string; owner: string; problem: 'absent' | 'length' | 'sha256' }[];
  orphans: { sha256: string; length: number }[];
  /** Orphans removed (only with `deleteOrphans`). */
  deleted: number;
  /**
   * Files left in the staging folder (`tmp/`) by writes that never finished — a crash after the write, before the
   * rename: `deleted` of them removed (only with `deleteOrphans`), `young` spared as possibly still being written.
   */
  staged: { count: number; bytes: number; deleted: number; young: number };
}

/**
 * `named` gives the rows' files afresh each time it is called: before deleting orphans the rows are read again, so
 * a file whose row committed while the (slow, hashing) walk ran is never taken for an orphan.
 * @example const report = await checkBlobs(blobs, () => [certificates.blobRefs(), verificationRecords.blobRefs()], { hash: true });
 */
export async function checkBlobs(
  blobs: BlobStore,
  named: () => readonly AsyncIterable<NamedBlob>[],
  options: { hash: boolean; deleteOrphans?: boolean; now?: number },
): Promise<BlobCheckReport> {
  const stored = new Map<string, number>();
  for await (const file of blobs.list()) stored.set(file.sha256, file.length);
  const report: BlobCheckReport = { checked: 0, missing: [], orphans: [], deleted: 0, staged: { count: 0, bytes: 0, deleted: 0, young: 0 } };
  const seen = new Set<string>(); // a file named by several rows (a material that became the photo) is checked once
  for (const source of named()) {
    for await (const row of source) {
      if (seen.has(row.sha256)) continue;
      seen.add(row.sha256);
      const length = stored.get(row.sha256);
      if (length === undefined) {
        if (!row.legacy) report.missing.push({ sha256: row.sha256, owner: row.owner, problem: 'absent' });
        continue;
      }
      if (length !== row.length) report.missing.push({ sha256: row.sha256, owner: row.owner, problem: 'length' });
      else if (options.hash && (await sha256Hex((await blobs.get(row.sha256)) ?? new Uint8Array())) !== row.sha256) {
        report.missing.push({ sha256: row.sha256, owner: row.owner, problem: 'sha256' });
      } else report.checked++;
    }
  }
  for (const [sha256, length] of stored) if (!seen.has(sha256)) report.orphans.push({ sha256, length });
  if (options.deleteOrphans && report.orphans.length > 0) {
    // A write stores its file before its row commits: read the rows again (no hashing, quick) and spare every
    // file named now. Deleting while the server writes is still best avoided (README: run it stopped).
    const namedNow = new Set<string>();
    for (const source of named()) for await (const row of source) namedNow.add(row.sha256);
    report.orphans = report.orphans.filter((o) => !namedNow.has(o.sha256));
    for (const orphan of report.orphans) {
      await blobs.delete(orphan.sha256);
      report.deleted++;
    }
  }
  // A staged file is never named by a row (rows name files in place); a young one may be a write in flight.
  const now = options.now ?? Date.now();
  for await (const file of blobs.staged?.() ?? []) {
    report.staged.count++;
    report.staged.bytes += file.length;
    if (now - file.modifiedAt < STAGED_GRACE_MS) report.staged.young++;
    else if (options.deleteOrphans && blobs.deleteStaged) {
      await blobs.deleteStaged(file.name);
      report.staged.deleted++;
    }
  }
  return report;
}

/** The report in words, one line each (Chinese / English), for the CLI and the start-up log. */
export function blobReportLines(report: BlobCheckReport): { ok: boolean; lines: string[] } {
  const why: Record<BlobCheckReport['missing'][number]['problem'], Message> = {
    absent: { zh: '文件缺失', en: 'the file is missing' },
    length: { zh: '文件长度与登记不符（已损坏）', en: 'the file is damaged (its length differs from the record)' },
    sha256: { zh: '文件内容与登记的 SHA-256 不符（已损坏）', en: 'the file is damaged (its SHA-256 differs from the record)' },
  };
  const { staged } = report;
  const unfinished = staged.count ? `, ${staged.count} 个未完成写入的临时文件 / unfinished writes` : '';
  const lines = [`文件存储 / blob store: ${report.checked} 个文件完好 / files intact, ${report.missing.length} 个缺失或损坏 / missing or damaged, ${report.orphans.length} 个无主文件 / orphans${unfinished}`];
  for (const m of report.missing) lines.push(`  缺失或损坏 / missing or damaged: ${m.owner} ${m.sha256}: ${why[m.problem].zh} / ${why[m.problem].en}`);
  for (const o of report.orphans) {
    lines.push(`  无主文件 / orphan: ${o.sha256} (${o.length} bytes) 没有任何记录引用它 / no row names it${report.deleted ? ' — 已删除 / deleted' : ''}`);
  }
  if (report.orphans.length && !report.deleted) lines.push('  无主文件不会自动删除；确认后可运行 blobs check --delete-orphans / orphans are never deleted on their own: blobs check --delete-orphans removes them');
  if (staged.count) {
    const minutes = STAGED_GRACE_MS / 60_000;
    lines.push(
      `  未完成的写入 / unfinished writes: tmp/ 中有 ${staged.count} 个临时文件（共 ${sizeOf(staged.bytes)}），是保存文件时程序中断留下的，没有任何记录引用它们 / ${staged.count} temporary files (${sizeOf(staged.bytes)} in all) in tmp/, left by saves interrupted before the file was put in place; no record names them`,
    );
    if (staged.deleted) lines.push(`  已删除 ${staged.deleted} 个临时文件 / ${staged.deleted} temporary files deleted`);
    if (staged.young) lines.push(`  其中 ${staged.young} 个写于 ${minutes} 分钟内，可能仍在写入，不会删除 / ${staged.young} written in the last ${minutes} minutes may still be being saved and are never deleted`);
    if (!staged.deleted && staged.count > staged.young) lines.push(`  可运行 blobs check --delete-orphans 删除（只删 ${minutes} 分钟以前的）/ blobs check --delete-orphans removes them (those older than ${minutes} minutes)`);
  }
  return { ok: report.missing.length === 0, lines };
}

/** A size as an operator reads it: 512 B, 12.5 KB, 3.2 MB. */
function sizeOf(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
