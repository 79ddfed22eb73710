/**
 * The workflow's rules on the real server, beside the happy journey (reconfirmations.test.ts): illegal steps
 * are 409 naming their clause, returns and edits, a false-materials rejection with its ban (四(一)), the
 * senior-submitter rule (二(二)3), routing of an intermediate case to the city (二(一)), a notice ending
 * in a year not yet announced (provisional until an admin enters the schedule), retries, and who sees what.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.js';
import { addPerson, applicationForm, client, json, pdfDataUrl, PNG_PHOTO, setUpWorkflow, type Person, type Staff } from '../support/workflow.js';

let server: RunningServer;
let staff: Staff;

beforeAll(async () => {
  server = await startServer({ ECERT_TEST_CLOCK: '1' });
  staff = await setUpWorkflow(server);
}, 180_000);
afterAll(async () => server?.stop());

const on = (date: string) => `${date}T10:00:00+08:00`;

async function call(person: Person, method: string, path: string, body: unknown, date: string, key?: string) {
  const res = await client(server, person)(method, path, body, { now: on(date), ...(key ? { key } : {}) });
  return { status: res.status, body: await json(res) };
}

/** Creates a case and takes it to the unit's review, with the materials of 二(三)1. */
async function caseAtUnitReview(applicant: Person, unitHr: Person, form = applicationForm(), date = '2026-09-25'): Promise<string> {
  const created = await call(applicant, 'POST', '/api/v1/reconfirmations', form, date);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as string;
  for (const [item, content] of [['original_title_proof', pdfDataUrl('c')], ['employment_proof', pdfDataUrl('e')], ['photo', PNG_PHOTO]] as const) {
    expect((await call(applicant, 'POST', `/api/v1/reconfirmations/${id}/materials`, { item, filename: `${item}.bin`, content }, date)).status).toBe(200);
  }
  expect((await call(applicant, 'POST', `/api/v1/reconfirmations/${id}/submit`, { integrityPledge: true }, date)).status).toBe(200);
  expect((await call(unitHr, 'POST', `/api/v1/reconfirmations/${id}/receive`, {}, date)).status).toBe(200);
  return id;
}

describe('steps the case is not at: 409 with the clause', () => {
  it('a draft cannot be received, published, endorsed, forwarded, approved or issued', async () => {
    const id = (await call(staff.applicant, 'POST', '/api/v1/reconfirmations', applicationForm({ idNumber: '450103199003070020', name: '陈红' }), '2026-09-25')).body.id;
    const attempts: [Person, string, unknown][] = [
      [staff.unitHr, 'receive', {}],
      [staff.unitHr, 'start-notice', { start: '2026-09-29' }],
      [staff.unitHr, 'endorse', { authenticityPledge: true, originalsChecked: true, opinion: '同意' }],
      [staff.unitHr, 'forward', { opinion: '同意' }],
      [staff.approver, 'approve', { decisionNumber: '桂职办〔2026〕1号', opinion: '同意' }],
      [staff.approver, 'issue', {}],
    ];
    for (const [person, path, body] of attempts) {
      const res = await call(person, 'POST', `/api/v1/reconfirmations/${id}/${path}`, body, '2026-09-25');
      expect(res.status, path).toBe(409);
      expect(res.body.code, path).toBe('conflict');
      expect(res.body.clause, path).toMatch(/^二\(二\)\d$/);
    }
    expect((await call(staff.applicant, 'GET', `/api/v1/reconfirmations/${id}`, undefined, '2026-09-25')).body.events).toHaveLength(1);
  });
});

describe('returned, edited, resubmitted; retried safely', () => {
  it('the unit returns a case to the applicant with reasons; the applicant edits and submits again', async () => {
    const id = await caseAtUnitReview(staff.applicant, staff.unitHr, applicationForm({ idNumber: '450103199206150020', name: '刘芳' }));
    const returned = await call(staff.unitHr, 'POST', `/api/v1/reconfirmations/${id}/return`, { to: 'draft', reason: '工作经历缺少2015年以后的任职情况。' }, '2026-09-28');
    expect(returned.body).toMatchObject({ status: 'draft', returned: { to: 'draft', reason: '工作经历缺少2015年以后的任职情况。' } });
    const backwards = await call(staff.unitHr, 'POST', `/api/v1/reconfirmations/${id}/return`, { to: 'unit_review', reason: '再退' }, '2026-09-28');
    expect(backwards.status).toBe(409);

    const form = applicationForm({ idNumber: '450103199206150020', name: '刘芳' });
    form.workSummary = '补充：2015年至2021年任湖南省电力设计院主任工程师。';
    const edited = await call(staff.applicant, 'PUT', `/api/v1/reconfirmations/${id}`, form, '2026-09-29');
    expect(edited.status).toBe(200);
    expect(edited.body.form.workSummary).toContain('补充');

    const first = await call(staff.applicant, 'POST', `/api/v1/reconfirmations/${id}/submit`, { integrityPledge: true }, '2026-09-29', 'submit-once');
    const retry = await call(staff.applicant, 'POST', `/api/v1/reconfirmations/${id}/submit`, { integrityPledge: true }, '2026-09-29', 'submit-once');
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body.events.filter((e: { action: string }) => e.action === 'submit')).toHaveLength(2); // once before the return, once now
    expect(retry.body.status).toBe('submitted');
    const other = await call(staff.applicant, 'POST', `/api/v1/reconfirmations/${id}/withdraw`, {}, '2026-09-29', 'submit-once');
    expect(other.status).toBe(422); // the key was used for another action
  });
});

describe('a retried application', () => {
  it('ten concurrent posts with one Idempotency-Key make exactly one application', async () => {
    const form = applicationForm({ idNumber: '450103198807120041', name: '黄丽' });
    const answers = await Promise.all(Array.from({ length: 10 }, () => call(staff.applicant, 'POST', '/api/v1/reconfirmations', form, '2026-09-25', 'apply-once')));
    expect(answers.every((a) => a.status === 201 || a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
  });
});

describe('false materials (四(一))', () => {
  it('a rejection for false materials records a ban from the year of the application; a new application is taken and shows it', async () => {
    const form = applicationForm({ idNumber: '450102198005120019', name: '张三丰', gender: 'male' });
    const id = await caseAtUnitReview(staff.applicant, staff.unitHr, form);
    const rejected = await call(staff.unitHr, 'POST', `/api/v1/reconfirmations/${id}/reject`, { reason: '原职称证书系伪造。', falseMaterials: true }, '2026-09-28');
    expect(rejected.body).toMatchObject({ status: 'rejected' });
    expect(rejected.body.events.at(-1)).toMatchObject({ action: 'reject', data: { falseMaterials: true, ban: { startYear: 2026, endYear: 2030 } } });

    const bans = await call(staff.auditor, 'GET', '/api/v1/bans/450102198005120019', undefined, '2026-09-28');
    expect(bans.body).toMatchObject({ banned: true, until: '2030-12-31', clause: '四(一)' });
    expect(bans.body.bans[0]).toMatchObject({ source: 'application', startYear: 2026, endYear: 2030 });

    // 四(一) bars promotion, not reconfirmation: the service takes the application and shows the ban to its reviewers.
    const again = await call(staff.applicant, 'POST', '/api/v1/reconfirmations', form, '2027-03-01');
    expect(again.status).toBe(201);
    expect(again.body.bans).toMatchObject([{ source: 'application', startYear: 2026, endYear: 2030, inForce: true }]);
    const after = await call(staff.applicant, 'POST', '/api/v1/reconfirmations', form, '2031-01-05');
    expect(after.status).toBe(201);
    expect(after.body.bans).toMatchObject([{ startYear: 2026, endYear: 2030, inForce: false }]);
  });
});

describe('routing (二(一), 二(二)3)', () => {
  it('an intermediate title goes to the city title office, which confirms it', async () => {
    const created = await call(staff.applicant, 'POST', '/api/v1/reconfirmations', applicationForm({ idNumber: '450103198807120041', name: '黄丽', titleName: '工程师' }), '2026-09-25');
    expect(created.body).toMatchObject({ level: 'intermediate', authorityCode: 'NNZGB', authority: { name: '南宁市职称改革工作领导小组办公室' } });
  });

  it('a unit directly under the region title office cannot submit a senior case itself', async () => {
    const applicant = await addPerson(server, staff.admin, 'GXQY01', 'applicant', '蒙海');
    const unitHr = await addPerson(server, staff.admin, 'GXQY01', 'unit_hr', '韦敏');
    const id = await caseAtUnitReview(applicant, unitHr, applicationForm({ idNumber: '450103198903040025', name: '蒙海' }));
    expect((await call(unitHr, 'POST', `/api/v1/reconfirmations/${id}/start-notice`, { start: '2026-09-29' }, '2026-09-28')).status).toBe(200);
    expect((await call(unitHr, 'POST', `/api/v1/reconfirmations/${id}/endorse`, { authenticityPledge: true, originalsChecked: true, opinion: '同意上报。' }, '2026-10-12')).status).toBe(200);
    const refused = await call(unitHr, 'POST', `/api/v1/reconfirmations/${id}/forward`, { opinion: '请确认。' }, '2026-10-12');
    expect(refused.status).toBe(409);
    expect(refused.body.clause).toBe('二(二)3');
  });
});

describe('二(三)1(5) "或在线查询途径": an online query route for a central committee replaces the filing proof (issue 13 item 9)', () => {
  const centralForm = (idNumber: string, name: string, gender: 'male' | 'female', onlineQueryUrl: string | null) => {
    const form = applicationForm({ idNumber, name, gender, titleName: '工程师' });
    return {
      ...form,
      eligibility: {
        ...form.eligibility,
        obtained: { region: 'central', place: '中国石油天然气集团有限公司', method: 'evaluation', on: '2015-12-30', committee: { name: '中国石油天然气集团公司工程技术中级评审委员会', filed: true, onlineQueryUrl } },
      },
    };
  };
  const applicantFiles = [['original_title_proof', pdfDataUrl('c')], ['employment_proof', pdfDataUrl('e')], ['photo', PNG_PHOTO]] as const;

  it('with the web address the case is submitted without a filing proof; without it the submit is refused naming 二(三)1(5)', async () => {
    const withRoute = await call(staff.applicant, 'POST', '/api/v1/reconfirmations', centralForm('450103198604120033', '韦明', 'male', 'https://example.gov.cn/committees/123'), '2026-09-25');
    expect(withRoute.status, JSON.stringify(withRoute.body)).toBe(201);
    const withoutRoute = await call(staff.applicant, 'POST', '/api/v1/reconfirmations', centralForm('450103198705230047', '陆芳', 'female', null), '2026-09-25');
    expect(withoutRoute.status, JSON.stringify(withoutRoute.body)).toBe(201);
    for (const id of [withRoute.body.id, withoutRoute.body.id] as string[]) {
      for (const [item, content] of applicantFiles) {
        expect((await call(staff.applicant, 'POST', `/api/v1/reconfirmations/${id}/materials`, { item, filename: `${item}.bin`, content }, '2026-09-25')).status).toBe(200);
      }
    }
    const kept = await call(staff.applicant, 'GET', `/api/v1/reconfirmations/${withRoute.body.id}`, undefined, '2026-09-25');
    expect(kept.body.form.eligibility.obtained.committee.onlineQueryUrl).toBe('https://example.gov.cn/committees/123');
    expect(kept.body.eligibility.materials).toEqual(expect.arrayContaining([expect.objectContaining({ item: 'committee_filing_proof', required: false, waived: true, clause: '二(三)1(5)' })]));

    const refused = await call(staff.applicant, 'POST', `/api/v1/reconfirmations/${withoutRoute.body.id}/submit`, { integrityPledge: true }, '2026-09-25');
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('materials_missing');
    expect(refused.body.reasons.map((r: { clause: string; code: string }) => `${r.clause}:${r.code}`)).toEqual(['二(三)1(5):missing_committee_filing_proof']);
    expect(refused.body.message.zh).toContain('评委会备案审批证明');
    const submitted = await call(staff.applicant, 'POST', `/api/v1/reconfirmations/${withRoute.body.id}/submit`, { integrityPledge: true }, '2026-09-25');
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body.status).toBe('submitted');
  });
});

describe('a notice ending in a year not yet announced (二(二)2)', () => {
  it('is provisional, refuses the endorsement, and is recomputed once an admin enters that year’s schedule and records it announced', async () => {
    const id = await caseAtUnitReview(staff.applicant, staff.unitHr, applicationForm({ idNumber: '450103198605050022', name: '覃燕' }), '2026-12-21');
    const notice = await call(staff.unitHr, 'POST', `/api/v1/reconfirmations/${id}/start-notice`, { start: '2026-12-29' }, '2026-12-21');
    expect(notice.body.notice).toMatchObject({ start: '2026-12-29', end: '2027-01-05', provisional: true });
    const refused = await call(staff.unitHr, 'POST', `/api/v1/reconfirmations/${id}/endorse`, { authenticityPledge: true, originalsChecked: true, opinion: '同意上报。' }, '2027-01-11');
    expect(refused.status).toBe(409);
    expect(refused.body.message.zh).toContain('放假安排尚未公布');

    // The State Council announces 2027: say New Year's Day runs 1–3 January with Sunday 4 January worked.
    for (const [date, kind] of [['2027-01-02', 'holiday'], ['2027-01-03', 'holiday'], ['2027-01-04', 'workday']] as const) {
      const res = await client(server, staff.admin)('PUT', `/api/v1/calendar/overrides/${date}`, { kind, note: '国办发明电〔2026〕号 元旦放假安排' });
      expect(res.status).toBe(204);
    }
    // Issue 13 item 8: the overrides alone do not announce 2027 — the admin records that, as an act of its own.
    const entered = await call(staff.unitHr, 'GET', `/api/v1/reconfirmations/${id}`, undefined, '2027-01-11');
    expect(entered.body.notice).toMatchObject({ start: '2026-12-29', end: '2027-01-05', provisional: true });
    const announced = await client(server, staff.admin)('PUT', '/api/v1/calendar/years/2027', { national: true, regional: true, note: '国办发明电〔2026〕号；2027年“壮族三月三”放假的通知' });
    expect(announced.status).toBe(204);
    const recomputed = await call(staff.unitHr, 'GET', `/api/v1/reconfirmations/${id}`, undefined, '2027-01-11');
    expect(recomputed.body.notice).toMatchObject({ start: '2026-12-29', end: '2027-01-05', provisional: false });
    expect(recomputed.body.notice.dataVersion).toMatch(/^chinese-days@[\d.]+\+guangxi-sanyuesan@[\d-]+\+admin:[0-9a-f]{12}$/);
    const calendar = await json(await fetch(`${server.baseUrl}/api/v1/calendar/notice-end?start=2026-12-29&days=5`));
    expect(calendar).toEqual({ end: '2027-01-05', provisional: false, dataVersion: recomputed.body.notice.dataVersion });
    expect((await call(staff.unitHr, 'POST', `/api/v1/reconfirmations/${id}/endorse`, { authenticityPledge: true, originalsChecked: true, opinion: '同意上报。' }, '2027-01-11')).status).toBe(200);

    const cityAdmin = await addPerson(server, staff.admin, 'NNZGB', 'admin', '城管理员');
    const notRegion = await client(server, cityAdmin)('PUT', '/api/v1/calendar/overrides/2027-02-06', { kind: 'workday', note: '调休' });
    expect(notRegion.status).toBe(403);
  });
});

describe('who sees what', () => {
  it('an applicant sees only their own cases; an admin administers only below their office; an auditor reads only below theirs', async () => {
    const mine = (await call(staff.applicant, 'GET', '/api/v1/reconfirmations', undefined, '2026-09-25')).body;
    expect(mine.total).toBeGreaterThan(0);
    const stranger = await addPerson(server, staff.admin, 'NNLQ01', 'applicant', '路人甲');
    const theirs = await call(stranger, 'GET', '/api/v1/reconfirmations', undefined, '2026-09-25');
    expect(theirs.body.total).toBe(0);
    expect((await call(stranger, 'GET', `/api/v1/reconfirmations/${mine.items[0].id}`, undefined, '2026-09-25')).status).toBe(404);

    const cityAdmin = await addPerson(server, staff.admin, 'NNZGB', 'admin', '市管理员');
    const inside = await client(server, cityAdmin)('POST', '/api/v1/organisations', { code: 'NNLQ02', name: '南宁第二路桥公司', kind: 'unit', parentCode: 'NNJTJ' });
    expect(inside.status).toBe(200);
    const outside = await client(server, cityAdmin)('POST', '/api/v1/organisations', { code: 'GXJT02', name: '某设计院', kind: 'unit', parentCode: 'GXJTT' });
    expect(outside.status).toBe(403);
    const up = await client(server, cityAdmin)('POST', '/api/v1/people', { orgCode: 'GXZGB', role: 'authority_approver', name: '越权者' });
    expect(up.status).toBe(403);
    const cycle = await client(server, cityAdmin)('POST', '/api/v1/organisations', { code: 'NNJTJ', name: '南宁市交通运输局', kind: 'competent_department', parentCode: 'NNLQ02' });
    expect(cycle.status).toBe(409);

    // Withdrawing a person's access revokes every token they hold; an admin reaches only their own subtree.
    const leaving = await addPerson(server, staff.admin, 'NNLQ01', 'applicant', '离职者');
    expect((await client(server, leaving)('GET', '/api/v1/reconfirmations')).status).toBe(200);
    const revoked = await client(server, cityAdmin)('POST', `/api/v1/people/${leaving.id}/revocation`, {});
    expect(revoked.status).toBe(200);
    expect((await json(revoked)).revoked).toBe(1);
    expect((await client(server, leaving)('GET', '/api/v1/reconfirmations')).status).toBe(401);
    expect((await client(server, cityAdmin)('POST', `/api/v1/people/${staff.approver.id}/revocation`, {})).status).toBe(404);

    const deptAuditor = await addPerson(server, staff.admin, 'GXJTT', 'auditor', '厅审计');
    const regionTrail = await json(await client(server, staff.auditor)('GET', '/api/v1/audit?limit=500'));
    const deptTrail = await json(await client(server, deptAuditor)('GET', '/api/v1/audit?limit=500'));
    expect(regionTrail.items.length).toBeGreaterThan(20);
    expect(deptTrail.items).toEqual([]);
  });
});
