/**
 * 电子证照标识 (issue 19 item 1): the ISO/IEC 7064 MOD 37,36 check character against examples worked by hand
 * and against a second implementation in Python written the other way round (it tries every character and
 * keeps the one that validates), never against the module itself; build, parse, and the words of a refusal.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  buildLicenceIdentifier,
  checkLicenceIdentifier,
  DEMO_AUTHORITY_USCCS,
  DEMO_LICENCE_TYPE_CODE,
  licenceTypeCodeFault,
  mod37_36CheckCharacter,
  parseLicenceIdentifier,
} from '../../src/domain/licenceIdentifier.js';
import { DomainError } from '../../src/domain/errors.js';
import { isValidUscc } from '../../src/domain/uscc.js';

// ISO/IEC 7064 hybrid check, validation form: a string with its check character is right when, starting
// from p = 36 and for every character (the check one included) s = (p + value) mod 36 (0 → 36) and
// p = 2s mod 37 except after the last, the final s is 1. Python tries all 36 characters and keeps that one.
const PYTHON = `
import sys
A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
def valid(text):
    p = 36
    for i, ch in enumerate(text):
        s = (p + A.index(ch)) % 36 or 36
        if i == len(text) - 1:
            return s == 1
        p = (s * 2) % 37
for line in sys.stdin.read().split():
    print([c for c in A if valid(line + c)][0])
`;
function pythonCheck(inputs: string[]): string[] {
  return execFileSync('python3', ['-c', PYTHON], { input: inputs.join('\n') }).toString().trim().split('\n');
}

describe('ISO/IEC 7064 MOD 37,36 check character', () => {
  it('matches examples worked by hand', () => {
    // "A1": p = 36. 'A' = 10: s = (36 + 10) mod 36 = 10, p = 2·10 mod 37 = 20.
    //       '1' = 1:  s = (20 + 1) mod 36 = 21,  p = 2·21 mod 37 = 42 − 37 = 5.
    //       check c: (5 + c) mod 36 = 1 → c = 32 → 'W' (A = 10 … W = 32).
    expect(mod37_36CheckCharacter('A1')).toBe('W');
    // "0": p = 36. '0' = 0: s = 36 mod 36 = 0, counted as 36; p = 72 mod 37 = 35. c: (35 + c) mod 36 = 1 → c = 2 → '2'.
    expect(mod37_36CheckCharacter('0')).toBe('2');
    // "Z9": p = 36. 'Z' = 35: s = 71 mod 36 = 35, p = 70 mod 37 = 33.
    //       '9' = 9: s = 42 mod 36 = 6, p = 12. c: (12 + c) mod 36 = 1 → c = 25 → 'P'.
    expect(mod37_36CheckCharacter('Z9')).toBe('P');
    expect(mod37_36CheckCharacter('a1')).toBeUndefined(); // outside the alphabet
  });

  it('agrees with the Python implementation on identifiers and random strings', () => {
    const inputs = [`${DEMO_LICENCE_TYPE_CODE}${DEMO_AUTHORITY_USCCS.GXZGB}00000001001`, `${DEMO_LICENCE_TYPE_CODE}${DEMO_AUTHORITY_USCCS.NNZGB}00001234002`];
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    for (let i = 0; i < 200; i += 1) {
      const length = 1 + (i % 60);
      inputs.push(Array.from({ length }, () => alphabet[Math.floor(Math.random() * 36)]).join(''));
    }
    expect(inputs.map((s) => mod37_36CheckCharacter(s))).toEqual(pythonCheck(inputs));
  });
});

describe('the identifier', () => {
  const parts = { typeCode: DEMO_LICENCE_TYPE_CODE, authorityCode: DEMO_AUTHORITY_USCCS.GXZGB!, serial: 1, version: '001' };

  it('is built from its four fields and parsed back', () => {
    const id = buildLicenceIdentifier(parts);
    const [check] = pythonCheck([`${DEMO_LICENCE_TYPE_CODE}${DEMO_AUTHORITY_USCCS.GXZGB}00000001001`]);
    expect(id).toBe(`1.2.156.3005.2.11100000DEM0000018001.11450000DEM0000011.00000001.001.${check}`);
    expect(id).toBe('1.2.156.3005.2.11100000DEM0000018001.11450000DEM0000011.00000001.001.F'); // the README's example, walked there by hand
    expect(parseLicenceIdentifier(id)).toEqual({ ok: true, identifier: id, parts });
    expect(parseLicenceIdentifier(` ${id.toLowerCase()} `)).toMatchObject({ ok: true, identifier: id });
    // Version 002 of the same serial (a correction, issue 19 item 2) is another identifier with its own check.
    const v2 = buildLicenceIdentifier({ ...parts, version: '002' });
    expect(v2.slice(0, -2)).toBe(id.slice(0, -5) + '002');
    expect(parseLicenceIdentifier(v2)).toMatchObject({ ok: true, parts: { serial: 1, version: '002' } });
  });

  it('refuses a wrong check character, saying so in Chinese and English (not "not found")', () => {
    const id = buildLicenceIdentifier(parts);
    const wrong = id.slice(0, -1) + (id.endsWith('0') ? '1' : '0');
    expect(parseLicenceIdentifier(wrong)).toMatchObject({ ok: false, fault: { kind: 'check', expected: id.slice(-1) } });
    let error: unknown;
    try {
      checkLicenceIdentifier(wrong);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('validation_failed');
    expect((error as DomainError).zh).toContain('校验位错误');
    expect((error as DomainError).en).toContain('check character is wrong');
    // One changed serial digit is caught by the check character too.
    expect(parseLicenceIdentifier(id.replace('.00000001.', '.00000002.'))).toMatchObject({ ok: false, fault: { kind: 'check' } });
  });

  it('tells a malformed identifier apart, and refuses bad fields when building', () => {
    expect(parseLicenceIdentifier('1.2.156.3005.2.x')).toEqual({ ok: false, fault: { kind: 'format' } });
    expect(parseLicenceIdentifier(buildLicenceIdentifier(parts).replace(DEMO_AUTHORITY_USCCS.GXZGB!, '11450000DEM0000012'))).toMatchObject({ ok: false, fault: { kind: 'authority_code' } });
    expect(() => buildLicenceIdentifier({ ...parts, serial: 0 })).toThrow(RangeError);
    expect(() => buildLicenceIdentifier({ ...parts, version: '000' })).toThrow(RangeError);
    expect(licenceTypeCodeFault(DEMO_LICENCE_TYPE_CODE)).toBeUndefined();
    expect(licenceTypeCodeFault('11100000DEM0000019001')?.zh).toContain('统一社会信用代码');
    expect(licenceTypeCodeFault('11100000DEM000001800')?.zh).toContain('21 位');
    for (const uscc of Object.values(DEMO_AUTHORITY_USCCS)) expect(isValidUscc(uscc)).toBe(true);
  });
});
