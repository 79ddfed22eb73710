/** Issue 17 item 2: how long a share link lives, what its purpose may say and what state it is in. */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { checkPurpose, MAX_ACTIVE_SHARES, shareExpiry, shareState } from '../../src/domain/shareLink.js';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof DomainError ? { code: error.code, field: error.field } : error;
  }
  return undefined;
};

describe('share links', () => {
  it('live 1–90 whole days from the server clock', () => {
    const now = new Date('2026-12-01T16:30:00Z');
    expect(shareExpiry(now, 1).toISOString()).toBe('2026-12-02T16:30:00.000Z');
    expect(shareExpiry(now, 90).toISOString()).toBe('2027-03-01T16:30:00.000Z');
    for (const days of [0, 91, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(refusal(() => shareExpiry(now, days))).toEqual({ code: 'validation_failed', field: 'days' });
  });

  it('a purpose is 1–100 characters without control or invisible ones, trimmed and NFC', () => {
    expect(checkPurpose('  应聘工程师岗位 ')).toBe('应聘工程师岗位');
    expect(checkPurpose('e\u0301')).toBe('é');
    expect(checkPurpose('字'.repeat(100))).toHaveLength(100);
    for (const bad of ['', '   ', '字'.repeat(101), 'a\u0000b', '应聘\u202e岗位', 'a\u200bb', 'a\nb']) expect(refusal(() => checkPurpose(bad))).toEqual({ code: 'validation_failed', field: 'purpose' });
  });

  it('ended beats expired; a link is live strictly before its expiry', () => {
    const link = { expiresAt: '2026-12-08T16:30:00.000Z', endedAt: null };
    expect(shareState(link, new Date('2026-12-08T16:29:59Z'))).toBe('active');
    expect(shareState(link, new Date('2026-12-08T16:30:00Z'))).toBe('expired');
    expect(shareState({ ...link, endedAt: '2026-12-02T00:00:00Z' }, new Date('2026-12-03T00:00:00Z'))).toBe('ended');
    expect(MAX_ACTIVE_SHARES).toBe(3);
  });
});
