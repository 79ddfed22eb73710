/**
 * End to end on the real server: the example case is judged eligible with its authority, senior
 * submitters and materials; a bad body is a 422 problem naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.js';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server?.stop());

const example = {
  title: { series: 'engineering', name: '高级工程师' },
  obtained: { region: 'outside', place: '湖南省', method: 'evaluation', on: '2015-12-30', committee: { name: '湖南省工程技术高级职务评审委员会', filed: true } },
  employment: { since: '2022-01-01', personnelTransferred: true, socialInsurance: true, employerKind: 'enterprise', currentSeries: 'engineering' },
  employerChoice: null,
  onlineVerification: false,
  asOf: '2026-11-28',
};

async function post(body: unknown) {
  return fetch(`${server.baseUrl}/api/v1/reconfirmations/eligibility`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

describe('POST /api/v1/reconfirmations/eligibility', () => {
  it('judges the issue example eligible, without login', async () => {
    const res = await post(example);
    expect(res.status).toBe(200);
    const a = (await res.json()) as {
      decision: string;
      level: string;
      asOf: string;
      reasons: { clause: string; code: string }[];
      authority: { level: string; clause: string };
      submitters: { kind: string; clause: string }[];
      materials: { item: string; required: boolean; waived: boolean; clause: string }[];
    };
    expect(a).toMatchObject({ decision: 'eligible', level: 'senior_associate', asOf: '2026-11-28', authority: { level: 'region_title_office', clause: '二(一)' } });
    expect(a.reasons.map((r) => r.clause)).toEqual(expect.arrayContaining(['一(一)', '一(二)1', '一(二)2', '一(二)3']));
    expect(a.submitters.map((s) => s.kind)).toEqual(['city_title_office', 'department_hr_office', 'region_personnel_file_office']);
    expect(a.materials.map((m) => m.item)).toEqual(expect.arrayContaining(['approval_form', 'original_title_proof', 'employment_proof', 'social_insurance_record', 'photo', 'verification_record']));
    expect(a.materials.find((m) => m.item === 'social_insurance_record')).toMatchObject({ required: false, waived: true, clause: '二(三)1(3)' });
  });

  it('judges on today in China when asOf is absent', async () => {
    const { asOf: _asOf, ...rest } = example;
    const res = await post(rest);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { asOf: string }).asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('answers a bad body with a 422 problem naming the field', async () => {
    const res = await post({ ...example, obtained: { ...example.obtained, method: 'bought' } });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { field: string; code: string; message: { zh: string; en: string } };
    expect(problem).toMatchObject({ code: 'validation_failed', field: 'obtained.method' });
    expect(problem.message.zh).toMatch(/\p{Script=Han}/u);
  });

  it('refuses unknown fields and impossible dates', async () => {
    const extra = await post({ ...example, nickname: 'x' });
    expect(extra.status).toBe(422);
    expect(((await extra.json()) as { field: string }).field).toBe('nickname');
    const date = await post({ ...example, employment: { ...example.employment, since: '2023-02-29' } });
    expect(date.status).toBe(422);
    expect(((await date.json()) as { field: string }).field).toBe('employment.since');
  });
});
