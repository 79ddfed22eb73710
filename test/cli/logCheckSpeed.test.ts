/**
 * How `log check` stays fast (issue 15: ≥ 150,000 records a second) without checking less: the SQLite
 * source hands each row's canonical text over as its UTF-8 bytes, the very bytes the service hashed; a
 * synchronous source is walked without a microtask per row; details are read only where they name evidence,
 * and evidence is still checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHashes, nodeEs256Verify, sqliteLogSource } from '../../src/cli/logCheck.js';
import { createLogHeadVerifier } from '../../src/crypto/logHead.js';
import { chainText, type CanonicalValue } from '../../src/domain/recordChain.js';
import { checkLog, type ChainRow, type LogSource } from '../../src/services/chainCheck.js';
import { recordVerification } from '../../src/services/recordVerification.js';
import { LOG_SPECS } from '../../src/storage/chainLogs.js';
import { handler, informationSystemRequest, makeContext, otherRequest, phoneRequest, ROOT_PEM, type TestContext } from '../services/support.js';

let t: TestContext;
beforeAll(async () => {
  t = await makeContext();
  for (let i = 0; i < 12; i++) await recordVerification(t.ctx, handler, i === 5 ? informationSystemRequest() : i % 2 ? phoneRequest() : otherRequest());
});
afterAll(() => t.close());

const options = () => ({ ...nodeHashes, verifyHead: createLogHeadVerifier({ rootPem: ROOT_PEM }, nodeEs256Verify()) });

describe('log check over the SQLite file', () => {
  it('reads each canonical text as the UTF-8 bytes of the domain text, which hash to the stored hash', async () => {
    const columns = LOG_SPECS.verification.canonical.join(', ');
    const rows = [...(sqliteLogSource(t.db, 'verification', t.blobs).rows() as Iterable<ChainRow>)];
    expect(rows).toHaveLength(12);
    for (const row of rows) {
      const values = t.db.prepare(`SELECT ${columns} FROM verification_records WHERE seq = ?`).raw().get(row[0]) as CanonicalValue[];
      expect(row[5]).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(row[5] as Uint8Array).toString('utf8')).toBe(chainText(values));
      expect(nodeHashes.sha256hex(row[5])).toBe(row[3]);
    }
    // Details only where they name evidence: the screenshot's record carries them, the others not.
    expect(rows.filter((r) => r[7] !== null).map((r) => r[6])).toEqual(['information_system']);
    const report = await checkLog(sqliteLogSource(t.db, 'verification', t.blobs), options());
    expect(report).toMatchObject({ ok: true, count: 12, heads: { total: 1, verified: 1 } });
  });

  it('still checks the evidence a record names', async () => {
    // The store hands back other bytes for the screenshot (a file edited beside the database).
    const forged = { ...t.blobs, get: async () => new TextEncoder().encode('forged') };
    const report = await checkLog(sqliteLogSource(t.db, 'verification', forged), options());
    expect(report.ok).toBe(false);
    expect(report.broken).toMatchObject({ seq: 6 });
    expect(report.broken!.reason.en).toMatch(/evidence/);
  });
});

describe('checkLog over a synchronous source', () => {
  it('walks rows without a microtask between them, and reports the same as an asynchronous walk', async () => {
    const rows: ChainRow[] = [];
    let prev = '0'.repeat(64);
    for (let seq = 1; seq <= 5; seq++) {
      const text = chainText([seq, prev, 'x']);
      const hash = nodeHashes.sha256hex(text);
      rows.push([seq, `r${seq}`, prev, hash, '2026-11-28T04:00:00.000Z', text]);
      prev = hash;
    }
    let ticked = 0;
    const between: number[] = [];
    const source = (sync: boolean): LogSource => ({
      log: 'audit',
      rows: sync
        ? function* () {
            for (const row of rows) {
              // A microtask queued here runs before the next row only if the walk awaits between rows.
              queueMicrotask(() => ticked++);
              const before = ticked;
              yield row;
              between.push(ticked - before);
            }
          }
        : async function* () {
            yield* rows;
          },
      // A head at every row (not verified: no verifier given), so the whole log walks through.
      heads: async () => rows.map((r) => ({ seq: r[0] as number, hash: r[3] as string, count: r[0] as number, signed_at: '2026-11-28T04:00:00.000Z', kid: 'k', jws: '' })),
    });
    const fast = await checkLog(source(true), nodeHashes);
    expect(between).toEqual([0, 0, 0, 0, 0]);
    expect(fast).toMatchObject({ ok: true, count: 5 });
    expect(await checkLog(source(false), nodeHashes)).toEqual(fast);
    // A row altered: both walks name it alike.
    rows[2] = [3, 'r3', rows[2]![2], rows[2]![3], rows[2]![4], chainText([3, rows[2]![2] as string, 'y'])];
    const broken = await checkLog(source(true), nodeHashes);
    expect(broken.broken).toMatchObject({ seq: 3, id: 'r3' });
    expect(await checkLog(source(false), nodeHashes)).toEqual(broken);
  });
});
