/**
 * Issue 15: /livez and GET /v/{number}?s=… (JSON and HTML) leave @hono/node-server by its lightweight path —
 * the response the app returns still holds its body and headers unbuilt, so the adapter writes them straight
 * to the socket instead of reading a full undici Response's stream. A header set after `await next()` makes
 * Hono rebuild the response (profiled: ~27% of /livez CPU, /livez 0.26× a bare Hono); this test catches any
 * middleware that does it again. The app runs on a real Node HTTP server over a real SQLite file, and the
 * security headers must still arrive on every answer.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { loadConfig } from '../../src/entry/config.js';
import { openNodeContext, type NodeContext } from '../../src/entry/nodeContext.js';
import { createNodeServer } from '../../src/entry/nodeServer.js';
import { issueCertificate } from '../../src/services/issueCertificate.js';
import { issueBody } from '../support/fixtures.js';
import { expectSecurityHeaders } from './api/support.js';

const ROOT = join(import.meta.dirname, '../..');
let dir: string;
let context: NodeContext;
let server: Server;
let baseUrl: string;
let verifyPath: string;
const returned: Response[] = [];

/** @hono/node-server marks a lightweight response with a `Symbol(cache)` it writes from; building the full Response removes it. */
const lightweight = (res: Response) => Object.getOwnPropertySymbols(res).some((s) => s.description === 'cache');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ecert-fastpath-'));
  context = await openNodeContext(loadConfig({ ECERT_DB: join(dir, 'ecert.db'), ECERT_KEYS: join(ROOT, 'keys.example') }));
  context.deps.clientAddress = () => '127.0.0.1';
  const app = createApp(context.deps, undefined, { securityHeaders: 'server' });
  // The server as entry/node.ts builds it; each response the app hands it is kept for a look.
  server = createNodeServer(async (request: Request, env: unknown) => {
    const res = await app.fetch(request, env);
    returned.push(res);
    return res;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const actor = { orgCode: 'GXZGB', role: 'issuer', tokenId: 't', personId: 'P', personName: '签发员' };
  const { certificate } = await issueCertificate(context.deps, actor, issueBody() as never);
  verifyPath = `/v/${certificate.number}?s=${certificate.linkProof}`;
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  context?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function served(path: string, accept: string): Promise<{ res: Response; handed: Response }> {
  returned.length = 0;
  const res = await fetch(`${baseUrl}${path}`, { headers: { Accept: accept } });
  await res.arrayBuffer();
  expect(returned).toHaveLength(1);
  return { res, handed: returned[0]! };
}

describe('responses stay on @hono/node-server’s lightweight path', () => {
  it.each([
    ['/livez', 'application/json', 200, 'text/plain'],
    ['verify', 'application/json', 200, 'application/json'],
    ['verify', 'text/html', 200, 'text/html'],
  ])('%s (Accept: %s)', async (path, accept, status, type) => {
    const { res, handed } = await served(path === 'verify' ? verifyPath : path, accept);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain(type);
    expect(lightweight(handed), 'the app rebuilt its response (a header set after await next()?)').toBe(true);
    expectSecurityHeaders(res.headers); // every one still arrives, set by the Node server
  });

  it('a response built without the context (a bearer refusal) still gets the security headers', async () => {
    const res = await fetch(`${baseUrl}/api/v1/certificates`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
    expectSecurityHeaders(res.headers);
  });

  it('a path the app cannot decode gets the security headers; HEAD answers as GET without the body (never 500), with them too', async () => {
    const mangled = await fetch(`${baseUrl}/v/%E0%A4%A`);
    expect(mangled.status).toBe(422);
    expectSecurityHeaders(mangled.headers);
    for (const [path, accept, type] of [['/livez', 'text/plain', 'text/plain'], [verifyPath, 'application/json', 'application/json'], [verifyPath, 'text/html', 'text/html'], ['/verify', 'text/html', 'text/html']] as const) {
      const [head, get] = await Promise.all([fetch(`${baseUrl}${path}`, { method: 'HEAD', headers: { Accept: accept } }), fetch(`${baseUrl}${path}`, { headers: { Accept: accept } })]);
      expect([head.status, await head.text()]).toEqual([get.status, '']);
      expect(head.headers.get('content-type')).toContain(type);
      expectSecurityHeaders(head.headers);
      expect((await get.text()).length).toBeGreaterThan(0);
    }
    const many = await Promise.all(Array.from({ length: 30 }, () => fetch(`${baseUrl}/livez`, { method: 'HEAD' })));
    expect(many.map((r) => r.status)).toEqual(Array(30).fill(200));
  });
});
