/**
 * Issuance under load (issue 15): on Node the certificate PDFs render in a pool of worker threads behind a
 * bounded queue (entry/renderPool.ts). A crowd at a tiny queue is partly refused — 503 `busy` with
 * Retry-After and words in Chinese and English, never a 500 — and nothing refused is half-written: every
 * stored certificate is one that was answered 201, and its PDF is signed (poppler's pdfsig says so). A
 * crowd of ordinary size at the default queue is issued whole, on both runtimes (Workers render in-line).
 * SIGTERM in the middle of a crowd: what was accepted finishes, the rest is refused or never connects —
 * never a 500, and every stored certificate has its PDF file on disk.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { currentTarget, freePort, ROOT, startServer, type RunningServer } from '../support/server.js';
import { issueBody } from '../support/fixtures.js';

const servers: RunningServer[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'ecert-pool-'));
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(scratch, { recursive: true, force: true });
});

async function issuer(env: Record<string, string>): Promise<{ server: RunningServer; issue: () => Promise<Response> }> {
  const server = await startServer(env);
  servers.push(server);
  const token = await server.token('GXZGB', 'issuer');
  const body = JSON.stringify(issueBody());
  const issue = () => fetch(`${server.baseUrl}/api/v1/certificates`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body });
  return { server, issue };
}

/** pdfsig's verdict on the PDF at `url`. */
async function signatureOf(url: string, name: string): Promise<string> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const path = join(scratch, `${name}.pdf`);
  writeFileSync(path, new Uint8Array(await res.arrayBuffer()));
  return execFileSync('pdfsig', [path], { encoding: 'utf8' });
}

function certificateRows(server: RunningServer): number {
  const db = new Database(server.dbPath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM certificates').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('issuance with its signed PDF under load', () => {
  it.skipIf(currentTarget() === 'edge')('a crowd at a queue of 2 behind one worker: some 201, some 503 busy with Retry-After, never a 500, nothing half-written', async () => {
    const { server, issue } = await issuer({ ECERT_RENDER_WORKERS: '1', ECERT_RENDER_QUEUE: '2' });
    expect((await issue()).status).toBe(201); // the worker is warm before the crowd comes
    const answers = await Promise.all(Array.from({ length: 40 }, async () => {
      const res = await issue();
      return { status: res.status, retryAfter: res.headers.get('retry-after'), type: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
    }));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s !== 201 && s !== 503), JSON.stringify(answers.filter((a) => a.status !== 201 && a.status !== 503).slice(0, 3))).toEqual([]);
    const created = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status === 503);
    expect(created.length).toBeGreaterThanOrEqual(3); // one rendering, two waiting, at the least
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(r.type).toContain('application/problem+json');
      expect(r.body).toMatchObject({ code: 'busy', status: 503 });
      expect(JSON.stringify(r.body)).toContain('证书生成繁忙');
      expect(JSON.stringify(r.body)).toContain('Certificate rendering is busy');
    }
    // Nothing half-written: the stored certificates are exactly the warm-up and the 201s.
    expect(certificateRows(server)).toBe(1 + created.length);
    for (const [i, c] of created.entries()) {
      const signature = await signatureOf(String(c.body.pdfUrl), `small-${i}`);
      expect(signature).toContain('Signature is Valid');
    }
    // Once the crowd is gone the same server issues again.
    expect((await issue()).status).toBe(201);
  });

  it('36 issuances at once at the default queue: every one 201 with a signed PDF', async () => {
    const { server, issue } = await issuer({});
    const answers = await Promise.all(Array.from({ length: 36 }, async () => {
      const res = await issue();
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    }));
    expect(answers.map((a) => a.status), JSON.stringify(answers.find((a) => a.status !== 201)?.body)).toEqual(answers.map(() => 201));
    expect(certificateRows(server)).toBe(36);
    const numbers = new Set(answers.map((a) => a.body.number));
    expect(numbers.size).toBe(36);
    for (const i of [0, 17, 35]) expect(await signatureOf(String(answers[i]!.body.pdfUrl), `normal-${i}`)).toContain('Signature is Valid');
  });

  it.skipIf(currentTarget() === 'edge')('SIGTERM during a crowd: answers are 201 or 503 (or no connection), never 500; every row has its signed PDF on disk', async () => {
    // Our own server process (not startServer's), so its files outlive it and we choose when to signal it.
    const dir = mkdtempSync(join(scratch, 'term-'));
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const dbPath = join(dir, 'ecert.db');
    const env = { ...(process.env as Record<string, string>), PORT: String(port), HOST: '127.0.0.1', ECERT_DB: dbPath, ECERT_KEYS: join(ROOT, 'keys.example'), ECERT_PUBLIC_URL: baseUrl, NODE_ENV: 'test', ECERT_RENDER_WORKERS: '1', ECERT_SHUTDOWN_SECONDS: '60' };
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/entry/node.ts'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let output = '';
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      for (let i = 0; ; i++) {
        if (child.exitCode !== null || i > 600) throw new Error(`server did not start:\n${output}`);
        if (await fetch(`${baseUrl}/healthz`).then((r) => r.ok, () => false)) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const token = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'token', 'create', '--org', 'GXZGB', '--role', 'issuer'], { cwd: ROOT, env, encoding: 'utf8' }).trim();
      const body = JSON.stringify(issueBody());
      const issue = () =>
        fetch(`${baseUrl}/api/v1/certificates`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body }).then(
          async (res) => ({ status: res.status, retryAfter: res.headers.get('retry-after'), code: ((await res.json()) as { code?: string }).code }),
          () => ({ status: 0, retryAfter: null, code: 'no connection' }),
        );
      expect((await issue()).status).toBe(201);
      const crowd = Array.from({ length: 24 }, issue);
      await new Promise((r) => setTimeout(r, 150)); // some accepted and rendering, most waiting
      child.kill('SIGTERM');
      const answers = await Promise.all(crowd);
      expect(await exited).toBe(0);
      expect(answers.filter((a) => a.status !== 201 && a.status !== 503 && a.status !== 0), JSON.stringify(answers)).toEqual([]);
      for (const a of answers.filter((x) => x.status === 503)) expect(a).toMatchObject({ code: 'busy', retryAfter: '1' });
      const created = answers.filter((a) => a.status === 201).length;
      expect(created).toBeGreaterThan(0);
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      const rows = db.prepare('SELECT number, pdf_sha256 AS sha FROM certificates').all() as { number: string; sha: string | null }[];
      db.close();
      expect(rows.length).toBe(1 + created); // nothing half-written, nothing answered 201 and lost
      for (const row of rows) expect(row.sha && existsSync(join(`${dbPath}.blobs`, row.sha.slice(0, 2), row.sha.slice(2, 4), row.sha)), row.number).toBeTruthy();
      const last = rows.at(-1)!.sha!;
      expect(execFileSync('pdfsig', [join(`${dbPath}.blobs`, last.slice(0, 2), last.slice(2, 4), last)], { encoding: 'utf8' })).toContain('Signature is Valid');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
