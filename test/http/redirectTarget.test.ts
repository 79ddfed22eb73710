/** Redirect targets from the request (issue 12 B8): only a plain same-origin path passes, everything else is refused. */
import { describe, expect, it } from 'vitest';
import { MAX_REDIRECT_TARGET_LENGTH, sameOriginPath } from '../../src/http/redirectTarget.js';
import { CLASSIC_TARGETS, generatedTargets, isSameOriginPath, mustBeRefused, UNSAFE_CHARACTERS } from '../support/hostileTargets.js';

const BASE = 'http://ecert.test';

describe('sameOriginPath', () => {
  it('keeps the paths our pages link to', () => {
    for (const path of ['/console', '/console/cases?status=draft&page=2', '/verify', '/v/26K7Q2M9XH4?s=AbC-_9', '/console/records/vr_1#top']) {
      expect(sameOriginPath(path)).toBe(path);
    }
  });

  it('percent-encodes what a header cannot carry', () => {
    expect(sameOriginPath('/verify?name=张三')).toBe('/verify?name=%E5%BC%A0%E4%B8%89');
    expect(sameOriginPath('/测试#片段')).toBe('/%E6%B5%8B%E8%AF%95#%E7%89%87%E6%AE%B5');
    expect(sameOriginPath('/a"<b>')).toBe('/a%22%3Cb%3E');
  });

  it.each([
    ['/\u0000'],
    ['/\u007f'],
    ['/\u0085'],
    ['/\t/evil.example'],
    ['/\r\nSet-Cookie: x=1'],
    ['/\u2028'],
    ['/\u200b'],
    ['//evil.example'],
    ['/\\evil.example'],
    ['\\\\evil.example'],
    ['/..//evil.example'],
    ['/.//evil.example'],
    ['/console/../..//evil.example'],
    ['https://evil.example/'],
    ['javascript:alert(1)'],
    ['console'],
    [''],
    ['/' + 'a'.repeat(MAX_REDIRECT_TARGET_LENGTH)],
    ['/' + '测'.repeat(700)], // short enough as text, too long once percent-encoded
  ])('refuses %j', (target) => {
    expect(sameOriginPath(target)).toBeUndefined();
  });

  it('refuses what is not a string', () => {
    for (const value of [undefined, null, 42, ['/console'], { toString: () => '/console' }]) expect(sameOriginPath(value)).toBeUndefined();
  });

  it('every unsafe character, at the start, in the middle and at the end of a path: refused', () => {
    for (const ch of UNSAFE_CHARACTERS) {
      for (const target of [`/${ch}`, `/console${ch}`, `/con${ch}sole?x=1`, `/console#${ch}`]) expect(sameOriginPath(target), JSON.stringify(target)).toBeUndefined();
    }
  });

  it(`${CLASSIC_TARGETS.length} classics and 5,000 generated targets: a same-origin path or nothing, and nothing at all for a hostile one`, () => {
    for (const target of [...CLASSIC_TARGETS, ...generatedTargets(5000)]) {
      const path = sameOriginPath(target);
      if (path === undefined) continue;
      expect(mustBeRefused(target), JSON.stringify(target)).toBe(false);
      expect(isSameOriginPath(path, BASE), JSON.stringify([target, path])).toBe(true);
      expect(path.length).toBeLessThanOrEqual(MAX_REDIRECT_TARGET_LENGTH);
      expect(() => new Headers({ Location: path })).not.toThrow();
    }
  });
});
