/**
 * @module domain/shareLink
 * A holder's share link (加注, issue 17 item 2): the holder hands one certificate to one verifier for one
 * purpose and a limited time, as 中国人事考试网 makes a holder annotate an e-certificate before use (at most
 * 90 days, at most three at a time). The notice's own ground: a certificate is the holder's proof of the
 * title (二(二)4), and the ID number stays masked wherever a stranger reads it (四(四), personal data).
 * Pure rules: how long, how many, what a purpose may say, and what state a link is in at an instant.
 */
import { DomainError, type Message } from './errors.js';

/** At most this many live links per certificate (issue 17 item 2, after 中国人事考试网's 加注). */
export const MAX_ACTIVE_SHARES = 3;
/** A link lives 1–90 whole days from when it is made (issue 17 item 2). */
export const MIN_SHARE_DAYS = 1;
export const MAX_SHARE_DAYS = 90;
/** A purpose is a short phrase a verifier reads (e.g. 应聘某公司工程师岗位). */
export const MAX_PURPOSE_CHARS = 100;

export type ShareState = 'active' | 'ended' | 'expired';

export const SHARE_STATE_NAMES: Record<ShareState, Message> = {
  active: { zh: '有效', en: 'Active' },
  ended: { zh: '已由持证人终止', en: 'Ended by the holder' },
  expired: { zh: '已过期', en: 'Expired' },
};

// Controls, zero-width and bidi characters could hide or reorder what a verifier reads.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

/**
 * The purpose as it will be shown: trimmed, NFC, 1–100 characters, no control or invisible characters.
 * @example checkPurpose(' 应聘工程师岗位 ') // '应聘工程师岗位'
 */
export function checkPurpose(raw: string): string {
  const purpose = raw.normalize('NFC').trim();
  if (!purpose) throw new DomainError('validation_failed', { zh: '请填写用途（如：应聘某单位岗位）', en: 'Say what the link is for (e.g. a job application)' }, 'purpose');
  if ([...purpose].length > MAX_PURPOSE_CHARS) {
    throw new DomainError('validation_failed', { zh: `用途不能超过 ${MAX_PURPOSE_CHARS} 个字`, en: `The purpose may be ${MAX_PURPOSE_CHARS} characters at most` }, 'purpose', { maxLength: MAX_PURPOSE_CHARS });
  }
  if (UNSAFE.test(purpose)) throw new DomainError('validation_failed', { zh: '用途不能含控制字符或不可见字符', en: 'The purpose may not contain control or invisible characters' }, 'purpose');
  return purpose;
}

/**
 * When a link made at `now` for `days` days ends: the server's clock, never the client's (issue 17 item 2).
 * @example shareExpiry(new Date('2026-12-01T00:00:00Z'), 7).toISOString() // '2026-12-08T00:00:00.000Z'
 */
export function shareExpiry(now: Date, days: number): Date {
  if (!Number.isInteger(days) || days < MIN_SHARE_DAYS || days > MAX_SHARE_DAYS) {
    throw new DomainError('validation_failed', { zh: `有效天数须为 ${MIN_SHARE_DAYS}—${MAX_SHARE_DAYS} 的整数`, en: `days must be a whole number from ${MIN_SHARE_DAYS} to ${MAX_SHARE_DAYS}` }, 'days', {
      minimum: MIN_SHARE_DAYS,
      maximum: MAX_SHARE_DAYS,
    });
  }
  return new Date(now.getTime() + days * 86_400_000);
}

/** @example shareState({ expiresAt: '2026-12-08T00:00:00Z', endedAt: null }, new Date('2026-12-09T00:00:00Z')) // 'expired' */
export function shareState(link: { expiresAt: string; endedAt: string | null }, now: Date): ShareState {
  if (link.endedAt) return 'ended';
  return Date.parse(link.expiresAt) > now.getTime() ? 'active' : 'expired';
}

/** Refused when a certificate already has its three live links. */
export function tooManyShares(): DomainError {
  return new DomainError(
    'conflict',
    {
      zh: `此证书已有 ${MAX_ACTIVE_SHARES} 个有效的分享链接，请先终止其中一个再新建`,
      en: `This certificate already has ${MAX_ACTIVE_SHARES} active share links; end one before making another`,
    },
    'certificateNumber',
    { maxActive: MAX_ACTIVE_SHARES },
  );
}
