/** Issue 19 item 2 (attacker's review): whether a correction kept the holder, which decides what the old version's verifier is told. */
import { describe, expect, it } from 'vitest';
import { sameHolder } from '../../src/domain/certificate.js';
import { verdictSentence } from '../../src/services/verificationWords.js';

const holder = { name: '张三丰', idType: 'resident_id_card' as const, idNumber: '45010219800512001X' };

describe('sameHolder', () => {
  it('is the same person only with the same document kind, ID number and name', () => {
    expect(sameHolder(holder, { ...holder })).toBe(true);
    expect(sameHolder(holder, { ...holder, idNumber: '45010219800512001x' })).toBe(true); // the check letter's case
    expect(sameHolder(holder, { ...holder, name: '张三峰' })).toBe(false);
    expect(sameHolder(holder, { ...holder, idNumber: '110101199003074514' })).toBe(false);
    expect(sameHolder(holder, { ...holder, idType: 'passport' as never })).toBe(false);
    // The same name written composed or decomposed is the same name.
    expect(sameHolder({ ...holder, name: 'Ame\u0301lie' }, { ...holder, name: 'Amélie' })).toBe(true);
  });
});

describe('the 已变更 verdict', () => {
  const facts = { authority: { name: '广西壮族自治区职称改革工作领导小组办公室' } };
  it('names the current version only when the holder stayed the same', () => {
    const kept = verdictSentence('superseded', { ...facts, supersession: { at: '2026-11-30T02:00:00Z', by: facts.authority, holderChanged: false, current: { number: '26K7Q2M9XHT' } } } as never);
    expect(kept.zh).toContain('26K7Q2M9XHT');
    const changed = verdictSentence('superseded', { ...facts, supersession: { at: '2026-11-30T02:00:00Z', by: facts.authority, holderChanged: true } } as never);
    expect(changed.zh).toContain('2026年11月30日');
    expect(changed.zh).toContain('请其出示新版证书或新版核验链接');
    expect(changed.en).toContain('If the person showing it is the rightful holder');
    // Not "ask the holder": the person showing it may not be the one the corrected version names.
    expect(changed.zh).toContain('否则请联系广西壮族自治区职称改革工作领导小组办公室核实');
    expect(changed.en).not.toContain('Ask the holder');
    expect(changed.zh).not.toMatch(/证书编号/);
  });
});
