/**
 * storage/bans on a real SQLite file: the ban register of notice 四(一). A ban for a revoked certificate is
 * written only when the certificate carries exactly that revocation (false materials, same time); a ban
 * from an application always; both read back by ID number in year order, and the whole register oldest first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ban } from '../../src/domain/ban.js';
import { BanRepository } from '../../src/storage/bans.js';
import { CertificateRepository } from '../../src/storage/certificates.js';
import { ConstraintError } from '../../src/storage/driver.js';
import { certificate, HOSTILE, LONG, openStore, RARE, tempDir, type Store } from './repoSupport.js';

const tmp = tempDir('bans');
let store: Store;
let bans: BanRepository;
let certs: CertificateRepository;
const PDF = new Uint8Array([0x25, 0x50, 0x44, 0x46]);

const ban = (id: string, overrides: Partial<Ban> = {}): Ban & { createdBy: string } => ({
  id,
  idNumber: '45010219800512001X',
  holderName: `䶮${RARE}`,
  startYear: 2026,
  endYear: 2030,
  clause: '四(一)',
  source: 'application',
  note: `提供虚假材料${RARE}`,
  createdAt: '2026-11-28T04:00:00.000Z',
  createdBy: 'P_gx',
  ...overrides,
});

beforeAll(async () => {
  store = await openStore(tmp.dir, 'bans.db');
  bans = new BanRepository(store.driver);
  certs = new CertificateRepository(store.driver, store.blobs);
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

describe('BanRepository', () => {
  it('round-trips a ban from an application, every field, with no certificate number', async () => {
    await store.driver.batch([bans.recordForApplication(ban('ban_app_1'))]);
    const [stored] = await bans.forIdNumber('45010219800512001X');
    expect(stored).toEqual({
      id: 'ban_app_1',
      idNumber: '45010219800512001X',
      holderName: `䶮${RARE}`,
      startYear: 2026,
      endYear: 2030,
      clause: '四(一)',
      source: 'application',
      certificateNumber: undefined,
      note: `提供虚假材料${RARE}`,
      createdAt: '2026-11-28T04:00:00.000Z',
    });
  });

  it('records a revocation ban only beside the revocation it names', async () => {
    await certs.insert(certificate('26REVOKE001', { holder: { ...certificate('x').holder, idNumber: '450102199001010011' } }), PDF);
    const at = '2026-11-29T01:02:03.000Z';
    const b = ban('ban_rev_1', { idNumber: '450102199001010011', source: 'revocation', certificateNumber: '26REVOKE001' });
    expect(await certs.revoke('26REVOKE001', { at, reason: 'false_materials', note: '造假', by: 'tok_gx' }, [bans.recordForRevocation(b, at)])).toBe(true);
    expect(await bans.forIdNumber('450102199001010011')).toEqual([
      {
        id: 'ban_rev_1',
        idNumber: '450102199001010011',
        holderName: `䶮${RARE}`,
        startYear: 2026,
        endYear: 2030,
        clause: '四(一)',
        source: 'revocation',
        certificateNumber: '26REVOKE001',
        note: `提供虚假材料${RARE}`,
        createdAt: '2026-11-28T04:00:00.000Z',
      },
    ]);
  });

  it('writes no revocation ban when the revocation is another one (lost race, other reason, other time)', async () => {
    await certs.insert(certificate('26REVOKE002', { holder: { ...certificate('x').holder, idNumber: '450102199002020022' } }), PDF);
    const b = ban('ban_rev_2', { idNumber: '450102199002020022', source: 'revocation', certificateNumber: '26REVOKE002' });
    // Revoked for another reason: the statement holds nothing.
    expect(await certs.revoke('26REVOKE002', { at: 't1', reason: 'issued_in_error', note: '', by: 'tok_gx' }, [bans.recordForRevocation(b, 't1')])).toBe(true);
    // A second try at the same certificate (already revoked) with a false-materials revocation at another time.
    await store.driver.batch([bans.recordForRevocation(b, 't2')]);
    expect(await bans.forIdNumber('450102199002020022')).toEqual([]);
  });

  it('lists one person\'s bans by start year, and finds nothing for another ID number', async () => {
    const id = '450102197001010033';
    await store.driver.batch([
      bans.recordForApplication(ban('ban_y3', { idNumber: id, startYear: 2031, endYear: 2035 })),
      bans.recordForApplication(ban('ban_y1', { idNumber: id, startYear: 2020, endYear: 2024 })),
      bans.recordForApplication(ban('ban_y2', { idNumber: id, startYear: 2026, endYear: 2030 })),
    ]);
    expect((await bans.forIdNumber(id)).map((b) => b.id)).toEqual(['ban_y1', 'ban_y2', 'ban_y3']);
    expect(await bans.forIdNumber('450102197001010034')).toEqual([]);
    expect(await bans.forIdNumber(`${id}' OR '1'='1`)).toEqual([]);
  });

  it('a reused ban id is a ConstraintError and its batch writes nothing', async () => {
    const id = '450102196001010044';
    await store.driver.batch([bans.recordForApplication(ban('ban_dup', { idNumber: id }))]);
    await expect(
      store.driver.batch([bans.recordForApplication(ban('ban_dup_other', { idNumber: id, note: 'first of batch' })), bans.recordForApplication(ban('ban_dup', { idNumber: id }))]),
    ).rejects.toBeInstanceOf(ConstraintError);
    expect((await bans.forIdNumber(id)).map((b) => b.id)).toEqual(['ban_dup']);
  });

  it('keeps hostile and very long text verbatim', async () => {
    await store.driver.batch([bans.recordForApplication(ban('ban_hostile', { idNumber: HOSTILE, holderName: HOSTILE, note: LONG, clause: HOSTILE }))]);
    const [stored] = await bans.forIdNumber(HOSTILE);
    expect(stored).toMatchObject({ id: 'ban_hostile', idNumber: HOSTILE, holderName: HOSTILE, clause: HOSTILE });
    expect(stored!.note).toBe(LONG);
  });

  it('48 bans written at once are all in the register, oldest first', async () => {
    const before = (await bans.all()).length;
    await Promise.all(
      Array.from({ length: 48 }, (_, i) =>
        store.driver.batch([bans.recordForApplication(ban(`ban_many_${String(i).padStart(2, '0')}`, { idNumber: `MANY${i}`, createdAt: `2027-01-01T00:00:${String(i).padStart(2, '0')}.000Z` }))]),
      ),
    );
    const all = await bans.all();
    expect(all).toHaveLength(before + 48);
    expect(all.slice(-48).map((b) => b.id)).toEqual(Array.from({ length: 48 }, (_, i) => `ban_many_${String(i).padStart(2, '0')}`));
    const createdAt = all.map((b) => b.createdAt);
    expect(createdAt).toEqual([...createdAt].sort());
  });
});
