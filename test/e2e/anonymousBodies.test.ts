/**
 * An anonymous POST is refused before its body is read: no token on the API (401), no session on a console
 * form (303 to sign in). Proven with clients that send the headers and a first chunk of a chunked body and
 * then stall — a server that read the body ahead of the check would never answer them — and with whole 1 MB
 * chunked bodies, many at once. A signed-in person's chunked form still arrives whole, and past the page
 * limit it is still 413.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTarget, startServer, type RunningServer } from '../support/server.js';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server?.stop());

interface Answer {
  status: number;
  headers: Record<string, string>;
  ms: number;
}

/**
 * POSTs over a plain socket with `Transfer-Encoding: chunked`: `chunks` pieces of `chunkBytes` each, then —
 * unless `stall` — the last chunk. Resolves with the status line and headers as soon as they arrive.
 */
function chunkedPost(path: string, headers: Record<string, string>, options: { chunks: number; chunkBytes: number; stall: boolean; body?: Buffer }): Promise<Answer> {
  const { hostname, port } = new URL(server.baseUrl);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer from ${path} within 5 s: the body was waited for`));
    }, 5_000);
    socket.on('data', (d: Buffer) => {
      received += d.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      clearTimeout(timer);
      const [statusLine, ...lines] = received.slice(0, end).split('\r\n');
      resolve({ status: Number(statusLine!.split(' ')[1]), headers: Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()])), ms: Date.now() - started });
      socket.destroy();
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('connect', async () => {
      const head = Object.entries({ Host: `${hostname}:${port}`, 'Transfer-Encoding': 'chunked', ...headers }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n`);
      const filler = Buffer.alloc(options.chunkBytes, 'a');
      for (let i = 0; i < options.chunks && !socket.destroyed; i++) {
        const piece = options.body ? options.body.subarray(i * options.chunkBytes, (i + 1) * options.chunkBytes) : filler;
        if (piece.length === 0) break;
        socket.write(Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]));
        await new Promise((r) => setImmediate(r));
      }
      if (!options.stall && !socket.destroyed) socket.write('0\r\n\r\n');
    });
  });
}

// Under `wrangler dev --local` a stalled chunked body got no answer in 5 s, and the chunked 413s none in 120 s;
// whether wrangler's local proxy holds the body or workerd does is not yet known (bodyLimits.test.ts skips
// chunked bursts there too, for the proxy's "503 worker restarted"). Those two run on Node only for now.
const nodeOnly = () => currentTarget() === 'node';

const JSON_POST = { 'Content-Type': 'application/json' };
const FORM_POST = { 'Content-Type': 'application/x-www-form-urlencoded' };
const MULTIPART_POST = { 'Content-Type': 'multipart/form-data; boundary=XX' };

describe('anonymous POSTs are refused before their bodies are read', () => {
  it.runIf(nodeOnly())('a stalled chunked body: the API answers 401, a console form 303 to sign in, without waiting for the rest', async () => {
    const stalled = { chunks: 1, chunkBytes: 64 * 1024, stall: true };
    const api = await chunkedPost('/api/v1/certificates', JSON_POST, stalled);
    expect(api.status).toBe(401);
    expect(api.headers['content-type']).toContain('application/problem+json');
    for (const path of ['/console/cases/new', '/console/records/new', '/console/admin/people', '/console/cases/some-id/submit']) {
      for (const type of [FORM_POST, MULTIPART_POST]) {
        const page = await chunkedPost(path, type, stalled);
        expect(page.status, path).toBe(303);
        expect(page.headers.location, path).toBe(`/login?next=${encodeURIComponent(path)}`);
      }
    }
    for (const path of ['/api/v1/verification-records', '/api/v1/reconfirmations', '/api/v1/people']) {
      expect((await chunkedPost(path, JSON_POST, stalled)).status, path).toBe(401);
    }
  });

  it('20 anonymous clients at once, each streaming 1 MB without a length: answered quickly, the server stays healthy', async () => {
    const whole = { chunks: 16, chunkBytes: 64 * 1024, stall: false };
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? chunkedPost('/api/v1/certificates', JSON_POST, whole) : chunkedPost('/console/records/new', MULTIPART_POST, whole))),
    );
    answers.forEach((a, i) => expect(a.status).toBe(i % 2 ? 401 : 303));
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(3_000);
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
  });

  it.runIf(nodeOnly())('a chunked body past a limit is still refused: 413 on a public form and on the API with a token', async () => {
    const over = await chunkedPost('/verify', FORM_POST, { chunks: 3, chunkBytes: 4 * 1024, stall: false });
    expect(over.status).toBe(413);
    const issuer = await server.token('GXZGB', 'issuer');
    const api = await chunkedPost('/api/v1/certificates', { ...JSON_POST, Authorization: `Bearer ${issuer}` }, { chunks: 40, chunkBytes: 64 * 1024, stall: false });
    expect(api.status).toBe(413);
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
  });

  it('a signed-in person’s chunked form arrives whole', async () => {
    const login = await fetch(`${server.baseUrl}/login`);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())![1]!;
    const signIn = await fetch(`${server.baseUrl}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
      body: new URLSearchParams({ _csrf: csrf, token: await server.token('GXZGB', 'handler'), next: '/console' }).toString(),
    });
    const session = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const form = await fetch(`${server.baseUrl}/console/records/new`, { headers: { Cookie: session } });
    const sessionCsrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    // The record's fields, missing most of them: the form comes back (200, with its errors) — the CSRF token
    // was read from the streamed body (else 403), and it was not cut short (400) or refused (413).
    const body = Buffer.from(`--XX\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${sessionCsrf}\r\n--XX\r\nContent-Disposition: form-data; name="record"\r\n\r\n${'核实'.repeat(3000)}\r\n--XX--\r\n`);
    const res = await chunkedPost('/console/records/new', { ...MULTIPART_POST, Cookie: session }, { chunks: 100, chunkBytes: 4096, stall: false, body });
    expect(res.status).toBe(200);
  });
});
