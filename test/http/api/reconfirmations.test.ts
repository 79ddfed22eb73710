/**
 * http/api/reconfirmations in-process: the public eligibility question (notice 一), answered with every
 * reason and its clause, the confirming authority (二(一)), the submitters (二(二)3) and the materials (二(三)).
 * No token, no write: the body limit, the media type and validation are what it can refuse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationForm } from '../../support/workflow.js';
import { CONTROL, expectNoServerError, expectProblem, HOSTILE, LONG, on, openApi, RARE, type InProcessApi } from './support.js';

const PATH = '/api/v1/reconfirmations/eligibility';
let api: InProcessApi;
beforeAll(async () => {
  api = await openApi();
}, 60_000);
afterAll(() => api?.stop());

/** 李四's question (test/support/workflow.ts), without the unit's choice. */
const question = () => ({ ...applicationForm().eligibility, employerChoice: undefined });

describe('POST /api/v1/reconfirmations/eligibility', () => {
  it('judges 李四: eligible, senior, the region title office confirms, with clauses and materials', async () => {
    const res = await api.call(null, 'POST', PATH, { json: { ...question(), asOf: '2026-11-28' } });
    expect([res.status, res.mediaType]).toEqual([200, 'application/json']);
    expect(res.body).toMatchObject({ decision: 'eligible', asOf: '2026-11-28', level: 'senior_associate' });
    expect(res.body.authority).toMatchObject({ clause: expect.any(String), zh: expect.any(String), en: expect.any(String) });
    expect(res.body.materials.length).toBeGreaterThan(0);
    expect(res.body.submitters.length).toBeGreaterThan(0);
  });

  it('judges on today in China when asOf is absent: the test clock’s date', async () => {
    const res = await api.call(null, 'POST', PATH, { json: question(), now: on('2026-12-01') });
    expect([res.status, res.body.asOf]).toEqual([200, '2026-12-01']);
  });

  it('refuses an empty or invalid question as problem+json in both languages (422), naming the field', async () => {
    const empty = await api.call(null, 'POST', PATH, { json: {} });
    expectProblem(empty, 422, 'validation_failed');
    const impossible = await api.call(null, 'POST', PATH, { json: { ...question(), asOf: '2026-02-30' } });
    expectProblem(impossible, 422, 'validation_failed');
    expect(impossible.body.field).toBe('asOf');
    expect(impossible.body.message.zh).toContain('YYYY-MM-DD');
    expectProblem(await api.call(null, 'POST', PATH, { json: { ...question(), extra: 1 } }), 422, 'validation_failed');
  });

  it('refuses the employer’s choice from an applicant (the unit’s to record, 一(一) sentence 2)', async () => {
    const res = await api.call(null, 'POST', PATH, { json: { ...question(), employerChoice: 'reconfirm' } });
    expectProblem(res, 422, 'validation_failed');
    expect(res.body).toMatchObject({ field: 'employerChoice', clause: expect.stringContaining('一(一)') });
  });

  it('refuses a body that is not JSON (415), JSON that does not parse (400), and one over 16 KiB (413)', async () => {
    expectProblem(await api.call(null, 'POST', PATH, { body: 'x', headers: { 'Content-Type': 'text/plain' } }), 415, 'unsupported_media_type');
    expectProblem(await api.call(null, 'POST', PATH, { body: '{"title":', headers: { 'Content-Type': 'application/json' } }), 400, 'invalid_json');
    expectProblem(await api.call(null, 'POST', PATH, { json: { ...question(), title: { series: 'engineering', name: LONG } } }), 413, 'body_too_large');
  });

  it('hostile text in every free field is refused or judged, never a 500', async () => {
    for (const hostile of [HOSTILE, RARE, CONTROL, '𠮷'.repeat(60), '\u0000']) {
      const q = question();
      const bodies = [
        { ...q, title: { series: hostile, name: hostile } },
        { ...q, obtained: { ...q.obtained, place: hostile, committee: { name: hostile, filed: true } } },
        { ...q, employment: { ...q.employment, currentSeries: hostile } },
      ];
      for (const json of bodies) expectNoServerError(await api.call(null, 'POST', PATH, { json }));
    }
  });

  it('needs no token: a bearer of any kind changes nothing', async () => {
    const res = await api.call('ect_not-a-token-of-ours-at-all', 'POST', PATH, { json: { ...question(), asOf: '2026-11-28' } });
    expect(res.status).toBe(200);
  });

  it('30 questions at once each get the same answer', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, () => api.call(null, 'POST', PATH, { json: { ...question(), asOf: '2026-11-28' } })));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
  });
});
