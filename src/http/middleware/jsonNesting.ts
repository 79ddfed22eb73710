/**
 * @module http/middleware/jsonNesting
 * Bounds how deeply a JSON request body nests, before it is parsed. `JSON.parse` turns 2 MB of `[[[…]]]`
 * into a million arrays (20 such bodies took the process from 180 to 706 MB); no request of ours nests
 * deeper than a handful of levels. A small body is read and scanned before the route runs (the route then
 * parses the same text from Hono's cache); a large one is scanned as the route reads it, so a request
 * refused for its token never has its megabytes read. A body that opens more than `maxDepth` arrays or
 * objects at once is never parsed: the answer is `onTooDeep`'s.
 */
import type { Context, MiddlewareHandler } from 'hono';

/** Deepest nesting accepted: our deepest request body nests 4 levels. */
export const MAX_JSON_DEPTH = 32;

/** Bodies up to this size are scanned whole before the route runs; larger ones as the route reads them. */
const EAGER_BYTES = 64 * 1024;

/**
 * A scanner over a JSON text, piece by piece: false once more than `maxDepth` arrays and objects are open at
 * once. Brackets inside strings do not count. It judges depth only — malformed JSON is the parser's to refuse.
 * @example const scan = nestingScanner(32); scan('[[1'); scan(']]') // true, true
 */
export function nestingScanner(maxDepth: number): (piece: string) => boolean {
  let depth = 0;
  let inString = false;
  let escaped = false;
  return (piece) => {
    let nextQuote = -2; // -2: not looked for yet in this piece; -1: none left in it
    let nextBackslash = -2;
    for (let i = 0; i < piece.length; ) {
      if (inString) {
        if (escaped) {
          escaped = false;
          i += 1;
          continue;
        }
        // Skip through the string with indexOf: a 5 MiB base64 file is one string.
        if (nextQuote !== -1 && nextQuote < i) nextQuote = piece.indexOf('"', i);
        if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = piece.indexOf('\\', i);
        if (nextBackslash !== -1 && (nextQuote === -1 || nextBackslash < nextQuote)) {
          escaped = true;
          i = nextBackslash + 1;
        } else if (nextQuote !== -1) {
          inString = false;
          i = nextQuote + 1;
        } else {
          return true; // the string runs on into the next piece
        }
        continue;
      }
      const code = piece.charCodeAt(i++);
      if (code === 0x22) inString = true;
      else if (code === 0x5b || code === 0x7b) {
        if (++depth > maxDepth) return false;
      } else if (code === 0x5d || code === 0x7d) depth -= 1;
    }
    return true;
  };
}

/**
 * Middleware: the request body passes {@link nestingScanner} before it can be parsed; past `maxDepth` the
 * answer is `onTooDeep`'s.
 * @example app.use('/api/*', boundJsonNesting(MAX_JSON_DEPTH, (c) => c.text('too deep', 400)))
 */
export function boundJsonNesting(maxDepth: number, onTooDeep: (c: Context) => Response): MiddlewareHandler {
  return async (c, next) => {
    const body = c.req.raw.body;
    if (!body) return next();
    const scan = nestingScanner(maxDepth);
    if (Number(c.req.header('Content-Length') ?? NaN) <= EAGER_BYTES && !c.req.header('Transfer-Encoding')) {
      return scan(await c.req.text()) ? next() : onTooDeep(c);
    }
    let tooDeep = false;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    const decoder = new TextDecoder();
    // Pulled only as the route reads (highWaterMark 0): a route that refuses first reads nothing. Past the
    // limit the rest is read and dropped (no more than the body limit lets in), not cancelled: cancelling
    // resets the connection on Node and workerd, and the client would lose the answer.
    const checked = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          reader ??= body.getReader();
          const { done, value } = await reader.read();
          if (done) controller.close();
          else if (scan(decoder.decode(value, { stream: true }))) controller.enqueue(value);
          else {
            tooDeep = true;
            while (!(await reader.read()).done);
            controller.error(new Error(`JSON nested deeper than ${maxDepth}`));
          }
        },
        cancel: (reason) => reader?.cancel(reason),
      },
      { highWaterMark: 0 },
    );
    c.req.raw = new Request(c.req.raw, { body: checked, duplex: 'half' } as RequestInit & { duplex: 'half' });
    await next();
    // The route's parser caught the failed stream and answered 400 "malformed"; say what was wrong instead.
    if (tooDeep) c.res = onTooDeep(c);
  };
}
