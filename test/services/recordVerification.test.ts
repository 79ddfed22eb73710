/**
 * Keeping verification records (attachment 2; notice 四(三)): each method's required details, the dates,
 * evidence, supersession, idempotency, and reading scoped to the caller's organisation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { GENESIS_HASH } from '../../src/domain/verificationRecord.js';
import { chainHash } from '../../src/domain/recordChain.js';
import { sha256Hex } from '../../src/lib/bytes.js';
import { recordVerification, type VerificationRequest } from '../../src/services/recordVerification.js';
import { getVerificationRecord, listVerificationRecords, verificationEvidence } from '../../src/services/verificationLog.js';
import {
  dataUrl,
  fixture,
  handler,
  informationSystemRequest,
  letterRequest,
  makeContext,
  minimalPdf,
  otherOrgHandler,
  otherRequest,
  phoneRequest,
  type TestContext,
} from './support.js';

let t: TestContext;
beforeAll(async () => {
  t = await makeContext();
});
afterAll(() => t.close());

async function refusal(request: unknown, actor = handler): Promise<DomainError> {
  try {
    await recordVerification(t.ctx, actor, request as VerificationRequest);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('recordVerification: the details each method requires (四(三), attachment 2 note)', () => {
  it('keeps the example of issue 4 (phone) and returns id and hash', async () => {
    const { record, created } = await recordVerification(t.ctx, handler, phoneRequest());
    expect(created).toBe(true);
    expect(record.id).toMatch(/^vr_[A-Za-z0-9_-]{16}$/);
    expect(record.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(record.details).toEqual({
      method: 'phone',
      phone: { organisation: '湖南省人力资源和社会保障厅', position: '科员', name: '王五', number: '0731-84900000', calledAt: '2026-11-20T10:30:00+08:00' },
    });
    expect(record).toMatchObject({ orgCode: 'GXZGB', writtenBy: 'P_handler_gx', recordedOn: '2026-11-28', checkedAt: '2026-11-20T10:30:00+08:00' });
    expect(await chainHash(record.prevHash, record, sha256Hex)).toBe(record.hash);
  });

  const cases: [string, VerificationRequest, string[]][] = [
    ['information_system', { ...informationSystemRequest(), informationSystem: {} }, ['informationSystem.name', 'informationSystem.url', 'informationSystem.evidence']],
    ['information_system, not a web address', { ...informationSystemRequest(), informationSystem: { ...informationSystemRequest().informationSystem, url: 'javascript:alert(1)' } }, ['informationSystem.url']],
    ['letter', { ...letterRequest(), letter: undefined }, ['letter.number', 'letter.sentTo', 'letter.sentOn', 'letter.repliedOn', 'letter.evidence']],
    ['letter, reply before the letter', { ...letterRequest(), letter: { ...letterRequest().letter, sentOn: '2026-11-16', repliedOn: '2026-11-02' } }, ['letter.repliedOn']],
    ['letter, not dates', { ...letterRequest(), letter: { ...letterRequest().letter, sentOn: '2026-02-30', repliedOn: '16/11/2026' } }, ['letter.sentOn', 'letter.repliedOn']],
    ['phone', { ...phoneRequest(), phone: { name: '王五' } }, ['phone.organisation', 'phone.position', 'phone.number', 'phone.calledAt']],
    ['phone, blank strings', { ...phoneRequest(), phone: { organisation: ' ', position: '科员', name: '王五', number: '', calledAt: '2026-11-20 10:30' } }, ['phone.organisation', 'phone.number', 'phone.calledAt']],
    ['other', { ...otherRequest(), other: { description: '' } }, ['other.description']],
    ['no method at all', { ...phoneRequest(), method: undefined as never }, ['method']],
    ['the record itself', { ...phoneRequest(), checkedAt: '2026-11-20T10:30:00', record: '', handler: { name: '' } }, ['checkedAt', 'record', 'handler.name']],
  ];
  it.each(cases)('%s: 422 naming what is missing', async (_, request, missing) => {
    const error = await refusal(request);
    expect(error.code).toBe('validation_failed');
    expect(error.details?.['missing']).toEqual(missing);
    expect(error.field).toBe(missing[0]);
    expect(error.zh).toContain('核实情况记录不完整');
  });

  it('keeps each method with its details, evidence by SHA-256', async () => {
    const png = fixture('photo.png');
    const is = await recordVerification(t.ctx, handler, informationSystemRequest(dataUrl('image/png', png)));
    expect(is.record.details).toEqual({
      method: 'information_system',
      informationSystem: {
        name: '湖南省职称评审管理服务平台',
        url: 'https://zcps.hunan.gov.cn/query?id=HN2015-00123',
        evidence: { sha256: await sha256Hex(png), mediaType: 'image/png', bytes: png.length },
      },
    });
    const letter = await recordVerification(t.ctx, handler, letterRequest());
    expect(letter.record.details).toMatchObject({ method: 'letter', letter: { number: '桂人社函〔2026〕88号', evidence: { mediaType: 'application/pdf' } } });
    const other = await recordVerification(t.ctx, handler, otherRequest());
    expect(other.record.details).toEqual({ method: 'other', other: { description: '持证人携原件到窗口现场核验' } });
    // The PDF and the screenshot come back byte for byte.
    const evidence = await verificationEvidence(t.ctx, handler, is.record.id);
    expect(evidence.mediaType).toBe('image/png');
    expect(Array.from(evidence.bytes)).toEqual(Array.from(png));
    await expect(verificationEvidence(t.ctx, handler, other.record.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(verificationEvidence(t.ctx, otherOrgHandler, is.record.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('judges evidence by its content, not its declared type', async () => {
    const text = await refusal(informationSystemRequest(dataUrl('image/png', new TextEncoder().encode('not a picture at all'))));
    expect(text).toMatchObject({ code: 'validation_failed', field: 'informationSystem.evidence' });
    const truncated = minimalPdf().subarray(0, 60);
    expect(await refusal(letterRequest(dataUrl('application/pdf', truncated)))).toMatchObject({ field: 'letter.evidence' });
    // A JPEG sent as application/octet-stream is still a JPEG.
    const jpeg = await recordVerification(t.ctx, handler, letterRequest(dataUrl('application/octet-stream', fixture('photo.jpg'))));
    expect(jpeg.record.details).toMatchObject({ letter: { evidence: { mediaType: 'image/jpeg' } } });
  });

  it('checks the ID number, and dates against the clock and each other', async () => {
    const subject = phoneRequest().subject;
    expect(await refusal(phoneRequest({ subject: { ...subject, idNumber: '450103198501010027' } }))).toMatchObject({ code: 'invalid_id_number', field: 'subject.idNumber' });
    // Digits meant as a resident ID are held to one: a digit left out is not "another document".
    expect(await refusal(phoneRequest({ subject: { ...subject, idNumber: '45010319850101002' } }))).toMatchObject({ code: 'invalid_id_number' });
    // A passport or permit number is kept by its shape.
    const passport = await recordVerification(t.ctx, handler, phoneRequest({ subject: { ...subject, idNumber: 'e12345678' } }));
    expect(passport.record.subject.idNumber).toBe('E12345678');
    expect(await refusal(phoneRequest({ checkedAt: '2026-11-28T12:10:00+08:00' }))).toMatchObject({ code: 'future_date', field: 'checkedAt' });
    // Five minutes of clock skew are allowed (NOW is 12:00 China time).
    expect((await recordVerification(t.ctx, handler, phoneRequest({ checkedAt: '2026-11-28T12:04:00+08:00' }))).record.checkedAt).toBe('2026-11-28T12:04:00+08:00');
    expect(await refusal(phoneRequest({ subject: { ...subject, acquiredOn: '2026-11-21' } }))).toMatchObject({ field: 'subject.acquiredOn' });
    expect(await refusal(phoneRequest({ subject: { ...subject, acquiredOn: '1984-12-30' } }))).toMatchObject({ field: 'subject.acquiredOn' });
    expect(await refusal(phoneRequest({ recordedOn: '2026-11-29' }))).toMatchObject({ code: 'future_date', field: 'recordedOn' });
    expect(await refusal(phoneRequest({ recordedOn: '2026-11-19' }))).toMatchObject({ field: 'recordedOn' });
    expect(await refusal({ ...letterRequest(), letter: { ...letterRequest().letter, repliedOn: '2026-12-01' } })).toMatchObject({ code: 'future_date', field: 'letter.repliedOn' });
    // Stored in China time whatever offset it came with.
    const utc = await recordVerification(t.ctx, handler, phoneRequest({ checkedAt: '2026-11-20T02:30:00Z' }));
    expect(utc.record.checkedAt).toBe('2026-11-20T10:30:00+08:00');
  });

  it('refuses characters the record font cannot draw', async () => {
    expect(await refusal(phoneRequest({ record: '核实\u{E000}' }))).toMatchObject({ code: 'undrawable_character', field: 'record' });
    // A lone surrogate cannot be stored as UTF-8, so what is stored would differ from what was hashed.
    expect(await refusal(phoneRequest({ handler: { name: '赵\ud800' } }))).toMatchObject({ code: 'validation_failed', field: 'handler.name' });
  });
});

describe('supersession: a correction is a new record that says why', () => {
  it('supersedes once, with a reason, within the organisation', async () => {
    const { record: first } = await recordVerification(t.ctx, handler, phoneRequest());
    expect(await refusal(phoneRequest({ supersedes: { id: first.id, reason: ' ' } }))).toMatchObject({ code: 'validation_failed', field: 'supersedes.reason' });
    expect(await refusal(phoneRequest({ supersedes: { id: 'vr_nosuchrecord000', reason: '更正' } }))).toMatchObject({ code: 'validation_failed', field: 'supersedes.id' });
    // Another organisation's record is answered as absent.
    expect(await refusal(phoneRequest({ supersedes: { id: first.id, reason: '更正' } }), otherOrgHandler)).toMatchObject({ field: 'supersedes.id' });

    const { record: second } = await recordVerification(t.ctx, handler, phoneRequest({ result: 'unverifiable', supersedes: { id: first.id, reason: '通话对象并非经办人，改为无法核实' } }));
    expect(second.supersedes).toEqual({ id: first.id, reason: '通话对象并非经办人，改为无法核实' });
    expect(await getVerificationRecord(t.ctx, handler, first.id)).toMatchObject({ supersededBy: second.id });
    const again = await refusal(phoneRequest({ supersedes: { id: first.id, reason: '再次更正' } }));
    expect(again).toMatchObject({ code: 'conflict', field: 'supersedes.id', details: { supersededBy: second.id } });
    // The latest record can be corrected in turn.
    const { record: third } = await recordVerification(t.ctx, handler, phoneRequest({ supersedes: { id: second.id, reason: '复核后确认真实有效' } }));
    expect(await getVerificationRecord(t.ctx, handler, second.id)).toMatchObject({ supersededBy: third.id });
  });

  it('lets only one of two concurrent corrections win', async () => {
    const { record: first } = await recordVerification(t.ctx, handler, phoneRequest());
    const outcomes = await Promise.allSettled(
      [1, 2, 3].map((n) => recordVerification(t.ctx, handler, phoneRequest({ supersedes: { id: first.id, reason: `更正 ${n}` } }))),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes.filter((o) => o.status === 'rejected')) expect((o as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' });
  });
});

describe('idempotency, concurrency, reading', () => {
  it('returns the same record for a retry, refuses a different body under the same key', async () => {
    const a = await recordVerification(t.ctx, handler, otherRequest(), 'key-1');
    const b = await recordVerification(t.ctx, handler, otherRequest(), 'key-1');
    expect(b).toEqual({ record: a.record, created: false });
    await expect(recordVerification(t.ctx, handler, phoneRequest(), 'key-1')).rejects.toMatchObject({ code: 'idempotency_conflict' });
    // Keys are per organisation.
    expect((await recordVerification(t.ctx, otherOrgHandler, otherRequest(), 'key-1')).created).toBe(true);
    // Concurrent retries: one record.
    const racing = await Promise.all([1, 2, 3, 4].map(() => recordVerification(t.ctx, handler, otherRequest(), 'key-2')));
    expect(new Set(racing.map((r) => r.record.id)).size).toBe(1);
    expect(racing.filter((r) => r.created)).toHaveLength(1);
  });

  it('chains concurrent appends without gaps', async () => {
    const before = (await t.ctx.verificationRecords.tip()).seq;
    const results = await Promise.all(Array.from({ length: 20 }, () => recordVerification(t.ctx, handler, phoneRequest())));
    expect(results.map((r) => r.record.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => before + 1 + i));
    let prev = before === 0 ? GENESIS_HASH : (await t.ctx.verificationRecords.rowsAfter(before - 1, 1))[0]!.hash;
    for await (const row of t.ctx.verificationRecords.rowsInChainOrder()) {
      if (row.seq <= before) continue;
      expect(row.prev_hash).toBe(prev);
      prev = row.hash;
    }
  });

  it('reads only the caller’s organisation, with the list filters', async () => {
    const nn = await recordVerification(t.ctx, otherOrgHandler, phoneRequest({ subject: { ...phoneRequest().subject, holderName: '王小明', idNumber: '450102198005120019' }, result: 'not_genuine' }));
    await expect(getVerificationRecord(t.ctx, handler, nn.record.id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await getVerificationRecord(t.ctx, otherOrgHandler, nn.record.id)).record).toEqual(nn.record);

    const mine = await listVerificationRecords(t.ctx, otherOrgHandler, {});
    expect(mine.items.every((item) => item.record.orgCode === 'NNZGB')).toBe(true);
    expect(mine.items[0]!.record.seq).toBeGreaterThan(mine.items.at(-1)!.record.seq); // newest first
    expect((await listVerificationRecords(t.ctx, otherOrgHandler, { holder: '王小明' })).items.map((i) => i.record.id)).toEqual([nn.record.id]);
    expect((await listVerificationRecords(t.ctx, otherOrgHandler, { idNumber: '450102198005120019', result: 'not_genuine', method: 'phone' })).total).toBe(1);
    expect((await listVerificationRecords(t.ctx, otherOrgHandler, { result: 'genuine', method: 'phone' })).total).toBe(0);

    const all = await listVerificationRecords(t.ctx, handler, { pageSize: 5 });
    expect(all.items).toHaveLength(5);
    expect(all.total).toBeGreaterThan(5);
    const page2 = await listVerificationRecords(t.ctx, handler, { pageSize: 5, page: 2 });
    expect(page2.items[0]!.record.seq).toBeLessThan(all.items[4]!.record.seq);
    // Dates are China dates on the time of the check: 2026-11-20 10:30 +08:00 falls on the 20th.
    const day = await listVerificationRecords(t.ctx, handler, { from: '2026-11-20', to: '2026-11-20', pageSize: 200 });
    expect(day.total).toBeGreaterThan(0);
    expect(day.items.every((i) => i.record.checkedAt.startsWith('2026-11-20'))).toBe(true);
    expect((await listVerificationRecords(t.ctx, handler, { from: '2026-11-21', to: '2026-11-27' })).total).toBe(0);
    expect((await listVerificationRecords(t.ctx, handler, { from: '2026-11-28' })).total).toBe(1);
    await expect(listVerificationRecords(t.ctx, handler, { result: 'maybe' })).rejects.toMatchObject({ field: 'result' });
    await expect(listVerificationRecords(t.ctx, handler, { pageSize: 1000 })).rejects.toMatchObject({ field: 'pageSize' });
    await expect(listVerificationRecords(t.ctx, handler, { from: '2026-13-01' })).rejects.toMatchObject({ field: 'from' });
  });
});
