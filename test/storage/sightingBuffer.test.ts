/**
 * storage/sightingBuffer on a real SQLite file (issue 17 item 4): add never writes nor waits; flush writes
 * what waits in batches of at most maxBatch; reaching maxBatch flushes on its own; past capacity entries are
 * dropped and counted with one warning; a failed flush never rejects (its entries are dropped and counted).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SightingBuffer } from '../../src/storage/sightingBuffer.js';
import type { SqlDriver } from '../../src/storage/driver.js';
import { openStore, tempDir, type Store } from './repoSupport.js';

let store: Store | undefined;
let cleanup: (() => void) | undefined;
afterEach(() => {
  store?.close();
  cleanup?.();
  store = undefined;
});

async function open(): Promise<Store> {
  const t = tempDir('ecert-sightings-');
  cleanup = t.cleanup;
  store = await openStore(t.dir, 'sightings.db');
  return store;
}
const count = (s: Store) => (s.db.prepare('SELECT COUNT(*) AS n FROM verification_sightings').get() as { n: number }).n;
const entry = (i: number) => ({ at: new Date(Date.UTC(2026, 11, 7, 0, 0, i)).toISOString(), channel: 'qr' as const, certificateNumber: `C${i}` });

describe('SightingBuffer', () => {
  it('add only keeps; flush writes everything, in batches of maxBatch', async () => {
    const s = await open();
    const batches: number[] = [];
    const counting: SqlDriver = { ...s.driver, batch: (statements) => (batches.push(statements.length), s.driver.batch(statements)) };
    const buffer = new SightingBuffer(counting, { maxBatch: 500, capacity: 10_000, log: () => undefined });
    for (let i = 0; i < 499; i++) buffer.add(entry(i));
    expect(count(s)).toBe(0);
    expect(buffer.size).toBe(499);
    buffer.add(entry(499)); // the 500th: flushes on its own
    await buffer.flush();
    expect(count(s)).toBe(500);
    for (let i = 0; i < 1200; i++) buffer.add(entry(i));
    await buffer.flush();
    expect(count(s)).toBe(1700);
    expect(Math.max(...batches)).toBe(500);
    expect(buffer.dropped).toBe(0);
  });

  it('past capacity: dropped and counted, one warning, nothing grows', async () => {
    const s = await open();
    const warnings: string[] = [];
    const buffer = new SightingBuffer(s.driver, { maxBatch: 1000, capacity: 10, log: (m) => warnings.push(m) });
    for (let i = 0; i < 25; i++) buffer.add(entry(i));
    expect(buffer.size).toBe(10);
    expect(buffer.dropped).toBe(15);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('dropped');
    await buffer.flush();
    expect(count(s)).toBe(10);
  });

  it('a failed flush never rejects: logged, its entries dropped and counted, the next flush works', async () => {
    const s = await open();
    let fail = true;
    const flaky: SqlDriver = { ...s.driver, batch: (statements) => (fail ? Promise.reject(new Error('disk gone')) : s.driver.batch(statements)) };
    const logged: string[] = [];
    const buffer = new SightingBuffer(flaky, { maxBatch: 100, capacity: 1000, log: (m) => logged.push(m) });
    for (let i = 0; i < 3; i++) buffer.add(entry(i));
    await expect(buffer.flush()).resolves.toBeUndefined();
    expect(buffer.dropped).toBe(3);
    expect(logged.join()).toContain('flush failed');
    fail = false;
    buffer.add(entry(9));
    await buffer.flush();
    expect(count(s)).toBe(1);
  });
});
