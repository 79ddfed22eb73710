/**
 * Issue 19 items 2–3 on the real server (both runtimes): the act that ends a certificate version — its
 * cancellation (已注销) or correction (已变更) — is the issuing authority's sealed statement (四(四) 谁确认、谁负责),
 * as its revocation already was: written in the act's own batch, sealed with the authority's seal, stamped by the
 * service, read back checked at GET /api/v1/certificates/{number}/statements and offline by the CLI. A version ends
 * once: acts racing on it land one. A correction retried with the same Idempotency-Key gets the version it made.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCaseStatement } from '../../src/crypto/caseStatement.js';
import { issueBody } from '../support/fixtures.js';
import { ROOT, startServer, type RunningServer } from '../support/server.js';
import { client, json, setUpWorkflow, type Staff } from '../support/workflow.js';

const rootPem = readFileSync(join(ROOT, 'keys.example/root.pem'), 'utf8');
let server: RunningServer;
let staff: Staff;
let issuer: string;

beforeAll(async () => {
  server = await startServer();
  staff = await setUpWorkflow(server);
  issuer = await server.token('GXZGB', 'issuer');
  const admin = client(server, staff.admin);
  expect((await admin('PUT', '/api/v1/organisations/GXZGB/uscc', { uscc: '91350100M000100Y43' })).status).toBe(200);
  const made = await admin('POST', '/api/v1/organisations/GXZGB/seals', {});
  expect(made.status, await made.clone().text()).toBe(201);
}, 240_000);
afterAll(async () => server?.stop());

const call = (method: string, path: string, body?: unknown, token: string | undefined = issuer, headers: Record<string, string> = {}) =>
  fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const issue = async (idNumber = '450102198005120019'): Promise<string> => {
  const res = await call('POST', '/api/v1/certificates', issueBody({ idNumber }));
  expect(res.status).toBe(201);
  return ((await res.json()) as { number: string }).number;
};
const statementsOf = async (number: string) => {
  const res = await call('GET', `/api/v1/certificates/${number}/statements`);
  expect(res.status, await res.clone().text()).toBe(200);
  return json(res);
};
const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {});
const CORRECTION = { title: { series: 'engineering', name: '高级工程师', specialty: '电力系统' }, reason: '专业录入有误' };

describe('the act that ends a version is the authority’s sealed statement', () => {
  it('a version in force has none; a cancellation is sealed by the authority, checked here and offline', async () => {
    const number = await issue();
    expect((await statementsOf(number)).statements).toEqual([]);
    expect((await call('POST', `/api/v1/certificates/${number}/cancellation`, { reason: 'death', note: '持证人已于2026年11月去世' })).status).toBe(200);
    const { statements, intact, problems } = await statementsOf(number);
    expect([intact, problems]).toEqual([true, []]);
    expect(statements).toHaveLength(1);
    const [s] = statements;
    expect(s).toMatchObject({ step: 'cancel', stepName: { zh: '注销证书' }, org: { code: 'GXZGB' }, opinion: '持证人已于2026年11月去世', sealed: true, sealValid: true });
    expect(typeof s.stampedAt).toBe('string');
    const offline = await verifyCaseStatement(s.jws, { rootPem });
    expect(offline.valid).toBe(true);
    if (offline.valid) expect(offline.payload).toMatchObject({ case: `certificate:${number}`, step: 'cancel', data: { reason: 'death' } });
    // The CLI checks the saved answer offline against the root.
    const dir = mkdtempSync(join(tmpdir(), 'ecert-acts-'));
    try {
      writeFileSync(join(dir, 'statements.json'), JSON.stringify(await statementsOf(number)));
      const checked = await server.cli(['verify', join(dir, 'statements.json'), '--trust', join(ROOT, 'keys.example/root.pem')]);
      expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a correction is sealed on the old version and names the new one', async () => {
    const number = await issue();
    const res = await call('POST', `/api/v1/certificates/${number}/corrections`, CORRECTION);
    expect(res.status).toBe(201);
    const next = (await json(res)).number as string;
    const { statements, intact } = await statementsOf(number);
    expect(intact).toBe(true);
    expect(statements).toMatchObject([{ step: 'correct', stepName: { zh: '更正证书（签发新版本）' }, opinion: '专业录入有误', sealed: true, sealValid: true }]);
    const offline = await verifyCaseStatement(statements[0].jws, { rootPem });
    expect(offline.valid && offline.payload.data).toMatchObject({ successor: { number: next } });
    expect((await statementsOf(next)).statements).toEqual([]); // the new version is in force
  });

  it('only the issuing authority reads them: no token 401, another authority 404, a hostile number 404 — never 500', async () => {
    const number = await issue();
    expect((await call('GET', `/api/v1/certificates/${number}/statements`, undefined, '')).status).toBe(401);
    const other = await server.token('NNZGB', 'issuer');
    expect((await call('GET', `/api/v1/certificates/${number}/statements`, undefined, other)).status).toBe(404);
    for (const hostile of ['%00', 'x'.repeat(300), "1' OR '1'='1", '..%2F..%2Fetc']) {
      const res = await call('GET', `/api/v1/certificates/${hostile}/statements`);
      expect(res.status, hostile).toBeGreaterThanOrEqual(400);
      expect(res.status, hostile).toBeLessThan(500);
    }
  });
});

describe('acts racing on one version land one', () => {
  it('12 cancellations, 12 revocations and 12 corrections at once: one act, one statement, the rest 409 in words', async () => {
    const number = await issue();
    const answers = await Promise.all(
      Array.from({ length: 36 }, (_, i) =>
        i % 3 === 0
          ? call('POST', `/api/v1/certificates/${number}/cancellation`, { reason: 'duplicate', note: '重复发证' })
          : i % 3 === 1
            ? call('POST', `/api/v1/certificates/${number}/revocation`, { reason: 'issued_in_error', note: '误发' })
            : call('POST', `/api/v1/certificates/${number}/corrections`, CORRECTION),
      ),
    );
    const statuses = answers.map((a) => a.status);
    const won = statuses.filter((s) => s === 200 || s === 201);
    expect(won, JSON.stringify(tally(statuses))).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 200 && x.status !== 201)) {
      expect(a.status).toBe(409);
      const problem = await json(a);
      expect(problem.title ?? problem.detail).toBeTruthy();
      expect(JSON.stringify(problem)).toMatch(/[\u4e00-\u9fff]/); // in words, Chinese first
    }
    const { statements, intact } = await statementsOf(number);
    expect(intact).toBe(true);
    expect(statements).toHaveLength(1);
    const record = await json(await call('GET', `/api/v1/certificates/${number}`));
    expect({ cancel: 'cancelled', revoke: 'revoked', correct: 'superseded' }[statements[0].step as 'cancel']).toBe(record.status);
  }, 120_000);
});

describe('a correction retried with its Idempotency-Key', () => {
  it('gets the version it made (200), the same at once from 20 retries; another body with the key is 422; without a key, 409', async () => {
    const number = await issue();
    const key = `fix-${number}`;
    const first = await call('POST', `/api/v1/certificates/${number}/corrections`, CORRECTION, issuer, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    const made = (await json(first)).number as string;
    const retries = await Promise.all(Array.from({ length: 20 }, () => call('POST', `/api/v1/certificates/${number}/corrections`, CORRECTION, issuer, { 'Idempotency-Key': key })));
    expect(tally(retries.map((r) => r.status))).toEqual({ 200: 20 });
    for (const r of retries) expect((await json(r)).number).toBe(made);
    const other = await call('POST', `/api/v1/certificates/${number}/corrections`, { ...CORRECTION, reason: '另一理由' }, issuer, { 'Idempotency-Key': key });
    expect(other.status).toBe(422);
    expect((await json(other)).code).toBe('idempotency_conflict');
    const bare = await call('POST', `/api/v1/certificates/${number}/corrections`, CORRECTION);
    expect(bare.status).toBe(409);
    expect((await json(bare)).current).toBe(made);
  });

  it('20 first tries at once with one key issue one version: one 201, the rest 200 with the same number', async () => {
    const number = await issue();
    const key = `race-${number}`;
    const answers = await Promise.all(Array.from({ length: 20 }, () => call('POST', `/api/v1/certificates/${number}/corrections`, CORRECTION, issuer, { 'Idempotency-Key': key })));
    expect(tally(answers.map((a) => a.status))).toEqual({ 201: 1, 200: 19 });
    const numbers = new Set<string>();
    for (const a of answers) numbers.add((await json(a)).number);
    expect(numbers.size).toBe(1);
  }, 120_000);
});
