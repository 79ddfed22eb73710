/**
 * @module domain/uscc
 * 统一社会信用代码 (Unified Social Credit Code, USCC): the 18-character code every Chinese organisation
 * holds, checked by its last character as GB 32100-2015 §4 defines it. Issue 16 item 1: an organisation's
 * electronic seal names its USCC, so the code an admin enters must at least be one that could exist.
 */
import { DomainError } from './errors.js';

/** GB 32100-2015 code characters: digits and capitals without I, O, S, V, Z (value = position). */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Weights of positions 1–17: 3^(i-1) mod 31 (GB 32100-2015 §4.2). */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** The check character the first 17 characters call for; undefined when one of them is not a code character. */
export function usccCheckCharacter(first17: string): string | undefined {
  if (first17.length !== 17) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = USCC_CHARSET.indexOf(first17[i]!);
    if (value < 0) return undefined;
    sum += value * WEIGHTS[i]!;
  }
  const check = 31 - (sum % 31);
  return USCC_CHARSET[check === 31 ? 0 : check];
}

export type UsccFault =
  | { kind: 'length'; length: number }
  | { kind: 'character'; position: number; character: string }
  | { kind: 'check'; expected: string; found: string };

/** What is wrong with a USCC, or undefined when it is well formed with the right check character. */
export function usccFault(code: string): UsccFault | undefined {
  const chars = [...code];
  if (chars.length !== 18) return { kind: 'length', length: chars.length };
  const bad = chars.findIndex((c) => !USCC_CHARSET.includes(c));
  if (bad >= 0) return { kind: 'character', position: bad + 1, character: chars[bad]! };
  const expected = usccCheckCharacter(code.slice(0, 17))!;
  return expected === chars[17] ? undefined : { kind: 'check', expected, found: chars[17]! };
}

/** @example isValidUscc('91350100M000100Y43') // true */
export function isValidUscc(code: string): boolean {
  return usccFault(code) === undefined;
}

/**
 * Trims and upper-cases an entered USCC and checks it (GB 32100-2015); blank means none (undefined). Throws
 * `validation_failed` on `field`, naming the bad character or the check character it should have.
 * @example checkUscc(' 91350100m000100y43 ') // '91350100M000100Y43'
 */
export function checkUscc(input: string | null | undefined, field = 'uscc'): string | undefined {
  const code = (input ?? '').trim().toUpperCase();
  if (code === '') return undefined;
  const fault = usccFault(code);
  if (!fault) return code;
  const refuse = (zh: string, en: string) => new DomainError('validation_failed', { zh, en }, field, { fault });
  switch (fault.kind) {
    case 'length':
      throw refuse(`统一社会信用代码应为 18 位，现为 ${fault.length} 位`, `A unified social credit code has 18 characters, not ${fault.length}`);
    case 'character':
      throw refuse(
        `统一社会信用代码第 ${fault.position} 位“${fault.character}”不是有效字符（不使用 I、O、S、V、Z）`,
        `Character ${fault.position} of the unified social credit code, “${fault.character}”, is not allowed (I, O, S, V and Z are never used)`,
      );
    case 'check':
      throw refuse(
        `统一社会信用代码校验位错误：第 18 位为“${fault.found}”，按 GB 32100-2015 应为“${fault.expected}”`,
        `The unified social credit code's check character is wrong: the 18th is “${fault.found}”, GB 32100-2015 calls for “${fault.expected}”`,
      );
  }
}
