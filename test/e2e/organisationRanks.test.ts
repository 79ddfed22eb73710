/**
 * Issue 12 B7 on the real server: an admin places only kinds below their own office, and the region-wide
 * calendar belongs to the root office alone. Every admin office kind × every organisation kind, through
 * the API with a real admin token per office, all at once; then the attack of the issue end to end (a city
 * admin makes a "region title office" under itself — refused; an office of that kind placed under a city
 * office by the operator still cannot touch the calendar). The expected table is written out by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.js';
import { addPerson, client, json, setUpWorkflow, type Person, type Staff } from '../support/workflow.js';

const KINDS = ['region_title_office', 'city_title_office', 'competent_department', 'department_hr_office', 'file_office', 'unit', 'university', 'issuing_authority'] as const;
type Kind = (typeof KINDS)[number];

const BELOW_SUBMITTERS: Kind[] = ['competent_department', 'unit', 'university'];
/** admin's office → [its kind, the kinds its admin may place]. */
const OFFICES: Record<string, [Kind, Kind[]]> = {
  GXZGB: ['region_title_office', ['city_title_office', 'department_hr_office', 'file_office', 'competent_department', 'unit', 'university']],
  NNZGB: ['city_title_office', BELOW_SUBMITTERS],
  GXJTT: ['department_hr_office', BELOW_SUBMITTERS],
  GXDAG: ['file_office', BELOW_SUBMITTERS],
  NNJTJ: ['competent_department', ['unit', 'university']],
  NNLQ01: ['unit', []],
  GXU: ['university', []],
  GXUZP: ['issuing_authority', []], // an authority of the demo key store nobody has placed yet
  FAKEGX: ['region_title_office', []], // the kind, placed by the operator under a city office: not the root office
};

let server: RunningServer;
let staff: Staff;
const admins: Record<string, Person> = {};

beforeAll(async () => {
  server = await startServer();
  staff = await setUpWorkflow(server);
  const root = client(server, staff.admin);
  for (const org of [
    { code: 'GXDAG', name: '广西壮族自治区人才服务中心档案部', kind: 'file_office', parentCode: 'GXZGB' },
    { code: 'GXU', name: '广西某大学', kind: 'university', parentCode: 'GXZGB' },
  ]) {
    expect((await root('POST', '/api/v1/organisations', org)).status).toBe(200);
  }
  const placed = await server.cli(['org', 'add', '--code', 'FAKEGX', '--name', '冒充的自治区职改办', '--kind', 'region_title_office', '--parent', 'NNZGB']);
  expect(placed.code, placed.stderr).toBe(0);
  admins.GXZGB = staff.admin;
  for (const code of Object.keys(OFFICES).filter((c) => c !== 'GXZGB' && c !== 'GXUZP')) admins[code] = await addPerson(server, staff.admin, code, 'admin', '管理员');
  admins.GXUZP = { token: await server.token('GXUZP', 'admin'), id: '', name: 'admin@GXUZP' };
}, 240_000);
afterAll(async () => server?.stop());

interface Problem {
  status: number;
  code: string;
  field?: string;
  message: { zh: string; en: string };
}

async function expectRefusal(res: Response, status: number, code: string, field?: string): Promise<Problem> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const problem = (await res.json()) as Problem;
  expect(problem).toMatchObject({ status, code, ...(field ? { field } : {}) });
  expect(problem.message.zh).toMatch(/\p{Script=Han}/u);
  expect(problem.message.en).toMatch(/[a-z]{3}/);
  return problem;
}

describe('every admin office × every organisation kind (POST /api/v1/organisations)', () => {
  it(`${Object.keys(OFFICES).length} offices × ${KINDS.length} kinds, all at once: placed kinds below the office, 403 naming the kind otherwise`, async () => {
    const cells = Object.entries(OFFICES).flatMap(([office, [, allowed]]) => KINDS.map((kind, i) => ({ office, kind, allowed: allowed.includes(kind), code: `${office}K${i}` })));
    const answers = await Promise.all(
      cells.map(async (cell) => {
        const res = await client(server, admins[cell.office]!)('POST', '/api/v1/organisations', { code: cell.code, name: `${cell.kind} 测试机构`, kind: cell.kind, parentCode: cell.office });
        return { ...cell, status: res.status, type: res.headers.get('content-type') ?? '', body: (await json(res)) as Problem & { kind?: string } };
      }),
    );
    const wrong = answers.filter((a) => a.status !== (a.allowed ? 200 : 403)).map((a) => `${a.office} → ${a.kind}: ${a.status} ${JSON.stringify(a.body).slice(0, 160)}`);
    expect(wrong).toEqual([]);
    for (const refusal of answers.filter((a) => !a.allowed)) {
      expect(refusal.type).toContain('application/problem+json');
      expect(refusal.body).toMatchObject({ code: 'forbidden', field: 'kind', status: 403 });
      expect(refusal.body.message.zh).toMatch(/\p{Script=Han}/u);
      expect(refusal.body.message.en).toMatch(/may not place/);
    }
    const tree = new Map(((await json(await client(server, staff.admin)('GET', '/api/v1/organisations'))).items as { code: string; kind: string; parentCode: string }[]).map((o) => [o.code, o]));
    for (const a of answers) {
      if (a.allowed) expect(tree.get(a.code)).toMatchObject({ kind: a.kind, parentCode: a.office });
      else expect(tree.has(a.code)).toBe(false);
    }
  });

  it('an admin may not turn an organisation they administer into a kind of their rank or above, nor change one of higher rank', async () => {
    const city = client(server, admins.NNZGB!);
    const promote = await city('POST', '/api/v1/organisations', { code: 'NNJTJ', name: '南宁市交通运输局', kind: 'city_title_office', parentCode: 'NNZGB' });
    await expectRefusal(promote, 403, 'forbidden', 'kind');
    // FAKEGX sits under NNZGB but is of a kind above the city office: NNZGB's admin cannot rename or move it.
    const rename = await city('POST', '/api/v1/organisations', { code: 'FAKEGX', name: '改名', kind: 'unit', parentCode: 'NNZGB' });
    expect((await expectRefusal(rename, 403, 'forbidden', 'kind')).message.zh).toContain('FAKEGX');
  });

  it('only the root office places an authority of the key store; a city admin may not adopt it', async () => {
    const adopt = { code: 'GXUZP', name: '广西某自主评审高校', kind: 'university', parentCode: 'NNZGB' };
    await expectRefusal(await client(server, admins.NNZGB!)('POST', '/api/v1/organisations', adopt), 403, 'forbidden');
    await expectRefusal(await client(server, admins.FAKEGX!)('POST', '/api/v1/organisations', { ...adopt, parentCode: 'FAKEGX' }), 403, 'forbidden');
  });

  it('no token → 401, a wrong token → 401, another role → 403, a kind that does not exist → 422', async () => {
    const body = { code: 'ANON1', name: '匿名', kind: 'unit', parentCode: 'GXZGB' };
    expect((await client(server, null)('POST', '/api/v1/organisations', body)).status).toBe(401);
    expect((await client(server, { token: 'ect_not-a-real-token-at-all-000000000000', id: '', name: '' })('POST', '/api/v1/organisations', body)).status).toBe(401);
    await expectRefusal(await client(server, staff.approver)('POST', '/api/v1/organisations', body), 403, 'forbidden');
    for (const kind of ['REGION_TITLE_OFFICE', 'region_title_office ', 'root', '', 42, null]) {
      const res = await client(server, staff.admin)('POST', '/api/v1/organisations', { ...body, kind });
      expect(res.status, String(kind)).toBe(422);
    }
  });
});

describe('the attack of the issue, end to end', () => {
  it('a city admin cannot make a region title office, and a region title office that is not the root cannot change the calendar', async () => {
    const city = client(server, admins.NNZGB!);
    const made = await city('POST', '/api/v1/organisations', { code: 'NNGXZGB', name: '广西壮族自治区职称改革工作领导小组办公室', kind: 'region_title_office', parentCode: 'NNZGB' });
    const problem = await expectRefusal(made, 403, 'forbidden', 'kind');
    expect(problem.message.zh).toContain('自治区职改办');
    expect(problem.message.en).toContain('Region title office');

    const override = { kind: 'workday', note: '冒充的调休' };
    for (const who of ['FAKEGX', 'NNZGB', 'GXUZP']) {
      const as = client(server, admins[who]!);
      await expectRefusal(await as('PUT', '/api/v1/calendar/overrides/2027-02-06', override), 403, 'forbidden');
      await expectRefusal(await as('DELETE', '/api/v1/calendar/overrides/2027-02-06'), 403, 'forbidden');
    }
    expect((await json(await fetch(`${server.baseUrl}/api/v1/calendar/overrides`))).items).toEqual([]);

    const root = client(server, staff.admin);
    expect((await root('PUT', '/api/v1/calendar/overrides/2027-02-06', { kind: 'workday', note: '国务院办公厅通知' })).status).toBe(204);
    // Dozens of attempts at once by the impostor change nothing; the real override stays.
    const attempts = await Promise.all(Array.from({ length: 24 }, (_, i) => client(server, admins.FAKEGX!)(i % 2 ? 'DELETE' : 'PUT', '/api/v1/calendar/overrides/2027-02-06', i % 2 ? undefined : override)));
    expect(attempts.map((r) => r.status)).toEqual(Array(24).fill(403));
    expect((await json(await fetch(`${server.baseUrl}/api/v1/calendar/overrides`))).items).toEqual([expect.objectContaining({ date: '2027-02-06', kind: 'workday', note: '国务院办公厅通知' })]);
    expect((await root('DELETE', '/api/v1/calendar/overrides/2027-02-06')).status).toBe(204);
  });
});
