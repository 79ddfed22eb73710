/**
 * entry/blobDirectory (issue 15 review): the directory store on real files in a temp dir. A file already stored
 * under the same name is trusted only when it holds the very bytes — a damaged copy of the same length is
 * replaced — and an intact one is fsync'd (with its folders) before `put` returns, since the process that wrote
 * it may have crashed before its own fsync.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** Every path whose handle was fsync'd, in order: node:fs/promises `open` wrapped, nothing else changed. */
const synced: string[] = vi.hoisted(() => []);
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof actual.open = async (path, ...rest) => {
    const handle = await actual.open(path, ...rest);
    const sync = handle.sync.bind(handle);
    handle.sync = async () => {
      synced.push(String(path));
      return sync();
    };
    return handle;
  };
  return { ...actual, default: { ...actual, open }, open };
});

const { directoryBlobStore } = await import('../../src/entry/blobDirectory.js');
const { tempDir } = await import('../storage/repoSupport.js');

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function store() {
  const temp = tempDir('blobdir');
  cleanup = temp.cleanup;
  const root = join(temp.dir, 'ecert.db.blobs');
  return { root, blobs: directoryBlobStore(root) };
}

const bytes = new TextEncoder().encode('职称电子证书 PDF bytes');
const sha = createHash('sha256').update(bytes).digest('hex');
const pathIn = (root: string) => join(root, sha.slice(0, 2), sha.slice(2, 4), sha);

describe('the directory store, when a file of the same name is there already', () => {
  it('replaces a damaged copy (same length, other bytes) with the right bytes, never trusting it', async () => {
    const { root, blobs } = store();
    await blobs.put(bytes);
    const damaged = Buffer.from(bytes);
    damaged[3]! ^= 0xff;
    writeFileSync(pathIn(root), damaged);

    expect(await blobs.put(bytes)).toEqual({ sha256: sha, length: bytes.length });
    expect(readFileSync(pathIn(root)).equals(bytes)).toBe(true);
    expect(Buffer.from((await blobs.get(sha))!).equals(bytes)).toBe(true);
  });

  it('never lets bytes given under another file\'s digest overwrite that file (a caller\'s wrong digest)', async () => {
    const { root, blobs } = store();
    await blobs.put(bytes);
    const other = new TextEncoder().encode('另一份文件，长度相同吗？不一定');
    await expect(blobs.put(other, sha)).rejects.toThrow(/not theirs/);
    expect(readFileSync(pathIn(root)).equals(bytes)).toBe(true);
    // Given its own digest, the other file is stored under its own name.
    const otherSha = createHash('sha256').update(other).digest('hex');
    expect(await blobs.put(other, otherSha)).toEqual({ sha256: otherSha, length: other.length });
  });

  it('fsyncs an intact copy and the folders that name it before answering (its writer may have crashed before its fsync)', async () => {
    const { root, blobs } = store();
    await blobs.put(bytes);
    synced.length = 0;

    await blobs.put(bytes);
    const folder = join(pathIn(root), '..');
    expect(synced).toEqual([pathIn(root), folder, join(folder, '..'), root]);
    expect(readFileSync(pathIn(root)).equals(bytes)).toBe(true);
  });
});

describe('the directory store opened by a check', () => {
  it('creates nothing until the first write, and read-only refuses to write or delete', async () => {
    const { root, blobs } = store();
    await blobs.put(bytes);
    const checking = directoryBlobStore(join(root, '..', 'other.db.blobs'), { readOnly: true });
    expect(await checking.get(sha)).toBeUndefined();
    for await (const _ of checking.list()) throw new Error('nothing stored there');
    expect(existsSync(join(root, '..', 'other.db.blobs'))).toBe(false);

    const readOnly = directoryBlobStore(root, { readOnly: true });
    expect(Buffer.from((await readOnly.get(sha))!).equals(bytes)).toBe(true);
    await expect(readOnly.put(new Uint8Array([1]))).rejects.toThrow(/read-only/);
    await expect(readOnly.delete(sha)).rejects.toThrow(/read-only/);
    expect(existsSync(pathIn(root))).toBe(true);
  });
});
