/**
 * Page sessions keep the request's time like every other service call (issue 14: one ctx carrying the clock):
 * with the test clock (ECERT_TEST_CLOCK=1), a session opened at T lasts SESSION_HOURS of the requests' own time —
 * so a test that moves the clock on sees it end, on Node and on workerd alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_HOURS } from '../../src/services/sessions.js';
import { startServer, type RunningServer } from '../support/server.js';

let server: RunningServer;
const T0 = new Date(Date.now() + 30 * 24 * 3600_000); // a month ahead: far from the real clock in either direction
const at = (hours: number) => new Date(T0.getTime() + hours * 3600_000).toISOString();

beforeAll(async () => {
  server = await startServer({ ECERT_TEST_CLOCK: '1' });
});
afterAll(async () => {
  await server?.stop();
});

async function signInAt(now: string): Promise<string> {
  const form = await fetch(`${server.baseUrl}/login`, { headers: { 'X-Ecert-Test-Now': now } });
  const anonymous = (form.headers.get('set-cookie') ?? '').split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  expect(csrf).toBeTruthy();
  const token = await server.token('GXZGB', 'handler');
  const login = await fetch(`${server.baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: anonymous, 'X-Ecert-Test-Now': now },
    body: new URLSearchParams({ _csrf: csrf!, token, next: '/console' }).toString(),
  });
  expect(login.status).toBe(303);
  const session = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  expect(session).toMatch(/^ecert_session=/);
  return session;
}

const consoleAt = (cookie: string, now: string) => fetch(`${server.baseUrl}/console`, { redirect: 'manual', headers: { Cookie: cookie, 'X-Ecert-Test-Now': now } });

describe('a page session on the test clock', () => {
  it(`lasts ${SESSION_HOURS} hours of the requests' time, then sends the person to sign in`, async () => {
    const session = await signInAt(at(0));
    expect((await consoleAt(session, at(1))).status).toBe(200);
    expect((await consoleAt(session, at(SESSION_HOURS - 0.1))).status).toBe(200);
    const late = await consoleAt(session, at(SESSION_HOURS + 0.1));
    expect(late.status).toBe(303);
    expect(late.headers.get('location')).toMatch(/^\/login/);
  });

  it('answers dozens of requests at once, each by the time it carries', async () => {
    const session = await signInAt(at(2));
    const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => consoleAt(session, at(i % 2 === 0 ? 3 : SESSION_HOURS + 3))));
    answers.forEach((res, i) => expect(res.status, String(i)).toBe(i % 2 === 0 ? 200 : 303));
  });
});
