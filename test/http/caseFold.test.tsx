/** Issue 18 item 9: when a part of the case page starts folded, and what its summary line says (http/pages/cases/caseCommon.tsx). */
import { describe, expect, it } from 'vitest';
import { countWords, Fold, FOLD_AFTER, startsFolded } from '../../src/http/pages/cases/caseCommon.js';
import { renderHtml } from '../../src/http/pages/renderHtml.js';

const noun = { zh: '条', one: 'entry', many: 'entries' };

describe('startsFolded', () => {
  it('folds a part longer than FOLD_AFTER entries, unless it holds what this person must act on', () => {
    expect(startsFolded(0, false)).toBe(false);
    expect(startsFolded(FOLD_AFTER, false)).toBe(false);
    expect(startsFolded(FOLD_AFTER + 1, false)).toBe(true);
    expect(startsFolded(FOLD_AFTER + 1, true)).toBe(false);
    expect(startsFolded(500, true)).toBe(false);
  });
});

describe('countWords', () => {
  it('counts in the page language', () => {
    expect(countWords('zh', 12, noun)).toBe('共 12 条');
    expect(countWords('en', 12, noun)).toBe('12 entries');
    expect(countWords('en', 1, noun)).toBe('1 entry');
    expect(countWords('en', 0, noun)).toBe('0 entries');
  });
});

describe('Fold', () => {
  const render = (count: number, mustAct = false, lang: 'zh' | 'en' = 'zh') =>
    renderHtml(
      <Fold lang={lang} level={2} id="h" title={{ zh: '办理记录', en: 'History' }} count={count} noun={noun} mustAct={mustAct}>
        <p>inside</p>
      </Fold>,
    );
  it('is a native disclosure: summary first, holding the heading and the count; open only when short or to act on', () => {
    const long = render(FOLD_AFTER + 3);
    expect(long).toMatch(/^<details class="fold" data-count="9"><summary><h2 id="h">办理记录<\/h2> <span class="count">共 9 条<\/span><\/summary><p>inside<\/p><\/details>$/);
    expect(render(2)).toContain('<details class="fold" open=""');
    expect(render(FOLD_AFTER + 3, true)).toContain('open=""');
    expect(render(FOLD_AFTER + 3, false, 'en')).toContain('<h2 id="h">History</h2> <span class="count">9 entries</span>');
    // No script and no inline handler: it works under the CSP and without script.
    expect(long).not.toMatch(/<script|\bon[a-z]+=/i);
  });
});
