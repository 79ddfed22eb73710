import { describe, expect, it } from 'vitest';
import {
  formatCertificateNumber,
  isValidCertificateNumber,
  newCertificateNumber,
  normaliseCertificateNumber,
} from '../../src/domain/certificateNumber.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A deterministic random source (xorshift32), so a failing case can be reproduced. */
function seeded(seed: number): (n: number) => Uint8Array {
  let x = seed >>> 0 || 1;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      out[i] = x & 0xff;
    }
    return out;
  };
}

function sample(count: number): string[] {
  const random = seeded(20260318);
  return Array.from({ length: count }, (_, i) => newCertificateNumber(2000 + (i % 100), random));
}

describe('newCertificateNumber', () => {
  it('makes 11 Crockford base32 characters: 2-digit year, 8 random, 1 check', () => {
    const n = newCertificateNumber(2026);
    expect(n).toMatch(/^26[0-9A-HJKMNP-TV-Z]{9}$/);
    expect(isValidCertificateNumber(n)).toBe(true);
    expect(newCertificateNumber(2005, seeded(1)).slice(0, 2)).toBe('05');
  });

  it('takes the 8 random symbols from the random source', () => {
    const symbols = 'K7Q2M9XH';
    const n = newCertificateNumber(2026, () => Uint8Array.from([...symbols].map((c) => ALPHABET.indexOf(c) + 64)));
    expect(n).toBe('26K7Q2M9XHT');
  });

  it('uses every symbol in random positions, and does not repeat in practice', () => {
    const numbers = sample(2000);
    expect(new Set(numbers).size).toBe(numbers.length);
    const seen = new Set(numbers.flatMap((n) => [...n.slice(2, 10)]));
    expect(seen.size).toBe(32);
  });

  it('refuses a year outside 2000–2099 and a short random source', () => {
    for (const year of [1999, 2100, 2026.5, Number.NaN]) expect(() => newCertificateNumber(year)).toThrow(RangeError);
    expect(() => newCertificateNumber(2026, () => new Uint8Array(7))).toThrow(RangeError);
  });
});

describe('the check symbol', () => {
  const numbers = sample(300);

  it('catches every single wrong character, in every position', () => {
    let tried = 0;
    for (const n of numbers) {
      for (let i = 0; i < n.length; i++) {
        for (const ch of ALPHABET) {
          if (ch === n[i]) continue;
          const altered = n.slice(0, i) + ch + n.slice(i + 1);
          if (isValidCertificateNumber(altered)) throw new Error(`${altered} accepted (from ${n})`);
          tried++;
        }
      }
    }
    expect(tried).toBe(numbers.length * 11 * 31);
  });

  it('catches every swap of two different neighbouring characters, the check symbol included', () => {
    let tried = 0;
    for (const n of numbers) {
      for (let i = 0; i + 1 < n.length; i++) {
        if (n[i] === n[i + 1]) continue;
        const swapped = n.slice(0, i) + n[i + 1] + n[i] + n.slice(i + 2);
        if (isValidCertificateNumber(swapped)) throw new Error(`${swapped} accepted (from ${n})`);
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(numbers.length * 9);
  });

  it('catches the errors of a typed year too, where the format alone would not', () => {
    const n = newCertificateNumber(2026, seeded(7));
    expect(isValidCertificateNumber(`62${n.slice(2)}`)).toBe(false);
    expect(isValidCertificateNumber(`25${n.slice(2)}`)).toBe(false);
  });

  it('accepts exactly one check symbol for each 10-character body', () => {
    for (const n of numbers.slice(0, 50)) {
      const body = n.slice(0, 10);
      expect([...ALPHABET].filter((c) => isValidCertificateNumber(body + c))).toEqual([n[10]]);
    }
  });
});

describe('isValidCertificateNumber', () => {
  it('wants the canonical form only', () => {
    expect(isValidCertificateNumber('26K7Q2M9XHT')).toBe(true);
    for (const s of ['26k7q2m9xht', '26K7-Q2M9-XHT', ' 26K7Q2M9XHT', '26K7Q2M9XH', '26K7Q2M9XHTT', '', 'AAK7Q2M9XHT', '26K7Q2M9XUT']) {
      expect(isValidCertificateNumber(s), s).toBe(false);
    }
  });
});

describe('normaliseCertificateNumber', () => {
  it('accepts lower case, spaces and hyphens', () => {
    expect(normaliseCertificateNumber('26k7-q2m9-xht')).toBe('26K7Q2M9XHT');
    expect(normaliseCertificateNumber(' 26K7 Q2M9 XHT\n')).toBe('26K7Q2M9XHT');
  });

  it('reads O as 0 and I or L as 1', () => {
    const random = seeded(99);
    let checked = 0;
    for (let k = 0; k < 500 && checked < 20; k++) {
      const n = newCertificateNumber(2010, random);
      if (!/[01]/.test(n)) continue;
      const typed = n.replace(/0/g, 'o').replace(/1/g, () => (checked % 2 ? 'I' : 'l'));
      expect(normaliseCertificateNumber(typed), typed).toBe(n);
      checked++;
    }
    expect(checked).toBe(20);
  });

  it('returns undefined for a wrong check symbol or a wrong shape', () => {
    expect(normaliseCertificateNumber('26k7-q2m9-xhv')).toBeUndefined();
    expect(normaliseCertificateNumber('26K7Q2M9XH')).toBeUndefined();
    expect(normaliseCertificateNumber('26K7Q2M9XUT')).toBeUndefined();
    expect(normaliseCertificateNumber('26K7_Q2M9_XHT')).toBeUndefined();
    expect(normaliseCertificateNumber('')).toBeUndefined();
  });
});

describe('formatCertificateNumber', () => {
  it('groups 4-4-3 for display', () => {
    expect(formatCertificateNumber('26K7Q2M9XHT')).toBe('26K7-Q2M9-XHT');
    expect(formatCertificateNumber('26k7 q2m9 xht')).toBe('26K7-Q2M9-XHT');
  });

  it('round-trips through normalise', () => {
    for (const n of sample(50)) expect(normaliseCertificateNumber(formatCertificateNumber(n))).toBe(n);
  });

  it('refuses to display an invalid number', () => {
    expect(() => formatCertificateNumber('26K7Q2M9XHV')).toThrow(RangeError);
  });
});
