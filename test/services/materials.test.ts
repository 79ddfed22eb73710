/**
 * services/applications/materials on a real SQLite file and its blob directory (issue 15 review): an uploaded
 * material is hashed once — the digest that names it is passed to the store, not computed again — and a full
 * disk that refuses the case's batch after the file is stored is noted for /healthz (C12), as for certificates
 * and evidence.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/** node:crypto's createHash, counted: the directory store hashes with it when it is not given the digest. */
const hashes = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  const createHash: typeof actual.createHash = (...args) => {
    hashes.count++;
    return actual.createHash(...args);
  };
  return { ...actual, default: { ...actual, createHash }, createHash };
});

const { createApplication } = await import('../../src/services/applications/create.js');
const { uploadMaterial } = await import('../../src/services/applications/materials.js');
const { StorageFullError } = await import('../../src/storage/driver.js');
const { makeContext } = await import('./support.js');
const { tempDir } = await import('../storage/repoSupport.js');
const { applicationForm, pdfDataUrl } = await import('../support/workflow.js');

type Context = Awaited<ReturnType<typeof makeContext>>;
const temp = tempDir('materials');
let t: Context;
const applicant = { orgCode: 'GXQY01', role: 'applicant', tokenId: 'tok_app', personId: 'P_app', personName: '李四' } as const;
let caseId: string;

beforeAll(async () => {
  t = await makeContext({ path: join(temp.dir, 'materials.db') });
  await t.ctx.organisations.upsert({ code: 'GXQY01', name: '广西某直属企业有限公司', kind: 'unit', parentCode: 'GXZGB' }, '2026-11-01T00:00:00.000Z');
  await t.ctx.organisations.addPerson({ id: 'P_app', orgCode: 'GXQY01', name: '李四', role: 'applicant', createdAt: '2026-11-01T00:00:00.000Z' }, 'test');
  const { view } = await createApplication(t.ctx, applicant, applicationForm() as never);
  caseId = view.id;
});
afterAll(() => {
  t.close();
  temp.cleanup();
});

const upload = (note: string) => uploadMaterial(t.ctx, applicant, caseId, { item: 'original_title_proof', filename: `${note}.pdf`, content: pdfDataUrl(note) });

describe('uploading a material', () => {
  it('hashes the file once: the store is given the digest that names it', async () => {
    hashes.count = 0;
    const view = await upload('原职称证书扫描件');
    expect(hashes.count).toBe(0);
    const material = view.materials.find((m) => m.filename === '原职称证书扫描件.pdf')!;
    expect(await t.blobs.get(material.sha256)).toBeDefined();
    // The count does see the store's hashing: a put without the digest hashes once.
    await t.blobs.put(new TextEncoder().encode('不带摘要的文件'));
    expect(hashes.count).toBe(1);
  });

  it('notes a full disk that refuses the batch after the file is stored, as certificates and evidence do (C12)', async () => {
    const refused = vi.spyOn(t.blobs, 'refused');
    const pages = t.db.pragma('page_count', { simple: true }) as number;
    t.db.pragma(`max_page_count = ${pages}`); // SQLite's own limit stands in for a full disk
    let refusal: unknown;
    try {
      for (let i = 0; i < 50 && !refusal; i++) await upload(`合同${i}${'长'.repeat(2000)}`).catch((error: unknown) => (refusal = error));
    } finally {
      t.db.pragma('max_page_count = 1073741823');
    }
    expect(refusal).toBeInstanceOf(StorageFullError);
    expect(refused).toHaveBeenCalledTimes(1);
    expect(refused.mock.calls[0]![0]).toBeGreaterThan(100); // the refused file's length
  });
});
