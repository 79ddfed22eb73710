/**
 * The newest signed head, kept elsewhere, proves later what the logs held (issue 12, C13), on both runtimes:
 * GET /api/v1/verification-log/head for handlers and auditors (the audit trail's and the case history's
 * for auditors only), its JWS verifiable offline with the root alone; `log check --head` then catches a
 * cut-off 核实 log that the head rule alone cannot, and the audit trail is checked by the same command.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogHeadVerifier } from '../../src/crypto/logHead.js';
import { startServer, type RunningServer } from '../support/server.js';
import { phoneRecordBody } from '../support/fixtures.js';

let server: RunningServer;
let handler: string;
let auditor: string;
let issuer: string;
const dir = mkdtempSync(join(tmpdir(), 'ecert-head-'));

const get = (path: string, token?: string) => fetch(`${server.baseUrl}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
const post = (body: unknown) =>
  fetch(`${server.baseUrl}/api/v1/verification-records`, { method: 'POST', headers: { Authorization: `Bearer ${handler}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  server = await startServer();
  [handler, auditor, issuer] = await Promise.all([server.token('GXZGB', 'handler'), server.token('GXZGB', 'auditor'), server.token('GXZGB', 'issuer')]);
  // 110 records: heads at 1 and 100 (written within minutes, so the 10-minute rule adds none).
  expect((await post(phoneRecordBody({ record: '第一条' }))).status).toBe(201);
  const statuses = await Promise.all(Array.from({ length: 11 }, async (_, c) => {
    const seen: number[] = [];
    for (let i = 0; i < 10 - (c === 0 ? 1 : 0); i++) seen.push((await post(phoneRecordBody({ record: `第 ${c}-${i} 条` }))).status);
    return seen;
  }));
  expect(statuses.flat().every((s) => s === 201)).toBe(true);
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /api/v1/verification-log/head', () => {
  it('gives handlers and auditors the newest signed head, verifiable with the root alone', async () => {
    const res = await get('/api/v1/verification-log/head', handler);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('no-store');
    const head = (await res.json()) as { log: string; seq: number; hash: string; count: number; signedAt: string; kid: string; jws: string };
    expect(head).toMatchObject({ log: 'verification', seq: 100, count: 100 });
    const verified = await createLogHeadVerifier({ rootPem: readFileSync(join(server.env.ECERT_KEYS!, 'root.pem'), 'utf8') })(head.jws);
    expect(verified).toMatchObject({ valid: true, head: { seq: 100, hash: head.hash, signedAt: head.signedAt } });
    expect((await (await get('/api/v1/verification-log/head', auditor)).json()) as unknown).toEqual(head);
  });

  it('keeps the audit trail’s and the case history’s heads to auditors, and refuses strangers and junk', async () => {
    const audit = await get('/api/v1/verification-log/head?log=audit', auditor);
    expect(audit.status).toBe(200);
    expect(await audit.json()).toMatchObject({ log: 'audit', seq: 100 });
    expect((await get('/api/v1/verification-log/head?log=history', auditor)).status).toBe(404); // no case yet: no head
    expect((await get('/api/v1/verification-log/head?log=audit', handler)).status).toBe(403);
    expect((await get('/api/v1/verification-log/head?log=history', handler)).status).toBe(403);
    // Dozens at once: no token, a wrong one, the wrong role, hostile queries — each a problem with its own code.
    const cases: [string, string | undefined, number, string][] = [
      ['/api/v1/verification-log/head', undefined, 401, 'unauthorized'],
      ['/api/v1/verification-log/head', 'x'.repeat(40), 401, 'unauthorized'],
      ['/api/v1/verification-log/head', issuer, 403, 'forbidden'],
      ['/api/v1/verification-log/head?log=%00', auditor, 422, 'validation_failed'],
      ['/api/v1/verification-log/head?log=verification&log=audit', auditor, 422, 'validation_failed'],
      [`/api/v1/verification-log/head?log=${'a'.repeat(5000)}`, handler, 422, 'validation_failed'],
    ];
    const answers = await Promise.all(Array.from({ length: 48 }, (_, i) => cases[i % cases.length]!).map(async ([path, token, status, code]) => {
      const res = await get(path, token);
      return { path, status: res.status, expected: status, code: ((await res.json()) as { code?: string }).code, expectedCode: code };
    }));
    for (const a of answers) expect({ status: a.status, code: a.code }, a.path.slice(0, 80)).toEqual({ status: a.expected, code: a.expectedCode });
  });
});

// On workerd each `log check` reads D1 through `wrangler d1 execute`, some tens of seconds on a busy machine.
describe('log check --head', { timeout: 360_000 }, () => {
  it('passes while the log holds the kept head, and names a cut-off log that the head rule alone passes', async () => {
    const headFile = join(dir, 'head.json');
    writeFileSync(headFile, await (await get('/api/v1/verification-log/head', auditor)).text());
    const whole = await server.cli(['log', 'check', '--head', headFile]);
    expect(whole.code, whole.stdout + whole.stderr).toBe(0);
    expect(whole.stdout).toContain('heads kept elsewhere: 1 of 1 held by the log');

    // Someone with the database cuts the 核实 log back to 50 records (and its head at 100 with it).
    const db = new Database(server.dbPath);
    db.exec('DROP TRIGGER verification_records_no_delete; DROP TRIGGER verification_log_heads_no_delete');
    db.exec('PRAGMA foreign_keys = OFF; DELETE FROM verification_records WHERE seq > 50; DELETE FROM verification_log_heads WHERE seq > 50');
    db.close();
    const blind = await server.cli(['log', 'check']);
    expect(blind.stdout).toContain('verification log: 50 records checked');
    expect(blind.stdout).not.toContain('BROKEN at seq');
    const caught = await server.cli(['log', 'check', '--head', headFile]);
    expect(caught.code).toBe(1);
    expect(caught.stdout).toContain('vouches for 100 records but the log ends at 50: records were removed from the end');
  });

  it('checks the audit trail with the same command: an altered row is named', async () => {
    const db = new Database(server.dbPath);
    db.exec('DROP TRIGGER audit_events_no_update');
    db.exec(`UPDATE audit_events SET detail = '{"seq":1,"result":"not_genuine"}' WHERE seq = 7`);
    db.close();
    const check = await server.cli(['log', 'check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/BROKEN in the audit trail at seq 7 \(id verification_record\.create verification_record:vr_[^)]+\): the record does not match its hash \(altered\)/);
  });
});
