/**
 * Issue 15, on both runtimes: large files live in the blob store — a directory beside the SQLite file on
 * Node, R2 under `wrangler dev --local` on workerd — and the database keeps only each file's SHA-256 and
 * length. Uploaded evidence comes back byte for byte; the certificate's PDF is not in the database; a file
 * altered or removed on disk is refused in words (503 file_damaged), never served wrong; `blobs check`
 * names the missing file and the orphan, and deletes orphans only when asked.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTarget, startServer, type RunningServer } from '../support/server.js';
import { issueBody, phoneRecordBody } from '../support/fixtures.js';

let server: RunningServer;
let issuer: string;
let handler: string;
let auditor: string;

beforeAll(async () => {
  server = await startServer();
  [issuer, handler, auditor] = await Promise.all([server.token('GXZGB', 'issuer'), server.token('GXZGB', 'handler'), server.token('GXZGB', 'auditor')]);
});
afterAll(async () => server?.stop());

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A small valid PDF made unique by a hex comment (hex: never spells a PDF name such as /JS). */
function evidencePdf(): Buffer {
  return Buffer.concat([
    Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n% '),
    Buffer.from(randomBytes(2048).toString('hex')),
    Buffer.from('\ntrailer<</Root 1 0 R>>\n%%EOF\n'),
  ]);
}

async function recordWithEvidence(pdf: Buffer): Promise<string> {
  const body = phoneRecordBody({
    method: 'letter',
    phone: undefined,
    letter: { number: '桂人社函〔2026〕88号', sentTo: '湖南省人力资源和社会保障厅', sentOn: '2026-11-02', repliedOn: '2026-11-16', evidence: `data:application/pdf;base64,${pdf.toString('base64')}` },
    record: '发函核实，复函确认。',
  });
  const res = await fetch(`${server.baseUrl}/api/v1/verification-records`, { method: 'POST', headers: { Authorization: `Bearer ${handler}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const evidenceOf = (id: string) => fetch(`${server.baseUrl}/api/v1/verification-records/${id}/evidence`, { headers: { Authorization: `Bearer ${auditor}` } });

async function issue(): Promise<{ number: string; pdfUrl: string }> {
  const res = await fetch(`${server.baseUrl}/api/v1/certificates`, { method: 'POST', headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json' }, body: JSON.stringify(issueBody()) });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { number: string; pdfUrl: string };
}

/** The blob directory beside the SQLite file (Node). */
const blobPath = (sha: string) => join(`${server.dbPath}.blobs`, sha.slice(0, 2), sha.slice(2, 4), sha);

async function expectDamaged(res: Response): Promise<void> {
  expect(res.status).toBe(503);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const problem = (await res.json()) as { code: string; message: { zh: string; en: string } };
  expect(problem.code).toBe('file_damaged');
  expect(problem.message.zh).toContain('文件已损坏/缺失');
  expect(problem.message.en).toContain('damaged or missing');
}

describe('the blob store', () => {
  it('keeps uploaded evidence outside the database and gives it back byte for byte', async () => {
    const pdf = evidencePdf();
    const id = await recordWithEvidence(pdf);
    const res = await evidenceOf(id);
    expect(res.status).toBe(200);
    expect(sha256(new Uint8Array(await res.arrayBuffer()))).toBe(sha256(pdf));
    const db = new Database(server.dbPath, { readonly: true });
    try {
      expect(db.prepare('SELECT size FROM verification_evidence WHERE sha256 = ?').get(sha256(pdf))).toEqual({ size: pdf.length });
      // The bytes are not in the database: no parts (where they lived before migration 0015).
      expect(db.prepare('SELECT COUNT(*) AS n FROM verification_evidence_parts').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    if (server.target === 'node') expect(readFileSync(blobPath(sha256(pdf))).equals(pdf)).toBe(true);
  });

  it('keeps the certificate PDF and photo outside the database: the row holds their SHA-256 and length', async () => {
    const { number, pdfUrl } = await issue();
    const res = await fetch(pdfUrl);
    expect(res.status).toBe(200);
    const pdf = new Uint8Array(await res.arrayBuffer());
    const db = new Database(server.dbPath, { readonly: true });
    try {
      const row = db.prepare('SELECT pdf_sha256, pdf_length, photo, photo_sha256, photo_length FROM certificates WHERE number = ?').get(number) as Record<string, unknown>;
      expect(row).toMatchObject({ pdf_sha256: sha256(pdf), pdf_length: pdf.length, photo: null });
      expect(row.photo_sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(db.prepare('SELECT COUNT(*) AS n FROM certificate_pdfs').get()).toEqual({ n: 0 });
      // Database bytes per certificate: the row is small (the PDF alone is ~50 KB).
      const { bytes } = db.prepare("SELECT SUM(pgsize) AS bytes FROM dbstat WHERE name = 'certificates'").get() as { bytes: number };
      expect(bytes).toBeLessThan(20_000);
    } finally {
      db.close();
    }
  });

  it.runIf(currentTarget() === 'node')('refuses an altered or removed file in words (503 file_damaged), never serving wrong bytes', async () => {
    const pdf = evidencePdf();
    const id = await recordWithEvidence(pdf);
    const path = blobPath(sha256(pdf));
    const altered = Buffer.from(pdf);
    altered[altered.length - 10]! ^= 0xff; // same length, one byte changed
    writeFileSync(path, altered);
    await expectDamaged(await evidenceOf(id));

    const { pdfUrl } = await issue();
    const served = new Uint8Array(await (await fetch(pdfUrl)).arrayBuffer());
    rmSync(blobPath(sha256(served)));
    await expectDamaged(await fetch(pdfUrl));

    writeFileSync(path, pdf); // put back: served again
    expect((await evidenceOf(id)).status).toBe(200);
    writeFileSync(path, altered);
  });

  it.runIf(currentTarget() === 'node')('`blobs check` names missing and damaged files and orphans; orphans go only with --delete-orphans', async () => {
    const orphan = randomBytes(100);
    const orphanSha = sha256(orphan);
    mkdirSync(join(blobPath(orphanSha), '..'), { recursive: true });
    writeFileSync(blobPath(orphanSha), orphan);

    const check = await server.cli(['blobs', 'check']);
    expect(check.code, check.stdout + check.stderr).toBe(1);
    expect(check.stdout).toContain('2 个缺失或损坏 / missing or damaged, 1 个无主文件 / orphans');
    expect(check.stdout).toMatch(/缺失或损坏 \/ missing or damaged: 证书 \/ certificate \w+ PDF [0-9a-f]{64}: 文件缺失 \/ the file is missing/);
    expect(check.stdout).toMatch(/SHA-256 不符（已损坏）/);
    expect(check.stdout).toContain(`无主文件 / orphan: ${orphanSha} (100 bytes)`);
    expect(existsSync(blobPath(orphanSha))).toBe(true); // reported, not deleted

    const deleting = await server.cli(['blobs', 'check', '--delete-orphans']);
    expect(deleting.stdout).toContain('已删除 / deleted');
    expect(existsSync(blobPath(orphanSha))).toBe(false);
  });

  it.runIf(currentTarget() === 'edge')('keeps the files in the local R2 state beside D1', async () => {
    const r2 = join(server.dir, 'state/v3/r2');
    const files = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]));
    expect(files(r2).filter((f) => statSync(f).size > 20_000).length).toBeGreaterThan(0); // the PDFs
  });
});
