/**
 * Who may place which organisation (domain/ranks.ts): every kind of admin office × every kind to place,
 * against a table written out by hand from the notice's levels — the region title office above the senior
 * submitters of 二(二)3 (city title office, department-level HR office, region personnel-file office),
 * above the competent departments, above the units. The region office's rank is the root office's alone.
 */
import { describe, expect, it } from 'vitest';
import { isRootOffice, kindsPlaceableBy, mayAppointAdmin, placementFault, rankOf, rootOffice } from '../../src/domain/ranks.js';
import { ORGANISATION_KINDS, type OrganisationKind, type OrgNode } from '../../src/domain/routing.js';

type Row = [code: string, kind: OrganisationKind, parentCode: string | null];
const orgMap = (rows: readonly Row[]): Map<string, OrgNode> => new Map(rows.map(([code, kind, parentCode]) => [code, { code, name: code, kind, parentCode }]));

// One office of each kind; FAKEGX is a region_title_office placed under a city office (the attack).
const TREE = orgMap([
  ['GXZGB', 'region_title_office', null],
  ['NNZGB', 'city_title_office', 'GXZGB'],
  ['GXJTT', 'department_hr_office', 'GXZGB'],
  ['GXDAG', 'file_office', 'GXZGB'],
  ['NNJTJ', 'competent_department', 'NNZGB'],
  ['NNLQ01', 'unit', 'NNJTJ'],
  ['GXU', 'university', 'GXZGB'],
  ['GXUZP', 'issuing_authority', null],
  ['FAKEGX', 'region_title_office', 'NNZGB'],
]);

const BELOW_SUBMITTERS: OrganisationKind[] = ['competent_department', 'unit', 'university'];
/** office → the kinds its admin may place (by hand, not from the code). */
const EXPECTED: Record<string, OrganisationKind[]> = {
  GXZGB: ['city_title_office', 'department_hr_office', 'file_office', 'competent_department', 'unit', 'university'],
  NNZGB: BELOW_SUBMITTERS,
  GXJTT: BELOW_SUBMITTERS,
  GXDAG: BELOW_SUBMITTERS,
  NNJTJ: ['unit', 'university'],
  NNLQ01: [],
  GXU: [],
  GXUZP: [],
  FAKEGX: [],
};

describe('kindsPlaceableBy: every admin office × every kind', () => {
  const cells = Object.entries(EXPECTED).flatMap(([office, allowed]) => ORGANISATION_KINDS.map((kind) => [office, TREE.get(office)!.kind, kind, allowed.includes(kind)] as const));
  it(`${cells.length} cells`, () => {
    expect(cells).toHaveLength(9 * ORGANISATION_KINDS.length);
    const wrong = cells.filter(([office, , kind, allowed]) => kindsPlaceableBy(TREE, office).includes(kind) !== allowed);
    expect(wrong).toEqual([]);
  });

  it('nobody may place a region title office or an unclassified authority', () => {
    for (const office of TREE.keys()) {
      expect(kindsPlaceableBy(TREE, office)).not.toContain('region_title_office');
      expect(kindsPlaceableBy(TREE, office)).not.toContain('issuing_authority');
    }
  });

  it('nobody may place a kind of their own rank or above', () => {
    for (const [office] of TREE) {
      const own = rankOf(TREE, office);
      for (const kind of kindsPlaceableBy(TREE, office)) expect(rankOf(orgMap([['X', kind, 'GXZGB'], ['GXZGB', 'region_title_office', null]]), 'X')).toBeGreaterThan(own!);
    }
  });

  it('an unknown office places nothing', () => {
    expect(kindsPlaceableBy(TREE, 'NOBODY')).toEqual([]);
  });
});

describe('the root office', () => {
  it('is the one region title office without a parent', () => {
    expect(rootOffice(TREE)?.code).toBe('GXZGB');
    expect(isRootOffice(TREE, 'GXZGB')).toBe(true);
  });

  it('a region title office placed under another office is not it, and has no rank', () => {
    expect(isRootOffice(TREE, 'FAKEGX')).toBe(false);
    expect(rankOf(TREE, 'FAKEGX')).toBeNull();
  });

  it('an unplaced authority at the root is not it', () => {
    expect(isRootOffice(TREE, 'GXUZP')).toBe(false);
  });

  it('two parentless region title offices: neither is (no one can tell which is real)', () => {
    const two = orgMap([
      ['GXZGB', 'region_title_office', null],
      ['GXZGB2', 'region_title_office', null],
    ]);
    expect(rootOffice(two)).toBeUndefined();
    expect(isRootOffice(two, 'GXZGB')).toBe(false);
    expect(kindsPlaceableBy(two, 'GXZGB')).toEqual([]);
  });

  it('no region title office at all: no root office', () => {
    expect(rootOffice(orgMap([['NNZGB', 'city_title_office', null]]))).toBeUndefined();
  });
});

describe('placementFault: each organisation ranks strictly below its parent and above its children', () => {
  // A coherent tree (no FAKEGX): the one the service and the CLI keep.
  const COHERENT = orgMap([
    ['GXZGB', 'region_title_office', null],
    ['NNZGB', 'city_title_office', 'GXZGB'],
    ['GXJTT', 'department_hr_office', 'GXZGB'],
    ['NNJTJ', 'competent_department', 'NNZGB'],
    ['NNLQ01', 'unit', 'NNJTJ'],
    ['NNEMPTY', 'competent_department', 'NNZGB'],
    ['GXUZP', 'issuing_authority', null],
  ]);
  const at = (code: string, kind: OrganisationKind, parentCode: string | null, tree = COHERENT) => placementFault(tree, { code, name: code, kind, parentCode });

  // parent kind → the child kinds that may stand under it (by hand: 0 region > 1 submitters > 2 departments > 3 units).
  const UNDER: Record<string, OrganisationKind[]> = {
    GXZGB: ['city_title_office', 'department_hr_office', 'file_office', 'competent_department', 'unit', 'university'],
    NNZGB: ['competent_department', 'unit', 'university'],
    GXJTT: ['competent_department', 'unit', 'university'],
    NNJTJ: ['unit', 'university'],
    NNLQ01: [],
    GXUZP: [],
  };
  it(`every parent × every kind of a new child (${Object.keys(UNDER).length * ORGANISATION_KINDS.length} cells)`, () => {
    const wrong = Object.entries(UNDER).flatMap(([parent, allowed]) =>
      ORGANISATION_KINDS.filter((kind) => (at('NEW1', kind, parent) === undefined) !== allowed.includes(kind)).map((kind) => `${parent} ← ${kind}`),
    );
    expect(wrong).toEqual([]);
  });

  it('a child of its parent\'s rank or above is refused on the kind, naming both in Chinese and English', () => {
    const fault = at('NNPEER', 'city_title_office', 'NNZGB');
    expect(fault?.field).toBe('kind');
    expect(fault?.message.zh).toContain('NNZGB（设区市职改办）');
    expect(fault?.message.en).toContain('strictly below its parent');
    expect(at('NNDEPT', 'department_hr_office', 'NNZGB')?.field).toBe('kind'); // another kind of the same rank
  });

  it('re-kinding: never to the parent\'s rank or above, never to the rank of its children or below', () => {
    expect(at('NNJTJ', 'city_title_office', 'NNZGB')?.field).toBe('kind'); // lifted to its parent's rank
    expect(at('NNJTJ', 'unit', 'NNZGB')?.message.en).toContain('NNLQ01'); // its unit would be its peer
    expect(at('NNEMPTY', 'unit', 'NNZGB')).toBeUndefined(); // no children: may go down
    expect(at('NNLQ01', 'university', 'NNJTJ')).toBeUndefined(); // same rank, still below its parent
    expect(at('NNZGB', 'competent_department', 'GXZGB')?.message.zh).toContain('NNJTJ'); // its department would be its peer
  });

  it('re-parenting: under an organisation of its rank or below is refused; a cycle is refused', () => {
    expect(at('NNJTJ', 'competent_department', 'NNEMPTY')?.field).toBe('kind');
    expect(at('NNJTJ', 'competent_department', 'NNLQ01')?.field).toBe('parentCode'); // its own unit: a cycle
    expect(at('NNJTJ', 'competent_department', 'NNJTJ')?.field).toBe('parentCode');
    expect(at('NNJTJ', 'competent_department', 'GXJTT')).toBeUndefined(); // another submitter: fine
    expect(at('NNJTJ', 'competent_department', 'NOSUCH')?.field).toBe('parentCode');
  });

  it('the region title office only at the root, and only one; other kinds need a parent', () => {
    expect(at('FAKEGX', 'region_title_office', 'NNZGB')?.field).toBe('kind');
    expect(at('GXZGB2', 'region_title_office', null)?.message.en).toContain('GXZGB');
    expect(at('GXZGB', 'region_title_office', null)).toBeUndefined(); // renaming the root office itself
    expect(at('GXZGB', 'region_title_office', null, orgMap([]))).toBeUndefined(); // the first organisation
    expect(at('NNX', 'city_title_office', null)?.field).toBe('parentCode');
    expect(at('GXZGB', 'city_title_office', null)?.field).toBe('parentCode'); // the root demoted
  });

  it('an unclassified authority stays apart and holds nothing; placed, it is an ordinary kind', () => {
    expect(at('GXUZP', 'issuing_authority', null)).toBeUndefined();
    expect(at('GXUZP', 'issuing_authority', 'GXZGB')?.field).toBe('kind');
    expect(at('GXUZP', 'university', 'GXZGB')).toBeUndefined();
    expect(at('UNDERAUTH', 'unit', 'GXUZP')?.field).toBe('parentCode');
  });

  it('nothing may stand under a region title office that is not the root (a legacy tree)', () => {
    expect(at('UNDERFAKE', 'unit', 'FAKEGX', TREE)?.field).toBe('parentCode');
  });
});

describe('mayAppointAdmin: at the own office or strictly below it, inside the subtree', () => {
  // TREE plus a legacy peer: a city title office written under NNZGB before the rank rule.
  const LEGACY = new Map(TREE).set('NNPEER', { code: 'NNPEER', name: 'NNPEER', kind: 'city_title_office', parentCode: 'NNZGB' });
  /** actor → the organisations where they may add an admin (by hand). */
  const MAY: Record<string, string[]> = {
    GXZGB: ['GXZGB', 'NNZGB', 'GXJTT', 'GXDAG', 'NNJTJ', 'NNLQ01', 'GXU', 'NNPEER'], // not FAKEGX (no rank), not GXUZP (not placed)
    NNZGB: ['NNZGB', 'NNJTJ', 'NNLQ01'], // not NNPEER (a peer), not FAKEGX (above), nothing outside
    NNJTJ: ['NNJTJ', 'NNLQ01'],
    NNLQ01: ['NNLQ01'],
    GXU: ['GXU'],
    FAKEGX: ['FAKEGX'],
    GXUZP: ['GXUZP'],
    NNPEER: ['NNPEER'],
  };
  it(`every actor × every organisation (${Object.keys(MAY).length * LEGACY.size} cells)`, () => {
    const wrong = Object.entries(MAY).flatMap(([actor, allowed]) =>
      [...LEGACY.keys()].filter((org) => mayAppointAdmin(LEGACY, actor, org) !== allowed.includes(org)).map((org) => `${actor} → ${org}`),
    );
    expect(wrong).toEqual([]);
  });

  it('an organisation that does not exist: nobody', () => {
    expect(mayAppointAdmin(LEGACY, 'GXZGB', 'NOBODY')).toBe(false);
    expect(mayAppointAdmin(LEGACY, 'NOBODY', 'NOBODY')).toBe(false);
  });
});
