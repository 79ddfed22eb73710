/**
 * The D1 driver and the better-sqlite3 driver give the same results for every repository operation:
 * same inputs, same outputs, same errors on constraint violations, same all-or-nothing batches.
 * D1 runs in Miniflare (workerd), the same engine `wrangler dev` uses.
 */
import Database from 'better-sqlite3';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Certificate } from '../../src/domain/certificate.js';
import { CertificateRepository } from '../../src/storage/certificates.js';
import { ConstraintError, type SqlDriver } from '../../src/storage/driver.js';
import { createBetterSqliteDriver } from '../../src/storage/drivers/betterSqlite.js';
import { createD1Driver, type D1Like } from '../../src/storage/drivers/d1.js';
import { applyMigrations } from '../../src/storage/migrate.js';
import { OrganisationRepository } from '../../src/storage/organisations.js';
import { migrationsFromDisk } from '../../src/entry/nodeContext.js';

let mf: Miniflare;
const drivers: Record<'sqlite' | 'd1', SqlDriver> = {} as never;

beforeAll(async () => {
  const sqlite = new Database(':memory:');
  sqlite.pragma('foreign_keys = ON');
  drivers.sqlite = createBetterSqliteDriver(sqlite);
  await applyMigrations(drivers.sqlite, migrationsFromDisk());
  mf = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response("") } }', d1Databases: { DB: 'drivers-test' } });
  drivers.d1 = createD1Driver((await mf.getD1Database('DB')) as unknown as D1Like);
  for (const migration of migrationsFromDisk()) await drivers.d1.exec(migration.sql);
});
afterAll(async () => mf?.dispose());

function certificate(number: string, overrides: Partial<Certificate> = {}): Certificate {
  return {
    number,
    authority: { code: 'GXZGB', name: '广西壮族自治区职称改革工作领导小组办公室' },
    kid: 'kid-1',
    holder: { name: '䶮𠮷', gender: 'male', idType: 'resident_id_card', idNumber: '450102198005120019', idNumberMasked: '4501**********0019' },
    photo: { bytes: new Uint8Array([0xff, 0xd8, 0x00, 0x01, 0xff, 0xd9]), type: 'image/jpeg' },
    title: { series: 'engineering', seriesName: '工程技术', name: '高级工程师', level: 'senior_associate', specialty: '电气工程' },
    original: { acquiredOn: '2015-12-30', method: 'evaluation', evaluatingBody: '湖南省工程技术高级职务评审委员会', certificateNumber: undefined },
    decision: { number: '桂职办〔2026〕15号', decidedOn: '2026-03-18' },
    issuedAt: '2026-11-28T04:00:00.000Z',
    token: 'header.payload.signature',
    linkProof: 'proof',
    status: 'valid',
    ...overrides,
  };
}

/** Runs the same script of repository operations on a driver and records every outcome. */
async function script(driver: SqlDriver): Promise<unknown[]> {
  const outcomes: unknown[] = [];
  const record = async (label: string, op: () => Promise<unknown>) => {
    try {
      outcomes.push([label, await op()]);
    } catch (error) {
      outcomes.push([label, error instanceof ConstraintError ? 'ConstraintError' : `other error: ${(error as Error).message}`]);
    }
  };
  const orgs = new OrganisationRepository(driver);
  const certs = new CertificateRepository(driver);
  await record('org upsert', () => orgs.upsert({ code: 'GXZGB', name: '旧名', kind: 'issuing_authority', parentCode: null }, 't0'));
  await record('org rename', () => orgs.upsert({ code: 'GXZGB', name: '广西壮族自治区职称改革工作领导小组办公室', kind: 'issuing_authority', parentCode: null }, 't1'));
  await record('org find', () => orgs.find('GXZGB'));
  await record('org missing', () => orgs.find('NOPE'));
  await record('token add', () => orgs.addToken({ id: 't1', orgCode: 'GXZGB', role: 'issuer' }, 'hash-1', null, 't'));
  await record('token duplicate hash', () => orgs.addToken({ id: 't2', orgCode: 'GXZGB', role: 'issuer' }, 'hash-1', null, 't'));
  await record('token for unknown org', () => orgs.addToken({ id: 't3', orgCode: 'NOPE', role: 'issuer' }, 'hash-3', null, 't'));
  await record('token find', () => orgs.findToken('hash-1'));
  await record('token missing', () => orgs.findToken('hash-9'));
  const pdf = new Uint8Array(Array.from({ length: 300 }, (_, i) => i % 256));
  await record('insert', () => certs.insert(certificate('26AAAAAAAA0'), pdf, { scope: 'GXZGB', key: 'k1', requestHash: 'h1' }));
  await record('insert duplicate number', () => certs.insert(certificate('26AAAAAAAA0'), pdf));
  await record('insert reusing idempotency key (whole batch refused)', () => certs.insert(certificate('26BBBBBBBB0'), pdf, { scope: 'GXZGB', key: 'k1', requestHash: 'h2' }));
  await record('the refused batch wrote nothing', () => certs.findByNumber('26BBBBBBBB0'));
  await record('find', () => certs.findByNumber('26AAAAAAAA0'));
  await record('photo', async () => Array.from((await certs.photo('26AAAAAAAA0'))!.bytes));
  await record('pdf', async () => Array.from((await certs.pdf('26AAAAAAAA0'))!));
  await record('idempotent', () => certs.findIdempotent('GXZGB', 'k1'));
  await record('idempotent missing', () => certs.findIdempotent('GXZGB', 'k9'));
  await record('revoke', () => certs.revoke('26AAAAAAAA0', { at: 't2', reason: 'false_materials', note: '造假', by: 't1' }));
  await record('revoke again', () => certs.revoke('26AAAAAAAA0', { at: 't3', reason: 'other', note: '', by: 't1' }));
  await record('find revoked', () => certs.findByNumber('26AAAAAAAA0'));
  await record('count', () => certs.count());
  await record('insert without photo', () => certs.insert(certificate('26CCCCCCCC0', { photo: undefined }), pdf));
  await record('photo absent', () => certs.photo('26CCCCCCCC0'));
  return outcomes;
}

describe('D1 and better-sqlite3 drivers', () => {
  it('give the same results for every repository operation', async () => {
    const sqlite = await script(drivers.sqlite);
    const d1 = await script(drivers.d1);
    expect(d1).toEqual(sqlite);
    // And the outcomes are the right ones, not merely equal.
    const byLabel = Object.fromEntries(sqlite as [string, unknown][]);
    expect(byLabel['token duplicate hash']).toBe('ConstraintError');
    expect(byLabel['token for unknown org']).toBe('ConstraintError');
    expect(byLabel['insert duplicate number']).toBe('ConstraintError');
    expect(byLabel['insert reusing idempotency key (whole batch refused)']).toBe('ConstraintError');
    expect(byLabel['the refused batch wrote nothing']).toBeUndefined();
    expect(byLabel['revoke']).toBe(true);
    expect(byLabel['revoke again']).toBe(false);
    expect((byLabel['find revoked'] as Certificate).revocation).toMatchObject({ reason: 'false_materials', note: '造假' });
    expect((byLabel['find'] as Certificate).holder.name).toBe('䶮𠮷');
    expect(byLabel['count']).toBe(1);
  });
});
