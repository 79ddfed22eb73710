/**
 * storage/caseStatements on a real SQLite file: statements are inserted in a batch, read back in step order
 * with their payload as stored, the newest digest found for the next link; a second statement for one step
 * is refused; rows cannot be changed or removed; a payload overwritten with non-JSON is read as unreadable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statementText, type CaseStatementPayload } from '../../src/domain/caseStatement.js';
import { CaseStatementRepository } from '../../src/storage/caseStatements.js';
import { ConstraintError } from '../../src/storage/driver.js';
import { HOSTILE, LONG, openStore, RARE, tempDir, type Store } from './repoSupport.js';

const tmp = tempDir('statements');
let store: Store;
let statements: CaseStatementRepository;
beforeAll(async () => {
  store = await openStore(tmp.dir, 's.db');
  statements = new CaseStatementRepository(store.driver);
});
afterAll(() => {
  store?.close();
  tmp.cleanup();
});

const payload = (seq: number, prev: string | null, over: Partial<CaseStatementPayload> = {}): CaseStatementPayload => ({
  v: 1, case: 'RC1', seq, step: 'endorse', opinion: `同意${RARE}${HOSTILE}`, data: { n: seq }, person: { id: 'P1', name: `黄${RARE}` }, org: { code: 'NNDW01', name: '南宁一中' }, at: '2026-10-12T02:00:00.000Z', facts: 'f'.repeat(64), prev, ...over,
});

describe('CaseStatementRepository', () => {
  it('writes in a batch and reads back in step order with the newest digest; a second statement for one step is refused', async () => {
    const one = payload(2, null);
    const two = payload(5, 'd2', { opinion: LONG });
    await store.driver.batch([statements.insertStatement(statementText(two), { payload: two, digest: 'd5' }, { jws: 'jws5', timestamp: 'ts5' }, two.at)]);
    await store.driver.batch([statements.insertStatement(statementText(one), { payload: one, digest: 'd2' }, { jws: null, timestamp: null }, one.at)]);
    const back = await statements.forCase('RC1');
    expect(back.map((s) => [s.seq, s.orgCode, s.digest, s.jws, s.timestamp])).toEqual([[2, 'NNDW01', 'd2', null, null], [5, 'NNDW01', 'd5', 'jws5', 'ts5']]);
    expect(back[0]!.payload).toEqual(one);
    expect(back[1]!.payload!.opinion).toBe(LONG);
    expect(await statements.lastDigest('RC1')).toBe('d5');
    expect(await statements.lastDigest('RC-NONE')).toBeNull();
    await expect(store.driver.batch([statements.insertStatement(statementText(one), { payload: one, digest: 'dx' }, { jws: null, timestamp: null }, one.at)])).rejects.toBeInstanceOf(ConstraintError);
  });

  it('refuses changes and deletions; a payload overwritten with non-JSON (guards lifted) is read as unreadable', async () => {
    expect(() => store.db.prepare("UPDATE case_statements SET payload = '{}' WHERE application_id = 'RC1'").run()).toThrow(/append-only/);
    expect(() => store.db.prepare("DELETE FROM case_statements WHERE application_id = 'RC1'").run()).toThrow(/append-only/);
    store.db.exec('DROP TRIGGER case_statements_no_update');
    store.db.prepare("UPDATE case_statements SET payload = 'not json' WHERE application_id = 'RC1' AND seq = 2").run();
    const back = await statements.forCase('RC1');
    expect([back[0]!.seq, back[0]!.payload]).toEqual([2, undefined]);
  });
});
