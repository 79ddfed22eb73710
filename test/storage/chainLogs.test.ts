/**
 * storage/chainLogs on a real SQLite file: where the three chained logs live and how they are read back —
 * the tip of each log (its newest chained row and the time of its newest head's row), rows in chain order
 * page by page with their canonical values in hashing order, rows not chained yet, and signed heads kept
 * per log (the 核实 log's in their own table), written once each.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../src/domain/verificationRecord.js';
import { AuditRepository, type AuditEvent } from '../../src/storage/audit.js';
import { headStatement, LOG_SPECS, LogRepository, readTip, type SignedHead } from '../../src/storage/chainLogs.js';
import { ConstraintError, sql } from '../../src/storage/driver.js';
import { openStore, RARE, tempDir, type Store } from './repoSupport.js';

const tmp = tempDir('chain-logs');
let store: Store;
let logs: LogRepository;
let audit: AuditRepository;
let n = 0;

const event = (i: number): AuditEvent => ({ at: `2026-11-${String(i).padStart(2, '0')}T00:00:00.000Z`, orgCode: 'GXZGB', personId: null, role: 'admin', action: 'test.write', subject: `subject:${i}${RARE}`, detail: { i } });
const head = (seq: number, hash: string, extra: Partial<SignedHead> = {}): SignedHead => ({ seq, hash, count: seq, signedAt: `2026-12-0${seq}T00:00:00.000Z`, kid: 'kid-1', jws: `jws.${seq}.${RARE}`, ...extra });

beforeEach(async () => {
  store?.close();
  store = await openStore(tmp.dir, `logs-${n++}.db`, { signHead: false });
  logs = new LogRepository(store.driver);
  audit = new AuditRepository(store.driver);
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

describe('chain logs', () => {
  it('every log of a new database: tip at the genesis, no rows, no heads', async () => {
    for (const log of ['verification', 'audit', 'history'] as const) {
      expect(await readTip(store.driver, log)).toEqual({ seq: 0, hash: GENESIS_HASH, headAt: undefined });
      expect(await logs.rowsAfter(log, 0, 10)).toEqual([]);
      expect(await logs.unchained(log)).toBe(0);
      expect(await logs.heads(log)).toEqual([]);
      expect(await logs.latestHead(log)).toBeUndefined();
    }
  });

  it('each spec names real columns of its table', () => {
    for (const spec of Object.values(LOG_SPECS)) {
      const columns = (store.db.prepare(`PRAGMA table_info(${spec.table})`).all() as { name: string }[]).map((c) => c.name);
      expect(columns).toEqual(expect.arrayContaining([...spec.canonical, spec.seq, spec.time, 'prev_hash', 'hash']));
    }
  });

  it('reads rows in chain order, page by page, with label, link, time and canonical values in hashing order', async () => {
    for (let i = 1; i <= 5; i++) await audit.record(event(i));
    const first = await logs.rowsAfter('audit', 0, 2);
    expect(first.map((r) => r.seq)).toEqual([1, 2]);
    expect(first[0]).toMatchObject({ seq: 1, label: `test.write subject:1${RARE}`, prevHash: GENESIS_HASH, at: '2026-11-01T00:00:00.000Z' });
    expect(first[0]!.values).toEqual([1, GENESIS_HASH, '2026-11-01T00:00:00.000Z', 'GXZGB', null, 'admin', 'test.write', `subject:1${RARE}`, '{"i":1}']);
    expect(first[1]!.prevHash).toBe(first[0]!.hash);
    expect((await logs.rowsAfter('audit', 2, 2)).map((r) => r.seq)).toEqual([3, 4]);
    expect((await logs.rowsAfter('audit', 4, 2)).map((r) => r.seq)).toEqual([5]);
    expect(await logs.rowsAfter('audit', 5, 2)).toEqual([]);
    // The other logs are untouched.
    expect(await logs.rowsAfter('history', 0, 10)).toEqual([]);
    expect(await readTip(store.driver, 'audit')).toEqual({ seq: 5, hash: (await logs.rowsAfter('audit', 4, 1))[0]!.hash, headAt: undefined });
  });

  it('keeps heads per log, written once each; the tip knows the time of the newest head\'s row', async () => {
    for (let i = 1; i <= 3; i++) await audit.record(event(i));
    const rows = await logs.rowsAfter('audit', 0, 10);
    await store.driver.batch([headStatement('audit', head(1, rows[0]!.hash as string)), headStatement('audit', head(3, rows[2]!.hash as string))]);
    expect(await logs.heads('audit')).toEqual([
      { seq: 1, hash: rows[0]!.hash, count: 1, signed_at: '2026-12-01T00:00:00.000Z', kid: 'kid-1', jws: `jws.1.${RARE}` },
      { seq: 3, hash: rows[2]!.hash, count: 3, signed_at: '2026-12-03T00:00:00.000Z', kid: 'kid-1', jws: `jws.3.${RARE}` },
    ]);
    expect((await logs.latestHead('audit'))?.seq).toBe(3);
    expect(await logs.heads('history')).toEqual([]); // another log's heads are not these
    expect(await logs.heads('verification')).toEqual([]);
    expect((await readTip(store.driver, 'audit')).headAt).toBe('2026-11-03T00:00:00.000Z');
    // The same place twice: refused, or with orIgnore the first is kept.
    await expect(store.driver.batch([headStatement('audit', head(3, 'other', { jws: 'second' }))])).rejects.toBeInstanceOf(ConstraintError);
    await store.driver.batch([headStatement('audit', head(3, 'other', { jws: 'second' }), undefined, { orIgnore: true })]);
    expect((await logs.latestHead('audit'))?.jws).toBe(`jws.3.${RARE}`);
    // The same place in another log is another head.
    await store.driver.batch([headStatement('history', head(3, 'h'))]);
    expect((await logs.latestHead('history'))?.hash).toBe('h');
    // The 核实 log's heads have their own table.
    await store.driver.batch([headStatement('verification', head(2, 'v'))]);
    expect(await logs.heads('verification')).toEqual([{ seq: 2, hash: 'v', count: 2, signed_at: '2026-12-02T00:00:00.000Z', kid: 'kid-1', jws: `jws.2.${RARE}` }]);
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM verification_log_heads').get()).toEqual({ n: 1 });
  });

  it('a head with onlyIf is written only when its condition holds', async () => {
    await store.driver.batch([headStatement('audit', head(1, 'x'), sql('SELECT 1 FROM organisations WHERE code = ?', 'NOPE'))]);
    expect(await logs.heads('audit')).toEqual([]);
    await store.driver.batch([headStatement('audit', head(1, 'x'), sql('SELECT 1 FROM organisations WHERE code = ?', 'GXZGB'))]);
    expect((await logs.heads('audit')).map((h) => h.seq)).toEqual([1]);
  });

  it('counts rows not chained yet (written before migration 0007), which the tip does not stand on', async () => {
    await audit.record(event(1));
    const tip = await readTip(store.driver, 'audit');
    store.db.prepare("INSERT INTO audit_events (at, org_code, person_id, role, action, subject, detail) VALUES ('t', 'GXZGB', NULL, 'admin', 'legacy', 's', '{}')").run();
    expect(await logs.unchained('audit')).toBe(1);
    expect(await logs.unchained('history')).toBe(0);
    expect(await readTip(store.driver, 'audit')).toEqual(tip);
  });
});
