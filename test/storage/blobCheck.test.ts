/**
 * storage/blobCheck: missing and damaged files are reported, orphans deleted only when asked — and never a file
 * whose row committed while the check walked (a write stores its file before its row).
 */
import { describe, expect, it } from 'vitest';
import { checkBlobs, type NamedBlob } from '../../src/storage/blobCheck.js';
import { memoryBlobStore, type BlobStore } from '../../src/storage/blobs.js';

async function* rows(list: NamedBlob[]): AsyncGenerator<NamedBlob> {
  yield* list;
}

describe('checkBlobs', () => {
  it('reports missing, damaged and orphaned files', async () => {
    const blobs = memoryBlobStore();
    const kept = await blobs.put(new Uint8Array([1, 2, 3]));
    const orphan = await blobs.put(new Uint8Array([4, 5]));
    const named = [
      { ...kept, owner: 'kept' },
      { sha256: 'a'.repeat(64), length: 3, owner: 'gone' },
      { sha256: kept.sha256, length: 9, owner: 'same file, other length' },
    ];
    const report = await checkBlobs(blobs, () => [rows(named)], { hash: true });
    expect(report.checked).toBe(1);
    expect(report.missing).toEqual([{ sha256: 'a'.repeat(64), owner: 'gone', problem: 'absent' }]);
    expect(report.orphans).toEqual([{ sha256: orphan.sha256, length: 2 }]);
    expect(report.deleted).toBe(0);
    expect(await blobs.get(orphan.sha256)).toBeDefined();
  });

  it('deletes orphans only when asked, sparing a file whose row committed while the check walked', async () => {
    const blobs = memoryBlobStore();
    const orphan = await blobs.put(new Uint8Array([7]));
    const late = await blobs.put(new Uint8Array([8, 9])); // its row commits after the first walk passed
    let walks = 0;
    const named = () => {
      walks++;
      return [rows(walks === 1 ? [] : [{ ...late, owner: 'certificate 26LATE PDF' }])];
    };
    const report = await checkBlobs(blobs, named, { hash: true, deleteOrphans: true });
    expect(walks).toBe(2);
    expect(report.orphans).toEqual([{ sha256: orphan.sha256, length: 1 }]);
    expect(report.deleted).toBe(1);
    expect(await blobs.get(orphan.sha256)).toBeUndefined();
    expect(Array.from((await blobs.get(late.sha256))!)).toEqual([8, 9]);
  });
});

/** The interface holds only what is used (issue 15 review): `has` was never called, so no store carries it (a type check). */
const withoutHas: 'has' extends keyof BlobStore ? false : true = true;

describe('BlobStore', () => {
  it('has no unused `has` (a type check) and no store implements one', () => {
    expect(withoutHas).toBe(true);
    expect('has' in memoryBlobStore()).toBe(false);
  });
});
