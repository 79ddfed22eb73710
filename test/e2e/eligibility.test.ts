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

describe('issue 13 items 1 and 9 on the real server', () => {
  type Answer = { decision: string; reasons: { clause: string; code: string; message: { zh: string } }[]; materials: { item: string; required: boolean; waived: boolean; clause: string }[] };

  it('一(一) sentence 4: a Guangxi self-evaluated 讲师 is not_needed; a Guangxi self-evaluated 副教授 is employer_decides (sentence 2)', async () => {
    const teacher = (name: string) => ({
      ...example,
      title: { series: 'higher_education_teacher', name },
      obtained: { region: 'guangxi', place: '广西大学', method: 'self_evaluation', on: '2015-12-30', committee: null },
      employment: { ...example.employment, currentSeries: 'higher_education_teacher', employerKind: 'institution' },
    });
    const lecturer = await post(teacher('讲师'));
    expect(lecturer.status).toBe(200);
    const a = (await lecturer.json()) as Answer;
    expect(a.decision).toBe('not_needed');
    expect(a.reasons.map((r) => `${r.clause}:${r.code}`)).toEqual(['一(一):guangxi_unified_certificate']);
    expect(a.materials).toEqual([]);
    const associate = await post(teacher('副教授'));
    expect(((await associate.json()) as Answer).decision).toBe('employer_decides');
  });

  const central = (committee: Record<string, unknown>) => ({
    ...example,
    title: { series: 'engineering', name: '工程师' },
    obtained: { region: 'central', place: '中国石油天然气集团有限公司', method: 'evaluation', on: '2015-12-30', committee: { name: '中国石油天然气集团公司工程技术中级评审委员会', filed: true, ...committee } },
  });

  it('二(三)1(5): an online query route for a central committee waives the filing proof and lists the route', async () => {
    const res = await post(central({ onlineQueryUrl: 'https://example.gov.cn/committees/123' }));
    expect(res.status).toBe(200);
    const m = Object.fromEntries(((await res.json()) as Answer).materials.map((x) => [x.item, x]));
    expect(m.committee_filing_proof).toMatchObject({ required: false, waived: true, clause: '二(三)1(5)' });
    expect(m.committee_online_query_route).toMatchObject({ required: true, waived: false, clause: '二(三)1(5)' });
    const without = Object.fromEntries(((await (await post(central({ onlineQueryUrl: null }))).json()) as Answer).materials.map((x) => [x.item, x]));
    expect(without.committee_filing_proof).toMatchObject({ required: true, waived: false });
  });

  it('二(三)1(5): a hostile online query route is a 422 problem in Chinese and English naming the field, never a 500', async () => {
    const hostile: unknown[] = ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'ftp://example.gov.cn/x', 'not a url', `https://example.gov.cn/${'a'.repeat(2000)}`, 42, { href: 'https://x' }, ['https://x']];
    const answers = await Promise.all(hostile.map((onlineQueryUrl) => post(central({ onlineQueryUrl }))));
    for (const [i, res] of answers.entries()) {
      expect(res.status, String(hostile[i])).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await res.json()) as { code: string; field: string; message: { zh: string; en: string } };
      expect(problem).toMatchObject({ code: 'validation_failed', field: 'obtained.committee.onlineQueryUrl' });
      expect(problem.message.zh).toMatch(/\p{Script=Han}/u);
      expect(problem.message.en).toMatch(/[a-z]/);
    }
  });
});
