/**
 * A full disk (issue 12, C12), on both runtimes: the database lives on a small tmpfs that a filler file
 * fills. A write that does not fit answers 507 `storage_full` in words — never a 500 —, /healthz says not
 * ready (503), and once the filler is removed the service takes writes again without a restart; every
 * record it acknowledged is still there, evidence intact, and the chains check out.
 * Mounting needs root (or CAP_SYS_ADMIN); where the machine refuses, the tests FAIL — a skipped test would
 * read as a passed one — unless ECERT_TEST_SKIP_TMPFS=1 says this machine cannot, and then
 * test/storage/chainWriter.test.ts covers the same path with SQLite's max_page_count.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.js';
import { phoneRecordBody } from '../support/fixtures.js';

const mountPoint = mkdtempSync(join(tmpdir(), 'ecert-full-'));
const filler = join(mountPoint, 'filler');
const skipWithoutTmpfs = process.env.ECERT_TEST_SKIP_TMPFS === '1';
let mounted = false;
let mountProblem = '';
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', mountPoint], { stdio: 'pipe' });
  mounted = true;
} catch (error) {
  const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
  mountProblem = stderr || (error as Error).message.split('\n')[0]!;
  if (skipWithoutTmpfs) console.warn(`storageFull: skipped (ECERT_TEST_SKIP_TMPFS=1): cannot mount a tmpfs here (${mountProblem}); the max_page_count test in test/storage/chainWriter.test.ts covers this path`);
}

let server: RunningServer;
let handler: string;
let auditor: string;

/**
 * A small, valid PDF whose comment makes it `kib` KiB of incompressible bytes: each one a new file to store.
 * The filler is hex, never base64: base64's `/` would now and then spell a PDF name such as `/JS/`, which the
 * active-content check rightly refuses (422) — a CI failure once.
 */
function evidencePdf(kib: number): { dataUrl: string; sha256: string } {
  const pdf = Buffer.concat([
    Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n% '),
    Buffer.from(randomBytes(kib * 512).toString('hex')),
    Buffer.from('\ntrailer<</Root 1 0 R>>\n%%EOF\n'),
  ]);
  return { dataUrl: `data:application/pdf;base64,${pdf.toString('base64')}`, sha256: createHash('sha256').update(pdf).digest('hex') };
}

const post = (body: unknown) =>
  fetch(`${server.baseUrl}/api/v1/verification-records`, { method: 'POST', headers: { Authorization: `Bearer ${handler}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const letter = (evidence: string, i: number) =>
  phoneRecordBody({
    method: 'letter',
    phone: undefined,
    letter: { number: `桂人社函〔2026〕${i}号`, sentTo: '湖南省人力资源和社会保障厅', sentOn: '2026-11-02', repliedOn: '2026-11-16', evidence },
    record: `发函核实第 ${i} 件，复函确认。`,
  });

beforeAll(async () => {
  if (!mounted && skipWithoutTmpfs) return;
  if (!mounted) throw new Error(`storageFull: cannot mount a tmpfs here (${mountProblem}); run as root, or set ECERT_TEST_SKIP_TMPFS=1 on a machine that cannot`);
  // Everything the server keeps — the SQLite file on Node, the local D1 state on workerd — goes on the tmpfs.
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = mountPoint;
  try {
    server = await startServer();
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
  [handler, auditor] = await Promise.all([server.token('GXZGB', 'handler'), server.token('GXZGB', 'auditor')]);
});
afterAll(async () => {
  await server?.stop();
  if (mounted) execFileSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

describe.skipIf(!mounted && skipWithoutTmpfs)('a full disk', () => {
  const acknowledged: { id: string; sha256: string }[] = [];

  it('refuses the write that does not fit with 507 storage_full in words, never a 500, and /healthz is not ready', async () => {
    expect((await post(phoneRecordBody())).status).toBe(201); // fonts loaded, tables warm
    // Leave about 1.5 MiB free, then store 256 KiB files until one does not fit.
    const { bavail, bsize } = statfsSync(mountPoint);
    writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - 1536 * 1024)));
    const refusals: Response[] = [];
    for (let i = 0; i < 40 && refusals.length === 0; i++) {
      const evidence = evidencePdf(256);
      const res = await post(letter(evidence.dataUrl, i));
      if (res.status === 201) acknowledged.push({ id: ((await res.json()) as { id: string }).id, sha256: evidence.sha256 });
      else if (res.status === 507) refusals.push(res);
      else expect.fail(`${res.status} ${await res.text()}`);
    }
    expect(acknowledged.length).toBeGreaterThan(0);
    const [refusal] = refusals;
    expect(refusal?.status).toBe(507);
    expect(refusal!.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await refusal!.json()) as { code: string; message: { zh: string; en: string } };
    expect(problem.code).toBe('storage_full');
    expect(problem.message.zh).toContain('存储空间已满');
    expect(problem.message.en).toContain('storage is full');

    const health = await fetch(`${server.baseUrl}/healthz`);
    expect(health.status).toBe(503);
    expect(((await health.json()) as { code: string }).code).toBe('storage_full');
  });

  it('recovers without a restart once space is freed, and loses nothing it acknowledged', async () => {
    rmSync(filler, { force: true });
    let health = 0;
    for (let i = 0; i < 50 && health !== 200; i++) {
      health = (await fetch(`${server.baseUrl}/healthz`)).status;
      if (health !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(health).toBe(200);
    const again = evidencePdf(256);
    const res = await post(letter(again.dataUrl, 99));
    expect(res.status, await res.clone().text()).toBe(201);
    acknowledged.push({ id: ((await res.json()) as { id: string }).id, sha256: again.sha256 });
    for (const { id, sha256 } of acknowledged) {
      const evidence = await fetch(`${server.baseUrl}/api/v1/verification-records/${id}/evidence`, { headers: { Authorization: `Bearer ${auditor}` } });
      expect(evidence.status, id).toBe(200);
      expect(createHash('sha256').update(new Uint8Array(await evidence.arrayBuffer())).digest('hex')).toBe(sha256);
    }
    const check = await server.cli(['log', 'check']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain(`verification log: ${acknowledged.length + 1} records checked`);
  });
});
