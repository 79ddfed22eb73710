/**
 * Many clients at once, on both runtimes (issue 12, C11): every chained write — 核实 records, audit rows,
 * case history — is serialised, so none fails under load, and the chains `log check` walks stay whole.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTarget, startServer, type RunningServer } from '../support/server.js';
import { phoneRecordBody } from '../support/fixtures.js';
import { applicationForm, client, setUpWorkflow, type Staff } from '../support/workflow.js';

let server: RunningServer;
let staff: Staff;

beforeAll(async () => {
  server = await startServer();
  staff = await setUpWorkflow(server);
});
afterAll(async () => server?.stop());

/** Bodies of the answers that were not 2xx, for the failure message. */
const refusals: string[] = [];

/** Runs `clients` loops of `each` calls at once; returns every status. */
async function load(clients: number, each: number, call: (client: number, i: number) => Promise<Response>): Promise<number[]> {
  const statuses = await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const seen: number[] = [];
      for (let i = 0; i < each; i++) {
        const res = await call(c, i);
        const body = await res.text();
        if (res.status >= 300 && refusals.length < 5) refusals.push(`${res.status} ${body.slice(0, 300)}`);
        seen.push(res.status);
      }
      return seen;
    }),
  );
  return statuses.flat();
}

const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {});

describe('concurrent chained writes', () => {
  it('50 clients × 20 核实 records: 1,000 records, every one 201', async () => {
    const handler = staff.handler;
    const post = client(server, handler);
    // One record first: it loads the record font (seconds of CPU on a busy machine) before the crowd arrives.
    expect((await post('POST', '/api/v1/verification-records', phoneRecordBody({ record: '预热' }))).status).toBe(201);
    const statuses = await load(50, 20, (c, i) => post('POST', '/api/v1/verification-records', phoneRecordBody({ record: `并发核实：客户端 ${c} 第 ${i} 条。` })));
    expect(tally(statuses), refusals.join('\n')).toEqual({ 201: 1000 });
    const list = (await (await post('GET', '/api/v1/verification-records?pageSize=1')).json()) as { total: number };
    expect(list.total).toBe(1001);
  });

  it('case steps and admin writes at once: every history event and audit row lands', async () => {
    refusals.length = 0;
    const applicant = client(server, staff.applicant);
    const admin = client(server, staff.admin);
    const statuses = await Promise.all([
      load(10, 3, () => applicant('POST', '/api/v1/reconfirmations', applicationForm())),
      load(10, 3, (c, i) => admin('POST', '/api/v1/people', { orgCode: 'NNLQ01', role: 'applicant', name: `${'张王李赵钱孙周吴郑冯'[c]}${'甲乙丙'[i]}` })),
    ]);
    expect(tally(statuses.flat()), refusals.join('\n')).toEqual({ 201: 60 });
  });

  // D1 has no lock another process can hold; on Node another process can hold SQLite's write lock.
  it.skipIf(currentTarget() === 'edge')('a database locked by another process answers 503 busy with Retry-After, and the retry lands', async () => {
    const other = new Database(server.dbPath);
    other.exec('BEGIN IMMEDIATE'); // holds the write lock past the server's 5-second busy_timeout
    const post = client(server, staff.handler);
    const refused = await post('POST', '/api/v1/verification-records', phoneRecordBody({ record: '锁定期间提交' }), { key: 'locked-1' });
    other.exec('ROLLBACK');
    other.close();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ code: 'busy', message: { zh: expect.stringContaining('服务繁忙') } });
    const retried = await post('POST', '/api/v1/verification-records', phoneRecordBody({ record: '锁定期间提交' }), { key: 'locked-1' });
    expect(retried.status).toBe(201);
  });

  it('/healthz under dozens of clients: ready each time, and its write probe never grows the database', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, () => fetch(`${server.baseUrl}/healthz`)));
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));
    const db = new Database(server.dbPath, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) FROM service_health').pluck().get()).toBe(1);
    db.close();
  });

  it('log check finds every chain whole afterwards', async () => {
    const check = await server.cli(['log', 'check']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/verification log: 100[12] records checked/);
    // Every 核实 record, case and person added wrote its audit row; every case its first history event.
    const audited = Number(/audit trail: (\d+) records checked/.exec(check.stdout)?.[1]);
    expect(audited).toBeGreaterThanOrEqual(1061);
    expect(check.stdout).toContain('case history: 30 records checked');
    // One line per log, each with every head verified: a missing line must fail, not pass as "no mismatch".
    const heads = [...check.stdout.matchAll(/signed heads: (\d+) of (\d+) verified/g)];
    expect(heads, check.stdout).toHaveLength(3);
    for (const [, verified, total] of heads) expect(Number(verified)).toBe(Number(total));
    expect(check.stdout.trim().split('\n').at(-1)).toBe('OK');
  });
});
