/**
 * The verification record's rules (attachment 2; notice 四(三)): what each method must carry, the result
 * sentence, and the canonical form the chain hashes.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CANONICAL_FIELDS, canonicalText, canonicalValues, chainHash, headDue, LOG_HEAD_EVERY, LOG_HEAD_MAX_AGE_MS } from '../../src/domain/recordChain.js';
import {
  GENESIS_HASH,
  missingDetails,
  missingRecordFields,
  parseInstant,
  resultSentence,
  type VerificationRecord,
} from '../../src/domain/verificationRecord.js';
import { sha256Hex } from '../../src/lib/bytes.js';

const fields = (request: Parameters<typeof missingDetails>[0]) => missingDetails(request).map((m) => m.field);

describe('missingDetails: each method carries what the note under attachment 2 asks for', () => {
  it('information system: name, an http(s) address, a screenshot', () => {
    expect(fields({ method: 'information_system' })).toEqual(['informationSystem.name', 'informationSystem.url', 'informationSystem.evidence']);
    for (const url of ['ftp://example.org/x', 'zcps.hunan.gov.cn', 'javascript:alert(1)', 'https://']) {
      expect(fields({ method: 'information_system', informationSystem: { name: 'x', url, evidence: 'data:' } }), url).toEqual(['informationSystem.url']);
    }
    expect(fields({ method: 'information_system', informationSystem: { name: '平台', url: 'http://10.0.0.1:8080/q?a=1', evidence: 'data:…' } })).toEqual([]);
  });

  it('letter: number, addressee, dates in order, the reply scan', () => {
    expect(fields({ method: 'letter', letter: {} })).toEqual(['letter.number', 'letter.sentTo', 'letter.sentOn', 'letter.repliedOn', 'letter.evidence']);
    const letter = { number: '函〔2026〕1号', sentTo: '湖南省人社厅', sentOn: '2026-11-02', repliedOn: '2026-11-02', evidence: 'data:…' };
    expect(fields({ method: 'letter', letter })).toEqual([]); // a same-day reply is possible
    expect(fields({ method: 'letter', letter: { ...letter, repliedOn: '2026-11-01' } })).toEqual(['letter.repliedOn']);
    expect(missingDetails({ method: 'letter', letter: { ...letter, sentOn: '2026-02-29' } })[0]!.message.zh).toBe('发函日期须为日期（YYYY-MM-DD）');
  });

  it('phone: the contact’s organisation, position, name, number, and the call time with an offset', () => {
    expect(fields({ method: 'phone' })).toEqual(['phone.organisation', 'phone.position', 'phone.name', 'phone.number', 'phone.calledAt']);
    const phone = { organisation: '湖南省人社厅', position: '科员', name: '王五', number: '0731-84900000', calledAt: '2026-11-20T10:30:00+08:00' };
    expect(fields({ method: 'phone', phone })).toEqual([]);
    expect(fields({ method: 'phone', phone: { ...phone, calledAt: '2026-11-20T10:30:00' } })).toEqual(['phone.calledAt']);
    expect(missingDetails({ method: 'phone', phone: { ...phone, number: ' ' } })[0]!.message).toEqual({
      zh: '缺少对方电话号码',
      en: 'the contact’s phone number is required (phone.number)',
    });
  });

  it('other: a description of the way', () => {
    expect(fields({ method: 'other', other: { description: '  ' } })).toEqual(['other.description']);
    expect(fields({ method: 'other', other: { description: '现场核验原件' } })).toEqual([]);
  });

  it('an unknown method is named', () => {
    expect(fields({ method: 'email' as never })).toEqual(['method']);
  });

  it('the record itself: subject, time of the check, result, text, handler', () => {
    expect(missingRecordFields({}).map((m) => m.field)).toEqual([
      'subject.holderName', 'subject.idNumber', 'subject.titleName', 'subject.evaluatingBody', 'subject.acquiredOn',
      'checkedAt', 'result', 'record', 'handler.name',
    ]);
  });
});

describe('times', () => {
  it('accepts ISO 8601 with an offset only, and stores China time', () => {
    expect(parseInstant('2026-11-20T10:30:00+08:00')?.toISOString()).toBe('2026-11-20T02:30:00.000Z');
    expect(parseInstant('2026-11-20T02:30Z')?.toISOString()).toBe('2026-11-20T02:30:00.000Z');
    for (const bad of ['2026-11-20T10:30:00', '2026-11-20', '2026-02-30T10:00:00+08:00', '2026-11-20T24:00:00+08:00', '2026-11-20T10:30:00+25:00', 42]) {
      expect(parseInstant(bad), String(bad)).toBeUndefined();
    }
  });
});

describe('resultSentence (attachment 2)', () => {
  const subject = { holderName: '李四', titleName: '高级工程师' };
  it('uses the notice’s words for a genuine title', () => {
    expect(resultSentence('genuine', subject).zh).toBe('经核实，李四同志取得的高级工程师职称真实有效。');
  });
  it('says plainly what was found otherwise', () => {
    expect(resultSentence('not_genuine', subject).zh).toBe('经核实，李四同志取得的高级工程师职称不真实。');
    expect(resultSentence('unverifiable', subject).zh).toBe('经核实，李四同志取得的高级工程师职称无法确认其真实性。');
  });
});

describe('the canonical form and the chain hash', () => {
  const record: Omit<VerificationRecord, 'hash'> = {
    seq: 1,
    id: 'vr_AAAAAAAAAAAAAAAA',
    orgCode: 'GXZGB',
    subject: { holderName: '李四', idNumber: '450103198501010026', titleName: '高级工程师', evaluatingBody: '湖南省评委会', acquiredOn: '2015-12-30' },
    details: { method: 'phone', phone: { organisation: '湖南省人社厅', position: '科员', name: '王五', number: '0731-84900000', calledAt: '2026-11-20T10:30:00+08:00' } },
    checkedAt: '2026-11-20T10:30:00+08:00',
    result: 'genuine',
    record: '电话核实。"引号"\\反斜杠\n换行',
    handler: { name: '赵六' },
    recordedOn: '2026-11-20',
    createdAt: '2026-11-20T02:31:00.000Z',
    writtenBy: 'tok_1',
    prevHash: GENESIS_HASH,
  };

  it('lists every stored field but the hash, in sorted order', () => {
    expect([...CANONICAL_FIELDS]).toEqual([...CANONICAL_FIELDS].sort());
    expect(CANONICAL_FIELDS).toHaveLength(22);
    const values = canonicalValues(record);
    expect(values[CANONICAL_FIELDS.indexOf('details')]).toBe('{"calledAt":"2026-11-20T10:30:00+08:00","name":"王五","number":"0731-84900000","organisation":"湖南省人社厅","position":"科员"}');
    expect(values[CANONICAL_FIELDS.indexOf('certificateNumber')]).toBeNull();
    expect(values[CANONICAL_FIELDS.indexOf('seq')]).toBe(1);
  });

  it('does not depend on key order, and stray properties never reach it', () => {
    const shuffled = JSON.parse(JSON.stringify(record)) as typeof record;
    const reordered = Object.fromEntries(Object.entries(shuffled).reverse()) as typeof record;
    expect(canonicalText(canonicalValues(reordered))).toBe(canonicalText(canonicalValues(record)));
    expect(canonicalText(canonicalValues({ ...record, extra: 'x' } as typeof record))).toBe(canonicalText(canonicalValues(record)));
  });

  it('changes with every field, seq and prevHash included', () => {
    const base = canonicalText(canonicalValues(record));
    const variants: Omit<VerificationRecord, 'hash'>[] = [
      { ...record, seq: 2 },
      { ...record, prevHash: '1'.repeat(64) },
      { ...record, subject: { ...record.subject, certificateNumber: 'HN1' } },
      { ...record, supersedes: { id: 'vr_x', reason: 'r' } },
      { ...record, applicationId: 'app-1' },
      { ...record, details: { method: 'other', other: { description: 'x' } } },
    ];
    for (const variant of variants) expect(canonicalText(canonicalValues(variant))).not.toBe(base);
  });

  it('hashes the same with WebCrypto and node:crypto', async () => {
    const { prevHash, ...rest } = record;
    const web = await chainHash(prevHash, rest, sha256Hex);
    const node = chainHash(prevHash, rest, (text) => createHash('sha256').update(text).digest('hex'));
    expect(web).toBe(node);
    expect(web).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('headDue: when the service signs the chain head', () => {
  const now = new Date('2026-11-20T02:00:00Z');
  it('signs the first head, every 100th record, and after 10 minutes', () => {
    expect(headDue(1, undefined, now)).toBe(true);
    expect(headDue(LOG_HEAD_EVERY * 3, now.toISOString(), now)).toBe(true);
    expect(headDue(301, now.toISOString(), now)).toBe(false);
    expect(headDue(301, new Date(now.getTime() - LOG_HEAD_MAX_AGE_MS + 1).toISOString(), now)).toBe(false);
    expect(headDue(301, new Date(now.getTime() - LOG_HEAD_MAX_AGE_MS).toISOString(), now)).toBe(true);
  });
});
