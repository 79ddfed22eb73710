/**
 * The public working-day calendar on the real server: the notice period, a provisional year, and
 * a bad query refused as problem+json.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.js';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server?.stop());

const noticeEnd = (query: string) => fetch(`${server.baseUrl}/api/v1/calendar/notice-end?${query}`);

describe('GET /api/v1/calendar/notice-end', () => {
  it('Tue 2026-09-29 + 5 working days → Sat 2026-10-10', async () => {
    const res = await noticeEnd('start=2026-09-29&days=5');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ end: '2026-10-10', provisional: false, dataVersion: 'chinese-days@1.5.7' });
  });

  it('marks a 2027 period provisional', async () => {
    const res = await noticeEnd('start=2027-09-29&days=5');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ end: '2027-10-06', provisional: true });
  });

  it.each(['start=2026-02-30&days=5', 'start=2026-09-29&days=0', 'start=2026-09-29&days=61', 'start=2026-09-29&days=x', 'days=5'])('refuses %s with 422', async (query) => {
    const res = await noticeEnd(query);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
