/**
 * 统一社会信用代码 (issue 16 item 1): the GB 32100-2015 check character, on codes published on business
 * licences and the same codes with one character changed.
 */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { checkUscc, isValidUscc, usccCheckCharacter, usccFault } from '../../src/domain/uscc.js';

// Published codes: the example GB 32100 guides cite, 华为技术有限公司, 深圳市腾讯计算机系统有限公司,
// 阿里巴巴（中国）有限公司, 中国石油天然气集团有限公司, 万科企业股份有限公司.
const PUBLISHED = ['91350100M000100Y43', '91440300708461136T', '9144030071526726XG', '91330100716105852F', '91110000100010433L', '914403001922038216'];

function refusal(input: string): DomainError {
  try {
    checkUscc(input);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`accepted ${input}`);
}

describe('USCC check character (GB 32100-2015)', () => {
  it.each(PUBLISHED)('accepts the published code %s', (code) => {
    expect(isValidUscc(code)).toBe(true);
    expect(usccCheckCharacter(code.slice(0, 17))).toBe(code[17]);
  });

  it('refuses each published code with its check character changed, naming the one it should be', () => {
    for (const code of PUBLISHED) {
      const wrong = `${code.slice(0, 17)}${code[17] === '0' ? '1' : '0'}`;
      expect(usccFault(wrong)).toEqual({ kind: 'check', expected: code[17], found: wrong[17] });
      const error = refusal(wrong);
      expect(error.code).toBe('validation_failed');
      expect(error.field).toBe('uscc');
      expect(error.zh).toContain(`应为“${code[17]}”`);
      expect(error.en).toContain(`calls for “${code[17]}”`);
    }
  });

  it('refuses a transposition of two body characters (what a check character is for)', () => {
    expect(isValidUscc('91350100M000010Y43')).toBe(false);
  });

  it('maps a remainder of 0 to check character 0, not 31', () => {
    // 17 zeros: sum 0, 31 - 0 = 31 → 0.
    expect(usccCheckCharacter('00000000000000000')).toBe('0');
    expect(isValidUscc('000000000000000000')).toBe(true);
  });

  it('refuses wrong lengths and characters GB 32100 never uses', () => {
    expect(usccFault('91350100M000100Y4')).toEqual({ kind: 'length', length: 17 });
    expect(usccFault('91350100M0001000Y43')).toEqual({ kind: 'length', length: 19 });
    expect(usccFault('91350100I000100Y43')).toEqual({ kind: 'character', position: 9, character: 'I' });
    expect(refusal('91350100O000100Y43').zh).toContain('第 9 位“O”');
    expect(refusal('913501００M000100Y43').en).toContain('not allowed');
  });

  it('tidies what was entered: blank is none, lower case and spaces are forgiven', () => {
    expect(checkUscc('  ')).toBeUndefined();
    expect(checkUscc(null)).toBeUndefined();
    expect(checkUscc(' 91350100m000100y43 ')).toBe('91350100M000100Y43');
  });
});
