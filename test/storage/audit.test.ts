/**
 * storage/audit on a real SQLite file, through the chain writer as the services write it: every field of an
 * event round-trips (detail as JSON), events are listed oldest first by a seq cursor, scoped to the
 * organisations asked for and optionally to one subject; a row with `onlyIf` is written only when its
 * action landed; concurrent writes lose nothing; rows cannot be changed afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditRepository, type AuditEvent } from '../../src/storage/audit.js';
import { sql } from '../../src/storage/driver.js';
import { HOSTILE, LONG, openStore, RARE, tempDir, type Store } from './repoSupport.js';

const tmp = tempDir('audit');
let store: Store;
let audit: AuditRepository;

const event = (i: number, overrides: Partial<AuditEvent> = {}): AuditEvent => ({
  at: `2026-11-28T04:00:${String(i % 60).padStart(2, '0')}.000Z`,
  orgCode: 'GXZGB',
  personId: 'P_gx',
  role: 'handler',
  action: 'certificate.issue',
  subject: `certificate:26K7Q2M9X${i}`,
  detail: { i },
  ...overrides,
});

beforeAll(async () => {
  store = await openStore(tmp.dir, 'audit.db');
  audit = new AuditRepository(store.driver);
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

describe('AuditRepository', () => {
  it('round-trips every field, the detail as JSON with CJK, rare characters and nesting; a null person', async () => {
    const detail = { name: `䶮${RARE}`, nested: { list: [1, '二', null, true], empty: {} }, quote: HOSTILE, n: 1.5 };
    await audit.record(event(1, { detail }));
    await audit.record(event(2, { personId: null, role: 'system', action: `calendar.set ${RARE}`, subject: 'calendar:2027-02-06' }));
    expect(await audit.list({ orgCodes: ['GXZGB'], afterSeq: 0, limit: 10 })).toEqual([
      { seq: 1, at: '2026-11-28T04:00:01.000Z', orgCode: 'GXZGB', personId: 'P_gx', role: 'handler', action: 'certificate.issue', subject: 'certificate:26K7Q2M9X1', detail },
      { seq: 2, at: '2026-11-28T04:00:02.000Z', orgCode: 'GXZGB', personId: null, role: 'system', action: `calendar.set ${RARE}`, subject: 'calendar:2027-02-06', detail: { i: 2 } },
    ]);
  });

  it('pages oldest first by the seq cursor, and scopes to the organisations asked for', async () => {
    for (let i = 10; i < 20; i++) await audit.record(event(i, { orgCode: i % 2 ? 'NNZGB' : 'GXZGB', subject: 'page:test' }));
    const page1 = await audit.list({ orgCodes: ['NNZGB'], subject: 'page:test', afterSeq: 0, limit: 3 });
    expect(page1.map((e) => e.detail.i)).toEqual([11, 13, 15]);
    const page2 = await audit.list({ orgCodes: ['NNZGB'], subject: 'page:test', afterSeq: page1.at(-1)!.seq!, limit: 3 });
    expect(page2.map((e) => e.detail.i)).toEqual([17, 19]);
    expect(await audit.list({ orgCodes: ['NNZGB'], subject: 'page:test', afterSeq: page2.at(-1)!.seq!, limit: 3 })).toEqual([]);
    expect((await audit.list({ orgCodes: ['GXZGB', 'NNZGB'], subject: 'page:test', afterSeq: 0, limit: 100 })).map((e) => e.detail.i)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    // Another organisation's read finds nothing; no organisation at all finds nothing.
    expect(await audit.list({ orgCodes: ['OTHER'], afterSeq: 0, limit: 100 })).toEqual([]);
    expect(await audit.list({ orgCodes: [], afterSeq: 0, limit: 100 })).toEqual([]);
    expect(await audit.list({ orgCodes: ["GXZGB' OR '1'='1"], afterSeq: 0, limit: 100 })).toEqual([]);
  });

  it('with onlyIf, writes the row only when the action it records landed', async () => {
    const landed = sql('SELECT 1 FROM organisations WHERE code = ?', 'GXZGB');
    const missed = sql('SELECT 1 FROM organisations WHERE code = ?', 'NOPE');
    await store.driver.batch([audit.statement(event(30, { subject: 'onlyif:yes' }), landed)]);
    await store.driver.batch([audit.statement(event(31, { subject: 'onlyif:no' }), missed)]);
    expect((await audit.list({ orgCodes: ['GXZGB'], subject: 'onlyif:yes', afterSeq: 0, limit: 10 })).map((e) => e.detail.i)).toEqual([30]);
    expect(await audit.list({ orgCodes: ['GXZGB'], subject: 'onlyif:no', afterSeq: 0, limit: 10 })).toEqual([]);
    // The chain stays whole: seqs have no gap left by the skipped row.
    const seqs = (store.db.prepare('SELECT seq FROM audit_events ORDER BY seq').all() as { seq: number }[]).map((r) => r.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  });

  it('keeps hostile and very long text verbatim', async () => {
    await audit.record(event(40, { subject: HOSTILE, action: HOSTILE, detail: { text: LONG } }));
    const [stored] = await audit.list({ orgCodes: ['GXZGB'], subject: HOSTILE, afterSeq: 0, limit: 10 });
    expect(stored).toMatchObject({ subject: HOSTILE, action: HOSTILE });
    expect(stored!.detail.text).toBe(LONG);
  });

  it('80 events recorded at once through the write queue: none lost, none doubled, each linked to the one before', async () => {
    const before = (store.db.prepare('SELECT MAX(seq) AS n FROM audit_events').get() as { n: number }).n;
    const outcomes = await Promise.allSettled(Array.from({ length: 80 }, (_, i) => audit.record(event(100 + i, { subject: 'burst', orgCode: i % 2 ? 'NNZGB' : 'GXZGB' }))));
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    const burst = await audit.list({ orgCodes: ['GXZGB', 'NNZGB'], subject: 'burst', afterSeq: before, limit: 1000 });
    expect(burst.map((e) => e.detail.i)).toEqual(Array.from({ length: 80 }, (_, i) => 100 + i)); // queued: written in call order
    expect(burst.map((e) => e.seq)).toEqual(Array.from({ length: 80 }, (_, i) => before + 1 + i));
    const rows = store.db.prepare('SELECT seq, prev_hash, hash FROM audit_events ORDER BY seq').all() as { seq: number; prev_hash: string; hash: string }[];
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(new Set(rows.map((r) => r.hash)).size).toBe(rows.length);
  });

  it('refuses to change or delete a written row', () => {
    expect(() => store.db.prepare("UPDATE audit_events SET subject = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM audit_events WHERE seq = 1').run()).toThrow(/append-only/);
  });
});
