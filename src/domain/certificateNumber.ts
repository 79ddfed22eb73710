/**
 * @module domain/certificateNumber
 * The number printed on every e-certificate, typed back by whoever verifies it.
 *
 * Format — 11 characters of Crockford base32 (`0123456789ABCDEFGHJKMNPQRSTVWXYZ`; no I, L, O or U, so
 * nothing reads as another character), displayed in groups of 4-4-3 such as `26K7-Q2M9-XHT`:
 *
 * | chars | meaning |
 * |---|---|
 * | 1–2  | year of issue, two decimal digits (`26` = 2026) — lets a clerk sort paper copies |
 * | 3–10 | 8 random symbols, 40 bits: numbers cannot be guessed or enumerated |
 * | 11   | check symbol |
 *
 * Check symbol. Each symbol is its value 0–31, read as an element of GF(2⁵) built on the irreducible
 * polynomial x⁵ + x² + 1. Reading left to right, `interim = 2·interim ⊕ symbol` (multiplication in the
 * field, ⊕ its addition, which is XOR); the check symbol is the one that makes the final interim 0.
 * The result is Σ 2^(10−i)·sᵢ over the 11 positions, so:
 * - one wrong symbol changes the sum by 2^k·(s ⊕ s′) ≠ 0 — the field has no zero divisors;
 * - swapping neighbours s, t changes it by 2^k·(2 ⊕ 1)·(s ⊕ t) ≠ 0 when s ≠ t, because 2 ≠ 1 —
 *   the check symbol included, since it is just the 11th position.
 * Every single error and every adjacent transposition is therefore caught (so are twin errors
 * ss→tt and jump transpositions s·t→t·s, by the same argument with 2 ⊕ 1 and 4 ⊕ 1).
 * Input is forgiving where Crockford says it should be: lower case, spaces and hyphens, O for 0, I or L for 1.
 */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CANONICAL = /^[0-9]{2}[0-9A-HJKMNP-TV-Z]{9}$/;
const RANDOM_SYMBOLS = 8;
// x⁵ + x² + 1: irreducible over GF(2), so every non-zero residue has an inverse.
const FIELD_POLYNOMIAL = 0b100101;

/** 2·v in GF(2⁵): shift, and reduce by the field polynomial when x⁵ appears. */
function timesTwo(v: number): number {
  const shifted = v << 1;
  return shifted & 0b100000 ? shifted ^ FIELD_POLYNOMIAL : shifted;
}

/** The interim after reading `symbols`; assumes every character is in ALPHABET. */
function interimOf(symbols: string): number {
  let interim = 0;
  for (const ch of symbols) interim = timesTwo(interim) ^ ALPHABET.indexOf(ch);
  return interim;
}

function defaultRandom(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

/**
 * A fresh certificate number for `year` (2000–2099). `random(n)` must return n random bytes; the default
 * uses `crypto.getRandomValues`. Uniqueness is the caller's job (a unique index): 40 random bits make a
 * clash rare, not impossible.
 * @example
 * newCertificateNumber(2026) // e.g. '26K7Q2M9XHT'
 */
export function newCertificateNumber(year: number, random: (n: number) => Uint8Array = defaultRandom): string {
  if (!Number.isInteger(year) || year < 2000 || year > 2099) {
    throw new RangeError(`certificate year must be an integer from 2000 to 2099, got ${year}`);
  }
  const bytes = random(RANDOM_SYMBOLS);
  if (bytes.length < RANDOM_SYMBOLS) throw new RangeError(`random(${RANDOM_SYMBOLS}) returned ${bytes.length} bytes`);
  let body = String(year % 100).padStart(2, '0');
  // 256 is a multiple of 32, so the low 5 bits of a uniform byte are a uniform symbol.
  for (let i = 0; i < RANDOM_SYMBOLS; i++) body += ALPHABET[(bytes[i] ?? 0) & 31];
  // The check symbol c must satisfy 2·interim ⊕ c = 0, i.e. c = 2·interim.
  return body + ALPHABET[timesTwo(interimOf(body))];
}

/**
 * True only for a number in canonical form (upper case, no separators) whose check symbol is right.
 * @example
 * isValidCertificateNumber(newCertificateNumber(2026)) // true
 * isValidCertificateNumber('26k7-q2m9-xht') // false — normalise it first
 */
export function isValidCertificateNumber(s: string): boolean {
  return CANONICAL.test(s) && interimOf(s) === 0;
}

/**
 * Turns what a person typed into the canonical number, or `undefined` when it is not a valid number:
 * upper-cases, drops spaces and hyphens, reads O as 0 and I or L as 1, then checks the check symbol.
 * @example
 * normaliseCertificateNumber(' 26k7-q2m9-xht ') // '26K7Q2M9XHT'
 */
export function normaliseCertificateNumber(input: string): string | undefined {
  const canonical = input
    .toUpperCase()
    .replace(/[\s-]+/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return isValidCertificateNumber(canonical) ? canonical : undefined;
}

/**
 * The number grouped 4-4-3 for print and screen, where it is read aloud and copied by hand.
 * Throws `RangeError` for anything that is not a valid number: displaying one would be a bug.
 * @example
 * formatCertificateNumber('26K7Q2M9XHT') // '26K7-Q2M9-XHT'
 */
export function formatCertificateNumber(n: string): string {
  const canonical = normaliseCertificateNumber(n);
  if (canonical === undefined) throw new RangeError(`not a valid certificate number: ${n}`);
  return `${canonical.slice(0, 4)}-${canonical.slice(4, 8)}-${canonical.slice(8)}`;
}
