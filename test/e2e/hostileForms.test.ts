/**
 * Page forms on the real server with bodies that are not forms: multipart without a boundary or with a broken
 * one, truncated parts, garbage url-encoding, binary noise — posted to the lookup form, sign-in, sign-out and
 * the console's forms, signed in or not, many at once. Every answer is 4xx (400 with a page in words for a
 * body that cannot be read), never 500; the server stays healthy.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.js';

let server: RunningServer;
let anonymous: { cookie: string; csrf: string };
let signedIn: { cookie: string; csrf: string };
/** A second session of the same person, for the posts to /logout: a readable one signs it out, and the
 * other signed-in posts must not depend on which of them the server handles first. */
let signedInToLeave: { cookie: string; csrf: string };

async function formToken(path: string, cookie = ''): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${server.baseUrl}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
  const set = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await res.text())?.[1];
  if (!csrf) throw new Error(`no CSRF token on ${path}`);
  return { cookie: [cookie, set].filter(Boolean).join('; '), csrf };
}

async function signIn(token: string): Promise<{ cookie: string; csrf: string }> {
  const login = await fetch(`${server.baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: anonymous.cookie },
    body: new URLSearchParams({ _csrf: anonymous.csrf, token, next: '/console' }).toString(),
  });
  const session = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  expect(session).toMatch(/^ecert_session=/);
  return formToken('/console/records/new', session);
}

beforeAll(async () => {
  server = await startServer({ ECERT_LOOKUP_BURST: '100000' });
  anonymous = await formToken('/login');
  const token = await server.token('GXZGB', 'issuer');
  signedIn = await signIn(token);
  signedInToLeave = await signIn(token);
});
afterAll(async () => server?.stop());

const MP = 'multipart/form-data';
const part = (boundary: string, name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;

/** [Content-Type, body]: each one a body no form parser can read, or one that reads as nonsense. */
function hostileBodies(csrf: string): [string, string | Uint8Array][] {
  const good = (b: string) => part(b, '_csrf', csrf) + part(b, 'number', '26K7Q2M9XH4') + part(b, 'name', '张三丰');
  return [
    [MP, good('XX') + '--XX--\r\n'], // no boundary parameter at all
    [`${MP}; boundary=`, good('XX') + '--XX--\r\n'],
    [`${MP}; boundary="`, good('XX') + '--XX--\r\n'],
    [`${MP}; boundary=YY`, good('XX') + '--XX--\r\n'], // a boundary that never occurs
    [`${MP}; boundary=XX`, good('XX')], // truncated: no closing boundary
    [`${MP}; boundary=XX`, good('XX').slice(0, 40)], // truncated inside a part's headers
    [`${MP}; boundary=XX`, `--XX\r\nContent-Disposition: form-data; name="_csrf"\r\n${csrf}\r\n--XX--\r\n`], // no blank line after the headers
    [`${MP}; boundary=XX`, `--XX\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XX--\r\n`], // a part without a name
    [`${MP}; boundary=XX`, ''],
    [`${MP}; boundary=XX`, '--XX--'],
    [`${MP}; boundary=XX`, 'garbage'],
    [`${MP}; boundary=${'B'.repeat(200)}`, good('B'.repeat(200))],
    [`${MP}; boundary=XX`, new Uint8Array(Array.from({ length: 512 }, (_, i) => (i * 73 + 11) % 256))],
    [`${MP}; boundary=XX; charset=utf-16`, `${good('XX')}--XX--\r\n`],
    [`${MP}; boundary=XX`, `--XX\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7`],
    ['application/x-www-form-urlencoded', '%%%&&==%zz%E0%A4%A&_csrf=%'],
    ['application/x-www-form-urlencoded', `_csrf=${csrf}&number=%FF%FE%00&name=%E5%BC%A0%`],
    ['application/x-www-form-urlencoded', new Uint8Array([0xff, 0xfe, 0x3d, 0x80, 0x26, 0x00, 0x3d])],
    ['application/x-www-form-urlencoded', '&'.repeat(2000)],
    ['application/x-www-form-urlencoded', `_csrf=${csrf}&_csrf=${csrf}&number[]=1&name.__proto__.x=1&__proto__=1&constructor=1`],
    ['application/x-www-form-urlencoded; charset=shift_jis', `_csrf=${csrf}&token=%82%A0`],
    ['application/json', `{"_csrf":"${csrf}"}`],
    ['text/plain', 'hello'],
    ['', 'no content type'],
  ];
}

const TARGETS = ['/verify', '/login', '/logout', '/console/cases/new', '/console/records/new', '/console/admin/people', '/console/cases/no-such-case/submit'];

describe('hostile form bodies never yield 500', () => {
  it('dozens of unreadable or nonsense bodies, anonymous and signed in, all at once: 4xx (or a page), the server stays healthy', async () => {
    const sends: { label: string; send: Promise<Response> }[] = [];
    for (const person of [anonymous, signedIn]) {
      for (const path of TARGETS) {
        const who = person === signedIn && path === '/logout' ? signedInToLeave : person;
        for (const [type, body] of hostileBodies(who.csrf)) {
          const headers: Record<string, string> = { Cookie: who.cookie };
          if (type) headers['Content-Type'] = type;
          sends.push({
            label: `${person === anonymous ? 'anonymous' : 'signed in'} ${path} ${type} ${typeof body === 'string' ? JSON.stringify(body.slice(0, 60)) : 'bytes'}`,
            send: fetch(`${server.baseUrl}${path}`, { method: 'POST', redirect: 'manual', headers, body: typeof body === 'string' ? body : new Blob([body as Uint8Array<ArrayBuffer>]) }),
          });
        }
      }
    }
    expect(sends.length).toBeGreaterThan(300);
    const answers = await Promise.all(sends.map(async ({ label, send }) => ({ label, res: await send })));
    for (const { label, res } of answers) {
      expect(res.status, label).toBeGreaterThanOrEqual(200);
      expect(res.status, label).toBeLessThan(500);
    }
    // The unreadable multipart bodies are answered in words: 400 and a page that says what to do.
    // (Anonymous posts to the console go to sign in before their bodies are read.)
    const unreadable = answers.filter(({ label }) => label.includes(`${MP}; boundary=YY`) && !label.startsWith('anonymous /console'));
    expect(unreadable.length).toBe(TARGETS.length + 3);
    for (const { label, res } of unreadable) {
      expect(res.status, label).toBe(400);
      expect(res.headers.get('content-type'), label).toContain('text/html');
      const text = await res.text();
      expect(text, label).toContain('表单无法读取');
    }
    for (const { label, res } of answers.filter(({ label }) => label.startsWith('anonymous /console'))) {
      expect(res.status, label).toBe(303);
      expect(res.headers.get('location'), label).toMatch(/^\/login\?next=/);
    }
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
  });

  it('a client that sends half its multipart body and hangs up leaves the server healthy', async () => {
    const { port } = new URL(server.baseUrl);
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        new Promise<void>((done) => {
          const socket = connect(Number(port), '127.0.0.1', () => {
            const body = part('XX', '_csrf', anonymous.csrf) + part('XX', 'number', '26K7Q2M9XH4');
            socket.write(
              `POST ${TARGETS[i % TARGETS.length]} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${anonymous.cookie}\r\nContent-Type: ${MP}; boundary=XX\r\nContent-Length: ${body.length + 500}\r\n\r\n${body}`,
            );
            setTimeout(() => socket.destroy(), 100);
          });
          socket.on('close', () => done());
          socket.on('error', () => done());
        }),
      ),
    );
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    const form = await fetch(`${server.baseUrl}/verify`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: anonymous.cookie },
      body: new URLSearchParams({ _csrf: anonymous.csrf, number: '26K7Q2M9XH4', name: '张三丰' }).toString(),
    });
    expect(form.status).toBeLessThan(500);
  });
});
