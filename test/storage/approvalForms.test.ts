/**
 * storage/approvalForms on a real SQLite file and its blob directory (issue 16 item 3, migration 0019): a finished
 * case's sealed form is kept once — of two processes racing, the first row stays and both answer its bytes —,
 * read back checked against its SHA-256 and length, named to `blobs check`, and never replaced or removed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobDirectoryOf } from '../../src/entry/blobDirectory.js';
import { sha256Hex } from '../../src/lib/bytes.js';
import { ApprovalFormRepository } from '../../src/storage/approvalForms.js';
import { checkBlobs } from '../../src/storage/blobCheck.js';
import { FileDamagedError } from '../../src/storage/blobs.js';
import { openStore, tempDir, type Store } from './repoSupport.js';

const tmp = tempDir('forms');
let store: Store;
beforeAll(async () => {
  store = await openStore(tmp.dir, 'f.db');
});
afterAll(() => {
  store?.close();
  tmp.cleanup();
});

const pdf = (text: string) => new TextEncoder().encode(`%PDF-1.7\n${text}\n%%EOF`);

describe('ApprovalFormRepository', () => {
  it('keeps the first form: a second process keeping another gets the first one back, and the row stays', async () => {
    const [one, two] = [new ApprovalFormRepository(store.driver, store.blobs), new ApprovalFormRepository(store.driver, store.blobs)];
    expect(await one.kept('RC1')).toBeUndefined();
    const [a, b] = await Promise.all([one.keep('RC1', pdf('first'), '2026-10-21T02:00:00.000Z'), two.keep('RC1', pdf('second'), '2026-10-21T02:00:01.000Z')]);
    expect(new TextDecoder().decode(a)).toBe(new TextDecoder().decode(b));
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM approval_forms').get()).toEqual({ n: 1 });
    const { pdf_sha256 } = store.db.prepare("SELECT pdf_sha256 FROM approval_forms WHERE application_id = 'RC1'").get() as { pdf_sha256: string };
    expect(pdf_sha256).toBe(await sha256Hex(a));
  });

  it('makes one form for many requests of one process at once', async () => {
    const forms = new ApprovalFormRepository(store.driver, store.blobs);
    let made = 0;
    const make = async () => pdf(`made ${++made}`);
    const answers = await Promise.all(Array.from({ length: 30 }, () => forms.keptOrMade('RC2', make, () => '2026-10-21T02:00:00.000Z')));
    expect(made).toBe(1);
    expect(new Set(answers.map((x) => new TextDecoder().decode(x)))).toEqual(new Set(['%PDF-1.7\nmade 1\n%%EOF']));
    expect(new TextDecoder().decode(await forms.keptOrMade('RC2', make, () => ''))).toContain('made 1');
    expect(made).toBe(1);
  });

  it('refuses in words a kept form whose file was altered; blobs check names it; the row cannot be changed or removed', async () => {
    const forms = new ApprovalFormRepository(store.driver, store.blobs);
    const kept = await forms.keep('RC3', pdf('third'), '2026-10-21T02:00:00.000Z');
    const sha256 = await sha256Hex(kept);
    const report = await checkBlobs(store.blobs, () => [forms.blobRefs()], { hash: true });
    expect(report.missing).toEqual([]);
    expect(report.checked).toBeGreaterThanOrEqual(3);
    writeFileSync(join(blobDirectoryOf(store.path), sha256.slice(0, 2), sha256.slice(2, 4), sha256), pdf('thirD'));
    await expect(forms.kept('RC3')).rejects.toBeInstanceOf(FileDamagedError);
    const after = await checkBlobs(store.blobs, () => [forms.blobRefs()], { hash: true });
    expect(after.missing).toEqual([{ sha256, owner: '审批表 / approval form RC3', problem: 'sha256' }]);
    expect(() => store.db.prepare("DELETE FROM approval_forms WHERE application_id = 'RC3'").run()).toThrow(/append-only/);
    expect(() => store.db.prepare("UPDATE approval_forms SET pdf_length = 1 WHERE application_id = 'RC3'").run()).toThrow(/append-only/);
  });
});
