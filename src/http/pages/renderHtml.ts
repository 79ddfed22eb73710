/**
 * @module http/pages/renderHtml
 * Every page's HTML, rendered synchronously from its JSX: the one place pages become text (frame.tsx,
 * verify/verifyPages.tsx, the not-found and docs pages).
 *
 * Why not hono/jsx's own `toString()` (what `c.html(<Page/>)` calls): it runs each render inside an
 * AsyncLocalStorage, for context values that must survive an `await` in an async component. On Node 20 the
 * first `AsyncLocalStorage.run()` switches on async_hooks promise tracking for the whole process, for good:
 * measured with autocannon after one page was shown, every later request paid for it — `/livez` +4–7 µs
 * (~20%), the verification JSON +30 µs (~13%), pages or not (Node 24's AsyncContextFrame does not have the
 * cost). Our pages have no async components, no Suspense and no context providers, so writing the element
 * into hono/jsx's string buffer directly (`JSXNode.toStringToBuffer`, the same code `toString()` runs inside
 * the storage) gives the same text without it (a whole document with its `<!DOCTYPE html>`, which hono/jsx does not
 * write: without it browsers lay the page out in quirks mode); test/http/renderHtml.test.ts holds the two equal. A page that
 * ever renders something asynchronous is refused here at once instead of being sent half-rendered.
 */
import type { JSXNode } from 'hono/jsx';
import type { StringBufferWithCallbacks } from 'hono/utils/html';

/**
 * The HTML of a page element.
 * @example return c.html(renderHtml(<NotFoundPage lang="zh" path="/x" />), 404);
 */
export function renderHtml(page: unknown): string {
  const node = page as unknown as Partial<JSXNode>;
  if (typeof node?.toStringToBuffer !== 'function') throw new TypeError('renderHtml: not a JSX element');
  const buffer = [''] as StringBufferWithCallbacks;
  node.toStringToBuffer(buffer);
  if (buffer.length !== 1 || buffer.callbacks) throw new Error('renderHtml: the page rendered something asynchronous or deferred (an async component, Suspense, or a <title>, <meta>, <link>, <script> or <style> outside the head, which hono/jsx hoists by a callback); pages must render synchronously');
  const [html] = buffer;
  if (typeof html !== 'string') throw new Error('renderHtml: the page rendered something asynchronous');
  // A whole document starts with its doctype, or browsers lay it out in quirks mode.
  return html.startsWith('<html') ? `<!DOCTYPE html>${html}` : html;
}
