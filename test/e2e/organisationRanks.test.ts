/**
 * Issue 12 B7 on the real server: an admin places only kinds below their own office, and the region-wide
 * calendar belongs to the root office alone. Every admin office kind × every organisation kind, through
 * the API with a real admin token per office, all at once; then the attack of the issue end to end (a city
 * admin makes a "region title office" under itself — refused; an office of that kind left under a city
 * office by a tree from before the rank rule still cannot touch the calendar). The expected table is written
 * out by hand. Then the rank order of the tree itself, with the tokens of a city, the region and a university
 * admin: every escalation (a kind of higher or equal rank, a re-kind upward or below the children, a move
 * outside the subtree or under a peer, an admin at a higher or peer office) refused with a problem+json, many
 * at once; racing placements; the operator's CLI; and that the legitimate operations still work.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.js';
import { addPerson, client, json, placeLegacyOrganisation, setUpWorkflow, type Person, type Staff } from '../support/workflow.js';

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
  FAKEGX: ['region_title_office', []], // the kind under a city office (a tree from before the rank rule): not the root office
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
  // The operator's CLI refuses it now (below); a database from before the rank rule may still hold it.
  placeLegacyOrganisation(server, { code: 'FAKEGX', name: '冒充的自治区职改办', kind: 'region_title_office', parentCode: 'NNZGB' });
  admins.GXZGB = staff.admin;
  for (const code of Object.keys(OFFICES).filter((c) => !['GXZGB', 'GXUZP', 'FAKEGX'].includes(c))) admins[code] = await addPerson(server, staff.admin, code, 'admin', '管理员');
  for (const code of ['GXUZP', 'FAKEGX']) admins[code] = { token: await server.token(code, 'admin'), id: '', name: `admin@${code}` };
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

/** `null` when `res` is the refusal expected (problem+json, code, field, zh and en); else what came instead. */
async function unlessRefused(res: Response, status: number, code: string, field: string, what: string): Promise<string | null> {
  const body = (await json(res)) as Problem;
  const ok = res.status === status && (res.headers.get('content-type') ?? '').includes('application/problem+json') && body.code === code && body.field === field && /\p{Script=Han}/u.test(body.message?.zh ?? '') && /[a-z]{3}/.test(body.message?.en ?? '');
  return ok ? null : `${what} → ${res.status} ${JSON.stringify(body).slice(0, 200)}`;
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

type Attempt = [who: 'city' | 'region' | 'university', what: string, org: { code: string; name?: string; kind: Kind; parentCode: string }, status: number, code: string, field: string];

describe('rank order on create and update: each organisation strictly below its parent, above its children', () => {
  const tokens = () => ({ city: admins.NNZGB!, region: staff.admin, university: admins.GXU! });
  const orgsNow = async () => ((await json(await client(server, staff.admin)('GET', '/api/v1/organisations'))).items as { code: string; kind: string; parentCode: string | null; name: string }[]);

  it('every escalation by a city, a region and a university admin, all at once: each refused with a problem+json, the tree unchanged', async () => {
    expect((await client(server, admins.NNZGB!)('POST', '/api/v1/organisations', { code: 'NNEMPTY', name: '南宁市某局', kind: 'competent_department', parentCode: 'NNZGB' })).status).toBe(200);
    const attempts: Attempt[] = [
      ['city', 'a peer of its own office under itself', { code: 'NNPEER1', kind: 'city_title_office', parentCode: 'NNZGB' }, 403, 'forbidden', 'kind'],
      ['city', 'a region office under itself', { code: 'NNPEER2', kind: 'region_title_office', parentCode: 'NNZGB' }, 403, 'forbidden', 'kind'],
      ['city', 'a submitter of its rank deep below', { code: 'NNPEER3', kind: 'department_hr_office', parentCode: 'NNLQ01' }, 403, 'forbidden', 'kind'],
      ['city', 'a department under its unit', { code: 'NNUP1', kind: 'competent_department', parentCode: 'NNLQ01' }, 422, 'rank_order', 'kind'],
      ['city', 'a unit under its unit', { code: 'NNUP2', kind: 'unit', parentCode: 'NNLQ01' }, 422, 'rank_order', 'kind'],
      ['city', 'its unit re-kinded to its parent department\'s rank', { code: 'NNLQ01', kind: 'competent_department', parentCode: 'NNJTJ' }, 422, 'rank_order', 'kind'],
      ['city', 'its department re-kinded to a city office', { code: 'NNJTJ', kind: 'city_title_office', parentCode: 'NNZGB' }, 403, 'forbidden', 'kind'],
      ['city', 'its department re-kinded down to its own unit\'s rank', { code: 'NNJTJ', kind: 'unit', parentCode: 'NNZGB' }, 422, 'rank_order', 'kind'],
      ['city', 'its department moved under the region office', { code: 'NNJTJ', kind: 'competent_department', parentCode: 'GXZGB' }, 403, 'forbidden', 'orgCode'],
      ['city', 'its department moved under another submitter', { code: 'NNJTJ', kind: 'competent_department', parentCode: 'GXJTT' }, 403, 'forbidden', 'orgCode'],
      ['city', 'its department moved under its own unit', { code: 'NNJTJ', kind: 'competent_department', parentCode: 'NNLQ01' }, 409, 'conflict', 'parentCode'],
      ['city', 'its department moved under a peer department', { code: 'NNJTJ', kind: 'competent_department', parentCode: 'NNEMPTY' }, 422, 'rank_order', 'kind'],
      ['city', 'a unit of another office moved under itself', { code: 'GXJT01', kind: 'unit', parentCode: 'NNZGB' }, 403, 'forbidden', 'orgCode'],
      ['region', 'a second region office', { code: 'GXZGB2', kind: 'region_title_office', parentCode: 'GXZGB' }, 403, 'forbidden', 'kind'],
      ['region', 'a department lifted to its city office\'s rank', { code: 'NNJTJ', kind: 'city_title_office', parentCode: 'NNZGB' }, 422, 'rank_order', 'kind'],
      ['region', 'a city office lowered to its department\'s rank', { code: 'NNZGB', kind: 'competent_department', parentCode: 'GXZGB' }, 422, 'rank_order', 'kind'],
      ['region', 'a city office under a unit', { code: 'GXUP1', kind: 'city_title_office', parentCode: 'GXQY01' }, 422, 'rank_order', 'kind'],
      ['region', 'a submitter moved under a peer submitter', { code: 'GXJTT', kind: 'department_hr_office', parentCode: 'NNZGB' }, 422, 'rank_order', 'kind'],
      ['university', 'a unit under itself', { code: 'GXUP2', kind: 'unit', parentCode: 'GXU' }, 403, 'forbidden', 'kind'],
      ['university', 'itself re-kinded to a city office', { code: 'GXU', kind: 'city_title_office', parentCode: 'GXZGB' }, 403, 'forbidden', 'code'],
      ['university', 'a unit of another office moved under itself', { code: 'NNLQ01', kind: 'unit', parentCode: 'GXU' }, 403, 'forbidden', 'orgCode'],
      ['university', 'a department under the region office', { code: 'GXUP3', kind: 'competent_department', parentCode: 'GXZGB' }, 403, 'forbidden', 'orgCode'],
    ];
    const before = await orgsNow();
    // Each attempt three times over, all 66 at once.
    const answers = await Promise.all(
      [...attempts, ...attempts, ...attempts].map(async ([who, what, org, status, code, field]) => {
        const res = await client(server, tokens()[who])('POST', '/api/v1/organisations', { name: `${org.code} 试探`, ...org });
        return unlessRefused(res, status, code, field, `${who}: ${what}`);
      }),
    );
    expect(answers.filter(Boolean)).toEqual([]);
    expect(await orgsNow()).toEqual(before);
  });

  it('names the parent or the child it is measured against', async () => {
    const up = await client(server, staff.admin)('POST', '/api/v1/organisations', { code: 'NNJTJ', name: '南宁市交通运输局', kind: 'city_title_office', parentCode: 'NNZGB' });
    const problem = await expectRefusal(up, 422, 'rank_order', 'kind');
    expect(problem.message.zh).toContain('NNZGB（设区市职改办）');
    expect(problem.message.en).toContain('strictly below its parent');
    const down = await client(server, staff.admin)('POST', '/api/v1/organisations', { code: 'NNJTJ', name: '南宁市交通运输局', kind: 'unit', parentCode: 'NNZGB' });
    expect((await expectRefusal(down, 422, 'rank_order', 'kind')).message.zh).toMatch(/^NNJTJ 的下级机构 NN(LQ01|JTJK\d)（(用人单位|自主评审高校)）/);
  });

  it('legitimate placements still work: add below, move within the subtree to a higher parent, re-kind within the rank order', async () => {
    const city = client(server, admins.NNZGB!);
    const root = client(server, staff.admin);
    for (const [as, org] of [
      [city, { code: 'NNDEPT2', name: '南宁市住建局', kind: 'competent_department', parentCode: 'NNZGB' }],
      [city, { code: 'NNUNIT2', name: '南宁某设计院', kind: 'unit', parentCode: 'NNDEPT2' }],
      [city, { code: 'NNUNIT2', name: '南宁某设计院', kind: 'university', parentCode: 'NNDEPT2' }],
      [city, { code: 'NNUNIT2', name: '南宁某设计院', kind: 'university', parentCode: 'NNZGB' }],
      [root, { code: 'NNDEPT2', name: '南宁市住建局', kind: 'unit', parentCode: 'NNZGB' }],
      [root, { code: 'GXJT01', name: '广西交通设计院', kind: 'unit', parentCode: 'NNJTJ' }],
      [root, { code: 'GXJT01', name: '广西交通设计院', kind: 'unit', parentCode: 'GXJTT' }],
    ] as const) {
      const res = await as('POST', '/api/v1/organisations', org);
      expect(res.status, `${org.code} ${JSON.stringify(await res.clone().text())}`).toBe(200);
    }
    const tree = new Map((await orgsNow()).map((o) => [o.code, o]));
    expect(tree.get('NNUNIT2')).toMatchObject({ kind: 'university', parentCode: 'NNZGB' });
    expect(tree.get('NNDEPT2')).toMatchObject({ kind: 'unit', parentCode: 'NNZGB' });
    expect(tree.get('GXJT01')).toMatchObject({ kind: 'unit', parentCode: 'GXJTT' });
  });

  it('racing admins: a department re-kinded to a unit while the city places a unit under it, 8 pairs at once — one of each pair lands, never a unit under a unit', async () => {
    const city = client(server, admins.NNZGB!);
    const root = client(server, staff.admin);
    const pairs = Array.from({ length: 8 }, (_, i) => `NNRACE${i}`);
    for (const code of pairs) expect((await city('POST', '/api/v1/organisations', { code, name: `${code} 局`, kind: 'competent_department', parentCode: 'NNZGB' })).status).toBe(200);
    const answers = await Promise.all(
      pairs.map(async (code) => {
        const [rekind, child] = await Promise.all([
          root('POST', '/api/v1/organisations', { code, name: `${code} 局`, kind: 'unit', parentCode: 'NNZGB' }),
          city('POST', '/api/v1/organisations', { code: `${code}U`, name: `${code} 下属单位`, kind: 'unit', parentCode: code }),
        ]);
        return [rekind.status, child.status].sort().join('+');
      }),
    );
    for (const answer of answers) expect(['200+409', '200+422']).toContain(answer);
    const tree = new Map((await orgsNow()).map((o) => [o.code, o]));
    for (const code of pairs) expect(tree.get(code)?.kind === 'unit' && tree.has(`${code}U`)).toBe(false);
    // Every save that landed, and none that was refused, left its audit row with its signed head.
    const check = await server.cli(['log', 'check']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });

  it('the operator\'s CLI places any kind, but never out of rank order', async () => {
    const refused: string[][] = [
      ['--code', 'FAKEGX2', '--name', '冒充的自治区职改办', '--kind', 'region_title_office', '--parent', 'NNZGB'],
      ['--code', 'GXZGB9', '--name', '第二个自治区职改办', '--kind', 'region_title_office'],
      ['--code', 'NNUP3', '--name', '单位下的主管部门', '--kind', 'competent_department', '--parent', 'NNLQ01'],
      ['--code', 'NNZGB', '--name', '南宁市职称改革工作领导小组办公室', '--kind', 'unit', '--parent', 'GXZGB'],
      ['--code', 'NNTOP', '--name', '无上级的市职改办', '--kind', 'city_title_office'],
    ];
    const before = await orgsNow();
    for (const args of refused) {
      const run = await server.cli(['org', 'add', ...args]);
      expect(run.code, args.join(' ')).not.toBe(0);
      expect(run.stderr).toMatch(/\p{Script=Han}/u);
      expect(run.stderr).toMatch(/rank|root|parent/);
    }
    expect(await orgsNow()).toEqual(before);
    const placed = await server.cli(['org', 'add', '--code', 'GXRSC', '--name', '广西人才服务中心', '--kind', 'file_office', '--parent', 'GXZGB']);
    expect(placed.code, placed.stderr).toBe(0);
  }, 480_000); // six CLI runs: on workerd each goes through wrangler d1 (about half a minute on a busy machine)
});

describe('adding an admin: only at the own office or one ranked strictly below it', () => {
  const adminsAt = (orgCode: string): number => {
    const db = new Database(server.dbPath, { readonly: true });
    try {
      return (db.prepare("SELECT count(*) AS n FROM people WHERE org_code = ? AND role = 'admin'").get(orgCode) as { n: number }).n;
    } finally {
      db.close();
    }
  };

  it('at a higher office, a peer or an unranked office, by a city, a university and the region admin, all at once: each 403, nobody added', async () => {
    // A peer city office under NNZGB, from before the rank rule (the API and the CLI refuse to place it).
    placeLegacyOrganisation(server, { code: 'NNPEER', name: '南宁某县职改办', kind: 'city_title_office', parentCode: 'NNZGB' });
    const attempts: [who: Person, what: string, orgCode: string][] = [
      [admins.NNZGB!, 'city → the region office above it', 'GXZGB'],
      [admins.NNZGB!, 'city → a peer submitter outside', 'GXJTT'],
      [admins.NNZGB!, 'city → a peer city office inside its subtree', 'NNPEER'],
      [admins.NNZGB!, 'city → a region office inside its subtree', 'FAKEGX'],
      [admins.GXU!, 'university → the region office', 'GXZGB'],
      [admins.GXU!, 'university → a city office', 'NNZGB'],
      [staff.admin, 'region → a region office that is not the root', 'FAKEGX'],
      [staff.admin, 'region → an unplaced authority', 'GXUZP'],
    ];
    const before = Object.fromEntries(attempts.map(([, , code]) => [code, adminsAt(code)]));
    const answers = await Promise.all(
      [...attempts, ...attempts, ...attempts].map(async ([who, what, orgCode]) => {
        const res = await client(server, who)('POST', '/api/v1/people', { orgCode, role: 'admin', name: '越权管理员' });
        return unlessRefused(res, 403, 'forbidden', 'orgCode', what);
      }),
    );
    expect(answers.filter(Boolean)).toEqual([]);
    expect(Object.fromEntries(attempts.map(([, , code]) => [code, adminsAt(code)]))).toEqual(before);
    const peer = await client(server, admins.NNZGB!)('POST', '/api/v1/people', { orgCode: 'NNPEER', role: 'admin', name: '越权管理员' });
    const problem = await expectRefusal(peer, 403, 'forbidden', 'orgCode');
    expect(problem.message.zh).toContain('NNPEER（设区市职改办）');
    expect(problem.message.en).toContain('only at your own office or an organisation ranked below it');
  });

  it('still adds an admin at the own office and below, and other roles anywhere in the subtree', async () => {
    const added: [who: Person, orgCode: string, role: string][] = [
      [admins.NNZGB!, 'NNZGB', 'admin'],
      [admins.NNZGB!, 'NNJTJ', 'admin'],
      [admins.NNZGB!, 'NNLQ01', 'admin'],
      [admins.NNZGB!, 'NNPEER', 'title_office_staff'],
      [admins.NNZGB!, 'FAKEGX', 'auditor'],
      [admins.GXU!, 'GXU', 'admin'],
      [staff.admin, 'NNPEER', 'admin'],
      [staff.admin, 'GXZGB', 'admin'],
    ];
    const answers = await Promise.all(added.map(([who, orgCode, role]) => client(server, who)('POST', '/api/v1/people', { orgCode, role, name: '新人员' })));
    expect(answers.map((r) => r.status)).toEqual(added.map(() => 201));
    const newAdmin = { token: ((await json(answers[1]!)) as { token: string }).token, id: '', name: '新人员' };
    const placed = await client(server, newAdmin)('POST', '/api/v1/organisations', { code: 'NNJTJU9', name: '交通局下属单位', kind: 'unit', parentCode: 'NNJTJ' });
    expect(placed.status).toBe(200);
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
