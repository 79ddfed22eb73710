/**
 * http/pages/renderHtml: pages render to the same text as hono/jsx's own toString(), without running
 * AsyncLocalStorage — which on Node 20 switches on async_hooks promise tracking for the whole process, and
 * every later request pays for it (measured: /livez +4–7 µs, verification JSON +30 µs). Through the app, no
 * page of any area (verify, lookup, sign-in, console, not-found, docs) may run it; a page that renders
 * something asynchronous is refused rather than sent half-rendered.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FC } from 'hono/jsx';
import { renderHtml } from '../../src/http/pages/renderHtml.js';
import { notFoundPage } from '../../src/http/pages/notFoundPage.js';
import { VerificationPage } from '../../src/http/pages/verify/verificationPage.js';
import { Layout } from '../../src/http/pages/layout.js';
import { issueBody } from '../support/fixtures.js';
import { openApi, type InProcessApi } from './api/support.js';

afterEach(() => vi.restoreAllMocks());

describe('renderHtml', () => {
  const pages: [string, () => unknown][] = [
    ['not found (zh)', () => notFoundPage('zh', '/nowhere')],
    ['not found (en), a hostile path', () => notFoundPage('en', '/<script>alert(1)</script>&"\'')],
    ['the lookup form with a mistake, demo', () => <VerificationPage lang="zh" path="/verify" csrf={'c'.repeat(32)} publicUrl="https://example.test" demo form={{ values: { number: '26K7<b>', name: '𠀀张三' }, errors: [{ zh: '编号有误', en: 'Mistyped' }] }} />],
    ['a signed-in frame', () => <Layout lang="en" path="/console" title={{ zh: '工作台', en: 'Console' }} user={{ name: '李四', role: 'issuer', orgCode: 'GXZGB' }} csrf={'x'.repeat(32)} narrow={false}><p>{'<&>'}</p></Layout>],
  ];

  it.each(pages)('%s: the same text as hono/jsx toString()', async (_name, page) => {
    const ours = renderHtml(page());
    expect(ours).toBe(`<!DOCTYPE html>${String(await (page() as { toString(): string | Promise<string> }).toString())}`);
    expect(ours).toMatch(/^<!DOCTYPE html><html lang="(zh-CN|en)"><head><meta charset="utf-8"\/>/);
  });

  it('escapes the title written into the head', () => {
    const page = renderHtml(<Layout lang="zh" path="/" title={{ zh: '</title><script>alert(1)</script>&"', en: 'x' }} csrf="" narrow />);
    expect(page).toContain('<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot; · 职称电子证书</title>');
    expect(page).not.toContain('<script>alert');
  });

  it('never runs AsyncLocalStorage (hono/jsx toString does: the spy can see it)', async () => {
    const run = vi.spyOn(AsyncLocalStorage.prototype, 'run');
    for (const [, page] of pages) renderHtml(page());
    expect(run).not.toHaveBeenCalled();
    await (notFoundPage('zh', '/x') as { toString(): unknown }).toString();
    expect(run).toHaveBeenCalled();
  });

  it('refuses something asynchronous, and what is not an element', () => {
    const Later: FC = async () => <p>later</p>;
    expect(() => renderHtml(<Layout lang="zh" path="/" title={{ zh: 'x', en: 'x' }} csrf="" narrow><Later /></Layout>)).toThrow(/asynchronous/);
    expect(() => renderHtml('<p>text</p>')).toThrow(/not a JSX element/);
    expect(() => renderHtml(undefined)).toThrow(/not a JSX element/);
  });
});

describe('pages through the app never run AsyncLocalStorage', () => {
  let api: InProcessApi;
  let link = '';
  beforeAll(async () => {
    api = await openApi({ ECERT_LOOKUP_BURST: '1000' });
    const issued = await api.call(await api.token('GXZGB', 'issuer'), 'POST', '/api/v1/certificates', { json: issueBody() });
    expect(issued.status, issued.text).toBe(201);
    const url = new URL(issued.body.verifyUrl);
    link = url.pathname + url.search;
  }, 60_000);
  afterAll(() => api?.stop());

  it('verify, lookup, sign-in, console, not-found and docs pages, 24 at once', async () => {
    const run = vi.spyOn(AsyncLocalStorage.prototype, 'run');
    const paths = [link, link.replace(/s=[^&]+/, 's=wrong'), link.split('?')[0]!, '/verify', '/login', '/console', '/no-such-page', '/docs'];
    const answers = await Promise.all(paths.flatMap((p) => [p, p, p]).map((p) => api.call(null, 'GET', p, { headers: { Accept: 'text/html' } })));
    for (const a of answers) {
      expect(a.status).toBeLessThan(500);
      if (a.status !== 302 && a.status !== 303) expect(a.text).toMatch(/^<!DOCTYPE html><html/);
    }
    expect(answers.map((a) => a.text).join('')).toContain('有效');
    expect(run).not.toHaveBeenCalled();
  });
});
