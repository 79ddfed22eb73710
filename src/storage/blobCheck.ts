/**
 * @module storage/blobCheck
 * Compares the blob store with the rows that name its files (issue 15): a missing file (a row whose file is
 * absent, or whose length or SHA-256 differs) and an orphan (a file no row names — left by a write whose
 * batch then failed) are reported in words. Orphans are deleted only when asked (`blobs check
 * --delete-orphans`); a missing file is never "repaired". Run at start on Node (lengths only, fast) and by
 * `npm run cli -- blobs check` (every file hashed).
 */
import type { Message } from '../domain/errors.js';
import { sha256Hex } from '../lib/bytes.js';
import type { BlobStore } from './blobs.js';

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
}

/**
 * `named` gives the rows' files afresh each time it is called: before deleting orphans the rows are read again, so
 * a file whose row committed while the (slow, hashing) walk ran is never taken for an orphan.
 * @example const report = await checkBlobs(blobs, () => [certificates.blobRefs(), verificationRecords.blobRefs()], { hash: true });
 */
export async function checkBlobs(
  blobs: BlobStore,
  named: () => readonly AsyncIterable<NamedBlob>[],
  options: { hash: boolean; deleteOrphans?: boolean },
): Promise<BlobCheckReport> {
  const stored = new Map<string, number>();
  for await (const file of blobs.list()) stored.set(file.sha256, file.length);
  const report: BlobCheckReport = { checked: 0, missing: [], orphans: [], deleted: 0 };
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
  return report;
}

/** The report in words, one line each (Chinese / English), for the CLI and the start-up log. */
export function blobReportLines(report: BlobCheckReport): { ok: boolean; lines: string[] } {
  const why: Record<BlobCheckReport['missing'][number]['problem'], Message> = {
    absent: { zh: '文件缺失', en: 'the file is missing' },
    length: { zh: '文件长度与登记不符（已损坏）', en: 'the file is damaged (its length differs from the record)' },
    sha256: { zh: '文件内容与登记的 SHA-256 不符（已损坏）', en: 'the file is damaged (its SHA-256 differs from the record)' },
  };
  const lines = [`文件存储 / blob store: ${report.checked} 个文件完好 / files intact, ${report.missing.length} 个缺失或损坏 / missing or damaged, ${report.orphans.length} 个无主文件 / orphans`];
  for (const m of report.missing) lines.push(`  缺失或损坏 / missing or damaged: ${m.owner} ${m.sha256}: ${why[m.problem].zh} / ${why[m.problem].en}`);
  for (const o of report.orphans) {
    lines.push(`  无主文件 / orphan: ${o.sha256} (${o.length} bytes) 没有任何记录引用它 / no row names it${report.deleted ? ' — 已删除 / deleted' : ''}`);
  }
  if (report.orphans.length && !report.deleted) lines.push('  无主文件不会自动删除；确认后可运行 blobs check --delete-orphans / orphans are never deleted on their own: blobs check --delete-orphans removes them');
  return { ok: report.missing.length === 0, lines };
}
