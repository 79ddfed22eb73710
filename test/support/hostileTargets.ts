/**
 * Hostile redirect targets for the fuzz tests of `/lang?back=` and `/login`'s `next` (issue 12 B8): control
 * characters, percent-encoded ones, other sites (`//evil`, `/\evil`, `https:`), whitespace browsers strip,
 * Unicode separators and invisible characters, dot segments, very long targets — the classics by hand and the
 * rest generated from a fixed seed, so a failure can be replayed.
 */

/** Characters that must never survive into a Location header (or must make the target refused). */
export const UNSAFE_CHARACTERS: string[] = [
  ...Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(i)), // C0 controls and space
  ...Array.from({ length: 0x22 }, (_, i) => String.fromCharCode(0x7f + i)), // DEL, C1 controls, NBSP
  '\u00ad',
  '\\',
  '\u1680',
  '\u180e',
  ...Array.from({ length: 0x10 }, (_, i) => String.fromCharCode(0x2000 + i)),
  '\u2028',
  '\u2029',
  '\u202a',
  '\u202e',
  '\u202f',
  '\u205f',
  '\u2060',
  '\u2066',
  '\u3000',
  '\ufeff',
  '\ufffb',
];
const HARMLESS = ['a', 'Z', '9', '测', '😀', '.', '..', '%', '%25', '#', '?', '@', ':', '&', '=', "'", '"', '<', '>', '`', '{', '}', '|', '^', '~', '%2F', '%5C', '%00', '%0d%0a'];
const PREFIXES = [
  '',
  '/',
  '//',
  '///',
  '/\\',
  '\\\\',
  '/./',
  '/.//',
  '/..//',
  '/console/../..//',
  '//evil.example',
  'http://evil.example/',
  'https:evil.example',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  '/%2F/evil.example',
  '%2F%2Fevil.example',
  '/console',
  '/console/cases',
  '/verify?number=26K7Q2M9XH4',
  '/v/26K7Q2M9XH4',
];

/** The classics, written out. */
export const CLASSIC_TARGETS: string[] = [
  '/\u0000',
  '/\u007f',
  '/\u0001',
  '/\u001f',
  '/\u0085',
  '/\u009b',
  '/\r\nSet-Cookie: x=1',
  '/\nLocation: https://evil.example',
  '/\t/evil.example',
  '\t//evil.example',
  '/ /evil.example',
  ' /console',
  '/console ',
  '/\u2028',
  '/\u2029evil',
  '/\ufeff/evil.example',
  '/\u200b/evil.example',
  '//evil.example',
  '///evil.example',
  '/\\evil.example',
  '\\/evil.example',
  '/\\/evil.example',
  '/..//evil.example',
  '/.//evil.example',
  '/console/../..//evil.example',
  'https://evil.example',
  'HTTPS://evil.example',
  'javascript:alert(1)',
  '//evil.example/%2e%2e',
  '/%0d%0aSet-Cookie:x=1',
  '/%00',
  '/%E6%B5%8B',
  '/测试?名字=张三#片段',
  '/' + 'a'.repeat(3000),
  '/' + '测'.repeat(1000),
  '/' + '\u0000'.repeat(500),
  '/' + '%00'.repeat(900),
  '',
  '/',
];

/** A small seeded generator (mulberry32): the same strings on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` generated targets: a prefix, then up to four insertions, mostly of unsafe characters. */
export function generatedTargets(count: number, seed = 12): string[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let s = pick(PREFIXES);
    const insertions = 1 + Math.floor(next() * 4);
    for (let k = 0; k < insertions; k++) {
      const piece = next() < 0.7 ? pick(UNSAFE_CHARACTERS) : pick(HARMLESS);
      const at = Math.floor(next() * (s.length + 1));
      s = s.slice(0, at) + piece + s.slice(at);
    }
    if (next() < 0.3) s += pick(['evil.example', '/evil.example', '.evil.example', '@evil.example']);
    out.push(s);
  }
  return out;
}

/** True when the target, as given, must be refused: not one plain slash first, or an unsafe character in it. */
export function mustBeRefused(target: string): boolean {
  return !target.startsWith('/') || target.startsWith('//') || UNSAFE_CHARACTERS.some((ch) => target.includes(ch));
}

/** Whether a Location header value is a path on the answering site (never another origin). */
export function isSameOriginPath(location: string | null, base: string): boolean {
  if (location === null || !/^\/(?![/\\])[\x21-\x7e]*$/.test(location)) return false;
  return new URL(location, base).origin === new URL(base).origin;
}
