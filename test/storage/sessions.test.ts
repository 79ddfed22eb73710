/**
 * storage/sessions on a real SQLite file: a session is found by its id hash while it lives, with the grant
 * of its token; it ends at its expiry, on close, and when its token is revoked; opening one sweeps the expired.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConstraintError } from '../../src/storage/driver.js';
import { OrganisationRepository } from '../../src/storage/organisations.js';
import { SessionRepository } from '../../src/storage/sessions.js';
import { HOSTILE, openStore, RARE, tempDir, type Store } from './repoSupport.js';

const tmp = tempDir('sessions');
let store: Store;
let sessions: SessionRepository;
const T0 = '2026-11-28T04:00:00.000Z';
const T1 = '2026-11-28T12:00:00.000Z';
const LATER = '2026-11-28T13:00:00.000Z';

beforeAll(async () => {
  store = await openStore(tmp.dir, 'sessions.db');
  sessions = new SessionRepository(store.driver);
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

describe('SessionRepository', () => {
  it('finds a live session with its token grant and CSRF token', async () => {
    await sessions.open('idhash-1', 'tok_gx', `csrf-${RARE}`, T0, T1);
    expect(await sessions.find('idhash-1', '2026-11-28T05:00:00.000Z')).toEqual({
      grant: { id: 'tok_gx', orgCode: 'GXZGB', role: 'handler', personId: 'P_gx', personName: `经办人${RARE}` },
      csrf: `csrf-${RARE}`,
    });
  });

  it('finds nothing for an unknown id hash, nor at or after the expiry', async () => {
    await sessions.open('idhash-2', 'tok_gx', 'c2', T0, T1);
    expect(await sessions.find('idhash-nope', T0)).toBeUndefined();
    expect(await sessions.find('idhash-2', T1)).toBeUndefined(); // expires_at > now: the end instant is already over
    expect(await sessions.find('idhash-2', LATER)).toBeUndefined();
    expect(await sessions.find('idhash-2', '2026-11-28T11:59:59.999Z')).toMatchObject({ csrf: 'c2' });
  });

  it('ends on close; closing an unknown session is harmless', async () => {
    await sessions.open('idhash-3', 'tok_nn', 'c3', T0, T1);
    await sessions.close('idhash-3');
    await sessions.close('idhash-3');
    expect(await sessions.find('idhash-3', T0)).toBeUndefined();
  });

  it('opening a session sweeps the expired ones (and only those)', async () => {
    await sessions.open('old', 'tok_gx', 'c', '2026-11-01T00:00:00.000Z', '2026-11-01T08:00:00.000Z');
    await sessions.open('live', 'tok_gx', 'c', '2026-11-01T00:00:00.000Z', '2026-12-31T00:00:00.000Z');
    await sessions.open('new', 'tok_gx', 'c', '2026-11-02T00:00:00.000Z', '2026-11-02T08:00:00.000Z');
    const ids = (store.db.prepare("SELECT id_hash FROM sessions WHERE id_hash IN ('old', 'live', 'new') ORDER BY id_hash").all() as { id_hash: string }[]).map((r) => r.id_hash);
    expect(ids).toEqual(['live', 'new']);
  });

  it('ends when its token is revoked', async () => {
    const orgs = new OrganisationRepository(store.raw);
    await orgs.addPerson({ id: 'P_rev', orgCode: 'GXZGB', name: '撤销者', role: 'handler', createdAt: T0 }, 'test');
    await orgs.addToken({ id: 'tok_rev', personId: 'P_rev', orgCode: 'GXZGB', role: 'handler' }, 'hash-rev', null, T0);
    await sessions.open('idhash-rev', 'tok_rev', 'c', T0, T1);
    expect(await sessions.find('idhash-rev', T0)).toMatchObject({ grant: { id: 'tok_rev', personName: '撤销者' } });
    const revoke = orgs.revokeTokensStatement('P_rev', T0);
    await store.driver.run(revoke.sql, revoke.params);
    expect(await sessions.find('idhash-rev', T0)).toBeUndefined();
  });

  it('refuses a session for an unknown token and a reused id hash as ConstraintError, writing nothing', async () => {
    await expect(sessions.open('idhash-x', 'tok_nope', 'c', T0, T1)).rejects.toBeInstanceOf(ConstraintError);
    expect(await sessions.find('idhash-x', T0)).toBeUndefined();
    await sessions.open('idhash-dup', 'tok_gx', 'first', T0, T1);
    await expect(sessions.open('idhash-dup', 'tok_nn', 'second', T0, T1)).rejects.toBeInstanceOf(ConstraintError);
    expect(await sessions.find('idhash-dup', T0)).toMatchObject({ csrf: 'first', grant: { orgCode: 'GXZGB' } });
  });

  it('stores hostile and very long values verbatim', async () => {
    const csrf = HOSTILE + '长'.repeat(50_000);
    await sessions.open(HOSTILE, 'tok_gx', csrf, T0, T1);
    expect((await sessions.find(HOSTILE, T0))?.csrf).toBe(csrf);
    expect(await sessions.find("x' OR '1'='1", T0)).toBeUndefined();
  });

  it('64 sessions opened at once are all kept', async () => {
    await Promise.all(Array.from({ length: 64 }, (_, i) => sessions.open(`many-${i}`, i % 2 ? 'tok_gx' : 'tok_nn', `c${i}`, T0, T1)));
    const found = await Promise.all(Array.from({ length: 64 }, (_, i) => sessions.find(`many-${i}`, T0)));
    expect(found.map((f) => f?.csrf)).toEqual(Array.from({ length: 64 }, (_, i) => `c${i}`));
    expect(found.map((f) => f?.grant.orgCode)).toEqual(Array.from({ length: 64 }, (_, i) => (i % 2 ? 'GXZGB' : 'NNZGB')));
  });
});
