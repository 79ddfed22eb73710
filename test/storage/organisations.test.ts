/**
 * storage/organisations on a real SQLite file: organisations (code is identity; upsert renames and
 * re-places), their contacts, people and API tokens (by SHA-256; revoked ones grant nothing), and the
 * guard statements that keep a write from landing on an organisation tree changed since it was read.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ConstraintError } from '../../src/storage/driver.js';
import { OrganisationRepository, type Organisation } from '../../src/storage/organisations.js';
import { HOSTILE, LONG, openStore, RARE, tempDir, type Store } from './repoSupport.js';

const tmp = tempDir('organisations');
let store: Store;
let orgs: OrganisationRepository;
let n = 0;
const T = '2026-11-28T04:00:00.000Z';

const region: Organisation = { code: 'GXZGB', name: `广西壮族自治区职称改革工作领导小组办公室${RARE}`, kind: 'region_title_office', parentCode: null };
const city: Organisation = { code: 'NNZGB', name: '南宁市职称改革工作领导小组办公室', kind: 'city_title_office', parentCode: 'GXZGB' };

beforeEach(async () => {
  store?.close();
  store = await openStore(tmp.dir, `orgs-${n++}.db`, { seed: false });
  orgs = new OrganisationRepository(store.driver);
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

describe('OrganisationRepository: organisations', () => {
  it('round-trips every field; a missing code finds nothing', async () => {
    await orgs.upsert(region, T);
    await orgs.upsert(city, T);
    expect(await orgs.find('GXZGB')).toEqual(region);
    expect(await orgs.find('NNZGB')).toEqual(city);
    expect(await orgs.find('nnzgb')).toBeUndefined();
    expect(await orgs.find("GXZGB' OR '1'='1")).toBeUndefined();
  });

  it('upsert renames and re-places by code; the tree is every organisation by code, in code order', async () => {
    await orgs.upsert(region, T);
    await orgs.upsert(city, T);
    await orgs.upsert({ ...city, name: '南宁市人社局', kind: 'competent_department' }, '2027-01-01T00:00:00.000Z');
    const tree = await orgs.tree();
    expect([...tree.keys()]).toEqual(['GXZGB', 'NNZGB']);
    expect(tree.get('NNZGB')).toEqual({ code: 'NNZGB', name: '南宁市人社局', kind: 'competent_department', parentCode: 'GXZGB' });
    // created_at stays the first.
    expect(store.db.prepare("SELECT created_at FROM organisations WHERE code = 'NNZGB'").get()).toEqual({ created_at: T });
  });

  it('a parent that does not exist is a ConstraintError and nothing is written', async () => {
    await expect(orgs.upsert({ ...city, parentCode: 'NOPE' }, T)).rejects.toBeInstanceOf(ConstraintError);
    expect(await orgs.find('NNZGB')).toBeUndefined();
  });

  it('registerAuthority creates an unclassified authority, and later renames it without touching its kind or parent', async () => {
    await orgs.registerAuthority('HNZGB', '湖南省职改办', T);
    expect(await orgs.find('HNZGB')).toEqual({ code: 'HNZGB', name: '湖南省职改办', kind: 'issuing_authority', parentCode: null });
    await orgs.upsert(region, T);
    await orgs.upsert({ code: 'HNZGB', name: '湖南省职改办', kind: 'city_title_office', parentCode: 'GXZGB' }, T);
    await orgs.registerAuthority('HNZGB', `湖南省职称改革办公室${RARE}`, T);
    expect(await orgs.find('HNZGB')).toEqual({ code: 'HNZGB', name: `湖南省职称改革办公室${RARE}`, kind: 'city_title_office', parentCode: 'GXZGB' });
  });

  it('keeps hostile and very long names verbatim', async () => {
    await orgs.upsert({ code: HOSTILE, name: LONG, kind: 'issuing_authority', parentCode: null }, T);
    expect(await orgs.find(HOSTILE)).toEqual({ code: HOSTILE, name: LONG, kind: 'issuing_authority', parentCode: null });
    expect(await orgs.tree()).toHaveProperty('size', 1);
  });

  it('50 organisations upserted at once, each renamed once more: all there, each with its last name', async () => {
    await orgs.upsert(region, T);
    const codes = Array.from({ length: 50 }, (_, i) => `ORG${String(i).padStart(2, '0')}`);
    await Promise.all(
      codes.flatMap((code) => [
        orgs.upsert({ code, name: `第一${code}`, kind: 'unit', parentCode: 'GXZGB' }, T),
        orgs.upsert({ code, name: `第二${code}${RARE}`, kind: 'unit', parentCode: 'GXZGB' }, T),
      ]),
    );
    const tree = await orgs.tree();
    expect([...tree.keys()]).toEqual(['GXZGB', ...codes]);
    expect(codes.map((c) => tree.get(c)!.name)).toEqual(codes.map((c) => `第二${c}${RARE}`));
  });
});

describe('OrganisationRepository: contacts', () => {
  it('set, read one and all; a part left out is cleared; an unknown code changes nothing', async () => {
    await orgs.upsert(region, T);
    await orgs.upsert(city, T);
    expect(await orgs.contact('GXZGB')).toEqual({});
    expect(await orgs.setContact('GXZGB', { phone: '0771-1234567转801', address: `南宁市青秀区民族大道 1 号${RARE}` })).toBe(true);
    expect(await orgs.contact('GXZGB')).toEqual({ phone: '0771-1234567转801', address: `南宁市青秀区民族大道 1 号${RARE}` });
    expect(await orgs.setContact('GXZGB', { address: HOSTILE })).toBe(true);
    expect(await orgs.contact('GXZGB')).toEqual({ address: HOSTILE });
    expect(await orgs.setContact('NOPE', { phone: '1' })).toBe(false);
    expect(await orgs.contact('NOPE')).toEqual({});
    expect(await orgs.contacts()).toEqual(new Map([['GXZGB', { address: HOSTILE }], ['NNZGB', {}]]));
  });

  it('concurrent contact writers never leave one\'s phone beside another\'s address', async () => {
    await orgs.upsert(region, T);
    await Promise.all(Array.from({ length: 40 }, (_, i) => orgs.setContact('GXZGB', { phone: `电话${i}`, address: `地址${i}` })));
    const { phone, address } = await orgs.contact('GXZGB');
    expect(phone!.slice(2)).toBe(address!.slice(2));
  });
});

describe('OrganisationRepository: people and tokens', () => {
  it('round-trip people, listed per organisation by creation time then id; another organisation\'s list does not show them', async () => {
    await orgs.upsert(region, T);
    await orgs.upsert(city, T);
    await orgs.addPerson({ id: 'P2', orgCode: 'GXZGB', name: `赵${RARE}`, role: 'issuer', createdAt: '2026-11-02' }, 'cli');
    await orgs.addPerson({ id: 'P1', orgCode: 'GXZGB', name: '钱', role: 'handler', createdAt: '2026-11-02' }, 'cli');
    await orgs.addPerson({ id: 'P0', orgCode: 'GXZGB', name: '孙', role: 'admin', createdAt: '2026-11-03' }, 'cli');
    await orgs.addPerson({ id: 'P9', orgCode: 'NNZGB', name: '李', role: 'handler', createdAt: '2026-11-01' }, 'cli');
    expect(await orgs.findPerson('P2')).toEqual({ id: 'P2', orgCode: 'GXZGB', name: `赵${RARE}`, role: 'issuer', createdAt: '2026-11-02' });
    expect(await orgs.findPerson('P404')).toBeUndefined();
    expect((await orgs.peopleAt('GXZGB')).map((p) => p.id)).toEqual(['P1', 'P2', 'P0']);
    expect((await orgs.peopleAt('NNZGB')).map((p) => p.id)).toEqual(['P9']);
    expect(await orgs.peopleAt('HNZGB')).toEqual([]);
  });

  it('a person of an unknown organisation, or a reused person id, is a ConstraintError', async () => {
    await orgs.upsert(region, T);
    await expect(orgs.addPerson({ id: 'P1', orgCode: 'NOPE', name: '甲', role: 'handler', createdAt: T }, 'cli')).rejects.toBeInstanceOf(ConstraintError);
    await orgs.addPerson({ id: 'P1', orgCode: 'GXZGB', name: '甲', role: 'handler', createdAt: T }, 'cli');
    await expect(orgs.addPerson({ id: 'P1', orgCode: 'GXZGB', name: '乙', role: 'handler', createdAt: T }, 'cli')).rejects.toBeInstanceOf(ConstraintError);
    expect((await orgs.findPerson('P1'))?.name).toBe('甲');
  });

  it('a token is found by its hash with its person\'s grant, and no more once revoked; a reused hash is a ConstraintError', async () => {
    await orgs.upsert(region, T);
    await orgs.addPerson({ id: 'P1', orgCode: 'GXZGB', name: `王${RARE}`, role: 'issuer', createdAt: T }, 'cli');
    await orgs.addToken({ id: 'tok_1', personId: 'P1', orgCode: 'GXZGB', role: 'issuer' }, 'sha-1', `标签${RARE}`, T);
    await orgs.addToken({ id: 'tok_2', personId: 'P1', orgCode: 'GXZGB', role: 'issuer' }, 'sha-2', null, T);
    expect(await orgs.findToken('sha-1')).toEqual({ id: 'tok_1', orgCode: 'GXZGB', role: 'issuer', personId: 'P1', personName: `王${RARE}` });
    expect(await orgs.findToken('sha-9')).toBeUndefined();
    await expect(orgs.addToken({ id: 'tok_3', personId: 'P1', orgCode: 'GXZGB', role: 'issuer' }, 'sha-1', null, T)).rejects.toBeInstanceOf(ConstraintError);
    const revoke = orgs.revokeTokensStatement('P1', '2026-12-01T00:00:00.000Z');
    expect(await store.driver.batch([revoke])).toEqual([{ changes: 2 }]);
    expect(await store.driver.batch([revoke])).toEqual([{ changes: 0 }]); // already revoked: the first time stays
    expect(await orgs.findToken('sha-1')).toBeUndefined();
    expect(await orgs.findToken('sha-2')).toBeUndefined();
    expect(store.db.prepare("SELECT label, revoked_at FROM api_tokens WHERE id = 'tok_1'").get()).toEqual({ label: `标签${RARE}`, revoked_at: '2026-12-01T00:00:00.000Z' });
  });
});

describe('OrganisationRepository: writes guarded by the tree as read', () => {
  it('a placement lands while the tree is as read, and not after it changed', async () => {
    await orgs.upsert(region, T);
    await orgs.upsert(city, T);
    const read = await orgs.find('NNZGB');
    const above = [(await orgs.find('GXZGB'))!];
    const moved: Organisation = { ...city, name: '南宁市（改）' };
    const guard = orgs.unchangedStatement(moved, read, above, ['unit']);
    await store.driver.batch([orgs.upsertStatement(moved, T, guard)]);
    expect((await orgs.find('NNZGB'))?.name).toBe('南宁市（改）');
    // Meanwhile the parent was re-placed: a write decided on the old tree lands nowhere.
    await orgs.upsert({ ...region, kind: 'issuing_authority' }, T);
    const stale = orgs.unchangedStatement({ ...city, name: '过期的写' }, read, above, ['unit']);
    await store.driver.batch([orgs.upsertStatement({ ...city, name: '过期的写' }, T, stale)]);
    expect((await orgs.find('NNZGB'))?.name).toBe('南宁市（改）');
  });

  it('a new organisation is placed only if the code is still free (or already placed the same way)', async () => {
    await orgs.upsert(region, T);
    const child: Organisation = { code: 'EMP1', name: '某单位', kind: 'unit', parentCode: 'GXZGB' };
    const guard = orgs.unchangedStatement(child, undefined, [region], []);
    await store.driver.batch([orgs.upsertStatement(child, T, guard)]);
    expect(await orgs.find('EMP1')).toEqual(child);
    // The same placement again still holds (idempotent retry).
    await store.driver.batch([orgs.upsertStatement(child, T, orgs.unchangedStatement(child, undefined, [region], []))]);
    // Another request that read the code as free, but it now holds a different organisation: nothing lands.
    const other: Organisation = { code: 'EMP1', name: '另一单位', kind: 'competent_department', parentCode: 'GXZGB' };
    await store.driver.batch([orgs.upsertStatement(other, T, orgs.unchangedStatement(other, undefined, [region], []))]);
    expect(await orgs.find('EMP1')).toEqual(child);
  });

  it('a person and a token are added under routeUnchangedStatement only while the route is as read', async () => {
    await orgs.upsert(region, T);
    await orgs.upsert(city, T);
    const route = [city, region];
    await store.driver.batch([
      orgs.personStatement({ id: 'P1', orgCode: 'NNZGB', name: '甲', role: 'handler', createdAt: T }, 'admin', orgs.routeUnchangedStatement(route)),
      orgs.tokenStatement({ id: 'tok_1', personId: 'P1', orgCode: 'NNZGB', role: 'handler' }, 'sha-1', null, T, orgs.routeUnchangedStatement(route)),
    ]);
    expect(await orgs.findToken('sha-1')).toMatchObject({ personName: '甲', orgCode: 'NNZGB' });
    await orgs.upsert({ ...city, parentCode: null }, T);
    await store.driver.batch([orgs.personStatement({ id: 'P2', orgCode: 'NNZGB', name: '乙', role: 'handler', createdAt: T }, 'admin', orgs.routeUnchangedStatement(route))]);
    expect(await orgs.findPerson('P2')).toBeUndefined();
    // An empty route holds.
    await store.driver.batch([orgs.personStatement({ id: 'P3', orgCode: 'NNZGB', name: '丙', role: 'handler', createdAt: T }, 'admin', orgs.routeUnchangedStatement([]))]);
    expect((await orgs.findPerson('P3'))?.name).toBe('丙');
  });
});
