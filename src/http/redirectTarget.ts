/**
 * @module http/redirectTarget
 * Where a page may send the browser next when the address came from the request (`/lang?back=`,
 * `/login`'s `next`): only a plain path on this site. Whoever made the link chose it, so anything else —
 * another site (`//evil`, `/\evil`, `https:…`), whitespace or control characters that browsers strip or a
 * header cannot carry (`/%00` used to answer 500), an absurd length — is replaced by the caller's default.
 */

/** Longer targets (before or after percent-encoding) are refused: no page of ours needs one. */
export const MAX_REDIRECT_TARGET_LENGTH = 2048;

const BASE = 'http://ecert.invalid';
/**
 * Characters refused anywhere in a target: C0 controls, space, DEL, C1 controls, the backslash (browsers read
 * it as `/`) and Unicode spaces, invisible format characters and line/paragraph separators (URL parsers strip
 * some, people cannot see any).
 */
const UNSAFE = /[\u0000-\u0020\u007f-\u00a0\u00ad\\\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff\ufff9-\ufffb]/u;
/** What a Location header may say: a path of visible ASCII that does not start with `//`. */
const PLAIN_PATH = /^\/(?![/\\])[\x21-\x7e]*$/;

/**
 * The target as a same-origin path (percent-encoded by the URL parser where needed), or `undefined` when it
 * is anything else.
 * @example
 * sameOriginPath('/console/cases?status=draft') // '/console/cases?status=draft'
 * sameOriginPath('/verify?name=张三')            // '/verify?name=%E5%BC%A0%E4%B8%89'
 * sameOriginPath('//evil.example/')              // undefined
 * sameOriginPath('/\u0000')                      // undefined
 */
export function sameOriginPath(target: unknown): string | undefined {
  if (typeof target !== 'string' || target.length === 0 || target.length > MAX_REDIRECT_TARGET_LENGTH) return undefined;
  if (!target.startsWith('/') || target.startsWith('//') || UNSAFE.test(target)) return undefined;
  let url: URL;
  try {
    url = new URL(target, BASE);
  } catch {
    return undefined;
  }
  if (url.origin !== BASE) return undefined;
  // Re-read after parsing: dot segments can turn `/..//evil` into `//evil`.
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.length <= MAX_REDIRECT_TARGET_LENGTH && PLAIN_PATH.test(path) ? path : undefined;
}
