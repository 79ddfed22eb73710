/**
 * @module render/lib/wrap
 * Line breaking for Chinese-with-Latin values, and shrink-then-wrap fitting, so a 30-character
 * evaluating body or a long authority name stays inside its box. Chinese breaks between any two
 * ideographs, except that closing punctuation never starts a line and opening punctuation never ends one
 * (the common 避头尾 rules); Latin words and numbers are kept whole unless a single word is wider than
 * the box.
 */

/** Measures the width of a string at the size being fitted. */
export type Measure = (text: string) => number;

// Characters after which, or before which, a line may break on its own (ideographs, kana, CJK punctuation).
const BREAK_AROUND = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303F\uFF00-\uFFEF]/u;
const NO_LINE_START = new Set([...'，。、；：？！）」』】〕》〉”’…·%,.;:?!)]}']);
// Only full-width openers: an ASCII bracket belongs to the Latin word it sits in, e.g. `f(x)`.
const NO_LINE_END = new Set([...'（「『【〔《〈“‘']);

/**
 * Greedy line breaking of `text` into lines no wider than `maxWidth`.
 *
 * @example
 * breakLines('广西壮族自治区人力资源和社会保障厅', 60, (s) => [...s].length * 12)
 * // ['广西壮族自', '治区人力资', '源和社会保', '障厅']
 */
export function breakLines(text: string, maxWidth: number, measure: Measure): string[] {
  const lines: string[] = [];
  let line = '';
  for (const cluster of clusters(text)) {
    if (cluster === ' ' && line === '') continue;
    const candidate = line + cluster;
    if (measure(candidate.trimEnd()) <= maxWidth) {
      line = candidate;
      continue;
    }
    if (line.trim() !== '') lines.push(line.trimEnd());
    line = '';
    if (cluster === ' ') continue;
    if (measure(cluster) <= maxWidth) {
      line = cluster;
      continue;
    }
    // One word wider than the box (a long code or URL): break it between characters.
    for (const char of cluster) {
      if (line !== '' && measure(line + char) > maxWidth) {
        lines.push(line);
        line = '';
      }
      line += char;
    }
  }
  if (line.trim() !== '') lines.push(line.trimEnd());
  return lines;
}

/**
 * Values print on one logical line: any run of whitespace (tabs, newlines, U+3000) becomes one space.
 *
 * @example
 * clean(' 湖南省\n评审委员会 ') // '湖南省 评审委员会'
 */
export function clean(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** The result of {@link fitText}: the size chosen and the lines at that size. */
export interface FittedText {
  size: number;
  lines: string[];
}

/**
 * Largest size from `size` down to `minSize` (half-point steps) at which `text` fits in `maxLines` lines of
 * `maxWidth`; below that it stays at `minSize` and takes as many lines as it needs — never wider.
 *
 * @example
 * fitText('中国科学院广西植物研究所高级专业技术职务评审委员会', 200, { size: 12, minSize: 8, maxLines: 2 }, measureAt)
 */
export function fitText(
  text: string,
  maxWidth: number,
  limits: { size: number; minSize: number; maxLines: number },
  measureAt: (text: string, size: number) => number,
): FittedText {
  for (let size = limits.size; size >= limits.minSize; size -= 0.5) {
    const lines = breakLines(text, maxWidth, (s) => measureAt(s, size));
    if (lines.length <= limits.maxLines) return lines.length > 1 ? avoidOrphan(text, maxWidth, { size, lines }, limits.minSize, measureAt) : { size, lines };
  }
  const size = Math.min(limits.size, limits.minSize);
  return { size, lines: breakLines(text, maxWidth, (s) => measureAt(s, size)) };
}

/** A last line of one or two characters reads as a mistake; up to 10% smaller may pull it back up. */
function avoidOrphan(
  text: string,
  maxWidth: number,
  fitted: FittedText,
  minSize: number,
  measureAt: (text: string, size: number) => number,
): FittedText {
  if ([...(fitted.lines.at(-1) ?? '')].length > 2) return fitted;
  for (let size = fitted.size - 0.5; size >= Math.max(minSize, fitted.size * 0.9); size -= 0.5) {
    const lines = breakLines(text, maxWidth, (s) => measureAt(s, size));
    if (lines.length < fitted.lines.length) return { size, lines };
  }
  return fitted;
}

/** Unbreakable pieces of `text`: single ideographs, Latin words, single spaces, punctuation glued on. */
function clusters(text: string): string[] {
  const pieces: string[] = [];
  let word = '';
  let glueNext = '';
  const push = (piece: string): void => {
    const first = [...piece][0] ?? '';
    const last = pieces.length - 1;
    if (NO_LINE_START.has(first) && last >= 0 && pieces[last] !== ' ') {
      pieces[last] += piece;
    } else {
      pieces.push(piece);
    }
  };
  const flushWord = (): void => {
    if (word !== '') push(glueNext + word);
    else if (glueNext !== '') push(glueNext);
    word = '';
    glueNext = '';
  };
  for (const char of text.replace(/\s+/gu, ' ')) {
    if (char === ' ') {
      flushWord();
      pieces.push(' ');
    } else if (NO_LINE_END.has(char)) {
      flushWord();
      glueNext = char;
    } else if (BREAK_AROUND.test(char)) {
      if (word !== '') {
        push(glueNext + word);
        word = '';
        glueNext = '';
      }
      push(glueNext + char);
      glueNext = '';
    } else {
      word += char;
    }
  }
  flushWord();
  return pieces;
}
