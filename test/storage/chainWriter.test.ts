/**
 * The chain writer on real SQLite files (issue 12, C11–C13): concurrent chained writes in one process are
 * queued; two connections racing for the same place (two processes, or two D1 isolates) retry and never
 * fail; a write that keeps losing answers busy; a genuine refusal stays the caller's; rows written before
 * migration 0007 are chained at first start, heads included; a full database is reported and recovered from.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeHashes, sqliteLogSource } from '../../src/cli/logCheck.js';
import { createLogHeadVerifier } from '../../src/crypto/logHead.js';
import { loadKeys, migrationsFromDisk, openDatabase } from '../../src/entry/nodeContext.js';
import { loadServiceSigner } from '../../src/entry/serviceKey.js';
import type { CanonicalValue, LogName } from '../../src/domain/recordChain.js';
import { sha256Hex } from '../../src/lib/bytes.js';
import { readiness } from '../../src/services/health.js';
import { checkLog } from '../../src/services/chainCheck.js';
import { headSigner } from '../../src/services/verificationLog.js';
import { AuditRepository, type AuditEvent } from '../../src/storage/audit.js';
import { createServiceDriver, type ServiceDriver } from '../../src/storage/chainWriter.js';
import { ConstraintError, sql, StorageBusyError, StorageFullError, type ChainedRow, type SqlDriver, type SqlValue } from '../../src/storage/driver.js';
import { LOG_SPECS } from '../../src/storage/chainLogs.js';
import { applyMigrations } from '../../src/storage/migrate.js';
import { KEYS_EXAMPLE, NOW, ROOT_PEM } from '../services/support.js';

const dir = mkdtempSync(join(tmpdir(), 'ecert-chain-'));
const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const signHead = headSigner({ logSigner: () => loadServiceSigner(KEYS_EXAMPLE, NOW), now: () => NOW });
const verifyHead = createLogHeadVerifier({ rootPem: ROOT_PEM });

/** A fresh database file with every migration (or those before `before`), and GXZGB in it. */
async function database(name: string, before?: string): Promise<{ path: string; db: Database.Database; raw: SqlDriver }> {
  const path = join(dir, name);
  const { db, driver } = openDatabase(path);
  await applyMigrations(driver, migrationsFromDisk().filter((m) => !before || m.name < before));
  db.exec("INSERT INTO organisations (code, name, kind, created_at) VALUES ('GXZGB', '广西壮族自治区职称改革工作领导小组办公室', 'region_title_office', 't')");
  return { path, db, raw: driver };
}

const event = (i: number, at = NOW.toISOString()): AuditEvent => ({ at, orgCode: 'GXZGB', personId: null, role: 'admin', action: 'test.write', subject: `test:${i}`, detail: { i } });

async function check(db: Database.Database, log: LogName) {
  return checkLog(sqliteLogSource(db, log), { ...nodeHashes, verifyHead });
}

describe('the chain writer', () => {
  it('queues the chained writes of one process: 300 audit rows at once make one whole chain', async () => {
    const { db, raw } = await database('queue.db');
    let retries = 0;
    const driver = createServiceDriver(raw, { sha256hex: sha256Hex, signHead, backoffMs: () => (retries++, 0) });
    const audit = new AuditRepository(driver);
    await Promise.all(Array.from({ length: 300 }, (_, i) => audit.record(event(i))));
    expect(retries).toBe(0); // queued: no write of this process ever read a tip another was about to move
    expect(await check(db, 'audit')).toMatchObject({ ok: true, count: 300, heads: { total: 4, verified: 4 } });
    db.close();
  });

  it('two connections racing for the same places (two processes, two isolates): lost races retried, none fails', async () => {
    const { path, db, raw } = await database('race.db');
    const other = openDatabase(path);
    let retries = 0;
    const writers = [raw, other.driver].map((d) =>
      createServiceDriver(d, { sha256hex: sha256Hex, signHead, maxAttempts: 50, backoffMs: () => (retries++, Math.random() * 3) }),
    );
    const audits = writers.map((w) => new AuditRepository(w));
    const outcomes = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => audits[i % 2]!.record(event(i))));
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    expect(retries).toBeGreaterThan(0); // the race really happened
    expect(await check(db, 'audit')).toMatchObject({ ok: true, count: 200 });
    other.db.close();
    db.close();
  });

  it('answers busy when a write keeps losing its place, and leaves a genuine refusal to its caller', async () => {
    const { db, raw } = await database('busy.db');
    // Another writer takes every place first: the tip moves on each read, every batch is refused.
    let tip = 0;
    const crowded: SqlDriver = {
      ...raw,
      first: async <T,>(text: string, params?: readonly SqlValue[]) =>
        (text.includes('LEFT JOIN') ? { seq: ++tip, hash: 'f'.repeat(64), head_at: NOW.toISOString() } : await raw.first<T>(text, params)) as T,
      batch: async () => {
        throw new ConstraintError('UNIQUE constraint failed: audit_events.seq');
      },
    };
    const busy = new AuditRepository(createServiceDriver(crowded, { sha256hex: sha256Hex, maxAttempts: 4, backoffMs: () => 0 }));
    await expect(busy.record(event(1))).rejects.toBeInstanceOf(StorageBusyError);

    // A refusal that is not a lost race (here a duplicate organisation) is thrown as it is, after one attempt.
    const driver = createServiceDriver(raw, { sha256hex: sha256Hex, signHead });
    const audit = new AuditRepository(driver);
    await audit.record(event(1));
    const duplicate = sql("INSERT INTO organisations (code, name, kind, created_at) VALUES ('GXZGB', 'x', 'unit', 't')");
    await expect(driver.batch([duplicate, audit.statement(event(2))])).rejects.toBeInstanceOf(ConstraintError);
    await audit.record(event(3));
    expect(await check(db, 'audit')).toMatchObject({ ok: true, count: 2 });
    db.close();
  });

  it('a row written only if its action landed leaves the chain whole when it does not', async () => {
    const { db, raw } = await database('conditional.db');
    const driver = createServiceDriver(raw, { sha256hex: sha256Hex, signHead });
    const audit = new AuditRepository(driver);
    await audit.record(event(1));
    const never = sql("SELECT 1 FROM organisations WHERE code = 'NOPE'");
    const [changes] = await driver.batch([audit.statement(event(2), never)]);
    expect(changes).toEqual({ changes: 0 });
    await driver.batch([audit.statement(event(3), sql("SELECT 1 FROM organisations WHERE code = 'GXZGB'"))]);
    await audit.record(event(4));
    expect(await check(db, 'audit')).toMatchObject({ ok: true, count: 3 });
    db.close();
  });
});

describe('group commit (issue 15: appends with their audit rows, dozens of clients at once)', () => {
  it('writes concurrent chained writes in a few transactions, answering each only once its rows are in the database', async () => {
    const { db, raw } = await database('group.db');
    let batches = 0;
    const counting: SqlDriver = { ...raw, batch: (statements) => (batches++, raw.batch(statements)) };
    const driver = createServiceDriver(counting, { sha256hex: sha256Hex, signHead });
    const audit = new AuditRepository(driver);
    const landed = db.prepare('SELECT COUNT(*) FROM audit_events WHERE subject = ?').pluck();
    const answered = await Promise.all(
      Array.from({ length: 200 }, (_, i) => driver.batch([audit.statement(event(i))]).then((changes) => ({ changes, inDatabase: landed.get(`test:${i}`) }))),
    );
    // Nothing acknowledged before it committed, and each write heard its own row's changes.
    expect(answered.every((a) => a.inDatabase === 1 && a.changes.length === 1 && a.changes[0]!.changes === 1)).toBe(true);
    expect(batches).toBeLessThan(50); // one transaction per write before group commit: 200
    expect(await check(db, 'audit')).toMatchObject({ ok: true, count: 200, heads: { total: 3, verified: 3 } });
    db.close();
  });

  it('with maxGroup 1 (Workers: D1 counts every statement of a batch) each write is its own transaction', async () => {
    const { db, raw } = await database('group-one.db');
    let batches = 0;
    const counting: SqlDriver = { ...raw, batch: (statements) => (batches++, raw.batch(statements)) };
    const driver = createServiceDriver(counting, { sha256hex: sha256Hex, signHead, maxGroup: 1 });
    const audit = new AuditRepository(driver);
    await Promise.all(Array.from({ length: 40 }, (_, i) => driver.batch([audit.statement(event(i))])));
    expect(batches).toBe(40);
    expect(await check(db, 'audit')).toMatchObject({ ok: true, count: 40 });
    db.close();
  });

  it('one write refused by a constraint of its own fails alone: the others of its group land, the chain stays whole', async () => {
    const { db, raw } = await database('group-refused.db');
    const driver = createServiceDriver(raw, { sha256hex: sha256Hex, signHead });
    const audit = new AuditRepository(driver);
    const duplicate = sql("INSERT INTO organisations (code, name, kind, created_at) VALUES ('GXZGB', 'x', 'region_title_office', 't')");
    const outcomes = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => driver.batch(i === 17 ? [audit.statement(event(i)), duplicate] : [audit.statement(event(i))])));
    expect(outcomes.map((o, i) => [i, o.status]).filter(([, status]) => status === 'rejected')).toEqual([[17, 'rejected']]);
    expect((outcomes[17] as PromiseRejectedResult).reason).toBeInstanceOf(ConstraintError);
    expect(db.prepare("SELECT COUNT(*) FROM audit_events WHERE subject = 'test:17'").pluck().get()).toBe(0);
    expect(await check(db, 'audit')).toMatchObject({ ok: true, count: 59 });
    db.close();
  });

  it('writes parked for a write whose turn then runs out are answered busy and never written later', async () => {
    const { db, raw } = await database('group-expired.db');
    const driver = createServiceDriver(raw, { sha256hex: sha256Hex, signHead, deadlineMs: 300 });
    const audit = new AuditRepository(driver);
    // Five writes park for the next one to commit them with its own; that one never finishes building.
    const outcomes = await Promise.allSettled([...Array.from({ length: 5 }, (_, i) => audit.record(event(i))), driver.chain.write(() => new Promise<never>(() => undefined))]);
    expect(outcomes.every((o) => o.status === 'rejected' && o.reason instanceof StorageBusyError)).toBe(true);
    await audit.record(event(99)); // the next write links after what the database holds, alone
    await sleep(100);
    expect(db.prepare('SELECT subject FROM audit_events').pluck().all()).toEqual(['test:99']);
    expect(await check(db, 'audit')).toMatchObject({ ok: true, count: 1 });
    db.close();
  });
});

describe('a stuck, slow or failing database', () => {
  const busy = (outcome: PromiseSettledResult<void>) => (outcome.status === 'rejected' && outcome.reason instanceof StorageBusyError ? outcome.reason : undefined);
  // The key loaded once, as the service does (entry/deps.ts once): loading it per head would eat the deadlines.
  const loaded = loadServiceSigner(KEYS_EXAMPLE, NOW);
  const signHead = headSigner({ logSigner: () => loaded, now: () => NOW });
  const stored = (db: Database.Database) => db.prepare('SELECT COUNT(*) FROM audit_events').pluck().get() as number;

  it('a write stuck in the database is answered busy at its deadline (saying it may have landed), and the writes after it land', async () => {
    const { db, raw } = await database('stuck.db');
    let calls = 0;
    let inStuckBatch = 0;
    const stuck: SqlDriver = {
      ...raw,
      batch: (statements) => {
        if (++calls > 1) return raw.batch(statements);
        inStuckBatch = statements.filter((s) => s.sql.startsWith('INSERT INTO audit_events')).length;
        return new Promise(() => undefined);
      },
    };
    const audit = new AuditRepository(createServiceDriver(stuck, { sha256hex: sha256Hex, signHead, deadlineMs: 500 }));
    const started = Date.now();
    const first = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => audit.record(event(i))));
    expect(Date.now() - started).toBeLessThan(5000); // nobody waits for the stuck one past the deadline
    const refused = first.map(busy).filter((e) => e !== undefined);
    expect(refused.length + first.filter((o) => o.status === 'fulfilled').length).toBe(30); // busy or written, nothing else
    // Only the writes of the stuck batch — with group commit, every write that waited with it (issue 15).
    expect(inStuckBatch).toBeGreaterThan(0);
    expect(refused.filter((e) => e.en.includes('may have been saved'))).toHaveLength(inStuckBatch);
    const landed = stored(db);
    expect(landed).toBe(30 - refused.length);
    const second = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => audit.record(event(100 + i))));
    expect(second.filter((o) => o.status === 'rejected')).toEqual([]);
    expect(await check(db, 'audit')).toMatchObject({ ok: true, count: landed + 30 });
    db.close();
  });

  it('50 clients on a slow database: beyond the queue\'s depth each is answered busy at once, none written, the rest land', async () => {
    const { db, raw } = await database('deep.db');
    const slow: SqlDriver = { ...raw, batch: async (statements) => (await sleep(20), raw.batch(statements)) };
    const audit = new AuditRepository(createServiceDriver(slow, { sha256hex: sha256Hex, signHead, maxQueued: 10 }));
    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => audit.record(event(i))));
    const refused = outcomes.map(busy).filter((e) => e !== undefined);
    expect(refused).toHaveLength(39); // one writing, ten waiting
    expect(refused.every((e) => e.en.includes('was not saved'))).toBe(true);
    expect(stored(db)).toBe(11);
    expect(await check(db, 'audit')).toMatchObject({ ok: true, count: 11 });
    db.close();
  });

  it('40 clients on a database slower than the deadline: each answered in time, busy ones that were "not saved" never written', async () => {
    const { db, raw } = await database('slow.db');
    const slow: SqlDriver = { ...raw, batch: async (statements) => (await sleep(60), raw.batch(statements)) };
    const audit = new AuditRepository(createServiceDriver(slow, { sha256hex: sha256Hex, signHead, deadlineMs: 400 }));
    const started = Date.now();
    const outcomes = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => audit.record(event(i))));
    expect(Date.now() - started).toBeLessThan(3000);
    const written = outcomes.filter((o) => o.status === 'fulfilled').length;
    const refused = outcomes.map(busy).filter((e) => e !== undefined);
    expect(written + refused.length).toBe(40);
    expect(written).toBeGreaterThan(0);
    const maybe = refused.filter((e) => e.en.includes('may have been saved')).length;
    await sleep(200); // a write with the database at its deadline lands late, or not at all
    expect(stored(db)).toBeGreaterThanOrEqual(written);
    expect(stored(db)).toBeLessThanOrEqual(written + maybe);
    await audit.record(event(99));
    expect(await check(db, 'audit')).toMatchObject({ ok: true, count: stored(db) });
    db.close();
  });

  it('a failure while sealing is answered busy and logged without the rows\' values; the next write seals and lands', async () => {
    const { db, raw } = await database('sealfail.db', '0007');
    db.prepare("INSERT INTO audit_events (at, org_code, person_id, role, action, subject, detail) VALUES (?, 'GXZGB', NULL, 'admin', 'legacy', 'legacy:1', '{\"secret\":\"450103198501010026\"}')").run(NOW.toISOString());
    await applyMigrations(raw, migrationsFromDisk());
    let failing = true;
    const flaky: SqlDriver = {
      ...raw,
      batch: async (statements) => {
        if (failing && statements.some((s) => s.sql.startsWith('UPDATE audit_events'))) throw new Error('disk I/O error');
        return raw.batch(statements);
      },
    };
    const logged: string[] = [];
    const audit = new AuditRepository(createServiceDriver(flaky, { sha256hex: sha256Hex, signHead, log: (message, error) => logged.push(`${message} ${String(error)}`) }));
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => audit.record(event(i))));
    expect(outcomes.every((o) => busy(o) !== undefined)).toBe(true);
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.join('\n')).toContain('disk I/O error');
    expect(logged.join('\n')).not.toContain('450103198501010026');
    expect(stored(db)).toBe(1);
    failing = false;
    await audit.record(event(100));
    expect(await check(db, 'audit')).toMatchObject({ ok: true, count: 2 });
    db.close();
  });
});

describe('a head signer that fails', () => {
  it('never refuses a write: the heads are owed, logged once, reported by readiness, and signed at their places once the key works', async () => {
    const { db, raw } = await database('signfail.db');
    const loaded = loadServiceSigner(KEYS_EXAMPLE, NOW);
    let broken = true;
    const signHead = headSigner({
      logSigner: async () => {
        if (broken) throw new Error('ENOENT: no such file or directory, open keys/root.pem');
        return loaded;
      },
      now: () => NOW,
    });
    const logged: string[] = [];
    const driver = createServiceDriver(raw, { sha256hex: sha256Hex, signHead, signRetryMs: 0, log: (message, error) => logged.push(`${message} ${String(error)}`) });
    const audit = new AuditRepository(driver);
    const outcomes = await Promise.allSettled(Array.from({ length: 150 }, (_, i) => audit.record(event(i))));
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    expect(logged).toHaveLength(1); // one line per distinct failure, not one per write
    expect(logged[0]).toContain('ENOENT');
    expect(driver.chain.headSigning()).toMatchObject({ owed: 2, failure: { message: expect.stringContaining('ENOENT') } }); // heads due at 1 and 100
    const ctx = { db: driver, trust: () => loadKeys(KEYS_EXAMPLE, false), now: () => NOW };
    const ready = await readiness(ctx);
    expect(ready).toMatchObject({ heads: { owed: 2, failedAt: expect.any(String), message: { zh: expect.stringContaining('未能签名') } } });
    expect(JSON.stringify(ready)).not.toContain('ENOENT'); // the public probe says when, the log says why
    expect((await check(db, 'audit')).ok).toBe(false); // the missing heads are a break until they are signed

    broken = false;
    await audit.record(event(150));
    expect(driver.chain.headSigning()).toEqual({ owed: 0 });
    expect((await readiness(ctx)).heads).toBeUndefined();
    expect(await check(db, 'audit')).toMatchObject({ ok: true, count: 151, heads: { total: 2, verified: 2 } });
    db.close();
  });

  it('a service key that does not load is skipped with a warning; the good one signs', async () => {
    const keys = join(dir, 'keys-with-a-bad-one');
    cpSync(KEYS_EXAMPLE, keys, { recursive: true });
    writeFileSync(join(keys, 'service', 'zz-broken.pem'), '-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n');
    writeFileSync(join(keys, 'service', 'zz-broken.key.pem'), 'not a key');
    const warnings: string[] = [];
    const signer = await loadServiceSigner(keys, NOW, (line) => warnings.push(line));
    expect(signer?.code).toBe('ECERT');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('zz-broken.pem');
    expect(warnings[0]).not.toContain('not a key');
  });
});

describe('rows written before migration 0007', () => {
  it('are chained at first start, in the order they were written, with heads by the same rule — by two processes at once too', async () => {
    const { path, db, raw } = await database('legacy.db', '0007');
    db.exec(`INSERT INTO organisations (code, name, kind, created_at) VALUES ('NNLQ01', '南宁路桥工程有限公司', 'unit', 't');
      INSERT INTO people (id, org_code, name, role, created_at, created_by) VALUES ('P1', 'NNLQ01', '李四', 'applicant', 't', 'test')`);
    const insertAudit = db.prepare("INSERT INTO audit_events (at, org_code, person_id, role, action, subject, detail) VALUES (?, 'GXZGB', NULL, 'admin', 'legacy', ?, '{}')");
    const insertApplication = db.prepare(
      "INSERT INTO applications (id, applicant_id, unit_code, holder_code, authority_code, status, version, id_number, holder_name, level, form, eligibility, created_at, updated_at) VALUES (?, 'P1', 'NNLQ01', 'NNLQ01', 'GXZGB', 'draft', 1, '450103198501010026', '李四', 'senior_associate', '{}', '{}', 't', 't')",
    );
    const insertEvent = db.prepare(
      "INSERT INTO application_events (application_id, seq, action, from_status, to_status, person_id, person_name, org_code, org_name, role, at, opinion, data) VALUES (?, ?, 'step', NULL, 'draft', 'P1', '李四', 'NNLQ01', '南宁路桥', 'applicant', ?, NULL, '{}')",
    );
    // Written over an afternoon: a row every 2 minutes, so the 10-minute rule is exercised too.
    const at = (i: number) => new Date(NOW.getTime() + i * 120_000).toISOString();
    for (let i = 0; i < 250; i++) insertAudit.run(at(i), `legacy:${i}`);
    for (let a = 0; a < 30; a++) insertApplication.run(`RC${a}`);
    // Steps of different cases interleave, as they do in service.
    for (let s = 1; s <= 5; s++) for (let a = 0; a < 30; a++) insertEvent.run(`RC${a}`, s, at(s * 30 + a));
    await applyMigrations(raw, migrationsFromDisk());
    const before = await check(db, 'audit');
    expect(before.ok).toBe(false);
    expect(before.broken?.reason.en).toContain('250 rows are not chained yet');

    // Two processes start at once (two Node servers on one file, two D1 isolates) and both seal.
    const driver = createServiceDriver(raw, { sha256hex: sha256Hex, signHead });
    const twin = openDatabase(path);
    await Promise.all([driver.chain.seal(), createServiceDriver(twin.driver, { sha256hex: sha256Hex, signHead }).chain.seal()]);
    twin.db.close();
    const audit = await check(db, 'audit');
    const history = await check(db, 'history');
    expect(audit).toMatchObject({ ok: true, count: 250 });
    expect(history).toMatchObject({ ok: true, count: 150 });
    // Heads at 1, 100, 200 and whenever 10 minutes had passed since the last: verified against the root.
    expect(audit.heads.total).toBeGreaterThan(3);
    expect(audit.heads.verified).toBe(audit.heads.total);
    // A second process sealing the same rows changes nothing; new rows follow the sealed ones.
    const again = openDatabase(path);
    const second = createServiceDriver(again.driver, { sha256hex: sha256Hex, signHead });
    await second.chain.seal();
    await new AuditRepository(second).record(event(999, at(300)));
    expect(await check(db, 'audit')).toMatchObject({ ok: true, count: 251 });
    // The one-time chaining is the only update the triggers let through.
    expect(() => db.exec("UPDATE audit_events SET detail = '{\"x\":1}' WHERE seq = 5")).toThrow(/append-only/);
    expect(() => db.exec("UPDATE application_events SET hash = 'x' WHERE log_seq = 5")).toThrow(/append-only/);
    again.db.close();
    db.close();
  });
});

describe('rows without a hash written after chaining began (a process still on older code)', () => {
  /** What older code wrote: a row with no place and no hash. */
  const oldAudit = (db: Database.Database, i: number) =>
    db.prepare("INSERT INTO audit_events (at, org_code, person_id, role, action, subject, detail) VALUES (?, 'GXZGB', NULL, 'admin', 'old', ?, '{}')").run(NOW.toISOString(), `old:${i}`);

  it('a case-history row without a hash behind a chained one is sealed by the next process to start', async () => {
    const { path, db, raw } = await database('interleaved.db');
    db.exec(`INSERT INTO organisations (code, name, kind, created_at) VALUES ('NNLQ01', '南宁路桥工程有限公司', 'unit', 't');
      INSERT INTO people (id, org_code, name, role, created_at, created_by) VALUES ('P1', 'NNLQ01', '李四', 'applicant', 't', 'test');
      INSERT INTO applications (id, applicant_id, unit_code, holder_code, authority_code, status, version, id_number, holder_name, level, form, eligibility, created_at, updated_at)
        VALUES ('RC0', 'P1', 'NNLQ01', 'NNLQ01', 'GXZGB', 'draft', 1, '450103198501010026', '李四', 'senior_associate', '{}', '{}', 't', 't')`);
    const spec = LOG_SPECS.history;
    const at = NOW.toISOString();
    const step = (seq: number): Record<string, SqlValue> => ({ application_id: 'RC0', seq, action: 'step', from_status: null, to_status: 'draft', person_id: 'P1', person_name: '李四', org_code: 'NNLQ01', org_name: '南宁路桥', role: 'applicant', at, opinion: null, data: '{}', idempotency_key: null });
    const columns = Object.keys(step(0));
    const chained = (seq: number): ChainedRow => ({
      log: 'history',
      at,
      canonical: (place, prev) => spec.canonical.map((c) => (c === 'log_seq' ? place : c === 'prev_hash' ? prev : (step(seq)[c] as CanonicalValue))),
      insert: (place, prev, hash) => sql(`INSERT INTO application_events (${columns.join(', ')}, log_seq, prev_hash, hash) VALUES (${columns.map(() => '?').join(', ')}, ?, ?, ?)`, ...columns.map((c) => step(seq)[c]!), place, prev, hash),
    });
    const writer = createServiceDriver(raw, { sha256hex: sha256Hex, signHead });
    await writer.batch([{ sql: '', params: [], chained: chained(1) }]);
    // Older code writes step 2 with no place; this process, not knowing, chains step 3 after step 1.
    db.prepare(`INSERT INTO application_events (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(...columns.map((c) => step(2)[c]));
    await writer.batch([{ sql: '', params: [], chained: chained(3) }]);
    expect((await check(db, 'history')).ok).toBe(false); // one row not chained
    // The next process to start finds it, though the newest row is chained, and chains it after step 3.
    const next = openDatabase(path);
    await createServiceDriver(next.driver, { sha256hex: sha256Hex, signHead }).chain.seal();
    next.db.close();
    expect(await check(db, 'history')).toMatchObject({ ok: true, count: 3 });
    db.close();
  });

  it('a write whose place an unhashed row holds seals that row and lands, instead of failing', async () => {
    const { db, raw } = await database('oldcode.db');
    const audit = new AuditRepository(createServiceDriver(raw, { sha256hex: sha256Hex, signHead }));
    for (let i = 0; i < 5; i++) await audit.record(event(i));
    oldAudit(db, 6); // AUTOINCREMENT gives it seq 6: the place this process would give its next row
    await audit.record(event(7));
    expect(await check(db, 'audit')).toMatchObject({ ok: true, count: 7 });
    db.close();
  });

  it('sealing that loses a place to another process reads again and seals, instead of failing', async () => {
    const { db, raw } = await database('sealrace.db', '0007');
    for (let i = 0; i < 3; i++) db.prepare("INSERT INTO audit_events (at, org_code, person_id, role, action, subject, detail) VALUES (?, 'GXZGB', NULL, 'admin', 'legacy', ?, '{}')").run(NOW.toISOString(), `legacy:${i}`);
    await applyMigrations(raw, migrationsFromDisk());
    let refusals = 0;
    const racing: SqlDriver = {
      ...raw,
      batch: async (statements) => {
        if (refusals < 2 && statements.some((s) => s.sql.startsWith('UPDATE audit_events'))) {
          refusals++;
          throw new ConstraintError('UNIQUE constraint failed: chain_heads.log, chain_heads.seq');
        }
        return raw.batch(statements);
      },
    };
    const audit = new AuditRepository(createServiceDriver(racing, { sha256hex: sha256Hex, signHead, backoffMs: () => 0 }));
    await audit.record(event(10));
    expect(refusals).toBe(2);
    expect(await check(db, 'audit')).toMatchObject({ ok: true, count: 4 });
    db.close();
  });
});

describe('a full database', () => {
  it('refuses with StorageFullError, keeps the probe failed until space returns, and loses nothing acknowledged', async () => {
    const { db, raw } = await database('full.db');
    const driver: ServiceDriver = createServiceDriver(raw, { sha256hex: sha256Hex, signHead });
    const audit = new AuditRepository(driver);
    await driver.chain.probe(NOW.toISOString());
    // SQLite's own limit stands in for a full disk (the e2e test fills a real tmpfs).
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 2}`);
    const acknowledged: number[] = [];
    let refusal: unknown;
    for (let i = 0; i < 200 && !refusal; i++) {
      try {
        await driver.batch([sql('INSERT INTO verification_evidence (sha256, media_type, size) VALUES (?, ?, ?)', `${i}`.padStart(64, '0'), 'image/png', 1), audit.statement(event(i))]);
        acknowledged.push(i);
      } catch (error) {
        refusal = error;
      }
    }
    expect(refusal).toBeInstanceOf(StorageFullError);
    expect(refusal).toMatchObject({ code: 'storage_full', zh: expect.stringContaining('存储空间已满') });
    await expect(driver.chain.probe(NOW.toISOString())).rejects.toBeInstanceOf(StorageFullError);
    // Space is freed: no restart, the probe passes, writes land, and every acknowledged row is there.
    db.pragma('max_page_count = 1073741823');
    await driver.chain.probe(NOW.toISOString());
    await audit.record(event(1000));
    expect((db.prepare('SELECT COUNT(*) FROM verification_evidence').pluck().get() as number)).toBe(acknowledged.length);
    expect(await check(db, 'audit')).toMatchObject({ ok: true, count: acknowledged.length + 1 });
    db.close();
  });
});
