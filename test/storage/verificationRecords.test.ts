/**
 * storage/verificationRecords on a real SQLite file, appended through the chain writer as the services do:
 * every field of a record round-trips (each method's details, optional fields absent or set), evidence
 * comes back byte-identical and is stored once per content, the list is one organisation's records newest
 * first with filters and pages, idempotency keys and supersession are refused as ConstraintError with
 * nothing written, and dozens of concurrent appends keep one gap-free, linked chain in call order.
 * Public behaviour only: where the evidence bytes are kept is not asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerificationRecordDraft } from '../../src/domain/recordChain.js';
import { sha256Hex } from '../../src/lib/bytes.js';
import { ConstraintError, sql } from '../../src/storage/driver.js';
import { VerificationRecordRepository, type EvidenceBlob } from '../../src/storage/verificationRecords.js';
import { HOSTILE, LONG, openStore, RARE, tempDir, type Store } from './repoSupport.js';

const tmp = tempDir('verification-records');
let store: Store;
let repo: VerificationRecordRepository;
const PART = 1000;

function draft(id: string, overrides: Partial<VerificationRecordDraft> = {}): VerificationRecordDraft {
  return {
    id,
    orgCode: 'GXZGB',
    subject: { holderName: `䶮${RARE}`, idNumber: '450103198501010026', titleName: '高级工程师', evaluatingBody: '湖南省评委会', acquiredOn: '2015-12-30', certificateNumber: 'HN-𠈌-1' },
    details: { method: 'phone', phone: { organisation: '湖南省人社厅', position: '科长', name: `钱${RARE}`, number: '0731-1234567', calledAt: '2026-11-20T10:00:00+08:00' } },
    checkedAt: '2026-11-20T10:30:00+08:00',
    result: 'genuine',
    record: `电话核实，对方确认。'引号' "双引号" \\ 反斜杠 ${RARE}`,
    handler: { name: '赵六' },
    recordedOn: '2026-11-20',
    createdAt: '2026-11-20T02:31:00.000Z',
    writtenBy: 'tok_gx',
    ...overrides,
  };
}

async function blob(length: number, seed: number, mediaType: EvidenceBlob['mediaType'] = 'application/pdf'): Promise<EvidenceBlob> {
  const bytes = new Uint8Array(length).map((_, i) => (i * 13 + seed) % 256);
  return { sha256: await sha256Hex(bytes), mediaType, bytes };
}

beforeAll(async () => {
  store = await openStore(tmp.dir, 'records.db');
  repo = new VerificationRecordRepository(store.driver, store.blobs);
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

describe('VerificationRecordRepository', () => {
  it('refuses to append without the chain writer', async () => {
    await expect(new VerificationRecordRepository(store.raw, store.blobs).append(draft('vr_raw'), [])).rejects.toThrow(/chain writer/);
  });

  it('appends and reads back every field (phone details, all subject fields), linked to the genesis', async () => {
    const d = draft('vr_phone', { applicationId: 'RC20261128-7KQ2M9XH' });
    const appended = await repo.append(d, []);
    expect(appended.seq).toBe(1);
    expect(appended.prevHash).toBe('0'.repeat(64));
    expect(appended.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await repo.get('vr_phone')).toEqual({ ...d, seq: 1, prevHash: appended.prevHash, hash: appended.hash, supersedes: undefined });
    expect(await repo.count()).toBe(1);
  });

  it('round-trips information-system and letter details with their evidence, byte-identical (small and large files)', async () => {
    const screenshot = await blob(2500, 1, 'image/png'); // larger than the old 1,000-byte parts
    const scan = await blob(PART, 2, 'image/jpeg'); // exactly 1,000 bytes
    const ref = (b: EvidenceBlob) => ({ sha256: b.sha256, mediaType: b.mediaType, bytes: b.bytes.length });
    const sys = draft('vr_system', { details: { method: 'information_system', informationSystem: { name: `全国职称系统${RARE}`, url: 'https://example.cn/q?a=1&b=\'2\'', evidence: ref(screenshot) } } });
    const letter = draft('vr_letter', {
      subject: { ...draft('x').subject, certificateNumber: undefined },
      details: { method: 'letter', letter: { number: '桂职函〔2026〕1号', sentTo: '湖南省职改办', sentOn: '2026-11-01', repliedOn: '2026-11-15', evidence: ref(scan) } },
      result: 'not_genuine',
    });
    await repo.append(sys, [screenshot]);
    await repo.append(letter, [scan]);
    expect((await repo.get('vr_system'))!.details).toEqual(sys.details);
    const storedLetter = (await repo.get('vr_letter'))!;
    expect(storedLetter.details).toEqual(letter.details);
    expect(storedLetter.subject.certificateNumber).toBeUndefined();
    expect(storedLetter.result).toBe('not_genuine');
    for (const b of [screenshot, scan]) {
      const back = await repo.evidence(b.sha256);
      expect(back?.mediaType).toBe(b.mediaType);
      expect(Array.from(back!.bytes)).toEqual(Array.from(b.bytes));
    }
    expect((await repo.evidenceParts(screenshot.sha256))?.size).toBe(2500);
    expect(await repo.evidence('0'.repeat(64))).toBeUndefined();
  });

  it('stores the same evidence once when two records carry it', async () => {
    const shared = await blob(1500, 3);
    const ref = { sha256: shared.sha256, mediaType: shared.mediaType, bytes: shared.bytes.length };
    const details = { method: 'letter' as const, letter: { number: '函', sentTo: '湖南', sentOn: '2026-11-01', repliedOn: '2026-11-02', evidence: ref } };
    await repo.append(draft('vr_shared_1', { details }), [shared]);
    await repo.append(draft('vr_shared_2', { details }), [shared]);
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM verification_evidence WHERE sha256 = ?').get(shared.sha256)).toEqual({ n: 1 });
    expect(Array.from((await repo.evidence(shared.sha256))!.bytes)).toEqual(Array.from(shared.bytes));
  });

  it('keeps hostile and very long text verbatim', async () => {
    const d = draft('vr_hostile', { record: LONG, subject: { ...draft('x').subject, holderName: HOSTILE }, details: { method: 'other', other: { description: HOSTILE } } });
    await repo.append(d, []);
    const back = (await repo.get('vr_hostile'))!;
    expect(back.record).toBe(LONG);
    expect(back.subject.holderName).toBe(HOSTILE);
    expect(back.details).toEqual({ method: 'other', other: { description: HOSTILE } });
    expect(await repo.get("vr_hostile' OR '1'='1")).toBeUndefined();
  });

  it('a record is superseded once; a second correction is a ConstraintError and writes nothing', async () => {
    await repo.append(draft('vr_wrong'), []);
    await repo.append(draft('vr_fix', { supersedes: { id: 'vr_wrong', reason: `更正${RARE}` } }), []);
    expect((await repo.supersededBy('vr_wrong'))?.id).toBe('vr_fix');
    expect((await repo.get('vr_fix'))?.supersedes).toEqual({ id: 'vr_wrong', reason: `更正${RARE}` });
    const before = await repo.count();
    await expect(repo.append(draft('vr_fix2', { supersedes: { id: 'vr_wrong', reason: '再更正' } }), [])).rejects.toBeInstanceOf(ConstraintError);
    expect(await repo.get('vr_fix2')).toBeUndefined();
    expect(await repo.count()).toBe(before);
    expect(await repo.supersededBy('vr_fix')).toBeUndefined();
  });

  it('an idempotency key is kept per scope; a reused one refuses the whole append (record, evidence, alongside rows)', async () => {
    await repo.append(draft('vr_idem_1'), [], { idempotency: { scope: 'GXZGB', key: `键${RARE}`, requestHash: 'h1' } });
    expect(await repo.findIdempotent('GXZGB', `键${RARE}`)).toEqual({ requestHash: 'h1', recordId: 'vr_idem_1' });
    expect(await repo.findIdempotent('NNZGB', `键${RARE}`)).toBeUndefined();
    const extra = await blob(10, 9);
    const before = await repo.count();
    const alongside = () => [sql("INSERT INTO calendar_overrides (date, kind, note, set_by, set_at) VALUES ('2099-09-09', 'holiday', 'x', 'y', 'z')")];
    await expect(repo.append(draft('vr_idem_2'), [extra], { idempotency: { scope: 'GXZGB', key: `键${RARE}`, requestHash: 'h2' }, alongside })).rejects.toBeInstanceOf(ConstraintError);
    expect(await repo.get('vr_idem_2')).toBeUndefined();
    expect(await repo.evidence(extra.sha256)).toBeUndefined();
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM calendar_overrides WHERE date = '2099-09-09'").get()).toEqual({ n: 0 });
    expect(await repo.count()).toBe(before);
    // The chain goes on from where it was.
    const next = await repo.append(draft('vr_after_refusal'), []);
    expect(next.seq).toBe(before + 1);
  });

  it('writes the alongside rows with the record they were made for', async () => {
    const record = await repo.append(draft('vr_alongside'), [], {
      alongside: (r) => [sql("INSERT INTO calendar_overrides (date, kind, note, set_by, set_at) VALUES (?, 'holiday', ?, 'y', 'z')", `seq-${r.seq}`, r.hash)],
    });
    expect(store.db.prepare('SELECT note FROM calendar_overrides WHERE date = ?').get(`seq-${record.seq}`)).toEqual({ note: record.hash });
  });

  it('lists one organisation\'s records newest first, filtered and paged, with the record that corrects each', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const id = `vr_list_${i}`;
      ids.push(id);
      await repo.append(
        draft(id, {
          orgCode: 'NNZGB',
          subject: { ...draft('x').subject, holderName: i % 2 ? '李四' : '王五', idNumber: i < 4 ? 'ID-A' : 'ID-B' },
          result: i === 3 ? 'unverifiable' : 'genuine',
          checkedAt: `2026-11-${String(10 + i).padStart(2, '0')}T23:59:59+08:00`,
          ...(i === 6 ? { supersedes: { id: 'vr_list_5', reason: '更正' } } : {}),
        }),
        [],
      );
    }
    const page1 = await repo.list({ orgCode: 'NNZGB', page: 1, pageSize: 3 });
    expect(page1.total).toBe(7);
    expect(page1.items.map((i) => i.record.id)).toEqual(['vr_list_6', 'vr_list_5', 'vr_list_4']);
    expect(page1.items.map((i) => i.supersededBy)).toEqual([undefined, 'vr_list_6', undefined]);
    const page3 = await repo.list({ orgCode: 'NNZGB', page: 3, pageSize: 3 });
    expect(page3.items.map((i) => i.record.id)).toEqual(['vr_list_0']);
    expect((await repo.list({ orgCode: 'NNZGB', page: 4, pageSize: 3 })).items).toEqual([]);
    expect((await repo.list({ orgCode: 'NNZGB', holder: '李四', page: 1, pageSize: 10 })).items.map((i) => i.record.id)).toEqual(['vr_list_5', 'vr_list_3', 'vr_list_1']);
    expect((await repo.list({ orgCode: 'NNZGB', idNumber: 'ID-B', page: 1, pageSize: 10 })).total).toBe(3);
    expect((await repo.list({ orgCode: 'NNZGB', result: 'unverifiable', page: 1, pageSize: 10 })).items.map((i) => i.record.id)).toEqual(['vr_list_3']);
    expect((await repo.list({ orgCode: 'NNZGB', method: 'letter', page: 1, pageSize: 10 })).total).toBe(0);
    // China days, inclusive on both ends: 23:59:59 on the 12th belongs to the 12th.
    expect((await repo.list({ orgCode: 'NNZGB', from: '2026-11-12', to: '2026-11-13', page: 1, pageSize: 10 })).items.map((i) => i.record.id)).toEqual(['vr_list_3', 'vr_list_2']);
    // Another organisation's read finds none of them.
    const gx = await repo.list({ orgCode: 'GXZGB', page: 1, pageSize: 1000 });
    expect(gx.items.some((i) => ids.includes(i.record.id))).toBe(false);
    expect((await repo.list({ orgCode: 'HNZGB', page: 1, pageSize: 10 })).total).toBe(0);
    expect((await repo.list({ orgCode: "NNZGB' OR '1'='1", page: 1, pageSize: 10 })).total).toBe(0);
  });

  it('60 appends at once through the write queue: none refused, seq gap-free in call order, each linked to the one before', async () => {
    const before = await repo.count();
    const outcomes = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => repo.append(draft(`vr_burst_${i}`, { orgCode: i % 2 ? 'NNZGB' : 'GXZGB' }), [])));
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    const seqs = outcomes.map((o) => (o as PromiseFulfilledResult<{ seq: number }>).value.seq);
    expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => before + 1 + i));
    expect(await repo.count()).toBe(before + 60);
    const rows: { seq: number; prev_hash: string; hash: string; id: string }[] = [];
    for await (const row of repo.rowsInChainOrder(7)) rows.push(row);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: before + 60 }, (_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    const records: string[] = [];
    for await (const r of repo.inChainOrder(9)) records.push(r.id);
    expect(records.slice(-60)).toEqual(Array.from({ length: 60 }, (_, i) => `vr_burst_${i}`));
    expect(await repo.tip()).toMatchObject({ seq: before + 60, hash: rows.at(-1)!.hash });
    // Every signed head stands on a row of the chain with that row's hash.
    const bySeq = new Map(rows.map((r) => [r.seq, r.hash]));
    for (const head of await repo.heads()) expect(head.hash).toBe(bySeq.get(head.seq));
  });

  it('refuses to change or delete a written record', () => {
    expect(() => store.db.prepare("UPDATE verification_records SET record = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM verification_records WHERE seq = 1').run()).toThrow(/append-only/);
  });
});
