/**
 * @module entry/nodeServer
 * The HTTP server around the app on Node (entry/node.ts, and the tests that serve the app as it runs in
 * production). It sets the security headers (http/middleware/session.ts, SECURITY_HEADERS) on the socket's
 * response before the app runs, and the app is built with `securityHeaders: 'server'` so it does not set them
 * again. Why here and not in the app, as on Workers: a header set in a Hono middleware goes into an undici
 * `Headers` (each name and value checked by regular expressions, then sorted and copied out again by
 * @hono/node-server), and the middleware makes every route, /livez included, run through Hono's async
 * middleware chain. Profiled under autocannon, that was the largest cost of ours on /livez (see the commit and
 * the README's benchmark notes). Node merges these with the headers the app's response carries, the app's
 * winning, so a route that needs its own value of one of them still gets it.
 */
import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { SECURITY_HEADERS } from '../http/middleware/session.js';

type Fetch = (request: Request, env?: unknown) => Response | Promise<Response>;

/**
 * HEAD is answered as GET without the body, here rather than by Hono: Hono builds a HEAD answer as
 * `new Response(null, response)`, and @hono/node-server 1.19's Response throws on that when the GET answer was
 * a bare `c.text(text)` (no status, no headers) — as `/livez` is once the security headers no longer pass
 * through the app: HEAD /livez answered 500 (test/http/fastPath).
 */
function headAsGet(fetch: Fetch): Fetch {
  const head = async (request: Request, env: unknown) => {
    const answer = await fetch(new Request(request.url, { method: 'GET', headers: request.headers }), env);
    return new Response(null, { status: answer.status, headers: answer.headers });
  };
  // Not async itself: an answer the app gives at once (/livez) stays a plain Response, which @hono/node-server
  // writes without awaiting a promise first.
  return (request, env) => (request.method === 'HEAD' ? head(request, env) : fetch(request, env));
}

/** An http.Server (not yet listening) that serves `fetch` with the security headers on every response. */
export function createNodeServer(fetch: Fetch): Server {
  const listener = getRequestListener(headAsGet(fetch));
  return createServer((req, res) => {
    for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
    return listener(req, res);
  });
}
