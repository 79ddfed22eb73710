/**
 * @module http/middleware/bodyLimit
 * Bounds a request body without reading it ahead of the route. A declared length over the limit is refused
 * at once; a body sent without one (chunked) is counted as the route reads it — unless the limit is a
 * public form's few KiB, read whole at once — so a request the route refuses first — no token, no session — never has a byte of it read, and one that runs past the limit
 * fails to parse and is answered with `onTooLarge`. (Hono's bodyLimit reads a chunked body whole, up to the
 * limit, before anything else may look at the request.)
 */
import type { Context, MiddlewareHandler } from 'hono';

/** A limit this small (the public forms and lookups) is read whole up front: cheap, and answered 413 at once. */
const EAGER_BYTES = 64 * 1024;

/** Reads `body` into the request if it fits in `maxBytes`; false (the rest unread) if it does not. */
async function readUpTo(body: ReadableStream<Uint8Array>, maxBytes: number, c: Context): Promise<boolean> {
  const reader = body.getReader();
  const pieces: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) return false;
    pieces.push(value);
  }
  const whole = new Uint8Array(size);
  let at = 0;
  for (const piece of pieces) {
    whole.set(piece, at);
    at += piece.byteLength;
  }
  c.req.raw = new Request(c.req.raw, { body: whole });
  return true;
}

/**
 * @example app.use('/api/*', limitBody(2 * 1024 * 1024, (c) => c.text('too large', 413)))
 */
export function limitBody(maxBytes: number, onTooLarge: (c: Context) => Response | Promise<Response>): MiddlewareHandler {
  if (!(maxBytes > 0)) throw new Error('limitBody: maxBytes > 0');
  return async (c, next) => {
    const body = c.req.raw.body;
    if (!body) return next();
    const declared = c.req.header('Content-Length');
    if (declared !== undefined && !c.req.header('Transfer-Encoding')) return Number(declared) > maxBytes ? onTooLarge(c) : next();
    if (maxBytes <= EAGER_BYTES) return (await readUpTo(body, maxBytes, c)) ? next() : onTooLarge(c);
    let size = 0;
    let tooLarge = false;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    // Pulled only as the route reads (highWaterMark 0). Past the limit the rest is left unread, not
    // cancelled: cancelling resets the connection and the client would lose the answer; the server drops it.
    const counted = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          reader ??= body.getReader();
          const { done, value } = await reader.read();
          if (done) return controller.close();
          size += value.byteLength;
          if (size <= maxBytes) return controller.enqueue(value);
          tooLarge = true;
          controller.error(new Error(`request body over ${maxBytes} bytes`));
        },
        cancel: (reason) => reader?.cancel(reason),
      },
      { highWaterMark: 0 },
    );
    c.req.raw = new Request(c.req.raw, { body: counted, duplex: 'half' } as RequestInit & { duplex: 'half' });
    await next();
    // The route's parser met the failed stream and answered 400; say what was wrong instead.
    if (tooLarge) c.res = await onTooLarge(c);
  };
}
