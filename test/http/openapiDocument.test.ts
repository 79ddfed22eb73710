/**
 * The one repair the served API document needs from us: zod-to-openapi writes a RegExp with flags as
 * `source/flags`; the document must carry the pattern alone (the contract test checks the served document).
 */
import { describe, expect, it } from 'vitest';
import { patternWithoutFlags } from '../../src/http/openapiDocument.js';

describe('patternWithoutFlags', () => {
  it('drops the u flag zod-to-openapi leaks, keeping the pattern exactly', () => {
    const printable = /^[^\p{Cc}\p{Cs}\p{Cf}\p{Zl}\p{Zp}]*$/u;
    const leaked = printable.toString().replace(/^\/|\/$/g, ''); // what zod-to-openapi 9.1 writes
    expect(leaked.endsWith('/u')).toBe(true);
    expect(patternWithoutFlags(leaked)).toBe(printable.source);
    expect(new RegExp(patternWithoutFlags(leaked), 'u').test('张三丰')).toBe(true);
  });

  it('leaves patterns without flags alone, including one ending in an escaped slash and letters', () => {
    for (const re of [/^\d{4}-\d{2}-\d{2}$/, /^a\/u$/, /a\/u/, /^[A-Z0-9]{2,20}$/, /\\/]) {
      const written = re.toString().replace(/^\/|\/$/g, '');
      expect(patternWithoutFlags(written), re.source).toBe(re.source);
    }
  });

  it('refuses a flag JSON Schema cannot say (case-insensitive, multiline, …) rather than change its meaning', () => {
    for (const re of [/abc/i, /^a$/m, /a.b/s, /a/gu]) {
      expect(() => patternWithoutFlags(re.toString().replace(/^\/|\/$/g, '')), re.toString()).toThrow(/cannot be written/);
    }
    // a pattern with an escaped backslash right before the separator is still read as source + flags
    expect(patternWithoutFlags(/a\\/u.toString().replace(/^\/|\/$/g, ''))).toBe('a\\\\');
  });
});
