/**
 * http/api/calendar in-process: when a 5-working-day notice (二(二)2) that starts on a date ends, with the
 * admin's overrides applied and the data version it rests on; and what is known of a year's arrangements
 * (issue 13 items 7, 8). Public, read-only; the writes are the admin's (test/http/api/administration.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarYears } from '../../../src/domain/workingDays.js';
import { setUpWorkflow } from '../../support/workflow.js';
import { CONTROL, expectNoServerError, expectProblem, HOSTILE, openApi, RARE, type InProcessApi } from './support.js';

let api: InProcessApi;
let admin: string;
beforeAll(async () => {
  api = await openApi();
  admin = (await setUpWorkflow(api)).admin.token; // the region title office's admin keeps the calendar
}, 60_000);
afterAll(() => api?.stop());

const noticeEnd = (query: string) => api.call(null, 'GET', `/api/v1/calendar/notice-end?${query}`);

describe('GET /api/v1/calendar/notice-end', () => {
  it('counts 5 working days over the National Day holiday: 2026-09-29 → 2026-10-10, final, with the data version', async () => {
    const res = await noticeEnd('start=2026-09-29&days=5');
    expect([res.status, res.mediaType]).toEqual([200, 'application/json']);
    expect(res.body).toMatchObject({ end: '2026-10-10', provisional: false, dataVersion: expect.stringContaining('chinese-days@') });
  });

  it('follows an override the admin sets, and forgets it when removed', async () => {
    const before = (await noticeEnd('start=2026-11-02&days=5')).body.end;
    expect(before).toBe('2026-11-06');
    expect((await api.call(admin, 'PUT', '/api/v1/calendar/overrides/2026-11-04', { json: { kind: 'holiday', note: '测试调整' } })).status).toBe(204);
    expect((await noticeEnd('start=2026-11-02&days=5')).body.end).toBe('2026-11-09');
    expect((await api.call(admin, 'DELETE', '/api/v1/calendar/overrides/2026-11-04')).status).toBe(204);
    expect((await noticeEnd('start=2026-11-02&days=5')).body.end).toBe(before);
  });

  it('refuses a date that is not real, out of 2004–2099, or days out of 1–60, as problem+json naming the query field (422)', async () => {
    const impossible = await noticeEnd('start=2026-02-30&days=5');
    expectProblem(impossible, 422, 'validation_failed');
    expect(impossible.body.field).toBe('query.start');
    expect(impossible.body.message.zh).toContain('YYYY-MM-DD');
    expectProblem(await noticeEnd('start=1999-01-04&days=5'), 422, 'validation_failed');
    expectProblem(await noticeEnd('start=2026-09-29&days=x'), 422, 'validation_failed');
    expectProblem(await noticeEnd('start=2026-09-29&days=0'), 422, 'validation_failed');
    expectProblem(await noticeEnd('start=2026-09-29&days=61'), 422, 'validation_failed');
    expectProblem(await noticeEnd('days=5'), 422, 'validation_failed');
  });

  it('hostile query text is a 422, never a 500', async () => {
    for (const hostile of [HOSTILE, RARE, CONTROL, '𠮷'.repeat(5000), '9'.repeat(400)]) {
      const res = await noticeEnd(`start=${encodeURIComponent(hostile)}&days=${encodeURIComponent(hostile)}`);
      expectNoServerError(res);
      expectProblem(res, 422, 'validation_failed');
    }
  });

  it('30 questions at once, while the admin writes an override elsewhere, each get an answer', async () => {
    const [answers, write] = await Promise.all([
      Promise.all(Array.from({ length: 30 }, () => noticeEnd('start=2026-09-29&days=5'))),
      api.call(admin, 'PUT', '/api/v1/calendar/overrides/2031-05-06', { json: { kind: 'holiday', note: '并发测试' } }),
    ]);
    expect(write.status).toBe(204);
    expect(answers.map((a) => a.body.end)).toEqual(Array(30).fill('2026-10-10'));
  });
});

describe('GET /api/v1/calendar/years/{year}', () => {
  it('a shipped year is announced by the data; a later one is not, until the admin records it', async () => {
    const shipped = await api.call(null, 'GET', '/api/v1/calendar/years/2024');
    expect([shipped.status, shipped.mediaType]).toEqual([200, 'application/json']);
    expect(shipped.body).toMatchObject({ year: 2024, announced: true, national: { announced: true, recordedBy: 'data' }, regional: { observed: true, recordedBy: 'data' } });
    expect(shipped.body.regional.lunarDays).toHaveLength(2);
    const { last } = calendarYears();
    expect((await api.call(null, 'GET', `/api/v1/calendar/years/${last}`)).body).toMatchObject({ year: last, announced: false });
  });

  it('refuses a year the calendar does not compute, in both languages with the range (422)', async () => {
    const { first, last } = calendarYears();
    for (const year of [String(first - 1), String(last + 1), '20x4', '2026.5', encodeURIComponent(HOSTILE), '𠮷']) {
      const res = await api.call(null, 'GET', `/api/v1/calendar/years/${year}`);
      expectProblem(res, 422, 'validation_failed');
      expect(res.body.field).toBe('path.year');
    }
    const out = await api.call(null, 'GET', `/api/v1/calendar/years/${last + 1}`);
    expect(out.body.message.zh).toContain(String(first));
    expect(out.body.message.en).toContain(String(last));
  });
});
