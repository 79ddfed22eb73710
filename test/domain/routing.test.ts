/**
 * How a case climbs the organisations (notice 二(一) who confirms, 二(二)3 level by level and who may submit
 * a senior case), on one small map of Guangxi:
 *
 *   GXZGB region title office (senior)
 *   ├─ NNZGB city title office (intermediate, assistant, junior)
 *   │  └─ NNJTJ competent department
 *   │     └─ NNLQ01 unit
 *   ├─ GXJTT department-level HR office ── GXJT01 unit
 *   ├─ GXDAG region personnel-file office ── GXRC01 unit
 *   ├─ GXU self-evaluating university (senior_associate, intermediate), itself the employer
 *   └─ GXQY01 unit
 */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import type { Level } from '../../src/domain/levels.js';
import {
  confirmingAuthorityOn,
  nextHop,
  reviewingRole,
  routeFrom,
  subtreeOf,
  type HopStatus,
  type OrganisationKind,
  type OrgNode,
} from '../../src/domain/routing.js';

type Row = [code: string, name: string, kind: OrganisationKind, parentCode: string | null];

const orgMap = (rows: readonly Row[]): Map<string, OrgNode> => new Map(rows.map(([code, name, kind, parentCode]) => [code, { code, name, kind, parentCode }]));

const ROWS: readonly Row[] = [
  ['GXZGB', '自治区职改办', 'region_title_office', null],
  ['NNZGB', '南宁市职改办', 'city_title_office', 'GXZGB'],
  ['NNJTJ', '南宁市交通运输局', 'competent_department', 'NNZGB'],
  ['NNLQ01', '南宁路桥工程有限公司', 'unit', 'NNJTJ'],
  ['GXJTT', '自治区交通运输厅人事处', 'department_hr_office', 'GXZGB'],
  ['GXJT01', '广西交通设计院', 'unit', 'GXJTT'],
  ['GXDAG', '自治区人才服务中心档案部', 'file_office', 'GXZGB'],
  ['GXRC01', '广西某科技有限公司', 'unit', 'GXDAG'],
  ['GXU', '广西某大学', 'university', 'GXZGB'],
  ['GXQY01', '广西某区直企业', 'unit', 'GXZGB'],
];
const ORGS = orgMap(ROWS);

/** What each organisation's signing key may confirm (the trust store). */
const AUTHORISED: Readonly<Record<string, readonly Level[]>> = {
  GXZGB: ['senior_full', 'senior_associate'],
  NNZGB: ['intermediate', 'assistant', 'junior'],
  GXU: ['senior_associate', 'intermediate'],
};
const levelsFrom =
  (table: Readonly<Record<string, readonly Level[]>>) =>
  (code: string): readonly Level[] =>
    table[code] ?? [];

/** Forwards from the unit until the case reaches the authority's review; each hop as `from→to status`. */
function walk(unitCode: string, level: Level, orgs: ReadonlyMap<string, OrgNode> = ORGS, authorised = AUTHORISED): { authority: string; hops: string[] } {
  const route = routeFrom(unitCode, orgs);
  const authority = confirmingAuthorityOn(route, level, levelsFrom(authorised)).code;
  const hops: string[] = [];
  let from = unitCode;
  let status: HopStatus | undefined;
  while (status !== 'authority_review') {
    if (hops.length > route.length) throw new Error('the walk does not end');
    const hop = nextHop(route, from, authority, level);
    hops.push(`${from}→${hop.holderCode} ${hop.status}`);
    ({ holderCode: from, status } = hop);
  }
  return { authority, hops };
}

function refusal(fn: () => unknown): DomainError | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  return undefined;
}

interface Walk {
  name: string;
  unit: string;
  level: Level;
  authority: string;
  hops: string[];
  orgs?: ReadonlyMap<string, OrgNode>;
  authorised?: Readonly<Record<string, readonly Level[]>>;
}

const SENIOR_VIA_CITY = ['NNLQ01→NNJTJ department_review', 'NNJTJ→NNZGB forwarding', 'NNZGB→GXZGB authority_review'];
const MIDDLE_VIA_DEPARTMENT = ['NNLQ01→NNJTJ department_review', 'NNJTJ→NNZGB authority_review'];

const walks: Walk[] = [
  { name: '二(一), 二(二)3: senior associate from NNLQ01 climbs to the region through the city title office', unit: 'NNLQ01', level: 'senior_associate', authority: 'GXZGB', hops: SENIOR_VIA_CITY },
  { name: '二(一), 二(二)3: senior full from NNLQ01, the same way', unit: 'NNLQ01', level: 'senior_full', authority: 'GXZGB', hops: SENIOR_VIA_CITY },
  { name: '二(一): intermediate from NNLQ01 is confirmed by the city title office', unit: 'NNLQ01', level: 'intermediate', authority: 'NNZGB', hops: MIDDLE_VIA_DEPARTMENT },
  { name: '二(一): assistant from NNLQ01 is confirmed by the city title office', unit: 'NNLQ01', level: 'assistant', authority: 'NNZGB', hops: MIDDLE_VIA_DEPARTMENT },
  { name: '二(一): junior from NNLQ01 is confirmed by the city title office', unit: 'NNLQ01', level: 'junior', authority: 'NNZGB', hops: MIDDLE_VIA_DEPARTMENT },
  { name: '二(二)3: senior from GXJT01 submitted by the department-level HR office', unit: 'GXJT01', level: 'senior_associate', authority: 'GXZGB', hops: ['GXJT01→GXJTT department_review', 'GXJTT→GXZGB authority_review'] },
  { name: '二(二)3: senior full from GXJT01 submitted by the department-level HR office', unit: 'GXJT01', level: 'senior_full', authority: 'GXZGB', hops: ['GXJT01→GXJTT department_review', 'GXJTT→GXZGB authority_review'] },
  { name: '二(二)3: senior from GXRC01 submitted by the region personnel-file office', unit: 'GXRC01', level: 'senior_associate', authority: 'GXZGB', hops: ['GXRC01→GXDAG department_review', 'GXDAG→GXZGB authority_review'] },
  { name: '二(一): the university confirms its own senior associate itself', unit: 'GXU', level: 'senior_associate', authority: 'GXU', hops: ['GXU→GXU authority_review'] },
  { name: '二(一): the university confirms its own intermediate itself', unit: 'GXU', level: 'intermediate', authority: 'GXU', hops: ['GXU→GXU authority_review'] },
  {
    name: '二(二)3: a unit straight under the region may submit an intermediate case (the senior rule does not apply)',
    unit: 'GXQY01',
    level: 'intermediate',
    authority: 'GXZGB',
    hops: ['GXQY01→GXZGB authority_review'],
    authorised: { ...AUTHORISED, GXZGB: ['senior_full', 'senior_associate', 'intermediate', 'assistant', 'junior'] },
  },
  {
    name: '二(一): the nearest authorised organisation confirms, not the region above it',
    unit: 'NNLQ01',
    level: 'intermediate',
    authority: 'NNZGB',
    hops: MIDDLE_VIA_DEPARTMENT,
    authorised: { ...AUTHORISED, GXZGB: ['senior_full', 'senior_associate', 'intermediate'] },
  },
  {
    name: '二(一): a city title office authorised for senior confirms it without climbing further',
    unit: 'NNLQ01',
    level: 'senior_associate',
    authority: 'NNZGB',
    hops: ['NNLQ01→NNJTJ department_review', 'NNJTJ→NNZGB authority_review'],
    authorised: { ...AUTHORISED, NNZGB: ['senior_associate', 'intermediate', 'assistant', 'junior'] },
  },
  {
    name: '二(二)3: a city title office that is the first level above the unit does the department review',
    unit: 'NNLQ02',
    level: 'senior_associate',
    authority: 'GXZGB',
    hops: ['NNLQ02→NNZGB department_review', 'NNZGB→GXZGB authority_review'],
    orgs: orgMap([...ROWS, ['NNLQ02', '南宁某公司', 'unit', 'NNZGB']]),
  },
  {
    name: '二(二)3: a university under a department-level HR office sends its senior full case through it',
    unit: 'GXU2',
    level: 'senior_full',
    authority: 'GXZGB',
    hops: ['GXU2→GXJYT department_review', 'GXJYT→GXZGB authority_review'],
    orgs: orgMap([...ROWS, ['GXJYT', '自治区教育厅人事处', 'department_hr_office', 'GXZGB'], ['GXU2', '广西另一所大学', 'university', 'GXJYT']]),
    authorised: { ...AUTHORISED, GXU2: ['senior_associate'] },
  },
];

describe('routing: a case forwarded level by level to its confirming authority', () => {
  it.each(walks)('$name', (w) => {
    expect(walk(w.unit, w.level, w.orgs, w.authorised)).toEqual({ authority: w.authority, hops: w.hops });
  });
});

interface Refused {
  name: string;
  /** The unit; the walk is refused at some hop. */
  unit: string;
  level: Level;
  orgs?: ReadonlyMap<string, OrgNode>;
  authorised?: Readonly<Record<string, readonly Level[]>>;
  code: string;
  clause: string;
  /** Who tried to submit (named in the message). */
  names: string;
}

const refused: Refused[] = [
  { name: '二(二)3: senior from GXQY01 may not go straight from the unit to the region', unit: 'GXQY01', level: 'senior_associate', code: 'conflict', clause: '二(二)3', names: 'GXQY01' },
  { name: '二(二)3: senior full from GXQY01 likewise', unit: 'GXQY01', level: 'senior_full', code: 'conflict', clause: '二(二)3', names: 'GXQY01' },
  {
    name: '二(二)3: the university may not itself submit its senior full case to the region',
    unit: 'GXU',
    level: 'senior_full',
    code: 'conflict',
    clause: '二(二)3',
    names: 'GXU',
  },
  {
    name: '二(二)3: a competent department straight under the region may not submit a senior case',
    unit: 'GXQY02',
    level: 'senior_associate',
    orgs: orgMap([...ROWS, ['GXSWT', '自治区某局', 'competent_department', 'GXZGB'], ['GXQY02', '区直某企业', 'unit', 'GXSWT']]),
    code: 'conflict',
    clause: '二(二)3',
    names: 'GXSWT',
  },
  { name: '二(一): junior from GXQY01, nobody above may confirm it', unit: 'GXQY01', level: 'junior', code: 'level_not_authorised', clause: '二(一)', names: 'GXQY01' },
  { name: '二(一): junior at the university, authorised neither there nor at the region', unit: 'GXU', level: 'junior', code: 'level_not_authorised', clause: '二(一)', names: 'GXU' },
  { name: '二(一): assistant from GXJT01, the region confirms senior only', unit: 'GXJT01', level: 'assistant', code: 'level_not_authorised', clause: '二(一)', names: 'GXJT01' },
];

describe('routing: refused routes', () => {
  it.each(refused)('$name', (r) => {
    const error = refusal(() => walk(r.unit, r.level, r.orgs, r.authorised));
    expect(error?.code).toBe(r.code);
    expect(error?.details?.clause).toBe(r.clause);
    expect(error?.en).toContain(`notice ${r.clause}`);
    expect(error?.en).toContain(r.names);
  });

  it('二(一): the senior full case of the university still belongs to the region (GXU may confirm senior associate only)', () => {
    expect(confirmingAuthorityOn(routeFrom('GXU', ORGS), 'senior_full', levelsFrom(AUTHORISED)).code).toBe('GXZGB');
  });

  it('二(一): no authority on the route is refused on the title field', () => {
    const error = refusal(() => confirmingAuthorityOn(routeFrom('GXQY01', ORGS), 'junior', levelsFrom(AUTHORISED)));
    expect(error).toMatchObject({ code: 'level_not_authorised', field: 'eligibility.title', details: { clause: '二(一)' } });
    expect(error?.zh).toContain('广西某区直企业');
  });
});

describe('confirmingAuthorityOn: only organisations of a confirming kind (二(一))', () => {
  const everything: readonly Level[] = ['senior_full', 'senior_associate', 'intermediate', 'assistant', 'junior'];
  const cases: { name: string; unit: string; level: Level; authorised: Record<string, readonly Level[]>; authority: string }[] = [
    { name: 'a competent department with levels in the trust store is skipped', unit: 'NNLQ01', level: 'intermediate', authorised: { ...AUTHORISED, NNJTJ: everything }, authority: 'NNZGB' },
    { name: 'an ordinary unit with levels is skipped', unit: 'NNLQ01', level: 'junior', authorised: { ...AUTHORISED, NNLQ01: everything }, authority: 'NNZGB' },
    { name: 'a department-level HR office with senior levels is skipped', unit: 'GXJT01', level: 'senior_associate', authorised: { ...AUTHORISED, GXJTT: everything }, authority: 'GXZGB' },
    { name: 'a personnel-file office with senior levels is skipped', unit: 'GXRC01', level: 'senior_full', authorised: { ...AUTHORISED, GXDAG: everything }, authority: 'GXZGB' },
    { name: 'the unit itself confirms when it is an authorised university', unit: 'GXU', level: 'senior_associate', authorised: AUTHORISED, authority: 'GXU' },
  ];
  it.each(cases)('$name', (c) => {
    expect(confirmingAuthorityOn(routeFrom(c.unit, ORGS), c.level, levelsFrom(c.authorised)).code).toBe(c.authority);
  });

  it('an issuing authority not yet classified may confirm what its key allows', () => {
    const orgs = orgMap([...ROWS, ['XX', '某发证机构', 'issuing_authority', 'GXZGB'], ['XX01', '某单位', 'unit', 'XX']]);
    expect(confirmingAuthorityOn(routeFrom('XX01', orgs), 'junior', levelsFrom({ XX: ['junior'] })).code).toBe('XX');
  });
});

describe('nextHop: refusals off the route', () => {
  const route = routeFrom('NNLQ01', ORGS);
  it('an organisation not on the case’s route cannot forward it', () => {
    expect(refusal(() => nextHop(route, 'GXJTT', 'GXZGB', 'senior_associate'))?.code).toBe('conflict');
  });
  it('the top of the route has nothing above it', () => {
    expect(refusal(() => nextHop(route, 'GXZGB', 'NNZGB', 'intermediate'))?.code).toBe('conflict');
  });
  it('the authority forwarding to itself stays at its own review', () => {
    expect(nextHop(route, 'GXZGB', 'GXZGB', 'senior_full')).toEqual({ holderCode: 'GXZGB', status: 'authority_review' });
  });
});

describe('routeFrom and subtreeOf', () => {
  it('the route runs from the unit up to the root', () => {
    expect(routeFrom('NNLQ01', ORGS).map((o) => o.code)).toEqual(['NNLQ01', 'NNJTJ', 'NNZGB', 'GXZGB']);
    expect(routeFrom('GXU', ORGS).map((o) => o.code)).toEqual(['GXU', 'GXZGB']);
    expect(routeFrom('GXZGB', ORGS).map((o) => o.code)).toEqual(['GXZGB']);
  });

  it('an unknown unit is not found', () => {
    expect(refusal(() => routeFrom('NOPE', ORGS))).toMatchObject({ code: 'not_found', field: 'org' });
  });

  it('an unknown parent is not found, named', () => {
    const error = refusal(() => routeFrom('ORPHAN01', orgMap([...ROWS, ['ORPHAN01', '孤儿单位', 'unit', 'MISSING']])));
    expect(error).toMatchObject({ code: 'not_found', field: 'org' });
    expect(error?.en).toContain('MISSING');
  });

  it('a cycle is detected', () => {
    const cyclic = orgMap([
      ['A', 'A', 'unit', 'B'],
      ['B', 'B', 'competent_department', 'C'],
      ['C', 'C', 'city_title_office', 'B'],
    ]);
    expect(() => routeFrom('A', cyclic)).toThrow(/cycle at B/);
  });

  it('an organisation that is its own parent is a cycle', () => {
    expect(() => routeFrom('S', orgMap([['S', 'S', 'unit', 'S']]))).toThrow(/cycle/);
  });

  const subtrees: [code: string, codes: string[]][] = [
    ['NNZGB', ['NNJTJ', 'NNLQ01', 'NNZGB']],
    ['NNJTJ', ['NNJTJ', 'NNLQ01']],
    ['GXJTT', ['GXJT01', 'GXJTT']],
    ['GXDAG', ['GXDAG', 'GXRC01']],
    ['NNLQ01', ['NNLQ01']],
    ['GXU', ['GXU']],
    ['GXZGB', ROWS.map(([code]) => code)],
    ['NOPE', []],
  ];
  it.each(subtrees)('subtreeOf %s', (code, codes) => {
    expect(subtreeOf(ORGS, code).sort()).toEqual([...codes].sort());
  });
});

describe('reviewingRole: who acts for an organisation while the case is above the unit (二(二)3)', () => {
  // the kinds a case climbs through; units, universities and unclassified authorities are left to the code
  const ROLE_OF: Partial<Record<OrganisationKind, string>> = {
    region_title_office: 'title_office_staff',
    city_title_office: 'title_office_staff',
    competent_department: 'department_reviewer',
    department_hr_office: 'department_reviewer',
    file_office: 'title_office_staff',
  };
  it.each(Object.entries(ROLE_OF))('%s → %s', (kind, role) => {
    expect(reviewingRole(kind as OrganisationKind)).toBe(role);
  });
});
