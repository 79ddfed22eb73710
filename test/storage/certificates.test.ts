/**
 * storage/certificates on a real SQLite file, through the service driver as the services use it: every
 * field of a certificate round-trips (basis of either kind, optional fields absent), its PDF and photo come
 * back byte-identical, idempotency keys point at it, a refused batch writes nothing, revocation happens
 * once, status-list places are claimed without neighbours, and concurrent issuance loses nothing.
 * Public behaviour only: where the PDF bytes are kept is not asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Certificate } from '../../src/domain/certificate.js';
import { sha256Hex } from '../../src/lib/bytes.js';
import { CertificateRepository } from '../../src/storage/certificates.js';
import { ConstraintError, sql } from '../../src/storage/driver.js';
import { OrganisationRepository } from '../../src/storage/organisations.js';
import { buildLicenceIdentifier, DEMO_AUTHORITY_USCCS, DEMO_LICENCE_TYPE_CODE } from '../../src/domain/licenceIdentifier.js';
import { certificate, HOSTILE, LONG, openStore, RARE, tempDir, type Store } from './repoSupport.js';

const tmp = tempDir('certificates');
let store: Store;
let certs: CertificateRepository;
const pdfOf = (n: number, seed = 1) => new Uint8Array(n).map((_, i) => (i * 31 + seed) % 256);

beforeAll(async () => {
  store = await openStore(tmp.dir, 'certificates.db');
  certs = new CertificateRepository(store.driver, store.blobs);
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

/** What findByNumber gives for `c` as inserted: the photo is read on its own, its type is kept. */
const asStored = (c: Certificate): Certificate => {
  const { photo, ...rest } = c;
  return { ...rest, photoType: photo?.type, original: { ...c.original, certificateNumber: c.original.certificateNumber ?? undefined } } as Certificate;
};

describe('CertificateRepository', () => {
  it('stores the 电子证照标识 (issue 19): found by it, each serial taken once, a taken serial or identifier is refused whole', async () => {
    const id = (serial: number, version = '001') => buildLicenceIdentifier({ typeCode: DEMO_LICENCE_TYPE_CODE, authorityCode: DEMO_AUTHORITY_USCCS.GXZGB!, serial, version });
    expect(await certs.nextLicenceSerial(DEMO_LICENCE_TYPE_CODE, DEMO_AUTHORITY_USCCS.GXZGB!)).toBe(1);
    const c = certificate('26LICENCE001', { identifier: id(1) });
    await certs.insert(c, pdfOf(3));
    expect(await certs.findByNumber('26LICENCE001')).toEqual(asStored(c));
    expect(await certs.numberByIdentifier(id(1))).toBe('26LICENCE001');
    expect(await certs.numberByIdentifier(id(2))).toBeUndefined();
    expect(await certs.nextLicenceSerial(DEMO_LICENCE_TYPE_CODE, DEMO_AUTHORITY_USCCS.GXZGB!)).toBe(2);
    // Taken is taken, whether or not its certificate was stored: never handed out twice (migration 0023).
    expect(await certs.nextLicenceSerial(DEMO_LICENCE_TYPE_CODE, DEMO_AUTHORITY_USCCS.GXZGB!)).toBe(3);
    expect(await certs.nextLicenceSerial(DEMO_LICENCE_TYPE_CODE, DEMO_AUTHORITY_USCCS.NNZGB!)).toBe(1); // per authority
    await expect(certs.insert(certificate('26LICENCE002', { identifier: id(1) }), pdfOf(3))).rejects.toBeInstanceOf(ConstraintError);
    expect(await certs.findByNumber('26LICENCE002')).toBeUndefined();
    // Version 002 of the same serial (a correction, issue 19 item 2) is another row.
    await certs.insert(certificate('26LICENCE003', { identifier: id(1, '002') }), pdfOf(3));
    expect(await certs.numberByIdentifier(id(1, '002'))).toBe('26LICENCE003');
  });

  it('gives the 关联证照标识 of a whole page in one query: each version’s earlier identifiers, newest first, those without one skipped', async () => {
    const id = (serial: number, version: string) => buildLicenceIdentifier({ typeCode: DEMO_LICENCE_TYPE_CODE, authorityCode: DEMO_AUTHORITY_USCCS.GXZGB!, serial, version });
    // A (001) ← B (issued before identifiers: none) ← C (003); D alone; E (001) ← F (002).
    await certs.insert(certificate('26CHAIN000A', { identifier: id(901, '001') }), pdfOf(3));
    await certs.insert(certificate('26CHAIN000B', { predecessor: '26CHAIN000A' }), pdfOf(3));
    await certs.insert(certificate('26CHAIN000C', { identifier: id(901, '003'), predecessor: '26CHAIN000B' }), pdfOf(3));
    await certs.insert(certificate('26CHAIN000D', { identifier: id(902, '001') }), pdfOf(3));
    await certs.insert(certificate('26CHAIN000E', { identifier: id(903, '001') }), pdfOf(3));
    await certs.insert(certificate('26CHAIN000F', { identifier: id(903, '002'), predecessor: '26CHAIN000E' }), pdfOf(3));
    const related = await certs.earlierIdentifiers(['26CHAIN000C', '26CHAIN000B', '26CHAIN000D', '26CHAIN000F', '26CHAIN000A', HOSTILE, ...Array.from({ length: 150 }, (_, i) => `26NONE${i}`)]);
    expect(Object.fromEntries(related)).toEqual({
      '26CHAIN000C': [id(901, '001')],
      '26CHAIN000B': [id(901, '001')],
      '26CHAIN000F': [id(903, '001')],
    });
    expect((await certs.earlierIdentifiers([])).size).toBe(0);
  });

  it('hands 50 serials taken at once to 50 takers, each its own, with no gap', async () => {
    const taken = await Promise.all(Array.from({ length: 50 }, () => certs.nextLicenceSerial(DEMO_LICENCE_TYPE_CODE, DEMO_AUTHORITY_USCCS.GXUZP!)));
    expect([...taken].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('round-trips every field of a certificate with a decision basis, its PDF byte for byte and its photo', async () => {
    const c = certificate('26ALLFIELDS1');
    const pdf = pdfOf(1_500_000); // every byte value, well over one evidence part
    await certs.insert(c, pdf);
    expect(await certs.findByNumber('26ALLFIELDS1')).toEqual(asStored(c));
    const back = await certs.pdf('26ALLFIELDS1');
    expect(back).toBeInstanceOf(Uint8Array);
    expect(back!.length).toBe(1_500_000);
    expect(await sha256Hex(back!)).toBe(await sha256Hex(pdf));
    expect(await certs.photo('26ALLFIELDS1')).toEqual({ bytes: new Uint8Array([0xff, 0xd8, 0x00, 0x01, 0x80, 0xff, 0xd9]), type: 'image/jpeg' });
  });

  it('round-trips a case basis, no photo, no original number, and an empty PDF-like file', async () => {
    const c = certificate('26CASEBASIS1', {
      photo: undefined,
      basis: { kind: 'case', caseId: 'RC20261128-7KQ2M9XH' },
      original: { acquiredOn: '2001-01-01', method: 'evaluation', evaluatingBody: `评委会${RARE}`, certificateNumber: undefined },
      holder: { name: '𠈌', gender: 'male', idType: 'passport', idNumber: 'E12345678', idNumberMasked: 'E1****678' },
    });
    await certs.insert(c, new Uint8Array([0]));
    const found = await certs.findByNumber('26CASEBASIS1');
    expect(found).toEqual(asStored(c));
    expect(found!.photoType).toBeUndefined();
    expect(found!.original.certificateNumber).toBeUndefined();
    expect(await certs.photo('26CASEBASIS1')).toBeUndefined();
    expect(Array.from((await certs.pdf('26CASEBASIS1'))!)).toEqual([0]);
  });

  it('finds nothing for an unknown number, nor for SQL-looking numbers', async () => {
    expect(await certs.findByNumber('26NOSUCH0000')).toBeUndefined();
    expect(await certs.findForVerification('26NOSUCH0000')).toBeUndefined();
    expect(await certs.pdf('26NOSUCH0000')).toBeUndefined();
    expect(await certs.photo("x' OR '1'='1")).toBeUndefined();
    expect(await certs.statusPlace('26NOSUCH0000')).toBeUndefined();
  });

  it('keeps hostile and very long text verbatim', async () => {
    const c = certificate(HOSTILE, { holder: { ...certificate('x').holder, name: HOSTILE }, title: { ...certificate('x').title, specialty: LONG }, decision: { number: HOSTILE, decidedOn: '2026-03-18' } });
    await certs.insert(c, pdfOf(10));
    expect(await certs.findByNumber(HOSTILE)).toEqual(asStored(c));
  });

  it('gives the certificate for verification with its issuing office\'s current contact', async () => {
    const orgs = new OrganisationRepository(store.driver);
    await certs.insert(certificate('26CONTACT001', { authority: { code: 'NNZGB', name: '南宁市（签发时的名称）' } }), pdfOf(5));
    expect(await certs.findForVerification('26CONTACT001')).toEqual({ certificate: asStored(certificate('26CONTACT001', { authority: { code: 'NNZGB', name: '南宁市（签发时的名称）' } })), authorityContact: {} });
    await orgs.setContact('NNZGB', { phone: '0771-5555555', address: `南宁市${RARE}` });
    await orgs.upsert({ code: 'NNZGB', name: '南宁市（改名后）', kind: 'issuing_authority', parentCode: null }, 't');
    const found = await certs.findForVerification('26CONTACT001');
    expect(found?.authorityContact).toEqual({ phone: '0771-5555555', address: `南宁市${RARE}` });
    expect(found?.certificate.authority).toEqual({ code: 'NNZGB', name: '南宁市（签发时的名称）' }); // as signed
  });

  it('remembers an idempotency key per scope; a reused key refuses the whole batch (certificate, PDF, audit row)', async () => {
    await certs.insert(certificate('26IDEM000001'), pdfOf(7), { scope: 'GXZGB', key: `键${RARE}`, requestHash: 'h1' });
    expect(await certs.findIdempotent('GXZGB', `键${RARE}`)).toEqual({ requestHash: 'h1', number: '26IDEM000001' });
    expect(await certs.findIdempotent('NNZGB', `键${RARE}`)).toBeUndefined(); // another organisation's scope
    const alongside = [sql("INSERT INTO calendar_overrides (date, kind, note, set_by, set_at) VALUES ('2099-01-01', 'holiday', 'x', 'y', 'z')")];
    await expect(certs.insert(certificate('26IDEM000002'), pdfOf(7), { scope: 'GXZGB', key: `键${RARE}`, requestHash: 'h2' }, alongside)).rejects.toBeInstanceOf(ConstraintError);
    expect(await certs.findByNumber('26IDEM000002')).toBeUndefined();
    expect(await certs.pdf('26IDEM000002')).toBeUndefined();
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM calendar_overrides WHERE date = '2099-01-01'").get()).toEqual({ n: 0 });
    // The same key in another scope is another key.
    await certs.insert(certificate('26IDEM000003', { authority: { code: 'NNZGB', name: '南宁' } }), pdfOf(7), { scope: 'NNZGB', key: `键${RARE}`, requestHash: 'h3' });
    expect(await certs.findIdempotent('NNZGB', `键${RARE}`)).toEqual({ requestHash: 'h3', number: '26IDEM000003' });
  });

  it('a duplicate number, an unknown authority or an unknown revocation reason is a ConstraintError; the first stays intact', async () => {
    await certs.insert(certificate('26DUPLICATE1'), pdfOf(3, 1));
    await expect(certs.insert(certificate('26DUPLICATE1', { holder: { ...certificate('x').holder, name: '别人' } }), pdfOf(3, 2))).rejects.toBeInstanceOf(ConstraintError);
    expect((await certs.findByNumber('26DUPLICATE1'))?.holder.name).toBe(`䶮${RARE}`);
    expect(Array.from((await certs.pdf('26DUPLICATE1'))!)).toEqual(Array.from(pdfOf(3, 1)));
    await expect(certs.insert(certificate('26NOAUTHORITY', { authority: { code: 'NOPE', name: '无' } }), pdfOf(3))).rejects.toBeInstanceOf(ConstraintError);
    expect(await certs.findByNumber('26NOAUTHORITY')).toBeUndefined();
    await expect(certs.revoke('26DUPLICATE1', { at: 't', reason: 'lost' as 'other', note: '', by: 'x' })).rejects.toBeInstanceOf(ConstraintError);
    expect((await certs.findByNumber('26DUPLICATE1'))?.status).toBe('valid');
  });

  it('revokes a valid certificate once, with every revocation field; the later try changes nothing', async () => {
    await certs.insert(certificate('26REVOKE0001'), pdfOf(3));
    expect(await certs.revoke('26REVOKE0001', { at: '2026-12-01T00:00:00.000Z', reason: 'false_materials', note: `造假${RARE}${HOSTILE}`, by: 'tok_gx' })).toBe(true);
    expect(await certs.revoke('26REVOKE0001', { at: '2026-12-02T00:00:00.000Z', reason: 'other', note: '再次', by: 'tok_nn' })).toBe(false);
    expect(await certs.revoke('26NOSUCH0000', { at: 't', reason: 'other', note: '', by: 'x' })).toBe(false);
    const found = await certs.findByNumber('26REVOKE0001');
    expect(found?.status).toBe('revoked');
    expect(found?.revocation).toEqual({ at: '2026-12-01T00:00:00.000Z', reason: 'false_materials', note: `造假${RARE}${HOSTILE}`, by: 'tok_gx' });
  });

  it('30 revocations of one certificate at once: exactly one lands', async () => {
    await certs.insert(certificate('26REVRACE001'), pdfOf(3));
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => certs.revoke('26REVRACE001', { at: `t${i}`, reason: 'other', note: `${i}`, by: 'x' })));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await certs.findByNumber('26REVRACE001'))?.revocation?.at).toBe(`t${results.indexOf(true)}`);
  });

  it('claims status-list places without neighbours, per authority and list, never beyond a list\'s capacity; lists the revoked places', async () => {
    for (const n of ['26STATUS0001', '26STATUS0002', '26STATUS0003']) await certs.insert(certificate(n), pdfOf(3));
    await certs.insert(certificate('26STATUSNN01', { authority: { code: 'NNZGB', name: '南宁' } }), pdfOf(3));
    expect(await certs.claimStatusIndex('26STATUS0001', 'GXZGB', 1, 10, 1000)).toBe(true);
    expect(await certs.claimStatusIndex('26STATUS0001', 'GXZGB', 1, 20, 1000)).toBe(false); // already has one
    expect(await certs.claimStatusIndex('26STATUS0002', 'GXZGB', 1, 10, 1000)).toBe(false); // taken
    expect(await certs.claimStatusIndex('26STATUS0002', 'GXZGB', 1, 11, 1000)).toBe(false); // neighbour
    expect(await certs.claimStatusIndex('26STATUS0002', 'GXZGB', 1, 9, 1000)).toBe(false); // neighbour
    expect(await certs.claimStatusIndex('26STATUS0002', 'GXZGB', 1, 12, 1000)).toBe(true);
    expect(await certs.claimStatusIndex('26STATUSNN01', 'NNZGB', 1, 11, 1000)).toBe(true); // another authority's list
    expect(await certs.statusPlace('26STATUS0001')).toEqual({ list: 1, index: 10 });
    expect(await certs.statusPlace('26STATUS0003')).toBeUndefined();
    // The same index in another list of the same authority is free; a full list refuses every place.
    expect(await certs.claimStatusIndex('26STATUS0003', 'GXZGB', 2, 10, 1000)).toBe(true);
    expect(await certs.statusPlace('26STATUS0003')).toEqual({ list: 2, index: 10 });
    await certs.insert(certificate('26STATUS0004'), pdfOf(3));
    expect(await certs.claimStatusIndex('26STATUS0004', 'GXZGB', 2, 500, 1)).toBe(false); // list 2 holds its 1
    await certs.revoke('26STATUS0002', { at: 't', reason: 'other', note: '', by: 'x' });
    await certs.revoke('26STATUS0003', { at: 't', reason: 'other', note: '', by: 'x' }); // its place is in list 2
    await certs.revoke('26STATUSNN01', { at: 't', reason: 'other', note: '', by: 'x' });
    expect(await certs.revokedStatusIndexes('GXZGB', 1)).toEqual([12]);
    expect(await certs.revokedStatusIndexes('GXZGB', 2)).toEqual([10]);
    expect(await certs.revokedStatusIndexes('NNZGB', 1)).toEqual([11]);
    expect(await certs.revokedStatusIndexes('HNZGB', 1)).toEqual([]);
    // Issue 19 item 3: the same read gives each ended place its state (the message list's 2 bits).
    await certs.cancel('26STATUS0001', { at: 't', reason: 'death', note: '', by: 'x' });
    expect(await certs.endedStatusPlaces('GXZGB', 1)).toEqual(expect.arrayContaining([{ index: 10, state: 'cancelled' }, { index: 12, state: 'revoked' }]));
    expect(await certs.endedStatusPlaces('GXZGB', 1)).toHaveLength(2);
    expect(await certs.revokedStatusIndexes('GXZGB', 1)).toEqual(expect.arrayContaining([10, 12]));
    expect([await certs.statusListCount('GXZGB'), await certs.statusListCount('NNZGB'), await certs.statusListCount('HNZGB')]).toEqual([2, 1, 0]);
  });

  it('24 certificates racing for the same status-list place: exactly one gets it', async () => {
    const numbers = Array.from({ length: 24 }, (_, i) => `26SRACE${String(i).padStart(5, '0')}`);
    for (const n of numbers) await certs.insert(certificate(n, { authority: { code: 'NNZGB', name: '南宁' } }), pdfOf(3));
    const won = await Promise.all(numbers.map((n) => certs.claimStatusIndex(n, 'NNZGB', 1, 500, 1000)));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(await Promise.all(numbers.map((n) => certs.statusPlace(n)))).toEqual(won.map((w) => (w ? { list: 1, index: 500 } : undefined)));
  });

  it('40 issuances at once, each with its PDF and key: all kept, each PDF its own, counted', async () => {
    const before = await certs.count();
    const numbers = Array.from({ length: 40 }, (_, i) => `26BURST${String(i).padStart(5, '0')}`);
    const outcomes = await Promise.allSettled(numbers.map((n, i) => certs.insert(certificate(n), pdfOf(1000 + i, i), { scope: 'GXZGB', key: `burst-${i}`, requestHash: `h${i}` })));
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    expect(await certs.count()).toBe(before + 40);
    for (const [i, n] of numbers.entries()) {
      expect(Array.from((await certs.pdf(n))!)).toEqual(Array.from(pdfOf(1000 + i, i)));
      expect(await certs.findIdempotent('GXZGB', `burst-${i}`)).toEqual({ requestHash: `h${i}`, number: n });
    }
  });
});
